/**
 * Cookie helpers for the Web platform (Request/Headers/Response: Next.js
 * route handlers and middleware, Hono, SvelteKit, Remix, Workers, Deno, Bun)
 * following SESSIONS.md, with the same attributes, defaults and chunk layout
 * as the Go package's Cookies (SPEC.md section 10):
 *
 * - The Cookie header is parsed as SESSIONS.md S2 says: pieces trimmed of SP
 *   and HTAB only, names that are RFC 9110 tokens, values of visible ASCII.
 * - HttpOnly always; Secure, SameSite=Lax, Path=/ and host-only by default;
 *   Max-Age the codec's maxAge on every cookie set; an optional `__Host-` or
 *   `__Secure-` prefix; `Cache-Control: no-store` and `Vary: Cookie` on every
 *   response that sets or deletes one.
 * - A sealed value too long for one cookie is cut into N >= 2 parts: cookie
 *   `name` holds `N.` then part 0, `name.1` ... `name.N-1` the rest. Every
 *   cookie but the last is filled to maxLength, name included.
 * - Reading does a bounded amount of work whatever the request holds
 *   (SESSIONS.md S4): at most 4 attempts, each assembling one value of at
 *   most maxChunks cookies.
 *
 * Reading never writes: when `info.reissue` is set, the application judges
 * the session first and then calls `reissue` (rotation: keeps issuedAt) or
 * `refresh` (moves issuedAt to now). `write` starts a new session (login).
 */
import { Codec, type Info, type SealTimes } from './codec.js'
import { ConfigError, CookieTooLargeError, ExpiredCookieError, InvalidCookieError } from './errors.js'
import { decodeBase64url } from './base64url.js'
import { FLAGS_KNOWN, VERSION } from './format.js'
import { encodeValues, type Typed } from './values.js'
import { stringify } from './json.js'

export const DEFAULT_MAX_CHUNKS = 10
/**
 * The most bytes of name=value one value's cookies may take, "; " between
 * parts included, when writing (SPEC 10): one cookie by default, since a
 * stock nginx refuses responses whose headers pass 4 KB. Readers do not
 * apply it.
 */
export const DEFAULT_MAX_HEADER_BYTES = 3072
const MIN_HEADER_BYTES = 256
const MAX_CHUNKS_LIMIT = 50
const MIN_CHUNK_SIZE = 64
/** SESSIONS.md S4.4: the list of attempts is cut after this many. */
const MAX_ATTEMPTS = 4
const HOST_PREFIX = '__Host-'
const SECURE_PREFIX = '__Secure-'

/** The Domain and Path under which a browser keeps a cookie. */
export interface CookieScope {
  /** The Domain attribute; empty or absent for a host-only cookie. */
  domain?: string
  /** The Path attribute; empty or absent means "/". */
  path?: string
}

export interface CookieOptions {
  /** The Path attribute. Default "/". */
  path?: string
  /** The Domain attribute. Default none: host-only cookies no sibling subdomain can read or shadow. */
  domain?: string
  /** SameSite. Default "Lax"; "None" needs Secure. */
  sameSite?: 'Lax' | 'Strict' | 'None'
  /**
   * Put "__Host-" before every cookie name (needs path "/" and no domain): the
   * recommended production setting. Names given to read/write stay without it.
   */
  hostPrefix?: boolean
  /** Put "__Secure-" before every cookie name (sent only with Secure; path and domain allowed). Not with hostPrefix. */
  securePrefix?: boolean
  /** Drop Secure (and so the prefix) for plain-http local development. Never in production. */
  insecure?: boolean
  /**
   * The part limit: the most cookies one value may span, for writing and
   * reading alike. Default 10; 1 turns chunking off; at most 50. A reader
   * refuses (too large) a session counted over its own limit, so lower it on
   * every writer first, and on readers one maxAge later.
   */
  maxChunks?: number
  /** The most bytes of name=value (and "; " between parts) one value's cookies may take when written. Default 3072: one cookie. Reading does not apply it. */
  maxHeaderBytes?: number
  /**
   * The Domain and Path of cookies of the same name that an earlier
   * deployment set (a migration). Every write and delete first expires the
   * cookie under each of them, so that an old cookie cannot shadow the new
   * one and logout ends the session. The cookies' own scope, and a prefix
   * (the old cookies had another name), are configuration errors.
   */
  legacyScopes?: readonly CookieScope[]
}

/** Where cookies are read from: a Request, Headers, or a Cookie header string. */
export type CookieSource = { headers: { get(name: string): string | null } } | { get(name: string): string | null } | string | null | undefined

/** Where Set-Cookie lines go: Headers (or a Response's headers). */
export interface HeaderSink {
  append(name: string, value: string): void
  set(name: string, value: string): void
  get?(name: string): string | null
  delete?(name: string): void
  getSetCookie?(): string[]
}

// ---- the Cookie header (SESSIONS.md S2) ----

/** RFC 9110 tchar, by character code. */
const TCHAR = (() => {
  const t = new Uint8Array(128)
  for (const c of "!#$%&'*+-.^_`|~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz") t[c.charCodeAt(0)] = 1
  return t
})()
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/

function isSpHt(c: number): boolean {
  return c === 0x20 || c === 0x09
}

/** Whether s[a:b] is a token (one or more tchar). */
function isToken(s: string, a: number, b: number): boolean {
  if (a >= b) return false
  for (let i = a; i < b; i++) {
    const c = s.charCodeAt(i)
    if (c >= 128 || TCHAR[c] !== 1) return false
  }
  return true
}

/** Whether s[a:b] is a value S2 step 5 keeps: bytes 0x20-0x7E but '"', ';' and a backslash. */
function isCookieValue(s: string, a: number, b: number): boolean {
  for (let i = a; i < b; i++) {
    const c = s.charCodeAt(i)
    if (c < 0x20 || c > 0x7e || c === 0x22 || c === 0x3b || c === 0x5c) return false
  }
  return true
}

/**
 * Scans a Cookie header as SESSIONS.md S2 says and calls add(name, value)
 * for every pair kept, in header order. want, when given, sees each token
 * name as a range of the header before anything is allocated for it, and
 * drops the pairs it does not want.
 */
function scanCookies(header: string, add: (name: string, value: string) => void, want?: (h: string, a: number, b: number) => boolean): void {
  const n = header.length
  let i = 0
  while (i <= n) {
    let end = header.indexOf(';', i)
    if (end < 0) end = n
    let a = i, b = end
    i = end + 1
    while (a < b && isSpHt(header.charCodeAt(a))) a++
    while (b > a && isSpHt(header.charCodeAt(b - 1))) b--
    if (a === b) continue
    let eq = a
    while (eq < b && header.charCodeAt(eq) !== 0x3d) eq++
    if (eq === b) continue // no "=": skipped
    let ne = eq
    while (ne > a && isSpHt(header.charCodeAt(ne - 1))) ne--
    if (!isToken(header, a, ne)) continue
    if (want && !want(header, a, ne)) continue
    let va = eq + 1, vb = b
    while (va < vb && isSpHt(header.charCodeAt(va))) va++
    if (vb - va >= 2 && header.charCodeAt(va) === 0x22 && header.charCodeAt(vb - 1) === 0x22) { va++; vb-- }
    if (!isCookieValue(header, va, vb)) continue
    add(header.slice(a, ne), header.slice(va, vb))
  }
}

/**
 * Parses a Cookie header into [name, value] pairs in header order,
 * duplicates kept, as SESSIONS.md S2 says: pieces are trimmed of SP and HTAB
 * only (never of U+00A0 or other Unicode spaces), a piece without "=" or whose
 * name is not an RFC 9110 token is skipped, quotes around a value are dropped,
 * and a value with a byte outside 0x20-0x7E, '"', ';' or a backslash is skipped.
 */
export function parseCookieHeader(header: string | null | undefined): [string, string][] {
  const out: [string, string][] = []
  if (header) scanCookies(header, (n, v) => out.push([n, v]))
  return out
}

function cookieHeaderOf(src: CookieSource): string | null {
  if (src == null) return null
  if (typeof src === 'string') return src
  if ('headers' in src && src.headers && typeof src.headers.get === 'function') return src.headers.get('cookie')
  if (typeof (src as { get?: unknown }).get === 'function') return (src as { get(n: string): string | null }).get('cookie')
  return null
}

/** Parses canonical decimal (no sign, no leading zero); -1 otherwise. Huge counts come out as Infinity. */
function parseDecimal(s: string): number {
  if (!/^(0|[1-9][0-9]*)$/.test(s)) return -1
  return s.length > 6 ? Infinity : Number(s)
}

function chunkName(name: string, i: number): string {
  return i === 0 ? name : `${name}.${i}`
}

/** k when cookie is name.k, k canonical decimal in 1 ... limit; 0 otherwise. */
function chunkIndex(name: string, cookie: string, limit = MAX_CHUNKS_LIMIT): number {
  if (!cookie.startsWith(name + '.')) return 0
  const i = parseDecimal(cookie.slice(name.length + 1))
  return i >= 1 && i <= limit ? i : 0
}

/** chunkIndex on the range h[a:b] of a header, without allocating. */
function chunkIndexAt(name: string, h: string, a: number, b: number, limit: number): number {
  const d = a + name.length + 1
  if (d >= b || b - d > 6 || h.charCodeAt(d - 1) !== 0x2e || !h.startsWith(name, a)) return 0
  if (h.charCodeAt(d) === 0x30) return 0 // a leading zero (or 0 itself)
  let k = 0
  for (let i = d; i < b; i++) {
    const c = h.charCodeAt(i)
    if (c < 0x30 || c > 0x39) return 0
    k = k * 10 + (c - 0x30)
  }
  return k <= limit ? k : 0
}

/** Whether a first-cookie value starts like a cookieseal cookie (an optional count and "."). */
function looksSealed(head: string): boolean {
  const dot = head.indexOf('.')
  if (dot >= 0) {
    if (parseDecimal(head.slice(0, dot)) < 2) return false
    head = head.slice(dot + 1)
  }
  if (head.length < 8) return false
  const raw = decodeBase64url(head.slice(0, 8))
  return raw !== undefined && raw[0] === VERSION && (raw[5]! & ~FLAGS_KNOWN) === 0
}

/** Whether two scopes are the same: Domain compared without a leading "." and in any case, Path exactly ("" is "/"). */
function sameScope(d1: string, p1: string, d2: string, p2: string): boolean {
  return d1.replace(/^\./, '').toLowerCase() === d2.replace(/^\./, '').toLowerCase() && (p1 || '/') === (p2 || '/')
}

const DOMAIN = /^\.?[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*$/

function checkScope(what: string, domain: string, path: string): void {
  if (!path.startsWith('/') || /[;\x00-\x1f\x7f-\uffff]/.test(path)) throw new ConfigError(`cookieseal: ${what}path must start with / and hold no ";", control or non-ASCII character`)
  if (domain && !DOMAIN.test(domain)) throw new ConfigError(`cookieseal: ${what}bad domain`)
}

/** What reading a session found. */
export interface Session<T = unknown> {
  value: T
  info: Info
}

/** The BigInt of a sealed time. */
function big(t: number | bigint): bigint {
  return typeof t === 'bigint' ? t : BigInt(t)
}

export class Cookies {
  readonly codec: Codec
  readonly #path: string
  readonly #domain: string
  readonly #sameSite: string
  readonly #secure: boolean
  readonly #prefix: string
  readonly #maxChunks: number
  readonly #headerBytes: number
  readonly #legacy: { domain: string; path: string }[]

  constructor(codec: Codec, opts: CookieOptions = {}) {
    if (!(codec instanceof Codec)) throw new ConfigError('cookieseal: Cookies needs a Codec')
    this.codec = codec
    this.#path = opts.path || '/'
    this.#domain = opts.domain ?? ''
    this.#sameSite = opts.sameSite ?? 'Lax'
    this.#secure = !opts.insecure
    this.#maxChunks = opts.maxChunks || DEFAULT_MAX_CHUNKS
    this.#headerBytes = opts.maxHeaderBytes || DEFAULT_MAX_HEADER_BYTES
    if (opts.hostPrefix && opts.securePrefix) throw new ConfigError('cookieseal: hostPrefix and securePrefix: choose one')
    // An insecure configuration writes no Secure attribute, and so no prefix (SESSIONS.md S3.3).
    this.#prefix = opts.insecure ? '' : opts.hostPrefix ? HOST_PREFIX : opts.securePrefix ? SECURE_PREFIX : ''
    if (!Number.isInteger(this.#maxChunks) || this.#maxChunks < 1 || this.#maxChunks > MAX_CHUNKS_LIMIT) {
      throw new ConfigError(`cookieseal: maxChunks ${opts.maxChunks}, want 1 to ${MAX_CHUNKS_LIMIT}`)
    }
    if (!Number.isInteger(this.#headerBytes) || this.#headerBytes < MIN_HEADER_BYTES) {
      throw new ConfigError(`cookieseal: maxHeaderBytes ${opts.maxHeaderBytes}, want at least ${MIN_HEADER_BYTES}`)
    }
    if (!['Lax', 'Strict', 'None'].includes(this.#sameSite)) throw new ConfigError(`cookieseal: unknown sameSite ${this.#sameSite}`)
    if (this.#sameSite === 'None' && !this.#secure) throw new ConfigError('cookieseal: sameSite None needs Secure, so it cannot go with insecure')
    if (opts.hostPrefix && (this.#path !== '/' || this.#domain !== '')) throw new ConfigError('cookieseal: hostPrefix needs path "/" and no domain')
    checkScope('', this.#domain, this.#path)
    const legacy = opts.legacyScopes ?? []
    if (!Array.isArray(legacy)) throw new ConfigError('cookieseal: legacyScopes must be a list of { domain, path }')
    if (this.#prefix && legacy.length > 0) {
      throw new ConfigError('cookieseal: legacyScopes needs no prefix: cookies of an earlier deployment had another name')
    }
    this.#legacy = []
    for (const l of legacy) {
      const domain = l?.domain ?? '', path = l?.path || '/'
      if (typeof domain !== 'string' || typeof path !== 'string') throw new ConfigError('cookieseal: legacyScopes: domain and path must be strings')
      checkScope('legacyScopes: ', domain, path)
      if (sameScope(domain, path, this.#domain, this.#path)) {
        // Expiring it would expire the cookie a write has just set.
        throw new ConfigError(`cookieseal: legacyScopes: domain ${JSON.stringify(domain)} and path ${JSON.stringify(path)} are the cookies' own`)
      }
      if (!this.#legacy.some((o) => sameScope(o.domain, o.path, domain, path))) this.#legacy.push({ domain, path })
    }
  }

  /**
   * The attributes every cookie this writes carries, and the prefix it puts
   * before names (for integrations that write through a framework's own
   * cookie API, such as Next.js's cookies()).
   */
  get attributes(): { path: string; domain: string; sameSite: 'Lax' | 'Strict' | 'None'; secure: boolean; httpOnly: true; prefix: string; maxAge: number } {
    return { path: this.#path, domain: this.#domain, sameSite: this.#sameSite as 'Lax' | 'Strict' | 'None', secure: this.#secure, httpOnly: true, prefix: this.#prefix, maxAge: this.codec.maxAge }
  }

  /** Whether legacyScopes are configured. */
  get hasLegacyScopes(): boolean {
    return this.#legacy.length > 0
  }

  // ---- layout ----

  /** Checks a configured name (SESSIONS.md S3.1) and returns it with the prefix. */
  #fullName(name: string): string {
    if (typeof name !== 'string' || !TOKEN.test(name)) throw new ConfigError(`cookieseal: cookie name ${JSON.stringify(name)} is not a valid cookie name`)
    if (/\.[0-9]+$/.test(name)) {
      throw new ConfigError(`cookieseal: cookie name ${JSON.stringify(name)} ends in "." and digits, as the names of parts do`)
    }
    const lower = name.toLowerCase()
    if (lower.startsWith('__host-') || lower.startsWith('__secure-')) {
      throw new ConfigError(`cookieseal: cookie name ${JSON.stringify(name)}: use the hostPrefix or securePrefix option rather than a prefix in the name`)
    }
    const full = this.#prefix + name
    if (chunkCap(this.#limits(), full, this.#maxChunks - 1, this.#maxChunks) < MIN_CHUNK_SIZE) {
      throw new ConfigError(`cookieseal: cookie name ${JSON.stringify(name)} is too long for maxLength ${this.codec.maxLength}`)
    }
    return full
  }

  #limits(): Limits {
    return { maxLength: this.codec.maxLength, maxParts: this.#maxChunks, maxHeaderBytes: this.#headerBytes }
  }

  #read<R>(src: CookieSource, name: string, open: (full: string, v: string) => R): R | undefined {
    const full = this.#fullName(name)
    const found = new Found(full, this.#maxChunks)
    const header = cookieHeaderOf(src)
    // Only pairs named full or full.k are kept, so other cookies cost no allocation.
    if (header) scanCookies(header, (n, v) => found.add(n, v), (h, a, b) => found.wants(h, a, b))
    let first: unknown
    let any = false
    for (const c of found.attempts(this.codec.maxLength)) {
      any = true
      try {
        if ('error' in c) throw c.error
        return open(full, c.joined)
      } catch (e) {
        if (first === undefined) first = e
      }
    }
    if (!any) return undefined
    throw first
  }

  /**
   * Reads and opens the session cookie name from a Request, Headers or
   * Cookie header (SESSIONS.md S4). Returns undefined when there is none;
   * throws one of the four cookie errors for a bad one. Writes nothing.
   */
  read<T = unknown>(src: CookieSource, name: string): Session<T> | undefined {
    return this.#read(src, name, (full, v) => this.codec.open<T>(full, v, full.length + 1 + v.length))
  }

  /** read, giving typed session values exactly (Codec.openValues). */
  readValues(src: CookieSource, name: string): Session<Typed> | undefined {
    return this.#read(src, name, (full, v) => this.codec.openValues(full, v, full.length + 1 + v.length))
  }

  // ---- writing ----

  /**
   * The Set-Cookie lines that store value in cookie name: first the
   * expiries of the cookie under every legacy scope, then the cookies of the
   * value, then the expiries of stale parts the request carries. times:
   * the sealed times (default: now, a new session). typed: seal as typed
   * session values. Every cookie set has Max-Age = the codec's maxAge.
   */
  setCookies(src: CookieSource, name: string, value: unknown, opts: { typed?: boolean; times?: SealTimes } = {}): string[] {
    const full = this.#fullName(name)
    const room = roomFor(this.#limits(), full)
    const json = opts.typed ? encodeValues(value) : stringify(value)
    let v: string
    try {
      v = this.codec.sealJSON(full, json, !!opts.typed, opts.times, full.length + 1 + room, !!opts.typed)
    } catch (e) {
      if (e instanceof CookieTooLargeError) {
        throw new CookieTooLargeError(`cookieseal: cookie ${full} in at most ${this.#maxChunks} cookies and ${this.#headerBytes} bytes of Cookie header: ${e.message}`)
      }
      throw e
    }
    const parts = splitValue(this.#limits(), full, v).map(([, p]) => p)
    const lines = this.#legacyLines(full)
    parts.forEach((p, i) => lines.push(this.#line(chunkName(full, i), p, this.codec.maxAge)))
    for (const i of this.#staleParts(src, full, parts.length)) lines.push(this.#line(chunkName(full, i), '', -1))
    return lines
  }

  /** The Set-Cookie lines that delete cookie name, every part of it, and the cookie under every legacy scope. */
  deleteCookies(src: CookieSource, name: string): string[] {
    const full = this.#fullName(name)
    const lines = this.#legacyLines(full)
    lines.push(this.#line(full, '', -1))
    for (const i of this.#staleParts(src, full, 1)) lines.push(this.#line(chunkName(full, i), '', -1))
    return lines
  }

  /**
   * Starts a new session holding value (issuedAt = createdAt = now), whatever
   * the request carried: call it at login, so that a check such as "created
   * before the password change" sees the new session.
   */
  write(headers: HeaderSink, src: CookieSource, name: string, value: unknown, opts: { typed?: boolean } = {}): void {
    this.#apply(headers, this.#fullName(name), this.setCookies(src, name, value, opts))
  }

  /**
   * Writes value again when info.reissue is set, and does nothing otherwise.
   * Call it after the application has judged the session and accepted it.
   * A rotation re-issue keeps issuedAt; a refresh (info.refresh) moves it to
   * now. createdAt is kept (a createdAt after now becomes now); typed values
   * stay typed. Throws ExpiredCookieError, and writes nothing, when the
   * session's maxLifetime (or, for a rotation, its maxAge) has passed by now.
   */
  reissue(headers: HeaderSink, src: CookieSource, name: string, value: unknown, info: Info): void {
    if (!info.reissue) return
    const times = this.#continued(info, !info.refresh)
    this.#apply(headers, this.#fullName(name), this.setCookies(src, name, value, { typed: info.typed, times }))
  }

  /**
   * Stores a changed session: issuedAt moves to now, createdAt is kept (a
   * createdAt after now, from a server whose clock is ahead, becomes now), so
   * maxLifetime still counts from login. Without info it starts a session.
   * Throws ExpiredCookieError, and writes nothing, when the session's
   * maxLifetime has passed by now: an expired session is never revived.
   */
  refresh(headers: HeaderSink, src: CookieSource, name: string, value: unknown, info?: Info): void {
    const times = info ? this.#continued(info, false) : undefined
    this.#apply(headers, this.#fullName(name), this.setCookies(src, name, value, { typed: info?.typed, times }))
  }

  /** Expires cookie name, its parts, and the cookie under every legacy scope (logout). */
  delete(headers: HeaderSink, src: CookieSource, name: string): void {
    this.#apply(headers, this.#fullName(name), this.deleteCookies(src, name))
  }

  /**
   * The times of a session continued from info at the write clock
   * (SESSIONS.md S6.4 and S6.6): keepIssued keeps issuedAt (a rotation),
   * otherwise it is now; createdAt is kept, or now when it is after now.
   */
  #continued(info: Info, keepIssued: boolean): SealTimes {
    const c = this.codec
    const now = c.nowSeconds()
    const created = big(info.createdAt)
    if (c.maxLifetime > 0 && now - created > BigInt(c.maxLifetime)) {
      throw new ExpiredCookieError(`cookieseal: cookie expired: session older than the max lifetime of ${c.maxLifetime}s`)
    }
    if (keepIssued) {
      if (now - big(info.issuedAt) > BigInt(c.maxAge)) throw new ExpiredCookieError(`cookieseal: cookie expired: older than the max age of ${c.maxAge}s`)
      return { issuedAt: info.issuedAt, createdAt: info.createdAt, sessionId: info.sessionId, subject: info.subject }
    }
    return { createdAt: created > now ? now : info.createdAt, sessionId: info.sessionId, subject: info.subject }
  }

  /**
   * Adds lines to h, replacing the lines an earlier write or delete of this
   * response added for full and its parts in the same scope (SESSIONS.md
   * S5.6); the application's other lines, and its lines for full under
   * another Domain or Path, stay.
   */
  #apply(h: HeaderSink, full: string, lines: string[]): void {
    if (typeof h.getSetCookie === 'function' && typeof h.delete === 'function') {
      const before = h.getSetCookie()
      const legacy = new Set(lines.slice(0, this.#legacy.length))
      const keep = before.filter((l) => !legacy.has(l) && !this.#ours(l, full))
      if (keep.length !== before.length) {
        h.delete('Set-Cookie')
        for (const l of keep) h.append('Set-Cookie', l)
      }
    }
    h.set('Cache-Control', 'no-store')
    this.#vary(h)
    for (const l of lines) h.append('Set-Cookie', l)
  }

  /** Whether a Set-Cookie line sets full or one of its parts in this scope. */
  #ours(line: string, full: string): boolean {
    const pieces = line.split(';')
    const nv = pieces[0]!
    const eq = nv.indexOf('=')
    if (eq < 0) return false
    const n = nv.slice(0, eq).replace(/^[ \t]+|[ \t]+$/g, '')
    if (n !== full && chunkIndex(full, n) === 0) return false
    let domain = '', path = ''
    for (const a of pieces.slice(1)) {
      const i = a.indexOf('=')
      const k = (i < 0 ? a : a.slice(0, i)).replace(/^[ \t]+|[ \t]+$/g, '').toLowerCase()
      const v = i < 0 ? '' : a.slice(i + 1).replace(/^[ \t]+|[ \t]+$/g, '')
      if (k === 'domain') domain = v
      else if (k === 'path') path = v
    }
    return sameScope(domain, path, this.#domain, this.#path)
  }

  /** Adds Cookie to the Vary header (SESSIONS.md S5.7). */
  #vary(h: HeaderSink): void {
    if (typeof h.get !== 'function') {
      h.append('Vary', 'Cookie')
      return
    }
    const v = h.get('Vary')
    if (!v) h.set('Vary', 'Cookie')
    else if (!v.split(',').some((t) => ['cookie', '*'].includes(t.trim().toLowerCase()))) h.set('Vary', `${v}, Cookie`)
  }

  #legacyLines(full: string): string[] {
    return this.#legacy.map((l) => this.#line(full, '', -1, l))
  }

  #staleParts(src: CookieSource, name: string, keep: number): number[] {
    const cookies = parseCookieHeader(cookieHeaderOf(src))
    const carries = cookies.some(([n]) => n === name || chunkIndex(name, n) > 0)
    const out: number[] = []
    if (!carries) {
      const max = partsFor(this.#limits(), name, roomFor(this.#limits(), name))
      for (let i = keep; i < max; i++) out.push(i)
      return out
    }
    const seen = new Set<number>()
    for (const [n] of cookies) {
      const i = chunkIndex(name, n)
      if (i >= keep && !seen.has(i)) { seen.add(i); out.push(i) }
    }
    return out
  }

  /** One Set-Cookie line; maxAge < 0 expires the cookie. scope: a legacy scope instead of the configured one. */
  #line(name: string, value: string, maxAge: number, scope?: { domain: string; path: string }): string {
    const domain = scope ? scope.domain : this.#domain
    let s = `${name}=${value}; Path=${scope ? scope.path : this.#path}`
    if (domain) s += `; Domain=${domain.replace(/^\./, '')}`
    s += `; Max-Age=${maxAge < 0 ? 0 : maxAge}; HttpOnly`
    if (this.#secure) s += '; Secure'
    s += `; SameSite=${this.#sameSite}`
    return s
  }
}

/**
 * The heads and parts of one session among a request's cookies
 * (SESSIONS.md S4 steps 1-3), bounded: at most MAX_ATTEMPTS distinct heads
 * of each kind (each head makes at least one attempt) and two distinct values
 * per part.
 */
class Found {
  readonly sealed: string[] = []
  readonly others: string[] = []
  readonly parts: string[][]
  constructor(readonly name: string, readonly maxParts: number) {
    this.parts = Array.from({ length: maxParts }, () => [])
  }

  /** Whether a token name h[a:b] is the head or a part whose slot has room. */
  wants(h: string, a: number, b: number): boolean {
    if (b - a === this.name.length) return h.startsWith(this.name, a)
    const k = chunkIndexAt(this.name, h, a, b, this.maxParts - 1)
    return k > 0 && this.parts[k]!.length < 2
  }

  add(n: string, v: string): void {
    if (n === this.name) {
      const list = looksSealed(v) ? this.sealed : this.others
      if (list.length < MAX_ATTEMPTS && !list.includes(v)) list.push(v)
      return
    }
    const k = chunkIndex(this.name, n, this.maxParts - 1)
    if (k === 0) return
    const kept = this.parts[k]!
    if (kept.length < 2 && !kept.includes(v)) kept.push(v)
  }

  /**
   * The attempts, in order, at most MAX_ATTEMPTS, each assembled only when
   * asked for: per head an attempt A (the first value of each part) and, when
   * the head's text before its first "." is a count D and some part k < D has
   * a second value, an attempt B (that second value where there is one),
   * whether or not they then assemble.
   */
  *attempts(maxLength: number): Generator<Candidate> {
    let n = 0
    for (const head of this.sealed.concat(this.others)) {
      yield this.#assemble(head, 0, maxLength)
      if (++n >= MAX_ATTEMPTS) return
      const dot = head.indexOf('.')
      const d = dot < 0 ? 0 : Math.min(parseDecimal(head.slice(0, dot)), this.maxParts)
      let second = false
      for (let k = 1; k < d; k++) if (this.parts[k]!.length > 1) second = true
      if (second) {
        yield this.#assemble(head, 1, maxLength)
        if (++n >= MAX_ATTEMPTS) return
      }
    }
  }

  /** SPEC 10 reading step 5 for one attempt: which = 0 (A) or 1 (B). */
  #assemble(head: string, which: number, maxLength: number): Candidate {
    const name = this.name
    let count: number
    try {
      count = headCount(name, head, maxLength, this.maxParts)
    } catch (e) {
      return { error: e as InvalidCookieError | CookieTooLargeError }
    }
    if (count === 0) return { joined: head }
    let out = head.slice(head.indexOf('.') + 1)
    for (let i = 1; i < count; i++) {
      const kept = this.parts[i]!
      const p = kept[which] ?? kept[0]
      if (p === undefined) return { error: new InvalidCookieError(`cookieseal: invalid cookie: ${name}: part ${i} of ${count} is missing`) }
      if (p === '') return { error: new InvalidCookieError(`cookieseal: invalid cookie: ${name}: part ${i} is empty`) }
      const size = chunkName(name, i).length + 1 + p.length
      if (size > maxLength) return { error: new CookieTooLargeError(`cookieseal: cookie too large: ${name}: part ${i} is ${size} bytes with its name, limit ${maxLength}`) }
      out += p
    }
    return { joined: out }
  }
}

/**
 * Steps 5.1-5.3 of SPEC 10 reading for one head: 0 for a value in one
 * cookie, else its part count. Throws the failure.
 */
function headCount(name: string, head: string, maxLength: number, maxParts: number): number {
  if (name.length + 1 + head.length > maxLength) {
    throw new CookieTooLargeError(`cookieseal: cookie too large: ${name} is ${name.length + 1 + head.length} bytes with its name, limit ${maxLength}`)
  }
  const dot = head.indexOf('.')
  if (dot < 0) return 0
  const n = parseDecimal(head.slice(0, dot))
  if (n < 2) throw new InvalidCookieError(`cookieseal: invalid cookie: ${name}: no part count of 2 or more before the "."`)
  if (n > maxParts) throw new CookieTooLargeError(`cookieseal: cookie too large: ${name}: a part count over ${maxParts}`)
  if (dot + 1 === head.length) throw new InvalidCookieError(`cookieseal: invalid cookie: ${name}: part 0 is empty`)
  return n
}


// ---- the layout, as pure functions (SPEC 10; the conformance suite drives them) ----

/** A writer's and reader's limits. */
export interface Limits {
  maxLength: number
  maxParts: number
  maxHeaderBytes: number
}

/** How many characters of the sealed value part i of an n-part value holds when its cookie is full. */
export function chunkCap(l: Limits, name: string, i: number, n: number): number {
  let c = l.maxLength - chunkName(name, i).length - 1
  if (i === 0 && n > 1) c -= String(n).length + 1
  return c
}

/** The capacity of n full parts, and the bytes they take besides the value (names, "=", count, "; "). */
function layout(l: Limits, name: string, n: number): [number, number] {
  let capacity = 0, overhead = 0
  for (let i = 0; i < n; i++) {
    capacity += chunkCap(l, name, i, n)
    overhead += chunkName(name, i).length + 1
  }
  if (n > 1) overhead += String(n).length + 1 + 2 * (n - 1)
  return [capacity, overhead]
}

/** The longest sealed value a writer with these limits can store. */
export function roomFor(l: Limits, name: string): number {
  let best = 0
  for (let n = 1; n <= l.maxParts; n++) {
    const [capacity, overhead] = layout(l, name, n)
    best = Math.max(best, Math.min(capacity, l.maxHeaderBytes - overhead))
    if (capacity >= l.maxHeaderBytes - overhead) break
  }
  return best
}

/** The fewest parts whose full cookies hold size characters (at most maxParts). */
export function partsFor(l: Limits, name: string, size: number): number {
  let n = 1
  for (; n < l.maxParts; n++) if (layout(l, name, n)[0] >= size) break
  return n
}

/**
 * The cookies a writer sets for the sealed value v: the fewest parts, every
 * one but the last full, the first with the count. Too large past the part
 * limit or the header budget.
 */
export function splitValue(l: Limits, name: string, v: string): [string, string][] {
  if (v.length > roomFor(l, name)) {
    throw new CookieTooLargeError(`cookieseal: cookie ${name}: ${v.length} characters do not fit ${l.maxParts} cookies of ${l.maxLength} bytes and ${l.maxHeaderBytes} bytes of header`)
  }
  const n = partsFor(l, name, v.length)
  if (n === 1) return [[name, v]]
  const out: [string, string][] = []
  for (let i = 0; i < n; i++) {
    const k = Math.min(chunkCap(l, name, i, n), v.length)
    out.push([chunkName(name, i), (i === 0 ? `${n}.` : '') + v.slice(0, k)])
    v = v.slice(k)
  }
  return out
}

/** What one attempt assembles to, or why it does not. */
export type Candidate = { joined: string } | { error: InvalidCookieError | CookieTooLargeError }

/**
 * SESSIONS.md S4 (SPEC 10 "Reading"): the attempts for cookie name among a
 * request's cookies (in header order), at most 4, each assembled from its
 * parts. Empty: no cookie called name.
 */
export function readCandidates(cookies: [string, string][], name: string, maxLength: number, maxParts: number): Candidate[] {
  const found = new Found(name, maxParts)
  for (const [n, v] of cookies) found.add(n, v)
  return [...found.attempts(maxLength)]
}
