"""The four classes of opening failure, under one base class.

No message of these exceptions ever contains a secret, a key or a cookie's
plaintext.
"""

from __future__ import annotations


class CookiesealError(Exception):
    """Base class: a cookie could not be opened or sealed."""

    #: A stable code, the same as the JavaScript package's.
    code = "ERR_COOKIESEAL"


class InvalidCookie(CookiesealError):
    """Not a cookie this codec sealed under this name: malformed, tampered,
    truncated, sealed for another cookie name, issued in the future, or its
    payload is not the strict JSON (or typed values) the format allows."""

    code = "ERR_COOKIESEAL_INVALID"


class ExpiredCookie(CookiesealError):
    """An authentic cookie older than max_age, or a session older than
    max_lifetime."""

    code = "ERR_COOKIESEAL_EXPIRED"


class UnknownKey(CookiesealError):
    """The cookie names a key that is not in the ring (for example one whose
    secret was removed). No decryption was attempted."""

    code = "ERR_COOKIESEAL_UNKNOWN_KEY"


class CookieTooLarge(CookiesealError):
    """The cookie, or the value it holds, is over a size limit. When sealing,
    the value does not fit."""

    code = "ERR_COOKIESEAL_TOO_LARGE"


class ConfigError(ValueError):
    """A refused configuration: no secrets, a short or repeated secret, two
    secrets with the same key ID, a negative limit. Raised when the codec is
    built, never later."""


class UnsupportedValue(TypeError):
    """A value the sealer cannot carry without changing it (a type JSON or
    the typed form has no place for, a non-finite float, a lone surrogate, a
    structure nested deeper than 512 levels or cyclic)."""


class RevokedSession(CookiesealError):
    """The session opened, but a revocation list refuses it (SESSIONS.md S9):
    its session ID, or its subject before a time; or the list could not be
    asked and fails closed. The session layer's class, not the codec's."""

    code = "ERR_COOKIESEAL_REVOKED"
