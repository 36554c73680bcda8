"""Cookies in parts (SPEC.md, "Cookies in parts"; DECISIONS: chunk layout).

A sealed value too long for one cookie is split: part 0 goes in the cookie
``name``, parts 1.. in ``name.1``, ``name.2`` ... For a value in N >= 2
parts, the cookie ``name`` holds N in canonical decimal, then ``.``, then
part 0 (``.`` is not in the base64url alphabet, so a one-part value is never
mistaken for it). A reader reads exactly parts 1..N-1 and ignores every
other ``name.k``, so stale or planted parts cannot strand a session.

Every part but the last fills its cookie to max_length exactly (name, "="
and the count prefix included).
"""

from __future__ import annotations

import re
from typing import Callable, Iterable

from ._errors import CookieTooLarge, InvalidCookie

DEFAULT_MAX_CHUNKS = 10
MAX_CHUNKS_LIMIT = 50  # browsers promise only 50 cookies per domain
MIN_CHUNK_ROOM = 64

_COUNT = re.compile(r"[1-9][0-9]{0,2}")


def part_name(name: str, i: int) -> str:
    """The cookie that holds part i: name for part 0, then name.1, name.2 ..."""
    return name if i == 0 else f"{name}.{i}"


def part_index(name: str, cookie_name: str) -> int:
    """i >= 1 if cookie_name is part_name(name, i) in canonical decimal, else 0."""
    prefix = name + "."
    if not cookie_name.startswith(prefix):
        return 0
    suffix = cookie_name[len(prefix) :]
    if not _COUNT.fullmatch(suffix):
        return 0
    return int(suffix)


def _room(name: str, i: int, max_length: int) -> int:
    return max_length - len(part_name(name, i).encode("utf-8")) - 1


def capacity(name: str, max_length: int, max_chunks: int) -> int:
    """The longest sealed value that fits in max_chunks cookies (count
    prefix included), in bytes."""
    if max_chunks == 1:
        return _room(name, 0, max_length)
    prefix = len(str(max_chunks)) + 1
    return sum(_room(name, i, max_length) for i in range(max_chunks)) - prefix


def split(name: str, value: str, max_length: int, max_chunks: int) -> list[tuple[str, str]]:
    """(cookie name, cookie value) pairs that carry value; CookieTooLarge if
    it needs more than max_chunks cookies."""
    if len(value) <= _room(name, 0, max_length):
        return [(name, value)]
    for n in range(2, max_chunks + 1):
        prefix = f"{n}."
        rooms = [_room(name, i, max_length) for i in range(n)]
        rooms[0] -= len(prefix)
        if sum(rooms) >= len(value) and min(rooms) > 0:
            parts: list[tuple[str, str]] = []
            rest = value
            for i, room in enumerate(rooms):
                parts.append((part_name(name, i), (prefix if i == 0 else "") + rest[:room]))
                rest = rest[room:]
            if parts[-1][1] == "":
                continue  # would leave an empty last part: take fewer parts next time round
            return parts
    raise CookieTooLarge(
        f"cookieseal: cookie {name!r} is {len(value)} bytes, more than {max_chunks} cookies of {max_length} bytes hold"
    )


def join(name: str, get: Callable[[str], str | None], max_chunks: int) -> str | None:
    """The value carried by the cookie name and its parts, as get(cookie
    name) reports them; None when there is no cookie name. A count that is
    not canonical or over max_chunks, or a missing or empty part, is
    InvalidCookie."""
    first = get(name)
    if first is None:
        return None
    if "." not in first:
        return first
    count, part0 = first.split(".", 1)
    if not _COUNT.fullmatch(count) or not 2 <= int(count) <= max_chunks:
        raise InvalidCookie(f"cookieseal: invalid cookie: {name}: bad part count")
    pieces = [part0]
    for i in range(1, int(count)):
        p = get(part_name(name, i))
        if not p:
            raise InvalidCookie(f"cookieseal: invalid cookie: {name}: part {i} of {count} is missing")
        pieces.append(p)
    return "".join(pieces)


def sent_parts(name: str, cookie_names: Iterable[str]) -> list[int]:
    """The part numbers (1 and up) of name among cookie_names."""
    return sorted({i for c in cookie_names if (i := part_index(name, c))})
