import { test } from 'node:test'
import assert from 'node:assert/strict'
import { parseJSON, parseJSONBytes, parseTree, rawElements, minify, stringify, MAX_DEPTH } from '../src/json.js'
import { FormatError } from '../src/errors.js'
import { decodeBase64url, encodeBase64url, decodeBase64Std, encodeBase64Std } from '../src/base64url.js'

const bad = (s: string) => assert.throws(() => parseJSON(s), FormatError, s)

test('json: accepts RFC 8259 texts with white space anywhere between tokens', () => {
  assert.deepEqual(parseJSON(' \t\r\n{ "a" : [ 1 , 2.5e1 , -0.5 , true , false , null ] } \n'), { a: [1, 25, -0.5, true, false, null] })
  assert.equal(parseJSON('"\\u00e9\\ud83d\\ude00\\/\\b\\f\\n\\r\\t\\"\\\\"'), 'é😀/\b\f\n\r\t"\\')
  assert.equal(parseJSON('0'), 0)
  assert.ok(Object.is(parseJSON('-0'), -0))
})

test('json: duplicate member names are invalid, compared after unescaping', () => {
  bad('{"a":1,"a":2}')
  bad('{"a":1,"\\u0061":2}')
  bad('{"x":{"__proto__":1,"__proto__":2}}')
  assert.deepEqual(parseJSON('{"a":{"a":1}}'), { a: { a: 1 } })
})

test('json: __proto__ is an own member, not the prototype', () => {
  const v = parseJSON('{"__proto__":{"admin":true}}') as Record<string, unknown>
  assert.equal(Object.getPrototypeOf(v), Object.prototype)
  assert.equal((v as { admin?: unknown }).admin, undefined)
  assert.deepEqual(Object.keys(v), ['__proto__'])
})

test('json: lone, reversed and unpaired surrogate escapes are invalid', () => {
  bad('"\\ud800"')
  bad('"\\udc00"')
  bad('"\\udc00\\ud800"')
  bad('"\\ud800x"')
  bad('"\\ud800\\u0041"')
  bad('"\\ud800\\n"')
})

test('json: raw control characters in strings are invalid; escapes are fine', () => {
  for (let c = 0; c < 0x20; c++) bad('"' + String.fromCharCode(c) + '"')
  assert.equal(parseJSON('"\\u001f"'), '\u001f')
  assert.equal(parseJSON('"\u007f"'), '\u007f')
})

test('json: numbers follow the RFC grammar', () => {
  for (const s of ['01', '+1', '.5', '1.', '1e', '1e+', '-', '--1', 'NaN', 'Infinity', '-Infinity', '0x10', '1_000', '١']) bad(s)
  assert.equal(parseJSON('1E2'), 100)
  assert.equal(parseJSON('1e-2'), 0.01)
  assert.equal(parseJSON('1e-400'), 0)
})

test('json: a number that overflows binary64 is invalid', () => {
  bad('1e400')
  bad('-1e400')
  bad('[1.8e308]')
  assert.equal(parseJSON('1.7976931348623157e308'), 1.7976931348623157e308)
})

test('json: integers beyond +-(2^53 - 1) are bigints, never rounded', () => {
  assert.equal(parseJSON('9007199254740991'), 9007199254740991)
  assert.equal(parseJSON('9007199254740992'), 9007199254740992n)
  assert.equal(parseJSON('9007199254740993'), 9007199254740993n)
  assert.equal(parseJSON('-9007199254740993'), -9007199254740993n)
  assert.equal(parseJSON('123456789012345678901234567890'), 123456789012345678901234567890n)
  assert.equal(parseJSON('9007199254740993.0'), 9007199254740992) // not an integer lexeme: a float
})

test('json: nesting up to 512 is fine, 513 is invalid', () => {
  assert.doesNotThrow(() => parseJSON('['.repeat(MAX_DEPTH) + ']'.repeat(MAX_DEPTH)))
  bad('['.repeat(MAX_DEPTH + 1) + ']'.repeat(MAX_DEPTH + 1))
  assert.doesNotThrow(() => parseJSON('{"a":'.repeat(MAX_DEPTH) + '1' + '}'.repeat(MAX_DEPTH)))
  bad('{"a":'.repeat(MAX_DEPTH + 1) + '1' + '}'.repeat(MAX_DEPTH + 1))
  bad('['.repeat(100000)) // no stack overflow, an error
})

test('json: trailing content, empty input and two values are invalid', () => {
  for (const s of ['', ' ', '1 2', '{} x', '[]]', 'nul', 'true false', '{"a":1,}', '[1,]', '{"a"}', '{1:2}', "'a'", '"\\x41"', '"\\u12"', '"abc']) bad(s)
})

test('json: invalid UTF-8 and a BOM are invalid', () => {
  const enc = new TextEncoder()
  assert.throws(() => parseJSONBytes(new Uint8Array([0x22, 0xff, 0x22])), FormatError)
  assert.throws(() => parseJSONBytes(new Uint8Array([0x22, 0xc0, 0x80, 0x22])), FormatError) // overlong NUL
  assert.throws(() => parseJSONBytes(new Uint8Array([0x22, 0xed, 0xa0, 0x80, 0x22])), FormatError) // encoded surrogate
  assert.throws(() => parseJSONBytes(new Uint8Array([0xef, 0xbb, 0xbf, ...enc.encode('1')])), FormatError)
  assert.equal(parseJSONBytes(enc.encode('"\u{10ffff}"')), '\u{10ffff}')
})

test('json: white space other than space, tab, LF, CR is invalid', () => {
  for (const ws of ['\u00a0', '\u2028', '\u000b', '\u000c', '\ufeff']) bad(ws + '1')
})

test('stringify: round-trips through the strict parser', () => {
  const v = { a: [1, -2.5, 'x"\\\n\u0001é😀', null, true], b: { c: 12345678901234567890n }, '__proto__': 1 }
  const w = Object.defineProperty({ ...v }, '__proto__', { value: 1, enumerable: true })
  assert.deepEqual(parseJSON(stringify(w)), w)
})

test('stringify: refuses what would not come back equal', () => {
  for (const v of [NaN, Infinity, { a: -Infinity }, 'x\ud800', { ['\udc00']: 1 }, new Map(), new Set([1]), new Uint8Array(1), undefined, () => 1]) {
    assert.throws(() => stringify(v), (e: any) => e.code === 'ERR_COOKIESEAL_UNSUPPORTED', String(v))
  }
  const cyc: any = { a: 1 }
  cyc.self = cyc
  assert.throws(() => stringify(cyc), (e: any) => e.code === 'ERR_COOKIESEAL_UNSUPPORTED')
  let deep: any = 1
  for (let i = 0; i < MAX_DEPTH; i++) deep = [deep]
  assert.doesNotThrow(() => stringify(deep))
  assert.throws(() => stringify([deep]), (e: any) => e.code === 'ERR_COOKIESEAL_UNSUPPORTED')
})

test('stringify: follows JSON.stringify for toJSON, undefined members and holes', () => {
  const d = new Date(0)
  assert.equal(stringify({ d, u: undefined, f: () => 1, a: [undefined, 1] }), JSON.stringify({ d, u: undefined, f: () => 1, a: [undefined, 1] }))
  assert.equal(stringify(Object.create(null)), '{}')
})

test('base64url: strict decoding, one spelling per byte string', () => {
  assert.deepEqual(decodeBase64url('AQID'), new Uint8Array([1, 2, 3]))
  assert.deepEqual(decodeBase64url('AQI'), new Uint8Array([1, 2]))
  assert.deepEqual(decodeBase64url('AQ'), new Uint8Array([1]))
  assert.deepEqual(decodeBase64url(''), new Uint8Array([]))
  for (const s of ['A', 'AQ==', 'AQ=', 'AR', 'AQJ', 'AQI\n', 'A QI', 'AQ+/', 'AQ/D', 'AQÍD', 'AQ\u0000D', '\r\nAQID', 'AQ\u0080D', 'AQI\u0080', '\u0080\u0080', 'AQ\u007fD']) {
    assert.equal(decodeBase64url(s), undefined, JSON.stringify(s))
  }
  for (let n = 0; n < 40; n++) {
    const b = crypto.getRandomValues(new Uint8Array(n))
    assert.deepEqual(decodeBase64url(encodeBase64url(b)), b)
    assert.equal(encodeBase64url(b), Buffer.from(b).toString('base64url'))
    assert.deepEqual(decodeBase64Std(encodeBase64Std(b)), b)
    assert.equal(encodeBase64Std(b), Buffer.from(b).toString('base64'))
  }
  for (const s of ['AQ', 'AQ=', 'AR==', 'AQ==\n', 'AQ-_', '====', 'AQ\u0080=', '\u0080AAA', 'A=AA']) assert.equal(decodeBase64Std(s), undefined, s)
})

test('minify: drops white space outside strings only, keeps escapes and number spellings', () => {
  assert.equal(minify(' { "a b" : [ 1.50 , "x\\" y" , "\\\\" ] ,\n\t"c":\r1e0 } '), '{"a b":[1.50,"x\\" y","\\\\"],"c":1e0}')
  assert.equal(minify('"  "'), '"  "')
  assert.equal(minify(''), '')
})

test('parseTree: arrays keep the raw text of each element', () => {
  const t = parseTree('[ 1.50 , { "a" : 1 } ,"x\\u0041" ]') as unknown as unknown[]
  assert.deepEqual(rawElements(t as any), ['1.50', '{ "a" : 1 }', '"x\\u0041"'])
})
