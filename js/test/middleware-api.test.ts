// The session middleware's own API, beyond the scenario suite: validators
// (a function and a Standard Schema), times as Date, refuse(), changes at a
// 4xx status, a value from another implementation, the Web wrapper with an
// immutable Response, and the Next.js adapter over a cookie store shaped as
// Next's (get/getAll/set) and over a proxy's request and response.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { Hono } from 'hono'
import { Codec, generateSecret } from '../src/codec.js'
import { Cookies } from '../src/cookies.js'
import type { CookiesealError } from '../src/errors.js'
import { SessionConfig, SessionHandle, type SessionOptions, type StandardSchema } from '../src/session.js'
import { session as honoSession, withSession, type SessionEnv } from '../src/hono.js'
import { getProxySession, getSession, type NextCookieOptions } from '../src/next.js'

const T0 = 1_780_000_000

function setup(opts: Partial<SessionOptions<any>> = {}, now = { s: T0 }) {
  const codec = new Codec({ secrets: [generateSecret()], now: () => now.s * 1000, refreshAge: 600 })
  const cookies = new Cookies(codec, { insecure: true })
  const errors: CookiesealError[] = []
  const cfg = new SessionConfig({ cookies, onError: (e) => errors.push(e), ...opts })
  return { codec, cookies, cfg, errors, now }
}

/** The Cookie header a browser sends back for these Set-Cookie lines. */
function echo(lines: string[]): string {
  return lines.filter((l) => !/Max-Age=0/.test(l)).map((l) => l.split(';')[0]).join('; ')
}

function run(cfg: SessionConfig<any>, header: string | null, f: (s: SessionHandle<any>) => number | void): { lines: string[]; h: Headers } {
  const s = new SessionHandle(cfg, header)
  const status = f(s) ?? 200
  const h = new Headers()
  s.commit(h, status)
  return { lines: h.getSetCookie(), h }
}

function login(cfg: SessionConfig<any>, values: object): string {
  return echo(run(cfg, null, (s) => void s.regenerate(values)).lines)
}

test('session: createdAt and issuedAt are Dates; a change keeps createdAt and moves issuedAt', () => {
  const { cfg, now } = setup()
  const c1 = login(cfg, { user: 'ann' })
  now.s += 100
  let seen: SessionHandle<any> | undefined
  const c2 = echo(run(cfg, c1, (s) => {
    seen = s
    s.data!.n = 1
  }).lines)
  assert.ok(seen!.createdAt instanceof Date)
  assert.equal(seen!.createdAt!.getTime(), T0 * 1000)
  assert.equal(seen!.issuedAt!.getTime(), T0 * 1000)
  run(cfg, c2, (s) => {
    assert.equal(s.createdAt!.getTime(), T0 * 1000)
    assert.equal(s.issuedAt!.getTime(), (T0 + 100) * 1000)
  })
  run(cfg, null, (s) => {
    assert.equal(s.createdAt, undefined)
    assert.equal(s.data!.isNew, true)
  })
})

test('session: a validator function checks the shape; a session it refuses is empty and reported', () => {
  const { cfg: plain } = setup()
  const good = login(plain, { user: 'ann' })
  const bad = login(plain, { user: 42 })
  const errors: CookiesealError[] = []
  const cfg = new SessionConfig({
    cookies: plain.cookies,
    onError: (e) => errors.push(e),
    validate: (v: any) => {
      if (typeof v.user !== 'string') throw new Error(`user ${v.user} is not a string`)
      return { user: v.user as string }
    },
  })
  run(cfg, good, (s) => assert.deepEqual({ ...s.data! }, { user: 'ann' }))
  run(cfg, bad, (s) => assert.deepEqual({ ...s.data! }, {}))
  assert.deepEqual(errors.map((e) => e.code), ['ERR_COOKIESEAL_INVALID'])
  assert.ok(!errors[0]!.message.includes('42'), 'the validator message (which quotes the value) is not passed on')
})

test('session: a Standard Schema validator, and its transformed value', () => {
  const { cfg: plain } = setup()
  const schema: StandardSchema<{ user: string; role: string }> = {
    '~standard': {
      validate: (v: any) => (typeof v?.user === 'string' ? { value: { user: v.user, role: v.role ?? 'member' } } : { issues: [{ message: 'user' }] }),
    },
  }
  const cfg = new SessionConfig({ cookies: plain.cookies, validate: schema })
  run(cfg, login(plain, { user: 'ann' }), (s) => assert.deepEqual({ ...s.data! }, { user: 'ann', role: 'member' }))
  run(cfg, login(plain, { id: 1 }), (s) => assert.equal(s.data!.isPopulated, false))
  const asyncSchema = { '~standard': { validate: async () => ({ value: {} }) } }
  const cfg2 = new SessionConfig({ cookies: plain.cookies, validate: asyncSchema as any })
  assert.throws(() => run(cfg2, login(plain, { user: 'ann' }), (s) => void s.data), /asynchronous/)
})

test('session: refuse() and a 4xx status stop a due refresh; changes made are still saved', () => {
  const { cfg, now, codec } = setup()
  const c1 = login(cfg, { user: 'ann' })
  now.s += 700 // past refreshAge
  assert.equal(run(cfg, c1, (s) => void s.data).lines.length, 1, 'a due refresh is written for an accepted session')
  assert.deepEqual(run(cfg, c1, (s) => { void s.data; s.refuse() }).lines, [])
  assert.deepEqual(run(cfg, c1, (s) => { void s.data; return 401 }).lines, [])
  const changed = run(cfg, c1, (s) => {
    s.data!.flash = 'wrong password'
    return 400
  }).lines
  assert.equal(changed.length, 1)
  assert.deepEqual(new Cookies(codec, { insecure: true }).read(echo(changed), 'session')!.value, { user: 'ann', flash: 'wrong password' })
})

test('session: a session never accessed is neither read nor written, even when a re-issue is due', () => {
  const { cfg, now } = setup()
  const c1 = login(cfg, { user: 'ann' })
  now.s += 700
  assert.deepEqual(run(cfg, c1, () => {}).lines, [])
  assert.deepEqual(run(cfg, 'session=garbage', () => {}).lines, [])
})

test('session: a sealed value that is not an object is an empty session with an error, never a throw', () => {
  const { cfg, codec, errors } = setup()
  const sealed = codec.seal('session', [1, 2, 3])
  run(cfg, `session=${sealed}`, (s) => assert.equal(s.data!.isPopulated, false))
  assert.deepEqual(errors.map((e) => e.code), ['ERR_COOKIESEAL_INVALID'])
})

test('session: logout deletes even without a cookie; data = "x" throws', () => {
  const { cfg } = setup()
  const { lines } = run(cfg, null, (s) => void (s.data = null))
  assert.equal(lines.length, 1)
  assert.match(lines[0]!, /^session=; .*Max-Age=0/)
  assert.throws(() => run(cfg, null, (s) => void (s.data = 'x' as any)), TypeError)
})

test('hono: withSession saves into an immutable Response (from Response.redirect) by copying it', async () => {
  const { cookies } = setup()
  const handler = withSession({ cookies }, (_req, s) => {
    s.regenerate({ user: 'ann' })
    return Response.redirect('http://127.0.0.1/home', 303)
  })
  const res = await handler(new Request('http://127.0.0.1/login'))
  assert.equal(res.status, 303)
  assert.equal(res.headers.get('location'), 'http://127.0.0.1/home')
  assert.equal(res.headers.getSetCookie().length, 1)
  assert.equal(cookies.read<{ user: string }>(echo(res.headers.getSetCookie()), 'session')!.value.user, 'ann')
})

test('hono: c.get("session") across requests: login, read, logout', async () => {
  const { cookies } = setup()
  const app = new Hono<SessionEnv>()
  app.use(honoSession({ cookies }))
  app.post('/login', (c) => {
    c.get('session').regenerate({ user: 'ann' })
    return c.text('ok')
  })
  app.get('/me', (c) => c.text(String(c.get('session').data!.user ?? 'nobody'), c.get('session').data!.user ? 200 : 401))
  app.post('/logout', (c) => {
    c.get('session').destroy()
    return c.text('bye')
  })
  const r1 = await app.request('/login', { method: 'POST' })
  const cookie = echo(r1.headers.getSetCookie())
  assert.equal(await (await app.request('/me', { headers: { cookie } })).text(), 'ann')
  const r3 = await app.request('/logout', { method: 'POST', headers: { cookie } })
  assert.match(r3.headers.getSetCookie()[0]!, /Max-Age=0/)
  assert.equal((await app.request('/me')).status, 401)
})

/** A cookie store with the shape of Next's cookies(): one cookie per name. */
class Store {
  map = new Map<string, { value: string; options?: NextCookieOptions }>()
  readOnly = false
  getAll() {
    return [...this.map].map(([name, c]) => ({ name, value: c.value }))
  }
  get(name: string) {
    const c = this.map.get(name)
    return c && { name, value: c.value }
  }
  set(name: string, value: string, options?: NextCookieOptions) {
    if (this.readOnly) throw new Error('Cookies can only be modified in a Server Action or Route Handler.')
    if (options?.maxAge === 0) this.map.delete(name)
    else this.map.set(name, { value, options })
  }
}

test('next: getSession reads (Server Component) and writes (Server Action) through the cookie store', () => {
  const { cookies } = setup()
  const store = new Store()
  const action = getSession(store, { cookies })
  action.regenerate({ user: 'ann' })
  action.save()
  const set = store.map.get('session')!
  assert.deepEqual(set.options, { path: '/', maxAge: 86400, httpOnly: true, secure: false, sameSite: 'lax' })
  store.readOnly = true
  const page = getSession(store, { cookies })
  assert.equal(page.data!.user, 'ann')
  page.save() // nothing to write: no throw in a Server Component
  store.readOnly = false
  const logout = getSession(store, { cookies })
  logout.destroy()
  logout.save()
  assert.equal(store.map.size, 0)
})

test('next: legacyScopes cannot be written through a store that keeps one cookie per name', () => {
  const codec = new Codec({ secrets: [generateSecret()] })
  const cookies = new Cookies(codec, { legacyScopes: [{ domain: 'example.com', path: '/' }] })
  assert.throws(() => getSession(new Store(), { cookies }), /legacyScopes/)
})

test('next: getProxySession re-issues a due refresh through response.cookies and request.cookies', () => {
  const { cookies, now } = setup()
  const store = new Store()
  const s0 = getSession(store, { cookies })
  s0.regenerate({ user: 'ann' })
  s0.save()
  now.s += 700
  const request = { headers: new Headers({ cookie: `session=${store.map.get('session')!.value}` }), cookies: new Store() }
  const response = { cookies: new Store() }
  const s = getProxySession(request, response, { cookies })
  assert.equal(s.data!.user, 'ann')
  s.save()
  assert.ok(response.cookies.map.get('session')!.value !== store.map.get('session')!.value)
  assert.equal(request.cookies.map.get('session')!.value, response.cookies.map.get('session')!.value)
})

test('session: members named __proto__, constructor or toString stay values; the getters\' names are dropped', () => {
  const { cfg, codec } = setup()
  const sealed = codec.seal('session', JSON.parse('{"__proto__":{"admin":true},"constructor":1,"toString":"x","isNew":5,"user":"ann"}'))
  run(cfg, `session=${sealed}`, (s) => {
    const d = s.data! as any
    assert.equal(Object.getPrototypeOf(Object.getPrototypeOf(d)), Object.prototype, 'the prototype is not replaced')
    assert.equal(d.admin, undefined)
    assert.deepEqual(Object.keys(d).sort(), ['__proto__', 'constructor', 'toString', 'user'])
    assert.equal(d.isNew, false)
  })
})
