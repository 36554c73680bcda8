"""Cookies in parts (SPEC.md section 10).

A sealed value ``v`` too long for one cookie is cut into parts: for N >= 2
parts the cookie ``name`` holds ``N.`` then part 0, and ``name.k`` holds
part k (k = 1 .. N-1). ``.`` is not in the base64url alphabet, so a one-part
value never has one. Readers read exactly parts 1 .. N-1 and ignore every
other ``name.k``. Reading is bounded (SESSIONS.md S4): the heads are
de-duplicated, those that look sealed come first, each part keeps at most
two values, and at most four attempts are assembled and opened whatever
the request carries.
"""

from __future__ import annotations

import base64
import re
from typing import Iterable, Mapping, Sequence

from ._errors import CookiesealError, CookieTooLarge, InvalidCookie

DEFAULT_MAX_PARTS = 10
MAX_PARTS_LIMIT = 50  # browsers promise only 50 cookies per domain
DEFAULT_MAX_HEADER_BYTES = 3072  # SPEC 10: one cookie by default, parts opt-in

_DECIMAL = re.compile(r"0|[1-9][0-9]*")
_PART_SUFFIX = re.compile(r"[1-9][0-9]*")
_SEALED_HEAD = re.compile(r"[A-Za-z0-9_-]{8}")
_LIMIT_DIGITS = len(str(MAX_PARTS_LIMIT))


def part_name(name: str, i: int) -> str:
    """The cookie that holds part i: name for part 0, then name.1, name.2 ..."""
    return name if i == 0 else f"{name}.{i}"


def part_index(name: str, cookie_name: str) -> int:
    """k >= 1 if cookie_name is name.k with k in canonical decimal and
    below MAX_PARTS_LIMIT (no writer uses more), else 0. The digits are
    bounded before int(), which refuses strings of more than 4,300."""
    prefix = name + "."
    if not cookie_name.startswith(prefix):
        return 0
    suffix = cookie_name[len(prefix) :]
    if len(suffix) > _LIMIT_DIGITS or not _PART_SUFFIX.fullmatch(suffix):
        return 0
    k = int(suffix)
    return k if k < MAX_PARTS_LIMIT else 0


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


def _count(d: str) -> bool:
    """d is a part count: canonical decimal, at least 2 (no int() call:
    a count of 5,000 digits must cost no more than one of 1)."""
    return bool(_DECIMAL.fullmatch(d)) and (len(d) > 1 or d >= "2")


def looks_sealed(value: str) -> bool:
    """SPEC 10 reading step 2: after an optional "D." (D >= 2), the first 8
    characters decode to a v1 header with no unknown flag bit."""
    head = value
    d, dot, rest = value.partition(".")
    if dot and _count(d):
        head = rest
    if not _SEALED_HEAD.match(head):
        return False
    # Eight characters of the alphabet always decode (to six bytes).
    raw = base64.urlsafe_b64decode(head[:8])
    return raw[0] == 0x01 and raw[5] & 0xF8 == 0


def assemble(name: str, first: str, parts: Mapping[int, str], max_length: int, max_parts: int) -> str:
    """SPEC 10 reading step 5 (SESSIONS.md S4.5) for one attempt: the head
    first and the value parts[k] of each part k. Sizes are in bytes: the
    name is a token and every value passed the header grammar (S2), so
    both are ASCII and one character is one byte."""
    if _size(name, first) > max_length:
        raise CookieTooLarge(f"cookieseal: cookie {name!r} is over {max_length} bytes with its name")
    if "." not in first:
        return first
    d, _, p0 = first.partition(".")
    if not _count(d):
        raise InvalidCookie(f"cookieseal: invalid cookie: {name}: bad part count")
    if len(d) > len(str(max_parts)) or int(d) > max_parts:
        raise CookieTooLarge(f"cookieseal: cookie {name!r}: more than {max_parts} parts")
    if not p0:
        raise InvalidCookie(f"cookieseal: invalid cookie: {name}: part 0 is empty")
    pieces = [p0]
    for k in range(1, int(d)):
        pn = part_name(name, k)
        p = parts.get(k)
        if p is None:
            raise InvalidCookie(f"cookieseal: invalid cookie: {name}: part {k} of {d} is missing")
        if not p:
            raise InvalidCookie(f"cookieseal: invalid cookie: {name}: part {k} is empty")
        if _size(pn, p) > max_length:
            raise CookieTooLarge(f"cookieseal: cookie {pn!r} is over {max_length} bytes with its name")
        pieces.append(p)
    return "".join(pieces)


#: The most attempts one read makes (SESSIONS.md S4.4).
MAX_ATTEMPTS = 4


def attempts(name: str, cookies: Sequence[tuple[str, str]], max_parts: int) -> list[tuple[str, dict[int, str]]]:
    """SESSIONS.md S4.1-S4.4: the (head, parts) pairs a reader assembles,
    in order, at most MAX_ATTEMPTS. [] when no cookie is called name."""
    heads: dict[str, None] = {}  # insertion-ordered set: exact duplicates removed
    kept: dict[int, list[str]] = {}
    prefix = name + "."
    for n, v in cookies:
        if n == name:
            heads.setdefault(v, None)
        elif n.startswith(prefix):
            k = part_index(name, n)
            if 0 < k < max_parts:
                vs = kept.setdefault(k, [])
                if len(vs) < 2 and v not in vs:
                    vs.append(v)
    ordered = [h for h in heads if looks_sealed(h)] + [h for h in heads if not looks_sealed(h)]
    first = {k: vs[0] for k, vs in kept.items()}
    out: list[tuple[str, dict[int, str]]] = []
    for h in ordered:
        if len(out) >= MAX_ATTEMPTS:
            break
        out.append((h, first))
        d, dot, _ = h.partition(".")
        if not dot or not _DECIMAL.fullmatch(d):
            continue
        # A count of any size (over max_parts too, which then fails as too
        # large) makes attempt B when a part below it has a second value;
        # kept parts are below max_parts, so a long count is never int()ed.
        count = int(d) if len(d) <= _LIMIT_DIGITS else MAX_PARTS_LIMIT
        if any(len(vs) > 1 for k, vs in kept.items() if k < count) and len(out) < MAX_ATTEMPTS:
            out.append((h, {k: vs[-1] for k, vs in kept.items()}))
    return out


def candidates(
    name: str, cookies: Sequence[tuple[str, str]], max_length: int, max_parts: int
) -> list[str | CookiesealError]:
    """The assembled value of every attempt (SESSIONS.md S4.4), in the order
    a reader opens them, or the error that stopped each. [] when there is no
    cookie name."""
    out: list[str | CookiesealError] = []
    for h, parts in attempts(name, cookies, max_parts):
        try:
            out.append(assemble(name, h, parts, max_length, max_parts))
        except CookiesealError as e:
            out.append(e)
    return out


def sent_parts(name: str, cookie_names: Iterable[str]) -> list[int]:
    """The part numbers (1 to MAX_PARTS_LIMIT - 1) of name among cookie_names."""
    return sorted({i for c in cookie_names if (i := part_index(name, c))})


_TOKEN = re.compile(r"[!#$%&'*+\-.^_`|~0-9A-Za-z]+")
_COOKIE_VALUE = re.compile(r"[\x20\x21\x23-\x3a\x3c-\x5b\x5d-\x7e]*")
_OWS = " \t"  # SP and HTAB, nothing else (never str.strip(): it removes U+00A0 and U+0085)


def is_token(s: str) -> bool:
    """RFC 9110 token: one or more of !#$%&'*+-.^_`|~, digits, ASCII letters."""
    return bool(_TOKEN.fullmatch(s))


def parse_cookie_header(header: str) -> list[tuple[str, str]]:
    """SESSIONS.md S2: the (name, value) pairs of a Cookie request header,
    in order, duplicates kept. header holds one character per byte (U+0000
    to U+00FF, as WSGI and ASGI give it); several Cookie fields are joined
    with "; " before. Only SP and HTAB are trimmed; a piece whose name is
    not a token, or whose value holds a byte outside 0x20-0x7E or ", ; or
    \\ (after removing one pair of surrounding quotes), is skipped."""
    out = []
    for item in header.split(";"):
        n, eq, v = item.strip(_OWS).partition("=")
        if not eq:
            continue
        n, v = n.strip(_OWS), v.strip(_OWS)
        if not _TOKEN.fullmatch(n):
            continue
        if len(v) >= 2 and v[0] == v[-1] == '"':
            v = v[1:-1]
        if not _COOKIE_VALUE.fullmatch(v):
            continue
        out.append((n, v))
    return out


_PART_SUFFIX_END = re.compile(r".*\.[0-9]+", re.DOTALL)


def ends_in_part_suffix(name: str) -> bool:
    """name ends in "." and one or more digits, as the names of parts do
    (SESSIONS.md S3.1)."""
    return bool(_PART_SUFFIX_END.fullmatch(name))
