// testdata/golden.json: every golden cookie opens, in every later release.
// (The former vectors.json is part of the conformance suite now:
// conformance.test.ts runs it.)
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { Codec } from '../src/codec.js'
import { existsSync } from 'node:fs'
import { TESTDATA, readJSON, at } from './helpers.js'

test('golden.json is there: golden cookies are never removed', () => {
  assert.ok(existsSync(TESTDATA + 'golden.json'))
  assert.ok(readJSON(TESTDATA + 'golden.json').length >= 3)
})

for (const g of readJSON(TESTDATA + 'golden.json')) {
  test(`golden.json: ${g.description}`, () => {
    const c = new Codec({ secrets: g.secrets, now: at(g.issued_at) })
    const { json, info } = c.openRaw(g.name, g.cookie)
    assert.equal(json, g.payload)
    assert.equal(info.issuedAt, Number(g.issued_at))
    assert.equal(info.typed, g.kind === 'values')
    // Entries of v1.0.0 on: created-at (flag 0x04) and the identity (0x08).
    if (g.created_at !== undefined) assert.equal(Number(info.createdAt), Number(g.created_at))
    assert.equal(info.sessionId, g.session_id ?? '')
    assert.equal(info.subject, g.subject ?? '')
    // And it opens in the natural view.
    c.open(g.name, g.cookie)
  })
}
