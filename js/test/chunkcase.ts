// Chunk cases (testdata/conformance/chunks.json, SPEC 10 and SESSIONS.md
// S4): reading cases give a request's cookies and, per attempt, the joined
// value or the failure; writing cases (chunks/write/...) a sealed value and a writer's
// limits, and the cookies set or too_large. No secret: layout only.
import assert from 'node:assert/strict'
import { readCandidates, splitValue } from '../src/cookies.js'

const CODE: Record<string, string> = { invalid: 'ERR_COOKIESEAL_INVALID', too_large: 'ERR_COOKIESEAL_TOO_LARGE' }
const RESULT: Record<string, string> = { ERR_COOKIESEAL_INVALID: 'invalid', ERR_COOKIESEAL_TOO_LARGE: 'too_large' }

export function runChunkCase(c: any): void {
  const maxLength = Number(c.max_length ?? 4096)
  const maxParts = Number(c.max_parts ?? 10)
  if (c.cookies !== undefined) {
    const got = readCandidates(c.cookies.map((k: any) => [k.name, k.value]), c.name, maxLength, maxParts)
    if (c.result === 'none') {
      assert.deepEqual(got, [], 'no attempt')
      return
    }
    assert.equal(c.result, 'ok')
    const view = got.map((g) => ('joined' in g ? { result: 'ok', joined: g.joined } : { result: RESULT[g.error.code] }))
    assert.deepEqual(view, c.attempts)
    return
  }
  const limits = { maxLength, maxParts, maxHeaderBytes: Number(c.max_header_bytes ?? 3072) }
  if (c.result === 'ok') {
    const set = splitValue(limits, c.name, c.value).map(([name, value]) => ({ name, value }))
    assert.deepEqual(set, c.set)
  } else {
    assert.throws(() => splitValue(limits, c.name, c.value), (e: any) => e.code === CODE[c.result])
  }
}
