/**
 * The secrets grammar (SESSIONS.md section 7), the same in Go, JavaScript,
 * Python and the cookieseal command, so that the same secrets string or file
 * gives the same key IDs everywhere. Only ASCII SP and HTAB count as blanks
 * (and in a string, also ',', LF and CR): U+00A0, VT, FF, U+2028 and every
 * other character are part of a secret; `trim()` and `\s` would remove them.
 * Runtime-neutral: reading a file is in the Node-only entry
 * `cookieseal/node/secrets`.
 */
import { ConfigError } from './errors.js'
import { wellFormed } from './format.js'

/**
 * Splits a secrets string, such as the environment variable
 * COOKIESEAL_SECRETS, into secrets: the non-empty runs of characters between
 * separators, which are ',', SP, HTAB, LF and CR and nothing else. The first
 * secret seals. An empty, undefined or null value gives [] (an unset
 * variable). A secret with a lone surrogate is returned as it is; the Codec
 * refuses it.
 */
export function parseSecrets(value: string | undefined | null): string[] {
  if (value === undefined || value === null) return []
  if (typeof value !== 'string') throw new ConfigError('cookieseal: parseSecrets takes a string')
  return value.split(/[, \t\n\r]+/).filter((s) => s !== '')
}

/**
 * Parses the content of a secrets file, as bytes or as text: one secret per
 * line, the first seals. Bytes must be valid UTF-8 and text valid Unicode (no
 * lone surrogate); otherwise it throws ConfigError, saying on which line and
 * never what is on it. A leading U+FEFF (byte order mark) is removed. Lines
 * end at LF, and one CR before the LF or at the end of the text is removed.
 * On each line a '#' at the start or after SP or HTAB starts a comment that
 * runs to the end of the line (`s3cret  # added in May`); a '#' after any
 * other character is part of the secret. Then SP and HTAB around the secret
 * are removed, and an empty line is skipped. The last line need not end with
 * LF. It does not check the secrets; the Codec does.
 *
 * A secret can hold SP inside (`correct horse battery staple` is one secret
 * in a file, four in parseSecrets), but never starts or ends with SP or HTAB
 * and never holds ` #`.
 *
 * A secret whose line ends with the comment "#activate=2026-06-01T00:00:00Z"
 * opens at once but seals only from that time (SESSIONS.md S7.5): the
 * secrets come back in ring order at now (ms since the epoch, default
 * Date.now()); a file with no secret active then is refused.
 */
export function parseSecretsFile(content: string | Uint8Array, now: number = Date.now()): string[] {
  return ringOrder(parseSecretsFileEntries(content), now)
}

/** One secret of a secrets file and its activation time (Unix seconds; absent: active at once). */
export interface SecretEntry {
  secret: string
  activateAt?: number
}

/**
 * The secrets of entries in ring order at now (ms since the epoch,
 * SESSIONS.md S7.5): the first active one seals, the others follow in file
 * order. Throws ConfigError when none is active.
 */
export function ringOrder(entries: readonly SecretEntry[], now: number = Date.now()): string[] {
  if (entries.length === 0) return []
  const t = Math.floor(now / 1000)
  const first = entries.findIndex((e) => e.activateAt === undefined || e.activateAt <= t)
  if (first < 0) throw new ConfigError('cookieseal: secrets file: no secret is active yet (every one has an activate= time after now)')
  return [entries[first]!.secret, ...entries.filter((_, i) => i !== first).map((e) => e.secret)]
}

/** parseSecretsFile in file order, with each secret's activate= time. */
export function parseSecretsFileEntries(content: string | Uint8Array): SecretEntry[] {
  let text: string
  if (content instanceof Uint8Array) {
    const bad = firstInvalidUTF8(content)
    if (bad >= 0) throw notUTF8(lineOfByte(content, bad))
    text = new TextDecoder('utf-8', { ignoreBOM: true }).decode(content)
  } else if (typeof content === 'string') {
    if (!wellFormed(content)) throw notUTF8(lineOfLoneSurrogate(content))
    text = content
  } else {
    throw new ConfigError('cookieseal: parseSecretsFile takes a string or a Uint8Array')
  }
  if (text.startsWith('\ufeff')) text = text.slice(1)
  const entries: SecretEntry[] = []
  let n = 0
  for (let line of text.split('\n')) {
    n++
    if (line.endsWith('\r')) line = line.slice(0, -1)
    let comment = ''
    for (let i = 0; i < line.length; i++) {
      if (line[i] === '#' && (i === 0 || line[i - 1] === ' ' || line[i - 1] === '\t')) {
        comment = line.slice(i + 1)
        line = line.slice(0, i) // "# note" or "secret  # note"
        break
      }
    }
    line = line.replace(/^[ \t]+|[ \t]+$/g, '')
    const c = comment.replace(/^[ \t]+|[ \t]+$/g, '')
    let activateAt: number | undefined
    if (c.startsWith('activate=')) {
      const m = /^activate=([0-9]{4})-([0-9]{2})-([0-9]{2})T([0-9]{2}):([0-9]{2}):([0-9]{2})Z$/.exec(c)
      const t = m ? Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!) / 1000 : NaN
      // Date.UTC rolls 2026-02-30 over: the time must print back as written.
      if (!m || !Number.isFinite(t) || new Date(t * 1000).toISOString().replace('.000Z', 'Z') !== c.slice(9)) {
        throw new ConfigError(`cookieseal: secrets file line ${n}: an activate= time must be YYYY-MM-DDTHH:MM:SSZ (UTC)`)
      }
      if (line === '') throw new ConfigError(`cookieseal: secrets file line ${n}: an activate= comment needs a secret on its line`)
      activateAt = t
    }
    if (line !== '') entries.push(activateAt === undefined ? { secret: line } : { secret: line, activateAt })
  }
  return entries
}

function notUTF8(line: number): ConfigError {
  return new ConfigError(`cookieseal: secrets file is not valid UTF-8 (line ${line})`)
}

/** The 1-based line of byte offset at in b. */
function lineOfByte(b: Uint8Array, at: number): number {
  let n = 1
  for (let i = 0; i < at; i++) if (b[i] === 0x0a) n++
  return n
}

/** The 1-based line of the first lone surrogate of s (which has one). */
function lineOfLoneSurrogate(s: string): number {
  const m = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.exec(s)
  const at = m ? m.index : s.length
  return s.slice(0, at).split('\n').length
}

/**
 * The offset of the first byte of b that does not start a well-formed UTF-8
 * sequence (RFC 3629: no overlong form, no surrogate, nothing above
 * U+10FFFF), or -1 if b is valid UTF-8.
 */
export function firstInvalidUTF8(b: Uint8Array): number {
  let i = 0
  while (i < b.length) {
    const c = b[i]!
    if (c < 0x80) { i++; continue }
    let n: number, lo = 0x80, hi = 0xbf
    if (c >= 0xc2 && c <= 0xdf) n = 1
    else if (c >= 0xe0 && c <= 0xef) { n = 2; if (c === 0xe0) lo = 0xa0; else if (c === 0xed) hi = 0x9f }
    else if (c >= 0xf0 && c <= 0xf4) { n = 3; if (c === 0xf0) lo = 0x90; else if (c === 0xf4) hi = 0x8f }
    else return i
    const c1 = b[i + 1]
    if (c1 === undefined || c1 < lo || c1 > hi) return i
    for (let k = 2; k <= n; k++) {
      const ck = b[i + k]
      if (ck === undefined || ck < 0x80 || ck > 0xbf) return i
    }
    i += n + 1
  }
  return -1
}
