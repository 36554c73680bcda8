// Migration that logs nobody out: a stock cookie-session app and a stock
// iron-session app (the real packages, pinned devDependencies) issue a
// session to a client; the app is switched to cookieseal/express with the
// migrate option; the same client stays logged in and gets a sealed
// cookie, while a refused session is not re-issued and, with the option
// off, the old cookie is an empty session. Everything runs on 127.0.0.1.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { createServer, type RequestListener } from 'node:http'
import express from 'express'
import cookieSession from 'cookie-session'
import { getIronSession } from 'iron-session'
import { Codec, generateSecret } from '../src/codec.js'
import { Cookies } from '../src/cookies.js'
import { session } from '../src/express.js'
import type { MigrateOptions } from '../src/migrate.js'
import type { CookiesealError } from '../src/errors.js'

const KEYS = ['old-cookie-session-key-2', 'old-cookie-session-key-1']
const IRON_PASSWORD = 'an-iron-session-password-of-32-characters-or-more'

/** A browser's cookie jar, enough for host-only cookies on one host. */
class Jar {
  cookies = new Map<string, string>()
  header(): string {
    return [...this.cookies].map(([n, v]) => `${n}=${v}`).join('; ')
  }
  take(lines: string[]): void {
    for (const l of lines) {
      const [nv, ...attrs] = l.split(';')
      const eq = nv!.indexOf('=')
      const name = nv!.slice(0, eq).trim(), value = nv!.slice(eq + 1).trim()
      const gone = attrs.some((a) => /^\s*max-age=0\s*$/i.test(a) || (/^\s*expires=/i.test(a) && Date.parse(a.split('=')[1]!) < Date.now()))
      if (gone) this.cookies.delete(name)
      else this.cookies.set(name, value)
    }
  }
}

/** Serves app on 127.0.0.1 for one call of f(base). */
async function serve<R>(app: RequestListener, f: (base: string) => Promise<R>): Promise<R> {
  const server = createServer(app)
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  try {
    return await f(`http://127.0.0.1:${(server.address() as { port: number }).port}`)
  } finally {
    server.closeAllConnections()
    await new Promise<void>((r) => server.close(() => r()))
  }
}

async function get(base: string, path: string, jar: Jar): Promise<{ status: number; body: string; setCookie: string[] }> {
  const res = await fetch(base + path, { headers: jar.header() ? { cookie: jar.header() } : {} })
  const setCookie = res.headers.getSetCookie()
  jar.take(setCookie)
  return { status: res.status, body: await res.text(), setCookie }
}

/** The old app: stock cookie-session (signed, Keygrip keys). */
function cookieSessionApp(): RequestListener {
  const app = express()
  app.use(cookieSession({ name: 'session', keys: KEYS }))
  app.get('/login', (req: any, res: any) => {
    req.session.user = 'ann'
    res.end('ok')
  })
  return app
}

/** The old app: stock iron-session. */
function ironSessionApp(): RequestListener {
  const app = express()
  app.get('/login', async (req: any, res: any) => {
    const s = await getIronSession<{ user?: string }>(req, res, { password: IRON_PASSWORD, cookieName: 'iron', cookieOptions: { secure: false } })
    s.user = 'bob'
    await s.save()
    res.end('ok')
  })
  return app
}

/** The new app: cookieseal/express; /me answers the user, or 401; /banned refuses every session; /logout ends it. */
function cookiesealApp(cookies: Cookies, migrate: MigrateOptions | undefined, errors: CookiesealError[] = []): RequestListener {
  const app = express()
  app.use(session({ cookies, migrate, onError: (e) => errors.push(e) }))
  app.get('/me', (req: any, res: any) => {
    if (!req.session.user) return res.status(401).end('log in')
    res.end(`${req.session.user} ${req.cookieseal.migratedFrom ?? 'cookieseal'}`)
  })
  app.get('/banned', (req: any, res: any) => {
    res.status(403).end(`${req.session.user} is banned`)
  })
  app.get('/logout', (req: any, res: any) => {
    req.session = null
    res.end('bye')
  })
  return app
}

function newCookies(): Cookies {
  return new Cookies(new Codec({ secrets: [generateSecret()] }), { insecure: true })
}

function sealedIn(cookies: Cookies, jar: Jar): unknown {
  return cookies.read(jar.header(), 'session')?.value
}

test('migrate: a cookie-session client stays logged in and gets a sealed cookie; .sig is expired', async () => {
  const jar = new Jar()
  await serve(cookieSessionApp(), async (base) => {
    await get(base, '/login', jar)
  })
  assert.deepEqual([...jar.cookies.keys()].sort(), ['session', 'session.sig'])
  const cookies = newCookies()
  await serve(cookiesealApp(cookies, { cookieSession: { keys: KEYS } }), async (base) => {
    const r = await get(base, '/me', jar)
    assert.equal(r.status, 200)
    assert.equal(r.body, 'ann cookie-session')
    assert.deepEqual([...jar.cookies.keys()], ['session'], 'the .sig cookie is expired')
    assert.deepEqual(sealedIn(cookies, jar), { user: 'ann' })
    const again = await get(base, '/me', jar)
    assert.equal(again.body, 'ann cookieseal')
    assert.deepEqual(again.setCookie, [], 'a sealed session that was not changed is not written again')
  })
})

test('migrate: an iron-session client stays logged in and gets a sealed cookie; the iron cookie is expired', async () => {
  const jar = new Jar()
  await serve(ironSessionApp(), async (base) => {
    await get(base, '/login', jar)
  })
  assert.deepEqual([...jar.cookies.keys()], ['iron'])
  assert.match(jar.cookies.get('iron')!, /^Fe26\.2\*/)
  const cookies = newCookies()
  await serve(cookiesealApp(cookies, { ironSession: { cookieName: 'iron', password: IRON_PASSWORD } }), async (base) => {
    const r = await get(base, '/me', jar)
    assert.equal(r.body, 'bob iron-session')
    assert.deepEqual([...jar.cookies.keys()], ['session'], 'the iron cookie is expired')
    assert.deepEqual(sealedIn(cookies, jar), { user: 'bob' })
    assert.equal((await get(base, '/me', jar)).body, 'bob cookieseal')
  })
})

test('migrate: an iron password map (rotation) opens a cookie sealed under an older id', async () => {
  const jar = new Jar()
  await serve(ironSessionApp(), async (base) => {
    await get(base, '/login', jar)
  })
  const cookies = newCookies()
  const password = { 2: 'a-newer-iron-session-password-of-32-characters', 1: IRON_PASSWORD }
  await serve(cookiesealApp(cookies, { ironSession: { cookieName: 'iron', password } }), async (base) => {
    assert.equal((await get(base, '/me', jar)).body, 'bob iron-session')
  })
})

test('migrate: a refused session (status 403) is not re-issued, and the old cookies stay', async () => {
  for (const [issue, migrate, names] of [
    [cookieSessionApp, { cookieSession: { keys: KEYS } }, ['session', 'session.sig']],
    [ironSessionApp, { ironSession: { cookieName: 'iron', password: IRON_PASSWORD } }, ['iron']],
  ] as const) {
    const jar = new Jar()
    await serve(issue(), async (base) => {
      await get(base, '/login', jar)
    })
    const before = jar.header()
    await serve(cookiesealApp(newCookies(), migrate), async (base) => {
      const r = await get(base, '/banned', jar)
      assert.equal(r.status, 403)
      assert.ok(/is banned/.test(r.body) && !r.body.startsWith('undefined'), 'the handler saw the migrated session')
      assert.deepEqual(r.setCookie, [], 'nothing written for a refused session')
    })
    assert.equal(jar.header(), before)
    assert.deepEqual([...jar.cookies.keys()].sort(), [...names])
  }
})

test('migrate: with the option off, an old cookie is an empty session', async () => {
  for (const issue of [cookieSessionApp, ironSessionApp]) {
    const jar = new Jar()
    await serve(issue(), async (base) => {
      await get(base, '/login', jar)
    })
    const errors: CookiesealError[] = []
    await serve(cookiesealApp(newCookies(), undefined, errors), async (base) => {
      const r = await get(base, '/me', jar)
      assert.equal(r.status, 401)
      assert.deepEqual(r.setCookie, [])
    })
    // cookie-session's cookie has the session's name, so it is reported as a bad cookie; iron's has another name.
    assert.deepEqual(errors.map((e) => e.code), issue === cookieSessionApp ? ['ERR_COOKIESEAL_INVALID'] : [])
  }
})

test('migrate: a forged or tampered old cookie is not migrated', async () => {
  const jar = new Jar()
  await serve(cookieSessionApp(), async (base) => {
    await get(base, '/login', jar)
  })
  const ironJar = new Jar()
  await serve(ironSessionApp(), async (base) => {
    await get(base, '/login', ironJar)
  })
  // cookie-session's value is readable base64 JSON: an attacker edits it and keeps the .sig.
  const forged = new Jar()
  forged.cookies.set('session', Buffer.from(JSON.stringify({ user: 'admin' })).toString('base64'))
  forged.cookies.set('session.sig', jar.cookies.get('session.sig')!)
  const wrongKeys = new Jar()
  for (const [n, v] of jar.cookies) wrongKeys.cookies.set(n, v)
  const iron = ironJar.cookies.get('iron')!
  const tampered = new Jar()
  const i = iron.indexOf('*', 30)
  tampered.cookies.set('iron', iron.slice(0, i + 1) + (iron[i + 1] === 'A' ? 'B' : 'A') + iron.slice(i + 2))
  const cases: [Jar, MigrateOptions][] = [
    [forged, { cookieSession: { keys: KEYS } }],
    [wrongKeys, { cookieSession: { keys: ['another-key'] } }],
    [tampered, { ironSession: { cookieName: 'iron', password: IRON_PASSWORD } }],
    [ironJar, { ironSession: { cookieName: 'iron', password: 'another-password-of-thirty-two-characters!' } }],
  ]
  for (const [j, migrate] of cases) {
    await serve(cookiesealApp(newCookies(), migrate), async (base) => {
      const r = await get(base, '/me', j)
      assert.equal(r.status, 401, JSON.stringify(migrate))
      assert.deepEqual(r.setCookie, [])
    })
  }
})

test('migrate: logout expires the old cookies too, so the session is not migrated again', async () => {
  const jar = new Jar()
  await serve(ironSessionApp(), async (base) => {
    await get(base, '/login', jar)
  })
  await serve(cookiesealApp(newCookies(), { ironSession: { cookieName: 'iron', password: IRON_PASSWORD } }), async (base) => {
    await get(base, '/logout', jar)
    assert.deepEqual([...jar.cookies.keys()], [])
    assert.equal((await get(base, '/me', jar)).status, 401)
  })
})

test('migrate: an expired iron seal is not migrated', async () => {
  const jar = new Jar()
  await serve(ironSessionApp(), async (base) => {
    await get(base, '/login', jar)
  })
  // iron-session's default ttl is 14 days; a clock 15 days on is past it (and its 60 s skew).
  const later = Date.now() + 15 * 86400 * 1000
  const cookies = new Cookies(new Codec({ secrets: [generateSecret()], now: () => later }), { insecure: true })
  await serve(cookiesealApp(cookies, { ironSession: { cookieName: 'iron', password: IRON_PASSWORD } }), async (base) => {
    assert.equal((await get(base, '/me', jar)).status, 401)
  })
})

test('migrate: configuration errors name the option, never the secret', () => {
  const cookies = newCookies()
  for (const migrate of [{ cookieSession: { keys: [] } }, { ironSession: { cookieName: 'iron', password: 'short-secret' } }, { ironSession: { cookieName: 'a b', password: IRON_PASSWORD } }]) {
    assert.throws(() => session({ cookies, migrate: migrate as MigrateOptions }), (e: any) => e.code === 'ERR_COOKIESEAL_CONFIG' && !e.message.includes('short-secret'))
  }
})
