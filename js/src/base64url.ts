/**
 * Strict unpadded base64url (RFC 4648 section 5): one spelling per byte
 * string. Everything outside A-Z a-z 0-9 - _ is refused (padding, white space,
 * CR, LF, + and /), so is a length of 1 mod 4, and so are non-zero unused
 * bits in the last character. atob would accept most of these.
 */

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'

const VALUES = (() => {
  const t = new Uint8Array(128).fill(0xff)
  for (let i = 0; i < ALPHABET.length; i++) t[ALPHABET.charCodeAt(i)] = i
  return t
})()

function val(s: string, i: number): number {
  const c = s.charCodeAt(i)
  return c < 128 ? VALUES[c]! : 0xff
}

/** Decodes s, or returns undefined if s is not canonical unpadded base64url. */
export function decodeBase64url(s: string): Uint8Array | undefined {
  const rem = s.length % 4
  if (rem === 1) return undefined
  const out = new Uint8Array(((s.length / 4) | 0) * 3 + (rem ? rem - 1 : 0))
  let o = 0
  let i = 0
  const full = s.length - rem
  for (; i < full; i += 4) {
    const a = val(s, i), b = val(s, i + 1), c = val(s, i + 2), d = val(s, i + 3)
    if ((a | b | c | d) & 0xc0) return undefined
    out[o++] = (a << 2) | (b >> 4)
    out[o++] = ((b << 4) | (c >> 2)) & 0xff
    out[o++] = ((c << 6) | d) & 0xff
  }
  if (rem === 2) {
    const a = val(s, i), b = val(s, i + 1)
    if ((a | b) & 0xc0 || b & 0x0f) return undefined
    out[o++] = (a << 2) | (b >> 4)
  } else if (rem === 3) {
    const a = val(s, i), b = val(s, i + 1), c = val(s, i + 2)
    if ((a | b | c) & 0xc0 || c & 0x03) return undefined
    out[o++] = (a << 2) | (b >> 4)
    out[o++] = ((b << 4) | (c >> 2)) & 0xff
  }
  return out
}

const ALPHABET_CODES = Uint8Array.from(ALPHABET, (c) => c.charCodeAt(0))
const asciiDecoder = new TextDecoder()

/** Encodes b as unpadded base64url. */
export function encodeBase64url(b: Uint8Array): string {
  const out = new Uint8Array(Math.ceil((b.length * 4) / 3))
  const A = ALPHABET_CODES
  let o = 0
  let i = 0
  const full = b.length - (b.length % 3)
  for (; i < full; i += 3) {
    const n = (b[i]! << 16) | (b[i + 1]! << 8) | b[i + 2]!
    out[o++] = A[n >> 18]!
    out[o++] = A[(n >> 12) & 63]!
    out[o++] = A[(n >> 6) & 63]!
    out[o++] = A[n & 63]!
  }
  if (b.length - i === 1) {
    const n = b[i]! << 16
    out[o++] = A[n >> 18]!
    out[o++] = A[(n >> 12) & 63]!
  } else if (b.length - i === 2) {
    const n = (b[i]! << 16) | (b[i + 1]! << 8)
    out[o++] = A[n >> 18]!
    out[o++] = A[(n >> 12) & 63]!
    out[o++] = A[(n >> 6) & 63]!
  }
  return asciiDecoder.decode(out)
}

const STD = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'
const STD_VALUES = (() => {
  const t = new Uint8Array(128).fill(0xff)
  for (let i = 0; i < STD.length; i++) t[STD.charCodeAt(i)] = i
  return t
})()

/** Encodes b as standard base64 with padding (typed values' `bytes`). */
export function encodeBase64Std(b: Uint8Array): string {
  const s = encodeBase64url(b).replace(/-/g, '+').replace(/_/g, '/')
  return s + '='.repeat((4 - (s.length % 4)) % 4)
}

/** Decodes canonical padded standard base64, or returns undefined. */
export function decodeBase64Std(s: string): Uint8Array | undefined {
  if (s.length % 4 !== 0) return undefined
  let pad = 0
  if (s.endsWith('==')) pad = 2
  else if (s.endsWith('=')) pad = 1
  const body = s.slice(0, s.length - pad)
  for (let i = 0; i < body.length; i++) {
    const c = body.charCodeAt(i)
    if (c >= 128 || STD_VALUES[c] === 0xff) return undefined
  }
  return decodeBase64url(body.replace(/\+/g, '-').replace(/\//g, '_'))
}
