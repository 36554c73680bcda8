/**
 * Typed session values (SPEC.md section 6): the payload of a cookie with
 * flag 0x02, written by Go's gorilla/sessions support so that every value
 * keeps its Go type. A JavaScript program reads them two ways:
 *
 * - the natural view ({@link toNatural}): a `map` with string keys becomes a
 *   plain object, one with other keys a `Map`; `object` a plain object;
 *   integers a number, or a bigint outside +-(2^53 - 1); floats a number;
 *   `bytes` a Uint8Array; `strings`/`ints` arrays; `time` its RFC 3339 text;
 * - the exact view: a tree of {@link Typed} nodes that re-encodes to the same
 *   bytes, so that a JavaScript service can change one value of a Go session
 *   and give every other value back with its Go type.
 *
 * Sealing ({@link encodeValues}) accepts natural values and Typed nodes mixed:
 * a safe integer number is an `int`, another number a `float64`, a bigint an
 * `int` (or `uint64` above 2^63 - 1), a Uint8Array `bytes`, a Date a `time`,
 * a plain object nested inside an `object`, a Map a `map`; a Typed node is
 * written as its tag says.
 */
import { decodeBase64Std, encodeBase64Std } from './base64url.js'
import { FormatError, UnsupportedValueError } from './errors.js'
import { MAX_DEPTH, NumberNode, ObjectNode, isPlainObject, quote, type Node } from './json.js'

export type IntTag = 'int' | 'int8' | 'int16' | 'int32' | 'int64' | 'uint' | 'uint8' | 'uint16' | 'uint32' | 'uint64'
export type FloatTag = 'float64' | 'float32'
export type Tag = IntTag | FloatTag | 'bytes' | 'strings' | 'ints' | 'time' | 'object' | 'map'

/** One typed value whose tag JavaScript cannot tell from the value alone. */
export class Typed {
  constructor(
    readonly tag: Tag,
    /**
     * int tags: bigint; float tags: number; bytes: Uint8Array; strings:
     * string[]; ints: bigint[]; time: RFC 3339 string; object: [string,
     * value][]; map: [key, value][].
     */
    readonly value: unknown,
  ) {}
}

/** An exact typed value: JSON scalars and arrays stand for themselves. */
export type TypedValue = null | boolean | string | Typed | TypedValue[]

const INT_RANGES: Record<IntTag, [bigint, bigint]> = {
  int: [-(1n << 63n), (1n << 63n) - 1n],
  int8: [-128n, 127n],
  int16: [-32768n, 32767n],
  int32: [-(1n << 31n), (1n << 31n) - 1n],
  int64: [-(1n << 63n), (1n << 63n) - 1n],
  uint: [0n, (1n << 64n) - 1n],
  uint8: [0n, 255n],
  uint16: [0n, 65535n],
  uint32: [0n, (1n << 32n) - 1n],
  uint64: [0n, (1n << 64n) - 1n],
}

function isIntTag(t: string): t is IntTag {
  return Object.prototype.hasOwnProperty.call(INT_RANGES, t)
}

// ---- opening: JSON tree -> exact typed values ----

function bad(what: string): never {
  throw new FormatError(`typed values: ${what}`)
}

function parseInteger(n: Node, tag: IntTag): bigint {
  if (!(n instanceof NumberNode)) bad(`${tag} is not a number`)
  if (!n.isInteger) bad(`${tag} ${n.raw} is not written as an integer`)
  if (n.raw === '-0') bad(`${tag} -0`)
  const v = BigInt(n.raw)
  const [lo, hi] = INT_RANGES[tag]
  if (v < lo || v > hi) bad(`${tag} ${n.raw} out of range`)
  return v
}

/** Parses a typed value from the JSON tree; throws FormatError if malformed. */
export function fromTree(n: Node): TypedValue {
  if (n === null || typeof n === 'boolean' || typeof n === 'string') return n
  if (n instanceof NumberNode) return new Typed('int', parseInteger(n, 'int'))
  if (Array.isArray(n)) return n.map(fromTree)
  if (n.members.length !== 1) bad(`a tag object has ${n.members.length} members, want 1`)
  const [tag, body] = n.members[0]!
  return parseTag(tag, body)
}

function parseTag(tag: string, body: Node): Typed {
  // A bare number is an int; there is no {"int": n} tag.
  if (isIntTag(tag) && tag !== 'int') return new Typed(tag, parseInteger(body, tag))
  switch (tag) {
    case 'float64':
    case 'float32': {
      if (!(body instanceof NumberNode)) bad(`${tag} is not a number`)
      let f = Number(body.raw)
      if (tag === 'float32') f = Math.fround(f)
      if (!Number.isFinite(f)) bad(`${tag} ${body.raw} out of range`)
      return new Typed(tag, f)
    }
    case 'bytes': {
      if (typeof body !== 'string') bad('bytes is not a string')
      const b = decodeBase64Std(body)
      if (!b) bad('bytes is not canonical padded base64')
      return new Typed('bytes', b)
    }
    case 'strings': {
      if (!Array.isArray(body)) bad('strings is not an array')
      for (const e of body) if (typeof e !== 'string') bad('strings holds a non-string')
      return new Typed('strings', body.slice() as string[])
    }
    case 'ints': {
      if (!Array.isArray(body)) bad('ints is not an array')
      return new Typed('ints', body.map((e) => parseInteger(e, 'int')))
    }
    case 'time': {
      if (typeof body !== 'string') bad('time is not a string')
      return new Typed('time', canonicalTime(body))
    }
    case 'object': {
      if (!(body instanceof ObjectNode)) bad('object is not a JSON object')
      return new Typed('object', body.members.map(([k, v]) => [k, fromTree(v)]))
    }
    case 'map': return new Typed('map', parseMap(body))
  }
  return bad(`unknown tag ${JSON.stringify(tag)}`)
}

const KEY_TAGS = new Set<string>(['int', 'int8', 'int16', 'int32', 'int64', 'uint', 'uint8', 'uint16', 'uint32', 'uint64', 'float64', 'float32', 'time'])

function parseMap(body: Node): [TypedValue, TypedValue][] {
  if (body instanceof ObjectNode) return body.members.map(([k, v]) => [k, fromTree(v)])
  if (!Array.isArray(body)) bad('map is neither an object nor an array of pairs')
  const out: [TypedValue, TypedValue][] = []
  const seen = new Set<string>()
  for (const p of body) {
    if (!Array.isArray(p) || p.length !== 2) bad('a map entry is not a [key, value] pair')
    const k = fromTree(p[0]!)
    const id = keyIdentity(k)
    if (seen.has(id)) bad('duplicate map key')
    seen.add(id)
    out.push([k, fromTree(p[1]!)])
  }
  return out
}

/**
 * A string that two keys share exactly when they are the same key: same tag
 * and same value (numbers numerically with 0 == -0, time by instant and
 * offset). Refuses anything that cannot be a map key.
 */
function keyIdentity(k: TypedValue): string {
  if (k === null) return 'null'
  if (typeof k === 'boolean') return 'bool:' + k
  if (typeof k === 'string') return 'string:' + k
  if (k instanceof Typed && KEY_TAGS.has(k.tag)) {
    if (k.tag === 'float64' || k.tag === 'float32') {
      const f = k.value as number
      return k.tag + ':' + (f === 0 ? '0' : String(f))
    }
    if (k.tag === 'time') return 'time:' + timeIdentity(k.value as string)
    return k.tag + ':' + String(k.value)
  }
  return bad('a map key that is not a scalar')
}

// ---- time ----

const TIME_RE = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:\d{2})$/

function daysIn(y: number, m: number): number {
  return [31, y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1]!
}

/**
 * Checks an RFC 3339 time as the format allows it (year 0000-9999, explicit
 * offset in whole minutes under 24h, fraction 1-9 digits, no leap second)
 * and returns it as the Go package writes it: fraction without trailing
 * zeros, offset zero as Z.
 */
export function canonicalTime(s: string): string {
  const m = TIME_RE.exec(s)
  if (!m) bad('time is not RFC 3339 with an offset')
  const [, y, mo, d, h, mi, se, frac, off] = m
  const Y = +y!, M = +mo!, D = +d!
  if (M < 1 || M > 12 || D < 1 || D > daysIn(Y, M) || +h! > 23 || +mi! > 59 || +se! > 59) bad('time out of range')
  let offset = 'Z'
  if (off !== 'Z') {
    const oh = +off!.slice(1, 3), om = +off!.slice(4, 6)
    if (oh > 23 || om > 59) bad('time offset out of range')
    if (oh !== 0 || om !== 0) offset = off!
  }
  const f = (frac ?? '').replace(/0+$/, '')
  return `${y}-${mo}-${d}T${h}:${mi}:${se}${f ? '.' + f : ''}${offset}`
}

/** The instant (nanoseconds since 0000-01-01, as text) and the offset of a canonical time. */
function timeIdentity(s: string): string {
  const m = TIME_RE.exec(s)!
  const [, y, mo, d, h, mi, se, frac, off] = m
  let offMin = 0
  if (off !== 'Z') offMin = (off![0] === '-' ? -1 : 1) * (+off!.slice(1, 3) * 60 + +off!.slice(4, 6))
  const ms = Date.UTC(+y!, +mo! - 1, +d!, +h!, +mi!, +se!)
  // Date.UTC maps years 0-99 to 1900-1999; fix them.
  const fixed = +y! < 100 ? new Date(ms).setUTCFullYear(+y!) : ms
  const ns = BigInt(fixed - offMin * 60000) * 1000000n + BigInt((frac ?? '').padEnd(9, '0') || '0')
  return ns.toString() + '@' + offMin
}

// ---- sealing: values -> canonical typed JSON ----

/** Encodes session values (a plain object or a Map, values natural or Typed) as canonical typed JSON. */
export function encodeValues(values: unknown): string {
  if (values instanceof Typed) {
    if (values.tag !== 'map') throw new UnsupportedValueError('cookieseal: session values must be a map')
    return encode(values, 1)
  }
  if (values instanceof Map) return encodeMap([...values.entries()], 1)
  if (isPlainObject(values)) return encodeMap(Object.entries(values), 1)
  throw new UnsupportedValueError('cookieseal: session values must be a plain object or a Map')
}

function unsupported(what: string): never {
  throw new UnsupportedValueError(`cookieseal: cannot seal ${what} in session values`)
}

function tagged(tag: string, body: string): string {
  return '{"' + tag + '":' + body + '}'
}

/** Encodes one typed value (natural or Typed) canonically. */
export function encode(v: unknown, depth: number): string {
  if (depth > MAX_DEPTH) unsupported(`values nested deeper than ${MAX_DEPTH} (or a cycle)`)
  switch (typeof v) {
    case 'string': return quote(v)
    case 'boolean': return v ? 'true' : 'false'
    case 'number':
      if (Number.isSafeInteger(v) && !Object.is(v, -0)) return String(v)
      return tagged('float64', formatFloat(v, 'float64'))
    case 'bigint':
      if (v >= INT_RANGES.int[0] && v <= INT_RANGES.int[1]) return v.toString()
      if (v >= 0n && v <= INT_RANGES.uint64[1]) return tagged('uint64', v.toString())
      return unsupported(`the integer ${v} (outside int64 and uint64)`)
  }
  if (v === null) return 'null'
  if (Array.isArray(v)) return '[' + v.map((e) => encode(e, depth + 1)).join(',') + ']'
  if (v instanceof Typed) return encodeTyped(v, depth)
  if (v instanceof Uint8Array) return tagged('bytes', '"' + encodeBase64Std(v) + '"')
  if (v instanceof Date) return tagged('time', '"' + dateToTime(v) + '"')
  if (v instanceof Map) return encodeMap([...v.entries()], depth)
  if (isPlainObject(v)) return encodeObject(Object.entries(v), depth)
  return unsupported(v === undefined ? 'undefined' : typeof v === 'object' ? `an instance of ${v.constructor?.name}` : typeof v)
}

function encodeTyped(t: Typed, depth: number): string {
  const { tag, value } = t
  if (isIntTag(tag)) {
    const n = typeof value === 'number' && Number.isSafeInteger(value) ? BigInt(value) : value
    if (typeof n !== 'bigint') unsupported(`${tag} ${String(value)} (not an integer)`)
    const [lo, hi] = INT_RANGES[tag]
    if (n < lo || n > hi) unsupported(`${tag} ${n} (out of range)`)
    return tag === 'int' ? n.toString() : tagged(tag, n.toString())
  }
  switch (tag) {
    case 'float64':
    case 'float32':
      if (typeof value !== 'number') unsupported(`${tag} that is not a number`)
      return tagged(tag, formatFloat(value, tag))
    case 'bytes':
      if (!(value instanceof Uint8Array)) unsupported('bytes that are not a Uint8Array')
      return tagged('bytes', '"' + encodeBase64Std(value) + '"')
    case 'strings':
      if (!Array.isArray(value) || value.some((s) => typeof s !== 'string')) unsupported('strings that are not an array of strings')
      return tagged('strings', '[' + (value as string[]).map(quote).join(',') + ']')
    case 'ints':
      if (!Array.isArray(value)) unsupported('ints that are not an array')
      return tagged('ints', '[' + (value as unknown[]).map((e) => encodeTyped(new Typed('int', e), depth)).join(',') + ']')
    case 'time': {
      if (value instanceof Date) return tagged('time', '"' + dateToTime(value) + '"')
      if (typeof value !== 'string') unsupported('a time that is not a string or a Date')
      let c: string
      try {
        c = canonicalTime(value)
      } catch {
        return unsupported(`the time ${JSON.stringify(value)}`)
      }
      return tagged('time', '"' + c + '"')
    }
    case 'object':
      return encodeObject(entriesOf(value), depth)
    case 'map':
      return encodeMap(entriesOf(value), depth)
  }
  return unsupported(`the tag ${JSON.stringify(tag)}`)
}

function entriesOf(v: unknown): [unknown, unknown][] {
  if (Array.isArray(v)) return v as [unknown, unknown][]
  if (v instanceof Map) return [...v.entries()]
  if (isPlainObject(v)) return Object.entries(v)
  return unsupported('a map or object body that is not entries, a Map or a plain object')
}

/** Compares strings by code points, which is the order of their UTF-8 bytes. */
export function compareCodePoints(a: string, b: string): number {
  const n = Math.min(a.length, b.length)
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i), y = b.charCodeAt(i)
    if (x === y) continue
    // Surrogates (0xd800-0xdfff) stand for code points above every BMP one.
    const xs = x >= 0xd800 && x <= 0xdfff, ys = y >= 0xd800 && y <= 0xdfff
    if (xs !== ys) return xs ? 1 : -1
    return x < y ? -1 : 1
  }
  return a.length - b.length
}

function encodeObject(entries: [unknown, unknown][], depth: number): string {
  for (const [k] of entries) if (typeof k !== 'string') unsupported('an object key that is not a string')
  return tagged('object', encodeMembers(entries as [string, unknown][], depth))
}

function encodeMembers(entries: [string, unknown][], depth: number): string {
  const sorted = entries.slice().sort((a, b) => compareCodePoints(a[0], b[0]))
  return '{' + sorted.map(([k, v]) => quote(k) + ':' + encode(v, depth + 1)).join(',') + '}'
}

function encodeMap(entries: [unknown, unknown][], depth: number): string {
  if (entries.every(([k]) => typeof k === 'string')) {
    return tagged('map', encodeMembers(entries as [string, unknown][], depth))
  }
  const pairs = entries.map(([k, v]): [string, unknown] => {
    const ek = encode(k, depth + 1)
    // The key must be one an opener accepts as a key.
    keyIdentity(fromTreeOfEncoded(ek))
    return [ek, v]
  })
  pairs.sort((a, b) => compareCodePoints(a[0], b[0]))
  const seen = new Set<string>()
  for (const [ek] of pairs) {
    const id = keyIdentity(fromTreeOfEncoded(ek))
    if (seen.has(id)) unsupported('a map whose keys collide')
    seen.add(id)
  }
  return tagged('map', '[' + pairs.map(([ek, v]) => '[' + ek + ',' + encode(v, depth + 1) + ']').join(',') + ']')
}

// Late-bound to avoid a cycle with the parser's module at load time.
let parseTreeFn: ((s: string) => Node) | undefined
export function setTreeParser(f: (s: string) => Node): void {
  parseTreeFn = f
}
function fromTreeOfEncoded(s: string): TypedValue {
  try {
    return fromTree(parseTreeFn!(s))
  } catch (e) {
    if (e instanceof FormatError) unsupported('a map key that an opener would refuse')
    throw e
  }
}

/**
 * Formats a float as Go's strconv.FormatFloat(f, 'g', -1, bits) does: the
 * shortest decimal that reads back to the same float (for float32, through
 * binary64 then binary32), exponent form when the exponent is below -4 or at
 * least 6.
 */
export function formatFloat(f: number, tag: FloatTag): string {
  if (!Number.isFinite(f)) unsupported(`the number ${f}`)
  if (tag === 'float32' && !Number.isFinite(Math.fround(f))) unsupported(`the float32 ${f}`)
  if (f === 0) return Object.is(f, -0) ? '-0' : '0'
  let digits: string, exp: number
  const neg = f < 0
  const a = Math.abs(tag === 'float32' ? Math.fround(f) : f)
  let e: string
  if (tag === 'float32') {
    e = ''
    for (let p = 1; p <= 9; p++) {
      const s = a.toExponential(p - 1)
      if (Math.fround(Number(s)) === a) { e = s; break }
    }
  } else {
    e = a.toExponential()
  }
  const [mant, ex] = e.split('e') as [string, string]
  digits = mant.replace('.', '')
  exp = Number(ex)
  let out: string
  if (exp < -4 || exp >= 6) {
    out = digits[0]! + (digits.length > 1 ? '.' + digits.slice(1) : '') + 'e' + (exp < 0 ? '-' : '+') + String(Math.abs(exp)).padStart(2, '0')
  } else if (exp < 0) {
    out = '0.' + '0'.repeat(-exp - 1) + digits
  } else if (digits.length <= exp + 1) {
    out = digits + '0'.repeat(exp + 1 - digits.length)
  } else {
    out = digits.slice(0, exp + 1) + '.' + digits.slice(exp + 1)
  }
  return (neg ? '-' : '') + out
}

function dateToTime(d: Date): string {
  const t = d.getTime()
  if (!Number.isFinite(t)) unsupported('an invalid Date')
  const y = d.getUTCFullYear()
  if (y < 0 || y > 9999) unsupported(`a Date in the year ${y}`)
  const iso = d.toISOString() // YYYY-MM-DDTHH:MM:SS.mmmZ for years 0-9999
  return canonicalTime(iso)
}

// ---- the natural view ----

/** Converts exact typed values to the natural JavaScript view. */
export function toNatural(v: TypedValue): unknown {
  if (v === null || typeof v !== 'object') return v
  if (Array.isArray(v)) return v.map(toNatural)
  const { tag, value } = v
  if (isIntTag(tag)) return naturalInt(value as bigint)
  switch (tag) {
    case 'float64': case 'float32': case 'time': return value
    case 'bytes': return (value as Uint8Array).slice()
    case 'strings': return (value as string[]).slice()
    case 'ints': return (value as bigint[]).map(naturalInt)
    case 'object': return naturalObject(value as [string, TypedValue][])
    case 'map': {
      const entries = value as [TypedValue, TypedValue][]
      if (entries.every(([k]) => typeof k === 'string')) return naturalObject(entries as [string, TypedValue][])
      return new Map(entries.map(([k, e]) => [toNatural(k), toNatural(e)]))
    }
  }
  return value
}

function naturalInt(n: bigint): number | bigint {
  const x = Number(n)
  return Number.isSafeInteger(x) ? x : n
}

function naturalObject(entries: [string, TypedValue][]): Record<string, unknown> {
  const o: Record<string, unknown> = {}
  for (const [k, v] of entries) {
    Object.defineProperty(o, k, { value: toNatural(v), writable: true, enumerable: true, configurable: true })
  }
  return o
}

/**
 * Converts a plain JSON tree opened as session values: it must be an object;
 * integer numbers become int (float64 outside int64, as in Go), others
 * float64; nested objects become `object`.
 */
export function plainToValues(n: Node): Typed {
  if (!(n instanceof ObjectNode)) bad('a plain JSON cookie opened as session values must hold an object')
  return new Typed('map', n.members.map(([k, v]) => [k, plainNode(v)]))
}

function plainNode(n: Node): TypedValue {
  if (n === null || typeof n === 'boolean' || typeof n === 'string') return n
  if (n instanceof NumberNode) {
    if (n.isInteger) {
      const b = BigInt(n.raw)
      if (b >= INT_RANGES.int[0] && b <= INT_RANGES.int[1]) return new Typed('int', b)
    }
    return new Typed('float64', Number(n.raw))
  }
  if (Array.isArray(n)) return n.map(plainNode)
  return new Typed('object', n.members.map(([k, v]) => [k, plainNode(v)]))
}
