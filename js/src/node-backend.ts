/**
 * The backend for Node, Deno and Bun (the "node" export condition): the
 * ChaCha20-Poly1305 of node:crypto (OpenSSL) with the XChaCha20 construction
 * on top, and Buffer's base64url made strict. Loaded only through
 * index-node.ts; the Web entry never imports it (test/build.test.ts).
 *
 * XChaCha20-Poly1305(key, nonce) = ChaCha20-Poly1305(HChaCha20(key,
 * nonce[0:16]), 0x00000000 || nonce[16:24]) (draft-irtf-cfrg-xchacha-03
 * section 2.3); HChaCha20 is @noble/ciphers'.
 */
import { createCipheriv, createDecipheriv, getCiphers } from 'node:crypto'
import { hchacha } from '@noble/ciphers/chacha.js'
import { type Backend, nobleBackend, withoutStack } from './aead.js'

const SIGMA = new Uint32Array(new TextEncoder().encode('expand 32-byte k').buffer)
const KEY = new Uint8Array(32)
const KEY_WORDS = new Uint32Array(KEY.buffer)
const PREFIX = new Uint8Array(16)
const PREFIX_WORDS = new Uint32Array(PREFIX.buffer)
const SUBKEY_WORDS = new Uint32Array(8)
const SUBKEY = new Uint8Array(SUBKEY_WORDS.buffer)
const IV = new Uint8Array(12)

/** Derives the ChaCha20 subkey and 12-byte nonce into SUBKEY and IV (module scratch: every call is synchronous). */
function derive(key: Uint8Array, nonce: Uint8Array): void {
  KEY.set(key)
  PREFIX.set(nonce.subarray(0, 16))
  hchacha(SIGMA, KEY_WORDS, PREFIX_WORDS, SUBKEY_WORDS)
  IV.set(nonce.subarray(16, 24), 4)
}

function wipe(): void {
  KEY.fill(0)
  SUBKEY.fill(0)
}

function seal(key: Uint8Array, nonce: Uint8Array, ad: Uint8Array, plain: Uint8Array, out: Uint8Array): void {
  if (key.length !== 32 || nonce.length !== 24 || out.length !== plain.length + 16) throw new RangeError('cookieseal: XChaCha20-Poly1305 needs a 32-byte key, a 24-byte nonce and an output of the plaintext length + 16')
  derive(key, nonce)
  const c = createCipheriv('chacha20-poly1305', SUBKEY, IV, { authTagLength: 16 })
  wipe()
  c.setAAD(ad, { plaintextLength: plain.length })
  const ct = c.update(plain)
  c.final()
  out.set(ct)
  out.set(c.getAuthTag(), plain.length)
}

function open(key: Uint8Array, nonce: Uint8Array, ad: Uint8Array, sealed: Uint8Array): Uint8Array | undefined {
  if (key.length !== 32 || nonce.length !== 24 || sealed.length < 16) return undefined
  derive(key, nonce)
  const d = createDecipheriv('chacha20-poly1305', SUBKEY, IV, { authTagLength: 16 })
  wipe()
  const n = sealed.length - 16
  d.setAAD(ad, { plaintextLength: n })
  d.setAuthTag(sealed.subarray(n))
  const plain = d.update(sealed.subarray(0, n))
  // final() throws when the tag does not verify: caught here, without
  // building a stack; the plaintext of a forgery is wiped and dropped.
  const ok = withoutStack(() => {
    try {
      d.final()
      return true
    } catch {
      return false
    }
  })
  if (!ok) {
    plain.fill(0)
    return undefined
  }
  return new Uint8Array(plain.buffer, plain.byteOffset, plain.length)
}

/** Strict: Buffer's decoder is lenient, so what it decodes must encode back to s exactly. */
function decodeBase64url(s: string): Uint8Array | undefined {
  const b = Buffer.from(s, 'base64url')
  if (b.toString('base64url') !== s) return undefined
  return new Uint8Array(b.buffer, b.byteOffset, b.length)
}

function encodeBase64url(b: Uint8Array): string {
  return Buffer.from(b.buffer, b.byteOffset, b.length).toString('base64url')
}

/** Whether this runtime's node:crypto has ChaCha20-Poly1305 and gives the draft's A.3.1 answer. */
function works(): boolean {
  try {
    if (!getCiphers().includes('chacha20-poly1305')) return false
    const h = (s: string) => Uint8Array.from(Buffer.from(s, 'hex'))
    const key = h('808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9f')
    const nonce = h('404142434445464748494a4b4c4d4e4f5051525354555657')
    const ad = h('50515253c0c1c2c3c4c5c6c7')
    const plain = new TextEncoder().encode("Ladies and Gentlemen of the class of '99: If I could offer you only one tip for the future, sunscreen would be it.")
    const out = new Uint8Array(plain.length + 16)
    seal(key, nonce, ad, plain, out)
    const want = 'bd6d179d3e83d43b9576579493c0e939572a1700252bfaccbed2902c21396cbb731c7f1b0b4aa6440bf3a82f4eda7e39ae64c6708c54c216cb96b72e1213b4522f8c9ba40db5d945b11b69b982c1bb9e3f3fac2bc369488f76b2383565d3fff921f9664c97637da9768812f615c68b13b52e' + 'c0875924c1c7987947deafd8780acf49'
    if (Buffer.from(out).toString('hex') !== want) return false
    const back = open(key, nonce, ad, out)
    out[0]! ^= 1
    return back !== undefined && Buffer.from(back).equals(Buffer.from(plain)) && open(key, nonce, ad, out) === undefined
  } catch {
    return false
  }
}

/** node:crypto, or noble where this runtime's node:crypto lacks ChaCha20-Poly1305 or fails the known answer. */
export const nodeBackend: Backend = works()
  ? { name: 'node:crypto', seal, open, decodeBase64url, encodeBase64url, utf8Length: (s: string) => Buffer.byteLength(s, 'utf8') }
  : nobleBackend
