"""A Flask session interface that seals the session cookie.

Flask's own session cookie is signed, not encrypted: anyone holding it can
read it (base64, then zlib). This interface replaces it with a cookieseal
cookie that nobody without the secret can read or forge::

    import cookieseal.flask

    app = Flask(__name__)
    cookieseal.flask.install(app)      # secrets from COOKIESEAL_SECRETS

Configuration (app.config, read once by install()):

``COOKIESEAL_SECRETS``
    A list of secrets, or one string of secrets separated by commas or white
    space; the first seals, every one opens. When the config key is absent,
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
    of Cookie header they may take together (default 3072, SPEC.md section
    10: what a stock nginx passes both ways, so one cookie by default; raise
    it to let a large session span several cookies).
``SESSION_COOKIE_*``
    Name, domain, path, secure, httponly, samesite and partitioned are
    honoured as Flask's own interface honours them.

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
from typing import Any

from flask import Flask, Request, Response
from flask import request as current_request
from flask.sessions import SecureCookieSession, SessionInterface
from werkzeug.http import dump_cookie

from . import _chunks
from ._parts import _plan, open_parts, seal_parts
from ._codec import Codec, Info, generate_secret, secrets_from_env
from ._errors import ConfigError

__all__ = ["SealedSession", "SealedSessionInterface", "install", "ENV_SECRETS"]

ENV_SECRETS = "COOKIESEAL_SECRETS"

log = logging.getLogger("cookieseal.flask")


class SealedSession(SecureCookieSession):
    """The session: a dict, with what opening its cookie learnt."""

    #: The Info of the cookie this session was opened from (issued_at,
    #: created_at, key_id, reissue), or None for a new session. A view can
    #: refuse a session issued before, say, a password change by clearing it.
    cookieseal_info: Info | None = None


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
    ) -> None:
        if not 1 <= max_parts <= _chunks.MAX_PARTS_LIMIT:
            raise ConfigError(f"cookieseal: max_parts {max_parts}, want 1 to {_chunks.MAX_PARTS_LIMIT}")
        if max_header_bytes < 1:
            raise ConfigError(f"cookieseal: max_header_bytes {max_header_bytes}, want at least 1")
        self.codec = codec
        self.max_parts = max_parts
        self.max_header_bytes = max_header_bytes

    def open_session(self, app: Flask, request: Request) -> SealedSession:
        name = self.get_cookie_name(app)
        opened = open_parts(self.codec, name, list(request.cookies.items(multi=True)), self.max_parts)
        if opened is None:
            return self.session_class()
        data, info = opened
        session = self.session_class(data)
        session.cookieseal_info = info
        return session

    def save_session(self, app: Flask, session: Any, response: Response) -> None:
        name = self.get_cookie_name(app)
        domain = self.get_cookie_domain(app)
        path = self.get_cookie_path(app)
        secure = self.get_cookie_secure(app)
        samesite = self.get_cookie_samesite(app)
        httponly = self.get_cookie_httponly(app)
        extra: dict[str, Any] = {}
        if hasattr(self, "get_cookie_partitioned"):
            extra["partitioned"] = self.get_cookie_partitioned(app)
        request_names = list(current_request.cookies.keys())

        if session.accessed:
            response.vary.add("Cookie")

        def set_cookie(cookie_name: str, value: str, expires: Any) -> None:
            # dump_cookie with max_size=0: werkzeug's size warning counts the
            # attributes, browsers count name and value (4096), and the
            # parts are cut to exactly that.
            response.headers.add(
                "Set-Cookie",
                dump_cookie(
                    cookie_name,
                    value,
                    max_age=0 if expires == 0 else None,
                    expires=expires,
                    path=path,
                    domain=domain,
                    secure=secure,
                    httponly=httponly,
                    samesite=samesite,
                    max_size=0,
                    **extra,
                ),
            )

        if not session:
            if session.modified:
                for cookie_name in [name] + [_chunks.part_name(name, i) for i in _chunks.sent_parts(name, request_names)]:
                    set_cookie(cookie_name, "", 0)
                response.vary.add("Cookie")
                response.cache_control.no_store = True
            return

        info: Info | None = getattr(session, "cookieseal_info", None)
        plan = _plan(self.codec, info, session.modified or self.should_set_cookie(app, session))
        if plan is None:
            return
        issued, created = plan
        parts, stale = seal_parts(
            self.codec, name, dict(session), issued, created, self.max_parts, self.max_header_bytes, request_names
        )
        expires = self.get_expiration_time(app, session)
        for cookie_name, part in parts:
            set_cookie(cookie_name, part, expires)
        for cookie_name in stale:
            set_cookie(cookie_name, "", 0)
        response.vary.add("Cookie")
        response.cache_control.no_store = True


def _config_secrets(app: Flask) -> list[str]:
    configured = app.config.get(ENV_SECRETS)
    if configured is None:
        return secrets_from_env(os.environ.get(ENV_SECRETS))
    if isinstance(configured, str):
        return secrets_from_env(configured)
    return list(configured)


def install(app: Flask, *, ephemeral_secret_if_unset: bool = False) -> SealedSessionInterface:
    """Build the codec from app.config (see the module's doc) and make the
    sealed interface the app's session interface.

    Without secrets (config key or environment) it raises ConfigError,
    unless ephemeral_secret_if_unset is true: then it generates a random
    secret for this process alone (sessions do not survive a restart and
    are not shared between workers; for demos and tests, never production).
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
    codec = Codec(
        secrets,
        max_age=max(1, int(app.permanent_session_lifetime.total_seconds())),
        max_lifetime=int(app.config.get("COOKIESEAL_MAX_LIFETIME", 0)),
        refresh_age=int(app.config.get("COOKIESEAL_REFRESH_AGE", 0)),
        compress=bool(app.config.get("COOKIESEAL_COMPRESS", False)),
    )
    iface = SealedSessionInterface(
        codec,
        max_parts=int(app.config.get("COOKIESEAL_MAX_PARTS", _chunks.DEFAULT_MAX_PARTS)),
        max_header_bytes=int(app.config.get("COOKIESEAL_MAX_HEADER_BYTES", _chunks.DEFAULT_MAX_HEADER_BYTES)),
    )
    app.session_interface = iface
    return iface
