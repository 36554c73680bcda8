import { test } from 'node:test'
import assert from 'node:assert/strict'
import { Typed, canonicalTime, compareCodePoints, encodeValues, formatFloat, fromTree } from '../src/values.js'
import { parseTree } from '../src/json.js'
import { FormatError } from '../src/errors.js'
import '../src/codec.js' // wires the tree parser into values.ts

// SPEC 6.2's table: [value, tag, canonical].
const FLOATS: [number, 'float64' | 'float32', string][] = [
  [1, 'float64', '1'], [-0, 'float64', '-0'], [0.1, 'float64', '0.1'], [1e-7, 'float64', '1e-7'],
  [Number.MAX_VALUE, 'float64', '1.7976931348623157e+308'], [1e21, 'float64', '1e+21'], [1e20, 'float64', '100000000000000000000'],
  [1e-6, 'float64', '0.000001'], [5e-324, 'float64', '5e-324'], [2 ** 49 + 0.25, 'float64', '562949953421312.2'],
  [0.1, 'float32', '0.1'], [3.4028234663852886e38, 'float32', '3.4028235e+38'], [2 ** -149, 'float32', '1e-45'],
  [2 ** -12, 'float32', '0.00024414062'], [16777217, 'float32', '16777216'], [1e10, 'float32', '10000000000'], [-2.5, 'float32', '-2.5'],
]

test('values: floats are written as SPEC 6.2 says (shortest, ties to even, Number::toString layout)', () => {
  for (const [v, tag, want] of FLOATS) assert.equal(formatFloat(v, tag), want, `${tag} ${v}`)
  assert.throws(() => formatFloat(NaN, 'float64'))
  assert.throws(() => formatFloat(1e39, 'float32'))
  // Every float32 spelling reads back to the same float32, and is no longer than String() of it.
  for (let i = 0; i < 2000; i++) {
    const x = Math.fround((Math.random() - 0.5) * 10 ** Math.floor(Math.random() * 60 - 30))
    const s = formatFloat(x, 'float32')
    assert.equal(Math.fround(Number(s)), x, s)
    assert.ok(s.replace(/^-|e.*$|\./g, '').replace(/^0+|0+$/g, '').length <= 9, s)
  }
})

const parse = (s: string) => fromTree(parseTree(s))
const bad = (s: string) => assert.throws(() => parse(s), FormatError, s)

test('values: integers must be JSON integers in range', () => {
  assert.deepEqual(parse('{"int8":-128}'), new Typed('int8', -128n))
  bad('{"int8":-129}')
  bad('{"uint8":256}')
  bad('{"uint":-1}')
  bad('{"int64":9223372036854775808}')
  assert.deepEqual(parse('{"uint64":18446744073709551615}'), new Typed('uint64', 18446744073709551615n))
  bad('{"int":1}') // "int" is not a tag: a bare number is
  bad('1.0')
  bad('1e0')
  bad('-0')
  bad('{"int32":-0}')
  bad('9223372036854775808')
  assert.deepEqual(parse('-9223372036854775808'), new Typed('int', -(2n ** 63n)))
})

test('values: floats take any JSON number; float32 rounds through binary64', () => {
  assert.deepEqual(parse('{"float64":1}'), new Typed('float64', 1))
  assert.deepEqual(parse('{"float32":0.1}'), new Typed('float32', Math.fround(0.1)))
  assert.deepEqual(parse('{"float64":-0}'), new Typed('float64', -0))
  bad('{"float32":1e39}')
  bad('{"float64":"1"}')
})

test('values: tag objects have exactly one known member', () => {
  bad('{}')
  bad('{"int8":1,"int16":2}')
  bad('{"Int8":1}')
  bad('{"map":1}')
  bad('{"object":[]}')
  bad('{"strings":[1]}')
  bad('{"ints":[1.5]}')
  bad('{"bytes":1}')
})

test('values: bytes are canonical padded standard base64', () => {
  assert.deepEqual(parse('{"bytes":"AAH/"}'), new Typed('bytes', new Uint8Array([0, 1, 255])))
  assert.deepEqual(parse('{"bytes":""}'), new Typed('bytes', new Uint8Array()))
  for (const s of ['AAH', 'AQ', 'AR==', 'AAH_', 'AA H/', 'AQ==\n']) bad('{"bytes":"' + s + '"}')
})

test('values: time is strict RFC 3339 and comes back canonical', () => {
  assert.equal(canonicalTime('2026-11-27T17:00:00.120000000+00:00'), '2026-11-27T17:00:00.12Z')
  assert.equal(canonicalTime('2026-11-27T17:00:00-00:00'), '2026-11-27T17:00:00Z')
  assert.equal(canonicalTime('0000-01-01T00:00:00+23:59'), '0000-01-01T00:00:00+23:59')
  assert.equal(canonicalTime('2024-02-29T23:59:59.000000001Z'), '2024-02-29T23:59:59.000000001Z')
  for (const s of ['2026-11-27T17:00:60Z', '2026-11-27t17:00:00Z', '2026-11-27T17:00:00z', '2026-11-27T17:00:00', '2026-11-27T17:00:00+24:00',
    '2026-11-27T17:00:00+05:60', '2026-11-27T17:00:00.Z', '2026-11-27T17:00:00.1234567890Z', '2025-02-29T00:00:00Z', '2026-13-01T00:00:00Z',
    '2026-11-27 17:00:00Z', '10000-01-01T00:00:00Z', '2026-11-27T17:00:00+05:30:00', '2026-11-27T24:00:00Z']) {
    assert.throws(() => canonicalTime(s), FormatError, s)
  }
})

test('values: pair-form maps take scalar keys only, without duplicates (0 == -0; time by instant and offset)', () => {
  assert.ok(parse('{"map":[[1,"a"],["1","b"],[{"int8":1},"c"],[null,"d"],[true,"e"]]}'))
  bad('{"map":[[1,"a"],[1,"b"]]}')
  bad('{"map":[[{"float64":0},"a"],[{"float64":-0},"b"]]}')
  bad('{"map":[[{"time":"2026-01-01T00:00:00Z"},1],[{"time":"2026-01-01T00:00:00.000Z"},2]]}')
  assert.ok(parse('{"map":[[{"time":"2026-01-01T00:00:00Z"},1],[{"time":"2026-01-01T01:00:00+01:00"},2]]}'), 'same instant, another offset: two keys')
  bad('{"map":[[[1],1]]}')
  bad('{"map":[[{"map":{}},1]]}')
  bad('{"map":[[{"bytes":""},1]]}')
  bad('{"map":[[1]]}')
  bad('{"map":[[1,2,3]]}')
})

test('values: sealing writes canonical bytes: sorted members and pairs, Go types from JS values', () => {
  assert.equal(encodeValues({ b: 1, a: 2.5, c: 2n ** 63n, d: new Uint8Array([1]), e: [true, null], f: { y: 1, x: 2 } }),
    '{"map":{"a":{"float64":2.5},"b":1,"c":{"uint64":9223372036854775808},"d":{"bytes":"AQ=="},"e":[true,null],"f":{"object":{"x":2,"y":1}}}}')
  assert.equal(encodeValues(new Map<unknown, unknown>([[2, 'b'], ['a', 1], [1, 'a']])), '{"map":[["a",1],[1,"a"],[2,"b"]]}')
  assert.equal(encodeValues({ t: new Date(Date.UTC(2026, 0, 2, 3, 4, 5, 600)) }), '{"map":{"t":{"time":"2026-01-02T03:04:05.6Z"}}}')
  // Keys sort by UTF-8 bytes (code points), not UTF-16 units.
  assert.equal(encodeValues({ '\uffff': 1, '\u{10000}': 2 }), '{"map":{"\uffff":1,"\u{10000}":2}}')
  assert.ok(compareCodePoints('\uffff', '\u{10000}') < 0)
  assert.throws(() => encodeValues(new Map([[new Typed('float64', 0), 1], [new Typed('float64', -0), 2]])), (e: any) => e.code === 'ERR_COOKIESEAL_UNSUPPORTED')
  assert.throws(() => encodeValues({ a: -(2n ** 64n) }), (e: any) => e.code === 'ERR_COOKIESEAL_UNSUPPORTED')
  assert.throws(() => encodeValues({ a: new Typed('int8', 128n) }), (e: any) => e.code === 'ERR_COOKIESEAL_UNSUPPORTED')
  assert.throws(() => encodeValues({ a: new Typed('time', '2026-01-01T00:00:60Z') }), (e: any) => e.code === 'ERR_COOKIESEAL_UNSUPPORTED')
  assert.throws(() => encodeValues({ a: new Date(NaN) }), (e: any) => e.code === 'ERR_COOKIESEAL_UNSUPPORTED')
  assert.throws(() => encodeValues({ a: undefined }), (e: any) => e.code === 'ERR_COOKIESEAL_UNSUPPORTED')
  assert.throws(() => encodeValues([1]), (e: any) => e.code === 'ERR_COOKIESEAL_UNSUPPORTED')
  const cyc: any = {}
  cyc.a = cyc
  assert.throws(() => encodeValues(cyc), (e: any) => e.code === 'ERR_COOKIESEAL_UNSUPPORTED')
})

test('values: the new tags and nil forms round-trip exactly and have a natural view', async () => {
  const { Codec } = await import('../src/codec.js')
  const c = new Codec({ secrets: ['values-test-secret-PUBLIC-never-use-0123456'] })
  const vals = new Map<unknown, unknown>([
    ['d', new Typed('duration', 1500000000n)], ['fs', new Typed('float64s', [1, 0.5, -0])], ['sm', new Typed('stringmap', { b: 'x', a: 'y' })],
    ['im', new Typed('intmap', new Map([['k', 2n ** 60n]]))], ['nilmap', new Typed('map', null)], ['nilbytes', new Typed('bytes', null)],
    ['nilarray', new Typed('array', null)], ['flash', new Typed('named', { name: 'main.Flash', json: '{ "Msg" : "hi", "N": 1.50 }' })],
    [new Typed('duration', 5n), 'duration key'],
  ])
  const cookie = c.sealValues('s', vals)
  const json = c.openRaw('s', cookie).json.trimEnd() // padded (SPEC.md 5.4)
  assert.equal(json, '{"map":[["d",{"duration":1500000000}],["flash",{"named":["main.Flash",{"Msg":"hi","N":1.50}]}],["fs",{"float64s":[1,0.5,-0]}],' +
    '["im",{"intmap":{"k":1152921504606846976}}],["nilarray",{"array":null}],["nilbytes",{"bytes":null}],["nilmap",{"map":null}],' +
    '["sm",{"stringmap":{"a":"y","b":"x"}}],[{"duration":5},"duration key"]]}')
  assert.equal(c.openRaw('s', c.sealValues('s', c.openValues('s', cookie).value)).json.trimEnd(), json)
  const nat = c.open('s', cookie).value as Map<unknown, unknown>
  assert.equal(nat.get('d'), 1500000000n)
  assert.deepEqual(nat.get('flash'), { Msg: 'hi', N: 1.5 })
  assert.deepEqual(nat.get('sm'), { a: 'y', b: 'x' })
  assert.equal(nat.get('nilmap'), null)
  assert.deepEqual(nat.get('im'), { k: 2n ** 60n })
  assert.throws(() => encodeValues({ a: new Typed('array', [1]) }), (e: any) => e.code === 'ERR_COOKIESEAL_UNSUPPORTED')
  assert.throws(() => encodeValues({ a: new Typed('time', null) }), (e: any) => e.code === 'ERR_COOKIESEAL_UNSUPPORTED')
  assert.throws(() => encodeValues(new Map([[new Uint8Array(1), 1]])), (e: any) => e.code === 'ERR_COOKIESEAL_UNSUPPORTED')
})

test('values: int64, uint64, uint open as bigint always; smaller tags as numbers', async () => {
  const { Codec } = await import('../src/codec.js')
  const c = new Codec({ secrets: ['values-test-secret-PUBLIC-never-use-0123456'] })
  const v = c.open('s', c.sealValues('s', { a: new Typed('int64', 1n), b: new Typed('uint', 2n), c: new Typed('int32', 3n), d: 4, e: 2n ** 62n })).value
  assert.deepEqual(v, { a: 1n, b: 2n, c: 3, d: 4, e: 2n ** 62n })
})
