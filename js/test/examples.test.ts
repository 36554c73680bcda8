// The README's code is js/examples/*.ts, compiled with the tests (through the
// package's own name, as an application imports it) and run here; the
// README must show each file exactly.
import { test, before } from 'node:test'
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { createServer, request as httpRequest } from 'node:http'
import { fileURLToPath } from 'node:url'
import { generateSecret } from '../src/codec.js'

const JS = fileURLToPath(new URL('../../', import.meta.url))
const secrets = [generateSecret()]

before(() => {
  process.env.COOKIESEAL_SECRETS = secrets.join(',')
})

test('examples: the README shows every example file exactly', () => {
  const readme = readFileSync(JS + 'README.md', 'utf8')
  for (const f of ['web.ts', 'next-route.ts', 'node.ts', 'express-session.ts', 'hono-session.ts']) {
    const code = readFileSync(JS + 'examples/' + f, 'utf8')
    assert.ok(readme.includes('```ts\n' + code + '```'), `README.md does not show examples/${f} as it is`)
  }
})

const setCookie = (h: Headers) => h.getSetCookie().map((l) => l.split(';')[0]).join('; ')

test('examples: the fetch handler counts visits in a sealed cookie', async () => {
  const { visits } = await import('../examples/web.js')
  const handle = visits(secrets)
  const r1 = await handle(new Request('http://127.0.0.1/'))
  assert.equal(await r1.text(), 'visit 1\n')
  const r2 = await handle(new Request('http://127.0.0.1/', { headers: { cookie: setCookie(r1.headers) } }))
  assert.equal(await r2.text(), 'visit 2\n')
  const r3 = await handle(new Request('http://127.0.0.1/', { headers: { cookie: 'session=tampered' } }))
  assert.equal(await r3.text(), 'visit 1\n')
})

test('examples: the Next.js route logs in with POST and reads with GET', async () => {
  const route = await import('../examples/next-route.js')
  assert.equal((await route.GET(new Request('http://127.0.0.1/api/me'))).status, 401)
  const login = await route.POST(new Request('http://127.0.0.1/api/me', { method: 'POST' }))
  assert.match(login.headers.getSetCookie()[0]!, /^__Host-session=.*; Secure; SameSite=Lax$/)
  const me = await route.GET(new Request('http://127.0.0.1/api/me', { headers: { cookie: setCookie(login.headers) } }))
  assert.deepEqual(await me.json(), { userId: 42 })
})

test('examples: the Node handler behind a loopback server', async () => {
  const { count } = await import('../examples/node.js')
  const server = createServer(count)
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  const port = (server.address() as { port: number }).port
  const get = (cookie?: string) => new Promise<{ body: string; cookies: string }>((resolve, reject) => {
    httpRequest({ host: '127.0.0.1', port, headers: cookie ? { cookie } : {} }, (res) => {
      let body = ''
      res.on('data', (d) => (body += d))
      res.on('end', () => resolve({ body, cookies: (res.headers['set-cookie'] ?? []).map((l) => l.split(';')[0]).join('; ') }))
    }).on('error', reject).end()
  })
  try {
    const a = await get()
    assert.equal(a.body, '1\n')
    assert.equal((await get(a.cookies)).body, '2\n')
  } finally {
    server.close()
  }
})

test('examples: the Express app with req.session logs in, counts visits, logs out', async () => {
  const { createApp } = await import('../examples/express-session.js')
  const server = createServer(createApp(secrets))
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  const base = `http://127.0.0.1:${(server.address() as { port: number }).port}`
  try {
    const login = await fetch(base + '/login', { method: 'POST', body: new URLSearchParams({ user: 'ann' }), redirect: 'manual' })
    assert.equal(login.status, 303)
    const cookie = setCookie(login.headers)
    assert.match(cookie, /^__Host-session=/)
    const r1 = await fetch(base + '/', { headers: { cookie } })
    assert.match(await r1.text(), /^ann: visit 1 since \d{4}-/)
    const r2 = await fetch(base + '/', { headers: { cookie: setCookie(r1.headers) } })
    assert.match(await r2.text(), /^ann: visit 2 /)
    const out = await fetch(base + '/logout', { method: 'POST', headers: { cookie }, redirect: 'manual' })
    assert.match(out.headers.getSetCookie()[0]!, /^__Host-session=; .*Max-Age=0/)
    assert.equal((await fetch(base + '/')).status, 401)
  } finally {
    server.close()
  }
})

test('examples: the Hono app logs in, reads and logs out', async () => {
  const { createApp } = await import('../examples/hono-session.js')
  const app = createApp(secrets)
  const login = await app.request('/login', { method: 'POST', body: new URLSearchParams({ user: 'ann' }) })
  assert.equal(login.status, 303)
  const cookie = setCookie(login.headers)
  assert.equal(await (await app.request('/', { headers: { cookie } })).text(), 'hello ann')
  const out = await app.request('/logout', { method: 'POST', headers: { cookie } })
  assert.match(out.headers.getSetCookie()[0]!, /Max-Age=0/)
  assert.equal((await app.request('/')).status, 401)
})
