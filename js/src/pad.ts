/**
 * Length hiding (SPEC.md section 5.4): a sealer pads an uncompressed
 * payload with trailing spaces, JSON white space every opener accepts, so
 * that the plaintext it seals (times, session identity and payload) is a
 * multiple of PAD_BUCKET bytes. Values whose JSON differs by a few bytes
 * then give cookies of one length. Never past maxPayload, never past what
 * the cookie size limit allows; compressed payloads are not padded.
 */
import { HEADER_SIZE, NONCE_SIZE, TAG_SIZE } from './format.js'

export const PAD_BUCKET = 32 // bytes

/** How many spaces pad a payload of n bytes sealed after pre bytes of times and identity. */
export function padLength(pre: number, n: number, maxPayload: number, maxValue: number): number {
  const p = pre + n
  let pad = Math.ceil(p / PAD_BUCKET) * PAD_BUCKET - p
  pad = Math.min(pad, maxPayload - n)
  while (pad > 0 && Math.ceil(((HEADER_SIZE + NONCE_SIZE + p + pad + TAG_SIZE) * 4) / 3) > maxValue) pad--
  return Math.max(pad, 0)
}

/** payload followed by its padding. */
export function padPayload(payload: Uint8Array, pre: number, maxPayload: number, maxValue: number): Uint8Array {
  const pad = padLength(pre, payload.length, maxPayload, maxValue)
  if (pad === 0) return payload
  const out = new Uint8Array(payload.length + pad)
  out.set(payload)
  out.fill(0x20, payload.length)
  return out
}
