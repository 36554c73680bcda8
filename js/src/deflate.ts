/**
 * Raw DEFLATE (RFC 1951) with fflate. Inflating enforces the payload cap
 * while it runs: the stream is fed to fflate's streaming Inflate a few bytes
 * at a time with a running count of the output, so a bomb stops within one
 * small push of the cap (at most PUSH * 1032 bytes past it: DEFLATE expands
 * at most 1032:1). Bytes after the final block, a truncated stream and
 * corrupt data are invalid.
 */
import { Inflate, deflateSync } from 'fflate/browser'
import { CookieTooLargeError, FormatError } from './errors.js'

/** Input bytes per push to the inflater. */
const PUSH = 128

/** Thrown from the data callback when the output passes the cap. */
class OverCap extends Error {}

/** fflate's Inflate keeps its unread input in `p` and its bit position in `s.p`. */
interface InflateInternals {
  p: Uint8Array
  s: { p?: number; f?: number; l?: unknown }
}

function run(src: Uint8Array, cap: number, byteWiseFrom: number): { out: Uint8Array[]; total: number; inf: Inflate } {
  const out: Uint8Array[] = []
  let total = 0
  const inf = new Inflate((chunk) => {
    if (chunk.length === 0) return
    total += chunk.length
    if (total > cap) throw new OverCap()
    out.push(chunk)
  })
  let pos = 0
  while (pos < src.length) {
    const step = pos >= byteWiseFrom ? 1 : Math.min(PUSH, byteWiseFrom - pos)
    inf.push(src.subarray(pos, pos + step), false)
    pos += step
  }
  return { out, total, inf }
}

/**
 * Inflates one complete raw DEFLATE stream of at most cap bytes. Throws
 * CookieTooLargeError as soon as the output passes cap (even if the stream
 * would later turn out corrupt or truncated: the first failure met wins), and
 * FormatError for a corrupt or truncated stream or bytes after the end.
 */
export function inflateCapped(src: Uint8Array, cap: number): Uint8Array {
  let r: ReturnType<typeof run>
  try {
    r = run(src, cap, Infinity)
  } catch (e) {
    if (e instanceof OverCap) throw tooLarge(cap)
    // Corrupt data met in some push: replay, a byte at a time from that
    // push on, to learn whether the output passed the cap before the
    // corruption. Only failures pay this.
    try {
      run(src, cap, firstFailingPush(src))
    } catch (e2) {
      if (e2 instanceof OverCap) throw tooLarge(cap)
    }
    throw new FormatError('corrupt DEFLATE data')
  }
  // Everything is in; a final empty push reports a truncated stream.
  try {
    r.inf.push(new Uint8Array(0), true)
  } catch (e) {
    if (e instanceof OverCap) throw tooLarge(cap)
    throw new FormatError('truncated DEFLATE stream')
  }
  const internals = r.inf as unknown as InflateInternals
  if (!(internals.p instanceof Uint8Array) || typeof internals.s !== 'object') {
    throw new Error('cookieseal: unsupported fflate version (cannot check for data after the final block)')
  }
  if (!internals.s.f || internals.s.l) throw new FormatError('truncated DEFLATE stream')
  const bitPos = internals.s.p ?? 0
  const trailing = internals.p.length - (bitPos > 0 ? 1 : 0)
  if (trailing > 0) throw new FormatError('data after the final DEFLATE block')
  return concat(r.out, r.total)
}

/** The offset of the push in which the stream fails, found by replaying. */
function firstFailingPush(src: Uint8Array): number {
  let pos = 0
  const inf = new Inflate(() => {})
  try {
    while (pos < src.length) {
      inf.push(src.subarray(pos, pos + PUSH), false)
      pos += PUSH
    }
  } catch {
    return pos
  }
  return src.length
}

function tooLarge(cap: number): CookieTooLargeError {
  return new CookieTooLargeError(`cookieseal: value inflates past ${cap} bytes`)
}

function concat(parts: Uint8Array[], total: number): Uint8Array {
  if (parts.length === 1) return parts[0]!
  const out = new Uint8Array(total)
  let o = 0
  for (const p of parts) {
    out.set(p, o)
    o += p.length
  }
  return out
}

/** Compresses data as raw DEFLATE (level 6). */
export function deflateRaw(data: Uint8Array): Uint8Array {
  return deflateSync(data, { level: 6 })
}
