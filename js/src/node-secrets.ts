/// <reference types="node" />
/**
 * Node only (`cookieseal/node/secrets`, under the "node" export condition):
 * reading a secrets file, and a reloader that keeps a Codec's ring equal to
 * it, by the rules the Go and Python packages follow (SESSIONS.md section
 * 7). It is the one file of the package that imports a node: module; the
 * core (`cookieseal`, `cookieseal/node`) imports none, and parseSecretsFile
 * (in the core) parses what this file reads.
 */
import { closeSync, openSync, readSync } from 'node:fs'
import { sha256 } from '@noble/hashes/sha2.js'
import type { Codec } from './codec.js'
import { ConfigError } from './errors.js'
import { buildRing } from './keys.js'
import { parseSecretsFile, parseSecretsFileEntries, ringOrder, type SecretEntry } from './secrets.js'

/** The largest secrets file read, in bytes. A real one holds a few lines; anything bigger is the wrong file. */
export const MAX_SECRETS_FILE_SIZE = 65536

/**
 * Reads at most MAX_SECRETS_FILE_SIZE bytes of path, opened anew (so a
 * symbolic link is followed again each time). A larger file fails after one
 * byte more, so /dev/zero or a log fails at once. Errors name the file, never
 * quote it.
 */
function readFileBytes(path: string): Uint8Array {
  const buf = new Uint8Array(MAX_SECRETS_FILE_SIZE + 1)
  let n = 0
  const fd = openSync(path, 'r')
  try {
    for (;;) {
      const got = readSync(fd, buf, n, buf.length - n, null)
      if (got === 0) break
      n += got
      if (n > MAX_SECRETS_FILE_SIZE) throw new Error(`${path} is larger than ${MAX_SECRETS_FILE_SIZE} bytes`)
    }
  } finally {
    closeSync(fd)
  }
  return buf.slice(0, n)
}

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e)
}

/**
 * Reads and parses a secrets file (the grammar of parseSecretsFile): one
 * secret per line, the first seals, '#' comments. Throws ConfigError, with
 * the Node error as its cause, if the file cannot be read, is larger than
 * MAX_SECRETS_FILE_SIZE, or is not valid UTF-8. The secrets come in ring
 * order at now (ms since the epoch): see parseSecretsFile on activate=
 * times. It does not check the
 * secrets; the Codec does.
 *
 *     const codec = new Codec({ secrets: readSecretsFile('/run/secrets/cookieseal') })
 */
export function readSecretsFile(path: string, now: number = Date.now()): string[] {
  let b: Uint8Array
  try {
    b = readFileBytes(path)
  } catch (e) {
    throw new ConfigError(`cookieseal: reading secrets file: ${message(e)}`, { cause: e })
  }
  try {
    return parseSecretsFile(b, now)
  } catch (e) {
    throw new ConfigError(message(e).replace(/^cookieseal: secrets file /, `cookieseal: secrets file ${path} `), { cause: e })
  }
}

export interface SecretsReloaderOptions {
  /**
   * Lets a reload apply a file that keeps none of the key IDs in force.
   * Without it such a file is refused: that is what a torn in-place write of
   * a new first secret looks like, and applying it logs every user out.
   */
  allowReplaceAll?: boolean
}

/** What one read of the file found: whether the outcome is news, and the error in force, if any. */
export interface PollResult {
  changed: boolean
  error: Error | null
}

/**
 * Keeps a Codec's ring equal to the secrets in a file, so keys rotate without
 * a restart, by the same rules as the Go package's Reloader:
 *
 * - Each read opens the path anew (following symbolic links again, so the
 *   `..data` swap of a Kubernetes secret volume is seen) and reads the whole
 *   file; only content that differs from what was last settled can change
 *   the ring.
 * - Settled content only: new content is applied after two reads in a row
 *   give the same bytes (a read in the middle of an in-place rewrite sees a
 *   valid-looking prefix of a secret). reload() reads twice; start() applies
 *   a change at the second poll that sees it.
 * - Keep a key: after the first load, a file that keeps none of the key IDs
 *   in force is refused, unless allowReplaceAll. Rotate by adding the new
 *   secret first.
 * - A file that cannot be read, is not UTF-8, that the Codec refuses (no
 *   secret, one too short, two alike) or that breaks a rule above leaves the
 *   ring as it was; the error says why without quoting the file.
 *
 * The file owns the ring: a setSecrets call made elsewhere is not undone
 * until the file changes. Reads are synchronous (a secrets file is a few
 * hundred bytes), so reload() can run at the start of a request.
 */
export class SecretsReloader {
  readonly path: string
  readonly #codec: Codec
  readonly #allowReplaceAll: boolean
  #loaded = false // the file's secrets were applied at least once
  #sum: string | null = null // digest of the content last settled
  #err: Error | null = null // outcome of applying that content
  #readErr: string | null = null // message of the last read failure
  #pending: string | null = null // digest of content read once, not yet settled
  #entries: SecretEntry[] = [] // of the content applied, for activation times
  #first: string | null = null // the sealing secret last applied

  /**
   * Reads the file twice and sets codec's ring from it. Throws ConfigError,
   * leaving codec as it was, if the file cannot be read, changes between the
   * two reads, or its secrets are refused.
   */
  constructor(codec: Codec, path: string, options: SecretsReloaderOptions = {}) {
    if (typeof path !== 'string' || path === '') throw new ConfigError('cookieseal: the secrets file path must be a non-empty string')
    this.#codec = codec
    this.path = path
    this.#allowReplaceAll = options.allowReplaceAll === true
    this.reload()
  }

  /**
   * Reads the file and reads it again; if both reads agree and the content
   * changed since it was last settled, applies its secrets. Throws
   * ConfigError on any failure, and the ring stays as it was; an unchanged
   * file that was refused before throws the same error again.
   */
  reload(): void {
    let r = this.poll()
    if (this.#pending !== null) {
      r = this.poll()
      if (this.#pending !== null) {
        throw new ConfigError(`cookieseal: secrets file ${this.path} changed between two reads, keeping the current keys; reload once it is written`)
      }
    }
    if (r.error) throw r.error
  }

  /**
   * Reads the file once, as each tick of start() does. Content that differs
   * from the settled content is applied only if the previous poll read the
   * same bytes; otherwise it is remembered. Returns whether the outcome is
   * news (new content settled, or a read failure that differs from the last
   * one) and the error in force: the read failure, or the outcome of the
   * settled content.
   */
  poll(): PollResult {
    let b: Uint8Array
    try {
      b = readFileBytes(this.path)
    } catch (e) {
      const error = new ConfigError(`cookieseal: reloading secrets, keeping the current keys: ${message(e)}`, { cause: e })
      const changed = this.#readErr !== error.message
      this.#readErr = error.message
      this.#pending = null // content must be seen on two reads in a row
      return { changed, error }
    }
    const hadReadErr = this.#readErr !== null
    this.#readErr = null
    const sum = hex(sha256(b))
    if (sum === this.#sum) {
      this.#pending = null
      return { changed: this.#activate() || hadReadErr, error: this.#err }
    }
    if (sum !== this.#pending) {
      this.#pending = sum // seen once: wait for a second read
      return { changed: hadReadErr, error: this.#err }
    }
    this.#pending = null
    this.#sum = sum
    this.#err = this.#apply(b)
    return { changed: true, error: this.#err }
  }

  /**
   * Puts first, once its activate= time has come, the secret the settled
   * content says should seal now (SESSIONS.md S7.5); says whether it changed
   * the ring. The file need not change: every poll checks.
   */
  #activate(): boolean {
    if (this.#err !== null || this.#entries.length === 0) return false
    try {
      const secrets = ringOrder(this.#entries, Number(this.#codec.nowSeconds()) * 1000)
      if (secrets[0] === this.#first) return false
      this.#codec.setSecrets(secrets)
      this.#first = secrets[0]!
      return true
    } catch {
      return false
    }
  }

  /** Parses content and gives its secrets to the codec, unless a reload after the first would drop every key in force. */
  #apply(content: Uint8Array): Error | null {
    try {
      const entries = parseSecretsFileEntries(content)
      const secrets = ringOrder(entries, Number(this.#codec.nowSeconds()) * 1000)
      if (this.#loaded && !this.#allowReplaceAll) {
        const ring = buildRing(secrets) // first, so that a bad list says what is wrong with it
        const current = new Set(this.#codec.keyIds)
        if (!ring.some((k) => current.has(k.idHex))) {
          throw new ConfigError('it keeps none of the current keys, as a torn write would (add a new secret before removing the old ones, or set allowReplaceAll)')
        }
      }
      this.#codec.setSecrets(secrets)
      this.#loaded = true
      this.#entries = entries
      this.#first = secrets[0] ?? null
      return null
    } catch (e) {
      return new ConfigError(`cookieseal: secrets file ${this.path} refused, keeping the current keys: ${message(e).replace(/^cookieseal: /, '')}`, { cause: e })
    }
  }

  /**
   * Polls the file every intervalMs milliseconds (see poll) until the
   * returned function is called. Calls onError, if given, with each new
   * failure: once when the file turns invalid or unreadable, not again until
   * it changes. The timer does not keep the process alive. Errors never quote
   * a secret, so onError may log them.
   */
  start(intervalMs: number, onError?: (error: Error) => void): () => void {
    if (!Number.isFinite(intervalMs) || intervalMs <= 0) throw new ConfigError(`cookieseal: reload interval ${intervalMs} ms, want more than 0`)
    const timer = setInterval(() => {
      const { changed, error } = this.poll()
      if (changed && error && onError) onError(error)
    }, intervalMs)
    timer.unref?.()
    return () => clearInterval(timer)
  }
}

/**
 * Sets codec's ring from the secrets file at path, then polls the file every
 * intervalMs milliseconds, as SecretsReloader describes, until the returned
 * function is called. Throws, and starts nothing, if the file cannot be
 * read, changes between two reads, or its secrets are refused.
 */
export function watchSecretsFile(codec: Codec, path: string, intervalMs: number, onError?: (error: Error) => void): () => void {
  if (!Number.isFinite(intervalMs) || intervalMs <= 0) throw new ConfigError(`cookieseal: reload interval ${intervalMs} ms, want more than 0`)
  return new SecretsReloader(codec, path).start(intervalMs, onError)
}

function hex(b: Uint8Array): string {
  let s = ''
  for (const x of b) s += x.toString(16).padStart(2, '0')
  return s
}
