import { test } from 'node:test'
import assert from 'node:assert/strict'
import { deflateSync } from 'fflate'
import { Codec, generateSecret, type CodecOptions } from '../src/codec.js'
import { sealBytes, FLAG_CREATED, FLAG_DEFLATE, FLAG_TYPED } from '../src/format.js'
import { decodeBase64url, encodeBase64url } from '../src/base64url.js'
import { deriveKey } from '../src/keys.js'
import { encodeUTF8 } from '../src/json.js'
import { Typed } from '../src/values.js'
import { CookiesealError, InvalidCookieError, ExpiredCookieError, UnknownKeyError, CookieTooLargeError, ConfigError } from '../src/errors.js'
import { at } from './helpers.js'

const S1 = 'js-test-secret-one-PUBLIC-never-use-0123456789'
const S2 = 'js-test-secret-two-PUBLIC-never-use-0123456789'
const T0 = 1795700000

function codec(o: Partial<CodecOptions> = {}): Codec {
  return new Codec({ secrets: [S1], now: at(T0), ...o })
}

const code = (c: string) => (e: any) => {
  assert.ok(e instanceof CookiesealError, String(e))
  assert.equal(e.code, c, e.message)
  return true
}
const INVALID = code('ERR_COOKIESEAL_INVALID')
const EXPIRED = code('ERR_COOKIESEAL_EXPIRED')
const UNKNOWN = code('ERR_COOKIESEAL_UNKNOWN_KEY')
const TOO_LARGE = code('ERR_COOKIESEAL_TOO_LARGE')

/** An authentic cookie with any flags, times and body: what a buggy or hostile sealer with the key could write. */
function forge(o: { flags?: number; issuedAt?: bigint; createdAt?: bigint; body: Uint8Array | string; name?: string; secret?: string }): string {
  const k = deriveKey(o.secret ?? S1)
  return encodeBase64url(sealBytes({
    key: k.key, keyId: k.id, flags: o.flags ?? 0, nonce: new Uint8Array(24).fill(7),
    issuedAt: o.issuedAt ?? BigInt(T0), createdAt: o.createdAt,
    body: typeof o.body === 'string' ? encodeUTF8(o.body) : o.body, name: o.name ?? 'session',
  }))
}

test('round trip: plain JSON values come back equal, big integers as bigint', () => {
  const c = codec()
  const v = { user: 42, name: 'Ada Lovelace ☕', roles: ['admin'], big: 2n ** 64n, f: 0.1, nested: { a: [null, true] } }
  const { value, info } = c.open('session', c.seal('session', v))
  assert.deepEqual(value, v)
  assert.equal(info.issuedAt, T0)
  assert.equal(info.createdAt, T0)
  assert.equal(info.keyId, c.keyIds[0])
  assert.equal(info.reissue, false)
  assert.equal(info.typed, false)
})

test('round trip: every JSON kind at the top level', () => {
  const c = codec()
  for (const v of [null, true, false, 0, -1.5, 'x', [], {}, 'ü'.repeat(1000)]) {
    assert.deepEqual(c.open('n', c.seal('n', v)).value, v)
  }
})

test('round trip: typed session values keep their types exactly', () => {
  const c = codec()
  const values = new Map<unknown, unknown>([
    ['count', 41], ['id', new Typed('int64', 9007199254740993n)], ['ratio', 0.5], ['flag', new Typed('float64', 1)],
    ['f32', new Typed('float32', 0.1)], ['u8', new Typed('uint8', 255n)], ['bytes', new Uint8Array([0, 1, 255])],
    ['when', new Typed('time', '2026-11-27T17:00:00.123456789+05:30')], ['names', new Typed('strings', ['a', 'b'])],
    ['ns', new Typed('ints', [1n, -2n])], ['list', [1, 'two', null]], ['obj', { z: 1, a: 2 }], [7, 'int key'],
  ])
  const cookie = c.sealValues('app', values)
  const { json } = c.openRaw('app', cookie)
  const again = c.sealValues('app', c.openValues('app', cookie).value)
  assert.equal(c.openRaw('app', again).json, json, 'exact view re-encodes to the same bytes')
  const nat = c.open('app', cookie).value as Map<unknown, unknown>
  assert.ok(nat instanceof Map, 'a map with a non-string key is a Map')
  assert.equal(nat.get('id'), 9007199254740993n)
  assert.equal(nat.get('f32'), Math.fround(0.1))
  assert.equal(nat.get(7), 'int key')
  assert.equal(nat.get('when'), '2026-11-27T17:00:00.123456789+05:30')
  assert.ok(json.includes('["f32",{"float32":0.1}]'), json)
  assert.ok(json.includes('["flag",{"float64":1}]'), json)
})

test('round trip: typed values with string keys open as a plain object', () => {
  const c = codec()
  const { value, info } = c.open('app', c.sealValues('app', { a: 1, b: 'x' }))
  assert.deepEqual(value, { a: 1, b: 'x' })
  assert.equal(info.typed, true)
})

test('round trip: compressed when configured, and only then', () => {
  const big = { items: Array.from({ length: 60 }, (_, i) => ({ sku: `SKU-${i}`, qty: i })) }
  const on = codec({ compress: true }), off = codec()
  const z = on.seal('cart', big), p = off.seal('cart', big)
  assert.ok(z.length < p.length)
  assert.equal(decodeBase64url(z)![5]! & FLAG_DEFLATE, FLAG_DEFLATE)
  assert.equal(decodeBase64url(p)![5]! & FLAG_DEFLATE, 0)
  assert.deepEqual(off.open('cart', z).value, big, 'an opener takes both forms whatever its setting')
  assert.equal(on.open('cart', on.seal('cart', { a: 1 })).info.compressed, false, 'short payloads are not compressed')
})

test('the cookie name is bound: another name does not open it', () => {
  const c = codec()
  const v = c.seal('session', 1)
  assert.throws(() => c.open('Session', v), INVALID)
  assert.throws(() => c.open('sessio', v), INVALID)
  assert.throws(() => c.open('', v), INVALID)
})

test('every truncation and every bit flip of a cookie is refused', () => {
  const c = codec()
  const v = c.seal('s', { a: 1 })
  for (let n = 0; n < v.length; n++) {
    assert.throws(() => c.open('s', v.slice(0, n)), (e: any) => e.code === 'ERR_COOKIESEAL_INVALID', `truncated to ${n}`)
  }
  const raw = decodeBase64url(v)!
  for (let i = 0; i < raw.length; i++) {
    for (let bit = 0; bit < 8; bit++) {
      const r = raw.slice()
      r[i]! ^= 1 << bit
      assert.throws(() => c.open('s', encodeBase64url(r)), (e: any) =>
        e.code === (i >= 1 && i <= 4 ? 'ERR_COOKIESEAL_UNKNOWN_KEY' : 'ERR_COOKIESEAL_INVALID'), `byte ${i} bit ${bit}`)
    }
  }
})

test('flag bits 3-7 are invalid even on an authentic cookie', () => {
  const c = codec()
  for (let bit = 3; bit < 8; bit++) assert.throws(() => c.open('session', forge({ flags: 1 << bit, body: '1' })), INVALID)
})

test('the smallest cookie is 54 bytes; an empty body is not JSON', () => {
  const c = codec()
  const v = forge({ body: '' })
  assert.equal(decodeBase64url(v)!.length, 54)
  assert.throws(() => c.open('session', v), INVALID)
  assert.equal(c.open('session', forge({ body: '1' })).value, 1)
  assert.throws(() => c.open('session', encodeBase64url(decodeBase64url(v)!.subarray(0, 53))), INVALID)
})

test('unknown key: a cookie from another ring, no decryption tried', () => {
  const other = codec({ secrets: [S2] })
  assert.throws(() => codec().open('s', other.seal('s', 1)), (e: any) => {
    UNKNOWN(e)
    assert.ok(e instanceof UnknownKeyError)
    assert.equal(e.keyId, other.keyIds[0])
    return true
  })
})

test('rotation: the old key opens with reissue set; reissue keeps issuedAt', () => {
  let now = T0
  const old = new Codec({ secrets: [S1], now: () => now * 1000 })
  const cookie = old.seal('s', { u: 1 })
  now += 100
  const rotated = new Codec({ secrets: [S2, S1], now: () => now * 1000 })
  const { value, info } = rotated.open('s', cookie)
  assert.equal(info.reissue, true)
  assert.equal(info.refresh, false)
  const again = rotated.reissue('s', value, info)
  const o2 = rotated.open('s', again)
  assert.equal(o2.info.keyId, rotated.keyIds[0])
  assert.equal(o2.info.issuedAt, T0, 'a re-issue for rotation keeps issuedAt')
  assert.equal(o2.info.reissue, false)
  assert.deepEqual(rotated.keyUsage().map((k) => [k.primary, k.opened]), [[true, 1], [false, 1]])
})

test('refresh: older than refreshAge sets reissue and refresh; refresh moves issuedAt, keeps createdAt', () => {
  let now = T0
  const c = new Codec({ secrets: [S1], now: () => now * 1000, refreshAge: 600 })
  const cookie = c.seal('s', 1)
  now += 599
  assert.equal(c.open('s', cookie).info.reissue, false)
  now += 1
  const { value, info } = c.open('s', cookie)
  assert.equal(info.reissue, true)
  assert.equal(info.refresh, true)
  const again = c.open('s', c.reissue('s', value, info)).info
  assert.equal(again.issuedAt, now)
  assert.equal(again.createdAt, T0)
  assert.equal(decodeBase64url(c.reissue('s', value, info))![5]! & FLAG_CREATED, FLAG_CREATED)
})

test('expiry compares whole seconds: valid at exactly maxAge, expired one second later', () => {
  const cookie = codec().seal('s', 1)
  const at2 = (ms: number) => new Codec({ secrets: [S1], maxAge: 3600, now: () => ms })
  assert.equal(at2((T0 + 3600) * 1000 + 999).open('s', cookie).value, 1)
  assert.throws(() => at2((T0 + 3601) * 1000).open('s', cookie), (e: any) => EXPIRED(e) && e instanceof ExpiredCookieError)
})

test('expired errors state the limit, never the age (it would reveal the hidden issued-at)', () => {
  const c = codec({ maxAge: 3600, maxLifetime: 7200 })
  const old = forge({ issuedAt: BigInt(T0 - 3601 - 12345), body: '1' })
  assert.throws(() => c.open('session', old), (e: any) => {
    EXPIRED(e)
    assert.equal(e.message, 'cookieseal: cookie expired: older than the max age of 3600s')
    return true
  })
  const longLived = forge({ flags: FLAG_CREATED, createdAt: BigInt(T0 - 7201 - 777), body: '1' })
  assert.throws(() => c.open('session', longLived), (e: any) => {
    EXPIRED(e)
    assert.equal(e.message, 'cookieseal: cookie expired: session older than the max lifetime of 7200s')
    assert.ok(!e.message.includes(String(7201 + 777)), e.message)
    return true
  })
})

test('issued up to 60 s in the future opens; 61 s is invalid', () => {
  const c = codec()
  assert.equal(c.open('session', forge({ issuedAt: BigInt(T0 + 60), body: '1' })).value, 1)
  assert.throws(() => c.open('session', forge({ issuedAt: BigInt(T0 + 61), body: '1' })), INVALID)
})

test('extreme issued-at values do not overflow', () => {
  const c = codec()
  assert.throws(() => c.open('session', forge({ issuedAt: -(2n ** 63n), body: '1' })), EXPIRED)
  assert.throws(() => c.open('session', forge({ issuedAt: 2n ** 63n - 1n, body: '1' })), INVALID)
})

test('created-at: flag 0x04 carries it; later than issued-at or missing is invalid', () => {
  const c = codec()
  const ok = c.open('session', forge({ flags: FLAG_CREATED, createdAt: BigInt(T0 - 5), body: '1' }))
  assert.equal(ok.info.createdAt, T0 - 5)
  assert.throws(() => c.open('session', forge({ flags: FLAG_CREATED, createdAt: BigInt(T0 + 1), body: '1' })), INVALID)
  // Flag set but only 8 plaintext bytes.
  assert.throws(() => c.open('session', forge({ flags: FLAG_CREATED, body: '' })), INVALID)
})

test('a created-at beyond 2^53 seconds is reported exactly, as a bigint, and a re-issue keeps it', () => {
  const c = codec()
  for (const created of [-(2n ** 63n) + 1n, -(2n ** 53n)]) {
    const o = c.open('session', forge({ flags: FLAG_CREATED, createdAt: created, body: '1' }))
    assert.equal(o.info.createdAt, created)
    assert.equal(o.info.issuedAt, T0)
    assert.equal(c.open('session', c.reissue('session', o.value, o.info)).info.createdAt, created)
  }
  const safe = c.open('session', forge({ flags: FLAG_CREATED, createdAt: -(2n ** 53n) + 1n, body: '1' }))
  assert.equal(safe.info.createdAt, -(2 ** 53) + 1, 'a safe integer stays a number')
})

test('maxLifetime counts from createdAt: valid at exactly the limit, expired past it', () => {
  const c = codec({ maxLifetime: 1000 })
  assert.equal(c.open('session', forge({ flags: FLAG_CREATED, createdAt: BigInt(T0 - 1000), body: '1' })).value, 1)
  assert.throws(() => c.open('session', forge({ flags: FLAG_CREATED, createdAt: BigInt(T0 - 1001), body: '1' })), EXPIRED)
  assert.equal(codec().open('session', forge({ flags: FLAG_CREATED, createdAt: 0n, body: '1' })).value, 1, 'no lifetime by default')
})

test('too large: cookie over maxLength with the name counted, and sealing refuses it too', () => {
  const c = codec()
  const v = c.seal('s', 'x'.repeat(2000))
  assert.throws(() => new Codec({ secrets: [S1], now: at(T0), maxLength: v.length + 1 }).open('s', v), (e: any) => TOO_LARGE(e) && e instanceof CookieTooLargeError)
  assert.equal(new Codec({ secrets: [S1], now: at(T0), maxLength: v.length + 2 }).open('s', v).value, 'x'.repeat(2000))
  assert.throws(() => c.seal('s', 'x'.repeat(4096)), TOO_LARGE)
  assert.throws(() => c.open('s', 'A'.repeat(5000)), TOO_LARGE, 'length is checked before anything else')
  // Name bytes are UTF-8.
  assert.throws(() => new Codec({ secrets: [S1], now: at(T0), maxLength: v.length + 2 }).open('é', v), TOO_LARGE)
})

test('too large: payload over maxPayload, sealed or opened, plain or inflated', () => {
  const c = codec({ maxPayload: 100 })
  assert.throws(() => c.seal('s', 'x'.repeat(99)), TOO_LARGE)
  assert.equal(c.open('s', c.seal('s', 'x'.repeat(98))).value, 'x'.repeat(98))
  assert.throws(() => c.open('session', forge({ body: '"' + 'x'.repeat(99) + '"' })), TOO_LARGE)
  const bomb = deflateSync(encodeUTF8('"' + 'x'.repeat(1_000_000) + '"'))
  assert.ok(bomb.length < 2000)
  assert.throws(() => codec().open('session', forge({ flags: FLAG_DEFLATE, body: bomb })), TOO_LARGE)
  const exact = deflateSync(encodeUTF8('"' + 'x'.repeat(98) + '"'))
  assert.equal(c.open('session', forge({ flags: FLAG_DEFLATE, body: exact })).value, 'x'.repeat(98))
  const over = deflateSync(encodeUTF8('"' + 'x'.repeat(99) + '"'))
  assert.throws(() => c.open('session', forge({ flags: FLAG_DEFLATE, body: over })), TOO_LARGE)
})

test('inflate: truncated, corrupt and trailing bytes are invalid; past the cap first wins', () => {
  const c = codec()
  const z = deflateSync(encodeUTF8(JSON.stringify({ a: 'hello'.repeat(50) })))
  assert.deepEqual(c.open('session', forge({ flags: FLAG_DEFLATE, body: z })).value, { a: 'hello'.repeat(50) })
  for (let n = 0; n < z.length; n++) {
    assert.throws(() => c.open('session', forge({ flags: FLAG_DEFLATE, body: z.subarray(0, n) })), INVALID, `truncated to ${n}`)
  }
  for (const extra of [[0], [1, 2, 3], [0x03, 0x00]]) {
    assert.throws(() => c.open('session', forge({ flags: FLAG_DEFLATE, body: new Uint8Array([...z, ...extra]) })), INVALID)
  }
  assert.throws(() => c.open('session', forge({ flags: FLAG_DEFLATE, body: new Uint8Array([0xff, 0xff, 0xff]) })), INVALID)
  // A bomb cut short: it passes the cap before the stream ends, so too large.
  const bomb = deflateSync(encodeUTF8('"' + 'x'.repeat(200_000) + '"'))
  assert.throws(() => c.open('session', forge({ flags: FLAG_DEFLATE, body: bomb.subarray(0, bomb.length - 4) })), TOO_LARGE)
  // A bomb followed by garbage: too large too.
  assert.throws(() => c.open('session', forge({ flags: FLAG_DEFLATE, body: new Uint8Array([...bomb.subarray(0, bomb.length - 4), 0xff, 0xff, 0xff, 0xff]) })), TOO_LARGE)
})

test('payload rules hold on authentic cookies: strict JSON and typed values', () => {
  const c = codec()
  for (const body of ['{"a":1,"a":2}', '"\\ud800"', '1e400', '[' .repeat(513) + ']'.repeat(513), '1 2', '\ufeff1', 'NaN']) {
    assert.throws(() => c.open('session', forge({ body })), INVALID, body)
    assert.throws(() => c.openRaw('session', forge({ body })), INVALID, body)
  }
  assert.throws(() => c.open('session', forge({ body: new Uint8Array([0x22, 0xff, 0x22]) })), INVALID)
  for (const body of ['{"map":{"a":1.5}}', '{"map":{"a":{"int8":128}}}', '{"map":{"a":{"x":1}}}', '[1]', '{"map":{"a":-0}}', '{"map":{"a":1e2}}',
    '{"map":[[{"int":1},1],[1,2]]}', '{"map":{"a":{"float64":1,"int":1}}}', '{"map":{"a":{"time":"2026-01-01T00:00:60Z"}}}',
    '{"map":{"a":{"bytes":"AQ"}}}', '{"map":[[[1],2]]}', '{"map":{"a":{"uint64":18446744073709551616}}}']) {
    assert.throws(() => c.openValues('session', forge({ flags: FLAG_TYPED, body })), INVALID, body)
    assert.throws(() => c.openRaw('session', forge({ flags: FLAG_TYPED, body })), INVALID, body)
    assert.throws(() => c.open('session', forge({ flags: FLAG_TYPED, body })), INVALID, body)
  }
})

test('openValues on a plain cookie needs an object', () => {
  const c = codec()
  assert.throws(() => c.openValues('s', c.seal('s', [1])), INVALID)
  const v = c.openValues('s', c.seal('s', { n: 1, f: 1.5, big: 2n ** 70n, o: { x: 1 } })).value
  assert.equal(c.openRaw('s', c.sealValues('s', v)).json.trimEnd(), '{"map":{"big":{"float64":1.1805916207174113e+21},"f":{"float64":1.5},"n":1,"o":{"object":{"x":1}}}}')
})

test('config: refused rings and limits', () => {
  const bad = (o: any) => assert.throws(() => new Codec(o), (e: any) => e instanceof ConfigError && e.code === 'ERR_COOKIESEAL_CONFIG' && !e.message.includes(S1))
  bad({ secrets: [] })
  bad({})
  bad({ secrets: ['x'.repeat(31)] })
  bad({ secrets: [S1, S1] })
  bad({ secrets: [S1], maxAge: -1 })
  bad({ secrets: [S1], maxLength: 1.5 })
  assert.doesNotThrow(() => new Codec({ secrets: ['x'.repeat(32)] }))
  assert.doesNotThrow(() => new Codec({ secrets: ['é'.repeat(16)] }), '32 bytes of UTF-8')
  bad({ secrets: ['é'.repeat(15)] })
})

test('generateSecret: 43 base64url characters of fresh randomness', () => {
  const a = generateSecret(), b = generateSecret()
  assert.match(a, /^[A-Za-z0-9_-]{43}$/)
  assert.notEqual(a, b)
  assert.doesNotThrow(() => new Codec({ secrets: [a, b] }))
})

test('setSecrets: keeps counters for staying keys; a refused list changes nothing', () => {
  const c = codec()
  c.open('s', c.seal('s', 1))
  assert.throws(() => c.setSecrets([]), ConfigError)
  c.setSecrets([S2, S1])
  assert.deepEqual(c.keyUsage().map((k) => k.opened), [0, 1])
})

test('errors: each class is a CookiesealError with its own code, and messages hold no secret', () => {
  const errs = [new InvalidCookieError('x'), new ExpiredCookieError('x'), new UnknownKeyError('00000000'), new CookieTooLargeError('x')]
  assert.deepEqual(errs.map((e) => e.code), ['ERR_COOKIESEAL_INVALID', 'ERR_COOKIESEAL_EXPIRED', 'ERR_COOKIESEAL_UNKNOWN_KEY', 'ERR_COOKIESEAL_TOO_LARGE'])
  for (const e of errs) assert.ok(e instanceof CookiesealError && e instanceof Error)
  assert.equal(errs[0]!.name, 'InvalidCookieError')
  const c = codec()
  for (const f of [() => c.open('s', 'garbage!'), () => c.open('s', c.seal('t', 1))]) {
    try { f() } catch (e: any) { assert.ok(!e.message.includes(S1) && !String(e.stack).includes(S1)) }
  }
})

test('a cookie opens the same at any clock within its life, and nonces differ', () => {
  const c = codec()
  const a = c.seal('s', 1), b = c.seal('s', 1)
  assert.notEqual(a, b)
  assert.notEqual(a.slice(8, 40), b.slice(8, 40))
})

test('a cookie name with a lone surrogate is refused, not bound as U+FFFD', () => {
  const c = codec()
  assert.throws(() => c.seal('a\ud800', 1), (e: any) => e.code === 'ERR_COOKIESEAL_UNSUPPORTED')
  const v = c.seal('a\ufffd', 1)
  assert.throws(() => c.open('a\ud800', v), INVALID)
  assert.equal(c.open('a\ufffd', v).value, 1)
  assert.equal(c.open('a\ud83d\ude00', c.seal('a\ud83d\ude00', 2)).value, 2)
})
