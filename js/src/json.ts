/**
 * Strict JSON (SPEC.md, DECISIONS "JSON strictness"): exactly one JSON text
 * (RFC 8259) in valid UTF-8 without a BOM; no lone or reversed surrogate
 * escapes; no duplicate member names (compared after unescaping); numbers by
 * the RFC grammar and finite as binary64; nesting at most 512 deep; nothing
 * but white space after the value. JSON.parse breaks four of these, so this
 * file parses by hand.
 *
 * Integers written without fraction or exponent whose value is outside the
 * safe range (|n| > 2^53 - 1) become bigint, never a rounded number.
 */
import { FormatError, UnsupportedValueError } from './errors.js'

/** Nesting depth limit: the outermost value is at depth 1. */
export const MAX_DEPTH = 512

const utf8Decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true })
const utf8Encoder = new TextEncoder()

/** Decodes strict UTF-8 (no replacement, BOM kept so that it is refused). */
export function decodeUTF8(b: Uint8Array): string {
  try {
    return utf8Decoder.decode(b)
  } catch {
    throw new FormatError('payload is not valid UTF-8')
  }
}

export function encodeUTF8(s: string): Uint8Array {
  return utf8Encoder.encode(s)
}

/** A parsed JSON node that keeps what typed values need: number lexemes and member order. */
export type Node =
  | null
  | boolean
  | string
  | NumberNode
  | Node[]
  | ObjectNode

export class NumberNode {
  constructor(readonly raw: string) {}
  /** Whether the lexeme has no fraction and no exponent. */
  get isInteger(): boolean {
    return !/[.eE]/.test(this.raw)
  }
}

export class ObjectNode {
  constructor(readonly members: [string, Node][]) {}
}

/** On arrays of a tree: the JSON text of each element, as written. */
export const RAW_ELEMENTS: unique symbol = Symbol('cookieseal raw elements')

/** The raw texts of a tree array's elements. */
export function rawElements(a: Node[]): string[] {
  return (a as unknown as { [RAW_ELEMENTS]: string[] })[RAW_ELEMENTS]
}

/** Removes insignificant white space from JSON text, changing nothing else. */
export function minify(text: string): string {
  let out = ''
  let start = 0
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (c === 0x22) {
      // Skip the string, escapes included.
      for (i++; i < text.length; i++) {
        const d = text.charCodeAt(i)
        if (d === 0x5c) i++
        else if (d === 0x22) break
      }
    } else if (c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d) {
      out += text.slice(start, i)
      start = i + 1
    }
  }
  return out + text.slice(start)
}

const enum Mode { Value, Tree }

class Parser {
  i = 0
  depth = 0
  constructor(readonly s: string, readonly mode: Mode) {}

  fail(what: string): never {
    throw new FormatError(`JSON: ${what} at offset ${this.i}`)
  }

  ws(): void {
    const s = this.s
    let i = this.i
    for (;;) {
      const c = s.charCodeAt(i)
      if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) i++
      else break
    }
    this.i = i
  }

  value(): unknown {
    this.ws()
    const c = this.s.charCodeAt(this.i)
    switch (c) {
      case 0x7b: return this.object()
      case 0x5b: return this.array()
      case 0x22: return this.string()
      case 0x74: return this.literal('true', true)
      case 0x66: return this.literal('false', false)
      case 0x6e: return this.literal('null', null)
    }
    if (c === 0x2d || (c >= 0x30 && c <= 0x39)) return this.number()
    return this.fail(Number.isNaN(c) ? 'unexpected end' : 'unexpected character')
  }

  literal(word: string, v: unknown): unknown {
    if (!this.s.startsWith(word, this.i)) this.fail('bad literal')
    this.i += word.length
    return v
  }

  enter(): void {
    if (++this.depth > MAX_DEPTH) this.fail(`nesting deeper than ${MAX_DEPTH}`)
  }

  object(): unknown {
    this.enter()
    this.i++
    const tree = this.mode === Mode.Tree
    const members: [string, Node][] = []
    const obj: Record<string, unknown> = {}
    const seen = tree ? new Set<string>() : undefined
    this.ws()
    if (this.s.charCodeAt(this.i) === 0x7d) {
      this.i++
      this.depth--
      return tree ? new ObjectNode(members) : obj
    }
    for (;;) {
      this.ws()
      if (this.s.charCodeAt(this.i) !== 0x22) this.fail('expected a member name')
      const k = this.string()
      this.ws()
      if (this.s.charCodeAt(this.i) !== 0x3a) this.fail("expected ':'")
      this.i++
      const v = this.value()
      if (tree) {
        if (seen!.has(k)) this.fail('duplicate member name')
        seen!.add(k)
        members.push([k, v as Node])
      } else {
        if (Object.prototype.hasOwnProperty.call(obj, k)) this.fail('duplicate member name')
        if (k === '__proto__') {
          Object.defineProperty(obj, k, { value: v, writable: true, enumerable: true, configurable: true })
        } else {
          obj[k] = v
        }
      }
      this.ws()
      const c = this.s.charCodeAt(this.i++)
      if (c === 0x2c) continue
      if (c === 0x7d) break
      this.i--
      this.fail("expected ',' or '}'")
    }
    this.depth--
    return tree ? new ObjectNode(members) : obj
  }

  array(): unknown {
    this.enter()
    this.i++
    const out: unknown[] = []
    const raw: string[] | undefined = this.mode === Mode.Tree ? [] : undefined
    if (raw) Object.defineProperty(out, RAW_ELEMENTS, { value: raw })
    this.ws()
    if (this.s.charCodeAt(this.i) === 0x5d) {
      this.i++
      this.depth--
      return out
    }
    for (;;) {
      if (raw) {
        this.ws()
        const start = this.i
        out.push(this.value())
        raw.push(this.s.slice(start, this.i))
      } else {
        out.push(this.value())
      }
      this.ws()
      const c = this.s.charCodeAt(this.i++)
      if (c === 0x2c) continue
      if (c === 0x5d) break
      this.i--
      this.fail("expected ',' or ']'")
    }
    this.depth--
    return out
  }

  string(): string {
    const s = this.s
    let i = this.i + 1
    let out = ''
    let start = i
    for (;;) {
      const c = s.charCodeAt(i)
      if (c === 0x22) break
      if (c === 0x5c) {
        out += s.slice(start, i)
        i++
        const e = s.charCodeAt(i)
        switch (e) {
          case 0x22: out += '"'; break
          case 0x5c: out += '\\'; break
          case 0x2f: out += '/'; break
          case 0x62: out += '\b'; break
          case 0x66: out += '\f'; break
          case 0x6e: out += '\n'; break
          case 0x72: out += '\r'; break
          case 0x74: out += '\t'; break
          case 0x75: {
            const u = this.hex4(i + 1)
            i += 4
            if (u >= 0xdc00 && u <= 0xdfff) { this.i = i; this.fail('lone low surrogate escape') }
            if (u >= 0xd800 && u <= 0xdbff) {
              if (s.charCodeAt(i + 1) !== 0x5c || s.charCodeAt(i + 2) !== 0x75) { this.i = i; this.fail('lone high surrogate escape') }
              const lo = this.hex4(i + 3)
              if (lo < 0xdc00 || lo > 0xdfff) { this.i = i; this.fail('high surrogate escape without a low one') }
              i += 6
              out += String.fromCharCode(u, lo)
            } else {
              out += String.fromCharCode(u)
            }
            break
          }
          default:
            this.i = i
            this.fail('bad escape')
        }
        i++
        start = i
        continue
      }
      if (c < 0x20 || Number.isNaN(c)) {
        this.i = i
        this.fail(Number.isNaN(c) ? 'unterminated string' : 'control character in a string')
      }
      i++
    }
    out += s.slice(start, i)
    this.i = i + 1
    return out
  }

  hex4(at: number): number {
    let n = 0
    for (let k = 0; k < 4; k++) {
      const c = this.s.charCodeAt(at + k)
      let d: number
      if (c >= 0x30 && c <= 0x39) d = c - 0x30
      else if (c >= 0x41 && c <= 0x46) d = c - 0x37
      else if (c >= 0x61 && c <= 0x66) d = c - 0x57
      else { this.i = at + k; this.fail('bad \\u escape') }
      n = n * 16 + d
    }
    return n
  }

  number(): unknown {
    const s = this.s
    const start = this.i
    let i = start
    let integer = true
    if (s.charCodeAt(i) === 0x2d) i++
    const d0 = s.charCodeAt(i)
    if (d0 === 0x30) {
      i++
    } else if (d0 >= 0x31 && d0 <= 0x39) {
      while (isDigit(s.charCodeAt(i))) i++
    } else {
      this.i = i
      this.fail('bad number')
    }
    if (s.charCodeAt(i) === 0x2e) {
      integer = false
      i++
      if (!isDigit(s.charCodeAt(i))) { this.i = i; this.fail('bad fraction') }
      while (isDigit(s.charCodeAt(i))) i++
    }
    const e = s.charCodeAt(i)
    if (e === 0x65 || e === 0x45) {
      integer = false
      i++
      const sign = s.charCodeAt(i)
      if (sign === 0x2b || sign === 0x2d) i++
      if (!isDigit(s.charCodeAt(i))) { this.i = i; this.fail('bad exponent') }
      while (isDigit(s.charCodeAt(i))) i++
    }
    this.i = i
    const raw = s.slice(start, i)
    const n = Number(raw)
    if (!Number.isFinite(n)) { this.i = start; this.fail('number out of range') }
    if (this.mode === Mode.Tree) return new NumberNode(raw)
    if (integer && !Number.isSafeInteger(n)) return BigInt(raw)
    return n
  }
}

function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39
}

function parseWith(s: string, mode: Mode): unknown {
  const p = new Parser(s, mode)
  const v = p.value()
  p.ws()
  if (p.i !== s.length) p.fail('data after the JSON value')
  return v
}

/** Parses strict JSON text into plain JS values (objects, arrays, strings, numbers, bigints, booleans, null). */
export function parseJSON(s: string): unknown {
  return fastParse(s) ?? parseWith(s, Mode.Value)
}

/** @internal parseJSON without the JSON.parse fast path: the reference it is tested against. */
export function parseJSONStrict(s: string): unknown {
  return parseWith(s, Mode.Value)
}

/** @internal stringify without the JSON.stringify fast path: the reference it is tested against. */
export function stringifyStrict(v: unknown): string {
  return write(v, 1, false)
}

/**
 * JSON.parse where it provably gives what the strict parser gives, else
 * undefined (the caller then runs the strict parser, which also words the
 * error). JSON.parse already keeps the grammar, white space, escapes and
 * control characters of section 5.3; the rest is checked here:
 * - no backslash in the text, so every string is its text as written (no
 *   surrogate escape, and the colons below count alike in text and value);
 * - the parsed value, walked: nesting at most MAX_DEPTH; every number
 *   finite (1e400 gives Infinity); no integer-valued number outside the safe
 *   range (an integer lexeme there must become a bigint);
 * - no duplicate member name (JSON.parse keeps the last): every member has a
 *   colon outside strings, so the text's colons = members + colons inside
 *   strings. The value's members + colons inside its strings can only be
 *   fewer, and are fewer exactly when a member was dropped. First compared
 *   without counting inside strings (equal: no colon in any string, none
 *   dropped), then counting.
 */
function fastParse(s: string): unknown {
  if (s.includes('\\')) return undefined
  let v: unknown
  try {
    v = JSON.parse(s)
  } catch {
    return undefined
  }
  if (v === undefined) return undefined
  const text = count(s, 0x3a)
  const members = walk(v, 1, false)
  if (members === text) return v
  return members >= 0 && walk(v, 1, true) === text ? v : undefined
}

/** The number of code units c in s. */
function count(s: string, c: number): number {
  const ch = String.fromCharCode(c)
  let n = 0
  for (let i = s.indexOf(ch); i !== -1; i = s.indexOf(ch, i + 1)) n++
  return n
}

/** Members of every object in v (plus the colons inside its strings when inStrings), or -1 if v breaks a rule above. */
function walk(v: unknown, depth: number, inStrings: boolean): number {
  switch (typeof v) {
    case 'string': return inStrings ? count(v, 0x3a) : 0
    case 'number': return Number.isFinite(v) && (Number.isSafeInteger(v) || !Number.isInteger(v)) ? 0 : -1
    case 'boolean': return 0
  }
  if (v === null) return 0
  if (depth > MAX_DEPTH) return -1
  let n = 0
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) {
      const m = walk(v[i], depth + 1, inStrings)
      if (m < 0) return -1
      n += m
    }
    return n
  }
  const o = v as Record<string, unknown>
  for (const k in o) {
    const m = walk(o[k], depth + 1, inStrings)
    if (m < 0) return -1
    n += m + 1 + (inStrings ? count(k, 0x3a) : 0)
  }
  return n
}

/** Parses strict JSON text into a tree that keeps number lexemes and member order. */
export function parseTree(s: string): Node {
  return parseWith(s, Mode.Tree) as Node
}

/** Parses strict JSON from UTF-8 bytes into plain JS values. */
export function parseJSONBytes(b: Uint8Array): unknown {
  return parseJSON(decodeUTF8(b))
}

// ---- writing ----

const ESC: string[] = []
for (let c = 0; c < 0x20; c++) ESC[c] = '\\u00' + c.toString(16).padStart(2, '0')
ESC[0x0a] = '\\n'
ESC[0x0d] = '\\r'
ESC[0x09] = '\\t'
ESC[0x08] = '\\b'
ESC[0x0c] = '\\f'
ESC[0x22] = '\\"'
ESC[0x5c] = '\\\\'

// eslint-disable-next-line no-control-regex
const NEEDS_ESCAPE = /["\\\u0000-\u001f\ud800-\udfff]/

/**
 * Writes s as a JSON string, escaping only what JSON requires (as the Go
 * package does). A lone surrogate cannot be UTF-8 and is refused.
 */
export function quote(s: string): string {
  if (!NEEDS_ESCAPE.test(s)) return '"' + s + '"'
  let out = '"'
  let start = 0
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i)
    if (c >= 0xd800 && c <= 0xdfff) {
      if (c <= 0xdbff) {
        const lo = s.charCodeAt(i + 1)
        if (lo >= 0xdc00 && lo <= 0xdfff) { i++; continue }
      }
      throw new UnsupportedValueError('cookieseal: cannot seal a string with a lone surrogate (it has no UTF-8 form)')
    }
    if (c < 0x20 || c === 0x22 || c === 0x5c) {
      out += s.slice(start, i) + ESC[c]
      start = i + 1
    }
  }
  return out + s.slice(start) + '"'
}

/** Whether v is an object literal (or has a null prototype). */
export function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (typeof v !== 'object' || v === null) return false
  const p = Object.getPrototypeOf(v)
  return p === Object.prototype || p === null
}

/**
 * Serializes v as strict JSON. Like JSON.stringify it calls toJSON, skips
 * object members that are undefined, functions or symbols and writes them as
 * null in arrays; unlike it, it writes bigints as integers and refuses what
 * would not come back equal: NaN and infinities, lone surrogates, class
 * instances other than those with toJSON (Map, Set, typed arrays...), and
 * nesting deeper than 512 (which also stops cycles).
 */
export function stringify(v: unknown): string {
  if (sealable(v, 1)) {
    const out = JSON.stringify(v) as string | undefined
    // JSON.stringify escapes a lone surrogate as \udxxx: write() refuses it.
    if (out !== undefined && !out.includes('\\ud')) return out
  }
  return write(v, 1, false)
}

/**
 * Whether JSON.stringify(v) writes exactly what write(v) does: only plain
 * objects (no toJSON) and arrays, at most MAX_DEPTH deep, of strings,
 * finite numbers, booleans and null (and members that both skip or write as
 * null: undefined, functions, symbols). Anything else (bigints, NaN, class
 * instances, Dates...) goes to write(), the reference, which writes it or
 * says why not.
 */
function sealable(v: unknown, depth: number): boolean {
  switch (typeof v) {
    case 'string': case 'boolean': case 'undefined': case 'function': case 'symbol': return true
    case 'number': return Number.isFinite(v) && !Object.is(v, -0) // JSON.stringify writes -0 as 0 (SPEC.md 3.2)
    case 'bigint': return false
  }
  if (v === null) return true
  if (depth > MAX_DEPTH) return false
  if (Array.isArray(v)) {
    if (Object.getPrototypeOf(v) !== Array.prototype) return false
    for (let i = 0; i < v.length; i++) if (!sealable(v[i], depth + 1)) return false
    return true
  }
  if (!isPlainObject(v) || typeof (v as { toJSON?: unknown }).toJSON === 'function') return false
  for (const k of Object.keys(v)) if (!sealable(v[k], depth + 1)) return false
  return true
}

function write(v: unknown, depth: number, inArray: boolean): string {
  if (v !== null && typeof v === 'object' && typeof (v as { toJSON?: unknown }).toJSON === 'function') {
    v = (v as { toJSON: () => unknown }).toJSON()
  }
  switch (typeof v) {
    case 'string': return quote(v)
    case 'number':
      if (!Number.isFinite(v)) throw new UnsupportedValueError(`cookieseal: cannot seal the number ${v}`)
      return Object.is(v, -0) ? '-0' : String(v) // the sign kept, as Go and Python do (SPEC.md 3.2)
    case 'bigint': return v.toString()
    case 'boolean': return v ? 'true' : 'false'
    case 'undefined': case 'function': case 'symbol':
      if (depth === 1) throw new UnsupportedValueError(`cookieseal: cannot seal ${typeof v}`)
      return inArray ? 'null' : ''
  }
  if (v === null) return 'null'
  if (depth > MAX_DEPTH) throw new UnsupportedValueError(`cookieseal: value nests deeper than ${MAX_DEPTH} (or has a cycle)`)
  if (Array.isArray(v)) {
    let out = '['
    for (let i = 0; i < v.length; i++) {
      if (i > 0) out += ','
      out += write(v[i], depth + 1, true)
    }
    return out + ']'
  }
  if (!isPlainObject(v)) {
    throw new UnsupportedValueError(`cookieseal: cannot seal an instance of ${(v as object).constructor?.name ?? 'an unknown class'} as JSON; convert it to a plain object`)
  }
  let out = '{'
  let first = true
  for (const k of Object.keys(v)) {
    const w = write(v[k], depth + 1, false)
    if (w === '') continue
    out += (first ? '' : ',') + quote(k) + ':' + w
    first = false
  }
  return out + '}'
}
