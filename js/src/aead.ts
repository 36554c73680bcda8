/**
 * The AEAD backend: XChaCha20-Poly1305 seal and open, and the strict
 * base64url of cookie values. The default is the one that runs everywhere
 * (browsers, Workers, edge runtimes): @noble/ciphers and base64url.ts. The
 * package's "node" export condition (Node, Deno, Bun) loads index-node.ts,
 * which switches to node-backend.ts: the same functions on node:crypto's
 * ChaCha20-Poly1305 and Node's own base64url. Both give the same bytes and refuse the
 * same cookies (test/aead.test.ts, and the conformance suite runs on each).
 */
import { xchacha20poly1305 } from '@noble/ciphers/chacha.js'
import { decodeBase64url, encodeBase64url } from './base64url.js'

const utf8 = new TextEncoder()

export interface Backend {
  readonly name: string
  /** Writes ciphertext || 16-byte tag of plain into out (exactly plain.length + 16 bytes). key 32 bytes, nonce 24. */
  seal(key: Uint8Array, nonce: Uint8Array, ad: Uint8Array, plain: Uint8Array, out: Uint8Array): void
  /** The plaintext of sealed (ciphertext || tag), or undefined if it does not verify. Never throws for a forgery. */
  open(key: Uint8Array, nonce: Uint8Array, ad: Uint8Array, sealed: Uint8Array): Uint8Array | undefined
  /** Strict unpadded base64url, as base64url.ts defines it. */
  decodeBase64url(s: string): Uint8Array | undefined
  encodeBase64url(b: Uint8Array): string
  /** The length of s in UTF-8 (s without lone surrogates). */
  utf8Length(s: string): number
}

/** Runs f with stack traces off, so that an error thrown and caught inside costs no stack walk. */
export function withoutStack<T>(f: () => T): T {
  const E = Error as { stackTraceLimit?: number }
  const limit = E.stackTraceLimit
  if (typeof limit !== 'number') return f()
  E.stackTraceLimit = 0
  try {
    return f()
  } finally {
    E.stackTraceLimit = limit
  }
}

export const nobleBackend: Backend = {
  name: 'noble',
  seal(key, nonce, ad, plain, out) {
    xchacha20poly1305(key, nonce, ad).encrypt(plain, out)
  },
  open(key, nonce, ad, sealed) {
    // noble throws on a bad tag: caught here, without building a stack.
    return withoutStack(() => {
      try {
        return xchacha20poly1305(key, nonce, ad).decrypt(sealed)
      } catch {
        return undefined
      }
    })
  },
  decodeBase64url,
  encodeBase64url,
  utf8Length: (s) => utf8.encode(s).length,
}

let current: Backend = nobleBackend

/** The backend in use. */
export function backend(): Backend {
  return current
}

/** @internal Chooses the backend (index-node.ts; tests run each in turn). */
export function setBackend(b: Backend): void {
  current = b
}
