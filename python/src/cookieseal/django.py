# Django ships no type information: its imports are Any here.
# mypy: disable-error-code="import-untyped, import-not-found", disallow-subclassing-any=False
"""A Django session engine that keeps the session in a sealed cookie.

Django's own cookie engine (``signed_cookies``) signs the session but does
not encrypt it: anyone holding the cookie reads it (base64, then zlib).
This engine seals it instead (SPEC.md), with the lifecycle every cookieseal
integration shares (SESSIONS.md). Two settings::

    SESSION_ENGINE = "cookieseal.django"
    MIDDLEWARE = [
        ...
        "cookieseal.django.SessionMiddleware",  # in place of django.contrib.sessions.middleware.SessionMiddleware
        ...
    ]

The middleware replaces Django's because Django's writes one cookie from
``session_key`` and reads ``request.COOKIES`` (parsed with ``str.strip``):
this one reads the raw Cookie header by the shared grammar, reads the
session once, writes parts, legacy scopes, Secure, SameSite, a constant
Max-Age, ``Cache-Control: no-store`` and ``Vary: Cookie``, and never
re-issues a session the view refused.

``request.session`` keeps Django's API (``set_expiry``, ``get_expiry_age``,
``cycle_key`` at login, ``flush`` at logout, ...) and adds:

- ``request.session.info``: the Info of the cookie it was opened from
  (issued_at, created_at, key_id, legacy), or None; ``.error``: the error
  of a cookie that did not open (the session is then empty);
- ``request.session.refuse()`` (or ``refuse_session(request)``): the view
  does not accept the session; an unchanged session is then never written,
  nor after a response with a status of 400 or more;
- ``cycle_key()`` (``django.contrib.auth.login`` calls it) or
  ``.renew()``: a new session, sealed with created-at = now;
- ``flush()`` (``django.contrib.auth.logout``): the cookie, its parts and
  the cookie under every legacy scope are deleted.

Settings: ``COOKIESEAL_SECRETS`` (a list, or one string as
cookieseal.parse_secrets reads it; when absent, the environment variable of
the same name; no default: without secrets Django refuses to start),
``SESSION_COOKIE_NAME`` (``__Host-sessionid`` applies that prefix),
``SESSION_COOKIE_AGE`` (the max age), ``_DOMAIN``, ``_PATH``,
``_HTTPONLY``, ``_SAMESITE`` (Lax when unset or False),
``SESSION_EXPIRE_AT_BROWSER_CLOSE``, ``SESSION_SAVE_EVERY_REQUEST``;
``COOKIESEAL_INSECURE`` (no Secure; plain-http development only),
``COOKIESEAL_MAX_LIFETIME``, ``COOKIESEAL_REFRESH_AGE``,
``COOKIESEAL_COMPRESS``, ``COOKIESEAL_MAX_PARTS``,
``COOKIESEAL_MAX_HEADER_BYTES``, ``COOKIESEAL_LEGACY_SCOPES``,
``COOKIESEAL_ON_ERROR`` (a callable or its dotted path) and
``COOKIESEAL_MIGRATE_FROM = "django.contrib.sessions.backends.signed_cookies"``
(the migration: see python/README.md).
"""

from __future__ import annotations

import dataclasses
import datetime
import hashlib
import json
import os
import time
from http.cookies import Morsel
from typing import Any, Mapping

from django.conf import settings
from django.contrib.sessions.backends.base import SessionBase
from django.contrib.sessions.middleware import SessionMiddleware as DjangoSessionMiddleware
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.http import http_date
from django.utils.module_loading import import_string

from . import _chunks, _json
from ._codec import Codec
from ._errors import ConfigError, CookiesealError, ExpiredCookie, InvalidCookie, UnsupportedValue
from ._secrets import parse_secrets
from ._codec import Info
from ._session import LegacyOpener, Read, SessionLayer, SetCookie, split_prefix

__all__ = [
    "SessionStore",
    "SessionMiddleware",
    "refuse_session",
    "renew_session",
    "get_layer",
    "ENV_SECRETS",
    "SIGNED_COOKIES",
]

ENV_SECRETS = "COOKIESEAL_SECRETS"
#: The engine COOKIESEAL_MIGRATE_FROM names to migrate from.
SIGNED_COOKIES = "django.contrib.sessions.backends.signed_cookies"
_JSON_SERIALIZER = "django.contrib.sessions.serializers.JSONSerializer"

_layers: dict[tuple[Any, ...], SessionLayer] = {}


def _on_error(e: CookiesealError) -> None:
    hook = getattr(settings, "COOKIESEAL_ON_ERROR", None)
    if hook is None:
        return
    if isinstance(hook, str):
        hook = import_string(hook)
    hook(e)


def _secrets() -> list[str]:
    configured = getattr(settings, ENV_SECRETS, None)
    if configured is None:
        return parse_secrets(os.environ.get(ENV_SECRETS))
    if isinstance(configured, str):
        return parse_secrets(configured)
    return list(configured)


def _signed_cookies_opener(max_age: int) -> LegacyOpener:
    """Django's signed_cookies engine's cookie: django.core.signing with
    SECRET_KEY and SECRET_KEY_FALLBACKS, its salt, JSON, compressed or not,
    and its max age (SESSION_COOKIE_AGE), as that engine loads it."""
    from django.core import signing

    if not settings.SECRET_KEY:
        raise ImproperlyConfigured("cookieseal: COOKIESEAL_MIGRATE_FROM needs the SECRET_KEY the old cookies were signed with")
    serializer = import_string(_JSON_SERIALIZER)

    def open_signed_cookies(value: str) -> Mapping[str, Any]:
        try:
            data = signing.loads(value, salt=SIGNED_COOKIES, serializer=serializer, max_age=max_age)
        except signing.SignatureExpired:
            raise ExpiredCookie("cookieseal: cookie expired: an old signed_cookies session older than SESSION_COOKIE_AGE") from None
        except Exception:
            # BadSignature, or content the serializer refuses (after the
            # signature verified: nothing is decompressed before).
            raise InvalidCookie("cookieseal: invalid cookie: not a signed_cookies session signed with SECRET_KEY") from None
        if not isinstance(data, dict):
            raise InvalidCookie("cookieseal: invalid cookie: an old signed_cookies session that is not an object")
        return data

    return open_signed_cookies


def get_layer() -> SessionLayer:
    """The session layer for the current settings (built on first use and
    again when a setting it depends on changes). ImproperlyConfigured for a
    configuration cookieseal refuses, no secrets among them."""
    s = settings
    key = (
        s.SESSION_COOKIE_NAME,
        s.SESSION_COOKIE_AGE,
        s.SESSION_COOKIE_DOMAIN,
        s.SESSION_COOKIE_PATH,
        s.SESSION_COOKIE_SECURE,
        s.SESSION_COOKIE_HTTPONLY,
        s.SESSION_COOKIE_SAMESITE,
        s.SESSION_SERIALIZER,
        getattr(s, "COOKIESEAL_INSECURE", False),
        getattr(s, "COOKIESEAL_MAX_LIFETIME", 0),
        getattr(s, "COOKIESEAL_REFRESH_AGE", 0),
        getattr(s, "COOKIESEAL_COMPRESS", False),
        getattr(s, "COOKIESEAL_MAX_PARTS", _chunks.DEFAULT_MAX_PARTS),
        getattr(s, "COOKIESEAL_MAX_HEADER_BYTES", _chunks.DEFAULT_MAX_HEADER_BYTES),
        repr(getattr(s, "COOKIESEAL_LEGACY_SCOPES", ())),
        getattr(s, "COOKIESEAL_MIGRATE_FROM", None),
        s.SECRET_KEY,
        tuple(s.SECRET_KEY_FALLBACKS),
        hashlib.sha256(json.dumps(_secrets()).encode("utf-8", "surrogatepass")).hexdigest(),
    )
    layer = _layers.get(key)
    if layer is not None:
        return layer
    secrets = _secrets()
    if not secrets:
        raise ImproperlyConfigured(
            f"cookieseal: no secrets: set settings.{ENV_SECRETS} or the {ENV_SECRETS} environment variable "
            "(generate one with: python -c 'import cookieseal; print(cookieseal.generate_secret())')"
        )
    if s.SESSION_SERIALIZER != _JSON_SERIALIZER:
        raise ImproperlyConfigured(f"cookieseal: a sealed session is JSON: SESSION_SERIALIZER must be {_JSON_SERIALIZER!r}")
    insecure = bool(getattr(s, "COOKIESEAL_INSECURE", False))
    if insecure and s.SESSION_COOKIE_SECURE:
        raise ImproperlyConfigured("cookieseal: COOKIESEAL_INSECURE with SESSION_COOKIE_SECURE: choose one")
    age = s.SESSION_COOKIE_AGE
    max_age = max(1, -int(-age // 1)) if isinstance(age, (int, float)) and not isinstance(age, bool) else age
    migrate = getattr(s, "COOKIESEAL_MIGRATE_FROM", None)
    legacy: list[LegacyOpener] = []
    if migrate == SIGNED_COOKIES:
        legacy.append(_signed_cookies_opener(max_age))
    elif migrate is not None:
        raise ImproperlyConfigured(f"cookieseal: COOKIESEAL_MIGRATE_FROM {migrate!r}, want {SIGNED_COOKIES!r} or None")
    prefix, name = split_prefix(s.SESSION_COOKIE_NAME)
    try:
        codec = Codec(
            secrets,
            max_age=max_age,
            max_lifetime=int(getattr(s, "COOKIESEAL_MAX_LIFETIME", 0)),
            refresh_age=int(getattr(s, "COOKIESEAL_REFRESH_AGE", 0)),
            compress=bool(getattr(s, "COOKIESEAL_COMPRESS", False)),
        )
        layer = SessionLayer(
            codec,
            name=name,
            prefix=prefix,
            path=s.SESSION_COOKIE_PATH,
            domain=s.SESSION_COOKIE_DOMAIN,
            max_parts=int(getattr(s, "COOKIESEAL_MAX_PARTS", _chunks.DEFAULT_MAX_PARTS)),
            max_header_bytes=int(getattr(s, "COOKIESEAL_MAX_HEADER_BYTES", _chunks.DEFAULT_MAX_HEADER_BYTES)),
            legacy_scopes=getattr(s, "COOKIESEAL_LEGACY_SCOPES", ()) or (),
            insecure=insecure,
            same_site=s.SESSION_COOKIE_SAMESITE or "Lax",
            http_only=bool(s.SESSION_COOKIE_HTTPONLY),
            on_error=_on_error,
            legacy_openers=legacy,
        )
    except ConfigError as e:
        raise ImproperlyConfigured(str(e)) from None
    _layers.clear()  # one configuration at a time
    _layers[key] = layer
    return layer


def _django_json(data: Mapping[str, Any]) -> dict[str, Any]:
    """The session as Django's JSONSerializer leaves it after a save and a
    load (tuples become lists, int dict keys strings; a type JSON cannot
    carry raises TypeError), refusing NaN and infinities, which a strict
    JSON opener refuses (SPEC.md)."""
    try:
        text = json.dumps(dict(data), separators=(",", ":"), allow_nan=False)
    except TypeError as e:
        raise UnsupportedValue(f"cookieseal: the session holds a value Django's JSONSerializer cannot write: {e}") from None
    except ValueError:
        raise UnsupportedValue("cookieseal: the session holds a NaN or an infinity, which JSON has not") from None
    out = _json.loads(text.encode("utf-8"))
    assert isinstance(out, dict)
    return out


def _expiry_passed(data: Mapping[str, Any], info: Info, now: int) -> bool:
    """Django's own per-session expiry (set_expiry), judged at read: an int
    is seconds of inactivity since the cookie was written (issued-at; not
    judged for a legacy cookie, whose write time is unknown and whose old
    engine never judged it; set_expiry also takes a float), a string an
    ISO 8601 date."""
    expiry = data.get("_session_expiry")
    if expiry is None:
        return False
    if isinstance(expiry, (int, float)) and not isinstance(expiry, bool):
        return expiry != 0 and not info.legacy and now >= info.issued_at + expiry
    if isinstance(expiry, str):
        try:
            when = datetime.datetime.fromisoformat(expiry)
        except ValueError:
            raise InvalidCookie("cookieseal: invalid session: its _session_expiry is not a date") from None
        return now >= when.timestamp()
    raise InvalidCookie("cookieseal: invalid session: its _session_expiry is neither seconds nor a date")


class SessionStore(SessionBase):
    """The session engine. ``session_key`` is the sealed cookie value, as in
    Django's signed_cookies (whose session_key is the signed value):
    ``SessionStore(key)`` opens it, ``save()`` seals a new one. Under
    cookieseal's SessionMiddleware the session is read from the request's
    Cookie header instead (parts and all), once, when first used."""

    # SessionBase's (a property and a lazily set attribute), typed here.
    _session_key: Any
    _session_cache: dict[str, Any]

    def __init__(self, session_key: str | None = None) -> None:
        super().__init__(session_key)
        self._cs_header: str | None = None
        self._cs_read: Read | None = None
        #: The view refused the session (see refuse()).
        self.refused = False
        #: A new session was started (cycle_key, renew).
        self.renewed = False
        #: The session was emptied (clear, flush, delete).
        self.cleared = False

    @classmethod
    def from_header(cls, header: str) -> SessionStore:
        """The session of a request whose Cookie header is header."""
        store = cls()
        store._cs_header = header
        return store

    # --- reading -------------------------------------------------------

    def _cs_open(self) -> Read:
        if self._cs_read is None:
            layer = get_layer()
            if self._cs_header is not None:
                read = layer.read(self._cs_header)
            else:
                read = layer.open_value(self.session_key or "")
            if read.info is not None:
                try:
                    passed = _expiry_passed(read.data, read.info, read.now)
                except InvalidCookie as e:
                    layer.report(e, "did not open")
                    read = dataclasses.replace(read, outcome="invalid", data={}, info=None, error=e)
                else:
                    if passed:
                        err = ExpiredCookie("cookieseal: cookie expired: past the session's own expiry (set_expiry)")
                        layer.report(err, "did not open")
                        read = dataclasses.replace(read, outcome="expired", data={}, info=None, error=err)
            self._cs_read = read
        return self._cs_read

    @property
    def info(self) -> Info | None:
        """The Info of the cookie the session was opened from, or None."""
        return self._cs_open().info

    @property
    def error(self) -> CookiesealError | None:
        """The error of a cookie that did not open (the session is empty)."""
        return self._cs_open().error

    def load(self) -> dict[str, Any]:
        read = self._cs_open()
        if read.outcome != "ok" and self._cs_header is None:
            # An unknown key is not kept: a later save seals a new one.
            self._session_key = None
        return dict(read.data)

    async def aload(self) -> dict[str, Any]:
        return self.load()

    def _get_session(self, no_load: bool = False) -> Any:
        # As SessionBase's, but under the middleware there is no key to
        # look at before reading: the Cookie header is read instead.
        self.accessed = True
        try:
            return self._session_cache
        except AttributeError:
            if no_load or (self.session_key is None and self._cs_header is None):
                self._session_cache = {}
            else:
                self._session_cache = self.load()
        return self._session_cache

    async def _aget_session(self, no_load: bool = False) -> Any:
        return self._get_session(no_load)

    _session = property(_get_session)

    # --- the lifecycle -------------------------------------------------

    def refuse(self) -> None:
        """The view does not accept this session: an unchanged session is
        then not re-issued or refreshed (a change is still written)."""
        self.refused = True

    def renew(self) -> None:
        """Start a new session holding the current values (login): sealed
        with issued-at = created-at = now, whatever was read."""
        self.renewed = True
        self.modified = True

    def clear(self) -> None:
        super().clear()
        self.cleared = True

    def create(self) -> None:
        self.modified = True

    async def acreate(self) -> None:
        self.create()

    def save(self, must_create: bool = False) -> None:
        """Seal the session into a new session_key (the cookie value). The
        middleware writes the cookie itself; save() is for code that wants
        the key (Django's test client login, for one)."""
        layer = get_layer()
        data = _django_json(self._session)
        info = self._cs_open().info if (self._cs_header is not None or self.session_key) else None
        now = layer.codec.now()
        if self.renewed or info is None or info.legacy:
            created = now
        else:
            created = min(info.created_at, now)
        full = layer.full_name
        self._session_key = layer.codec._seal_plain(full, data, now, created, len(full) + 1 + layer.max_parts * layer.codec.max_length)
        self.modified = True

    async def asave(self, must_create: bool = False) -> None:
        self.save(must_create)

    def exists(self, session_key: str | None = None) -> bool:
        # Nothing is stored on the server: no key "exists".
        return False

    async def aexists(self, session_key: str | None = None) -> bool:
        return False

    def delete(self, session_key: str | None = None) -> None:
        """Empty this session (logout, with flush): its cookie is deleted."""
        self._session_key = ""
        self._session_cache = {}
        self.modified = True
        self.cleared = True

    async def adelete(self, session_key: str | None = None) -> None:
        self.delete(session_key)

    def cycle_key(self) -> None:
        """Keep the data under a new key: a new session (login)."""
        self.renew()
        self.save()

    async def acycle_key(self) -> None:
        self.cycle_key()

    @classmethod
    def clear_expired(cls) -> None:
        pass

    @classmethod
    async def aclear_expired(cls) -> None:
        pass


def _session(request: HttpRequest) -> SessionStore:
    s = getattr(request, "session", None)
    if not isinstance(s, SessionStore):
        raise RuntimeError("cookieseal: the request's session is not cookieseal's (SESSION_ENGINE = 'cookieseal.django')")
    return s


def refuse_session(request: HttpRequest) -> None:
    """Refuse the request's session (see SessionStore.refuse)."""
    _session(request).refuse()


def renew_session(request: HttpRequest) -> None:
    """Start a new session for the request (see SessionStore.renew)."""
    _session(request).renew()


class _Line(Morsel):  # type: ignore[type-arg]
    """A Set-Cookie line exactly as the session layer renders it, in
    response.cookies (the only way Django writes Set-Cookie)."""

    def __init__(self, name: str, value: str, line: str) -> None:
        super().__init__()
        self.set(name, value, value)
        self._line = line

    def OutputString(self, attrs: Any = None) -> str:
        # A copy or an unpickled Morsel (Django's cache) has lost the line:
        # it renders from the same attributes, set below.
        line: str | None = getattr(self, "_line", None)
        return line if line is not None else super().OutputString(attrs)


class SessionMiddleware(DjangoSessionMiddleware):
    """Django's SessionMiddleware for the sealed engine: put it where
    django.contrib.sessions.middleware.SessionMiddleware was."""

    def __init__(self, get_response: Any) -> None:
        super().__init__(get_response)
        if self.SessionStore is not SessionStore:
            raise ImproperlyConfigured("cookieseal: cookieseal.django.SessionMiddleware needs SESSION_ENGINE = 'cookieseal.django'")
        get_layer()  # refuse a bad configuration (no secrets) at start

    def process_request(self, request: HttpRequest) -> None:
        # The raw header (one character per byte, as WSGI and ASGI give
        # it), read by SESSIONS.md S2; request.COOKIES is parsed otherwise.
        request.session = SessionStore.from_header(request.META.get("HTTP_COOKIE", ""))

    def process_response(self, request: HttpRequest, response: HttpResponseBase) -> HttpResponseBase:
        session = getattr(request, "session", None)
        if not isinstance(session, SessionStore) or session._cs_header is None:
            return response
        if session.accessed:
            patch_vary_headers(response, ("Cookie",))
        layer = get_layer()
        read = session._cs_open()
        current: Mapping[str, Any] = getattr(session, "_session_cache", read.data)
        data = _django_json(current)
        status = response.status_code
        if status >= 500 and data:
            return response  # as Django: nothing is saved for a 5xx
        cookies = layer.save(
            read,
            data,
            changed=_json.dumps(data) != _json.dumps(read.data),
            emptied=session.cleared,
            renew=session.renewed or (session.cleared and bool(data)),
            refused=session.refused,
            status=status,
            framework_refresh=bool(settings.SESSION_SAVE_EVERY_REQUEST),
        )
        if not cookies:
            return response
        expiry = data.get("_session_expiry")
        at_close = settings.SESSION_EXPIRE_AT_BROWSER_CLOSE if expiry is None else expiry == 0
        max_age = None if at_close else layer.codec.max_age
        expires = None if max_age is None else http_date(time.time() + max_age)
        self._write(layer, response, cookies, max_age, expires)
        patch_vary_headers(response, ("Cookie",))
        patch_cache_control(response, no_store=True)
        return response

    @staticmethod
    def _write(layer: SessionLayer, response: HttpResponseBase, cookies: list[SetCookie], max_age: int | None, expires: str | None) -> None:
        jar = response.cookies
        for k in [k for k, m in jar.items() if layer.replaced(m.OutputString())]:
            del jar[k]
        for c in cookies:
            line = layer.render(c, max_age, expires)
            m = _Line(c.name, c.value, line)
            m["path"] = c.scope.path
            if c.scope.domain:
                m["domain"] = c.scope.domain
            m["max-age"] = "0" if c.expire else ("" if max_age is None else str(max_age))
            m["expires"] = "Thu, 01 Jan 1970 00:00:00 GMT" if c.expire else (expires or "")
            m["httponly"] = layer.http_only
            m["secure"] = layer.secure
            m["samesite"] = layer.same_site or ""
            # One entry per name and scope (a legacy scope's delete and the
            # new cookie share a name): the dict key is only a key.
            k = c.name
            if c.scope != layer.scope or k in jar:
                k = f"{c.name};{c.scope.domain or ''};{c.scope.path}"
            jar.pop(k, None)
            jar[k] = m
