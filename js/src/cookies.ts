/**
 * Cookie helpers for the Web platform (Request/Headers/Response: Next.js
 * route handlers and middleware, Hono, SvelteKit, Remix, Workers, Deno, Bun)
 * with the same attributes, defaults and chunk layout as the Go package's
 * Cookies (SPEC.md section 10):
 *
 * - HttpOnly always; Secure, SameSite=Lax, Path=/ and host-only by default;
 *   Max-Age what is left of maxAge (and maxLifetime); an optional `__Host-`
 *   prefix; `Cache-Control: no-store` on every response that sets one.
 * - A sealed value too long for one cookie is cut into N >= 2 parts: cookie
 *   `name` holds `N.` then part 0, `name.1` ... `name.N-1` the rest. Every
 *   cookie but the last is filled to maxLength, name included. A reader reads
 *   exactly parts 1 to N-1 and ignores every other `name.k`.
 *
 * Reading never writes: when `info.reissue` is set, the application judges
 * the session first and then calls `reissue` (rotation: keeps issuedAt) or
 * `refresh` (moves issuedAt to now).
 */
import { Codec, type Info, type SealTimes } from './codec.js'
import { ConfigError, CookieTooLargeError, InvalidCookieError } from './errors.js'
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
const HOST_PREFIX = '__Host-'

export interface CookieOptions {
  /** The Path attribute. Default "/". */
  path?: string
  /** The Domain attribute. Default none: host-only cookies no sibling subdomain can read or shadow. */
  domain?: string
  /** SameSite. Default "Lax"; "None" needs Secure. */
  sameSite?: 'Lax' | 'Strict' | 'None'
  /** Put "__Host-" before every cookie name (needs Path "/" and no Domain). Names given to read/write stay without it. */
  hostPrefix?: boolean
  /** Drop Secure (and the __Host- prefix) for plain-http local development. Never in production. */
  insecure?: boolean
  /** The most cookies one value may span. Default 10; 1 turns chunking off; at most 50. */
  maxChunks?: number
  /** The most bytes of name=value (and "; " between parts) one value's cookies may take when written. Default 3072: one cookie. Reading does not apply it. */
  maxHeaderBytes?: number
}

/** Where cookies are read from: a Request, Headers, or a Cookie header string. */
export type CookieSource = { headers: { get(name: string): string | null } } | { get(name: string): string | null } | string | null | undefined

/** Where Set-Cookie lines go: Headers (or a Response's headers). */
export interface HeaderSink {
  append(name: string, value: string): void
  set(name: string, value: string): void
  delete?(name: string): void
  getSetCookie?(): string[]
}

const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/

/** Parses a Cookie header into [name, value] pairs in order (quotes around a value are dropped). */
export function parseCookieHeader(header: string | null | undefined): [string, string][] {
  const out: [string, string][] = []
  if (!header) return out
  for (const part of header.split(';')) {
    const p = part.trim()
    if (!p) continue
    const eq = p.indexOf('=')
    if (eq <= 0) continue
    const name = p.slice(0, eq).trim()
    let value = p.slice(eq + 1).trim()
    if (!TOKEN.test(name)) continue
    if (value.length >= 2 && value.startsWith('"') && value.endsWith('"')) value = value.slice(1, -1)
    out.push([name, value])
  }
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

function chunkIndex(name: string, cookie: string): number {
  if (!cookie.startsWith(name + '.')) return 0
  const i = parseDecimal(cookie.slice(name.length + 1))
  return i >= 1 && i <= MAX_CHUNKS_LIMIT ? i : 0
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

/** What reading a session found. */
export interface Session<T = unknown> {
  value: T
  info: Info
}

export class Cookies {
  readonly codec: Codec
  readonly #path: string
  readonly #domain: string
  readonly #sameSite: string
  readonly #secure: boolean
  readonly #hostPrefix: boolean
  readonly #maxChunks: number
  readonly #headerBytes: number

  constructor(codec: Codec, opts: CookieOptions = {}) {
    if (!(codec instanceof Codec)) throw new ConfigError('cookieseal: Cookies needs a Codec')
    this.codec = codec
    this.#path = opts.path || '/'
    this.#domain = opts.domain ?? ''
    this.#sameSite = opts.sameSite ?? 'Lax'
    this.#secure = !opts.insecure
    this.#hostPrefix = !!opts.hostPrefix && !opts.insecure
    this.#maxChunks = opts.maxChunks || DEFAULT_MAX_CHUNKS
    this.#headerBytes = opts.maxHeaderBytes || DEFAULT_MAX_HEADER_BYTES
    if (!Number.isInteger(this.#maxChunks) || this.#maxChunks < 1 || this.#maxChunks > MAX_CHUNKS_LIMIT) {
      throw new ConfigError(`cookieseal: maxChunks ${opts.maxChunks}, want 1 to ${MAX_CHUNKS_LIMIT}`)
    }
    if (!Number.isInteger(this.#headerBytes) || this.#headerBytes < MIN_HEADER_BYTES) {
      throw new ConfigError(`cookieseal: maxHeaderBytes ${opts.maxHeaderBytes}, want at least ${MIN_HEADER_BYTES}`)
    }
    if (!['Lax', 'Strict', 'None'].includes(this.#sameSite)) throw new ConfigError(`cookieseal: unknown sameSite ${this.#sameSite}`)
    if (this.#sameSite === 'None' && !this.#secure) throw new ConfigError('cookieseal: sameSite None needs Secure, so it cannot go with insecure')
    if (opts.hostPrefix && (this.#path !== '/' || this.#domain !== '')) throw new ConfigError('cookieseal: hostPrefix needs path "/" and no domain')
    if (!this.#path.startsWith('/') || /[;\x00-\x1f\x7f]/.test(this.#path)) throw new ConfigError('cookieseal: path must start with / and hold no ";" or control character')
    if (this.#domain && !/^\.?[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*$/.test(this.#domain)) {
      throw new ConfigError('cookieseal: bad domain')
    }
  }

  // ---- layout ----

  #fullName(name: string): string {
    const full = this.#hostPrefix ? HOST_PREFIX + name : name
    if (!TOKEN.test(full)) throw new ConfigError(`cookieseal: cookie name ${JSON.stringify(name)} is not a valid cookie name`)
    const lower = name.toLowerCase()
    if (lower.startsWith('__host-') || lower.startsWith('__secure-')) {
      throw new ConfigError(`cookieseal: cookie name ${JSON.stringify(name)}: use the hostPrefix option rather than a prefix in the name`)
    }
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
    const candidates = readCandidates(parseCookieHeader(cookieHeaderOf(src)), full, this.codec.maxLength, this.#maxChunks)
    if (candidates.length === 0) return undefined
    let first: unknown
    for (const c of candidates) {
      try {
        if ('error' in c) throw c.error
        return open(full, c.joined)
      } catch (e) {
        if (first === undefined) first = e
      }
    }
    throw first
  }

  /**
   * Reads and opens the session cookie name from a Request, Headers or
   * Cookie header. Returns undefined when there is none; throws one of the
   * four cookie errors for a bad one. Writes nothing.
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
   * The Set-Cookie lines that store value (a new session: issuedAt and
   * createdAt now) in cookie name, expiring stale parts that the request
   * carries. typed: seal as typed session values.
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
    const maxAge = this.#maxAgeAttr(opts.times)
    const lines = parts.map((p, i) => this.#line(chunkName(full, i), p, maxAge))
    for (const i of this.#staleParts(src, full, parts.length)) lines.push(this.#line(chunkName(full, i), '', -1))
    return lines
  }

  /** The Set-Cookie lines that delete cookie name and every part of it. */
  deleteCookies(src: CookieSource, name: string): string[] {
    const full = this.#fullName(name)
    const lines = [this.#line(full, '', -1)]
    for (const i of this.#staleParts(src, full, 1)) lines.push(this.#line(chunkName(full, i), '', -1))
    return lines
  }

  /** Writes a new session (issuedAt = createdAt = now) to headers. */
  write(headers: HeaderSink, src: CookieSource, name: string, value: unknown, opts: { typed?: boolean } = {}): void {
    this.#apply(headers, this.#fullName(name), this.setCookies(src, name, value, opts))
  }

  /**
   * Writes value again when info.reissue is set, and does nothing otherwise.
   * Call it after the application has judged the session and accepted it.
   * A rotation re-issue keeps issuedAt; a refresh (info.refresh) moves it to
   * now. createdAt is kept; typed values stay typed.
   */
  reissue(headers: HeaderSink, src: CookieSource, name: string, value: unknown, info: Info): void {
    if (!info.reissue) return
    const times: SealTimes = { issuedAt: info.refresh ? undefined : info.issuedAt, createdAt: info.createdAt }
    this.#apply(headers, this.#fullName(name), this.setCookies(src, name, value, { typed: info.typed, times }))
  }

  /**
   * Stores a changed session: issuedAt moves to now, createdAt is kept
   * (maxLifetime still counts from login). Without info it starts a session.
   */
  refresh(headers: HeaderSink, src: CookieSource, name: string, value: unknown, info?: Info): void {
    const times: SealTimes | undefined = info ? { createdAt: info.createdAt } : undefined
    this.#apply(headers, this.#fullName(name), this.setCookies(src, name, value, { typed: info?.typed, times }))
  }

  /** Expires cookie name and its parts. */
  delete(headers: HeaderSink, src: CookieSource, name: string): void {
    this.#apply(headers, this.#fullName(name), this.deleteCookies(src, name))
  }

  #apply(h: HeaderSink, full: string, lines: string[]): void {
    if (typeof h.getSetCookie === 'function' && typeof h.delete === 'function') {
      const keep = h.getSetCookie().filter((l) => {
        const n = l.slice(0, l.indexOf('=')).trim()
        return n !== full && chunkIndex(full, n) === 0
      })
      h.delete('Set-Cookie')
      for (const l of keep) h.append('Set-Cookie', l)
    }
    h.set('Cache-Control', 'no-store')
    for (const l of lines) h.append('Set-Cookie', l)
  }

  #maxAgeAttr(times?: SealTimes): number {
    const c = this.codec
    const now = c.nowSeconds()
    const issued = times?.issuedAt !== undefined ? BigInt(times.issuedAt) : now
    const created = times?.createdAt !== undefined ? BigInt(times.createdAt) : issued
    let left = BigInt(c.maxAge) - (now - issued)
    if (c.maxLifetime > 0) {
      const l2 = BigInt(c.maxLifetime) - (now - created)
      if (l2 < left) left = l2
    }
    return left < 1n ? 1 : Number(left)
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

  #line(name: string, value: string, maxAge: number): string {
    let s = `${name}=${value}; Path=${this.#path}`
    if (this.#domain) s += `; Domain=${this.#domain.replace(/^\./, '')}`
    s += `; Max-Age=${maxAge < 0 ? 0 : maxAge}; HttpOnly`
    if (this.#secure) s += '; Secure'
    s += `; SameSite=${this.#sameSite}`
    return s
  }
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

/** What one candidate cookie assembles to, or why it does not. */
export type Candidate = { joined: string } | { error: InvalidCookieError | CookieTooLargeError }

/**
 * SPEC 10 "Reading": the candidates for cookie name in a request's cookies
 * (in order), sealed-looking first, each assembled from its parts. Empty:
 * no cookie called name.
 */
export function readCandidates(cookies: [string, string][], name: string, maxLength: number, maxParts: number): Candidate[] {
  const heads: string[] = [], others: string[] = []
  const parts = new Map<number, string>()
  for (const [n, v] of cookies) {
    if (n === name) {
      ;(looksSealed(v) ? heads : others).push(v)
      continue
    }
    const i = chunkIndex(name, n)
    if (i > 0 && !parts.has(i)) parts.set(i, v)
  }
  return heads.concat(others).map((h) => {
    try {
      return { joined: assemble(name, h, parts, maxLength, maxParts) }
    } catch (e) {
      if (e instanceof InvalidCookieError || e instanceof CookieTooLargeError) return { error: e }
      throw e
    }
  })
}

function assemble(name: string, head: string, parts: Map<number, string>, maxLength: number, maxParts: number): string {
  if (name.length + 1 + head.length > maxLength) {
    throw new CookieTooLargeError(`cookieseal: cookie too large: ${name} is ${name.length + 1 + head.length} bytes with its name, limit ${maxLength}`)
  }
  const dot = head.indexOf('.')
  if (dot < 0) return head
  const n = parseDecimal(head.slice(0, dot))
  const first = head.slice(dot + 1)
  if (n < 2) throw new InvalidCookieError(`cookieseal: invalid cookie: ${name}: no part count of 2 or more before the "."`)
  if (n > maxParts) throw new CookieTooLargeError(`cookieseal: cookie too large: ${name}: a part count over ${maxParts}`)
  if (first === '') throw new InvalidCookieError(`cookieseal: invalid cookie: ${name}: part 0 is empty`)
  let out = first
  for (let i = 1; i < n; i++) {
    const p = parts.get(i)
    if (p === undefined) throw new InvalidCookieError(`cookieseal: invalid cookie: ${name}: part ${i} of ${n} is missing`)
    if (p === '') throw new InvalidCookieError(`cookieseal: invalid cookie: ${name}: part ${i} is empty`)
    const size = chunkName(name, i).length + 1 + p.length
    if (size > maxLength) throw new CookieTooLargeError(`cookieseal: cookie too large: ${name}: part ${i} is ${size} bytes with its name, limit ${maxLength}`)
    out += p
  }
  return out
}
