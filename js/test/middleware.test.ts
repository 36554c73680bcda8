// The session scenario suite (every case of ../testdata/sessions/*.json,
// unchanged) through the session middleware, as an application would:
//
// - express: cookieseal/express in a real Express app behind node:http on
//   127.0.0.1, the case's Cookie header sent byte for byte over a socket;
// - hono: cookieseal/hono in a Hono app, one Web Request per case
//   (test/honorunner.ts; the same runner runs on Deno, runtimes/).
//
// The handler (test/sessionsuite.ts) reads req.session, then keeps it,
// refuses it (401), sets values, logs in (regenerate) or logs out
// (req.session = null); the middleware saves it by SESSIONS.md S6.7.
import { test, before, after } from 'node:test'
import { basename } from 'node:path'
import { readdirSync, readFileSync, existsSync } from 'node:fs'
import { createServer, IncomingMessage, ServerResponse, type Server } from 'node:http'
import { connect, Socket } from 'node:net'
import express from 'express'
import { session } from '../src/express.js'
import { check, configOf, cookiesOf, handleMiddleware, headerOf, parseSuite, Recorder, type Handled } from './sessionsuite.js'
import { runHonoCase } from './honorunner.js'
import { TESTDATA } from './helpers.js'

function sessionFiles(): string[] {
  const env = process.env.COOKIESEAL_SESSIONS_DIR
  const dir = env ? env.replace(/\/?$/, '/') : TESTDATA + 'sessions/'
  if (!existsSync(dir)) return []
  return readdirSync(dir).filter((f) => f.endsWith('.json')).sort().map((f) => dir + f)
}

interface Pending {
  c: any
  app: (req: IncomingMessage, res: ServerResponse) => void
  rec: Recorder
  got?: Handled
}

/** An Express app for one case: the middleware, then the handler. */
function expressApp(c: any, p: Omit<Pending, 'app'>): Pending['app'] {
  const clock = { now: Number(c.now) }
  const app = express()
  app.use(session({ cookies: cookiesOf(c, clock), name: configOf(c).name, onError: p.rec.onError }))
  app.get('/', (req: any, res: any) => {
    p.got = handleMiddleware(c, req.cookieseal, clock, p.rec)
    res.status(p.got.status).end()
  })
  return app as unknown as Pending['app']
}

const pending = new Map<string, Pending>()
let server: Server | undefined
let port = 0

async function startServer(): Promise<void> {
  server = createServer({ maxHeaderSize: 1 << 20 }, (req, res) => {
    const p = pending.get(String(req.headers['x-case']))
    if (!p) {
      res.statusCode = 404
      res.end()
      return
    }
    p.app(req, res)
  })
  await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r))
  port = (server.address() as { port: number }).port
}

function rawRequest(id: string, header: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const s = connect(port, '127.0.0.1')
    const chunks: Buffer[] = []
    s.on('data', (d) => chunks.push(d))
    s.on('end', () => resolve(Buffer.concat(chunks).toString('latin1')))
    s.on('error', reject)
    const cookie = header === '' ? '' : `Cookie: ${header}\r\n`
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

async function runExpress(c: any, id: string): Promise<void> {
  const header = headerOf(c)
  const p = { c, rec: new Recorder() } as Pending
  p.app = expressApp(c, p)
  if (/[\x00-\x08\x0a-\x1f\x7f]/.test(header)) {
    // Node's HTTP parser answers 400 to a header holding a control byte
    // other than HTAB before any handler runs: such a case runs the Express
    // app on a real IncomingMessage and ServerResponse built in-process.
    const req = new IncomingMessage(new Socket())
    req.method = 'GET'
    req.url = '/'
    req.headers = header === '' ? {} : { cookie: header }
    const res = new ServerResponse(req)
    await new Promise<void>((resolve) => {
      res.end = ((end) => function (this: ServerResponse, ...a: any[]) {
        const r = end.apply(this, a as any)
        resolve()
        return r
      })(res.end) as any
      p.app(req, res)
    })
    if (!p.got) throw new Error(`the handler did not run (status ${res.statusCode})`)
    const sc = res.getHeader('set-cookie')
    check(c, p.got, p.rec, res.statusCode, sc === undefined ? [] : ([] as string[]).concat(sc as string | string[]), res.getHeader('cache-control') as string | undefined)
    return
  }
  pending.set(id, p)
  try {
    const r = responseHead(await rawRequest(id, header))
    if (!p.got) throw new Error(`the handler did not run (status ${r.status})`)
    check(c, p.got, p.rec, r.status, r.setCookie, r.cacheControl)
  } finally {
    pending.delete(id)
  }
}

const files = sessionFiles()

test('middleware sessions: the suite is present', () => {
  if (files.length === 0) throw new Error(`no testdata/sessions/*.json (${TESTDATA})`)
})

before(startServer)
after(() => new Promise<void>((r) => (server ? server.close(() => r()) : r())))

for (const file of files) {
  const suite = parseSuite(readFileSync(file, 'utf8'))
  suite.cases.forEach((c: any, i: number) => {
    test(`sessions express ${c.id}`, () => runExpress(c, `${basename(file)}#${i}`))
    test(`sessions hono ${c.id}`, () => runHonoCase(c))
  })
}
