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

from typing import Any, Sequence

from starlette.datastructures import MutableHeaders
from starlette.requests import HTTPConnection
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from . import _chunks, _json
from ._codec import DEFAULT_MAX_AGE, Codec, Info
from ._errors import ConfigError, CookiesealError

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
        max_chunks: int = _chunks.DEFAULT_MAX_CHUNKS,
    ) -> None:
        if (codec is None) == (secrets is None):
            raise ConfigError("cookieseal: give SealedSessionMiddleware either secrets or a codec")
        if not 1 <= max_chunks <= _chunks.MAX_CHUNKS_LIMIT:
            raise ConfigError(f"cookieseal: max_chunks {max_chunks}, want 1 to {_chunks.MAX_CHUNKS_LIMIT}")
        if same_site.lower() not in ("lax", "strict", "none"):
            raise ConfigError(f"cookieseal: same_site {same_site!r}, want lax, strict or none")
        if same_site.lower() == "none" and not https_only:
            raise ConfigError("cookieseal: same_site none needs https_only")
        self.app = app
        self.codec = codec if codec is not None else Codec(list(secrets or []), max_age=max_age)
        self.cookie = session_cookie
        self.max_chunks = max_chunks
        attrs = f"; Path={path}; Max-Age={self.codec.max_age}; HttpOnly; SameSite={same_site.capitalize()}"
        if https_only:
            attrs += "; Secure"
        if domain:
            attrs += f"; Domain={domain}"
        self._attrs = attrs
        self._delete_attrs = attrs.replace(f"Max-Age={self.codec.max_age}", "Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT")

    def _limit(self) -> int:
        return len(self.cookie.encode("utf-8")) + 1 + _chunks.capacity(self.cookie, self.codec.max_length, self.max_chunks)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        conn = HTTPConnection(scope)
        cookies = conn.cookies
        info: Info | None = None
        data: dict[str, Any] = {}
        try:
            value = _chunks.join(self.cookie, cookies.get, self.max_chunks)
            if value is not None:
                opened, info = self.codec._open_info(self.cookie, value, self._limit())
                if isinstance(opened, dict):
                    data = dict(opened)
                else:
                    info = None
        except CookiesealError:
            info = None
        scope["session"] = data
        scope["cookieseal_info"] = info
        before = _json.dumps(data) if info is not None else None
        sent = _chunks.sent_parts(self.cookie, cookies.keys())

        async def send_wrapper(message: Message) -> None:
            if message["type"] == "http.response.start":
                self._write(scope, message, info, before, sent)
            await send(message)

        await self.app(scope, receive, send_wrapper)

    def _write(self, scope: Scope, message: Message, info: Info | None, before: bytes | None, sent: list[int]) -> None:
        session = scope["session"]
        headers = MutableHeaders(scope=message)
        if not session:
            if info is None and not sent:
                return
            for name in [self.cookie] + [_chunks.part_name(self.cookie, i) for i in sent]:
                headers.append("Set-Cookie", f"{name}={self._delete_attrs}")
        else:
            now = self.codec.now()
            payload = _json.dumps(session)
            changed = payload != before
            rotated = info is not None and info.key_id != self.codec.key_ids[0]
            aged = info is not None and self.codec.refresh_age > 0 and now - info.issued_at >= self.codec.refresh_age
            if not (changed or rotated or aged):
                return
            if info is None:
                issued, created = None, None
            elif changed or aged:
                issued, created = now, info.created_at
            else:
                issued, created = info.issued_at, info.created_at
            value = self.codec._seal_plain(self.cookie, session, issued, created, self._limit())
            parts = _chunks.split(self.cookie, value, self.codec.max_length, self.max_chunks)
            for name, part in parts:
                headers.append("Set-Cookie", f"{name}={part}{self._attrs}")
            for i in sent:
                if i >= len(parts):
                    headers.append("Set-Cookie", f"{_chunks.part_name(self.cookie, i)}={self._delete_attrs}")
        headers.add_vary_header("Cookie")
        headers["Cache-Control"] = "no-store"
