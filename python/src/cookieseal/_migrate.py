"""Openers of the signed (not encrypted) session cookies that the Python
frameworks write by default, for a migration that logs nobody out: a
SessionLayer given one of them (``legacy_openers``) opens an old cookie of
the session's name once, the handler judges it like any session, and the
response re-seals it (SESSIONS.md S6.3 and S6.5; Go's Config.Legacy).

Each opener verifies the old signature with the old key, which the
application configures explicitly (never guessed), honours the old max
age, and raises InvalidCookie (bad signature, not its cookie, bad content)
or ExpiredCookie (older than the old max age). None of them decompresses,
parses or returns anything before the signature has verified. Messages
never carry the cookie's content.

They use only what the framework already depends on: itsdangerous for
Flask and Starlette, django.core.signing for Django (cookieseal.django).
"""

from __future__ import annotations

import base64
import binascii
from typing import TYPE_CHECKING, Any, Mapping, Sequence

from . import _json
from ._errors import ConfigError, ExpiredCookie, InvalidCookie
from ._session import LegacyOpener

if TYPE_CHECKING:  # pragma: no cover
    from flask import Flask

__all__ = ["flask_opener", "starlette_opener"]


def _itsdangerous() -> Any:
    try:
        import itsdangerous
    except ImportError:  # pragma: no cover - Flask requires it
        raise ConfigError("cookieseal: migrating from a signed cookie needs itsdangerous (pip install itsdangerous)") from None
    return itsdangerous


def flask_opener(app: Flask) -> LegacyOpener:
    """Flask's default session cookie (SecureCookieSessionInterface):
    itsdangerous URLSafeTimedSerializer over SECRET_KEY (and
    SECRET_KEY_FALLBACKS, Flask 3.1+), salt "cookie-session", HMAC-SHA1,
    Flask's tagged JSON; max age PERMANENT_SESSION_LIFETIME, as Flask reads
    it. The serializer is Flask's own, built from the app's configuration,
    so what opens is exactly what the stock interface would have opened.
    A value JSON cannot carry (bytes, datetime, UUID: Flask's tags) makes
    the old session invalid (an empty session), never a 500."""
    from flask.sessions import SecureCookieSessionInterface

    its = _itsdangerous()
    serializer = SecureCookieSessionInterface().get_signing_serializer(app)
    if serializer is None:
        raise ConfigError("cookieseal: COOKIESEAL_MIGRATE_FROM = 'flask' needs the SECRET_KEY the old cookies were signed with")
    max_age = int(app.permanent_session_lifetime.total_seconds())

    def open_flask(value: str) -> Mapping[str, Any]:
        try:
            data = serializer.loads(value, max_age=max_age)
        except its.SignatureExpired:
            raise ExpiredCookie("cookieseal: cookie expired: an old Flask session older than PERMANENT_SESSION_LIFETIME") from None
        except Exception:
            # BadSignature, or content Flask's serializer refuses.
            raise InvalidCookie("cookieseal: invalid cookie: not a Flask session cookie signed with SECRET_KEY") from None
        if not isinstance(data, dict):
            raise InvalidCookie("cookieseal: invalid cookie: an old Flask session that is not an object")
        return data

    return open_flask


def starlette_opener(secret_key: Any, *, max_age: int | None = 14 * 24 * 60 * 60) -> LegacyOpener:
    """Starlette's SessionMiddleware cookie (FastAPI's default): base64 of
    JSON, signed with itsdangerous.TimestampSigner(str(secret_key)); max_age
    as the old middleware had it (its default: 14 days; None: no limit, as
    Starlette's max_age=None). secret_key may be a list of old keys, tried
    in order."""
    its = _itsdangerous()
    keys: Sequence[Any] = list(secret_key) if isinstance(secret_key, (list, tuple)) else [secret_key]
    if not keys or any(not str(k) for k in keys):
        raise ConfigError("cookieseal: migrating from Starlette needs the secret_key the old cookies were signed with")
    if max_age is not None and (isinstance(max_age, bool) or not isinstance(max_age, int) or max_age < 1):
        raise ConfigError(f"cookieseal: the old max_age {max_age!r}, want a positive int or None")
    signers = [its.TimestampSigner(str(k)) for k in keys]

    def open_starlette(value: str) -> Mapping[str, Any]:
        raw = value.encode("latin-1")
        expired = False
        for signer in signers:
            try:
                signed = signer.unsign(raw, max_age=max_age)
            except its.SignatureExpired:
                expired = True
                continue
            except its.BadSignature:
                continue
            try:
                data = _json.loads(base64.b64decode(signed, validate=True))
            except (binascii.Error, ValueError):
                raise InvalidCookie("cookieseal: invalid cookie: an old Starlette session that is not base64 JSON") from None
            if not isinstance(data, dict):
                raise InvalidCookie("cookieseal: invalid cookie: an old Starlette session that is not an object")
            return data
        if expired:
            raise ExpiredCookie("cookieseal: cookie expired: an old Starlette session older than its max_age")
        raise InvalidCookie("cookieseal: invalid cookie: not a Starlette session cookie signed with the old secret_key")

    return open_starlette
