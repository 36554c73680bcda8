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
  assert.match(lines[0]!, /Max-Age=86400;/, 'Max-Age is maxAge, never derived from the sealed times (S5.2)')
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

// ---- SESSIONS.md (issue 19) ----

/** A codec spy: counts openPayload calls (each is at most one AEAD open) and the bytes they were given. */
function spyOpens(c: Cookies): { calls: number; bytes: number } {
  const n = { calls: 0, bytes: 0 }
  const codec = c.codec as any
  const orig = codec.openPayload.bind(codec)
  codec.openPayload = (name: string, cookie: string, limit: number) => {
    n.calls++
    n.bytes += cookie.length
    return orig(name, cookie, limit)
  }
  return n
}

test('S2: a cookie named \\xA0__Host-session (which Chromium sends) is not the __Host- session', () => {
  const c = setup({ hostPrefix: true })
  const attacker = cookieHeaderFrom(setCookiesOf(c, 'session', { user: 'mallory' })).split('=').slice(1).join('=')
  const victim = cookieHeaderFrom(setCookiesOf(c, 'session', { user: 'alice' }))
  // A sibling subdomain plants the attacker's own valid session under a name that trim() would turn into __Host-session.
  for (const ws of ['\xa0', '\x85', '\u3000', '\ufeff']) {
    assert.equal(c.read(`${ws}__Host-session=${attacker}`, 'session'), undefined, JSON.stringify(ws))
    assert.deepEqual(c.read(`${ws}__Host-session=${attacker}; ${victim}`, 'session')!.value, { user: 'alice' })
    assert.deepEqual(c.read(`${ws}__Host-session.1=x; ${victim}`, 'session')!.value, { user: 'alice' })
  }
  // SP and HTAB are what is trimmed, around the piece, the name and the value.
  assert.deepEqual(c.read(` \t__Host-session \t=\t ${attacker} \t`, 'session')!.value, { user: 'mallory' })
})

function setCookiesOf(c: Cookies, name: string, value: unknown): string[] {
  const h = new Headers()
  c.write(h, null, name, value)
  return h.getSetCookie()
}

test('S2: parseCookieHeader keeps token names and visible-ASCII values only, trims SP and HTAB only', () => {
  const h = 'a=1;\tb = 2 ;c;=x; d="q"; e="; f=a\\b; g=\x7f; h=\xa0; i=x y; j=""; k=; l="a"b; m=v=w; n\xa0=1; \xa0o=1; p(=1; q=é'
  assert.deepEqual(parseCookieHeader(h), [
    ['a', '1'], ['b', '2'], ['d', 'q'], ['i', 'x y'], ['j', ''], ['k', ''], ['m', 'v=w'],
  ])
  assert.deepEqual(parseCookieHeader('x=1\n; y=2\r; z=3'), [['z', '3']], 'control characters in a value skip the piece')
  assert.deepEqual(parseCookieHeader('a=~x~; b=\x20~\x7e; c=!#$%&\'()*+,-./:<=>?@[]^_`{|}'), [['a', '~x~'], ['b', '~~'], ['c', "!#$%&'()*+,-./:<=>?@[]^_`{|}"]], 'the ends of 0x20-0x7E are kept in a value (0x7E is ~)')
  assert.deepEqual(parseCookieHeader('A=1; a=2; A=3'), [['A', '1'], ['a', '2'], ['A', '3']], 'duplicates kept, case-sensitive')
})

test('S4: a 92 KB attack header costs at most 4 opens of at most maxChunks cookies each', () => {
  const c = setup({ maxHeaderBytes: 8192 })
  const real = setCookiesOf(c, 'session', { blob: 'r'.repeat(3500) }).filter((l) => !/Max-Age=0/.test(l))
  assert.equal(real.length, 2)
  const head = real[0]!.split(';')[0]!.slice('session='.length)
  const part = real[1]!.split(';')[0]!.slice('session.1='.length)
  // Distinct heads that look sealed and name the real key ID, each with a distinct part 1: every one would open (AEAD) in turn.
  const pieces: string[] = []
  for (let i = 0; pieces.join('; ').length < 92_000; i++) {
    pieces.push(`session=2.${head.slice(2, 40)}${i.toString(36).padStart(4, 'A')}`)
    pieces.push(`session.1=${i.toString(36)}`)
  }
  const attack = pieces.join('; ') + `; session=${head}; session.1=${part}`
  assert.ok(attack.length > 92_000)
  const n = spyOpens(c)
  assert.throws(() => c.read(attack, 'session'), (e: any) => e.code === 'ERR_COOKIESEAL_INVALID')
  assert.ok(n.calls <= 4, `${n.calls} opens`)
  assert.ok(n.bytes <= 4 * 10 * 4096, `${n.bytes} bytes opened`)
})

test('S4: exact duplicate heads are tried once', () => {
  const c = setup()
  const good = cookieHeaderFrom(setCookiesOf(c, 's', 7))
  const junk = good.replace(/.{6}$/, 'AAAAAA') // looks sealed, does not open
  const n = spyOpens(c)
  assert.equal(c.read(`${junk}; `.repeat(10) + good, 's')!.value, 7)
  assert.equal(n.calls, 2)
})

test('S4: a planted part sent before the real one does not strand a chunked session (attempt B)', () => {
  const c = setup({ maxHeaderBytes: 8192 })
  const big = { blob: 'b'.repeat(5000) }
  const header = cookieHeaderFrom(setCookiesOf(c, 'session', big))
  const [first, ...parts] = parseCookieHeader(header)
  const head = first![1]
  assert.equal(parts.length, 1)
  assert.deepEqual(c.read(`session.1=planted; session=${head}; session.1=${parts[0]![1]}`, 'session')!.value, big)
  // Only the first two distinct values of a part are kept.
  assert.throws(() => c.read(`session.1=x; session.1=y; session=${head}; session.1=${parts[0]![1]}`, 'session'), (e: any) => e.code === 'ERR_COOKIESEAL_INVALID')
})

test('S4.7: a reader refuses a count over its own maxChunks, whatever maxHeaderBytes', () => {
  const w = setup({ maxHeaderBytes: 16384, maxChunks: 4 })
  const header = cookieHeaderFrom(setCookiesOf(w, 'session', { blob: 'z'.repeat(9000) }))
  assert.match(header, /^session=3\./)
  assert.deepEqual(setup({ maxChunks: 3 }).read(header, 'session')!.value, { blob: 'z'.repeat(9000) }, 'the header budget binds writers only')
  assert.throws(() => setup({ maxChunks: 2 }).read(header, 'session'), (e: any) => e.code === 'ERR_COOKIESEAL_TOO_LARGE')
})

test('S5.6: a write replaces its own earlier lines in its scope, never the app\'s lines for the name under another scope', () => {
  const c = setup({ domain: 'example.test' })
  const h = new Headers()
  h.append('Set-Cookie', 'session=; Path=/; Max-Age=0') // the app expires an old host-only cookie itself
  h.append('Set-Cookie', 'session=; Path=/old; Domain=example.test; Max-Age=0')
  h.append('Set-Cookie', 'other=1')
  c.write(h, null, 'session', 1)
  c.write(h, null, 'session', 2)
  const lines = h.getSetCookie()
  assert.deepEqual(lines.slice(0, 3), ['session=; Path=/; Max-Age=0', 'session=; Path=/old; Domain=example.test; Max-Age=0', 'other=1'])
  assert.equal(lines.length, 4, lines.join('\n'))
  assert.equal(c.read(cookieHeaderFrom(lines.slice(3)), 'session')!.value, 2)
  assert.equal(h.get('vary'), 'Cookie')
})

test('S5.5: legacyScopes: every write and delete first expires the name under each old scope', () => {
  const legacyScopes = [{ domain: 'example.test', path: '/' }, { path: '/app' }]
  const c = setup({ legacyScopes })
  for (const op of ['write', 'delete', 'refresh'] as const) {
    const h = new Headers()
    if (op === 'delete') c.delete(h, null, 'session')
    else c[op](h, null, 'session', 1)
    const lines = h.getSetCookie()
    assert.deepEqual(lines.slice(0, 2), [
      'session=; Path=/; Domain=example.test; Max-Age=0; HttpOnly; Secure; SameSite=Lax',
      'session=; Path=/app; Max-Age=0; HttpOnly; Secure; SameSite=Lax',
    ], op)
    assert.match(lines[2]!, op === 'delete' ? /^session=; Path=\/; Max-Age=0;/ : /^session=[A-Za-z0-9_-]+; Path=\/; Max-Age=86400;/, op)
    assert.equal(lines.length, 3, op)
  }
  // A re-issue too, and a second write in the response does not repeat them.
  const rot = new Cookies(new Codec({ secrets: [S2, S1], now: at(T0) }), { legacyScopes })
  const s = rot.read(cookieHeaderFrom(setCookiesOf(setup(), 'session', 1)), 'session')!
  const h = new Headers()
  rot.reissue(h, null, 'session', s.value, s.info)
  rot.reissue(h, null, 'session', s.value, s.info)
  assert.equal(h.getSetCookie().length, 3)
  assert.throws(() => setup({ legacyScopes: [{ path: '/' }] }), (e: any) => e.code === 'ERR_COOKIESEAL_CONFIG')
  assert.throws(() => setup({ domain: 'example.test', legacyScopes: [{ domain: '.EXAMPLE.test' }] }), (e: any) => e.code === 'ERR_COOKIESEAL_CONFIG')
  assert.throws(() => setup({ hostPrefix: true, legacyScopes: [{ path: '/app' }] }), (e: any) => e.code === 'ERR_COOKIESEAL_CONFIG')
  assert.throws(() => setup({ securePrefix: true, legacyScopes: [{ path: '/app' }] }), (e: any) => e.code === 'ERR_COOKIESEAL_CONFIG')
  assert.throws(() => setup({ legacyScopes: [{ path: 'app' }] }), (e: any) => e.code === 'ERR_COOKIESEAL_CONFIG')
})

test('S5.2: Max-Age is maxAge on every cookie set, whatever the sealed times', () => {
  const c = new Cookies(new Codec({ secrets: [S1], maxAge: 600, maxLifetime: 3600, now: at(T0) }), { maxHeaderBytes: 8192 })
  // A session created 3200 s ago: 400 s of lifetime left, which Max-Age must not state.
  const header = cookieHeaderFrom(c.setCookies(null, 'session', { blob: 'm'.repeat(5000) }, { times: { issuedAt: T0 - 100, createdAt: T0 - 3200 } }))
  const s = c.read(header, 'session')!
  assert.equal(s.info.createdAt, T0 - 3200)
  for (const f of [(h: Headers) => c.refresh(h, null, 'session', s.value, s.info), (h: Headers) => c.write(h, null, 'session', s.value)]) {
    const h = new Headers()
    f(h)
    const set = h.getSetCookie().filter((l) => !/=; /.test(l))
    assert.equal(set.length, 2)
    for (const l of set) assert.match(l, /; Max-Age=600;/)
  }
})

test('S3: securePrefix writes __Secure- names (Secure, path and domain allowed); hostPrefix and securePrefix together are refused', () => {
  const c = setup({ securePrefix: true, path: '/app', domain: 'example.test' })
  const lines = setCookiesOf(c, 's', 1)
  assert.match(lines[0]!, /^__Secure-s=[A-Za-z0-9_-]+; Path=\/app; Domain=example\.test; Max-Age=86400; HttpOnly; Secure; SameSite=Lax$/)
  assert.equal(c.read(cookieHeaderFrom(lines), 's')!.value, 1)
  assert.equal(c.read(cookieHeaderFrom(lines).slice('__Secure-'.length), 's'), undefined, 'the unprefixed cookie is another cookie')
  assert.match(setCookiesOf(setup({ securePrefix: true, insecure: true }), 's', 1)[0]!, /^s=.*SameSite=Lax$/, 'insecure: no Secure, so no prefix')
  assert.throws(() => setup({ securePrefix: true, hostPrefix: true }), (e: any) => e.code === 'ERR_COOKIESEAL_CONFIG')
  assert.throws(() => setup({ securePrefix: true }).write(new Headers(), null, '__secure-s', 1), (e: any) => e.code === 'ERR_COOKIESEAL_CONFIG')
})

test('S3.1: names ending in "." and digits (the names of parts) are refused at the call', () => {
  const c = setup()
  for (const name of ['s.1', 's.01', 'a.b.2', 's.0']) {
    assert.throws(() => c.write(new Headers(), null, name, 1), (e: any) => e.code === 'ERR_COOKIESEAL_CONFIG', name)
    assert.throws(() => c.read('x=1', name), (e: any) => e.code === 'ERR_COOKIESEAL_CONFIG', name)
  }
  for (const name of ['s.x', 'v1', 's.1a', 'a.b']) assert.doesNotThrow(() => c.write(new Headers(), null, name, 1), name)
})

test('S6.4: a session issued up to 60 s in the future (clock skew) refreshes, with createdAt now', () => {
  const ahead = new Cookies(new Codec({ secrets: [S1], now: at(T0 + 45) }))
  const header = cookieHeaderFrom(setCookiesOf(ahead, 's', 1))
  const c = setup({}, { refreshAge: 1 })
  const s = c.read(header, 's')!
  assert.equal(s.info.issuedAt, T0 + 45)
  const h = new Headers()
  c.refresh(h, header, 's', 2, s.info)
  const again = c.read(cookieHeaderFrom(h.getSetCookie()), 's')!
  assert.deepEqual([again.value, again.info.issuedAt, again.info.createdAt], [2, T0, T0])
  // A rotation re-issue keeps both times as they are.
  const rot = new Cookies(new Codec({ secrets: [S2, S1], now: at(T0) }))
  const r = rot.read(header, 's')!
  const h2 = new Headers()
  rot.reissue(h2, header, 's', r.value, r.info)
  const kept = rot.read(cookieHeaderFrom(h2.getSetCookie()), 's')!
  assert.deepEqual([kept.info.issuedAt, kept.info.createdAt], [T0 + 45, T0 + 45])
})

test('S6.6: refresh or re-issue of a session whose lifetime passed while the request ran throws expired and writes nothing', () => {
  let now = T0
  const codec = new Codec({ secrets: [S2, S1], maxAge: 600, maxLifetime: 3600, refreshAge: 60, now: () => now * 1000 })
  const c = new Cookies(codec)
  // Issued 550 s ago under the old key, created 3550 s ago.
  const v = new Codec({ secrets: [S1] , now: at(T0 - 550) }).seal('s', { u: 1 }, { createdAt: T0 - 3550 })
  const s = c.read(`s=${v}`, 's')!
  assert.deepEqual([s.info.reissue, s.info.refresh], [true, true])
  now += 60 // the handler ran a minute: lifetime (3610 > 3600) and, for a rotation, max age (610 > 600) are over
  const h = new Headers({ 'set-cookie': 'other=1' })
  assert.throws(() => c.refresh(h, `s=${v}`, 's', { u: 2 }, s.info), (e: any) => e.code === 'ERR_COOKIESEAL_EXPIRED')
  assert.throws(() => c.reissue(h, `s=${v}`, 's', s.value, s.info), (e: any) => e.code === 'ERR_COOKIESEAL_EXPIRED')
  assert.throws(() => c.reissue(h, `s=${v}`, 's', s.value, { ...s.info, refresh: false }), (e: any) => e.code === 'ERR_COOKIESEAL_EXPIRED')
  assert.deepEqual(h.getSetCookie(), ['other=1'])
  assert.equal(h.get('cache-control'), null)
  // A rotation past max age alone (no max lifetime) is refused too; a refresh then is fine.
  const c2 = new Cookies(new Codec({ secrets: [S2, S1], maxAge: 600, now: () => now * 1000 }))
  now = T0
  const s2 = c2.read(`s=${v}`, 's')!
  now += 60
  assert.throws(() => c2.reissue(new Headers(), null, 's', s2.value, s2.info), (e: any) => e.code === 'ERR_COOKIESEAL_EXPIRED')
  const h2 = new Headers()
  c2.refresh(h2, null, 's', s2.value, s2.info)
  assert.equal(c2.read(cookieHeaderFrom(h2.getSetCookie()), 's')!.info.issuedAt, now)
  // write (login) starts a new session whatever was read.
  const h3 = new Headers()
  c.write(h3, `s=${v}`, 's', { u: 3 })
  const fresh = c.read(cookieHeaderFrom(h3.getSetCookie()), 's')!
  assert.deepEqual([fresh.info.issuedAt, fresh.info.createdAt], [now, now])
})

test('S5.8: every seal draws its nonce from crypto.getRandomValues when it seals', () => {
  const codec = new Codec({ secrets: [S1], now: at(T0) })
  const orig = crypto.getRandomValues
  const sizes: number[] = []
  ;(crypto as any).getRandomValues = function (a: Uint8Array) {
    sizes.push(a.length)
    return orig.call(crypto, a as any)
  }
  try {
    for (let i = 0; i < 3; i++) codec.seal('s', i)
  } finally {
    ;(crypto as any).getRandomValues = orig
  }
  assert.deepEqual(sizes, [24, 24, 24])
})
