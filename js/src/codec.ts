/**
 * The codec: made once from a configuration, it seals values into cookie
 * values and opens them again. The first secret seals; every secret opens.
 */
import { encodeBase64url } from './base64url.js'
import { backend, withoutStack } from './aead.js'
import { deflateRaw } from './deflate.js'
import { inflateCapped } from './inflate.js'
import {
  ConfigError,
  CookieTooLargeError,
  ExpiredCookieError,
  FormatError,
  InvalidCookieError,
  UnknownKeyError,
  UnsupportedValueError,
} from './errors.js'
import {
  FLAGS_KNOWN,
  FLAG_CREATED,
  FLAG_DEFLATE,
  FLAG_IDENTITY,
  FLAG_TYPED,
  MAX_SUBJECT,
  SESSION_ID_SIZE,
  HEADER_SIZE,
  MAX_CLOCK_SKEW,
  MIN_SIZE,
  NONCE_SIZE,
  TAG_SIZE,
  TIME_SIZE,
  VERSION,
  openBytes,
  sealBytes,
  wellFormed,
} from './format.js'
import { buildRing, type Key } from './keys.js'
import { padPayload } from './pad.js'
import { decodeUTF8, encodeUTF8, parseJSON, parseTree, stringify } from './json.js'
import { Typed, encodeValues, fromTree, plainToValues, setJSONParser, setTreeParser, toNatural } from './values.js'

setTreeParser(parseTree)
setJSONParser(parseJSON)

/** Defaults, as in the Go package. */
export const DEFAULT_MAX_AGE = 86400 // seconds
export const DEFAULT_MAX_LENGTH = 4096 // bytes of name + "=" + value
export const DEFAULT_MAX_PAYLOAD = 65536 // bytes of JSON, after inflating
/** A sealer compresses (when `compress` is on) only payloads at least this long. */
export const COMPRESS_MIN = 1024 // bytes

export interface CodecOptions {
  /** The keyring: the first secret seals, every secret opens. Each at least 32 bytes of UTF-8, all different. Generate with generateSecret(). */
  secrets: readonly string[]
  /** How long a cookie stays valid after it was issued, in seconds. Default 86400. */
  maxAge?: number
  /** How long a session may live from its creation however often it is refreshed, in seconds. 0 (default): no limit. */
  maxLifetime?: number
  /** info.reissue (and info.refresh) is set for cookies at least this old, in seconds. 0 (default): never on age alone. */
  refreshAge?: number
  /** The size limit of one cookie, name + "=" + value, in bytes. Default 4096. */
  maxLength?: number
  /** The JSON payload limit after inflating, in bytes. Default 65536. */
  maxPayload?: number
  /** Compress payloads of 1024 bytes or more with raw DEFLATE when that is shorter. Default false (see the README on CRIME/BREACH). */
  compress?: boolean
  /** The clock, in milliseconds since the Unix epoch. Default Date.now. */
  now?: () => number
  /**
   * Seal a random session ID into every new session (and give one to a
   * session without one when it is sealed again), for revocation of one
   * session. Costs 17 bytes of plaintext, 23 characters of cookie. Default
   * false; sealSession and Cookies.login seal one whatever this says.
   */
  sessionIds?: boolean
}

/** What opening a cookie learns besides its value. */
export interface Info {
  /**
   * When the session's current lifetime started, Unix seconds. Always exact:
   * a cookie opens only if it is at most 60 s in the future and at most
   * maxAge (a safe integer) old.
   */
  issuedAt: number
  /**
   * When the session started (login), Unix seconds; equal to issuedAt when
   * the cookie does not say. A number, or a bigint beyond +-(2^53 - 1): a
   * sealer may write any 64-bit created-at up to issuedAt, and a re-issue
   * must keep it exactly (SPEC.md 3.1).
   */
  createdAt: number | bigint
  /** The ID of the key that opened it, eight lowercase hex digits. */
  keyId: string
  /** The cookie should be sealed again and sent: its key no longer seals, or it is older than refreshAge. */
  reissue: boolean
  /** The re-issue is a refresh (older than refreshAge): move issuedAt to now. Otherwise a re-issue keeps issuedAt. */
  refresh: boolean
  /** The payload is typed session values (written by Go's gorilla/sessions support or sealValues). */
  typed: boolean
  /** The payload was compressed. */
  compressed: boolean
  /** The session's random ID, 32 lowercase hex digits, fixed at login and kept by every re-issue; '' when the cookie has none. */
  sessionId: string
  /** The application's subject (user ID) given at login, or ''. */
  subject: string
}

/** The times a sealer writes; both default to now. */
export interface SealTimes {
  issuedAt?: number | bigint
  createdAt?: number | bigint
  /** The session ID to seal (32 hex digits), or 'new' for a new random one; absent: none (or a new one with sessionIds). */
  sessionId?: string
  /** The subject to seal with the session ID (at most 255 bytes of UTF-8). */
  subject?: string
}

export interface Opened<T = unknown> {
  value: T
  info: Info
}

export interface KeyUsage {
  keyId: string
  /** This key seals new cookies. */
  primary: boolean
  /** Cookies it opened since the codec was made. */
  opened: number
  /** When it last opened one, milliseconds since the epoch; 0 if never. */
  lastOpened: number
  /** Cookies it sealed since the codec was made. */
  sealed: number
  /** When it last sealed one, ms since the epoch; 0 if never. */
  lastSealed: number
  /**
   * For a key that no longer seals: the time (ms since the epoch) after which
   * no cookie this process sealed with it can open: its last seal, or when it
   * stopped sealing or the codec was made (another process may have sealed
   * with it until then), whichever is latest, plus maxAge and 60 s. 0 for
   * the sealing key. Across a fleet the latest of every process counts.
   */
  retireAfter: number
}

function nonNegative(name: string, v: number | undefined, def: number): number {
  if (v === undefined) return def
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0) {
    throw new ConfigError(`cookieseal: ${name} must be a whole non-negative number, got ${String(v)}`)
  }
  return v === 0 ? def : v
}

function byteLength(s: string): number {
  return backend().utf8Length(s)
}

// Every nonce is drawn from crypto.getRandomValues when it is used, never
// from a batch drawn in advance: a process snapshot (a V8 startup snapshot, a
// VM or serverless snapshot) restored twice would replay such a batch, and
// seal two cookies under one nonce and key (SESSIONS.md S5.8).
function randomNonce(): Uint8Array {
  return crypto.getRandomValues(new Uint8Array(NONCE_SIZE))
}

/** Returns a new secret of 256 random bits, base64url encoded (43 characters). */
export function generateSecret(): string {
  return encodeBase64url(crypto.getRandomValues(new Uint8Array(32)))
}

/**
 * Seals values into cookie values and opens them. Immutable apart from the
 * keyring (setSecrets) and the usage counters.
 */
export class Codec {
  readonly maxAge: number
  readonly maxLifetime: number
  readonly refreshAge: number
  readonly maxLength: number
  readonly maxPayload: number
  readonly compress: boolean
  readonly sessionIds: boolean
  readonly #now: () => number
  readonly #started: number
  #ring: Key[]

  constructor(options: CodecOptions) {
    if (typeof options !== 'object' || options === null) throw new ConfigError('cookieseal: options needed, with secrets')
    this.maxAge = nonNegative('maxAge', options.maxAge, DEFAULT_MAX_AGE)
    this.maxLifetime = nonNegative('maxLifetime', options.maxLifetime, 0)
    this.refreshAge = nonNegative('refreshAge', options.refreshAge, 0)
    this.maxLength = nonNegative('maxLength', options.maxLength, DEFAULT_MAX_LENGTH)
    this.maxPayload = nonNegative('maxPayload', options.maxPayload, DEFAULT_MAX_PAYLOAD)
    this.compress = options.compress === true
    this.sessionIds = options.sessionIds === true
    this.#now = options.now ?? Date.now
    this.#ring = buildRing(options.secrets)
    this.#started = this.#now()
  }

  /** Replaces the keyring (first seals, every one opens). Counters survive for keys that stay. A refused list leaves the ring as it was. */
  setSecrets(secrets: readonly string[]): void {
    const ring = buildRing(secrets)
    for (const k of ring) {
      const old = this.#ring.find((o) => o.id === k.id)
      if (old) Object.assign(k, { opened: old.opened, lastOpened: old.lastOpened, sealed: old.sealed, lastSealed: old.lastSealed, demoted: old.demoted })
    }
    if (this.#ring[0]!.id !== ring[0]!.id) {
      const was = ring.find((k) => k.id === this.#ring[0]!.id)
      if (was) was.demoted = this.#now()
    }
    this.#ring = ring
  }

  /** The key IDs of the ring in order; the first one seals. */
  get keyIds(): string[] {
    return this.#ring.map((k) => k.idHex)
  }

  /** Usage of every key of the ring, the sealing key first. Only successful opens count. */
  keyUsage(): KeyUsage[] {
    return this.#ring.map((k, i) => ({
      keyId: k.idHex,
      primary: i === 0,
      opened: k.opened,
      lastOpened: k.lastOpened,
      sealed: k.sealed,
      lastSealed: k.lastSealed,
      retireAfter: i === 0 ? 0 : Math.max(k.lastSealed, k.demoted, this.#started) + (this.maxAge + MAX_CLOCK_SKEW) * 1000,
    }))
  }

  /** Now in whole Unix seconds (the clock truncated). */
  nowSeconds(): bigint {
    return BigInt(Math.floor(this.#now() / 1000))
  }

  /**
   * Seals value, serialized as strict JSON, for the cookie called name.
   * Throws CookieTooLargeError if the cookie would pass maxLength or the
   * JSON maxPayload, UnsupportedValueError for what JSON cannot carry.
   */
  seal(name: string, value: unknown, times?: SealTimes): string {
    // stringify writes only strict JSON (depth, surrogates, numbers): no re-check.
    return this.sealJSON(name, stringify(value), false, times, this.maxLength, false)
  }

  /**
   * seal for a login: a new session with a new random session ID and the
   * application's subject (its user ID, at most 255 bytes of UTF-8; '' for
   * none), which info.sessionId and info.subject report and reissue keeps.
   */
  sealSession(name: string, value: unknown, subject = ''): string {
    return this.seal(name, value, { sessionId: 'new', subject })
  }

  /**
   * Seals session values in the typed form (flag 0x02), for a Go program
   * that reads them into a map[interface{}]interface{} (gorilla/sessions).
   * values is a plain object or a Map; see values.ts for the types.
   */
  sealValues(name: string, values: unknown, times?: SealTimes): string {
    return this.sealJSON(name, encodeValues(values), true, times)
  }

  /** Seals JSON text as it is (it must be strict JSON; typed: a typed-values map). */
  sealJSON(name: string, json: string, typed = false, times?: SealTimes, limit = this.maxLength, check = true): string {
    const body = encodeUTF8(json)
    // Never write what an opener refuses.
    if (check) try {
      const tree = parseTree(json)
      if (typed) {
        const v = fromTree(tree)
        if (!(v instanceof Typed) || v.tag !== 'map') throw new FormatError('typed values must be a map')
      }
    } catch (e) {
      if (e instanceof FormatError) throw new UnsupportedValueError(`cookieseal: not sealable: ${e.message}`)
      throw e
    }
    return this.sealBody(name, body, typed ? FLAG_TYPED : 0, times, limit)
  }

  /** @internal Seals a payload already checked. */
  sealBody(name: string, payload: Uint8Array, flags: number, times: SealTimes | undefined, limit: number): string {
    if (typeof name !== 'string' || !wellFormed(name)) throw new UnsupportedValueError('cookieseal: a cookie name must be a string without lone surrogates')
    if (payload.length > this.maxPayload) {
      throw new CookieTooLargeError(`cookieseal: value is ${payload.length} bytes of JSON, limit ${this.maxPayload}`)
    }
    let body = payload
    if (this.compress && payload.length >= COMPRESS_MIN) {
      const z = deflateRaw(payload)
      if (z.length < payload.length) { body = z; flags |= FLAG_DEFLATE }
    }
    const now = this.nowSeconds()
    const issuedAt = times?.issuedAt !== undefined ? BigInt(times.issuedAt) : now
    const createdAt = times?.createdAt !== undefined ? BigInt(times.createdAt) : issuedAt
    if (createdAt > issuedAt) throw new UnsupportedValueError('cookieseal: createdAt after issuedAt')
    const withCreated = createdAt !== issuedAt
    if (withCreated) flags |= FLAG_CREATED
    const identity = this.#identity(times)
    if (identity) flags |= FLAG_IDENTITY
    const idLen = identity ? SESSION_ID_SIZE + 1 + identity.subject.length : 0
    // Length hiding (SPEC.md 5.4).
    if (!(flags & FLAG_DEFLATE)) body = padPayload(body, TIME_SIZE * (withCreated ? 2 : 1) + idLen, this.maxPayload, limit - byteLength(name) - 1)
    const n = HEADER_SIZE + NONCE_SIZE + TIME_SIZE * (withCreated ? 2 : 1) + idLen + body.length + TAG_SIZE
    const size = byteLength(name) + 1 + Math.ceil((n * 4) / 3)
    if (size > limit) throw new CookieTooLargeError(`cookieseal: ${size} bytes with the name, limit ${limit}`)
    const k = this.#ring[0]!
    const raw = sealBytes({
      key: k.key,
      keyId: k.id,
      flags,
      nonce: randomNonce(),
      issuedAt,
      createdAt: withCreated ? createdAt : undefined,
      identity,
      body,
      name,
    })
    k.sealed++
    k.lastSealed = this.#now()
    return backend().encodeBase64url(raw)
  }

  /** The identity block to seal for times (SPEC.md flag 0x08), or undefined for none. */
  #identity(times: SealTimes | undefined): { sessionId: Uint8Array; subject: Uint8Array } | undefined {
    let sid = times?.sessionId
    const subject = times?.subject ?? ''
    if (typeof subject !== 'string' || !wellFormed(subject)) throw new UnsupportedValueError('cookieseal: a subject must be a string without lone surrogates')
    const sub = encodeUTF8(subject)
    if (sub.length > MAX_SUBJECT) throw new UnsupportedValueError(`cookieseal: a subject is at most ${MAX_SUBJECT} bytes of UTF-8`)
    if ((sid === undefined || sid === '') && (this.sessionIds || sub.length > 0)) sid = 'new'
    if (sid === undefined || sid === '') return undefined
    let id: Uint8Array
    if (sid === 'new') {
      id = crypto.getRandomValues(new Uint8Array(SESSION_ID_SIZE))
    } else {
      if (typeof sid !== 'string' || !/^[0-9a-f]{32}$/.test(sid)) throw new UnsupportedValueError('cookieseal: a session ID is 32 lowercase hex digits')
      id = new Uint8Array(SESSION_ID_SIZE)
      for (let i = 0; i < SESSION_ID_SIZE; i++) id[i] = parseInt(sid.slice(2 * i, 2 * i + 2), 16)
    }
    return { sessionId: id, subject: sub }
  }

  /**
   * Opens a cookie value sealed for the cookie called name. Plain JSON comes
   * back as parsed (integers outside +-(2^53 - 1) as bigint); typed session
   * values in their natural view (values.ts). Throws one of
   * InvalidCookieError, ExpiredCookieError, UnknownKeyError,
   * CookieTooLargeError.
   */
  open<T = unknown>(name: string, cookie: string, limit = this.maxLength): Opened<T> {
    const { payload, info, key } = this.openPayload(name, cookie, limit)
    const value = parsePayload(payload, info.typed) as T
    this.#count(key)
    return { value, info }
  }

  /** Opens a cookie and gives its JSON text as sealed (typed values validated too). */
  openRaw(name: string, cookie: string, limit = this.maxLength): { json: string; info: Info } {
    const { payload, info, key } = this.openPayload(name, cookie, limit)
    const json = guard(() => {
      const s = decodeUTF8(payload)
      const tree = parseTree(s)
      if (info.typed) checkTypedMap(tree)
      return s
    })
    this.#count(key)
    return { json, info }
  }

  /**
   * Opens a cookie as session values, exactly: a Typed map whose values keep
   * their Go types, to change and give back with sealValues. A plain JSON
   * cookie must hold an object; its integers become int, other numbers
   * float64.
   */
  openValues(name: string, cookie: string, limit = this.maxLength): Opened<Typed> {
    const { payload, info, key } = this.openPayload(name, cookie, limit)
    const value = guard(() => {
      const tree = parseTree(decodeUTF8(payload))
      return info.typed ? checkTypedMap(tree) : plainToValues(tree)
    })
    this.#count(key)
    return { value, info }
  }

  /**
   * Seals value again after open said info.reissue: a refresh moves
   * issuedAt to now; a re-issue for a rotated key keeps it. Both keep
   * createdAt, and typed values stay typed.
   */
  reissue(name: string, value: unknown, info: Info): string {
    const times: SealTimes = { issuedAt: info.refresh ? undefined : info.issuedAt, createdAt: info.createdAt, sessionId: info.sessionId, subject: info.subject }
    return info.typed ? this.sealValues(name, value, times) : this.seal(name, value, times)
  }

  /** @internal Opens to the payload bytes, checking steps 1-7 of SPEC.md section 4. */
  openPayload(name: string, cookie: string, limit: number): { payload: Uint8Array; info: Info; key: Key } {
    if (typeof cookie !== 'string') throw new InvalidCookieError('cookieseal: invalid cookie: not a string')
    if (typeof name !== 'string' || !wellFormed(name)) throw new InvalidCookieError('cookieseal: invalid cookie: the name has a lone surrogate')
    const size = byteLength(name) + 1 + byteLength(cookie)
    if (size > limit) throw new CookieTooLargeError(`cookieseal: cookie too large: ${size} bytes with the name, limit ${limit}`)
    const raw = backend().decodeBase64url(cookie)
    if (!raw) throw new InvalidCookieError('cookieseal: invalid cookie: not canonical unpadded base64url')
    if (raw.length < MIN_SIZE) throw new InvalidCookieError(`cookieseal: invalid cookie: ${raw.length} bytes, a cookie has at least ${MIN_SIZE}`)
    if (raw[0] !== VERSION) throw new InvalidCookieError(`cookieseal: invalid cookie: unknown format version ${raw[0]}`)
    const flags = raw[5]!
    if (flags & ~FLAGS_KNOWN) throw new InvalidCookieError(`cookieseal: invalid cookie: unknown flags 0x${flags.toString(16).padStart(2, '0')}`)
    const id = new DataView(raw.buffer, raw.byteOffset).getUint32(1)
    const ring = this.#ring
    const k = ring.find((x) => x.id === id)
    if (!k) throw new UnknownKeyError(id.toString(16).padStart(8, '0'))
    const plain = openBytes(raw, k.key, name)
    // A forgery's one error, made without a stack walk: refusing one costs no more than opening.
    if (!plain) throw withoutStack(() => new InvalidCookieError('cookieseal: invalid cookie: tampered, or sealed for another cookie name'))

    const pv = new DataView(plain.buffer, plain.byteOffset, plain.byteLength)
    const issued = pv.getBigInt64(0)
    let created = issued
    let bodyAt = TIME_SIZE
    if (flags & FLAG_CREATED) {
      if (plain.length < 2 * TIME_SIZE) throw new InvalidCookieError('cookieseal: invalid cookie: created-at flag without a created-at')
      created = pv.getBigInt64(8)
      bodyAt = 2 * TIME_SIZE
      if (created > issued) throw new InvalidCookieError('cookieseal: invalid cookie: created after it was issued')
    }
    let sessionId = '', subject = ''
    if (flags & FLAG_IDENTITY) {
      if (plain.length < bodyAt + SESSION_ID_SIZE + 1) throw new InvalidCookieError('cookieseal: invalid cookie: identity flag without a session ID')
      const n = plain[bodyAt + SESSION_ID_SIZE]!
      const end = bodyAt + SESSION_ID_SIZE + 1 + n
      if (plain.length < end) throw new InvalidCookieError('cookieseal: invalid cookie: subject longer than the plaintext')
      try {
        subject = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(plain.subarray(bodyAt + SESSION_ID_SIZE + 1, end))
      } catch {
        throw new InvalidCookieError('cookieseal: invalid cookie: subject is not UTF-8')
      }
      sessionId = Array.from(plain.subarray(bodyAt, bodyAt + SESSION_ID_SIZE), (b) => b.toString(16).padStart(2, '0')).join('')
      bodyAt = end
    }
    const now = this.nowSeconds()
    if (issued > now + BigInt(MAX_CLOCK_SKEW)) throw new InvalidCookieError(`cookieseal: invalid cookie: issued more than ${MAX_CLOCK_SKEW}s in the future`)
    const age = now - issued
    if (age > BigInt(this.maxAge)) throw new ExpiredCookieError(`cookieseal: cookie expired: older than the max age of ${this.maxAge}s`)
    if (this.maxLifetime > 0 && now - created > BigInt(this.maxLifetime)) {
      throw new ExpiredCookieError(`cookieseal: cookie expired: session older than the max lifetime of ${this.maxLifetime}s`)
    }

    let payload = plain.subarray(bodyAt)
    if (flags & FLAG_DEFLATE) {
      try {
        payload = inflateCapped(payload, this.maxPayload)
      } catch (e) {
        if (e instanceof FormatError) throw new InvalidCookieError(`cookieseal: invalid cookie: ${e.message}`)
        throw e
      }
    } else if (payload.length > this.maxPayload) {
      throw new CookieTooLargeError(`cookieseal: cookie too large: value is ${payload.length} bytes of JSON, limit ${this.maxPayload}`)
    }
    const refresh = this.refreshAge > 0 && age >= BigInt(this.refreshAge)
    const info: Info = {
      issuedAt: Number(issued),
      createdAt: exactSeconds(created),
      keyId: k.idHex,
      reissue: k !== ring[0] || refresh,
      refresh,
      typed: (flags & FLAG_TYPED) !== 0,
      compressed: (flags & FLAG_DEFLATE) !== 0,
      sessionId,
      subject,
    }
    return { payload, info, key: k }
  }

  #count(k: Key): void {
    k.opened++
    k.lastOpened = this.#now()
  }
}

/** A 64-bit time as a number when that is exact, else as the bigint. */
function exactSeconds(t: bigint): number | bigint {
  const n = Number(t)
  return Number.isSafeInteger(n) ? n : t
}

function guard<T>(f: () => T): T {
  try {
    return f()
  } catch (e) {
    if (e instanceof FormatError) throw new InvalidCookieError(`cookieseal: invalid cookie: ${payloadRule(e)}`)
    throw e
  }
}

/**
 * The rule a payload breaks, never what it holds: the parsers' messages
 * quote numbers, tags and offsets of decrypted content, and an application
 * that logs an open error must not log session content (SPEC.md 4).
 */
function payloadRule(e: FormatError): string {
  if (e.message.includes('must hold an object')) return 'payload is not a JSON object, so not session values'
  if (e.message.startsWith('typed values')) return 'payload is not well-formed session values (SPEC.md section 6)'
  return 'payload is not strict JSON (SPEC.md section 5.3)'
}

function checkTypedMap(tree: ReturnType<typeof parseTree>): Typed {
  const v = fromTree(tree)
  if (!(v instanceof Typed) || v.tag !== 'map') throw new FormatError('typed values: the payload is not a map')
  return v
}

function parsePayload(payload: Uint8Array, typed: boolean): unknown {
  return guard(() => {
    const s = decodeUTF8(payload)
    if (!typed) return parseJSON(s)
    return toNatural(checkTypedMap(parseTree(s)))
  })
}
