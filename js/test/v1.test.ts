// Issue 20 (v1): length hiding, errors that quote nothing, -0, named text,
// year-0 time keys.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { Codec, generateSecret } from '../src/codec.js'
import { Typed } from '../src/values.js'
import { UnsupportedValueError } from '../src/errors.js'
import { at } from './helpers.js'

const T0 = 1795700000

test('v1: {"answer": n, "try_number": 1} for n = 1..10 seals to ten cookies of one length at the default settings (SPEC.md 5.4)', () => {
  const c = new Codec({ secrets: [generateSecret()] })
  const lengths = new Set<number>()
  for (let n = 1; n <= 10; n++) lengths.add(c.seal('session', { answer: n, try_number: 1 }).length)
  assert.equal(lengths.size, 1, `lengths ${[...lengths]}`)
  // And the typed form, as gorilla sessions hold it.
  const typed = new Set<number>()
  for (let n = 1; n <= 10; n++) typed.add(c.sealValues('session', { answer: n, try_number: 1 }).length)
  assert.equal(typed.size, 1, `typed lengths ${[...typed]}`)
})

test('v1: padding is trailing spaces to a 32-byte plaintext, never past maxPayload or maxLength', () => {
  const c = new Codec({ secrets: [generateSecret()], now: at(T0) })
  const { json } = c.openRaw('s', c.seal('s', { a: 1 }))
  assert.equal(json, '{"a":1}' + ' '.repeat(32 - 8 - 7))
  const capped = new Codec({ secrets: [generateSecret()], now: at(T0), maxPayload: 9 })
  assert.equal(capped.openRaw('s', capped.seal('s', { a: 1 })).json, '{"a":1}  ')
  const bare = Math.ceil(((6 + 24 + 8 + 7 + 16) * 4) / 3)
  const tight = new Codec({ secrets: [generateSecret()], now: at(T0), maxLength: bare + 2 })
  assert.equal(tight.seal('s', { a: 1 }).length, bare)
})

test('v1: seal keeps the sign of a negative zero, as Go and Python do', () => {
  const c = new Codec({ secrets: [generateSecret()] })
  assert.equal(c.openRaw('s', c.seal('s', { z: -0, l: [-0] })).json.trimEnd(), '{"z":-0,"l":[-0]}')
  assert.ok(Object.is((c.open('s', c.seal('s', -0)).value as number), -0))
})

test('v1: a named value given as JSON text must be one strict JSON value', () => {
  const c = new Codec({ secrets: [generateSecret()] })
  for (const json of ['1},"admin":true,"x":{"a":1', '{"a":1} {"b":2}', '{"a":1,"a":2}', '', '1e400', '{"a":']) {
    assert.throws(() => c.sealValues('s', { f: new Typed('named', { name: 'main.Flash', json }) }), UnsupportedValueError, json)
  }
  const ok = c.sealValues('s', { f: new Typed('named', { name: 'main.Fl\u00e9sh', json: ' { "a" : 1.50 } ' }) })
  assert.equal(c.openRaw('s', ok).json.trimEnd(), '{"map":{"f":{"named":["main.Flésh",{"a":1.50}]}}}')
})

test('v1: time keys 0000-02-29 and 0000-03-01 are two keys', () => {
  const c = new Codec({ secrets: [generateSecret()] })
  const m = new Map<unknown, unknown>([[new Typed('time', '0000-02-29T00:00:00Z'), 1], [new Typed('time', '0000-03-01T00:00:00Z'), 2]])
  const cookie = c.sealValues('s', m)
  assert.equal(c.openRaw('s', cookie).json.trimEnd(), '{"map":[[{"time":"0000-02-29T00:00:00Z"},1],[{"time":"0000-03-01T00:00:00Z"},2]]}')
  assert.equal((c.open('s', cookie).value as Map<unknown, unknown>).size, 2)
})

test('v1: no open error quotes the decrypted payload (markers through every failing path)', () => {
  const c = new Codec({ secrets: [generateSecret()], now: at(T0) })
  const cases: [boolean, string, string[]][] = [
    [true, '{"map":{"mkA1":{"int8":7700123}}}', ['mkA1', '7700123']],
    [true, '{"map":{"k":{"time":"2021-02-31T11:22:33Z"}}}', ['2021-02-31', '11:22:33']],
    [true, '{"map":{"k":{"mkTag9":1}}}', ['mkTag9']],
    [true, '{"map":{"k":{"float32":3.5e38}}}', ['3.5e38']],
    [true, '{"map":{"k":{"bytes":"mkB6=="}}}', ['mkB6']],
    [true, '{"map":{"k":1.25e7}}', ['1.25e7']],
    [true, '{"object":{"mkObj3":1}}', ['mkObj3']],
    [true, '{"map":{"k":{"named":["mkN1",1,2]}}}', ['mkN1']],
    [false, '{"mkDup1":1,"mkDup1":2}', ['mkDup1']],
    [false, '{"x":1e400}', ['1e400']],
    [false, '["mkArr2"]', ['mkArr2']],
    [false, '"mkStr9"', ['mkStr9']],
    [false, '{"n":"mkS8"} mkTrail', ['mkS8', 'mkTrail']],
    [false, '{"n":"mk\\ud800Lone"}', ['mk', 'Lone']],
  ]
  let failures = 0
  for (const [typed, payload, markers] of cases) {
    const cookie = c.sealJSON('s', payload, typed, undefined, 4096, false)
    for (const open of [() => c.open('s', cookie), () => c.openRaw('s', cookie), () => c.openValues('s', cookie)]) {
      try {
        open()
      } catch (e) {
        failures++
        for (const m of markers) assert.ok(!String((e as Error).message).includes(m), `${payload}: ${(e as Error).message} quotes ${m}`)
      }
    }
  }
  assert.ok(failures >= cases.length * 2, `only ${failures} failing opens`)
})
