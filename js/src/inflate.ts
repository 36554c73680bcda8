/**
 * Raw DEFLATE decoding (RFC 1951) with the payload cap enforced byte by
 * byte, as SPEC 5.2 requires: an opener stops as soon as the output exceeds
 * the cap (after at most cap + 1 bytes: too large); a truncated stream, a
 * corrupt one (reserved block type, a stored block whose NLEN is not the
 * complement of LEN, an over-subscribed or incomplete Huffman code, an
 * invalid symbol or a distance before the start) and any byte after the
 * final block are invalid; the first failure met wins.
 *
 * fflate's Inflate cannot do this: it decodes a whole pushed chunk before
 * its callback sees the output, does not check NLEN and accepts incomplete
 * codes. This decoder follows Mark Adler's puff (zlib/contrib/puff) and Go's
 * compress/flate on what is corrupt. It is only ever given authenticated
 * bytes (it runs after the AEAD has verified them).
 */
import { CookieTooLargeError, FormatError } from './errors.js'

class Truncated extends Error {}

const MAXBITS = 15
const LBASE = [3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258]
const LEXT = [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0]
const DBASE = [1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577]
const DEXT = [0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13]
const ORDER = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15]

/** A canonical Huffman code: how many codes of each length, and the symbols in code order. */
interface Huffman {
  count: Uint16Array
  symbol: Uint16Array
}

/**
 * Builds a code from code lengths. Corrupt (as in Go) if over-subscribed,
 * or incomplete unless it is a single code of length 1; an empty code is
 * allowed here and fails when used.
 */
function construct(lengths: ArrayLike<number>, n: number): Huffman {
  const count = new Uint16Array(MAXBITS + 1)
  for (let s = 0; s < n; s++) count[lengths[s]!]!++
  const h: Huffman = { count, symbol: new Uint16Array(n) }
  if (count[0] === n) return h
  let left = 1
  for (let len = 1; len <= MAXBITS; len++) {
    left <<= 1
    left -= count[len]!
    if (left < 0) throw new FormatError('corrupt DEFLATE data: over-subscribed code')
  }
  if (left > 0 && !(n - count[0]! === 1 && count[1] === 1)) throw new FormatError('corrupt DEFLATE data: incomplete code')
  const offs = new Uint16Array(MAXBITS + 1)
  for (let len = 1; len < MAXBITS; len++) offs[len + 1] = offs[len]! + count[len]!
  for (let s = 0; s < n; s++) if (lengths[s] !== 0) h.symbol[offs[lengths[s]!]!++] = s
  return h
}

const FIXED = (() => {
  const l = new Uint8Array(288)
  l.fill(8, 0, 144).fill(9, 144, 256).fill(7, 256, 280).fill(8, 280, 288)
  const lit: Huffman = { count: new Uint16Array(MAXBITS + 1), symbol: new Uint16Array(288) }
  // The fixed codes are complete for literals; distances use 30 of 32 five-bit codes.
  for (const x of l) lit.count[x]!++
  const offs = new Uint16Array(MAXBITS + 1)
  for (let len = 1; len < MAXBITS; len++) offs[len + 1] = offs[len]! + lit.count[len]!
  for (let s = 0; s < 288; s++) lit.symbol[offs[l[s]!]!++] = s
  const dist: Huffman = { count: new Uint16Array(MAXBITS + 1), symbol: new Uint16Array(30) }
  dist.count[5] = 30
  for (let s = 0; s < 30; s++) dist.symbol[s] = s
  return { lit, dist }
})()

class Inflater {
  pos = 0
  bitbuf = 0
  bitcnt = 0
  out: Uint8Array
  n = 0

  constructor(readonly src: Uint8Array, readonly cap: number) {
    this.out = new Uint8Array(Math.min(cap + 1, Math.max(1024, src.length * 4)))
  }

  bits(need: number): number {
    let val = this.bitbuf
    while (this.bitcnt < need) {
      if (this.pos >= this.src.length) throw new Truncated()
      val |= this.src[this.pos++]! << this.bitcnt
      this.bitcnt += 8
    }
    this.bitbuf = val >>> need
    this.bitcnt -= need
    return val & ((1 << need) - 1)
  }

  /** Makes room for k more output bytes, or fails with too large past the cap. */
  room(k: number): void {
    if (this.n + k > this.cap) throw new CookieTooLargeError(`cookieseal: cookie too large: value inflates past ${this.cap} bytes`)
    if (this.n + k > this.out.length) {
      const grown = new Uint8Array(Math.min(this.cap + 1, Math.max(this.out.length * 2, this.n + k)))
      grown.set(this.out.subarray(0, this.n))
      this.out = grown
    }
  }

  stored(): void {
    this.bitbuf = 0
    this.bitcnt = 0
    const s = this.src
    if (this.pos + 4 > s.length) throw new Truncated()
    const len = s[this.pos]! | (s[this.pos + 1]! << 8)
    const nlen = s[this.pos + 2]! | (s[this.pos + 3]! << 8)
    this.pos += 4
    if (len !== (~nlen & 0xffff)) throw new FormatError('corrupt DEFLATE data: stored block length does not match its complement')
    const avail = Math.min(len, s.length - this.pos)
    this.room(avail)
    this.out.set(s.subarray(this.pos, this.pos + avail), this.n)
    this.n += avail
    this.pos += avail
    if (avail < len) throw new Truncated()
  }

  decode(h: Huffman): number {
    let code = 0, first = 0, index = 0
    for (let len = 1; len <= MAXBITS; len++) {
      code |= this.bits(1)
      const count = h.count[len]!
      if (code - count < first) return h.symbol[index + (code - first)]!
      index += count
      first += count
      first <<= 1
      code <<= 1
    }
    throw new FormatError('corrupt DEFLATE data: invalid code')
  }

  codes(lit: Huffman, dist: Huffman): void {
    for (;;) {
      const sym = this.decode(lit)
      if (sym < 256) {
        this.room(1)
        this.out[this.n++] = sym
      } else if (sym === 256) {
        return
      } else {
        const li = sym - 257
        if (li >= 29) throw new FormatError('corrupt DEFLATE data: invalid length symbol')
        const len = LBASE[li]! + this.bits(LEXT[li]!)
        const di = this.decode(dist)
        if (di >= 30) throw new FormatError('corrupt DEFLATE data: invalid distance symbol')
        const d = DBASE[di]! + this.bits(DEXT[di]!)
        if (d > this.n) throw new FormatError('corrupt DEFLATE data: distance before the start')
        this.room(len)
        const o = this.out
        for (let i = 0; i < len; i++, this.n++) o[this.n] = o[this.n - d]!
      }
    }
  }

  dynamic(): void {
    const nlen = this.bits(5) + 257
    const ndist = this.bits(5) + 1
    const ncode = this.bits(4) + 4
    if (nlen > 286 || ndist > 30) throw new FormatError('corrupt DEFLATE data: too many length or distance codes')
    const lengths = new Uint8Array(320)
    for (let i = 0; i < ncode; i++) lengths[ORDER[i]!] = this.bits(3)
    const lencode = construct(lengths, 19)
    if (lencode.count[0] === 19) throw new FormatError('corrupt DEFLATE data: empty code length code')
    lengths.fill(0)
    for (let i = 0; i < nlen + ndist;) {
      let sym = this.decode(lencode)
      if (sym < 16) {
        lengths[i++] = sym
        continue
      }
      let len = 0
      if (sym === 16) {
        if (i === 0) throw new FormatError('corrupt DEFLATE data: repeat with no previous length')
        len = lengths[i - 1]!
        sym = 3 + this.bits(2)
      } else if (sym === 17) sym = 3 + this.bits(3)
      else sym = 11 + this.bits(7)
      if (i + sym > nlen + ndist) throw new FormatError('corrupt DEFLATE data: too many lengths')
      while (sym--) lengths[i++] = len
    }
    if (lengths[256] === 0) throw new FormatError('corrupt DEFLATE data: no end-of-block code')
    const lit = construct(lengths, nlen)
    const dist = construct(lengths.subarray(nlen), ndist)
    this.codes(lit, dist)
  }

  run(): Uint8Array {
    let last: number
    do {
      last = this.bits(1)
      const type = this.bits(2)
      if (type === 0) this.stored()
      else if (type === 1) this.codes(FIXED.lit, FIXED.dist)
      else if (type === 2) this.dynamic()
      else throw new FormatError('corrupt DEFLATE data: reserved block type')
    } while (!last)
    if (this.pos !== this.src.length) throw new FormatError('data after the final DEFLATE block')
    return this.out.subarray(0, this.n)
  }
}

/**
 * Inflates one complete raw DEFLATE stream of at most cap bytes. Throws
 * CookieTooLargeError as soon as the output would pass cap, FormatError for
 * a truncated or corrupt stream or bytes after its end; the first failure
 * met wins.
 */
export function inflateCapped(src: Uint8Array, cap: number): Uint8Array {
  try {
    return new Inflater(src, cap).run()
  } catch (e) {
    if (e instanceof Truncated) throw new FormatError('truncated DEFLATE stream')
    throw e
  }
}
