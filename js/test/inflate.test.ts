import { test } from 'node:test'
import assert from 'node:assert/strict'
import { deflateSync, inflateSync } from 'fflate'
import { inflateCapped } from '../src/inflate.js'
import { FormatError, CookieTooLargeError } from '../src/errors.js'

/** Writes a DEFLATE bit stream: values LSB first, Huffman codes MSB first. */
class Bits {
  bytes: number[] = []
  n = 0
  put(v: number, len: number): this {
    for (let i = 0; i < len; i++) {
      if (this.n % 8 === 0) this.bytes.push(0)
      this.bytes[this.bytes.length - 1]! |= ((v >> i) & 1) << (this.n % 8)
      this.n++
    }
    return this
  }
  code(c: number, len: number): this {
    for (let i = len - 1; i >= 0; i--) this.put((c >> i) & 1, 1)
    return this
  }
  /** A fixed-Huffman literal/length symbol. */
  sym(s: number): this {
    if (s < 144) return this.code(0x30 + s, 8)
    if (s < 256) return this.code(0x190 + s - 144, 9)
    if (s < 280) return this.code(s - 256, 7)
    return this.code(0xc0 + s - 280, 8)
  }
  get(): Uint8Array {
    return new Uint8Array(this.bytes)
  }
}

const fixed = () => new Bits().put(1, 1).put(1, 2)
const text = (b: Uint8Array) => new TextDecoder().decode(b)
const corrupt = (b: Uint8Array, cap = 1000) => assert.throws(() => inflateCapped(b, cap), FormatError)
const tooLarge = (b: Uint8Array, cap: number) => assert.throws(() => inflateCapped(b, cap), CookieTooLargeError)

test('inflate: round trips fflate output at every level, and empty', () => {
  const data = new TextEncoder().encode(JSON.stringify(Array.from({ length: 300 }, (_, i) => ({ i, s: 'x'.repeat(i % 17) }))))
  for (const level of [0, 1, 6, 9] as const) assert.deepEqual(inflateCapped(deflateSync(data, { level }), 1 << 20), data)
  assert.deepEqual(inflateCapped(deflateSync(new Uint8Array(0)), 10), new Uint8Array(0))
  for (let i = 0; i < 50; i++) {
    const r = crypto.getRandomValues(new Uint8Array(i * 37))
    assert.deepEqual(inflateCapped(deflateSync(r), 1 << 20), inflateSync(deflateSync(r)))
  }
})

test('inflate: a copy from one byte back repeats it', () => {
  // 'a', then length 3 at distance 1, then end of block: "aaaa"
  assert.equal(text(inflateCapped(fixed().sym(97).sym(257).code(0, 5).sym(256).get(), 10)), 'aaaa')
})

test('inflate: the cap is exact: cap bytes open, cap + 1 is too large, whether by literal, copy or stored block', () => {
  const copy = fixed().sym(97).sym(285).code(0, 5).sym(256).get() // 'a' + 258 copies = 259 bytes
  assert.equal(inflateCapped(copy, 259).length, 259)
  tooLarge(copy, 258)
  const lits = fixed().sym(97).sym(98).sym(99).sym(256).get()
  assert.equal(text(inflateCapped(lits, 3)), 'abc')
  tooLarge(lits, 2)
  const stored = new Uint8Array([1, 3, 0, 0xfc, 0xff, 0x61, 0x62, 0x63])
  assert.equal(text(inflateCapped(stored, 3)), 'abc')
  tooLarge(stored, 2)
})

test('inflate: past the cap first wins over a later truncation or corruption', () => {
  const big = fixed().sym(97).sym(285).code(0, 5).get() // no end of block: truncated after 259 bytes
  tooLarge(big, 100)
  corrupt(big, 1000)
  const bad = fixed().sym(97).sym(285).code(0, 5).code(30, 5).get() // then an invalid distance symbol
  tooLarge(bad, 100)
  corrupt(bad, 1000)
  // A stored block cut short: too large if what is there already passes the cap.
  const cut = new Uint8Array([1, 10, 0, 0xf5, 0xff, 0x61, 0x62, 0x63])
  tooLarge(cut, 2)
  corrupt(cut, 5)
})

test('inflate: corrupt streams are invalid', () => {
  corrupt(fixed().sym(97).sym(257).code(1, 5).sym(256).get()) // distance 2 with 1 byte out
  corrupt(fixed().sym(257).code(0, 5).sym(256).get()) // a copy before any output
  corrupt(fixed().sym(97).sym(257).code(30, 5).sym(256).get()) // distance symbol 30
  corrupt(fixed().sym(97).sym(257).code(31, 5).sym(256).get()) // distance symbol 31
  corrupt(fixed().sym(286).sym(256).get()) // length symbol 286
  corrupt(fixed().sym(287).sym(256).get()) // length symbol 287
  corrupt(new Bits().put(1, 1).put(3, 2).get()) // reserved block type
  corrupt(new Uint8Array([1, 3, 0, 0xfc, 0xfe, 0x61, 0x62, 0x63])) // NLEN not the complement of LEN
  // Dynamic blocks: an over-subscribed and an incomplete code length code.
  const dyn = (lens: number[]) => {
    const b = new Bits().put(1, 1).put(2, 2).put(0, 5).put(0, 5).put(lens.length - 4, 4)
    for (const l of lens) b.put(l, 3)
    return b.put(0, 16).get()
  }
  assert.throws(() => inflateCapped(dyn([1, 1, 1, 1]), 100), /over-subscribed/)
  assert.throws(() => inflateCapped(dyn([2, 2, 2, 0]), 100), /incomplete/)
  assert.throws(() => inflateCapped(dyn([0, 0, 0, 0]), 100), /empty/)
  // HLIT of 287 or 288 codes, HDIST of 31 or 32.
  assert.throws(() => inflateCapped(new Bits().put(1, 1).put(2, 2).put(30, 5).put(0, 5).put(0, 4).put(0, 16).get(), 100), /too many/)
  assert.throws(() => inflateCapped(new Bits().put(1, 1).put(2, 2).put(0, 5).put(30, 5).put(0, 4).put(0, 16).get(), 100), /too many/)
})

test('inflate: truncation anywhere and bytes after the end are invalid; padding bits are not', () => {
  const z = deflateSync(new TextEncoder().encode('hello hello hello hello'))
  for (let n = 0; n < z.length; n++) corrupt(z.subarray(0, n))
  corrupt(new Uint8Array([...z, 0]))
  corrupt(new Uint8Array([...z, ...z]))
  corrupt(new Uint8Array([0, 0, 0, 0xff, 0xff])) // a non-final empty stored block, then nothing
  const padded = fixed().sym(97).sym(256).get()
  padded[padded.length - 1]! |= 0x80 // the unused high bits of the last byte are padding
  assert.equal(text(inflateCapped(padded, 10)), 'a')
})

/** Canonical Huffman codes for code lengths, as RFC 1951 section 3.2.2 assigns them. */
function canonical(lengths: number[]): number[] {
  const count = new Array(16).fill(0)
  for (const l of lengths) if (l) count[l]++
  const next = new Array(16).fill(0)
  let code = 0
  count[0] = 0
  for (let len = 1; len < 16; len++) {
    code = (code + count[len - 1]!) << 1
    next[len] = code
  }
  return lengths.map((l) => (l ? next[l]++ : -1))
}

/**
 * A final dynamic block: lit and dist code lengths, written with a code
 * length code that gives each of clc (symbols 0-18) length 4, then the
 * symbols that body writes with the resulting codes.
 */
function dynamicBlock(lit: number[], dist: number[], body: (b: Bits, L: (s: number) => void, D: (s: number) => void) => void, clc = [...Array(16).keys()], lengthSyms?: number[][]): Uint8Array {
  const b = new Bits().put(1, 1).put(2, 2).put(lit.length - 257, 5).put(dist.length - 1, 5).put(19 - 4, 4)
  const ORDER = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15]
  const clcLengths = new Array(19).fill(0)
  for (const s of clc) clcLengths[s] = 4
  for (const s of ORDER) b.put(clcLengths[s], 3)
  const clcCodes = canonical(clcLengths)
  // The code lengths themselves (or the given raw code length symbols, with extra bits).
  for (const [sym, extra, extraBits] of lengthSyms ?? [...lit, ...dist].map((l) => [l, 0, 0])) {
    b.code(clcCodes[sym!]!, 4)
    if (extraBits) b.put(extra!, extraBits)
  }
  const lc = canonical(lit), dc = canonical(dist)
  body(b, (s) => b.code(lc[s]!, lit[s]!), (s) => b.code(dc[s]!, dist[s]!))
  return b.get()
}

function litLengths(map: Record<number, number>, n = 257): number[] {
  const l = new Array(n).fill(0)
  for (const [s, len] of Object.entries(map)) l[Number(s)] = len
  return l
}

test('inflate: dynamic blocks: a single distance code of length 1 is allowed, other incomplete codes are not', () => {
  const lit = litLengths({ 97: 1, 256: 2, 257: 2 }, 258)
  const aaaa = (L: (s: number) => void, D: (s: number) => void) => { L(97); L(257); D(0); L(256) }
  assert.equal(text(inflateCapped(dynamicBlock(lit, [1], (_, L, D) => aaaa(L, D)), 10)), 'aaaa')
  // The unused code of that single-code tree is an invalid code.
  assert.throws(() => inflateCapped(dynamicBlock(lit, [1], (b, L) => { L(97); L(257); b.put(0xffff, 16) }), 10), /invalid code/)
  // One distance code of length 2: incomplete.
  assert.throws(() => inflateCapped(dynamicBlock(lit, [2], (_, L, D) => aaaa(L, D)), 10), /incomplete/)
  // Two distance codes of length 1: complete, fine.
  assert.equal(text(inflateCapped(dynamicBlock(lit, [1, 1], (_, L, D) => { L(97); L(257); D(0); L(256) }), 10)), 'aaaa')
  // A literal/length code that is incomplete, or over-subscribed.
  assert.throws(() => inflateCapped(dynamicBlock(litLengths({ 97: 2, 256: 2 }), [1], (_, L) => { L(97); L(256) }), 10), /incomplete/)
  assert.throws(() => inflateCapped(dynamicBlock(litLengths({ 97: 1, 98: 1, 256: 1 }), [1], (_, L) => { L(256) }), 10), /over-subscribed/)
  // No end-of-block code.
  assert.throws(() => inflateCapped(dynamicBlock(litLengths({ 97: 1, 98: 1 }), [1], (_, L) => { L(97) }), 10), /end-of-block/)
})

test('inflate: dynamic blocks: code length repeats are checked', () => {
  const clc = [...Array(15).keys(), 16] // symbols 0-14 and 16, length 4 each: complete
  // A repeat (16) with no previous length.
  assert.throws(() => inflateCapped(dynamicBlock(litLengths({}), [0], () => {}, clc, [[16, 0, 2]]), 10), /no previous/)
  const clc18 = [...Array(15).keys(), 18]
  // 138 zeros (18 with 127) twice is 276 lengths, past 257 + 1.
  assert.throws(() => inflateCapped(dynamicBlock(litLengths({}), [0], () => {}, clc18, [[18, 127, 7], [18, 127, 7]]), 10), /too many lengths/)
  // 17: 3 + 7 = 10 zeros at most; used to spell lengths, then the block decodes.
  const clc17 = [...Array(15).keys(), 17]
  const lengths: number[][] = [[17, 7, 3]] // 10 zeros: symbols 0-9
  for (let s = 10; s < 97; s++) lengths.push([0, 0, 0])
  lengths.push([1, 0, 0]) // 97: length 1
  for (let s = 98; s < 256; s++) lengths.push([0, 0, 0])
  lengths.push([2, 0, 0], [2, 0, 0], [1, 0, 0]) // 256, 257: length 2; distance 0: length 1
  const lit = litLengths({ 97: 1, 256: 2, 257: 2 }, 258)
  assert.equal(text(inflateCapped(dynamicBlock(lit, [1], (_, L, D) => { L(97); L(257); D(0); L(256) }, clc17, lengths), 10)), 'aaaa')
})
