"""A Flask session interface that seals the session cookie.

Flask's own session cookie is signed, not encrypted: anyone holding it can
read it (base64, then zlib). This interface replaces it with a cookieseal
cookie that nobody without the secret can read or forge::

    import cookieseal.flask

    app = Flask(__name__)
    cookieseal.flask.install(app)      # secrets from COOKIESEAL_SECRETS

It follows SESSIONS.md (the lifecycle shared with the Starlette middleware
and the Go and JavaScript integrations). In a view:

- ``session.cookieseal_info`` is the Info of the cookie the session was
  opened from (issued_at, created_at, key_id), or None;
  ``session.cookieseal_error`` the error of a cookie that did not open (the
  view then has an empty session).
- ``cookieseal.flask.refuse_session()`` (or ``session.refuse()``): the view
  does not accept the session (say one issued before a password change).
  An unchanged session is then never re-issued nor refreshed; neither is it
  after a response with a status of 400 or more (``abort(401)``).
- ``cookieseal.flask.renew_session()`` (or ``session.renew()``), or
  ``session.clear()`` followed by new values: a new session (login), sealed
  with created-at = now.
- ``session.clear()`` alone: logout; the cookie and its parts are deleted.

Configuration (app.config):

``COOKIESEAL_SECRETS``
    A list of secrets, or one string of secrets separated by commas, spaces,
    tabs or line ends (SESSIONS.md S7.1); the first seals, every one opens. When the config key is absent,
    the environment variable of the same name is read. There is no default:
    without secrets install() raises ConfigError (so the app does not start).
``PERMANENT_SESSION_LIFETIME``
    Flask's own setting is the cookie's max age (31 days unless you set it;
    set it as short as your app allows: a stolen cookie replays until then).
``COOKIESEAL_MAX_LIFETIME``
    Seconds from the session's creation after which it expires however often
    it is refreshed (0, the default: none).
``COOKIESEAL_REFRESH_AGE``
    Seconds after which an opened session is sealed again with a new
    issued-at even when unchanged (0: never on age alone).
``COOKIESEAL_COMPRESS``
    DEFLATE before sealing (default False: compression leaks through the
    cookie's length when a session mixes secrets and attacker-chosen data).
``COOKIESEAL_MAX_PARTS``, ``COOKIESEAL_MAX_HEADER_BYTES``
    The most cookies one session may span (default 10) and the most bytes
    of Cookie header they may take together when written (default 3072).
``COOKIESEAL_INSECURE``
    True for plain-http development only: cookies without Secure (and so
    without a prefix). Default False: every cookie carries Secure, whatever
    SESSION_COOKIE_SECURE says.
``COOKIESEAL_LEGACY_SCOPES``
    A list of (domain, path) pairs, or {"domain", "path"} dicts, under which
    an earlier deployment set the same cookie name: every write and delete
    first expires the cookie there (SESSIONS.md S5.5).
``COOKIESEAL_MIGRATE_FROM``
    ``"flask"``: the migration from Flask's own session cookie. An old
    cookie of the same name, signed with SECRET_KEY (or one of
    SECRET_KEY_FALLBACKS) and younger than PERMANENT_SESSION_LIFETIME, opens
    once (``cookieseal_info.legacy``, times 0) and is re-sealed by the
    response unless the view refused it. Remove it (and, if nothing else
    uses it, SECRET_KEY) once that lifetime has passed since the switch.
``SESSION_COOKIE_NAME``
    The full cookie name; ``__Host-session`` (recommended) or
    ``__Secure-session`` applies that prefix's rules.
``SESSION_COOKIE_DOMAIN``, ``_PATH``, ``_HTTPONLY``, ``_SAMESITE``, ``_PARTITIONED``
    As Flask honours them; SameSite is Lax unless set.

Values: a sealed session holds JSON: dict (str keys), list, str, int, float,
bool and None. A tuple is written as an array and reads back as a list (so
flash() keeps working); a Markup reads back as a plain str. bytes,
datetime, UUID and every other type that Flask's tagged serializer would
carry are refused with UnsupportedValue when the session is saved, naming the
key: store them as text (base64, ISO 8601, str(uuid)).
"""

from __future__ import annotations

import logging
import os
from typing import Any, Callable, Sequence

from flask import Flask, Request, Response
from flask import session as current_session
from flask.sessions import SecureCookieSession, SessionInterface
from werkzeug.http import http_date

from . import _chunks, _json
from ._codec import Codec, Info, generate_secret, secrets_from_env
from ._errors import ConfigError, CookiesealError, UnsupportedValue
from ._migrate import flask_opener
from ._session import LegacyOpener, Read, SessionLayer, split_prefix

__all__ = [
    "SealedSession",
    "SealedSessionInterface",
    "install",
    "refuse_session",
    "renew_session",
    "ENV_SECRETS",
]

ENV_SECRETS = "COOKIESEAL_SECRETS"

log = logging.getLogger("cookieseal.flask")


class SealedSession(SecureCookieSession):
    """The session: a dict, with what opening its cookie learnt."""

    #: The Info of the cookie this session was opened from (issued_at,
    #: created_at, key_id, reissue), or None.
    cookieseal_info: Info | None = None
    #: The error of a cookie that did not open (the session is then empty).
    cookieseal_error: CookiesealError | None = None
    cookieseal_refused = False
    cookieseal_renewed = False
    cookieseal_cleared = False
    _cookieseal_failed = False
    _cookieseal_read: Read | None = None
    _cookieseal_before: bytes = b"{}"

    def refuse(self) -> None:
        """The view does not accept this session: an unchanged session is
        then not re-issued or refreshed (a change is still written)."""
        self.cookieseal_refused = True

    def renew(self) -> None:
        """Start a new session holding the current values (login): sealed
        with issued-at = created-at = now, whatever was read."""
        self.cookieseal_renewed = True
        self.modified = True

    def clear(self) -> None:
        """Empty the session. Saved empty, it deletes the cookie (logout);
        with new values set after it, it is a new session (login)."""
        super().clear()
        self.cookieseal_cleared = True


def refuse_session() -> None:
    """Refuse the current request's session (see SealedSession.refuse)."""
    s = current_session._get_current_object()  # type: ignore[attr-defined]
    if not isinstance(s, SealedSession):
        raise RuntimeError("cookieseal: the app's session interface is not cookieseal's")
    s.refuse()


def renew_session() -> None:
    """Start a new session for the current request (see SealedSession.renew)."""
    s = current_session._get_current_object()  # type: ignore[attr-defined]
    if not isinstance(s, SealedSession):
        raise RuntimeError("cookieseal: the app's session interface is not cookieseal's")
    s.renew()


class SealedSessionInterface(SessionInterface):
    """Seals the session into the cookie SESSION_COOKIE_NAME (and, when it is
    too long for one cookie and the header budget allows, into name.1,
    name.2, ...: SPEC.md section 10)."""

    session_class = SealedSession

    def __init__(
        self,
        codec: Codec,
        *,
        max_parts: int = _chunks.DEFAULT_MAX_PARTS,
        max_header_bytes: int = _chunks.DEFAULT_MAX_HEADER_BYTES,
        on_error: Callable[[CookiesealError], None] | None = None,
        legacy_openers: Sequence[LegacyOpener] = (),
    ) -> None:
        if isinstance(max_parts, bool) or not isinstance(max_parts, int) or not 1 <= max_parts <= _chunks.MAX_PARTS_LIMIT:
            raise ConfigError(f"cookieseal: max_parts {max_parts!r}, want 1 to {_chunks.MAX_PARTS_LIMIT}")
        if isinstance(max_header_bytes, bool) or not isinstance(max_header_bytes, int) or max_header_bytes < 1:
            raise ConfigError(f"cookieseal: max_header_bytes {max_header_bytes!r}, want at least 1")
        self.codec = codec
        self.max_parts = max_parts
        self.max_header_bytes = max_header_bytes
        self.on_error = on_error
        self.legacy_openers = tuple(legacy_openers)
        self._layers: dict[tuple[Any, ...], SessionLayer] = {}

    def layer(self, app: Flask) -> SessionLayer:
        """The session layer for app's configuration (built on first use and
        when the configuration changes; ConfigError when it is refused)."""
        c = app.config
        secure_cfg = bool(c.get("SESSION_COOKIE_SECURE", False))
        insecure = bool(c.get("COOKIESEAL_INSECURE", False))
        legacy = c.get("COOKIESEAL_LEGACY_SCOPES") or ()
        key = (
            self.get_cookie_name(app),
            self.get_cookie_domain(app),
            self.get_cookie_path(app),
            secure_cfg,
            insecure,
            self.get_cookie_samesite(app),
            self.get_cookie_httponly(app),
            bool(c.get("SESSION_COOKIE_PARTITIONED", False)),
            repr(legacy),
        )
        layer = self._layers.get(key)
        if layer is None:
            full, domain, path, _, _, samesite, httponly, partitioned, _ = key
            if insecure and secure_cfg:
                raise ConfigError("cookieseal: COOKIESEAL_INSECURE with SESSION_COOKIE_SECURE: choose one")
            prefix, name = split_prefix(full)
            layer = SessionLayer(
                self.codec,
                name=name,
                prefix=prefix,
                path=path,
                domain=domain,
                max_parts=self.max_parts,
                max_header_bytes=self.max_header_bytes,
                legacy_scopes=legacy,
                insecure=insecure,
                same_site=samesite or "Lax",
                http_only=httponly,
                partitioned=partitioned,
                on_error=self.on_error,
                legacy_openers=self.legacy_openers,
            )
            self._layers = {key: layer}  # one configuration at a time
        return layer

    def open_session(self, app: Flask, request: Request) -> SealedSession:
        layer = self.layer(app)
        # The raw header as WSGI gives it (one character per byte), parsed
        # by SESSIONS.md S2 as every integration parses it; werkzeug's
        # request.cookies would trim and decode differently.
        read = layer.read(request.environ.get("HTTP_COOKIE", ""))
        session = self.session_class(read.data)
        session.cookieseal_info = read.info
        session.cookieseal_error = read.error
        session._cookieseal_read = read
        session._cookieseal_before = _json.dumps(read.data)
        return session

    def save_session(self, app: Flask, session: Any, response: Response) -> None:
        if session.accessed:
            response.vary.add("Cookie")
        read = getattr(session, "_cookieseal_read", None)
        if not isinstance(read, Read) or getattr(session, "_cookieseal_failed", False):
            # A session whose save raised is not saved again by the 500
            # response Flask then finalizes: one error, one traceback.
            return
        try:
            self._save(app, session, response, read)
        except (UnsupportedValue, CookiesealError):
            session._cookieseal_failed = True
            raise

    def _save(self, app: Flask, session: Any, response: Response, read: Read) -> None:
        layer = self.layer(app)
        cleared = bool(getattr(session, "cookieseal_cleared", False))
        data = dict(session)
        # A change is a change of the values, not Flask's modified flag:
        # `session.permanent = True` on every request (a common
        # before_request) sets it without changing anything, and must not
        # turn a refused session into a fresh cookie.
        changed = _json.dumps(data) != getattr(session, "_cookieseal_before", b"{}")
        cookies = layer.save(
            read,
            data,
            changed=changed,
            emptied=cleared,
            renew=bool(getattr(session, "cookieseal_renewed", False)) or (cleared and bool(session)),
            refused=bool(getattr(session, "cookieseal_refused", False)),
            status=response.status_code,
            framework_refresh=bool(session.permanent and app.config.get("SESSION_REFRESH_EACH_REQUEST", True)),
        )
        if not cookies:
            return
        max_age: int | None = None
        expires: str | None = None
        if session.permanent:
            max_age = self.codec.max_age
            exp = self.get_expiration_time(app, session)
            expires = http_date(exp) if exp is not None else None
        kept = [h for h in response.headers.getlist("Set-Cookie") if not layer.replaced(h)]
        response.headers.remove("Set-Cookie")
        for h in kept:
            response.headers.add("Set-Cookie", h)
        for c in cookies:
            response.headers.add("Set-Cookie", layer.render(c, max_age, expires))
        response.vary.add("Cookie")
        response.cache_control.no_store = True


def _config_secrets(app: Flask) -> list[str]:
    configured = app.config.get(ENV_SECRETS)
    if configured is None:
        return secrets_from_env(os.environ.get(ENV_SECRETS))
    if isinstance(configured, str):
        return secrets_from_env(configured)
    return list(configured)


def install(
    app: Flask,
    *,
    ephemeral_secret_if_unset: bool = False,
    on_error: Callable[[CookiesealError], None] | None = None,
) -> SealedSessionInterface:
    """Build the codec from app.config (see the module's doc) and make the
    sealed interface the app's session interface. The cookie configuration
    is checked here: a refused one raises ConfigError.

    Without secrets (config key or environment) it raises ConfigError,
    unless ephemeral_secret_if_unset is true: then it generates a random
    secret for this process alone (sessions do not survive a restart and
    are not shared between workers; for demos and tests, never production).

    on_error is called with every error the interface reports (a cookie
    that did not open, a write refused because the session expired during
    the request); they are also logged to the "cookieseal" logger.
    """
    secrets = _config_secrets(app)
    if not secrets:
        if not ephemeral_secret_if_unset:
            raise ConfigError(
                f"cookieseal: no secrets: set app.config[{ENV_SECRETS!r}] or the {ENV_SECRETS} environment "
                "variable (generate one with cookieseal.generate_secret())"
            )
        log.warning("cookieseal: %s is not set; sealing with a secret generated for this process only", ENV_SECRETS)
        secrets = [generate_secret()]
    lifetime = app.permanent_session_lifetime.total_seconds()
    codec = Codec(
        secrets,
        max_age=max(1, -int(-lifetime // 1)),
        max_lifetime=int(app.config.get("COOKIESEAL_MAX_LIFETIME", 0)),
        refresh_age=int(app.config.get("COOKIESEAL_REFRESH_AGE", 0)),
        compress=bool(app.config.get("COOKIESEAL_COMPRESS", False)),
    )
    migrate = app.config.get("COOKIESEAL_MIGRATE_FROM")
    legacy: list[LegacyOpener] = []
    if migrate == "flask":
        legacy.append(flask_opener(app))
    elif migrate is not None:
        raise ConfigError(f"cookieseal: COOKIESEAL_MIGRATE_FROM {migrate!r}, want 'flask' or None")
    iface = SealedSessionInterface(
        codec,
        legacy_openers=legacy,
        max_parts=int(app.config.get("COOKIESEAL_MAX_PARTS", _chunks.DEFAULT_MAX_PARTS)),
        max_header_bytes=int(app.config.get("COOKIESEAL_MAX_HEADER_BYTES", _chunks.DEFAULT_MAX_HEADER_BYTES)),
        on_error=on_error,
    )
    iface.layer(app)  # refuse a bad cookie configuration now, not at the first request
    app.session_interface = iface
    return iface
