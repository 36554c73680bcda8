/**
 * The bytes of a v1 cookie (SPEC.md sections 2-4), kept in one place to read
 * beside the spec: header, flags, associated data, sealing and opening.
 */
import { backend } from './aead.js'
import { encodeUTF8 } from './json.js'

export const VERSION = 0x01
export const FLAG_DEFLATE = 0x01
export const FLAG_TYPED = 0x02
export const FLAG_CREATED = 0x04
export const FLAG_IDENTITY = 0x08
export const FLAGS_KNOWN = FLAG_DEFLATE | FLAG_TYPED | FLAG_CREATED | FLAG_IDENTITY
/** The session ID of flag 0x08, in bytes, and the longest subject, in bytes of UTF-8. */
export const SESSION_ID_SIZE = 16
export const MAX_SUBJECT = 255
export const HEADER_SIZE = 6
export const NONCE_SIZE = 24
export const TAG_SIZE = 16
export const TIME_SIZE = 8
/** The smallest decoded cookie: header, nonce, issued-at and tag. */
export const MIN_SIZE = HEADER_SIZE + NONCE_SIZE + TIME_SIZE + TAG_SIZE
/** How far in the future an issued-at may lie, in seconds. */
export const MAX_CLOCK_SKEW = 60

/** Whether s has no lone surrogate, so that its UTF-8 form is exact. */
export function wellFormed(s: string): boolean {
  return !/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(s)
}

/**
 * The associated data: header || u32be(len(name)) || name. A name with a
 * lone surrogate has no exact UTF-8 form (TextEncoder would replace it, and
 * two names would bind alike): callers refuse it first.
 */
export function additionalData(header: Uint8Array, name: string): Uint8Array {
  const n = encodeUTF8(name)
  const ad = new Uint8Array(HEADER_SIZE + 4 + n.length)
  ad.set(header.subarray(0, HEADER_SIZE))
  new DataView(ad.buffer).setUint32(HEADER_SIZE, n.length)
  ad.set(n, HEADER_SIZE + 4)
  return ad
}

export interface SealInput {
  key: Uint8Array
  keyId: number
  flags: number
  nonce: Uint8Array
  issuedAt: bigint
  /** Written (with flag 0x04) only when given. */
  createdAt?: bigint
  /** With flag 0x08: the session ID (16 bytes) and the subject's UTF-8 (at most 255 bytes). */
  identity?: { sessionId: Uint8Array; subject: Uint8Array }
  body: Uint8Array
  name: string
}

/** Seals one cookie and returns its raw bytes (before base64url). */
export function sealBytes(s: SealInput): Uint8Array {
  let times = s.createdAt === undefined ? TIME_SIZE : 2 * TIME_SIZE
  const id = s.identity
  const idLen = id ? SESSION_ID_SIZE + 1 + id.subject.length : 0
  const plain = new Uint8Array(times + idLen + s.body.length)
  const pv = new DataView(plain.buffer)
  pv.setBigInt64(0, s.issuedAt)
  if (s.createdAt !== undefined) pv.setBigInt64(8, s.createdAt)
  if (id) {
    plain.set(id.sessionId, times)
    plain[times + SESSION_ID_SIZE] = id.subject.length
    plain.set(id.subject, times + SESSION_ID_SIZE + 1)
    times += idLen
  }
  plain.set(s.body, times)
  const out = new Uint8Array(HEADER_SIZE + NONCE_SIZE + plain.length + TAG_SIZE)
  out[0] = VERSION
  new DataView(out.buffer).setUint32(1, s.keyId)
  out[5] = s.flags
  out.set(s.nonce, HEADER_SIZE)
  const ad = additionalData(out, s.name)
  backend().seal(s.key, s.nonce, ad, plain, out.subarray(HEADER_SIZE + NONCE_SIZE))
  return out
}

/** Opens the sealed part of raw with key; returns the plaintext or undefined if it does not verify. */
export function openBytes(raw: Uint8Array, key: Uint8Array, name: string): Uint8Array | undefined {
  const nonce = raw.subarray(HEADER_SIZE, HEADER_SIZE + NONCE_SIZE)
  const sealed = raw.subarray(HEADER_SIZE + NONCE_SIZE)
  return backend().open(key, nonce, additionalData(raw, name), sealed)
}
