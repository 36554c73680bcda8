/**
 * cookieseal: sealed session cookies that open byte for byte in Go,
 * JavaScript and Python. The core uses only Web APIs (crypto.getRandomValues,
 * TextEncoder/TextDecoder) and the noble and fflate libraries, so it runs on
 * Node, Deno, Bun, browsers, Cloudflare Workers and edge runtimes.
 */
export {
  Codec,
  generateSecret,
  DEFAULT_MAX_AGE,
  DEFAULT_MAX_LENGTH,
  DEFAULT_MAX_PAYLOAD,
  COMPRESS_MIN,
  type CodecOptions,
  type Info,
  type KeyUsage,
  type Opened,
  type SealTimes,
} from './codec.js'
export {
  CookiesealError,
  InvalidCookieError,
  ExpiredCookieError,
  UnknownKeyError,
  CookieTooLargeError,
  ConfigError,
  UnsupportedValueError,
  RevokedSessionError,
} from './errors.js'
export { MemoryRevocations, type Revocations } from './revoke.js'
export { Typed, toNatural, type Tag, type IntTag, type FloatTag, type TypedValue } from './values.js'
export { parseJSON, stringify } from './json.js'
export { MIN_SECRET_BYTES } from './keys.js'
export { parseSecrets, parseSecretsFile, parseSecretsFileEntries, ringOrder, type SecretEntry } from './secrets.js'
export {
  Cookies,
  parseCookieHeader,
  DEFAULT_MAX_CHUNKS,
  DEFAULT_MAX_HEADER_BYTES,
  type CookieOptions,
  type CookieScope,
  type CookieSource,
  type HeaderSink,
  type Session,
} from './cookies.js'
