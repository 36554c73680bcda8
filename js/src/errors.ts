/**
 * Errors. Every failure to open a cookie is exactly one of the four classes
 * below, each with a stable `code` to switch on (as jose does), all under
 * {@link CookiesealError}. No message ever contains a secret or a key.
 */

/** The base class of every error this package throws on purpose. */
export class CookiesealError extends Error {
  /** A stable identifier of the error class, e.g. `ERR_COOKIESEAL_INVALID`. */
  readonly code: string = 'ERR_COOKIESEAL'
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options)
    this.name = new.target.name
  }
}

/**
 * The value is not a cookie sealed for this name with a key of this ring:
 * malformed, tampered, truncated, sealed for another cookie name, issued in
 * the future, or its payload breaks a rule of the format.
 */
export class InvalidCookieError extends CookiesealError {
  override readonly code = 'ERR_COOKIESEAL_INVALID'
}

/** The cookie is authentic but older than `maxAge` (or `maxLifetime`). */
export class ExpiredCookieError extends CookiesealError {
  override readonly code = 'ERR_COOKIESEAL_EXPIRED'
}

/**
 * The cookie names a key that is not in the ring, for example one whose
 * secret was removed. No decryption was attempted.
 */
export class UnknownKeyError extends CookiesealError {
  override readonly code = 'ERR_COOKIESEAL_UNKNOWN_KEY'
  /** The key ID the cookie names, eight lowercase hex digits. */
  readonly keyId: string
  constructor(keyId: string) {
    super(`cookieseal: cookie sealed with an unknown key: key ID ${keyId}`)
    this.keyId = keyId
  }
}

/** The cookie, or the value it holds or would hold, is over a size limit. */
export class CookieTooLargeError extends CookiesealError {
  override readonly code = 'ERR_COOKIESEAL_TOO_LARGE'
}

/**
 * The session opened, but a revocation list refuses it (SESSIONS.md S9):
 * its session ID, or its subject before a time; or the list could not be
 * asked and fails closed. The session layer's class, not the codec's.
 */
export class RevokedSessionError extends CookiesealError {
  override readonly code = 'ERR_COOKIESEAL_REVOKED'
}

/** A configuration the constructor refuses (no secrets, a short secret, a negative limit...). */
export class ConfigError extends CookiesealError {
  override readonly code = 'ERR_COOKIESEAL_CONFIG'
}

/** A value that cannot be sealed without loss (a cycle, a lone surrogate, NaN, a class instance...). */
export class UnsupportedValueError extends CookiesealError {
  override readonly code = 'ERR_COOKIESEAL_UNSUPPORTED'
}

/** Internal: a payload rule broken; turned into InvalidCookieError by the codec. */
export class FormatError extends Error {}
