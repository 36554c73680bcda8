"""The cookieseal v1 codec: keys, sealing and opening (SPEC.md sections 1-5)."""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import importlib
import os
import re
import struct
import sys
import time
import zlib
from dataclasses import dataclass
from typing import Any, Callable, Sequence

from nacl.bindings import (
    crypto_aead_xchacha20poly1305_ietf_decrypt,
    crypto_aead_xchacha20poly1305_ietf_encrypt,
)
from nacl.exceptions import CryptoError

# PyNaCl's own cffi binding of libsodium, which nacl.bindings wraps: its
# wrapper checks every argument's type and length in Python and allocates
# through ffi.new, about 2.5 us a call, as much as the cipher on a small
# cookie. _seal_aead and _open_aead call libsodium through the same binding,
# with the lengths the codec has already fixed. Without it (a PyNaCl that
# moved it), the public functions.
_ffi: Any = None
try:
    _sodium: Any = importlib.import_module("nacl._sodium")
    _sodium_encrypt = _sodium.lib.crypto_aead_xchacha20poly1305_ietf_encrypt
    _sodium_decrypt = _sodium.lib.crypto_aead_xchacha20poly1305_ietf_decrypt
    _ffi = _sodium.ffi
except (ImportError, AttributeError):  # pragma: no cover - every PyNaCl >= 1.5 has them
    pass


def _seal_aead(plain: bytes, ad: bytes, nonce: bytes, key: bytes) -> bytes:
    """XChaCha20-Poly1305 seal: ciphertext || tag. nonce is 24 bytes and key
    32 (the codec's own)."""
    if _ffi is None:  # pragma: no cover
        return crypto_aead_xchacha20poly1305_ietf_encrypt(plain, ad, nonce, key)
    out = bytearray(len(plain) + TAG_SIZE)
    _sodium_encrypt(_ffi.from_buffer(out), _ffi.NULL, plain, len(plain), ad, len(ad), _ffi.NULL, nonce, key)
    return bytes(out)


def _open_aead(sealed: bytes, ad: bytes, nonce: bytes, key: bytes) -> bytes | None:
    """XChaCha20-Poly1305 open of ciphertext || tag (at least TAG_SIZE
    bytes); None when it is not authentic (no exception: a forged cookie is
    refused with the codec's one InvalidCookie)."""
    if _ffi is None:  # pragma: no cover
        try:
            return crypto_aead_xchacha20poly1305_ietf_decrypt(sealed, ad, nonce, key)
        except CryptoError:
            return None
    out = bytearray(len(sealed) - TAG_SIZE)
    if _sodium_decrypt(_ffi.from_buffer(out), _ffi.NULL, _ffi.NULL, sealed, len(sealed), ad, len(ad), nonce, key) != 0:
        return None
    return bytes(out)

from . import _json, _pad, _values
from ._errors import ConfigError, CookieTooLarge, ExpiredCookie, InvalidCookie, UnknownKey
from ._secrets import parse_secrets

__all__ = [
    "Codec",
    "Info",
    "generate_secret",
    "secrets_from_env",
    "derive_key",
    "DEFAULT_MAX_AGE",
    "DEFAULT_MAX_LENGTH",
    "DEFAULT_MAX_PAYLOAD",
    "MAX_CLOCK_SKEW",
    "MIN_SECRET_SIZE",
]

VERSION = 0x01
FLAG_DEFLATE = 0x01
FLAG_TYPED = 0x02
FLAG_CREATED = 0x04
FLAG_IDENTITY = 0x08
FLAGS_KNOWN = FLAG_DEFLATE | FLAG_TYPED | FLAG_CREATED | FLAG_IDENTITY
#: Flag 0x08: a session ID of 16 bytes, then a subject of at most 255 bytes of UTF-8.
SESSION_ID_SIZE = 16
MAX_SUBJECT = 255

HEADER_SIZE = 6
NONCE_SIZE = 24
TAG_SIZE = 16
TIME_SIZE = 8
MIN_RAW_SIZE = HEADER_SIZE + NONCE_SIZE + TIME_SIZE + TAG_SIZE  # 54

DEFAULT_MAX_AGE = 86400  # seconds
DEFAULT_MAX_LENGTH = 4096  # bytes of name + "=" + value
DEFAULT_MAX_PAYLOAD = 65536  # bytes of JSON, after inflating
MAX_CLOCK_SKEW = 60  # seconds
MIN_SECRET_SIZE = 32  # bytes
COMPRESS_MIN = 1024  # bytes of JSON below which a sealer never compresses

_HKDF_SALT = b"cookieseal/v1"
_INFO_KEY = b"cookieseal/v1 XChaCha20-Poly1305 key"
_INFO_KEY_ID = b"cookieseal/v1 key id"

_U64 = struct.Struct(">q")
_U32 = struct.Struct(">I")
_B64URL = re.compile(r"[A-Za-z0-9_-]*")
_INT64_MIN, _INT64_MAX = -(1 << 63), (1 << 63) - 1


def _hkdf_sha256(ikm: bytes, salt: bytes, info: bytes, length: int) -> bytes:
    """HKDF-SHA256 (RFC 5869): extract with salt, expand with info."""
    if not 0 <= length <= 255 * 32:
        raise ValueError("HKDF-SHA256 output is at most 8160 bytes")
    prk = hmac.new(salt or bytes(32), ikm, hashlib.sha256).digest()
    okm, block = b"", b""
    for i in range(1, -(-length // 32) + 1):
        block = hmac.new(prk, block + info + bytes([i]), hashlib.sha256).digest()
        okm += block
    return okm[:length]


def derive_key(secret: str) -> tuple[bytes, str]:
    """The 32-byte key and the key ID (8 lowercase hex digits) of a secret."""
    ikm = secret.encode("utf-8")
    key = _hkdf_sha256(ikm, _HKDF_SALT, _INFO_KEY, 32)
    key_id = _hkdf_sha256(ikm, _HKDF_SALT, _INFO_KEY_ID, 4).hex()
    return key, key_id


def generate_secret() -> str:
    """A new secret of 256 random bits, base64url without padding (43
    characters), for the secrets list."""
    return base64.urlsafe_b64encode(os.urandom(32)).rstrip(b"=").decode("ascii")


#: The earlier name of :func:`parse_secrets`, kept: it follows the same
#: grammar (separators ``,``, SP, HTAB, LF and CR, nothing else), as the Go
#: package's SecretsFromEnv does.
secrets_from_env = parse_secrets


# base64url to standard base64 for binascii: "-" and "_" become "+" and
# "/", and "+", "/" and "=" (not in the unpadded base64url alphabet) become
# "!", which binascii's strict mode refuses like any other stray byte.
_B64URL_TO_STD = bytes.maketrans(b"-_+/=", b"+/!!!")
_B64_TO_URL = bytes.maketrans(b"+/", b"-_")
# The last character of a length that is 2 or 3 mod 4 carries 4 or 2 unused
# bits, which must be zero: these are the characters whose value has them so.
_LAST_OK: tuple[frozenset[str], ...] = (
    frozenset(),
    frozenset(),
    frozenset("AQgw"),
    frozenset("AEIMQUYcgkosw048"),
)
_PAD = (b"", b"", b"==", b"=")
# binascii's strict_mode (Python 3.11+) refuses every byte outside the
# alphabet in C; before it, the _B64URL regex does.
_STRICT_B64 = sys.version_info >= (3, 11)


def encode_base64url(raw: bytes) -> str:
    return binascii.b2a_base64(raw, newline=False).translate(_B64_TO_URL).rstrip(b"=").decode("ascii")


def decode_base64url(value: str) -> bytes:
    """Strict unpadded base64url: only the 64 characters, no length of 1 mod
    4, zero unused bits; each byte string has exactly one spelling. The
    unused bits are read off the last character, without re-encoding."""
    rem = len(value) % 4
    if rem == 1:
        if not _B64URL.fullmatch(value):
            raise InvalidCookie("cookieseal: invalid cookie: character outside the base64url alphabet")
        raise InvalidCookie("cookieseal: invalid cookie: base64url length is 1 mod 4")
    if not _STRICT_B64 and not _B64URL.fullmatch(value):
        raise InvalidCookie("cookieseal: invalid cookie: character outside the base64url alphabet")
    try:
        if _STRICT_B64:
            raw = binascii.a2b_base64(value.encode("ascii").translate(_B64URL_TO_STD) + _PAD[rem], strict_mode=True)
        else:  # pragma: no cover - Python 3.10, checked by the regex above
            raw = binascii.a2b_base64(value.encode("ascii").translate(_B64URL_TO_STD) + _PAD[rem])
    except (UnicodeEncodeError, binascii.Error):
        raise InvalidCookie("cookieseal: invalid cookie: character outside the base64url alphabet") from None
    if rem and value[-1] not in _LAST_OK[rem]:
        raise InvalidCookie("cookieseal: invalid cookie: non-zero unused bits in the last base64url character")
    return raw


@dataclass(frozen=True)
class Info:
    """What opening a cookie learns besides its value."""

    #: When the session's current lifetime started (Unix seconds).
    issued_at: int
    #: When the session started (Unix seconds); equals issued_at unless the
    #: cookie carries a separate created-at.
    created_at: int
    #: The ID of the key that opened it, 8 lowercase hex digits.
    key_id: str
    #: True when the cookie should be sealed again and sent: its key no
    #: longer seals, or it is older than refresh_age.
    reissue: bool
    #: The header flags (0x01 DEFLATE, 0x02 typed values, 0x04 created-at,
    #: 0x08 session identity).
    flags: int
    #: True when a legacy opener (a migration from another framework's
    #: cookie, see SessionLayer) opened it: issued_at and created_at are then
    #: 0 and key_id "", as nothing in the old cookie can be trusted for them;
    #: its re-issue starts both at now, as a login would.
    legacy: bool = False
    #: The session's random ID, 32 lowercase hex digits, fixed at login and
    #: kept by every re-issue; "" when the cookie carries none.
    session_id: str = ""
    #: The application's subject (user ID) given at login, or "".
    subject: str = ""


@dataclass(frozen=True)
class KeyUsage:
    """How much one key of the ring is used (Codec.key_usage). Times are Unix
    seconds, 0 for never."""

    key_id: str
    #: This key seals new cookies.
    primary: bool
    #: Cookies it opened, and when it last opened one.
    opened: int
    last_opened: float
    #: Cookies it sealed, and when it last sealed one.
    sealed: int
    last_sealed: float
    #: For a key that no longer seals: the time after which no cookie this
    #: process sealed with it can open (its last seal, or when it stopped
    #: sealing or the codec was made, whichever is latest, plus max_age and
    #: 60 s). 0 for the sealing key. Across a fleet, the latest counts.
    retire_after: float


@dataclass(frozen=True)
class _Key:
    key_id: str
    key_id_int: int
    key: bytes = b""

    def __repr__(self) -> str:  # never the key
        return f"<key {self.key_id}>"


def _build_ring(secrets: Sequence[str]) -> tuple[_Key, ...]:
    if isinstance(secrets, (str, bytes)):
        raise ConfigError("cookieseal: secrets must be a list of strings, not one string")
    secrets = list(secrets)
    if not secrets:
        raise ConfigError("cookieseal: no secrets: the ring needs at least one (see generate_secret)")
    ring: list[_Key] = []
    digests: list[bytes] = []
    for i, s in enumerate(secrets, 1):
        if not isinstance(s, str):
            raise ConfigError(f"cookieseal: secret {i} of {len(secrets)} is a {type(s).__name__}, not a str")
        try:
            b = s.encode("utf-8")
        except UnicodeEncodeError:
            raise ConfigError(
                f"cookieseal: secret {i} of {len(secrets)} is not valid Unicode: it holds a lone surrogate, which UTF-8 cannot encode"
            ) from None
        if len(b) < MIN_SECRET_SIZE:
            raise ConfigError(
                f"cookieseal: secret {i} of {len(secrets)} is {len(b)} bytes, need at least {MIN_SECRET_SIZE} (see generate_secret)"
            )
        d = hashlib.sha256(b).digest()
        if d in digests:
            raise ConfigError(f"cookieseal: secrets {digests.index(d) + 1} and {i} are identical")
        digests.append(d)
        key, kid = derive_key(s)
        for j, k in enumerate(ring, 1):
            if k.key_id == kid:
                raise ConfigError(f"cookieseal: secrets {j} and {i} derive the same key ID {kid}; replace one")
        ring.append(_Key(kid, int(kid, 16), key))
    return tuple(ring)


class Codec:
    """Seals values into cookies and opens them again.

    Build it once from the configuration; it is safe to share between
    threads. ``secrets`` is the ring: the first secret seals, every one
    opens. Times are in seconds.
    """

    __slots__ = ("_ring", "max_age", "max_lifetime", "refresh_age", "max_length", "max_payload", "compress", "session_ids", "_now", "_usage", "_started")

    def __init__(
        self,
        secrets: Sequence[str],
        *,
        max_age: int = DEFAULT_MAX_AGE,
        max_lifetime: int = 0,
        refresh_age: int = 0,
        max_length: int = DEFAULT_MAX_LENGTH,
        max_payload: int = DEFAULT_MAX_PAYLOAD,
        compress: bool = False,
        now: Callable[[], float] | None = None,
        session_ids: bool = False,
    ) -> None:
        for name, v, least in (
            ("max_age", max_age, 1),
            ("max_lifetime", max_lifetime, 0),
            ("refresh_age", refresh_age, 0),
            ("max_length", max_length, 1),
            ("max_payload", max_payload, 1),
        ):
            if isinstance(v, bool) or not isinstance(v, int) or v < least:
                raise ConfigError(f"cookieseal: {name} must be an int of at least {least}, got {v!r}")
        self._ring = _build_ring(secrets)
        self.max_age = max_age
        self.max_lifetime = max_lifetime
        self.refresh_age = refresh_age
        self.max_length = max_length
        self.max_payload = max_payload
        self.compress = bool(compress)
        #: Seal a random session ID into every new session (and give one to a
        #: session without one when it is sealed again): 17 bytes of plaintext.
        self.session_ids = bool(session_ids)
        self._now = now or time.time
        self._started = self._now()
        #: Usage per key ID: [opened, last_opened, sealed, last_sealed, demoted].
        self._usage: dict[str, list[float]] = {}

    def __repr__(self) -> str:
        return (
            f"Codec(keys={list(self.key_ids)}, max_age={self.max_age}, max_lifetime={self.max_lifetime}, "
            f"refresh_age={self.refresh_age}, max_length={self.max_length}, max_payload={self.max_payload}, "
            f"compress={self.compress})"
        )

    @property
    def key_ids(self) -> tuple[str, ...]:
        """The key IDs of the ring, in order; the first seals."""
        return tuple(k.key_id for k in self._ring)

    def set_secrets(self, secrets: Sequence[str]) -> None:
        """Replace the ring (an atomic swap); a refused list leaves it as it was.
        Usage counts survive for keys that stay."""
        ring = _build_ring(secrets)
        old = self._ring[0].key_id
        self._ring = ring
        if ring[0].key_id != old and old in self._usage:
            self._usage[old][4] = self._now()

    def _used(self, key_id: str, slot: int) -> None:
        u = self._usage.setdefault(key_id, [0, 0, 0, 0, 0])
        u[slot] += 1
        u[slot + 1] = self._now()

    def key_usage(self) -> list[KeyUsage]:
        """Usage of every key of the ring, the sealing key first (see
        KeyUsage; retire_after is the retirement report of SESSIONS.md S7.5)."""
        out = []
        for i, k in enumerate(self._ring):
            u = self._usage.get(k.key_id, [0, 0, 0, 0, 0])
            retire = 0.0 if i == 0 else max(u[3], u[4], self._started) + self.max_age + MAX_CLOCK_SKEW
            out.append(KeyUsage(k.key_id, i == 0, int(u[0]), u[1], int(u[2]), u[3], retire))
        return out

    def now(self) -> int:
        """The codec's clock, truncated to whole seconds."""
        return int(self._now() // 1)

    # --- sealing ------------------------------------------------------------

    def seal(
        self,
        name: str,
        value: Any,
        *,
        issued_at: int | None = None,
        created_at: int | None = None,
        session_id: str | None = None,
        subject: str = "",
    ) -> str:
        """Seal value, as plain JSON, into a cookie value for the cookie
        called name. issued_at defaults to now; created_at to issued_at.
        session_id: 32 hex digits to keep, "new" for a new random one, None
        for none (a new one when the codec seals session IDs or a subject is
        given); subject: the application's user ID, at most 255 bytes."""
        ident = self._identity(session_id, subject)
        return self._seal_payload(name, _json.dumps(value), 0, issued_at, created_at, self.max_length, ident)

    def seal_session(self, name: str, value: Any, subject: str = "") -> str:
        """seal() for a login: a new session with a new random session ID and
        the application's subject, which Info reports and reseal/refresh keep."""
        return self.seal(name, value, session_id="new", subject=subject)

    def _seal_plain(
        self, name: str, value: Any, issued_at: int | None, created_at: int | None, limit: int, ident: bytes | None = None
    ) -> str:
        return self._seal_payload(name, _json.dumps(value), 0, issued_at, created_at, limit, ident)

    def seal_values(
        self,
        name: str,
        values: dict[Any, Any],
        *,
        issued_at: int | None = None,
        created_at: int | None = None,
        session_id: str | None = None,
        subject: str = "",
    ) -> str:
        """Seal session values in the typed form (section 6; Go's
        map[interface{}]interface{}), keeping every value's type."""
        ident = self._identity(session_id, subject)
        return self._seal_payload(name, _values.encode(values), FLAG_TYPED, issued_at, created_at, self.max_length, ident)

    def reseal(self, name: str, value: Any, info: Info) -> str:
        """Seal value again keeping info's issued_at, created_at and session
        identity: for a re-issue because the key rotated (the session's age
        does not move). Typed values stay typed. A session whose max_age or
        max_lifetime has passed by now is not revived: ExpiredCookie
        (SESSIONS.md S6.6)."""
        self._check_write_times(info.issued_at, info.created_at)
        kw = {"issued_at": info.issued_at, "created_at": info.created_at, "session_id": info.session_id or None, "subject": info.subject}
        if info.flags & FLAG_TYPED:
            return self.seal_values(name, value, **kw)  # type: ignore[arg-type]
        return self.seal(name, value, **kw)  # type: ignore[arg-type]

    def refresh(self, name: str, value: Any, info: Info) -> str:
        """Seal value again with issued_at moved to now and info's created_at
        and session identity kept: a deliberate refresh (sliding session).
        max_lifetime still counts from created_at; a created_at after now (a
        server whose clock is ahead, within the 60 s skew) becomes now
        (SESSIONS.md S6.4). A session whose max_lifetime has passed is not
        revived: ExpiredCookie (S6.6)."""
        now = self.now()
        created = min(info.created_at, now)
        self._check_write_times(now, created)
        sid = info.session_id or None
        if info.flags & FLAG_TYPED:
            return self.seal_values(name, value, created_at=created, session_id=sid, subject=info.subject)
        return self.seal(name, value, created_at=created, session_id=sid, subject=info.subject)

    def _check_write_times(self, issued: int, created: int) -> None:
        """ExpiredCookie when a cookie sealed now with these times would not
        open (SESSIONS.md S6.6), counted in whole seconds as opening does."""
        now = self.now()
        if now - issued > self.max_age:
            raise ExpiredCookie(f"cookieseal: session expired: older than the max age of {self.max_age}s")
        if self.max_lifetime and now - created > self.max_lifetime:
            raise ExpiredCookie(f"cookieseal: session expired: older than the max lifetime of {self.max_lifetime}s")

    def _identity(self, session_id: str | None, subject: str) -> bytes | None:
        """The identity block of flag 0x08 (SPEC 3.1), or None for none."""
        if not isinstance(subject, str):
            raise TypeError("cookieseal: a subject is a str")
        try:
            sub = subject.encode("utf-8")
        except UnicodeEncodeError:
            raise ValueError("cookieseal: a subject must be valid Unicode") from None
        if len(sub) > MAX_SUBJECT:
            raise ValueError(f"cookieseal: a subject is at most {MAX_SUBJECT} bytes of UTF-8")
        if not session_id and (self.session_ids or sub):
            session_id = "new"
        if not session_id:
            return None
        if session_id == "new":
            sid = os.urandom(SESSION_ID_SIZE)
        else:
            if not isinstance(session_id, str) or len(session_id) != 2 * SESSION_ID_SIZE or session_id.strip("0123456789abcdef"):
                raise ValueError("cookieseal: a session ID is 32 lowercase hex digits")
            sid = bytes.fromhex(session_id)
        return sid + bytes([len(sub)]) + sub

    def _seal_payload(
        self,
        name: str,
        payload: bytes,
        flags: int,
        issued_at: int | None,
        created_at: int | None,
        limit: int,
        ident: bytes | None = None,
    ) -> str:
        if len(payload) > self.max_payload:
            raise CookieTooLarge(f"cookieseal: value is {len(payload)} bytes of JSON, limit {self.max_payload}")
        if issued_at is None:
            issued_at = self.now()
        if created_at is None:
            created_at = issued_at
        if isinstance(created_at, int) and isinstance(issued_at, int) and created_at > issued_at:
            raise ValueError("cookieseal: created_at cannot be after issued_at")
        if created_at != issued_at:
            flags |= FLAG_CREATED  # only then (SPEC 3.1)
        body = payload
        if self.compress and len(payload) >= COMPRESS_MIN:
            z = zlib.compressobj(6, zlib.DEFLATED, -15)
            deflated = z.compress(payload) + z.flush()
            if len(deflated) < len(payload):
                body, flags = deflated, flags | FLAG_DEFLATE
        if not flags & FLAG_DEFLATE:  # length hiding (SPEC.md 5.4)
            pre = TIME_SIZE * (2 if flags & FLAG_CREATED else 1) + (len(ident) if ident is not None else 0)
            body = _pad.pad_payload(body, pre, self.max_payload, limit - len(name.encode("utf-8")) - 1)
        if ident is not None:
            flags |= FLAG_IDENTITY
            body = ident + body
        return self._seal_raw(name, flags, body, issued_at, created_at, os.urandom(NONCE_SIZE), limit)

    def _seal_raw(
        self, name: str, flags: int, body: bytes, issued_at: int, created_at: int, nonce: bytes, limit: int | None = None
    ) -> str:
        """Seal body (the bytes after the times: the identity block with flag
        0x08, then the payload) as it is, under these flags:
        the plaintext holds created_at exactly when flags has 0x04 (the
        conformance suite's sealing reproduction; _seal_payload sets 0x04
        only when created_at differs from issued_at)."""
        for t in (issued_at, created_at):
            if isinstance(t, bool) or not isinstance(t, int) or not _INT64_MIN <= t <= _INT64_MAX:
                raise ValueError("cookieseal: issued_at and created_at are int64 Unix seconds")
        if len(nonce) != NONCE_SIZE:
            raise ValueError("cookieseal: the nonce is 24 bytes")
        limit = self.max_length if limit is None else limit
        times = _U64.pack(issued_at)
        if flags & FLAG_CREATED:
            times += _U64.pack(created_at)
        name_b = name.encode("utf-8")
        raw_len = HEADER_SIZE + NONCE_SIZE + len(times) + len(body) + TAG_SIZE
        size = len(name_b) + 1 + (raw_len * 4 + 2) // 3
        if size > limit:
            raise CookieTooLarge(f"cookieseal: cookie is {size} bytes with the name, limit {limit}")
        k = self._ring[0]
        header = bytes([VERSION]) + _U32.pack(k.key_id_int) + bytes([flags])
        ad = header + _U32.pack(len(name_b)) + name_b
        sealed = _seal_aead(times + body, ad, nonce, k.key)
        self._used(k.key_id, 2)
        return encode_base64url(header + nonce + sealed)

    # --- opening ------------------------------------------------------------

    def open(self, name: str, cookie: str) -> Any:
        """Open a cookie value sealed for the cookie called name. A plain JSON
        cookie gives its JSON as Python values (integers int, other numbers
        float); a typed one gives its typed values (see seal_values).

        Raises InvalidCookie, ExpiredCookie, UnknownKey or CookieTooLarge,
        all CookiesealError."""
        return self.open_info(name, cookie)[0]

    def open_info(self, name: str, cookie: str) -> tuple[Any, Info]:
        """open() that also returns the Info (issued_at, created_at, key_id,
        reissue)."""
        return self._open_info(name, cookie, self.max_length)

    def _open_info(self, name: str, cookie: str, limit: int) -> tuple[Any, Info]:
        payload, info = self._open(name, cookie, limit)
        tree = self._parse(payload, info.flags, tokens=bool(info.flags & FLAG_TYPED))
        if info.flags & FLAG_TYPED:
            tree = self._typed(tree)
        self._used(info.key_id, 0)
        return tree, info

    def open_values(self, name: str, cookie: str) -> tuple[_values.Map, Info]:
        """Open a cookie into session values: a typed cookie as its Map, a
        plain one as a Map of its JSON object (which it must be)."""
        return self._open_values(name, cookie, self.max_length)

    def _open_values(self, name: str, cookie: str, limit: int) -> tuple[_values.Map, Info]:
        payload, info = self._open(name, cookie, limit)
        tree = self._parse(payload, info.flags)
        if info.flags & FLAG_TYPED:
            m = self._typed(tree)
        else:
            try:
                m = _values.from_plain(tree)
            except _json.JSONError:
                # Errors name the rule, never the payload (SPEC.md 4, SECURITY.md).
                raise InvalidCookie("cookieseal: invalid cookie: payload is not a JSON object, so not session values") from None
        self._used(info.key_id, 0)
        return m, info

    def open_raw(self, name: str, cookie: str) -> tuple[bytes, Info]:
        """The payload exactly as sealed (JSON bytes, after inflating), after
        every check: strict JSON, and the typed form for a typed cookie."""
        payload, info = self._open(name, cookie, self.max_length)
        tree = self._parse(payload, info.flags, tokens=bool(info.flags & FLAG_TYPED))
        if info.flags & FLAG_TYPED:
            self._typed(tree)
        self._used(info.key_id, 0)
        return payload, info

    @staticmethod
    def _parse(payload: bytes, flags: int, tokens: bool = True) -> Any:
        try:
            tree = _json.parse(payload, tokens)
        except _json.JSONError as e:
            raise InvalidCookie("cookieseal: invalid cookie: payload is not strict JSON (SPEC.md section 5.3)") from None
        if flags & FLAG_TYPED and (b'"named"' in payload or b"\\u" in payload):
            # Named values keep their JSON text: give strings their spelling
            # (a tag written with escapes, "na\u006ded", is named too).
            tree = _values.attach_raw(tree, payload.decode("utf-8"))
        return tree

    @staticmethod
    def _typed(tree: Any) -> _values.Map:
        """The typed values of a typed payload, whose top is a map tag."""
        if not (isinstance(tree, dict) and len(tree) == 1 and "map" in tree):
            raise InvalidCookie("cookieseal: invalid cookie: typed values: the payload is not a map tag")
        try:
            v = _values.decode(tree)
        except _json.JSONError as e:
            raise InvalidCookie("cookieseal: invalid cookie: payload is not well-formed session values (SPEC.md section 6)") from None
        assert isinstance(v, _values.Map)
        return v

    def _open(self, name: str, cookie: str, limit: int) -> tuple[bytes, Info]:
        """Steps 1-7 of SPEC section 4: everything but parsing the JSON."""
        if not isinstance(cookie, str):
            raise InvalidCookie("cookieseal: invalid cookie: not a str")
        name_b = name.encode("utf-8")
        size = len(name_b) + 1 + len(cookie)
        if size > limit:
            raise CookieTooLarge(f"cookieseal: cookie is {size} bytes with the name, limit {limit}")
        raw = decode_base64url(cookie)
        if len(raw) < MIN_RAW_SIZE:
            raise InvalidCookie(f"cookieseal: invalid cookie: {len(raw)} bytes, a cookie has at least {MIN_RAW_SIZE}")
        if raw[0] != VERSION:
            raise InvalidCookie(f"cookieseal: invalid cookie: unknown format version {raw[0]}")
        flags = raw[5]
        if flags & ~FLAGS_KNOWN:
            raise InvalidCookie(f"cookieseal: invalid cookie: unknown flags {flags:#04x}")
        kid = _U32.unpack_from(raw, 1)[0]
        ring = self._ring
        key = None
        for k in ring:
            if k.key_id_int == kid:
                key = k
                break
        if key is None:
            raise UnknownKey(f"cookieseal: cookie sealed with an unknown key: key ID {kid:08x}")
        ad = raw[:HEADER_SIZE] + _U32.pack(len(name_b)) + name_b
        plain = _open_aead(raw[HEADER_SIZE + NONCE_SIZE :], ad, raw[HEADER_SIZE : HEADER_SIZE + NONCE_SIZE], key.key)
        if plain is None:
            raise InvalidCookie("cookieseal: invalid cookie: tampered, or sealed for another cookie name")

        issued_at = _U64.unpack_from(plain, 0)[0]
        body_at = TIME_SIZE
        created_at = issued_at
        if flags & FLAG_CREATED:
            if len(plain) < 2 * TIME_SIZE:
                raise InvalidCookie("cookieseal: invalid cookie: created-at flag without a created-at")
            created_at = _U64.unpack_from(plain, TIME_SIZE)[0]
            body_at += TIME_SIZE
            if created_at > issued_at:
                raise InvalidCookie("cookieseal: invalid cookie: created after it was issued")
        session_id, subject = "", ""
        if flags & FLAG_IDENTITY:
            if len(plain) < body_at + SESSION_ID_SIZE + 1:
                raise InvalidCookie("cookieseal: invalid cookie: identity flag without a session ID")
            end = body_at + SESSION_ID_SIZE + 1 + plain[body_at + SESSION_ID_SIZE]
            if len(plain) < end:
                raise InvalidCookie("cookieseal: invalid cookie: subject longer than the plaintext")
            try:
                subject = plain[body_at + SESSION_ID_SIZE + 1 : end].decode("utf-8")
            except UnicodeDecodeError:
                raise InvalidCookie("cookieseal: invalid cookie: subject is not UTF-8") from None
            session_id = plain[body_at : body_at + SESSION_ID_SIZE].hex()
            body_at = end
        now = self.now()
        if issued_at > now + MAX_CLOCK_SKEW:
            raise InvalidCookie(f"cookieseal: invalid cookie: issued more than {MAX_CLOCK_SKEW}s in the future")
        age = now - issued_at
        if age > self.max_age:
            # Never the age itself: it would reveal the sealed issued_at (SPEC 4).
            raise ExpiredCookie(f"cookieseal: cookie expired: older than the max age of {self.max_age}s")
        if self.max_lifetime and now - created_at > self.max_lifetime:
            raise ExpiredCookie(f"cookieseal: cookie expired: session older than the max lifetime of {self.max_lifetime}s")

        body = plain[body_at:]
        if flags & FLAG_DEFLATE:
            body = self._inflate(body)
        elif len(body) > self.max_payload:
            raise CookieTooLarge(f"cookieseal: value is {len(body)} bytes of JSON, limit {self.max_payload}")
        reissue = key is not ring[0] or (self.refresh_age > 0 and age >= self.refresh_age)
        return body, Info(issued_at, created_at, key.key_id, reissue, flags, session_id=session_id, subject=subject)

    def _inflate(self, data: bytes) -> bytes:
        """Inflate one complete raw DEFLATE stream of at most max_payload
        bytes. The cap is enforced while inflating; a truncated stream,
        corrupt data or any byte after the final block is invalid."""
        d = zlib.decompressobj(-15)
        try:
            out = d.decompress(data, self.max_payload + 1)
        except zlib.error:
            # zlib keeps decoding after the output is full and drops what it
            # produced when it then meets corrupt data; the first failure
            # met wins (SPEC.md 5.2), so count what came before it.
            if _inflated_before_error(data, self.max_payload) > self.max_payload:
                raise CookieTooLarge(f"cookieseal: value inflates past {self.max_payload} bytes") from None
            raise InvalidCookie("cookieseal: invalid cookie: corrupt DEFLATE data") from None
        if len(out) > self.max_payload:
            raise CookieTooLarge(f"cookieseal: value inflates past {self.max_payload} bytes")
        if not d.eof:
            raise InvalidCookie("cookieseal: invalid cookie: truncated DEFLATE stream")
        if d.unused_data:
            raise InvalidCookie("cookieseal: invalid cookie: data after the final DEFLATE block")
        return out



def _inflated_before_error(data: bytes, cap: int) -> int:
    """How many bytes, up to cap + 1, a raw DEFLATE stream that zlib finds
    corrupt produces before the corruption. Fed one byte at a time; the
    byte that shows the corruption may itself complete output first, which
    a second try on the state before it, asking for one byte less, tells:
    zlib stops when the output is full, before it decodes further."""
    d = zlib.decompressobj(-15)
    total = 0
    for i in range(len(data)):
        room = cap + 1 - total
        before = d.copy()
        try:
            total += len(d.decompress(data[i : i + 1], room))
        except zlib.error:
            if room == 1:
                # One more byte of output, then a corrupt code, in the rest
                # of one input byte: no DEFLATE code is that short.
                return total
            try:
                before.decompress(data[i : i + 1], room - 1)
            except zlib.error:
                return total  # the corruption came first
            return cap + 1  # room - 1 bytes and not yet the corruption: room bytes came before it
        if total > cap:
            return total
    return total
