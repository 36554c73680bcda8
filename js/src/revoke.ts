/**
 * Revocation lists (SESSIONS.md S9): "log out this device" (a session ID
 * revoked until its natural end) and "log out everywhere" (every session of
 * a subject created before a time). Cookies asks its list on every read,
 * before the application sees the session and before any re-issue.
 */
import type { Info } from './codec.js'

/**
 * A revocation list. revoked() may answer at once (MemoryRevocations) or
 * with a Promise (the Redis list of cookieseal/redis): Cookies.read needs
 * the former, Cookies.readAsync takes both. A rejected or thrown check
 * refuses the session (fail closed); a list that fails open answers false.
 * Times are Unix seconds.
 */
export interface Revocations {
  revoked(info: Info): boolean | Promise<boolean>
  revokeSession(sessionId: string, until: number): void | Promise<void>
  revokeSubject(subject: string, before: number, until: number): void | Promise<void>
}

/** Whether a revocation list revokes a session, given its entries (S9.2). */
export function isRevoked(info: Info, sessionUntil: number | undefined, subject: { before: number; until: number } | undefined, now: number): boolean {
  if (info.sessionId !== '' && sessionUntil !== undefined && sessionUntil > now) return true
  if (info.subject !== '' && subject !== undefined && subject.until > now) {
    const created = typeof info.createdAt === 'bigint' ? info.createdAt : BigInt(info.createdAt)
    if (created < BigInt(subject.before)) return true
  }
  return false
}

/**
 * A revocation list in the memory of one server instance. Entries go once their
 * until has passed (swept when the list has doubled since the last sweep),
 * so it holds at most the revocations of the last maxAge.
 */
export class MemoryRevocations implements Revocations {
  readonly #now: () => number
  readonly #sessions = new Map<string, number>()
  readonly #subjects = new Map<string, { before: number; until: number }>()
  #swept = 0

  /** now: the clock in milliseconds since the epoch (default Date.now). */
  constructor(now: () => number = Date.now) {
    this.#now = now
  }

  revoked(info: Info): boolean {
    const now = Math.floor(this.#now() / 1000)
    return isRevoked(info, info.sessionId ? this.#sessions.get(info.sessionId) : undefined, info.subject ? this.#subjects.get(info.subject) : undefined, now)
  }

  revokeSession(sessionId: string, until: number): void {
    if (typeof sessionId !== 'string' || sessionId === '') throw new TypeError('cookieseal: empty session ID')
    this.#sessions.set(sessionId, Math.max(this.#sessions.get(sessionId) ?? 0, until))
    this.#sweep()
  }

  revokeSubject(subject: string, before: number, until: number): void {
    if (typeof subject !== 'string' || subject === '') throw new TypeError('cookieseal: empty subject')
    const e = this.#subjects.get(subject)
    this.#subjects.set(subject, { before: Math.max(e?.before ?? 0, before), until: Math.max(e?.until ?? 0, until) })
    this.#sweep()
  }

  /** How many entries the list holds, expired ones not yet swept included. */
  get size(): number {
    return this.#sessions.size + this.#subjects.size
  }

  #sweep(): void {
    if (this.size < 2 * this.#swept + 64) return
    const now = Math.floor(this.#now() / 1000)
    for (const [k, u] of this.#sessions) if (u <= now) this.#sessions.delete(k)
    for (const [k, e] of this.#subjects) if (e.until <= now) this.#subjects.delete(k)
    this.#swept = this.size
  }
}
