/**
 * Raw DEFLATE compression (RFC 1951) for sealers, with fflate. Inflating is
 * inflate.ts, which enforces the payload cap byte by byte.
 */
import { deflateSync } from 'fflate/browser'

/** Compresses data as raw DEFLATE (level 6). */
export function deflateRaw(data: Uint8Array): Uint8Array {
  return deflateSync(data, { level: 6 })
}
