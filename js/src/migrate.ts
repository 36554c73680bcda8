/**
 * Opening the session cookies of two earlier Node session libraries once, so
 * that an application that moves to cookieseal logs nobody out:
 *
 * - cookie-session (Express): the cookie holds base64 JSON, readable by
 *   anyone, and `name.sig` holds a Keygrip signature (HMAC-SHA1 by default,
 *   base64 with "/+=" replaced by "_-" and nothing) of `name=value` under one
 *   of the configured keys.
 * - iron-session: the cookie holds an iron seal ("Fe26.2*id*salt*iv*data*
 *   expiration*hmacsalt*hmac", as iron-webcrypto seals it, then "~2"): AES-256-
 *   CBC under a PBKDF2-SHA1 key (1 iteration) of the password and a salt, and
 *   HMAC-SHA256 under another such key over everything before the MAC.
 *
 * Both are implemented here with the noble libraries the package already
 * depends on (no new dependency, no node: import, synchronous), and only
 * opened, never written: a session found this way is re-sealed as a
 * cookieseal cookie by the session middleware once the handler has accepted
 * it (src/session.ts), and the old cookie is expired.
 */
import { hmac } from '@noble/hashes/hmac.js'
import { sha1 } from '@noble/hashes/legacy.js'
import { sha256 } from '@noble/hashes/sha2.js'
import { pbkdf2 } from '@noble/hashes/pbkdf2.js'
import { cbc } from '@noble/ciphers/aes.js'
import { decodeBase64url, encodeBase64url } from './base64url.js'
import { decodeUTF8, encodeUTF8, isPlainObject, parseJSON } from './json.js'
import { ConfigError } from './errors.js'

/** The old cookie-session cookies to open (cookie-session's own option names). */
export interface CookieSessionMigration {
  /** The cookie name cookie-session used. Default "session". */
  name?: string
  /** cookie-session's `keys` (or `[secret]`): every key verifies, as Keygrip does. */
  keys: readonly string[]
  /** Keygrip's HMAC hash. Default "sha1" (Keygrip's and cookie-session's default). */
  algorithm?: 'sha1' | 'sha256'
  /** The Path and Domain cookie-session set them with, to expire them. Default: "/" and host-only. */
  path?: string
  domain?: string
}

/** The old iron-session cookies to open (iron-session's own option names). */
export interface IronSessionMigration {
  /** iron-session's `cookieName`. */
  cookieName: string
  /** iron-session's `password`: a string (sealed with id "1") or a map of id to password, each at least 32 characters. */
  password: string | Readonly<Record<string | number, string>>
  /** The Path and Domain iron-session set them with, to expire them. Default: "/" and host-only. */
  path?: string
  domain?: string
}

/** The option that turns migration on, for either library or both. */
export interface MigrateOptions {
  cookieSession?: CookieSessionMigration
  ironSession?: IronSessionMigration
}

/** A cookie to expire once a migrated session has been re-sealed (or on logout). */
export interface OldCookie {
  name: string
  path: string
  domain: string
}

/** What an old cookie held. */
export interface Migrated {
  from: 'cookie-session' | 'iron-session'
  value: Record<string, unknown>
  /** The old cookies the request carried, to expire when the session is written or deleted. */
  expire: OldCookie[]
}

const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/
const IRON_PREFIX = 'Fe26.2'
const IRON_SKEW_MS = 60_000
/** iron-session reads at most this many chunks (name.0 ... name.3). */
const IRON_CHUNKS = 4
/** Iron's salts are 64 hex digits; a longer one only costs PBKDF2 work. */
const MAX_SALT = 256

/** Checks a migration option at construction (ConfigError), never with a secret in the message. */
export function checkMigrate(m: MigrateOptions | undefined): void {
  if (m === undefined) return
  if (typeof m !== 'object' || m === null) throw new ConfigError('cookieseal: migrate must be an object')
  const cs = m.cookieSession
  if (cs !== undefined) {
    if (!Array.isArray(cs.keys) || cs.keys.length === 0 || cs.keys.some((k) => typeof k !== 'string' || k === '')) {
      throw new ConfigError('cookieseal: migrate.cookieSession.keys must be a non-empty list of non-empty strings')
    }
    if (cs.algorithm !== undefined && cs.algorithm !== 'sha1' && cs.algorithm !== 'sha256') throw new ConfigError('cookieseal: migrate.cookieSession.algorithm must be sha1 or sha256')
    if (cs.name !== undefined && !TOKEN.test(cs.name)) throw new ConfigError('cookieseal: migrate.cookieSession.name is not a cookie name')
  }
  const iron = m.ironSession
  if (iron !== undefined) {
    if (typeof iron.cookieName !== 'string' || !TOKEN.test(iron.cookieName)) throw new ConfigError('cookieseal: migrate.ironSession.cookieName is not a cookie name')
    const map = ironPasswords(iron.password)
    if (map.size === 0) throw new ConfigError('cookieseal: migrate.ironSession.password is empty')
    for (const p of map.values()) {
      if (typeof p !== 'string' || p.length < 32) throw new ConfigError('cookieseal: migrate.ironSession.password: every password must be at least 32 characters, as iron-session requires')
    }
  }
}

function ironPasswords(p: IronSessionMigration['password']): Map<string, string> {
  if (typeof p === 'string') return new Map([['1', p]]) // iron-session seals a string password under id "1"
  if (typeof p !== 'object' || p === null) return new Map()
  return new Map(Object.entries(p).map(([k, v]) => [String(k), v]))
}

/**
 * Opens the first old session the request's cookies hold (cookie-session
 * first, then iron-session), or returns undefined. cookies: the request's
 * [name, value] pairs in header order. nowMs: the clock, for iron's
 * expiration. Never throws for a bad cookie: it is not a session.
 */
export function openOld(cookies: [string, string][], m: MigrateOptions, nowMs: number): Migrated | undefined {
  const first = (n: string) => cookies.find(([k]) => k === n)?.[1]
  const cs = m.cookieSession
  if (cs) {
    const name = cs.name ?? 'session'
    const value = first(name), sig = first(name + '.sig')
    if (value !== undefined && sig !== undefined) {
      const opened = openCookieSession(name, value, sig, cs)
      if (opened) {
        const scope = { path: cs.path ?? '/', domain: cs.domain ?? '' }
        return { from: 'cookie-session', value: opened, expire: [{ name, ...scope }, { name: name + '.sig', ...scope }] }
      }
    }
  }
  const iron = m.ironSession
  if (iron) {
    const name = iron.cookieName
    const carried: string[] = []
    let seal = first(name)
    if (seal) carried.push(name)
    else {
      seal = ''
      for (let i = 0; i < IRON_CHUNKS; i++) {
        const part = first(`${name}.${i}`)
        if (!part) break
        seal += part
        carried.push(`${name}.${i}`)
      }
    }
    if (seal) {
      const opened = openIron(seal, ironPasswords(iron.password), nowMs)
      if (opened) {
        const scope = { path: iron.path ?? '/', domain: iron.domain ?? '' }
        return { from: 'iron-session', value: opened, expire: carried.map((n) => ({ name: n, ...scope })) }
      }
    }
  }
  return undefined
}

/** The old cookies of either library that the request carries (expired at logout), whether or not they open. */
export function oldCookiesCarried(cookies: [string, string][], m: MigrateOptions): OldCookie[] {
  const out: OldCookie[] = []
  const has = (n: string) => cookies.some(([k]) => k === n)
  if (m.cookieSession) {
    const name = m.cookieSession.name ?? 'session'
    const scope = { path: m.cookieSession.path ?? '/', domain: m.cookieSession.domain ?? '' }
    for (const n of [name, name + '.sig']) if (has(n)) out.push({ name: n, ...scope })
  }
  if (m.ironSession) {
    const name = m.ironSession.cookieName
    const scope = { path: m.ironSession.path ?? '/', domain: m.ironSession.domain ?? '' }
    for (const n of [name, ...Array.from({ length: IRON_CHUNKS }, (_, i) => `${name}.${i}`)]) if (has(n)) out.push({ name: n, ...scope })
  }
  return out
}

/** Constant-time comparison of two ASCII strings. */
function same(a: string, b: string): boolean {
  let diff = a.length ^ b.length
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i % (b.length || 1))
  return diff === 0
}

/** Keygrip's sign: the HMAC in base64 with "/" "+" "=" replaced by "_" "-" and nothing. */
function keygrip(key: string, data: string, algorithm: 'sha1' | 'sha256'): string {
  const mac = hmac(algorithm === 'sha256' ? sha256 : sha1, encodeUTF8(key), encodeUTF8(data))
  return encodeBase64url(mac)
}

function openCookieSession(name: string, value: string, sig: string, cs: CookieSessionMigration): Record<string, unknown> | undefined {
  const data = `${name}=${value}`
  let ok = false
  for (const k of cs.keys) if (same(keygrip(k, data, cs.algorithm ?? 'sha1'), sig)) ok = true
  if (!ok) return undefined
  // cookie-session wrote the session's JSON.stringify in standard base64, padded.
  const b64 = value.replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_')
  const raw = decodeBase64url(b64)
  if (!raw) return undefined
  return jsonObject(raw)
}

/** Strict JSON of a plain object from UTF-8 bytes, or undefined. */
function jsonObject(raw: Uint8Array): Record<string, unknown> | undefined {
  try {
    const v = parseJSON(decodeUTF8(raw))
    return isPlainObject(v) ? v : undefined
  } catch {
    return undefined
  }
}

function ironKey(password: string, salt: string): Uint8Array {
  return pbkdf2(sha1, encodeUTF8(password), encodeUTF8(salt), { c: 1, dkLen: 32 })
}

/** iron-webcrypto's unseal with iron-session's options, synchronously. */
function openIron(cookie: string, passwords: Map<string, string>, nowMs: number): Record<string, unknown> | undefined {
  let sealed = cookie
  if (sealed.includes('%')) {
    try {
      sealed = decodeURIComponent(sealed) // iron-session's cookie library URI-encodes values
    } catch {
      return undefined
    }
  }
  const tilde = sealed.indexOf('~') // iron-session's "~2" version mark, outside the MAC
  if (tilde >= 0) sealed = sealed.slice(0, tilde)
  const parts = sealed.split('*')
  if (parts.length !== 8) return undefined
  const [prefix, id, encSalt, ivB64, dataB64, expiration, macSalt, mac] = parts as [string, string, string, string, string, string, string, string]
  if (prefix !== IRON_PREFIX) return undefined
  if (encSalt.length > MAX_SALT || macSalt.length > MAX_SALT || encSalt === '' || macSalt === '') return undefined
  if (expiration !== '') {
    if (!/^[0-9]{1,16}$/.test(expiration)) return undefined
    if (Number(expiration) <= nowMs - IRON_SKEW_MS) return undefined
  }
  const password = passwords.get(id || 'default')
  if (password === undefined) return undefined
  const base = `${prefix}*${id}*${encSalt}*${ivB64}*${dataB64}*${expiration}`
  const want = encodeBase64url(hmac(sha256, ironKey(password, macSalt), encodeUTF8(base)))
  if (!same(want, mac)) return undefined
  const iv = decodeBase64url(ivB64), data = decodeBase64url(dataB64)
  if (!iv || iv.length !== 16 || !data || data.length === 0 || data.length % 16 !== 0) return undefined
  let plain: Uint8Array
  try {
    plain = cbc(ironKey(password, encSalt), iv).decrypt(data)
  } catch {
    return undefined
  }
  return jsonObject(plain)
}
