// The conformance suite: every case of ../testdata/conformance/*.json, run
// unchanged (schema: /testdata/conformance/README.md).
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { basename } from 'node:path'
import { Codec } from '../src/codec.js'
import { sealBytes, FLAG_CREATED, FLAG_IDENTITY } from '../src/format.js'
import { decodeBase64url, encodeBase64url } from '../src/base64url.js'
import { buildRing, deriveKey } from '../src/keys.js'
import { encodeValues } from '../src/values.js'
import { conformanceFiles, readJSON, hex, toHex, at } from './helpers.js'
import { runChunkCase } from './chunkcase.js'
import { backend, nobleBackend, setBackend } from '../src/aead.js'
import { nodeBackend } from '../src/node-backend.js'

const CODE: Record<string, string> = {
  invalid: 'ERR_COOKIESEAL_INVALID',
  expired: 'ERR_COOKIESEAL_EXPIRED',
  unknown_key: 'ERR_COOKIESEAL_UNKNOWN_KEY',
  too_large: 'ERR_COOKIESEAL_TOO_LARGE',
  invalid_ring: 'ERR_COOKIESEAL_CONFIG',
}

function num(v: unknown, def: number): number {
  return v === undefined ? def : Number(v)
}

/** Opens one case's cookie as the case says; returns what came out. */
export function openCase(c: any) {
  const codec = new Codec({
    secrets: c.secrets,
    now: at(c.now),
    maxAge: num(c.max_age, 86400),
    maxLifetime: num(c.max_lifetime, 0),
    maxLength: num(c.max_length, 4096),
    maxPayload: num(c.max_payload, 65536),
  })
  const name = c.name ?? ''
  if (c.open_as === 'values') {
    const { value, info } = codec.openValues(name, c.cookie)
    return { info, values: encodeValues(value), json: undefined as string | undefined }
  }
  const { json, info } = codec.openRaw(name, c.cookie)
  return { info, json, values: undefined as string | undefined }
}

function runOpenCase(c: any): void {
  if (c.result !== 'ok') {
    assert.throws(() => openCase(c), (e: any) => {
      assert.equal(e.code, CODE[c.result], `want ${c.result}, got ${e.code}: ${e.message}`)
      return true
    })
    return
  }
  const got = openCase(c)
  if (c.payload !== undefined) {
    const json = got.json ?? openCase({ ...c, open_as: 'json' }).json
    assert.equal(json, c.payload, 'payload')
  }
  if (c.values !== undefined) assert.equal(got.values, c.values, 'values')
  if (c.issued_at !== undefined) assert.equal(got.info.issuedAt, Number(c.issued_at), 'issued_at')
  // Exact: a created-at beyond +-(2^53 - 1) comes back as a bigint, the case's too.
  if (c.created_at !== undefined) assert.equal(String(got.info.createdAt), String(c.created_at), 'created_at')
  if (c.key_id !== undefined) assert.equal(got.info.keyId, c.key_id, 'key_id')
  assert.equal(got.info.sessionId, c.session_id ?? '', 'session_id')
  assert.equal(got.info.subject, c.subject ?? '', 'subject')
  const raw = decodeBase64url(c.cookie)!
  if (c.flags !== undefined) assert.equal(raw[5], Number(c.flags), 'flags')
  if (c.seal) {
    // The key that sealed it: the first of the ring unless the case names another.
    const ring = buildRing(c.secrets)
    const k = ring.find((x) => x.idHex === c.key_id) ?? ring[0]!
    const s = c.seal
    const flags = Number(s.flags)
    const sealed = sealBytes({
      key: k.key,
      keyId: k.id,
      flags,
      nonce: hex(s.nonce),
      issuedAt: BigInt(s.issued_at),
      createdAt: flags & FLAG_CREATED ? BigInt(s.created_at) : undefined,
      identity: flags & FLAG_IDENTITY ? { sessionId: hex(s.session_id), subject: new TextEncoder().encode(s.subject) } : undefined,
      body: hex(s.body),
      name: c.name ?? '',
    })
    assert.equal(encodeBase64url(sealed), c.cookie, 'sealing reproduces the cookie')
  }
}

function runKeyCase(c: any): void {
  const d = deriveKey(c.secret)
  if (c.key !== undefined) assert.equal(toHex(d.key), c.key)
  if (c.key_id !== undefined) assert.equal(d.idHex, c.key_id)
}

function runRingCase(c: any): void {
  if (c.result === 'ok') {
    assert.doesNotThrow(() => buildRing(c.secrets))
  } else {
    assert.throws(() => buildRing(c.secrets), (e: any) => e.code === CODE[c.result])
  }
}

const files = conformanceFiles()
let total = 0
for (const file of files) {
  const suite = readJSON(file)
  test(`conformance ${basename(file)}: envelope`, () => {
    assert.equal(suite.suite, 'cookieseal conformance')
    assert.equal(Number(suite.format), 1)
    assert.ok(Array.isArray(suite.cases) && suite.cases.length > 0, 'a suite file with no case')
  })
  // Every case on each AEAD backend: @noble/ciphers (the Web entry) and
  // node:crypto (the "node" entry). Tests of a file run one after another.
  for (const b of [nobleBackend, nodeBackend]) {
    for (const c of suite.cases ?? []) {
      total++
      test(`conformance ${c.id} [${b.name}]`, () => {
        setBackend(b)
        try {
          if (c.secret !== undefined) return runKeyCase(c)
          if (c.cookie !== undefined) return runOpenCase(c)
          if (c.cookies !== undefined || (c.value !== undefined && c.max_parts !== undefined)) return runChunkCase(c)
          if (c.result === 'ok' || c.result === 'invalid_ring') return runRingCase({ secrets: [], ...c })
          assert.fail(`case ${c.id}: unknown kind (fields ${Object.keys(c).join(', ')})`)
        } finally {
          setBackend(nobleBackend)
        }
      })
    }
  }
}

test('conformance: the node backend is node:crypto here, and the default is noble', () => {
  assert.equal(nodeBackend.name, 'node:crypto')
  assert.equal(backend(), nobleBackend)
})

test('conformance: ids are unique across files', () => {
  const seen = new Set<string>()
  for (const file of files) {
    for (const c of readJSON(file).cases ?? []) {
      assert.ok(!seen.has(c.id), `duplicate id ${c.id}`)
      seen.add(c.id)
    }
  }
  void total
})
