"""Strict JSON for cookieseal payloads (SPEC.md, "JSON strictness").

The standard library's json.loads is lenient where the format is not: it
accepts NaN and Infinity, lets the last of duplicate member names win,
accepts lone surrogate escapes, turns 1e400 into inf, and recurses until
Python's recursion limit. This module wraps it so that every rule holds:

1. valid UTF-8 (decoded strictly by the caller's bytes.decode), no BOM;
2. white space only where RFC 8259 allows it (json's own grammar);
3. surrogate escapes only as ordered pairs; raw control characters refused
   (json's strict mode);
4. duplicate member names refused (object_pairs_hook);
5. RFC 8259 numbers only (json's grammar), NaN/Infinity refused
   (parse_constant), numbers that round to an infinite binary64 refused;
6. nesting depth at most 512, checked by a scan before json.loads recurses;
7. nothing but white space after the value (JSONDecoder.decode).

parse() returns a tree of dict, list, str, bool, None and number tokens
(IntToken, FloatToken: the number's text, so that typed values can tell
1 from 1.0); plain() turns such a tree into Python values.
"""

from __future__ import annotations

import json
import math
import re
from itertools import accumulate
from typing import Any, NoReturn

from ._errors import UnsupportedValue

MAX_DEPTH = 512

__all__ = ["MAX_DEPTH", "JSONError", "IntToken", "FloatToken", "parse", "plain", "loads", "dumps"]


class JSONError(ValueError):
    """The payload is not strict JSON; the message says why."""


class IntToken(str):
    """A JSON number written as an integer (no fraction, no exponent)."""

    __slots__ = ()


class FloatToken(str):
    """A JSON number with a fraction or an exponent."""

    __slots__ = ()


def _object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    obj = dict(pairs)
    if len(obj) != len(pairs):
        raise JSONError("duplicate member name in an object")
    return obj


def _constant(name: str) -> NoReturn:
    raise JSONError(f"{name} is not JSON")


def _float_token(s: str) -> FloatToken:
    if math.isinf(float(s)):
        raise JSONError("number rounds to an infinite binary64")
    return FloatToken(s)


# An integer token of at most 308 characters is below 10^308, so finite; from
# 309 on (2e308 has 309 digits) it may round to infinity.
_INT_FINITE_LEN = 308


def _int_token(s: str) -> IntToken:
    if len(s) > _INT_FINITE_LEN and math.isinf(float(s)):
        raise JSONError("number rounds to an infinite binary64")
    return IntToken(s)


def _plain_float(s: str) -> float:
    x = float(s)
    if math.isinf(x):
        raise JSONError("number rounds to an infinite binary64")
    return x


def _plain_int(s: str) -> int:
    if len(s) <= _INT_FINITE_LEN:
        return int(s)
    if math.isinf(float(s)):
        raise JSONError("number rounds to an infinite binary64")
    return parse_int(s)


# Two decoders: one keeps numbers as tokens (typed values and session
# values need to tell 1 from 1.0 and -0), one gives Python numbers.
_token_decoder = json.JSONDecoder(
    object_pairs_hook=_object,
    parse_int=_int_token,
    parse_float=_float_token,
    parse_constant=_constant,
    strict=True,
)
_plain_decoder = json.JSONDecoder(
    object_pairs_hook=_object,
    parse_int=_plain_int,
    parse_float=_plain_float,
    parse_constant=_constant,
    strict=True,
)

# The plain decoder's fast path: integers through the C scanner's own int()
# (no Python call per integer), one Python call per object (the duplicate
# check) and per number with a fraction or exponent (_plain_float: is it
# finite), none otherwise. An integer may round to an infinite binary64 only
# from 309 digits on, and int() refuses more than 4300: a text with a run of
# 309 digits anywhere (_has_long_digit_run) takes _plain_decoder, which
# checks every number. parse_constant refuses NaN and Infinity; it is called
# only when one appears.
_fast_plain_decoder = json.JSONDecoder(
    object_pairs_hook=_object, parse_float=_plain_float, parse_constant=_constant, strict=True
)
# bytes.translate tables (C loops): digits to "0", everything else to " ".
_DIGITS = bytes(0x30 if 0x30 <= c <= 0x39 else 0x20 for c in range(256))
_DIGIT_RUN = b"0" * (_INT_FINITE_LEN + 1)


def _has_long_digit_run(data: bytes) -> bool:
    """Whether data holds 309 decimal digits in a row (inside a string or
    not)."""
    return len(data) > _INT_FINITE_LEN and _DIGIT_RUN in data.translate(_DIGITS)


# A JSON string, unrolled so that the regex engine does not backtrack.
_STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"', re.S)
_NOT_BRACKET = re.compile(r"[^\[\]{}]+")
_SURROGATE = re.compile("[\ud800-\udfff]")
# Only a \uD800-\uDFFF escape can put a surrogate into a parsed string (the
# UTF-8 decoder refuses encoded ones); without one, no string needs a look.
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")
_DELTA = {"[": 1, "{": 1, "]": -1, "}": -1}


def check_depth(text: str) -> None:
    """Refuse text whose arrays and objects nest deeper than MAX_DEPTH.

    Brackets inside strings do not count. On text that is not JSON the count
    may be off, but only past the point where json.loads fails anyway, so
    json.loads never recurses deeper than MAX_DEPTH levels.
    """
    if text.count("[") + text.count("{") <= MAX_DEPTH:
        return
    brackets = _NOT_BRACKET.sub("", _STRING.sub("", text))
    if brackets and max(accumulate(map(_DELTA.__getitem__, brackets))) > MAX_DEPTH:
        raise JSONError(f"nested deeper than {MAX_DEPTH} levels")


def parse(data: bytes, tokens: bool = True) -> Any:
    """Parse one strict JSON text: with tokens, into a tree whose numbers
    are IntToken/FloatToken; without, into Python values (int, float)."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise JSONError("not valid UTF-8") from None
    check_depth(text)
    if tokens:
        decoder = _token_decoder
    elif _has_long_digit_run(data):
        decoder = _plain_decoder
    else:
        decoder = _fast_plain_decoder
    try:
        tree = decoder.decode(text)
    except json.JSONDecodeError as e:
        raise JSONError(f"not JSON: {e.msg} at offset {e.pos}") from None
    except RecursionError:  # pragma: no cover - check_depth prevents it
        raise JSONError(f"nested deeper than {MAX_DEPTH} levels") from None
    if _SURROGATE_ESCAPE.search(text):
        _check_surrogates(tree)
    return tree


def _check_surrogates(tree: Any) -> None:
    """Refuse lone surrogates. Iterative: a tree 512 levels deep must not
    meet Python's recursion limit."""
    stack = [tree]
    while stack:
        v = stack.pop()
        if isinstance(v, str):
            if not isinstance(v, (IntToken, FloatToken)) and _SURROGATE.search(v):
                raise JSONError("lone or reversed surrogate escape in a string")
        elif isinstance(v, dict):
            for k in v:
                if _SURROGATE.search(k):
                    raise JSONError("lone or reversed surrogate escape in a member name")
            stack.extend(v.values())
        elif isinstance(v, list):
            stack.extend(v)


_DIGITS_CHUNK = 4000  # below sys.get_int_max_str_digits()' default of 4300
_CHUNK_LIMIT = 10**_DIGITS_CHUNK
_FLOAT_SAFE = 10**300  # every int of smaller magnitude converts to a finite float


def parse_int(tok: str) -> int:
    """int(tok) for a JSON integer of any length, without touching
    sys.set_int_max_str_digits."""
    if len(tok) <= _DIGITS_CHUNK:
        return int(tok)
    if tok[0] == "-":
        return -_digits_to_int(tok[1:])
    return _digits_to_int(tok)


def _digits_to_int(d: str) -> int:
    if len(d) <= _DIGITS_CHUNK:
        return int(d)
    low = len(d) // 2
    scale: int = 10**low
    return _digits_to_int(d[:-low]) * scale + _digits_to_int(d[-low:])


def int_to_str(n: int) -> str:
    """str(n) for an int of any size, without the digits limit."""
    if -_CHUNK_LIMIT < n < _CHUNK_LIMIT:
        return int.__repr__(n)
    if n < 0:
        return "-" + _int_to_digits(-n, 0)
    return _int_to_digits(n, 0)


def _int_to_digits(n: int, width: int) -> str:
    # The decimal digits of n >= 0, zero-padded to at least width digits.
    if n < _CHUNK_LIMIT:
        return int.__repr__(n).zfill(width)
    k = max(_DIGITS_CHUNK, n.bit_length() * 30103 // 100000 // 2)
    hi, lo = divmod(n, 10**k)
    return _int_to_digits(hi, max(width - k, 0)) + _int_to_digits(lo, k)


def _plain_scalar(v: Any) -> Any:
    if isinstance(v, IntToken):
        return parse_int(v)
    if isinstance(v, FloatToken):
        return float(v)
    if isinstance(v, str):
        return str(v)
    return v


def plain(tree: Any) -> Any:
    """Turn a parsed tree into Python values in place: integers become int,
    other numbers float. Iterative, like _check_tree."""
    if not isinstance(tree, (dict, list)):
        return _plain_scalar(tree)
    stack: list[Any] = [tree]
    while stack:
        c = stack.pop()
        items = c.items() if isinstance(c, dict) else enumerate(c)
        for k, v in items:
            if isinstance(v, (dict, list)):
                stack.append(v)
            elif isinstance(v, (IntToken, FloatToken)):
                c[k] = _plain_scalar(v)
    return tree


def loads(data: bytes) -> Any:
    """Parse strict JSON into Python values."""
    return parse(data, tokens=False)


# --- sealing ---------------------------------------------------------------

_encode_string = json.encoder.encode_basestring


def _refuse(o: Any) -> NoReturn:
    raise TypeError  # the C encoder's default: _dumps_checked says why


# The C encoder as json.dumps(separators=(",", ":"), ensure_ascii=False,
# allow_nan=False, check_circular=False) builds it, made once: no cycle
# markers (a cycle ends in RecursionError, then _dumps_checked). None where
# json has no C accelerator (then dumps is _dumps_checked).
_c_make_encoder: Any = getattr(json.encoder, "c_make_encoder", None)
_c_encode: Any = (
    None if _c_make_encoder is None else _c_make_encoder(None, _refuse, _encode_string, None, ":", ",", False, False, False)
)


# The C encoder writes an int or float dict key as "123", "-1.5", "1e+100",
# and True, False, None as "true", "false", "null". _suspect finds every
# such key in its output with one bytes.translate (a C loop) and a few
# substring searches: after "{" or "," (class "o"), a quote ("q") then a
# digit or "-" ("d"); or one of the three literal names. It also finds a run
# of 309 digits (an int that may round to an infinite binary64). The same
# patterns match some str keys ("1st") and strings in arrays (["a","1"]),
# which then only take the slow path.
def _classes() -> bytes:
    t = bytearray(b"x" * 256)
    for c in b"0123456789-":
        t[c] = ord("d")
    t[ord('"')] = ord("q")
    t[ord("{")] = ord("o")
    t[ord(",")] = ord("o")
    return bytes(t)


_CLASSES = _classes()
_NUMBER_KEY = b"oqd"
_LONG_INT = b"d" * (_INT_FINITE_LEN + 1)


def _suspect(data: bytes) -> bool:
    """Whether the C encoder's output may hold a key that was not a str or
    an int that may round to infinity."""
    t = data.translate(_CLASSES)
    return (
        _NUMBER_KEY in t or _LONG_INT in t or b'"true":' in data or b'"false":' in data or b'"null":' in data
    )


def dumps(value: Any) -> bytes:
    """Serialize value as compact JSON, refusing what an opener would refuse
    or what would not come back equal.

    Accepted: None, bool, int (up to what rounds to an infinite binary64,
    about 1.8e308, as openers refuse more), finite float, str (no lone
    surrogates), list, tuple (written as an array, read back as a list),
    dict with str keys; subclasses of these as their base type. Nested at
    most 512 levels (so a cyclic value is refused, not recursed into).

    The C json encoder writes the text, and guarantees what it can: finite
    floats (allow_nan=False), only these types (anything else calls _refuse),
    RFC 8259 escapes; a lone surrogate fails the UTF-8 encoding. What it does
    not guarantee is checked on its output, in C: the depth (by counting
    brackets, check_depth), and that no key was converted from a non-str
    and no int may round to infinity (_suspect). Anything the fast path
    cannot vouch for, or refuses, goes to _dumps_checked, the element-by-
    element writer, which writes the same bytes or raises the precise error.
    """
    if _c_encode is not None:
        try:
            text = "".join(_c_encode(value, 0))
            data = text.encode("utf-8")
        except (TypeError, ValueError, RecursionError, UnicodeEncodeError):
            return _dumps_checked(value)
        if data.count(b"[") + data.count(b"{") > MAX_DEPTH:
            try:
                check_depth(text)
            except JSONError:
                return _dumps_checked(value)
        if not _suspect(data):
            return data
    return _dumps_checked(value)


def _dumps_checked(value: Any) -> bytes:
    """dumps, one element at a time: the reference for what dumps accepts,
    and the one that says where a value cannot be sealed."""
    out: list[str] = []

    def enc(v: Any, depth: int, path: str) -> None:
        if v is None:
            out.append("null")
        elif v is True:
            out.append("true")
        elif v is False:
            out.append("false")
        elif isinstance(v, str):
            if _SURROGATE.search(v):
                raise UnsupportedValue(f"cookieseal: string with a lone surrogate at {path}")
            out.append(_encode_string(v))
        elif isinstance(v, int):
            try:
                if not -_FLOAT_SAFE < v < _FLOAT_SAFE:
                    float(v)
            except OverflowError:
                raise UnsupportedValue(
                    f"cookieseal: int at {path} rounds to an infinite binary64, which openers refuse"
                ) from None
            out.append(int_to_str(int(v)))
        elif isinstance(v, float):
            if not math.isfinite(v):
                raise UnsupportedValue(f"cookieseal: cannot seal {float(v)!r} at {path}: JSON has no NaN or infinity")
            out.append(float.__repr__(v))
        elif isinstance(v, (list, tuple, dict)):
            if depth >= MAX_DEPTH:
                raise UnsupportedValue(
                    f"cookieseal: value nested deeper than {MAX_DEPTH} levels (or cyclic) at {path}"
                )
            if isinstance(v, dict):
                out.append("{")
                for i, (k, e) in enumerate(v.items()):
                    if not isinstance(k, str):
                        raise UnsupportedValue(
                            f"cookieseal: dict key of type {type(k).__name__} at {path}: JSON object keys are strings"
                        )
                    if _SURROGATE.search(k):
                        raise UnsupportedValue(f"cookieseal: dict key with a lone surrogate at {path}")
                    if i:
                        out.append(",")
                    out.append(_encode_string(k))
                    out.append(":")
                    enc(e, depth + 1, f"{path}[{k!r}]")
                out.append("}")
            else:
                out.append("[")
                for i, e in enumerate(v):
                    if i:
                        out.append(",")
                    enc(e, depth + 1, f"{path}[{i}]")
                out.append("]")
        else:
            raise UnsupportedValue(
                f"cookieseal: cannot seal a {type(v).__name__} at {path}: plain JSON holds "
                "None, bool, int, float, str, list, tuple and dict with str keys"
            )

    enc(value, 0, "value")
    return "".join(out).encode("utf-8")
