// Cross-language tests: the Go package (through js/crosslang, built once)
// seals and JavaScript opens, and JavaScript seals and Go opens, over plain
// JSON, compressed JSON, typed session values, chunked sessions and a
// rotated ring. Without a Go toolchain they skip, except under CI=true,
// where that is a failure.
import { test, before } from 'node:test'
import assert from 'node:assert/strict'
import { execFileSync, spawnSync } from 'node:child_process'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { Codec } from '../src/codec.js'
import { Cookies, parseCookieHeader } from '../src/cookies.js'
import { Typed } from '../src/values.js'
import { at } from './helpers.js'

const S1 = 'js-crosslang-secret-one-PUBLIC-never-use-012345'
const S2 = 'js-crosslang-secret-two-PUBLIC-never-use-012345'
const T0 = 1795700000
const JS_DIR = fileURLToPath(new URL('../../', import.meta.url))

let bin = ''
const haveGo = spawnSync('go', ['version']).status === 0
const skip = !haveGo && process.env.CI !== 'true' ? 'no Go toolchain (required under CI=true)' : false

before(() => {
  if (skip) return
  const dir = mkdtempSync(join(tmpdir(), 'cookieseal-crosslang-'))
  bin = join(dir, 'crosslang')
  execFileSync('go', ['build', '-o', bin, './crosslang'], { cwd: JS_DIR, stdio: 'inherit' })
})

interface GoAnswer { cookie?: string; set_cookie?: string[]; json?: string; types?: string[]; issued_at?: number; created_at?: number; key_id?: string; reissue?: boolean; reissued?: string; error?: string }

function go(req: Record<string, unknown>): GoAnswer {
  const out = execFileSync(bin, [], { input: JSON.stringify({ now: T0, secrets: [S1], name: 'session', ...req }) })
  return JSON.parse(out.toString())
}

const js = (o: Partial<ConstructorParameters<typeof Codec>[0]> = {}) => new Codec({ secrets: [S1], now: at(T0), ...o })

/** The types Go reports for goValues() in js/crosslang/main.go. */
const GO_TYPES = [
  '7=string:int key',
  'big=int64:9007199254740993',
  'counts=[]int:[1 2 3]',
  'f32=float32:0.1',
  'flashes=[]interface {}:[welcome 7]',
  'names=[]string:[ada grace]',
  'prefs=map[string]interface {}:map[theme:dark]',
  'ratio=float64:0.25',
  'raw=[]uint8:[0 1 2 254 255]',
  'small=int8:-5',
  'u64=uint64:18446744073709551615',
  'user=int:42',
  'when=time.Time:2026-11-27T17:00:00.123456789+05:30',
]

const session = { user_id: 42, email: 'ada@example.org', roles: ['admin', 'dev'], big: 12345678901234567890n, ratio: 0.1, name: 'Ada ☕ \u2028' }
const cart = { items: Array.from({ length: 40 }, (_, i) => ({ sku: `SKU-${100000 + i}`, name: `Item number ${i}`, qty: i % 5 })) }

test('crosslang: Go seals plain JSON, JS opens it', { skip }, () => {
  const g = go({ op: 'seal', kind: 'json', value: JSON.parse(JSON.stringify({ ...session, big: 1 })) })
  const { value, info } = js().open('session', g.cookie!)
  assert.deepEqual(value, { ...session, big: 1 })
  assert.equal(info.issuedAt, T0)
})

test('crosslang: JS seals plain JSON, Go opens the same bytes (big integers exact)', { skip }, () => {
  const v = js().seal('session', session)
  const g = go({ op: 'open', kind: 'json', cookie: v })
  assert.equal(g.error, undefined)
  assert.equal(g.json, js().openRaw('session', v).json)
  assert.ok(g.json!.includes('"big":12345678901234567890'))
  assert.equal(g.issued_at, T0)
  assert.equal(g.key_id, js().keyIds[0])
})

test('crosslang: compressed both ways', { skip }, () => {
  const g = go({ op: 'seal', kind: 'json', compress: true, value: cart })
  const opened = js().open('session', g.cookie!)
  assert.equal(opened.info.compressed, true, 'Go compressed it')
  assert.deepEqual(opened.value, cart)
  const v = js({ compress: true }).seal('session', cart)
  assert.equal(js().open('session', v).info.compressed, true, 'JS compressed it')
  assert.deepEqual(JSON.parse(go({ op: 'open', kind: 'json', cookie: v }).json!), cart)
})

test('crosslang: Go typed session values open in JS with their types, and go back to Go unchanged', { skip }, () => {
  const g = go({ op: 'seal', kind: 'values' })
  const c = js()
  const nat = c.open('session', g.cookie!).value as Map<unknown, unknown>
  assert.ok(nat instanceof Map)
  assert.equal(nat.get('user'), 42)
  assert.equal(nat.get('big'), 9007199254740993n)
  assert.equal(nat.get('u64'), 18446744073709551615n)
  assert.equal(nat.get('small'), -5)
  assert.equal(nat.get('f32'), Math.fround(0.1))
  assert.deepEqual(nat.get('raw'), new Uint8Array([0, 1, 2, 254, 255]))
  assert.equal(nat.get('when'), '2026-11-27T17:00:00.123456789+05:30')
  assert.deepEqual(nat.get('prefs'), { theme: 'dark' })
  assert.equal(nat.get(7), 'int key')
  // The exact view, sealed again by JS, gives Go every value with its Go type.
  const back = c.sealValues('session', c.openValues('session', g.cookie!).value)
  assert.deepEqual(go({ op: 'open', kind: 'values', cookie: back }).types, GO_TYPES)
  assert.deepEqual(go({ op: 'open', kind: 'values', cookie: g.cookie }).types, GO_TYPES)
})

test('crosslang: JS writes typed values, Go reads Go types', { skip }, () => {
  const v = js().sealValues('session', new Map<unknown, unknown>([
    ['user', 42], ['ratio', 0.5], ['big', 2n ** 62n], ['u', 2n ** 64n - 1n], ['raw', new Uint8Array([9])],
    ['when', new Date(Date.UTC(2026, 0, 2, 3, 4, 5, 6))], ['i8', new Typed('int8', -1n)], ['list', ['a', 1]], ['obj', { k: true }], [3, 'three'],
  ]))
  assert.deepEqual(go({ op: 'open', kind: 'values', cookie: v }).types, [
    '3=string:three', 'big=int:4611686018427387904', 'i8=int8:-1', 'list=[]interface {}:[a 1]', 'obj=map[string]interface {}:map[k:true]',
    'ratio=float64:0.5', 'raw=[]uint8:[9]', 'u=uint64:18446744073709551615', 'user=int:42', 'when=time.Time:2026-01-02T03:04:05.006Z',
  ])
})

test('crosslang: a rotated ring both ways; re-issue by JS opens in Go with the new key', { skip }, () => {
  const g = go({ op: 'seal', kind: 'json', value: { u: 1 } })
  const ring = js({ secrets: [S2, S1] })
  const { value, info } = ring.open('session', g.cookie!)
  assert.equal(info.reissue, true)
  const again = ring.reissue('session', value, info)
  const back = go({ op: 'open', kind: 'json', secrets: [S2, S1], cookie: again })
  assert.equal(back.key_id, ring.keyIds[0])
  assert.equal(back.reissue ?? false, false)
  assert.equal(back.issued_at, T0)
  const fromJS = go({ op: 'open', kind: 'json', secrets: [S2, S1], cookie: js().seal('session', { u: 2 }) })
  assert.equal(fromJS.reissue, true)
  assert.equal(fromJS.json?.trimEnd(), '{"u":2}') // padded (SPEC.md 5.4)
})

test('crosslang: Go and JS agree on the error class of bad cookies', { skip }, () => {
  const v = js().seal('session', 1)
  assert.equal(go({ op: 'open', kind: 'json', name: 'other', cookie: v }).error, 'invalid')
  assert.equal(go({ op: 'open', kind: 'json', now: T0 + 86401, cookie: v }).error, 'expired')
  assert.equal(go({ op: 'open', kind: 'json', secrets: [S2], cookie: v }).error, 'unknown_key')
  assert.equal(go({ op: 'open', kind: 'json', cookie: v.slice(0, -1) }).error, 'invalid')
})

/** Set-Cookie lines to the Cookie header a browser would send. */
function browserSends(lines: string[]): string {
  const jar = new Map<string, string>()
  for (const l of lines) {
    const nv = l.split(';')[0]!
    const eq = nv.indexOf('=')
    if (/Max-Age=0\b|Max-Age=-/.test(l) || /expires=Thu, 01 Jan 1970/i.test(l)) jar.delete(nv.slice(0, eq))
    else jar.set(nv.slice(0, eq), nv.slice(eq + 1))
  }
  return [...jar].map(([n, v]) => `${n}=${v}`).join('; ')
}

const bigSession = { blob: Array.from({ length: 250 }, (_, i) => `entry-${i}-${(i * 7919) % 1000}`) }

test('crosslang: a session in parts, written by Go, read by JS, and the other way', { skip }, () => {
  const cookies = new Cookies(js(), { maxHeaderBytes: 8192 })
  const g = go({ op: 'write', kind: 'json', value: bigSession, header_bytes: 8192 })
  const header = browserSends(g.set_cookie!)
  const first = parseCookieHeader(header).find(([n]) => n === 'session')![1]
  assert.match(first, /^2\./, 'Go wrote two parts, the count first')
  assert.deepEqual(cookies.read(header, 'session')!.value, bigSession)
  const h = new Headers()
  cookies.write(h, null, 'session', bigSession)
  assert.match(h.getSetCookie()[0]!, /^session=2\./)
  const back = go({ op: 'read', kind: 'json', header: browserSends(h.getSetCookie()), header_bytes: 8192 })
  assert.equal(back.error, undefined)
  assert.deepEqual(JSON.parse(back.json!), bigSession)
})

test('crosslang: created-at and re-issue times agree both ways', { skip }, () => {
  // JS refreshes a session that began earlier: flag 0x04, Go reads both times.
  const v = js().seal('session', { u: 1 }, { createdAt: T0 - 500 })
  const g = go({ op: 'open', kind: 'json', cookie: v })
  assert.equal(g.issued_at, T0)
  assert.equal(g.created_at, T0 - 500)
  // Go re-issues a JS cookie after a rotation: both times kept, JS reads them.
  const old = js().seal('session', { u: 2 }, { issuedAt: T0 - 100, createdAt: T0 - 900 })
  const r = go({ op: 'open', kind: 'json', secrets: [S2, S1], cookie: old, reissue: true })
  assert.equal(r.reissue, true)
  const info = js({ secrets: [S2, S1] }).open('session', r.reissued!).info
  assert.equal(info.issuedAt, T0 - 100)
  assert.equal(info.createdAt, T0 - 900)
  assert.equal(info.keyId, js({ secrets: [S2] }).keyIds[0])
  // JS opens a Go cookie with created-at the same way.
  const back = js().open('session', go({ op: 'open', kind: 'json', cookie: js().seal('session', 1, { createdAt: T0 - 7 }), reissue: true }).reissued!).info
  assert.equal(back.createdAt, T0 - 7)
})
