"""cookieseal: session cookies that nobody can read or forge.

A :class:`Codec` seals a value as JSON with XChaCha20-Poly1305 under a key
derived with HKDF-SHA256 from the application's secret, binds the cookie
name and the issue time into the seal, and returns a cookie-safe string. The
format (SPEC.md, version 1) is shared byte for byte with the Go and
JavaScript packages.

    codec = cookieseal.Codec([os.environ["COOKIESEAL_SECRET"]])
    value = codec.seal("session", {"user_id": 42})
    codec.open("session", value)  # {'user_id': 42}

Every opening failure raises one of :class:`InvalidCookie`,
:class:`ExpiredCookie`, :class:`UnknownKey` and :class:`CookieTooLarge`, all
subclasses of :class:`CookiesealError`.
"""

from ._codec import (
    DEFAULT_MAX_AGE,
    DEFAULT_MAX_LENGTH,
    DEFAULT_MAX_PAYLOAD,
    MAX_CLOCK_SKEW,
    MIN_SECRET_SIZE,
    Codec,
    Info,
    KeyUsage,
    derive_key,
    generate_secret,
    secrets_from_env,
)
from ._secrets import (
    MAX_SECRETS_FILE_SIZE,
    PollResult,
    SecretEntry,
    SecretsReloader,
    parse_secrets,
    parse_secrets_file,
    parse_secrets_file_entries,
    read_secrets_file,
    ring_order,
)
from ._errors import (
    ConfigError,
    CookiesealError,
    CookieTooLarge,
    ExpiredCookie,
    InvalidCookie,
    RevokedSession,
    UnknownKey,
    UnsupportedValue,
)
from ._revoke import MemoryRevocations, Revocations
from ._values import (
    Duration,
    Float32,
    Float64s,
    IntMap,
    Named,
    Nil,
    StringMap,
    Int8,
    Int16,
    Int32,
    Int64,
    Ints,
    Map,
    Strings,
    Time,
    Uint,
    Uint8,
    Uint16,
    Uint32,
    Uint64,
)

__version__ = "0.1.0"

__all__ = [
    "MemoryRevocations",
    "Revocations",
    "RevokedSession",
    "Codec",
    "Info",
    "KeyUsage",
    "generate_secret",
    "secrets_from_env",
    "parse_secrets",
    "parse_secrets_file",
    "parse_secrets_file_entries",
    "ring_order",
    "SecretEntry",
    "read_secrets_file",
    "SecretsReloader",
    "PollResult",
    "MAX_SECRETS_FILE_SIZE",
    "derive_key",
    "CookiesealError",
    "InvalidCookie",
    "ExpiredCookie",
    "UnknownKey",
    "CookieTooLarge",
    "ConfigError",
    "UnsupportedValue",
    "Map",
    "Strings",
    "Ints",
    "Float32",
    "Int8",
    "Int16",
    "Int32",
    "Int64",
    "Uint",
    "Uint8",
    "Uint16",
    "Uint32",
    "Uint64",
    "Time",
    "Duration",
    "Float64s",
    "StringMap",
    "IntMap",
    "Named",
    "Nil",
    "DEFAULT_MAX_AGE",
    "DEFAULT_MAX_LENGTH",
    "DEFAULT_MAX_PAYLOAD",
    "MAX_CLOCK_SKEW",
    "MIN_SECRET_SIZE",
]
