// The session scenario suite: every case of ../testdata/sessions/*.json
// (schema: SESSIONS.md S8), run unchanged twice, as an application would:
//
// - web: the Web Cookies, reading a Request and writing to a Response's
//   Headers;
// - node: NodeCookies in a real node:http server on 127.0.0.1, the case's
//   Cookie header sent byte for byte over a socket.
//
// The handler of both is handle() below: it reads the session, then keeps
// it (re-issuing when info.reissue says so: it accepts every session),
// refuses it (401, writes nothing), sets values (refresh), logs in (write)
// or logs out (delete), at the case's write clock. Everything the case
// expects is then checked on what the response carries.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { basename } from 'node:path'
import { readdirSync, existsSync } from 'node:fs'
import { createServer, IncomingMessage, ServerResponse, type Server } from 'node:http'
import { connect, Socket } from 'node:net'
import { type Info } from '../src/codec.js'
import { Cookies, readCandidates, type Session } from '../src/cookies.js'
import { NodeCookies } from '../src/node.js'
import { TESTDATA, readJSON } from './helpers.js'
import { CLASS, configOf as suiteConfigOf, headerOf, parseSetCookie, type SetCookie } from './sessionsuite.js'

function sessionFiles(): string[] {
  // COOKIESEAL_SESSIONS_DIR runs another copy of the suite (a branch's, while it is being written).
  const env = process.env.COOKIESEAL_SESSIONS_DIR
  const dir = env ? env.replace(/\/?$/, '/') : TESTDATA + 'sessions/'
  if (!existsSync(dir)) return []
  return readdirSync(dir).filter((f) => f.endsWith('.json')).sort().map((f) => dir + f)
}

/**
 * A case's configuration (sessionsuite.ts), its codec able to count the
 * codec's opens (each at most one AEAD decryption): S4.5 bounds them per read.
 */
function configOf(c: any) {
  const cfg = suiteConfigOf(c)
  return {
    ...cfg,
    codec: (clock: () => number, opens?: { n: number }) => {
      const codec = cfg.codec(clock)
      if (opens) {
        const c = codec as any
        const orig = c.openPayload.bind(c)
        c.openPayload = (...a: unknown[]) => {
          opens.n++
          return orig(...a)
        }
      }
      return codec
    },
  }
}

/** What the handler can do with one integration's request and response. */
interface Api {
  read(): Session<any> | undefined
  write(value: unknown): void
  login(value: unknown, subject: string): void
  refresh(value: unknown, info?: Info): void
  reissue(value: unknown, info: Info): void
  delete(): void
}

/** What the handler saw and did. */
interface Handled {
  read: string
  session?: unknown
  info?: Info
  writeError?: string
  status: number
  /** How many times the read opened a value (SESSIONS.md S4.5: at most 4). */
  opens: number
}

/** The application: read, then the case's action at its write clock. */
function handle(c: any, api: Api, clock: { now: number }, opens: { n: number }): Handled {
  clock.now = Number(c.now)
  const out: Handled = { read: 'none', status: 200, opens: 0 }
  let s: Session<any> | undefined
  try {
    s = api.read()
    if (s) out.read = 'ok'
  } catch (e: any) {
    if (!CLASS[e?.code]) throw e
    out.read = CLASS[e.code]!
    s = undefined // a bad cookie: the handler gets an empty session (S6.2)
  }
  out.session = s?.value
  out.info = s?.info
  out.opens = opens.n
  clock.now = Number(c.write_now ?? c.now)
  try {
    switch (c.action) {
      case 'keep':
        if (s?.info.reissue) api.reissue(s.value, s.info)
        break
      case 'refuse':
        out.status = 401
        break
      case 'set':
        api.refresh({ ...(s ? (s.value as object) : {}), ...c.values }, s?.info)
        break
      case 'login':
        if (c.subject !== undefined) api.login({ ...c.values }, String(c.subject))
        else api.write({ ...c.values })
        break
      case 'logout':
        api.delete()
        break
      default:
        throw new Error(`case ${c.id}: unknown action ${c.action}`)
    }
  } catch (e: any) {
    if (!CLASS[e?.code]) throw e
    out.writeError = CLASS[e.code]!
  }
  return out
}

/** Checks everything the case expects against what the handler saw and the response's headers. */
function check(c: any, got: Handled, setCookie: string[], cacheControl: string | undefined): void {
  const cfg = configOf(c)
  const e = c.expect
  assert.equal(got.read, e.read, 'read outcome')
  assert.ok(got.opens <= 4, `${got.opens} opens in one read`)
  if (e.read === 'ok') {
    if (e.session !== undefined) assert.deepEqual(got.session, e.session, 'session the handler sees')
    if (e.issued_at !== undefined) assert.equal(got.info!.issuedAt, Number(e.issued_at), 'issued_at read')
    if (e.created_at !== undefined) assert.equal(String(got.info!.createdAt), String(e.created_at), 'created_at read')
    if (e.key_id !== undefined) assert.equal(got.info!.keyId, e.key_id, 'key_id read')
    assert.equal(got.info!.sessionId, e.session_id ?? '', 'session_id read')
    assert.equal(got.info!.subject, e.subject ?? '', 'subject read')
  } else {
    assert.equal(got.session, undefined, 'a bad or absent cookie gives an empty session')
  }

  // The lines for F, its parts (F.k) and F under the legacy scopes.
  const full = cfg.full
  const ours = setCookie.map(parseSetCookie).filter((s) => s.name === full || new RegExp(`^${full.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\.[1-9][0-9]*$`).test(s.name))
  const isExpire = (s: SetCookie) => s.attrs.get('max-age') === '0'
  const sets = ours.filter((s) => !isExpire(s))
  let write: string
  if (got.writeError !== undefined) write = 'error'
  else if (ours.length === 0) write = 'nothing'
  else if (sets.length === 0) write = 'delete'
  else write = 'seal'
  assert.equal(write, e.write, `write (lines: ${ours.map((s) => s.line.slice(0, 60)).join(' | ')})`)
  if (e.write === 'error') {
    assert.equal(got.writeError, e.error, 'write error class')
    assert.equal(ours.length, 0, 'an error writes nothing')
  }
  if (ours.length > 0) assert.equal(cacheControl, 'no-store', 'Cache-Control')
  for (const s of sets) {
    assert.equal(s.attrs.get('max-age'), String(cfg.maxAge), `Max-Age of ${s.name}`)
    assert.ok(s.flags.has('httponly'), `HttpOnly on ${s.name}`)
    assert.equal(s.flags.has('secure'), !cfg.insecure, `Secure on ${s.name}`)
    assert.equal(s.attrs.get('samesite'), 'Lax', `SameSite on ${s.name}`)
  }
  if (e.set_cookies !== undefined) {
    const view = (x: { name: string; domain?: string; path?: string; op: string }) => JSON.stringify([x.name, (x.domain ?? '').replace(/^\./, '').toLowerCase(), x.path || '/', x.op])
    const gotSet = ours.map((s) => view({ name: s.name, domain: s.attrs.get('domain'), path: s.attrs.get('path'), op: isExpire(s) ? 'expire' : 'set' })).sort()
    assert.deepEqual(gotSet, e.set_cookies.map(view).sort(), 'set_cookies')
  }
  if (e.write === 'seal' && e.sealed !== undefined) {
    const clock = Number(c.write_now ?? c.now)
    const codec = cfg.codec(() => clock * 1000)
    const attempts = readCandidates(sets.map((s) => [s.name, s.value]), full, codec.maxLength, 50)
    assert.ok(attempts.length > 0 && 'joined' in attempts[0]!, 'the cookies written assemble')
    const joined = (attempts[0] as { joined: string }).joined
    const { value, info } = codec.open(full, joined, full.length + 1 + joined.length)
    const x = e.sealed
    if (x.session !== undefined) assert.deepEqual(value, x.session, 'sealed session')
    if (x.issued_at !== undefined) assert.equal(info.issuedAt, Number(x.issued_at), 'sealed issued_at')
    if (x.created_at !== undefined) assert.equal(String(info.createdAt), String(x.created_at), 'sealed created_at')
    if (x.key_id !== undefined) assert.equal(info.keyId, x.key_id, 'sealed key_id')
    if (x.parts !== undefined) assert.equal(sets.length, Number(x.parts), 'parts')
    assert.equal(info.subject, x.subject ?? '', 'sealed subject')
    if (x.session_id === 'new') {
      assert.match(info.sessionId, /^[0-9a-f]{32}$/, 'sealed session_id: a new one')
      assert.notEqual(info.sessionId, got.info?.sessionId, 'sealed session_id: not the one read')
    } else {
      assert.equal(info.sessionId, x.session_id ?? '', 'sealed session_id')
    }
  }
}

// ---- web: Cookies over Request and Headers ----

function runWeb(c: any): void {
  const cfg = configOf(c)
  const clock = { now: Number(c.now) }
  const opens = { n: 0 }
  const cookies = new Cookies(cfg.codec(() => clock.now * 1000, opens), cfg.opts)
  const header = headerOf(c)
  // "" is a request without a Cookie header. A Request refuses a header
  // holding NUL, CR or LF (a client cannot send those); such a header is
  // given to Cookies as the Cookie header string, which it also takes.
  let src: Request | string
  try {
    src = new Request('http://127.0.0.1/', { headers: header === '' ? {} : { cookie: header } })
  } catch {
    src = header
  }
  const res = new Response(null)
  const h = res.headers
  const got = handle(c, {
    read: () => cookies.read(src, cfg.name),
    write: (v) => cookies.write(h, src, cfg.name, v),
    login: (v, sub) => cookies.login(h, src, cfg.name, v, sub),
    refresh: (v, info) => cookies.refresh(h, src, cfg.name, v, info),
    reissue: (v, info) => cookies.reissue(h, src, cfg.name, v, info),
    delete: () => cookies.delete(h, src, cfg.name),
  }, clock, opens)
  check(c, got, h.getSetCookie(), h.get('cache-control') ?? undefined)
}

// ---- node: NodeCookies in a real node:http server ----

interface Pending {
  c: any
  result?: Handled
  error?: unknown
}

const pending = new Map<string, Pending>()

function nodeHandler(req: IncomingMessage, res: ServerResponse, p: Pending): void {
  const c = p.c
  const cfg = configOf(c)
  const clock = { now: Number(c.now) }
  const opens = { n: 0 }
  const nc = new NodeCookies(new Cookies(cfg.codec(() => clock.now * 1000, opens), cfg.opts))
  try {
    p.result = handle(c, {
      read: () => nc.read(req, cfg.name),
      write: (v) => nc.write(res, req, cfg.name, v),
      login: (v, sub) => nc.login(res, req, cfg.name, v, sub),
      refresh: (v, info) => nc.refresh(res, req, cfg.name, v, info),
      reissue: (v, info) => nc.reissue(res, req, cfg.name, v, info),
      delete: () => nc.delete(res, req, cfg.name),
    }, clock, opens)
    res.statusCode = p.result.status
  } catch (e) {
    p.error = e
    res.statusCode = 500
  }
  res.end()
}

let server: Server | undefined
let port = 0

async function startServer(): Promise<void> {
  // Attack headers in the suite are long: allow up to 1 MiB of request head.
  server = createServer({ maxHeaderSize: 1 << 20 }, (req, res) => {
    const p = pending.get(String(req.headers['x-case']))
    if (!p) {
      res.statusCode = 404
      res.end()
      return
    }
    nodeHandler(req, res, p)
  })
  await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r))
  port = (server.address() as { port: number }).port
}

/** Sends one GET with the Cookie header as the bytes it holds; returns the raw response head. */
function rawRequest(id: string, header: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const s = connect(port, '127.0.0.1')
    const chunks: Buffer[] = []
    s.on('data', (d) => chunks.push(d))
    s.on('end', () => resolve(Buffer.concat(chunks).toString('latin1')))
    s.on('error', reject)
    const cookie = header === '' ? '' : `Cookie: ${header}\r\n` // "": no Cookie header
    s.end(Buffer.from(`GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Case: ${id}\r\n${cookie}Connection: close\r\n\r\n`, 'latin1'))
  })
}

function responseHead(raw: string): { status: number; setCookie: string[]; cacheControl?: string } {
  const head = raw.slice(0, raw.indexOf('\r\n\r\n'))
  const [statusLine, ...lines] = head.split('\r\n')
  const setCookie: string[] = []
  let cacheControl: string | undefined
  for (const l of lines) {
    const i = l.indexOf(':')
    const k = l.slice(0, i).toLowerCase(), v = l.slice(i + 1).trim()
    if (k === 'set-cookie') setCookie.push(v)
    if (k === 'cache-control') cacheControl = v
  }
  return { status: Number(statusLine!.split(' ')[1]), setCookie, cacheControl }
}

async function runNode(c: any, id: string): Promise<void> {
  const header = headerOf(c)
  const p: Pending = { c }
  if (/[\x00-\x08\x0a-\x1f\x7f]/.test(header)) {
    // Node's HTTP parser answers 400 to a header holding a control byte other
    // than HTAB before any handler runs, so such a case runs on a real
    // IncomingMessage and ServerResponse built in-process instead.
    const req = new IncomingMessage(new Socket())
    req.headers = header === '' ? {} : { cookie: header }
    const res = new ServerResponse(req)
    nodeHandler(req, res, p)
    if (p.error) throw p.error
    const sc = res.getHeader('set-cookie')
    check(c, p.result!, sc === undefined ? [] : ([] as string[]).concat(sc as string | string[]), res.getHeader('cache-control') as string | undefined)
    return
  }
  pending.set(id, p)
  try {
    const r = responseHead(await rawRequest(id, header))
    if (p.error) throw p.error
    assert.ok(p.result, `the handler ran (status ${r.status})`)
    assert.equal(r.status, p.result.status, 'status')
    check(c, p.result, r.setCookie, r.cacheControl)
  } finally {
    pending.delete(id)
  }
}

const files = sessionFiles()

test('sessions: the suite is present', () => {
  assert.ok(files.length > 0, `no testdata/sessions/*.json (${TESTDATA})`)
})

before(startServer)
after(() => new Promise<void>((r) => (server ? server.close(() => r()) : r())))

for (const file of files) {
  const suite = readJSON(file)
  test(`sessions ${basename(file)}: envelope`, () => {
    assert.equal(suite.suite, 'cookieseal sessions')
    assert.equal(Number(suite.format), 1)
    assert.ok(Array.isArray(suite.cases) && suite.cases.length > 0, 'a suite file with no case')
  })
  if (suite.suite !== 'cookieseal sessions' || Number(suite.format) !== 1) continue
  suite.cases.forEach((c: any, i: number) => {
    test(`sessions web ${c.id}`, () => runWeb(c))
    test(`sessions node ${c.id}`, () => runNode(c, `${basename(file)}#${i}`))
  })
}

test('sessions: ids are unique and start with sessions/', () => {
  const seen = new Set<string>()
  for (const file of files) {
    for (const c of readJSON(file).cases ?? []) {
      assert.ok(String(c.id).startsWith('sessions/'), c.id)
      assert.ok(!seen.has(c.id), `duplicate id ${c.id}`)
      seen.add(c.id)
    }
  }
})
