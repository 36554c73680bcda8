/**
 * Keys (SPEC.md section 1): each secret's UTF-8 bytes are the HKDF-SHA256
 * input key material; one extraction, two expansions give the 32-byte
 * XChaCha20-Poly1305 key and the 4-byte key ID.
 */
import { extract, expand } from '@noble/hashes/hkdf.js'
import { sha256 } from '@noble/hashes/sha2.js'
import { ConfigError } from './errors.js'
import { wellFormed } from './format.js'
import { encodeUTF8 } from './json.js'

const SALT = encodeUTF8('cookieseal/v1')
const INFO_KEY = encodeUTF8('cookieseal/v1 XChaCha20-Poly1305 key')
const INFO_ID = encodeUTF8('cookieseal/v1 key id')

/** The shortest secret accepted, in bytes of UTF-8. */
export const MIN_SECRET_BYTES = 32

export interface Key {
  /** The key ID as a 32-bit unsigned number. */
  readonly id: number
  /** The key ID as eight lowercase hex digits. */
  readonly idHex: string
  readonly key: Uint8Array
  opened: number
  lastOpened: number
  /** Cookies it sealed, and when it last sealed one / stopped sealing (ms since the epoch, 0 if never). */
  sealed: number
  lastSealed: number
  demoted: number
}

/** Derives the key and key ID of one secret. */
export function deriveKey(secret: string): { id: number; idHex: string; key: Uint8Array } {
  const prk = extract(sha256, encodeUTF8(secret), SALT)
  const key = expand(sha256, prk, INFO_KEY, 32)
  const idb = expand(sha256, prk, INFO_ID, 4)
  const id = ((idb[0]! << 24) | (idb[1]! << 16) | (idb[2]! << 8) | idb[3]!) >>> 0
  return { id, idHex: id.toString(16).padStart(8, '0'), key }
}

/**
 * Validates a ring and derives its keys: at least one secret, each valid
 * Unicode (no lone surrogate, which UTF-8 cannot encode: TextEncoder would
 * turn it into U+FFFD, and two secrets would give one key) and at least 32
 * bytes, no two equal, no two with the same key ID. Errors never quote a
 * secret.
 */
export function buildRing(secrets: readonly string[]): Key[] {
  if (!Array.isArray(secrets) || secrets.length === 0) {
    throw new ConfigError('cookieseal: no secrets: `secrets` needs at least one (generate one with generateSecret())')
  }
  const keys: Key[] = []
  const seen = new Set<string>()
  secrets.forEach((s, i) => {
    if (typeof s !== 'string') throw new ConfigError(`cookieseal: secret ${i + 1} of ${secrets.length} is not a string`)
    if (!wellFormed(s)) {
      throw new ConfigError(`cookieseal: secret ${i + 1} of ${secrets.length} is not valid Unicode: it holds a lone surrogate, which UTF-8 cannot encode`)
    }
    const n = encodeUTF8(s).length
    if (n < MIN_SECRET_BYTES) {
      throw new ConfigError(`cookieseal: secret ${i + 1} of ${secrets.length} is ${n} bytes, need at least ${MIN_SECRET_BYTES} (generate one with generateSecret())`)
    }
    if (seen.has(s)) throw new ConfigError(`cookieseal: secrets ${secrets.indexOf(s) + 1} and ${i + 1} are identical`)
    seen.add(s)
    const d = deriveKey(s)
    const j = keys.findIndex((k) => k.id === d.id)
    if (j >= 0) {
      throw new ConfigError(`cookieseal: secrets ${j + 1} and ${i + 1} derive the same key ID ${d.idHex}; replace one with a new secret`)
    }
    keys.push({ ...d, opened: 0, lastOpened: 0, sealed: 0, lastSealed: 0, demoted: 0 })
  })
  return keys
}
