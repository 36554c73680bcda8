"""Reading and writing a session in cookie parts, shared by the Flask and
Starlette integrations (SPEC.md section 10, and the re-issue rules of
section 3.1)."""

from __future__ import annotations

import logging
from typing import Any

from . import _chunks
from ._codec import Codec, Info
from ._errors import CookiesealError

log = logging.getLogger("cookieseal")


def open_parts(
    codec: Codec, name: str, cookies: list[tuple[str, str]], max_parts: int
) -> tuple[dict[str, Any], Info] | None:
    """The session in the request's cookies (SPEC.md section 10 reading):
    the first candidate that opens into a JSON object; None when there is no
    cookie or none opens (invalid, expired, unknown key, too large)."""
    for c in _chunks.candidates(name, cookies, codec.max_length, max_parts):
        if isinstance(c, CookiesealError):
            continue
        try:
            data, info = codec._open_info(name, c, len(name.encode("utf-8")) + 1 + len(c))
        except CookiesealError as e:
            log.debug("session cookie refused: %s", type(e).__name__)
            continue
        if isinstance(data, dict):
            return dict(data), info
    return None


def _plan(codec: Codec, info: Info | None, changed: bool) -> tuple[int | None, int | None] | None:
    """(issued_at, created_at) to seal with, or None when nothing is to be
    written. A new session: now. A change or a refresh: issued now, created
    kept (max_lifetime still counts from it). Only the key rotated: both
    kept, so a re-issue never extends the session's age."""
    if info is None:
        return (None, None) if changed else None
    now = codec.now()
    rotated = info.key_id != codec.key_ids[0]
    aged = codec.refresh_age > 0 and now - info.issued_at >= codec.refresh_age
    if changed or aged:
        return now, info.created_at
    if rotated:
        return info.issued_at, info.created_at
    return None


def seal_parts(
    codec: Codec,
    name: str,
    data: Any,
    issued: int | None,
    created: int | None,
    max_parts: int,
    max_header_bytes: int,
    request_names: list[str],
) -> tuple[list[tuple[str, str]], list[str]]:
    """The cookies that carry data, and the names of part cookies to
    expire: those the request carries that the new value does not use, or,
    when the request carries none of name's cookies, every part a value
    within the limits could use."""
    limit = len(name.encode("utf-8")) + 1 + max_parts * codec.max_length
    value = codec._seal_plain(name, data, issued, created, limit)
    parts = _chunks.split(name, value, codec.max_length, max_parts, max_header_bytes)
    sent = _chunks.sent_parts(name, request_names)
    if name in request_names or sent:
        stale = [i for i in sent if i >= len(parts)]
    else:
        stale = list(range(len(parts), _chunks.most_parts(name, codec.max_length, max_parts, max_header_bytes)))
    return parts, [_chunks.part_name(name, i) for i in stale]
