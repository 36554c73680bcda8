/**
 * The session middleware core shared by cookieseal/express, cookieseal/hono,
 * cookieseal/next and the Web Request/Response wrapper: one request's
 * session, read lazily through Cookies (SESSIONS.md S4), changed by the
 * handler, and saved once when the response is written by the lifecycle of
 * SESSIONS.md S6.7:
 *
 * - never accessed: nothing is read or written (no re-issue for a session
 *   the handler did not look at, and so did not judge);
 * - ended (`data = null`, destroy()): deleted (logout, S6.8), even when the
 *   request carried no cookie;
 * - regenerated (login, S6.5): sealed new, issuedAt = createdAt = now;
 * - changed: issuedAt now, createdAt kept (S6.4); a session emptied by
 *   the handler is deleted;
 * - unchanged: a due re-issue or refresh (rotation, refreshAge) and a
 *   migrated old cookie are written only when the handler did not refuse
 *   the session: refuse() was not called and the status is below 400.
 *
 * It imports no node: module: the same code runs on Node, Deno, Bun,
 * Workers and edge runtimes.
 */
import type { Info } from './codec.js'
import { Cookies, parseCookieHeader, type HeaderSink, type Session as Opened } from './cookies.js'
import { ConfigError, CookiesealError, ExpiredCookieError, InvalidCookieError } from './errors.js'
import { isPlainObject, stringify } from './json.js'
import { encodeValues } from './values.js'
import { checkMigrate, oldCookiesCarried, openOld, type MigrateOptions, type Migrated, type OldCookie } from './migrate.js'

/** A Standard Schema (https://standardschema.dev) validator, as Zod, Valibot and ArkType give: only its synchronous form. */
export interface StandardSchema<T> {
  readonly '~standard': {
    validate(value: unknown): { readonly value: T; readonly issues?: undefined } | { readonly issues: readonly unknown[] } | PromiseLike<unknown>
  }
}

/**
 * What checks the shape of an opened session: a function that returns the
 * value (or a transformed one) and throws on a bad one, or a Standard Schema.
 */
export type Validator<T> = ((value: unknown) => T) | StandardSchema<T>

export interface SessionOptions<T extends object = Record<string, unknown>> {
  /** The Cookies (codec, secrets, attributes) the session is read and written with. */
  cookies: Cookies
  /** The cookie name, without prefix. Default "session". */
  name?: string
  /**
   * Checks the shape of every session that opens (a cookieseal cookie or a
   * migrated one) before the handler sees it. A session it refuses is read
   * as an empty one, and onError gets an InvalidCookieError (the validator's
   * own message is not passed on: it may quote the value).
   */
  validate?: Validator<T>
  /** Opens old cookie-session or iron-session cookies once and re-seals them (see MigrateOptions). Default off. */
  migrate?: MigrateOptions
  /**
   * Called with every typed error the session does not throw: a cookie that
   * does not open (S6.2: the handler gets an empty session), a session the
   * validator refuses, a session that expired while the request ran (S6.6),
   * a re-issue that failed. Messages never hold a secret or session content.
   * Default: none (the error is also on the handle's `error`).
   */
  onError?: (error: CookiesealError) => void
}

const IS_NEW = Symbol('cookieseal session isNew')

/** The session data object: the session's values as its own properties, plus cookie-session's three getters. */
export type SessionData<T extends object = Record<string, unknown>> = T & {
  /** Whether the session did not come with the request (none, a bad cookie, assigned, or regenerated). */
  readonly isNew: boolean
  /** Whether it is new or its values differ from what was read. */
  readonly isChanged: boolean
  /** Whether it holds any value. */
  readonly isPopulated: boolean
}

const handles = new WeakMap<object, SessionHandle<any>>()
const GETTERS = new Set(['isNew', 'isChanged', 'isPopulated'])

/** The class of session data objects; its prototype carries the getters, so they are not values. */
class Data {
  constructor(handle: SessionHandle<any>, values?: object) {
    handles.set(this, handle)
    if (values) {
      for (const k of Object.keys(values)) {
        // As cookie-session: a value named like one of the getters is dropped.
        if (GETTERS.has(k)) continue
        // Defined, not assigned: a member named "__proto__" stays a value.
        Object.defineProperty(this, k, { value: (values as Record<string, unknown>)[k], enumerable: true, writable: true, configurable: true })
      }
    }
  }
}
Object.defineProperties(Data.prototype, {
  isNew: { get(this: Data) { return handles.get(this)![IS_NEW]() } },
  isChanged: { get(this: Data) { return handles.get(this)!.isChanged } },
  isPopulated: { get(this: Data) { return Object.keys(this).length > 0 } },
})

/** The configuration of a session middleware, checked once. */
export class SessionConfig<T extends object = Record<string, unknown>> {
  readonly cookies: Cookies
  readonly name: string
  readonly validate?: Validator<T>
  readonly migrate?: MigrateOptions
  readonly onError?: (error: CookiesealError) => void

  constructor(opts: SessionOptions<T>) {
    if (!opts || !(opts.cookies instanceof Cookies)) throw new ConfigError('cookieseal: the session middleware needs cookies: new Cookies(codec, options)')
    this.cookies = opts.cookies
    this.name = opts.name ?? 'session'
    this.cookies.deleteCookies(null, this.name) // checks the name now (ConfigError), not at the first request
    if (opts.validate !== undefined && typeof opts.validate !== 'function' && typeof opts.validate?.['~standard']?.validate !== 'function') {
      throw new ConfigError('cookieseal: validate must be a function or a Standard Schema')
    }
    checkMigrate(opts.migrate)
    this.validate = opts.validate
    this.migrate = opts.migrate
    this.onError = opts.onError
  }
}

/** Unix seconds as a Date, or undefined outside Date's range (a 64-bit created-at may be). */
function toDate(t: number | bigint): Date | undefined {
  const ms = Number(t) * 1000
  return Math.abs(ms) <= 8.64e15 ? new Date(ms) : undefined
}

/** A value's serialization, to tell a change (strict JSON, else typed values); null when neither takes it. */
function serialize(data: object): string | null {
  const v = { ...data } // the values, without the Data prototype
  try {
    return stringify(v)
  } catch {
    try {
      return encodeValues(v)
    } catch {
      return null
    }
  }
}

/**
 * One request's session. Read on first access to `data`; written by
 * commit() when the response's headers are written.
 */
export class SessionHandle<T extends object = Record<string, unknown>> {
  readonly #cfg: SessionConfig<T>
  readonly #header: string | null
  #accessed = false
  #data: Data | null = null
  #opened: Opened<unknown> | undefined
  #migrated: Migrated | undefined
  #snapshot: string | null = null
  #assigned = false
  #regenerated = false
  #destroyed = false
  #refused = false
  #committed = false
  #error: CookiesealError | undefined

  /** header: the request's Cookie header (null for none). */
  constructor(cfg: SessionConfig<T>, header: string | null) {
    this.#cfg = cfg
    this.#header = header
  }

  /** The session's values; null after it was ended. The first access reads the cookie. */
  get data(): SessionData<T> | null {
    this.#load()
    return this.#data as SessionData<T> | null
  }

  /** null (or undefined) ends the session (logout); an object replaces its values (a change: createdAt is kept). */
  set data(v: object | null | undefined) {
    this.#load()
    if (v == null) {
      this.#destroyed = true
      this.#data = null
      return
    }
    if (typeof v !== 'object') throw new TypeError('req.session can only be set as null or an object.')
    this.#destroyed = false
    this.#assigned = true
    this.#data = new Data(this, v)
  }

  /** Whether the handler read the session (only then is anything written). */
  get accessed(): boolean {
    return this.#accessed
  }

  /** What the read opened: the codec's Info (numbers, exact), or undefined for a new or migrated session. */
  get info(): Info | undefined {
    this.#load()
    return this.#opened?.info
  }

  /** When the session started (login), or undefined for a new one (or a created-at outside Date's range; info has it exactly). */
  get createdAt(): Date | undefined {
    const i = this.info
    return i ? toDate(i.createdAt) : undefined
  }

  /** When the cookie read was sealed, or undefined for a new session. */
  get issuedAt(): Date | undefined {
    const i = this.info
    return i ? toDate(i.issuedAt) : undefined
  }

  /** The library an old cookie came from when the session was migrated (MigrateOptions), else undefined. */
  get migratedFrom(): 'cookie-session' | 'iron-session' | undefined {
    this.#load()
    return this.#migrated?.from
  }

  /** The last error reported to onError, if any. */
  get error(): CookiesealError | undefined {
    return this.#error
  }

  get isNew(): boolean {
    return this[IS_NEW]()
  }

  [IS_NEW](): boolean {
    this.#load()
    return this.#assigned || this.#regenerated || (!this.#opened && !this.#migrated)
  }

  get isChanged(): boolean {
    this.#load()
    if (this.#destroyed) return true
    return this.isNew || serialize(this.#data!) !== this.#snapshot
  }

  get isPopulated(): boolean {
    return !!this.data && Object.keys(this.data).length > 0
  }

  /**
   * Starts a new session holding values (login, SESSIONS.md S6.5): sealed
   * with issuedAt = createdAt = now, whatever was read, so that a check such
   * as "created before the password change" sees a new session.
   */
  regenerate(values: Partial<T> | object = {}): SessionData<T> {
    this.#load()
    this.#regenerated = true
    this.#destroyed = false
    this.#data = new Data(this, values)
    return this.#data as SessionData<T>
  }

  /** Ends the session (logout): the same as `data = null`. */
  destroy(): void {
    this.data = null
  }

  /**
   * Refuses the session that was read (revoked, issued before a password
   * change): it is not re-issued, refreshed or migrated. A status of 400 or
   * more refuses it too. Changes the handler makes are still saved.
   */
  refuse(): void {
    this.#refused = true
  }

  #report(e: CookiesealError): void {
    this.#error = e
    this.#cfg.onError?.(e)
  }

  #load(): void {
    if (this.#accessed) return
    this.#accessed = true
    const cfg = this.#cfg
    let error: CookiesealError | undefined
    let opened: Opened<unknown> | undefined
    try {
      opened = cfg.cookies.read(this.#header, cfg.name)
    } catch (e) {
      if (!(e instanceof CookiesealError)) throw e
      error = e
    }
    let value: object | undefined
    if (opened) {
      value = this.#shape(opened.value)
      if (value === undefined) {
        error = new InvalidCookieError('cookieseal: invalid cookie: the session is not an object the validator accepts')
        opened = undefined
      }
    }
    if (!opened && cfg.migrate) {
      const m = openOld(parseCookieHeader(this.#header), cfg.migrate, Number(cfg.cookies.codec.nowSeconds()) * 1000)
      if (m) {
        value = this.#shape(m.value)
        if (value !== undefined) this.#migrated = m
        else if (!error) error = new InvalidCookieError('cookieseal: invalid cookie: the migrated session is not an object the validator accepts')
      }
    }
    this.#opened = opened
    if (error && !opened && !this.#migrated) this.#report(error)
    this.#data = new Data(this, value)
    this.#snapshot = serialize(this.#data)
  }

  /** The value checked: a plain object, then the validator; undefined if refused. */
  #shape(v: unknown): object | undefined {
    if (!isPlainObject(v)) return undefined
    const val = this.#cfg.validate
    if (val === undefined) return v
    if (typeof val === 'function') {
      try {
        const out = val(v)
        return out !== null && typeof out === 'object' ? out : undefined
      } catch {
        return undefined
      }
    }
    const r = val['~standard'].validate(v) as { value?: unknown; issues?: unknown; then?: unknown }
    if (r !== null && typeof r === 'object' && typeof r.then === 'function') throw new ConfigError('cookieseal: validate: an asynchronous schema cannot check a session')
    if (r.issues !== undefined) return undefined
    return r.value !== null && typeof r.value === 'object' ? (r.value as object) : undefined
  }

  /**
   * Writes what the session needs to the response's headers, once:
   * status is the response's status (400 or more refuses the session).
   * Throws what sealing a value the handler set throws (too large, not JSON);
   * reports, and writes nothing for, an expiry at write (S6.6) and a failed
   * re-issue.
   */
  commit(sink: HeaderSink, status: number): void {
    if (this.#committed || !this.#accessed) return
    this.#committed = true
    const cfg = this.#cfg, c = cfg.cookies, src = this.#header, name = cfg.name
    const old = cfg.migrate ? oldCookiesCarried(parseCookieHeader(src), cfg.migrate) : []
    if (this.#destroyed) {
      c.delete(sink, src, name)
      this.#expireOld(sink, old)
      return
    }
    const data = this.#data!
    const values: Record<string, unknown> = { ...data }
    const populated = Object.keys(values).length > 0
    const own = (write: () => void, expire: OldCookie[]): void => {
      try {
        write()
      } catch (e) {
        if (!(e instanceof ExpiredCookieError)) throw e
        this.#report(e)
        return
      }
      this.#expireOld(sink, expire)
    }
    if (this.#regenerated) {
      if (populated) own(() => c.write(sink, src, name, values), old)
      else {
        c.delete(sink, src, name)
        this.#expireOld(sink, old)
      }
      return
    }
    if (this.#assigned || serialize(data) !== this.#snapshot) {
      if (populated) own(() => c.refresh(sink, src, name, values, this.#opened?.info), this.#migrated ? old : [])
      else if (this.#opened || this.#migrated) {
        // A session the handler emptied is a logout.
        c.delete(sink, src, name)
        this.#expireOld(sink, old)
      }
      return
    }
    if (this.#refused || status >= 400) return
    try {
      if (this.#migrated) {
        c.write(sink, src, name, values)
        this.#expireOld(sink, this.#migrated.expire)
      } else if (this.#opened?.info.reissue) {
        c.reissue(sink, src, name, values, this.#opened.info)
      }
    } catch (e) {
      if (!(e instanceof CookiesealError)) throw e
      this.#report(e)
    }
  }

  /** Expires old cookie-session or iron-session cookies, except one a write of ours has just set. */
  #expireOld(sink: HeaderSink, old: OldCookie[]): void {
    const a = this.#cfg.cookies.attributes
    const full = a.prefix + this.#cfg.name
    for (const o of old) {
      const ours = o.name === full || (o.name.startsWith(full + '.') && /^[1-9][0-9]*$/.test(o.name.slice(full.length + 1)))
      if (ours && o.path === a.path && o.domain.replace(/^\./, '').toLowerCase() === a.domain.replace(/^\./, '').toLowerCase()) continue
      let line = `${o.name}=; Path=${o.path}`
      if (o.domain) line += `; Domain=${o.domain.replace(/^\./, '')}`
      line += `; Max-Age=0; HttpOnly${a.secure ? '; Secure' : ''}; SameSite=${a.sameSite}`
      sink.append('Set-Cookie', line)
    }
  }
}
