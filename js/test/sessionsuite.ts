// The scenario suite (testdata/sessions/*.json, SESSIONS.md S8) for the
// session middleware, runtime-neutral (no node: import, its own small
// asserts), so that the same checks run on Node and, bundled, on Deno:
//
// - handleMiddleware() is the application, written against a SessionHandle
//   the way a middleware user writes it: it reads the session, then keeps it
//   (the middleware re-issues when due), refuses it (401), sets values,
//   logs in (regenerate) or logs out (data = null), at the case's clocks;
// - check() compares what the handler saw and the response's headers with
//   the case's expect, as test/sessions.test.ts does for Cookies.
import { Codec } from '../src/codec.js'
import { Cookies, readCandidates, type CookieOptions } from '../src/cookies.js'
import type { CookiesealError } from '../src/errors.js'
import { parseJSON } from '../src/json.js'
import type { SessionHandle } from '../src/session.js'
import { MemoryRevocations } from '../src/revoke.js'

export const CLASS: Record<string, string> = {
  ERR_COOKIESEAL_INVALID: 'invalid',
  ERR_COOKIESEAL_EXPIRED: 'expired',
  ERR_COOKIESEAL_UNKNOWN_KEY: 'unknown_key',
  ERR_COOKIESEAL_TOO_LARGE: 'too_large',
  ERR_COOKIESEAL_REVOKED: 'revoked',
}

/** Parses a suite file with the package's strict parser (big integers stay exact). */
export function parseSuite(text: string): any {
  const s = parseJSON(text) as any
  if (s?.suite !== 'cookieseal sessions' || Number(s?.format) !== 1 || !Array.isArray(s.cases) || s.cases.length === 0) throw new Error('not a cookieseal sessions suite of format 1 with cases')
  return s
}

export class Failure extends Error {}

function fail(msg: string): never {
  throw new Failure(msg)
}

export function ok(c: unknown, msg: string): void {
  if (!c) fail(msg)
}

function show(v: unknown): string {
  return JSON.stringify(v, (_, x) => (typeof x === 'bigint' ? `${x}n` : x))
}

export function eq(a: unknown, b: unknown, msg: string): void {
  if (a !== b) fail(`${msg}: got ${show(a)}, want ${show(b)}`)
}

/** Deep equality of JSON-like values (objects compared by own keys, any order). */
export function same(a: unknown, b: unknown): boolean {
  if (a === b) return true
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false
  if (Array.isArray(a) !== Array.isArray(b)) return false
  const ka = Object.keys(a), kb = Object.keys(b)
  if (ka.length !== kb.length) return false
  return ka.every((k) => Object.prototype.hasOwnProperty.call(b, k) && same((a as any)[k], (b as any)[k]))
}

export function deepEq(a: unknown, b: unknown, msg: string): void {
  if (!same(a, b)) fail(`${msg}: got ${show(a)}, want ${show(b)}`)
}

/** A case's configuration, with the defaults of SESSIONS.md S1 and S8. */
export function configOf(c: any) {
  const k = c.config ?? {}
  const prefix: string = k.prefix ?? ''
  if (!['', '__Host-', '__Secure-'].includes(prefix)) throw new Error(`case ${c.id}: unknown prefix ${prefix}`)
  const opts: CookieOptions = {
    hostPrefix: prefix === '__Host-',
    securePrefix: prefix === '__Secure-',
    insecure: !!k.insecure,
    maxChunks: k.max_parts === undefined ? undefined : Number(k.max_parts),
    maxHeaderBytes: k.max_header_bytes === undefined ? undefined : Number(k.max_header_bytes),
    legacyScopes: (k.legacy_scopes ?? []).map((l: any) => ({ domain: l.domain ?? '', path: l.path ?? '' })),
    revocations: listOf(k.revocations),
  }
  return {
    name: String(k.name ?? 'session'),
    full: (k.insecure ? '' : prefix) + String(k.name ?? 'session'),
    insecure: !!k.insecure,
    maxAge: Number(k.max_age ?? 3600),
    codec: (clock: () => number) =>
      new Codec({
        secrets: k.secrets,
        maxAge: Number(k.max_age ?? 3600),
        maxLifetime: Number(k.max_lifetime ?? 0),
        refreshAge: Number(k.refresh_age ?? 0),
        now: clock,
      }),
    opts,
  }
}

/** A case's revocation list (SESSIONS.md S9), its entries kept past the case's clocks. */
function listOf(r: any): MemoryRevocations | undefined {
  if (r === undefined) return undefined
  const list = new MemoryRevocations()
  const forever = Math.floor(Date.now() / 1000) + 86400
  for (const id of r.sessions ?? []) list.revokeSession(String(id), forever)
  for (const e of r.subjects ?? []) list.revokeSubject(String(e.subject), Number(e.before), forever)
  return list
}

/** Cookies for a case, on a clock the handler moves. */
export function cookiesOf(c: any, clock: { now: number }): Cookies {
  const cfg = configOf(c)
  return new Cookies(cfg.codec(() => clock.now * 1000), cfg.opts)
}

export function headerOf(c: any): string {
  if (c.header !== undefined) return String(c.header)
  if (c.header_pieces !== undefined) return c.header_pieces.map((p: any) => String(p.text).repeat(Number(p.times ?? 1))).join('')
  return ''
}

/** What the handler saw and did. */
export interface Handled {
  read: string
  session?: unknown
  info?: { issuedAt: number; createdAt: number | bigint; keyId: string; sessionId: string; subject: string }
  writeError?: string
  status: number
}

/**
 * What a middleware's onError hook and the handler record for one case:
 * errors reported while the handler runs are the read's, errors reported
 * after it (at commit) are the write's.
 */
export class Recorder {
  readError: CookiesealError | undefined
  writeError: CookiesealError | undefined
  handled = false
  onError = (e: CookiesealError): void => {
    if (this.handled) this.writeError ??= e
    else this.readError ??= e
  }
}

/**
 * The application, on a SessionHandle: read at the case's clock, then the
 * action at its write clock (which stays set while the middleware writes).
 */
export function handleMiddleware(c: any, s: SessionHandle<any>, clock: { now: number }, rec: Recorder): Handled {
  clock.now = Number(c.now)
  const data = s.data! // the first access reads
  const out: Handled = { read: 'none', status: 200 }
  if (rec.readError) out.read = CLASS[rec.readError.code] ?? rec.readError.code
  else if (s.info) {
    out.read = 'ok'
    out.session = { ...data }
    out.info = s.info
  }
  if (rec.readError) ok(!data.isPopulated, 'a bad cookie gives an empty session')
  clock.now = Number(c.write_now ?? c.now)
  switch (c.action) {
    case 'keep':
      break
    case 'refuse':
      out.status = 401
      break
    case 'set':
      Object.assign(data, c.values)
      break
    case 'login':
      s.regenerate({ ...c.values }, c.subject === undefined ? '' : String(c.subject))
      break
    case 'logout':
      s.data = null
      break
    default:
      throw new Error(`case ${c.id}: unknown action ${c.action}`)
  }
  rec.handled = true
  return out
}

/** One Set-Cookie line, taken apart. */
export interface SetCookie {
  name: string
  value: string
  attrs: Map<string, string>
  flags: Set<string>
  line: string
}

export function parseSetCookie(line: string): SetCookie {
  const [nv, ...rest] = line.split(';')
  const i0 = nv!.indexOf('=')
  const attrs = new Map<string, string>(), flags = new Set<string>()
  for (const a of rest) {
    const i = a.indexOf('=')
    if (i < 0) flags.add(a.trim().toLowerCase())
    else attrs.set(a.slice(0, i).trim().toLowerCase(), a.slice(i + 1).trim())
  }
  return { name: nv!.slice(0, i0).trim(), value: nv!.slice(i0 + 1).trim(), attrs, flags, line }
}

/** Checks everything the case expects against what the handler saw and the response's headers. */
export function check(c: any, got: Handled, rec: Recorder, status: number, setCookie: string[], cacheControl: string | null | undefined): void {
  const cfg = configOf(c)
  const e = c.expect
  eq(status, got.status, 'status')
  eq(got.read, e.read, 'read outcome')
  if (e.read === 'ok') {
    if (e.session !== undefined) deepEq(got.session, e.session, 'session the handler sees')
    if (e.issued_at !== undefined) eq(got.info!.issuedAt, Number(e.issued_at), 'issued_at read')
    if (e.created_at !== undefined) eq(String(got.info!.createdAt), String(e.created_at), 'created_at read')
    if (e.key_id !== undefined) eq(got.info!.keyId, e.key_id, 'key_id read')
    eq(got.info!.sessionId, e.session_id ?? '', 'session_id read')
    eq(got.info!.subject, e.subject ?? '', 'subject read')
  } else {
    eq(got.session, undefined, 'a bad or absent cookie gives an empty session')
  }
  const full = cfg.full
  const partRe = new RegExp(`^${full.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\.[1-9][0-9]*$`)
  const ours = setCookie.map(parseSetCookie).filter((s) => s.name === full || partRe.test(s.name))
  const isExpire = (s: SetCookie) => s.attrs.get('max-age') === '0'
  const sets = ours.filter((s) => !isExpire(s))
  let write: string
  if (rec.writeError !== undefined) write = 'error'
  else if (ours.length === 0) write = 'nothing'
  else if (sets.length === 0) write = 'delete'
  else write = 'seal'
  eq(write, e.write, `write (lines: ${ours.map((s) => s.line.slice(0, 60)).join(' | ')})`)
  if (e.write === 'error') {
    eq(CLASS[rec.writeError!.code], e.error, 'write error class')
    eq(ours.length, 0, 'an error writes nothing')
  }
  if (ours.length > 0) eq(cacheControl, 'no-store', 'Cache-Control')
  for (const s of sets) {
    eq(s.attrs.get('max-age'), String(cfg.maxAge), `Max-Age of ${s.name}`)
    ok(s.flags.has('httponly'), `HttpOnly on ${s.name}`)
    eq(s.flags.has('secure'), !cfg.insecure, `Secure on ${s.name}`)
    eq(s.attrs.get('samesite'), 'Lax', `SameSite on ${s.name}`)
  }
  if (e.set_cookies !== undefined) {
    const view = (x: { name: string; domain?: string; path?: string; op: string }) => JSON.stringify([x.name, (x.domain ?? '').replace(/^\./, '').toLowerCase(), x.path || '/', x.op])
    const gotSet = ours.map((s) => view({ name: s.name, domain: s.attrs.get('domain'), path: s.attrs.get('path'), op: isExpire(s) ? 'expire' : 'set' })).sort()
    deepEq(gotSet, e.set_cookies.map(view).sort(), 'set_cookies')
  }
  if (e.write === 'seal' && e.sealed !== undefined) {
    const clock = Number(c.write_now ?? c.now)
    const codec = cfg.codec(() => clock * 1000)
    const attempts = readCandidates(sets.map((s) => [s.name, s.value]), full, codec.maxLength, 50)
    ok(attempts.length > 0 && 'joined' in attempts[0]!, 'the cookies written assemble')
    const joined = (attempts[0] as { joined: string }).joined
    const { value, info } = codec.open(full, joined, full.length + 1 + joined.length)
    const x = e.sealed
    if (x.session !== undefined) deepEq(value, x.session, 'sealed session')
    if (x.issued_at !== undefined) eq(info.issuedAt, Number(x.issued_at), 'sealed issued_at')
    if (x.created_at !== undefined) eq(String(info.createdAt), String(x.created_at), 'sealed created_at')
    if (x.key_id !== undefined) eq(info.keyId, x.key_id, 'sealed key_id')
    if (x.parts !== undefined) eq(sets.length, Number(x.parts), 'parts')
    eq(info.subject, x.subject ?? '', 'sealed subject')
    if (x.session_id === 'new') {
      ok(/^[0-9a-f]{32}$/.test(info.sessionId), 'sealed session_id: a new one')
      ok(info.sessionId !== got.info?.sessionId, 'sealed session_id: not the one read')
    } else {
      eq(info.sessionId, x.session_id ?? '', 'sealed session_id')
    }
  }
}
