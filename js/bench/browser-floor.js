// The noble floor for browser.mjs, bundled by esbuild for the page: JSON,
// one @noble/ciphers XChaCha20-Poly1305 with a nonce from
// crypto.getRandomValues, base64url by btoa/atob. No header, name binding,
// times or strict checks.
import { xchacha20poly1305 } from '@noble/ciphers/chacha.js'

const enc = new TextEncoder()
const dec = new TextDecoder()

function toB64url(b) {
  let s = ''
  for (let i = 0; i < b.length; i += 0x8000) s += String.fromCharCode.apply(null, b.subarray(i, i + 0x8000))
  return btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')
}

function fromB64url(s) {
  const bin = atob(s.replace(/-/g, '+').replace(/_/g, '/'))
  const out = new Uint8Array(bin.length)
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i)
  return out
}

export function floor() {
  const key = crypto.getRandomValues(new Uint8Array(32))
  return {
    seal(v) {
      const nonce = crypto.getRandomValues(new Uint8Array(24))
      const ct = xchacha20poly1305(key, nonce).encrypt(enc.encode(JSON.stringify(v)))
      const out = new Uint8Array(24 + ct.length)
      out.set(nonce)
      out.set(ct, 24)
      return toB64url(out)
    },
    open(s) {
      const raw = fromB64url(s)
      return JSON.parse(dec.decode(xchacha20poly1305(key, raw.subarray(0, 24)).decrypt(raw.subarray(24))))
    },
  }
}
