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
  for (const f of ['web.ts', 'next-route.ts', 'node.ts']) {
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
