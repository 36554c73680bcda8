"""A Starlette (and FastAPI) session middleware with a sealed cookie.

A drop-in for starlette.middleware.sessions.SessionMiddleware, whose cookie
is signed but readable (base64 JSON)::

    import os

    import cookieseal
    from cookieseal.starlette import SealedSessionMiddleware

    app.add_middleware(SealedSessionMiddleware, secrets=cookieseal.parse_secrets(os.environ.get("COOKIESEAL_SECRETS")),
                       prefix="__Host-")

Secure is the default (https_only=True): Starlette's TestClient talks plain
http to http://testserver, where a client keeps no Secure cookie, so tests
build it with ``TestClient(app, base_url="https://testserver")``.

It follows SESSIONS.md (the lifecycle shared with the Flask interface and
the Go and JavaScript integrations). ``request.session`` is a
:class:`SealedSession`, a dict with:

- ``.info``: the Info of the cookie it was opened from, or None (also
  ``request.scope["cookieseal_info"]``); ``.error``: the error of a cookie
  that did not open (the session is then empty);
- ``.refuse()`` (or ``refuse_session(request)``): the handler does not
  accept the session; an unchanged session is then never re-issued nor
  refreshed, nor after a response with a status of 400 or more;
- ``.renew()`` (or ``renew_session(request)``), or ``.clear()`` followed by
  new values: a new session (login), sealed with created-at = now;
- ``.clear()`` alone: logout; the cookie and its parts are deleted.

The cookie is written only when the session changed, when its key rotated
(keeping its issued-at) or when it is older than refresh_age, and never when
the session expired during the request. Responses that set or delete it
carry "Vary: Cookie" and "Cache-Control: no-store". Values are plain JSON,
as in the Flask interface.
"""

from __future__ import annotations

from typing import Any, Callable, Iterable, Sequence

from starlette.datastructures import MutableHeaders
from starlette.requests import HTTPConnection
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from . import _chunks, _json
from ._codec import DEFAULT_MAX_AGE, Codec, Info
from ._errors import ConfigError, CookiesealError
from ._migrate import starlette_opener
from ._session import LegacyOpener, Read, SessionLayer

__all__ = ["SealedSessionMiddleware", "SealedSession", "refuse_session", "renew_session", "starlette_opener"]


class SealedSession(dict):  # type: ignore[type-arg]
    """request.session: a dict, with what opening its cookie learnt."""

    info: Info | None = None
    error: CookiesealError | None = None
    refused = False
    renewed = False
    cleared = False

    def refuse(self) -> None:
        """The handler does not accept this session: an unchanged session is
        then not re-issued or refreshed (a change is still written)."""
        self.refused = True

    def renew(self) -> None:
        """Start a new session holding the current values (login): sealed
        with issued-at = created-at = now, whatever was read."""
        self.renewed = True

    def clear(self) -> None:
        """Empty the session. Saved empty, it deletes the cookie (logout);
        with new values set after it, it is a new session (login)."""
        super().clear()
        self.cleared = True


def _session(conn: HTTPConnection) -> SealedSession:
    s = conn.scope.get("session")
    if not isinstance(s, SealedSession):
        raise RuntimeError("cookieseal: SealedSessionMiddleware is not installed")
    return s


def refuse_session(conn: HTTPConnection) -> None:
    """Refuse the request's session (see SealedSession.refuse)."""
    _session(conn).refuse()


def renew_session(conn: HTTPConnection) -> None:
    """Start a new session for the request (see SealedSession.renew)."""
    _session(conn).renew()


class SealedSessionMiddleware:
    """The session middleware. ``prefix`` is "", "__Host-" (recommended in
    production: Path=/, no Domain) or "__Secure-", and ``session_cookie``
    the name without it. ``https_only=False`` is for plain-http development
    only (no Secure, so no prefix). ``legacy_scopes`` lists (domain, path)
    pairs under which an earlier deployment set the same name; every write
    and delete expires the cookie there first. ``on_error`` is called with
    every error reported (also logged to the "cookieseal" logger).

    ``migrate_from=starlette_opener(OLD_SECRET_KEY, max_age=...)`` turns on
    the migration from Starlette's own SessionMiddleware: an old cookie of
    the same name, signed with that key and younger than that max age, opens
    once (``.info.legacy``, times 0), and the response re-seals it unless
    the handler refused it. Remove it once the old max age has passed since
    the switch."""

    def __init__(
        self,
        app: ASGIApp,
        secrets: Sequence[str] | None = None,
        *,
        codec: Codec | None = None,
        session_cookie: str = "session",
        prefix: str = "",
        max_age: int = DEFAULT_MAX_AGE,
        path: str = "/",
        same_site: str = "lax",
        https_only: bool = True,
        domain: str | None = None,
        max_parts: int = _chunks.DEFAULT_MAX_PARTS,
        max_header_bytes: int = _chunks.DEFAULT_MAX_HEADER_BYTES,
        legacy_scopes: Iterable[Any] = (),
        on_error: Callable[[CookiesealError], None] | None = None,
        migrate_from: LegacyOpener | None = None,
    ) -> None:
        if (codec is None) == (secrets is None):
            raise ConfigError("cookieseal: give SealedSessionMiddleware either secrets or a codec")
        if same_site.lower() not in ("lax", "strict", "none"):
            raise ConfigError(f"cookieseal: same_site {same_site!r}, want lax, strict or none")
        self.app = app
        self.codec = codec if codec is not None else Codec(list(secrets or []), max_age=max_age)
        self.layer = SessionLayer(
            self.codec,
            name=session_cookie,
            prefix=prefix,
            path=path,
            domain=domain,
            max_parts=max_parts,
            max_header_bytes=max_header_bytes,
            legacy_scopes=legacy_scopes,
            insecure=not https_only,
            same_site=same_site,
            on_error=on_error,
            legacy_openers=() if migrate_from is None else (migrate_from,),
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        # S2: every Cookie field, in order, joined with "; "; ASGI header
        # bytes as latin-1, one character per byte.
        header = "; ".join(v.decode("latin-1") for k, v in scope.get("headers", []) if k == b"cookie")
        read = self.layer.read(header)
        session = SealedSession(read.data)
        session.info = read.info
        session.error = read.error
        scope["session"] = session
        scope["cookieseal_info"] = read.info
        scope["cookieseal_error"] = read.error
        before = _json.dumps(read.data)

        async def send_wrapper(message: Message) -> None:
            if message["type"] == "http.response.start":
                self._write(scope, message, read, before)
            await send(message)

        await self.app(scope, receive, send_wrapper)

    def _write(self, scope: Scope, message: Message, read: Read, before: bytes) -> None:
        session = scope["session"]
        data = dict(session) if session else {}
        changed = _json.dumps(data) != before
        cleared = bool(getattr(session, "cleared", False))
        cookies = self.layer.save(
            read,
            data,
            changed=changed,
            emptied=cleared,
            renew=bool(getattr(session, "renewed", False)) or (cleared and bool(data)),
            refused=bool(getattr(session, "refused", False)),
            status=int(message.get("status", 200)),
        )
        if not cookies:
            return
        headers = MutableHeaders(scope=message)
        kept = [v for k, v in headers.raw if k == b"set-cookie" and not self.layer.replaced(v.decode("latin-1"))]
        if len(kept) != len(headers.getlist("set-cookie")):
            del headers["set-cookie"]
            for v in kept:
                headers.append("set-cookie", v.decode("latin-1"))
        for c in cookies:
            headers.append("Set-Cookie", self.layer.render(c, self.codec.max_age))
        headers.add_vary_header("Cookie")
        headers["Cache-Control"] = "no-store"
