"""A Starlette (and FastAPI) session middleware with a sealed cookie.

A drop-in for starlette.middleware.sessions.SessionMiddleware, whose cookie
is signed but readable (base64 JSON)::

    from cookieseal.starlette import SealedSessionMiddleware

    app.add_middleware(SealedSessionMiddleware, secrets=cookieseal.secrets_from_env(os.environ["COOKIESEAL_SECRETS"]))

``request.session`` is a dict as with Starlette's middleware;
``request.scope["cookieseal_info"]`` is the Info of the cookie it was opened
from (or None). A missing, invalid, expired or unknown-key cookie gives an
empty session. The cookie is written only when the session changed, when its
key rotated (keeping its issued-at) or when it is older than refresh_age;
an emptied session deletes it (every part). Responses that set or delete it
carry "Vary: Cookie" and "Cache-Control: no-store". Values are plain JSON,
as in the Flask interface.
"""

from __future__ import annotations

from typing import Sequence

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from . import _chunks, _json
from ._codec import DEFAULT_MAX_AGE, Codec, Info
from ._errors import ConfigError
from ._parts import _plan, open_parts, seal_parts

__all__ = ["SealedSessionMiddleware"]


class SealedSessionMiddleware:
    def __init__(
        self,
        app: ASGIApp,
        secrets: Sequence[str] | None = None,
        *,
        codec: Codec | None = None,
        session_cookie: str = "session",
        max_age: int = DEFAULT_MAX_AGE,
        path: str = "/",
        same_site: str = "lax",
        https_only: bool = True,
        domain: str | None = None,
        max_parts: int = _chunks.DEFAULT_MAX_PARTS,
        max_header_bytes: int = _chunks.DEFAULT_MAX_HEADER_BYTES,
    ) -> None:
        if (codec is None) == (secrets is None):
            raise ConfigError("cookieseal: give SealedSessionMiddleware either secrets or a codec")
        if not 1 <= max_parts <= _chunks.MAX_PARTS_LIMIT:
            raise ConfigError(f"cookieseal: max_parts {max_parts}, want 1 to {_chunks.MAX_PARTS_LIMIT}")
        if max_header_bytes < 1:
            raise ConfigError(f"cookieseal: max_header_bytes {max_header_bytes}, want at least 1")
        if same_site.lower() not in ("lax", "strict", "none"):
            raise ConfigError(f"cookieseal: same_site {same_site!r}, want lax, strict or none")
        if same_site.lower() == "none" and not https_only:
            raise ConfigError("cookieseal: same_site none needs https_only")
        self.app = app
        self.codec = codec if codec is not None else Codec(list(secrets or []), max_age=max_age)
        self.cookie = session_cookie
        self.max_parts = max_parts
        self.max_header_bytes = max_header_bytes
        attrs = f"; Path={path}; Max-Age={self.codec.max_age}; HttpOnly; SameSite={same_site.capitalize()}"
        if https_only:
            attrs += "; Secure"
        if domain:
            attrs += f"; Domain={domain}"
        self._attrs = attrs
        self._delete_attrs = attrs.replace(f"Max-Age={self.codec.max_age}", "Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT")

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        header = ""
        for k, v in scope.get("headers", []):
            if k == b"cookie":
                header += ("; " if header else "") + v.decode("latin-1")
        cookies = _chunks.parse_cookie_header(header)
        opened = open_parts(self.codec, self.cookie, cookies, self.max_parts)
        data, info = opened if opened is not None else ({}, None)
        scope["session"] = data
        scope["cookieseal_info"] = info
        before = _json.dumps(data) if info is not None else None
        request_names = [n for n, _ in cookies]

        async def send_wrapper(message: Message) -> None:
            if message["type"] == "http.response.start":
                self._write(scope, message, info, before, request_names)
            await send(message)

        await self.app(scope, receive, send_wrapper)

    def _write(self, scope: Scope, message: Message, info: Info | None, before: bytes | None, request_names: list[str]) -> None:
        session = scope["session"]
        headers = MutableHeaders(scope=message)
        sent = _chunks.sent_parts(self.cookie, request_names)
        if not session:
            if info is None and self.cookie not in request_names and not sent:
                return
            for name in [self.cookie] + [_chunks.part_name(self.cookie, i) for i in sent]:
                headers.append("Set-Cookie", f"{name}={self._delete_attrs}")
        else:
            plan = _plan(self.codec, info, _json.dumps(session) != before)
            if plan is None:
                return
            parts, stale = seal_parts(
                self.codec, self.cookie, session, plan[0], plan[1], self.max_parts, self.max_header_bytes, request_names
            )
            for name, part in parts:
                headers.append("Set-Cookie", f"{name}={part}{self._attrs}")
            for name in stale:
                headers.append("Set-Cookie", f"{name}={self._delete_attrs}")
        headers.add_vary_header("Cookie")
        headers["Cache-Control"] = "no-store"
