"""Cookies in parts (SPEC.md section 10).

A sealed value ``v`` too long for one cookie is cut into parts: for N >= 2
parts the cookie ``name`` holds ``N.`` then part 0, and ``name.k`` holds
part k (k = 1 .. N-1). ``.`` is not in the base64url alphabet, so a one-part
value never has one. Readers read exactly parts 1 .. N-1 and ignore every
other ``name.k``, and try every cookie called ``name`` that the request
carries, those that look sealed first.
"""

from __future__ import annotations

import base64
import binascii
import re
from typing import Iterable, Sequence

from ._errors import CookiesealError, CookieTooLarge, InvalidCookie

DEFAULT_MAX_PARTS = 10
MAX_PARTS_LIMIT = 50  # browsers promise only 50 cookies per domain
DEFAULT_MAX_HEADER_BYTES = 3072  # SPEC 10: one cookie by default, parts opt-in

_DECIMAL = re.compile(r"0|[1-9][0-9]*")
_PART_SUFFIX = re.compile(r"[1-9][0-9]*")
_SEALED_HEAD = re.compile(r"[A-Za-z0-9_-]{8}")


def part_name(name: str, i: int) -> str:
    """The cookie that holds part i: name for part 0, then name.1, name.2 ..."""
    return name if i == 0 else f"{name}.{i}"


def part_index(name: str, cookie_name: str) -> int:
    """k >= 1 if cookie_name is name.k with k in canonical decimal, else 0."""
    prefix = name + "."
    if not cookie_name.startswith(prefix) or not _PART_SUFFIX.fullmatch(cookie_name[len(prefix) :]):
        return 0
    return int(cookie_name[len(prefix) :])


def _size(cookie_name: str, value: str) -> int:
    return len(cookie_name.encode("utf-8")) + 1 + len(value.encode("utf-8"))


def split(name: str, value: str, max_length: int, max_parts: int, max_header_bytes: int) -> list[tuple[str, str]]:
    """(cookie name, cookie value) pairs that carry value: the fewest parts
    when every cookie is filled to max_length, name, "=" and "N." counted.
    CookieTooLarge when that takes more than max_parts cookies or more than
    max_header_bytes of Cookie header."""
    parts: list[tuple[str, str]] | None = None
    if _size(name, value) <= max_length:
        parts = [(name, value)]
    else:
        for n in range(2, max_parts + 1):
            prefix = f"{n}."
            rooms = [max_length - _size(part_name(name, i), "") for i in range(n)]
            rooms[0] -= len(prefix)
            if min(rooms) > 0 and sum(rooms) >= len(value):
                parts, rest = [], value
                for i, room in enumerate(rooms):
                    parts.append((part_name(name, i), (prefix if i == 0 else "") + rest[:room]))
                    rest = rest[room:]
                break
    if parts is None:
        raise CookieTooLarge(f"cookieseal: cookie {name!r}: the value needs more than {max_parts} cookies of {max_length} bytes")
    header = sum(_size(n, v) for n, v in parts) + 2 * (len(parts) - 1)
    if header > max_header_bytes:
        raise CookieTooLarge(f"cookieseal: cookie {name!r}: {header} bytes of Cookie header, budget {max_header_bytes}")
    return parts


def most_parts(name: str, max_length: int, max_parts: int, max_header_bytes: int) -> int:
    """The most cookies a value within these limits can take: k parts are
    k-1 full cookies and a last one of at least one character, plus the
    "; " between them."""
    n = 1
    for k in range(2, max_parts + 1):
        if (k - 1) * max_length + _size(part_name(name, k - 1), "x") + 2 * (k - 1) > max_header_bytes:
            break
        n = k
    return n


def looks_sealed(value: str) -> bool:
    """SPEC 10 reading step 2: after an optional "D." (D >= 2), the first 8
    characters decode to a v1 header with no unknown flag bit."""
    head = value
    d, dot, rest = value.partition(".")
    if dot and _DECIMAL.fullmatch(d) and int(d) >= 2:
        head = rest
    if not _SEALED_HEAD.match(head):
        return False
    try:
        raw = base64.urlsafe_b64decode(head[:8])
    except (binascii.Error, ValueError):  # pragma: no cover - the regex allows only the alphabet
        return False
    return raw[0] == 0x01 and raw[5] & 0xF8 == 0


def assemble(name: str, first: str, cookies: Sequence[tuple[str, str]], max_length: int, max_parts: int) -> str:
    """SPEC 10 reading step 3 for one candidate value of the cookie name."""
    if _size(name, first) > max_length:
        raise CookieTooLarge(f"cookieseal: cookie {name!r} is over {max_length} bytes with its name")
    if "." not in first:
        return first
    d, _, p0 = first.partition(".")
    if not _DECIMAL.fullmatch(d) or int(d) < 2:
        raise InvalidCookie(f"cookieseal: invalid cookie: {name}: bad part count")
    if len(d) > len(str(max_parts)) or int(d) > max_parts:
        raise CookieTooLarge(f"cookieseal: cookie {name!r}: more than {max_parts} parts")
    if not p0:
        raise InvalidCookie(f"cookieseal: invalid cookie: {name}: part 0 is empty")
    found: dict[str, str] = {}
    for n, v in cookies:
        found.setdefault(n, v)
    pieces = [p0]
    for k in range(1, int(d)):
        pn = part_name(name, k)
        p = found.get(pn)
        if p is None:
            raise InvalidCookie(f"cookieseal: invalid cookie: {name}: part {k} of {d} is missing")
        if not p:
            raise InvalidCookie(f"cookieseal: invalid cookie: {name}: part {k} is empty")
        if _size(pn, p) > max_length:
            raise CookieTooLarge(f"cookieseal: cookie {pn!r} is over {max_length} bytes with its name")
        pieces.append(p)
    return "".join(pieces)


def candidates(
    name: str, cookies: Sequence[tuple[str, str]], max_length: int, max_parts: int
) -> list[str | CookiesealError]:
    """The assembled values of every cookie called name, in the order a
    reader tries them (those that look sealed first, then request order),
    or the error that stopped each. [] when there is no cookie name."""
    firsts = [v for n, v in cookies if n == name]
    ordered = [v for v in firsts if looks_sealed(v)] + [v for v in firsts if not looks_sealed(v)]
    out: list[str | CookiesealError] = []
    for h in ordered:
        try:
            out.append(assemble(name, h, cookies, max_length, max_parts))
        except CookiesealError as e:
            out.append(e)
    return out


def sent_parts(name: str, cookie_names: Iterable[str]) -> list[int]:
    """The part numbers (1 and up) of name among cookie_names."""
    return sorted({i for c in cookie_names if (i := part_index(name, c))})


def parse_cookie_header(header: str) -> list[tuple[str, str]]:
    """The (name, value) pairs of a Cookie request header, in order,
    duplicates kept (a dict would keep only one of two cookies called name)."""
    out = []
    for item in header.split(";"):
        n, eq, v = item.strip().partition("=")
        if eq:
            v = v.strip()
            if len(v) >= 2 and v[0] == v[-1] == '"':
                v = v[1:-1]
            out.append((n.strip(), v))
    return out
