// parseJSON and stringify take JSON.parse / JSON.stringify when they can
// prove the result equal to the strict reference (parseJSONStrict,
// stringifyStrict); on random texts and values built to hit every rule of
// SPEC.md 5.3 (duplicates, escapes, surrogates, big and infinite numbers,
// depth, colons in strings) both give the same value or the same refusal.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { parseJSON, parseJSONStrict, stringify, stringifyStrict } from '../src/json.js'

let seed = 7
const rnd = (n: number) => { seed = (seed * 1103515245 + 12345) & 0x7fffffff; return seed % n }
const pick = <T>(a: readonly T[]): T => a[rnd(a.length)]!

const NUMBERS = ['0', '-0', '1', '-12', '1.5', '1e3', '1E+2', '2.5e-3', '1e308', '1e309', '-1e400', '1e-400', '9007199254740991', '9007199254740992', '-9007199254740993', '12345678901234567890', '1.0', '100000000000000000000.0', '0.1234567890123456789']
const STRINGS = ['"a"', '""', '"a:b"', '"::"', '"\\u003a"', '"\\ud83d\\ude00"', '"\\ud800"', '"x\\"y"', '"é"', '"\\n"', '"https://x.example/"']
const KEYS = ['"a"', '"b"', '"\\u0061"', '"c:d"', '"__proto__"', '"1"', '":"']

function text(depth: number): string {
  const r = rnd(10)
  if (depth > 4 || r < 4) return pick([...NUMBERS, ...STRINGS, 'true', 'false', 'null'])
  if (r < 6) return '[' + Array.from({ length: rnd(4) }, () => text(depth + 1)).join(',') + ']'
  return '{' + Array.from({ length: rnd(4) }, () => pick(KEYS) + ':' + text(depth + 1)).join(',') + '}'
}

function outcome(f: () => unknown): string {
  try {
    const v = f()
    return 'ok ' + stringifyStrict(v === undefined ? null : replaceBig(v))
  } catch (e) {
    return 'refused ' + (e as Error).constructor.name
  }
}

/** bigint-safe, and -0 visible. */
function replaceBig(v: unknown): unknown {
  if (typeof v === 'bigint') return 'bigint:' + v.toString()
  if (typeof v === 'number' && Object.is(v, -0)) return 'minus zero'
  if (Array.isArray(v)) return v.map(replaceBig)
  if (v && typeof v === 'object') {
    const o: Record<string, unknown> = {}
    for (const k of Object.keys(v)) Object.defineProperty(o, k, { value: replaceBig((v as Record<string, unknown>)[k]), enumerable: true, writable: true, configurable: true })
    return o
  }
  return v
}

test('jsonfast: parseJSON equals the strict parser on 30000 random texts', () => {
  const seen = { ok: 0, refused: 0 }
  for (let i = 0; i < 30000; i++) {
    const t = rnd(20) === 0 ? ' ' + text(0) + ' ' : text(0)
    const want = outcome(() => parseJSONStrict(t))
    assert.equal(outcome(() => parseJSON(t)), want, t)
    seen[want.startsWith('ok') ? 'ok' : 'refused']++
  }
  assert.ok(seen.ok > 1000 && seen.refused > 1000, JSON.stringify(seen))
})

test('jsonfast: depth 512 opens and 513 is refused, on the fast path as on the strict one', () => {
  for (const [n, ok] of [[512, true], [513, false]] as const) {
    const t = '['.repeat(n) + ']'.repeat(n)
    assert.equal(outcome(() => parseJSON(t)).startsWith('ok'), ok)
    assert.equal(outcome(() => parseJSON(t)), outcome(() => parseJSONStrict(t)))
  }
})

test('jsonfast: duplicates hidden by colons inside strings are still refused', () => {
  for (const t of ['{"a":"x:","a":1}', '{"a":1,"a":"x:"}', '{"a:":1,"b":{"c":1,"c":":"}}', '{"a":{"b:":1},"a":2}', '{"__proto__":1,"__proto__":2}']) {
    assert.throws(() => parseJSON(t), t)
  }
  assert.deepEqual(parseJSON('{"a:":"b:c","d":[":"]}'), { 'a:': 'b:c', d: [':'] })
})

class Point { constructor(public x = 1) {} }
const VALUES: unknown[] = ['s', '\ud800', 'a\\ud800', '\ud83d\ude00', 1, -0, NaN, Infinity, 2n ** 70n, true, null, undefined, () => 1, Symbol('s'), new Date(0), new Map(), new Point(), { toJSON: () => 'j' }, Object.create(null), [], 'x:y']

function value(depth: number): unknown {
  const r = rnd(10)
  if (depth > 4 || r < 4) return pick(VALUES)
  if (r < 6) return Array.from({ length: rnd(4) }, () => value(depth + 1))
  const o: Record<string, unknown> = {}
  for (let i = rnd(4); i > 0; i--) o[pick(['a', 'b', '1', '__x', 'é', '\ud800'])] = value(depth + 1)
  return o
}

test('jsonfast: stringify equals the strict writer on 30000 random values', () => {
  const seen = { ok: 0, refused: 0 }
  for (let i = 0; i < 30000; i++) {
    const v = value(0)
    const want = (() => { try { return 'ok ' + stringifyStrict(v) } catch (e) { return 'refused ' + (e as Error).constructor.name } })()
    const got = (() => { try { return 'ok ' + stringify(v) } catch (e) { return 'refused ' + (e as Error).constructor.name } })()
    assert.equal(got, want)
    seen[want.startsWith('ok') ? 'ok' : 'refused']++
  }
  assert.ok(seen.ok > 1000 && seen.refused > 1000, JSON.stringify(seen))
  let deep: unknown = 1
  for (let i = 0; i < 600; i++) deep = [deep]
  assert.throws(() => stringify(deep))
  const cyclic: unknown[] = []
  cyclic.push(cyclic)
  assert.throws(() => stringify(cyclic))
})
