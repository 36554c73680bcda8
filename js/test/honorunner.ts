// The scenario suite through a Hono app (cookieseal/hono), runtime-neutral:
// test/middleware.test.ts runs it on Node, and runtimes/hono-deno.mjs runs
// its bundle (npm run bundle) on Deno. Each case is one request handled by
// the framework (app.fetch with a Web Request).
import { Hono } from 'hono'
import { session, type SessionEnv } from '../src/hono.js'
import { check, configOf, cookiesOf, handleMiddleware, headerOf, Recorder, type Handled } from './sessionsuite.js'

export { parseSuite } from './sessionsuite.js'

export async function runHonoCase(c: any): Promise<void> {
  const clock = { now: Number(c.now) }
  const rec = new Recorder()
  const app = new Hono<SessionEnv>()
  let got: Handled | undefined
  app.use(session({ cookies: cookiesOf(c, clock), name: configOf(c).name, onError: rec.onError }))
  app.get('/', (ctx) => {
    got = handleMiddleware(c, ctx.get('session'), clock, rec)
    return ctx.body(null, got.status as 200)
  })
  const header = headerOf(c)
  let req: Request
  try {
    req = new Request('http://127.0.0.1/', { headers: header === '' ? {} : { cookie: header } })
  } catch {
    // A Request refuses a header holding NUL, CR or LF, which no client can
    // send; such a case's header reaches the middleware as the Cookie header
    // a request object reports.
    req = new Request('http://127.0.0.1/')
    const headers = new Headers()
    Object.defineProperty(req, 'headers', { value: { get: (n: string) => (n.toLowerCase() === 'cookie' ? header : headers.get(n)), has: (n: string) => n.toLowerCase() === 'cookie' || headers.has(n) } })
  }
  const res = await app.fetch(req)
  if (!got) throw new Error(`the handler did not run (status ${res.status}: ${await res.text()})`)
  check(c, got, rec, res.status, res.headers.getSetCookie(), res.headers.get('cache-control'))
}
