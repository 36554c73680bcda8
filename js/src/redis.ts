/**
 * cookieseal/redis: a revocation list in Redis for fleets (SESSIONS.md S9.5),
 * shared with the Go (redisrevoke) and Python (cookieseal.redis) lists: a
 * revocation written by any of them is honoured by all.
 *
 *   import { createClient } from 'redis'
 *   import { RedisRevocations } from 'cookieseal/redis'
 *   const list = new RedisRevocations(await createClient({ url }).connect())
 *   const cookies = new Cookies(codec, { revocations: list })
 *   const session = await cookies.readAsync(request, 'session')
 *
 * The client is the application's: node-redis (`redis` on npm, an optional
 * peer dependency) or anything with its mGet and eval. This file imports no
 * package. Checks answer with a Promise: read sessions with readAsync.
 * Create the client with `disableOfflineQueue: true`: otherwise, while
 * Redis is away, node-redis queues commands and runs them when it returns,
 * so a revocation reported as failed would take effect later.
 */
import type { Info } from './codec.js'
import type { Revocations } from './revoke.js'

/** What the list needs of a Redis client: node-redis's mGet and eval. */
export interface RedisClientLike {
  mGet(keys: string[]): Promise<(string | null | unknown)[]>
  eval(script: string, options: { keys: string[]; arguments: string[] }): Promise<unknown>
}

export interface RedisRevocationsOptions {
  /** Starts every key; every service of one application uses the same. Default 'cookieseal:v1:'. */
  prefix?: string
  /** How long an answer is reused without asking Redis, in ms (default 1000); 0: no cache. */
  cacheTtl?: number
  /** The most sessions the cache keeps (default 100000). */
  cacheSize?: number
  /** The longest a Redis call may take, in ms (default 100). */
  timeout?: number
  /** Refuse a session whose status Redis cannot give and the cache does not know. Default false: accept it (see the README). */
  failClosed?: boolean
  /** Called with every Redis failure (never a session ID or subject). */
  onError?: (e: unknown) => void
  /** The clock, ms since the epoch (default Date.now). */
  now?: () => number
}

/** The script of SESSIONS.md S9.5: keeps the later before and the later expiry. */
export const REVOKE_SCRIPT = `local b = tonumber(redis.call('GET', KEYS[1]) or '0') or 0
if tonumber(ARGV[1]) > b then b = tonumber(ARGV[1]) end
local u = tonumber(ARGV[2])
local t = redis.call('EXPIRETIME', KEYS[1])
if t > u then u = t end
redis.call('SET', KEYS[1], tostring(b), 'EXAT', u)
return b`

function hexUTF8(s: string): string {
  return Array.from(new TextEncoder().encode(s), (b) => b.toString(16).padStart(2, '0')).join('')
}

/** A Revocations list in Redis, with a bounded cache and fail open (default) or closed. */
export class RedisRevocations implements Revocations {
  readonly #client: RedisClientLike
  readonly #prefix: string
  readonly #ttl: number
  readonly #size: number
  readonly #timeout: number
  readonly #failClosed: boolean
  readonly #onError: ((e: unknown) => void) | undefined
  readonly #now: () => number
  readonly #cache = new Map<string, { revoked: boolean; at: number }>()
  /** Counters since construction. */
  readonly stats = { checks: 0, hits: 0, misses: 0, failures: 0, stale: 0 }

  constructor(client: RedisClientLike, o: RedisRevocationsOptions = {}) {
    this.#client = client
    this.#prefix = o.prefix || 'cookieseal:v1:'
    this.#ttl = o.cacheTtl ?? 1000
    this.#size = o.cacheSize || 100000
    this.#timeout = o.timeout || 100
    this.#failClosed = o.failClosed === true
    this.#onError = o.onError
    this.#now = o.now ?? Date.now
  }

  sessionKey(sessionId: string): string {
    return this.#prefix + 'revoked:sid:' + sessionId
  }

  subjectKey(subject: string): string {
    return this.#prefix + 'revoked:sub:' + hexUTF8(subject)
  }

  /** Sessions in the cache now. */
  get cached(): number {
    return this.#cache.size
  }

  async revoked(info: Info): Promise<boolean> {
    if (!info.sessionId && !info.subject) return false
    const key = info.sessionId + '\0' + info.subject + '\0' + String(info.createdAt)
    const now = this.#now()
    this.stats.checks++
    const c = this.#cache.get(key)
    if (c && this.#ttl > 0 && now - c.at < this.#ttl) {
      this.stats.hits++
      return c.revoked
    }
    this.stats.misses++
    let revoked: boolean
    try {
      revoked = await this.#ask(info)
    } catch (e) {
      this.stats.failures++
      this.#onError?.(e)
      if (c) {
        this.stats.stale++
        return c.revoked // stale, but the last word Redis gave
      }
      if (this.#failClosed) throw e
      return false
    }
    if (this.#ttl > 0) {
      if (this.#cache.size >= this.#size && !this.#cache.has(key)) {
        this.#cache.delete(this.#cache.keys().next().value!) // the oldest inserted
      }
      this.#cache.set(key, { revoked, at: now })
    }
    return revoked
  }

  async #ask(info: Info): Promise<boolean> {
    const keys: string[] = []
    if (info.sessionId) keys.push(this.sessionKey(info.sessionId))
    if (info.subject) keys.push(this.subjectKey(info.subject))
    const vals = await this.#bounded(this.#client.mGet(keys))
    let i = 0
    if (info.sessionId) {
      if (vals[i] !== null && vals[i] !== undefined) return true
      i++
    }
    if (info.subject && vals[i] !== null && vals[i] !== undefined) {
      const s = String(vals[i])
      if (!/^-?[0-9]+$/.test(s)) throw new Error('cookieseal: a subject entry that is not a decimal time')
      const created = typeof info.createdAt === 'bigint' ? info.createdAt : BigInt(info.createdAt)
      return created < BigInt(s)
    }
    return false
  }

  async revokeSession(sessionId: string, until: number): Promise<void> {
    if (!sessionId) throw new TypeError('cookieseal: empty session ID')
    await this.#write(this.sessionKey(sessionId), 1, until)
  }

  async revokeSubject(subject: string, before: number, until: number): Promise<void> {
    if (!subject) throw new TypeError('cookieseal: empty subject')
    await this.#write(this.subjectKey(subject), before, until)
  }

  async #write(key: string, before: number, until: number): Promise<void> {
    const exat = until + Math.ceil(Math.max(this.#ttl, 0) / 1000) + 1
    await this.#bounded(this.#client.eval(REVOKE_SCRIPT, { keys: [key], arguments: [String(before), String(exat)] }))
    this.#cache.clear() // this server sees its own revocation at once
  }

  #bounded<T>(p: Promise<T>): Promise<T> {
    let timer: ReturnType<typeof setTimeout> | undefined
    const t = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`cookieseal: Redis did not answer within ${this.#timeout} ms`)), this.#timeout)
    })
    p.catch(() => {}) // a late failure after the timeout is not unhandled
    return Promise.race([p, t]).finally(() => clearTimeout(timer))
  }
}
