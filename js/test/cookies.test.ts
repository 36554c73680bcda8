import { test } from 'node:test'
import assert from 'node:assert/strict'
import { createServer, request as httpRequest } from 'node:http'
import { Codec } from '../src/codec.js'
import { Cookies, parseCookieHeader } from '../src/cookies.js'
import { NodeCookies } from '../src/node.js'
import { at } from './helpers.js'

const S1 = 'js-test-secret-one-PUBLIC-never-use-0123456789'
const S2 = 'js-test-secret-two-PUBLIC-never-use-0123456789'
const T0 = 1795700000

function setup(o: ConstructorParameters<typeof Cookies>[1] = {}, c: Partial<ConstructorParameters<typeof Codec>[0]> = {}) {
  const codec = new Codec({ secrets: [S1], now: at(T0), ...c })
  return new Cookies(codec, o)
}

/** The Cookie header a browser would send back for these Set-Cookie lines. */
function cookieHeaderFrom(lines: string[], jar = new Map<string, string>()): string {
  for (const l of lines) {
    const [nv] = l.split(';')
    const eq = nv!.indexOf('=')
    const name = nv!.slice(0, eq), value = nv!.slice(eq + 1)
    if (/Max-Age=0\b/.test(l)) jar.delete(name)
    else jar.set(name, value)
  }
  return [...jar].map(([n, v]) => `${n}=${v}`).join('; ')
}

test('cookies: default attributes as the Go package writes them', () => {
  const c = setup()
  const h = new Headers()
  c.write(h, null, 'session', { u: 1 })
  const lines = h.getSetCookie()
  assert.equal(lines.length, 1, 'within the default budget a value has one cookie, so no part to expire')
  assert.match(lines[0]!, /^session=[A-Za-z0-9_-]+; Path=\/; Max-Age=86400; HttpOnly; Secure; SameSite=Lax$/)
  const h2 = new Headers()
  setup({ maxHeaderBytes: 8192 }).write(h2, null, 'session', { u: 1 })
  // With room for parts, and a request that shows no cookie, every part a value could use is expired.
  assert.deepEqual(h2.getSetCookie().slice(1), ['session.1=; Path=/; Max-Age=0; HttpOnly; Secure; SameSite=Lax'])
  assert.throws(() => setup().write(new Headers(), null, 'session', { blob: 'x'.repeat(3000) }), (e: any) => e.code === 'ERR_COOKIESEAL_TOO_LARGE')
  assert.equal(h.get('cache-control'), 'no-store')
  assert.deepEqual(c.read(new Request('http://127.0.0.1/', { headers: { cookie: cookieHeaderFrom(lines) } }), 'session')!.value, { u: 1 })
})

test('cookies: __Host- prefix, insecure, SameSite and Domain options', () => {
  const h = new Headers()
  setup({ hostPrefix: true }).write(h, null, 's', 1)
  assert.match(h.getSetCookie()[0]!, /^__Host-s=.*; Path=\/; Max-Age=86400; HttpOnly; Secure; SameSite=Lax$/)
  const h2 = new Headers()
  setup({ insecure: true, sameSite: 'Strict', domain: 'example.test', path: '/app' }).write(h2, null, 's', 1)
  assert.match(h2.getSetCookie()[0]!, /^s=.*; Path=\/app; Domain=example\.test; Max-Age=86400; HttpOnly; SameSite=Strict$/)
  assert.throws(() => setup({ sameSite: 'None', insecure: true }))
  assert.throws(() => setup({ hostPrefix: true, path: '/x' }))
  assert.throws(() => setup({ maxChunks: 51 }))
  assert.throws(() => setup().write(new Headers(), null, '__Host-x', 1))
  assert.throws(() => setup().write(new Headers(), null, 'bad name', 1))
})

test('cookies: a large session is written in parts, the first holding the count, and reads back', () => {
  const c = setup({ maxHeaderBytes: 8192 })
  const big = { blob: Array.from({ length: 250 }, (_, i) => `item-${i}-${(i * 7919) % 1000}`) }
  const h = new Headers()
  c.write(h, null, 'session', big)
  const lines = h.getSetCookie().filter((l) => !/Max-Age=0/.test(l))
  assert.ok(lines.length >= 2)
  assert.match(lines[0]!, new RegExp(`^session=${lines.length}\\.`))
  for (const [i, l] of lines.entries()) {
    const nv = l.split(';')[0]!
    if (i > 0) assert.ok(nv.startsWith(`session.${i}=`))
    if (i < lines.length - 1) assert.equal(nv.length, 4096, 'every part but the last fills its cookie')
    else assert.ok(nv.length <= 4096)
  }
  const header = cookieHeaderFrom(h.getSetCookie())
  assert.deepEqual(c.read(header, 'session')!.value, big)
  // Stale and planted parts beyond the count are ignored.
  assert.deepEqual(c.read(header + '; session.7=planted; session.01=x', 'session')!.value, big)
  // A missing part is invalid.
  const without1 = parseCookieHeader(header).filter(([n]) => n !== 'session.1').map(([n, v]) => `${n}=${v}`).join('; ')
  assert.throws(() => c.read(without1, 'session'), (e: any) => e.code === 'ERR_COOKIESEAL_INVALID')
})

test('cookies: a session that shrinks expires the parts the request carried', () => {
  const c = setup({ maxHeaderBytes: 8192 })
  const h = new Headers()
  c.write(h, null, 'session', { blob: 'x'.repeat(5000) })
  const header = cookieHeaderFrom(h.getSetCookie())
  const h2 = new Headers()
  c.write(h2, header, 'session', { small: true })
  const lines = h2.getSetCookie()
  assert.ok(lines.some((l) => /^session\.1=; Path=\/; Max-Age=0; HttpOnly; Secure; SameSite=Lax$/.test(l)), lines.join('\n'))
  const after = cookieHeaderFrom(lines, new Map(parseCookieHeader(header)))
  assert.deepEqual(c.read(after, 'session')!.value, { small: true })
})

test('cookies: too large for maxChunks and the header budget is refused, headers untouched', () => {
  const c = setup({ maxHeaderBytes: 8192 })
  const h = new Headers({ 'set-cookie': 'other=1' })
  assert.throws(() => c.write(h, null, 'session', { blob: crypto.getRandomValues(new Uint8Array(8000)).join(',') }), (e: any) => e.code === 'ERR_COOKIESEAL_TOO_LARGE')
  assert.deepEqual(h.getSetCookie(), ['other=1'])
  assert.equal(h.get('cache-control'), null)
})

test('cookies: reading writes nothing; reissue only when info says so, after the app decided', () => {
  let now = T0
  const codec1 = new Codec({ secrets: [S1], now: () => now * 1000 })
  const h = new Headers()
  new Cookies(codec1).write(h, null, 's', { u: 1 })
  const header = cookieHeaderFrom(h.getSetCookie())
  now += 50
  const rotated = new Cookies(new Codec({ secrets: [S2, S1], now: () => now * 1000 }))
  const s = rotated.read(header, 's')!
  assert.equal(s.info.reissue, true)
  const out = new Headers()
  rotated.reissue(out, header, 's', s.value, s.info)
  const lines = out.getSetCookie()
  assert.equal(lines.length, 1)
  assert.match(lines[0]!, /Max-Age=86350;/, 'the Max-Age left, since issuedAt is kept')
  const again = rotated.read(cookieHeaderFrom(lines), 's')!
  assert.equal(again.info.issuedAt, T0)
  const none = new Headers()
  rotated.reissue(none, null, 's', again.value, again.info)
  assert.deepEqual(none.getSetCookie(), [])
})

test('cookies: a planted non-cookieseal cookie of the same name does not shadow the session', () => {
  const c = setup()
  const h = new Headers()
  c.write(h, null, 's', 7)
  const good = cookieHeaderFrom(h.getSetCookie())
  assert.equal(c.read('s=planted; ' + good, 's')!.value, 7)
  assert.equal(c.read('', 's'), undefined)
  assert.equal(c.read(null, 's'), undefined)
  assert.throws(() => c.read('s=planted', 's'), (e: any) => e.code === 'ERR_COOKIESEAL_INVALID')
})

test('cookies: a later write in the same response replaces the earlier lines', () => {
  const c = setup()
  const h = new Headers()
  h.append('Set-Cookie', 'other=1')
  c.write(h, null, 's', 1)
  c.delete(h, null, 's')
  const lines = h.getSetCookie()
  assert.equal(lines[0], 'other=1')
  assert.ok(lines.slice(1).every((l) => /Max-Age=0/.test(l)))
})

test('node: IncomingMessage / ServerResponse through a real loopback server', async () => {
  const nc = new NodeCookies(setup({ insecure: true }))
  const server = createServer((req, res) => {
    const s = nc.read<{ n: number }>(req, 'session')
    const n = (s?.value.n ?? 0) + 1
    nc.refresh(res, req, 'session', { n }, s?.info)
    res.end(String(n))
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  const port = (server.address() as { port: number }).port
  const get = (cookie?: string) => new Promise<{ body: string; setCookie: string[]; cc: string | undefined }>((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port, path: '/', headers: cookie ? { cookie } : {} }, (res) => {
      let body = ''
      res.on('data', (d) => (body += d))
      res.on('end', () => resolve({ body, setCookie: res.headers['set-cookie'] ?? [], cc: res.headers['cache-control'] }))
    })
    req.on('error', reject)
    req.end()
  })
  try {
    const r1 = await get()
    assert.equal(r1.body, '1')
    assert.equal(r1.cc, 'no-store')
    const r2 = await get(cookieHeaderFrom(r1.setCookie))
    assert.equal(r2.body, '2')
  } finally {
    server.close()
  }
})
