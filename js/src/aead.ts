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
  ...nativeBase64(),
}

type FromBase64 = (s: string, o: { alphabet: 'base64url'; lastChunkHandling: 'strict' }) => Uint8Array
type ToBase64 = (this: Uint8Array, o: { alphabet: 'base64url'; omitPadding: true }) => string

/**
 * Strict base64url on the runtime's own Uint8Array.fromBase64 / toBase64
 * (TC39 "Uint8Array to/from base64": Chromium 140+, Firefox 133+, Safari
 * 18.2+), which browsers run natively. fromBase64 in "strict" mode refuses
 * characters outside the alphabet, "=" inside, and non-zero unused bits, but
 * skips ASCII white space: so the decoded length must also be exactly what
 * s's length gives. Used only where both exist and agree with base64url.ts
 * on known answers (nativeBase64 below).
 */
function nativeDecode(fromBase64: FromBase64): (s: string) => Uint8Array | undefined {
  const pad = ['', '', '==', '=']
  return (s) => {
    const rem = s.length % 4
    if (rem === 1) return undefined
    const out = withoutStack(() => {
      try {
        return fromBase64(s + pad[rem], { alphabet: 'base64url', lastChunkHandling: 'strict' })
      } catch {
        return undefined
      }
    })
    return out !== undefined && out.length === ((s.length * 3) >> 2) ? out : undefined
  }
}

function nativeBase64(): Pick<Backend, 'decodeBase64url' | 'encodeBase64url'> | undefined {
  const U = Uint8Array as unknown as { fromBase64?: FromBase64; prototype: { toBase64?: ToBase64 } }
  const from = U.fromBase64, to = U.prototype.toBase64
  if (typeof from !== 'function' || typeof to !== 'function') return undefined
  const decode = nativeDecode(from.bind(Uint8Array))
  const encode = (b: Uint8Array) => to.call(b, { alphabet: 'base64url', omitPadding: true })
  try {
    const bytes = Uint8Array.from({ length: 256 }, (_, i) => i)
    for (let n = 0; n <= 7; n++) {
      const b = bytes.subarray(0, n), e = encodeBase64url(b)
      if (encode(b) !== e || decode(e)?.join() !== b.join()) return undefined
    }
    if (encode(bytes) !== encodeBase64url(bytes) || decode(encodeBase64url(bytes))?.join() !== bytes.join()) return undefined
    for (const bad of ['A', 'AB', 'AR', 'AAB', 'AA=', 'AA==', 'A A', 'AA\n', ' AA', 'AA+', 'AA/', 'A+/A', 'AAA\u00e9', 'AAAA AAAA']) {
      if (decode(bad) !== undefined && decodeBase64url(bad) === undefined) return undefined
    }
    if (decode('AQ')?.join() !== '1' || decode('')?.length !== 0) return undefined
  } catch {
    return undefined
  }
  return { decodeBase64url: decode, encodeBase64url: encode }
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
