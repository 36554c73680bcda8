// The AEAD backends against published vectors: Wycheproof XChaCha20-Poly1305
// (every case of the lengths cookieseal uses: 32-byte key, 24-byte nonce)
// and the draft's A.3.1 answer, on @noble/ciphers (the Web entry) and on
// node:crypto (the "node" entry); their strict base64url agrees with
// base64url.ts; a forgery is refused without an exception; and each package
// entry picks its backend.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { readFileSync, existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { execFileSync } from 'node:child_process'
import { type Backend, nobleBackend } from '../src/aead.js'
import { nodeBackend } from '../src/node-backend.js'
import { decodeBase64url, encodeBase64url } from '../src/base64url.js'

const PRIMITIVES = fileURLToPath(new URL('../../../testdata/primitives/', import.meta.url))
const h = (s: string) => Uint8Array.from(Buffer.from(s, 'hex'))
const hexOf = (b: Uint8Array) => Buffer.from(b).toString('hex')

interface Vector { tcId: number; key: string; iv: string; aad: string; msg: string; ct: string; tag: string; result: string }

function wycheproof(): Vector[] {
  const f = PRIMITIVES + 'wycheproof_xchacha20_poly1305_test.json'
  assert.ok(existsSync(f), `${f} is missing`)
  const doc = JSON.parse(readFileSync(f, 'utf8')) as { testGroups: { tests: Vector[] }[] }
  return doc.testGroups.flatMap((g) => g.tests).filter((t) => t.key.length === 64 && t.iv.length === 48)
}

/** The draft's A.3.1 vector, read from its text. */
function draft(): Record<string, string> {
  const text = readFileSync(PRIMITIVES + 'draft-irtf-cfrg-xchacha-03_A3_aead_xchacha20_poly1305.txt', 'utf8')
  const out: Record<string, string> = {}
  for (const line of text.split('\n')) {
    const m = /^(Plaintext|AAD|Key|IV\/Nonce|Ciphertext|Tag)\s*=\s*([0-9a-f]+)/.exec(line)
    if (m) out[m[1]!] = m[2]!
  }
  return out
}

const vectors = wycheproof()

for (const b of [nobleBackend, nodeBackend]) {
  test(`aead [${b.name}]: every Wycheproof XChaCha20-Poly1305 vector of cookieseal's lengths`, () => {
    assert.ok(vectors.length >= 100, `only ${vectors.length} vectors`)
    let valid = 0
    for (const t of vectors) {
      const key = h(t.key), nonce = h(t.iv), ad = h(t.aad), msg = h(t.msg)
      const sealed = h(t.ct + t.tag)
      if (t.result === 'valid') {
        valid++
        const out = new Uint8Array(msg.length + 16)
        b.seal(key, nonce, ad, msg, out)
        assert.equal(hexOf(out), t.ct + t.tag, `tcId ${t.tcId} seal`)
        assert.equal(hexOf(b.open(key, nonce, ad, sealed)!), t.msg, `tcId ${t.tcId} open`)
      } else {
        assert.equal(b.open(key, nonce, ad, sealed), undefined, `tcId ${t.tcId} must not open`)
      }
    }
    assert.ok(valid > 0)
  })

  test(`aead [${b.name}]: the draft's A.3.1 answer`, () => {
    const v = draft()
    const plain = h(v.Plaintext!), out = new Uint8Array(plain.length + 16)
    b.seal(h(v.Key!), h(v['IV/Nonce']!), h(v.AAD!), plain, out)
    assert.equal(hexOf(out), v.Ciphertext! + v.Tag!)
    assert.equal(hexOf(b.open(h(v.Key!), h(v['IV/Nonce']!), h(v.AAD!), out)!), v.Plaintext)
  })

  test(`aead [${b.name}]: a flipped bit anywhere, a wrong AD or key: undefined, no exception`, () => {
    const key = h('11'.repeat(32)), nonce = h('22'.repeat(24)), ad = h('33'.repeat(20)), plain = new TextEncoder().encode('{"a":1}')
    const sealed = new Uint8Array(plain.length + 16)
    b.seal(key, nonce, ad, plain, sealed)
    for (let i = 0; i < sealed.length * 8; i++) {
      const bad = sealed.slice()
      bad[i >> 3]! ^= 1 << (i & 7)
      assert.equal(b.open(key, nonce, ad, bad), undefined, `bit ${i}`)
    }
    assert.equal(b.open(key, nonce, h('34'.repeat(20)), sealed), undefined)
    assert.equal(b.open(h('12'.repeat(32)), nonce, ad, sealed), undefined)
    assert.equal(b.open(key, nonce, ad, sealed.subarray(0, 15)), undefined)
    assert.equal(new TextDecoder().decode(b.open(key, nonce, ad, sealed)), '{"a":1}')
  })

  test(`aead [${b.name}]: base64url agrees with base64url.ts, strictness included`, () => {
    const alpha = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'
    const odd = alpha + '+/= .\n\u00e9\u0100\ud800'
    let seed = 1
    const rnd = (n: number) => { seed = (seed * 1103515245 + 12345) & 0x7fffffff; return seed % n }
    for (let k = 0; k < 20000; k++) {
      let s = ''
      const len = rnd(14)
      for (let j = 0; j < len; j++) s += rnd(20) === 0 ? odd[rnd(odd.length)] : alpha[rnd(64)]
      const want = decodeBase64url(s), got = b.decodeBase64url(s)
      assert.equal(got === undefined ? 'refused' : hexOf(got), want === undefined ? 'refused' : hexOf(want), JSON.stringify(s))
      if (want) assert.equal(b.encodeBase64url(want), encodeBase64url(want))
      assert.equal(b.utf8Length(s), new TextEncoder().encode(s).length, JSON.stringify(s))
    }
    for (const s of ['', 'a', '\u00e9', '\u20ac', '\ud83d\ude00', '\ud800', 'x\udc00y', '\ud800\ud800']) assert.equal(b.utf8Length(s), new TextEncoder().encode(s).length, JSON.stringify(s))
  })
}

test('aead: the "node" entry seals with node:crypto, the Web entry and the bundle with noble', async () => {
  const dist = new URL('../../dist/', import.meta.url)
  const aead = (await import(new URL('aead.js', dist).href)) as { backend(): Backend }
  assert.equal(aead.backend().name, 'noble')
  await import(new URL('index.js', dist).href)
  assert.equal(aead.backend().name, 'noble', 'importing the Web entry keeps noble')
  for (const m of ['node', 'express', 'hono', 'next']) await import(new URL(m + '.js', dist).href)
  assert.equal(aead.backend().name, 'noble', 'importing the Web subpath entries keeps noble')
  // Each entry of the node condition, alone in a fresh process, switches to node:crypto.
  for (const entry of ['index-node.js', 'node-node.js', 'express-node.js', 'hono-node.js', 'next-node.js']) {
    const src = `const a = await import(${JSON.stringify(new URL('aead.js', dist).href)}); await import(${JSON.stringify(new URL(entry, dist).href)}); console.log(a.backend().name)`
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', src], { encoding: 'utf8' }).trim()
    assert.equal(out, 'node:crypto', entry)
  }
  const pkg = JSON.parse(readFileSync(fileURLToPath(new URL('../../package.json', import.meta.url)), 'utf8')) as { exports: Record<string, Record<string, string>> }
  assert.equal(pkg.exports['.']!.node, './dist/index-node.js')
  const bundle = readFileSync(fileURLToPath(new URL('../../build/cookieseal.bundle.js', import.meta.url)), 'utf8')
  assert.ok(!bundle.includes('node:crypto') && !bundle.includes('createCipheriv'), 'the neutral bundle holds no node:crypto backend')
})
