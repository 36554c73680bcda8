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
import { MAX_DEPTH, NumberNode, ObjectNode, isPlainObject, minify, quote, rawElements, stringify, type Node } from './json.js'

export type IntTag = 'int' | 'int8' | 'int16' | 'int32' | 'int64' | 'uint' | 'uint8' | 'uint16' | 'uint32' | 'uint64'
export type FloatTag = 'float64' | 'float32'
export type Tag =
  | IntTag | FloatTag | 'duration' | 'bytes' | 'strings' | 'ints' | 'float64s' | 'stringmap' | 'intmap'
  | 'time' | 'object' | 'map' | 'array' | 'named'

/** A named value (SPEC 6.7): the registered name and the value's JSON text, white space removed. */
export interface NamedValue {
  name: string
  json: string
}

/**
 * One typed value whose tag JavaScript cannot tell from the value alone.
 * Bodies in the exact view: integer tags and duration a bigint; float tags a
 * number; bytes a Uint8Array; strings string[]; ints bigint[]; float64s
 * number[]; stringmap [string, string][]; intmap [string, bigint][]; time
 * its canonical RFC 3339 text; object [string, value][]; map [key,
 * value][]; named a NamedValue; and null for the nil forms (SPEC 6.6).
 * When sealing, bodies may also be numbers for integers, a Date for time,
 * and a Map or plain object for the map-like tags.
 */
export class Typed {
  constructor(
    readonly tag: Tag,
    readonly value: unknown,
  ) {}
}

/** An exact typed value: JSON scalars and arrays stand for themselves. */
export type TypedValue = null | boolean | string | Typed | TypedValue[]

const I64: [bigint, bigint] = [-(1n << 63n), (1n << 63n) - 1n]
const INT_RANGES: Record<IntTag, [bigint, bigint]> = {
  int: I64,
  int8: [-128n, 127n],
  int16: [-32768n, 32767n],
  int32: [-(1n << 31n), (1n << 31n) - 1n],
  int64: I64,
  uint: [0n, (1n << 64n) - 1n],
  uint8: [0n, 255n],
  uint16: [0n, 65535n],
  uint32: [0n, (1n << 32n) - 1n],
  uint64: [0n, (1n << 64n) - 1n],
}

function isIntTag(t: string): t is IntTag {
  return Object.prototype.hasOwnProperty.call(INT_RANGES, t)
}

/** Tags whose body may be null (the nil forms). */
const NULLABLE = new Set<string>(['map', 'object', 'array', 'strings', 'ints', 'float64s', 'stringmap', 'intmap', 'bytes'])

// ---- opening: JSON tree -> exact typed values ----

function bad(what: string): never {
  throw new FormatError(`typed values: ${what}`)
}

function parseInteger(n: Node, tag: string, range: [bigint, bigint] = I64): bigint {
  if (!(n instanceof NumberNode)) bad(`${tag} is not a number`)
  if (!n.isInteger) bad(`${tag} ${n.raw} is not written as an integer`)
  if (n.raw === '-0') bad(`${tag} -0`)
  const v = BigInt(n.raw)
  if (v < range[0] || v > range[1]) bad(`${tag} ${n.raw} out of range`)
  return v
}

function parseFloat(n: Node, tag: FloatTag): number {
  if (!(n instanceof NumberNode)) bad(`${tag} is not a number`)
  let f = Number(n.raw)
  if (tag === 'float32') f = Math.fround(f)
  if (!Number.isFinite(f)) bad(`${tag} ${n.raw} out of range`)
  return f
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

function arrayBody(tag: string, body: Node): Node[] {
  if (!Array.isArray(body)) bad(`${tag} is not an array`)
  return body
}

function objectBody(tag: string, body: Node): [string, Node][] {
  if (!(body instanceof ObjectNode)) bad(`${tag} is not a JSON object`)
  return body.members
}

function parseTag(tag: string, body: Node): Typed {
  if (body === null && NULLABLE.has(tag)) return new Typed(tag as Tag, null)
  // A bare number is an int; there is no {"int": n} tag.
  if (isIntTag(tag) && tag !== 'int') return new Typed(tag, parseInteger(body, tag, INT_RANGES[tag]))
  switch (tag) {
    case 'float64':
    case 'float32':
      return new Typed(tag, parseFloat(body, tag))
    case 'duration':
      return new Typed('duration', parseInteger(body, tag))
    case 'bytes': {
      if (typeof body !== 'string') bad('bytes is not a string')
      const b = decodeBase64Std(body)
      if (!b) bad('bytes is not canonical padded base64')
      return new Typed('bytes', b)
    }
    case 'strings':
      return new Typed('strings', arrayBody(tag, body).map((e) => (typeof e === 'string' ? e : bad('strings holds a non-string'))))
    case 'ints':
      return new Typed('ints', arrayBody(tag, body).map((e) => parseInteger(e, 'an element of ints')))
    case 'float64s':
      return new Typed('float64s', arrayBody(tag, body).map((e) => parseFloat(e, 'float64')))
    case 'stringmap':
      return new Typed('stringmap', objectBody(tag, body).map(([k, v]) => [k, typeof v === 'string' ? v : bad('stringmap holds a non-string')]))
    case 'intmap':
      return new Typed('intmap', objectBody(tag, body).map(([k, v]) => [k, parseInteger(v, 'a value of intmap')]))
    case 'time':
      if (typeof body !== 'string') bad('time is not a string')
      return new Typed('time', canonicalTime(body))
    case 'object':
      return new Typed('object', objectBody(tag, body).map(([k, v]) => [k, fromTree(v)]))
    case 'map':
      return new Typed('map', parseMap(body))
    case 'named': {
      const a = arrayBody(tag, body)
      if (a.length !== 2 || typeof a[0] !== 'string') bad('named is not [name, value]')
      return new Typed('named', { name: a[0], json: minify(rawElements(a)[1]!) } satisfies NamedValue)
    }
  }
  return bad(`unknown tag ${JSON.stringify(tag)}`)
}

const KEY_TAGS = new Set<string>(['int', 'int8', 'int16', 'int32', 'int64', 'uint', 'uint8', 'uint16', 'uint32', 'uint64', 'float64', 'float32', 'time', 'duration'])

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
  // Not Date.UTC, which maps years 0-99 to 1900-1999 (and so 0000-02-29
  // to 1900-03-01): setUTCFullYear takes the year as it is.
  const dt = new Date(0)
  dt.setUTCFullYear(+y!, +mo! - 1, +d!)
  const fixed = dt.setUTCHours(+h!, +mi!, +se!, 0)
  const ns = BigInt(fixed - offMin * 60000) * 1000000n + BigInt((frac ?? '').padEnd(9, '0') || '0')
  return ns.toString() + '@' + offMin
}

// ---- sealing: values -> canonical typed JSON (SPEC 6.8) ----

/** Encodes session values (a plain object, a Map or a Typed map; values natural or Typed) canonically. */
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
      if (v >= I64[0] && v <= I64[1]) return v.toString()
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

function toBigInt(tag: string, value: unknown, range: [bigint, bigint] = I64): bigint {
  const n = typeof value === 'number' && Number.isSafeInteger(value) && !Object.is(value, -0) ? BigInt(value) : value
  if (typeof n !== 'bigint') unsupported(`${tag} ${String(value)} (not an integer)`)
  if (n < range[0] || n > range[1]) unsupported(`${tag} ${n} (out of range)`)
  return n
}

function encodeTyped(t: Typed, depth: number): string {
  const { tag, value } = t
  if (value === null) {
    if (!NULLABLE.has(tag)) unsupported(`a null ${tag}`)
    return tagged(tag, 'null')
  }
  if (isIntTag(tag)) {
    const n = toBigInt(tag, value, INT_RANGES[tag])
    return tag === 'int' ? n.toString() : tagged(tag, n.toString())
  }
  switch (tag) {
    case 'float64':
    case 'float32':
      if (typeof value !== 'number') unsupported(`${tag} that is not a number`)
      return tagged(tag, formatFloat(value, tag))
    case 'duration':
      return tagged('duration', toBigInt(tag, value).toString())
    case 'bytes':
      if (!(value instanceof Uint8Array)) unsupported('bytes that are not a Uint8Array')
      return tagged('bytes', '"' + encodeBase64Std(value) + '"')
    case 'strings':
      if (!Array.isArray(value) || value.some((s) => typeof s !== 'string')) unsupported('strings that are not an array of strings')
      return tagged('strings', '[' + (value as string[]).map(quote).join(',') + ']')
    case 'ints':
      if (!Array.isArray(value)) unsupported('ints that are not an array')
      return tagged('ints', '[' + (value as unknown[]).map((e) => toBigInt('an element of ints', e).toString()).join(',') + ']')
    case 'float64s':
      if (!Array.isArray(value) || value.some((f) => typeof f !== 'number')) unsupported('float64s that are not an array of numbers')
      return tagged('float64s', '[' + (value as number[]).map((f) => formatFloat(f, 'float64')).join(',') + ']')
    case 'stringmap':
      return tagged('stringmap', members(entriesOf(value), (v) => (typeof v === 'string' ? quote(v) : unsupported('a stringmap value that is not a string'))))
    case 'intmap':
      return tagged('intmap', members(entriesOf(value), (v) => toBigInt('an intmap value', v).toString()))
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
    case 'array':
      return unsupported('an array tag with a body other than null (a list is a bare array)')
    case 'named': {
      const nv = value as Partial<NamedValue> & { value?: unknown }
      if (typeof nv !== 'object' || typeof nv.name !== 'string') unsupported('a named value without a name')
      const json = typeof nv.json === 'string' ? namedText(nv.json) : stringify(nv.value)
      return tagged('named', '[' + quote(nv.name) + ',' + json + ']')
    }
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

/** An object body: members sorted by the UTF-8 bytes of their names. */
function members(entries: [unknown, unknown][], value: (v: unknown) => string): string {
  for (const [k] of entries) if (typeof k !== 'string') unsupported('an object key that is not a string')
  const sorted = (entries as [string, unknown][]).slice().sort((a, b) => compareCodePoints(a[0], b[0]))
  for (let i = 1; i < sorted.length; i++) if (sorted[i]![0] === sorted[i - 1]![0]) unsupported('an object with a duplicate key')
  return '{' + sorted.map(([k, v]) => quote(k) + ':' + value(v)).join(',') + '}'
}

function encodeObject(entries: [unknown, unknown][], depth: number): string {
  return tagged('object', members(entries, (v) => encode(v, depth + 1)))
}

function encodeMap(entries: [unknown, unknown][], depth: number): string {
  if (entries.every(([k]) => typeof k === 'string')) {
    return tagged('map', members(entries, (v) => encode(v, depth + 1)))
  }
  const pairs = entries.map(([k, v]): [string, string, unknown] => {
    const ek = encode(k, depth + 1)
    return [ek, keyIdentity(fromTreeOfEncoded(ek)), v]
  })
  pairs.sort((a, b) => compareCodePoints(a[0], b[0]))
  const seen = new Set<string>()
  for (const [, id] of pairs) {
    if (seen.has(id)) unsupported('a map whose keys collide')
    seen.add(id)
  }
  return tagged('map', '[' + pairs.map(([ek, , v]) => '[' + ek + ',' + encode(v, depth + 1) + ']').join(',') + ']')
}

/**
 * The text of a named value given as JSON text: parsed first, so that it is
 * exactly one strict JSON value (text that closes the named value and adds
 * members to the session is refused), then minified (SPEC 6.7).
 */
function namedText(text: string): string {
  try {
    parseTreeFn!(text)
  } catch (e) {
    if (e instanceof FormatError) unsupported('a named value whose JSON text is not one strict JSON value')
    throw e
  }
  return minify(text)
}

// Late-bound to avoid a cycle with the parser's module at load time.
let parseTreeFn: ((s: string) => Node) | undefined
export function setTreeParser(f: (s: string) => Node): void {
  parseTreeFn = f
}
function fromTreeOfEncoded(s: string): TypedValue {
  try {
    const v = fromTree(parseTreeFn!(s))
    keyIdentity(v)
    return v
  } catch (e) {
    if (e instanceof FormatError) unsupported('a map key that an opener would refuse (only scalars can be keys)')
    throw e
  }
}

// ---- floats (SPEC 6.2) ----

/** The shortest digits s (k of them) and exponent n with s x 10^(n-k) reading back to the float32 x > 0. */
function float32Digits(x: number): { s: string; n: number } {
  const dv = new DataView(new ArrayBuffer(8))
  dv.setFloat64(0, x)
  const bits = dv.getBigUint64(0)
  const exp = Number((bits >> 52n) & 0x7ffn)
  const frac = bits & ((1n << 52n) - 1n)
  const m = exp === 0 ? frac : frac | (1n << 52n)
  const e = exp === 0 ? -1074 : exp - 1075
  // x = D x 10^-q exactly.
  const D = e >= 0 ? m << BigInt(e) : m * 5n ** BigInt(-e)
  const q = e >= 0 ? 0 : -e
  const digits = D.toString()
  const nx = digits.length - q // x = 0.digits x 10^nx
  const reads = (s: bigint, n: number, k: number) => Math.fround(Number(`${s}e${n - k}`)) === x
  for (let k = 1; k <= 17; k++) {
    const lo = BigInt(digits.slice(0, k).padEnd(k, '0'))
    const rest = digits.slice(k)
    let hi = lo + 1n
    let nhi = nx
    if (hi.toString().length > k) { hi = 10n ** BigInt(k - 1); nhi++ }
    const exact = /^0*$/.test(rest)
    const okLo = reads(lo, nx, k), okHi = !exact && reads(hi, nhi, k)
    let pick: [bigint, number] | undefined
    if (okLo && okHi) {
      const half = '5'.padEnd(rest.length, '0')
      const r = rest.padEnd(half.length, '0')
      if (r < half) pick = [lo, nx]
      else if (r > half) pick = [hi, nhi]
      else pick = lo % 2n === 0n ? [lo, nx] : [hi, nhi]
    } else if (okLo) pick = [lo, nx]
    else if (okHi) pick = [hi, nhi]
    if (pick) {
      const s = pick[0].toString().replace(/0+$/, '')
      return { s, n: pick[1] }
    }
  }
  throw new Error('cookieseal: no shortest float32 spelling (unreachable)')
}

/** Lays out digits s and exponent n (value 0.s x 10^n) as ECMA-262 Number::toString does. */
function layout(s: string, n: number): string {
  const k = s.length
  if (k <= n && n <= 21) return s + '0'.repeat(n - k)
  if (0 < n && n <= 21) return s.slice(0, n) + '.' + s.slice(n)
  if (-6 < n && n <= 0) return '0.' + '0'.repeat(-n) + s
  const e = n - 1
  return s[0]! + (k > 1 ? '.' + s.slice(1) : '') + 'e' + (e >= 0 ? '+' : '-') + Math.abs(e)
}

/**
 * Writes a float as SPEC 6.2 says: the shortest decimal that reads back to
 * the same float (for float32, through binary64 then binary32), ties to
 * even, laid out as JavaScript's Number::toString; -0 as "-0".
 */
export function formatFloat(f: number, tag: FloatTag): string {
  if (!Number.isFinite(f)) unsupported(`the number ${f}`)
  if (tag === 'float32') {
    const x = Math.fround(f)
    if (!Number.isFinite(x)) unsupported(`the float32 ${f}`)
    if (x === 0) return Object.is(x, -0) ? '-0' : '0'
    const { s, n } = float32Digits(Math.abs(x))
    return (x < 0 ? '-' : '') + layout(s, n)
  }
  if (f === 0) return Object.is(f, -0) ? '-0' : '0'
  return String(f)
}

function dateToTime(d: Date): string {
  const t = d.getTime()
  if (!Number.isFinite(t)) unsupported('an invalid Date')
  const y = d.getUTCFullYear()
  if (y < 0 || y > 9999) unsupported(`a Date in the year ${y}`)
  return canonicalTime(d.toISOString()) // YYYY-MM-DDTHH:MM:SS.mmmZ for years 0-9999
}

// ---- the natural view (SPEC 6.9) ----

/**
 * Converts exact typed values to the natural JavaScript view: a map with
 * string keys, object, stringmap and intmap as plain objects, other maps as
 * a Map; a bare int (and an element of ints or intmap) a number if safe, else
 * a bigint; int64, uint64, uint and duration a bigint always; the smaller
 * integers and floats a number; bytes a Uint8Array; time its RFC 3339 text;
 * a named value its plain JSON; the nil forms null.
 */
export function toNatural(v: TypedValue): unknown {
  if (v === null || typeof v !== 'object') return v
  if (Array.isArray(v)) return v.map(toNatural)
  const { tag, value } = v
  if (value === null) return null
  switch (tag) {
    case 'int': return naturalInt(value as bigint)
    case 'int64': case 'uint64': case 'uint': case 'duration': return value
    case 'int8': case 'int16': case 'int32': case 'uint8': case 'uint16': case 'uint32': return Number(value)
    case 'float64': case 'float32': case 'time': return value
    case 'bytes': return (value as Uint8Array).slice()
    case 'strings': case 'float64s': return (value as unknown[]).slice()
    case 'ints': return (value as bigint[]).map(naturalInt)
    case 'stringmap': return naturalObject(value as [string, unknown][], (x) => x)
    case 'intmap': return naturalObject(value as [string, bigint][], (x) => naturalInt(x as bigint))
    case 'object': return naturalObject(value as [string, TypedValue][], (x) => toNatural(x as TypedValue))
    case 'map': {
      const entries = value as [TypedValue, TypedValue][]
      if (entries.every(([k]) => typeof k === 'string')) return naturalObject(entries as [string, TypedValue][], (x) => toNatural(x as TypedValue))
      return new Map(entries.map(([k, e]) => [toNatural(k), toNatural(e)]))
    }
    case 'named': return parseNamed((value as NamedValue).json)
  }
  return value
}

let parseJSONFn: ((s: string) => unknown) | undefined
export function setJSONParser(f: (s: string) => unknown): void {
  parseJSONFn = f
}
function parseNamed(json: string): unknown {
  return parseJSONFn!(json)
}

function naturalInt(n: bigint): number | bigint {
  const x = Number(n)
  return Number.isSafeInteger(x) ? x : n
}

function naturalObject<T>(entries: [string, T][], conv: (v: T) => unknown): Record<string, unknown> {
  const o: Record<string, unknown> = {}
  for (const [k, v] of entries) {
    Object.defineProperty(o, k, { value: conv(v), writable: true, enumerable: true, configurable: true })
  }
  return o
}

/**
 * Converts a plain JSON tree opened as session values (SPEC 6.10): it must
 * be an object; integers in int64 become int, other numbers float64; nested
 * objects become `object`.
 */
export function plainToValues(n: Node): Typed {
  if (!(n instanceof ObjectNode)) bad('a plain JSON cookie opened as session values must hold an object')
  return new Typed('map', n.members.map(([k, v]) => [k, plainNode(v)]))
}

function plainNode(n: Node): TypedValue {
  if (n === null || typeof n === 'boolean' || typeof n === 'string') return n
  if (n instanceof NumberNode) {
    if (n.isInteger && n.raw !== '-0') {
      const b = BigInt(n.raw)
      if (b >= I64[0] && b <= I64[1]) return new Typed('int', b)
    }
    return new Typed('float64', Number(n.raw))
  }
  if (Array.isArray(n)) return n.map(plainNode)
  return new Typed('object', n.members.map(([k, v]) => [k, plainNode(v)]))
}
