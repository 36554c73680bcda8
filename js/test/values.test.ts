import { test } from 'node:test'
import assert from 'node:assert/strict'
import { Typed, canonicalTime, compareCodePoints, encodeValues, formatFloat, fromTree } from '../src/values.js'
import { parseTree } from '../src/json.js'
import { FormatError } from '../src/errors.js'
import '../src/codec.js' // wires the tree parser into values.ts

// [value, Go's strconv.FormatFloat(v, 'g', -1, 64), the same for float32(v) with bits 32]
const GO_FLOATS: [number, string, string | undefined][] = [
  [0.1, '0.1', '0.1'],
  [1, '1', '1'],
  [1e6, '1e+06', '1e+06'],
  [123456, '123456', '123456'],
  [1234567, '1.234567e+06', '1.234567e+06'],
  [1e21, '1e+21', '1e+21'],
  [1e20, '1e+20', '1e+20'],
  [1e-4, '0.0001', '0.0001'],
  [1e-5, '1e-05', '1e-05'],
  [0.000123, '0.000123', '0.000123'],
  [5e-324, '5e-324', '0'],
  [Number.MAX_VALUE, '1.7976931348623157e+308', undefined],
  [-2.5, '-2.5', '-2.5'],
  [1 / 3, '0.3333333333333333', '0.33333334'],
  [100, '100', '100'],
  [1e5, '100000', '100000'],
  [99999.5, '99999.5', '99999.5'],
  [12345678.9, '1.23456789e+07', '1.2345679e+07'],
  [2.5e-7, '2.5e-07', '2.5e-07'],
  [3.4028234663852886e38, '3.4028234663852886e+38', '3.4028235e+38'],
  [16777217, '1.6777217e+07', '1.6777216e+07'],
  [0.3, '0.3', '0.3'],
]

test('values: floats are written as Go writes them (shortest, exponent from 1e+06 and below 1e-04)', () => {
  for (const [v, f64, f32] of GO_FLOATS) {
    assert.equal(formatFloat(v, 'float64'), f64, String(v))
    if (f32 !== undefined) assert.equal(formatFloat(Math.fround(v), 'float32'), f32, 'float32 ' + String(v))
  }
  assert.equal(formatFloat(-0, 'float64'), '-0')
  assert.throws(() => formatFloat(NaN, 'float64'))
  assert.throws(() => formatFloat(1e39, 'float32'))
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
