"""Typed values (SPEC.md section 6): session values that keep their types
across Go (gorilla/sessions' map[interface{}]interface{}), JavaScript and
Python.

Python types and their typed form:

=====================  ==============================================
Python                 typed JSON
=====================  ==============================================
None, bool, str        null, true/false, a string
int (int64 range)      a bare integer (Go int)
float                  {"float64": N}
Float32                {"float32": N}
Int8 ... Int64         {"int8": N} ... {"int64": N}
Uint, Uint8 ... Uint64 {"uint": N}, {"uint8": N} ... {"uint64": N}
bytes, bytearray       {"bytes": "standard base64"} (opens as bytes)
Time, aware datetime   {"time": "RFC 3339"} (opens as Time)
list                   an array
Strings, Ints          {"strings": [...]}, {"ints": [...]}
dict (str keys)        {"object": {...}}
Map                    {"map": {...}} or {"map": [[K, V], ...]}
=====================  ==============================================

A tuple, a naive datetime, a set or any other type is refused when sealing
(UnsupportedValue), so that what opens is always equal to what was sealed.

Python's dict cannot hold True, 1, 1.0 and Int8(1) as different keys; a
typed map whose keys differ only that way opens as InvalidCookie in Python
(in the format they are different keys).
"""

from __future__ import annotations

import base64
import binascii
import datetime as _dt
import math
import re
import struct
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, ClassVar

from ._errors import UnsupportedValue
from ._json import MAX_DEPTH, FloatToken, IntToken, JSONError

__all__ = [
    "Map",
    "Strings",
    "Ints",
    "Float32",
    "Int8",
    "Int16",
    "Int32",
    "Int64",
    "Uint",
    "Uint8",
    "Uint16",
    "Uint32",
    "Uint64",
    "Time",
]

INT64_MIN, INT64_MAX = -(1 << 63), (1 << 63) - 1


class Map(dict):  # type: ignore[type-arg]
    """A map with keys of any scalar typed value (Go map[interface{}]interface{}).
    The session values themselves are a Map."""

    __slots__ = ()

    def __repr__(self) -> str:
        return f"Map({dict.__repr__(self)})"


class Strings(list):  # type: ignore[type-arg]
    """A list of str that seals as {"strings": [...]} (Go []string)."""

    __slots__ = ()

    def __repr__(self) -> str:
        return f"Strings({list.__repr__(self)})"


class Ints(list):  # type: ignore[type-arg]
    """A list of int64 that seals as {"ints": [...]} (Go []int)."""

    __slots__ = ()

    def __repr__(self) -> str:
        return f"Ints({list.__repr__(self)})"


class _Sized(int):
    tag: ClassVar[str]
    lo: ClassVar[int]
    hi: ClassVar[int]

    def __new__(cls, value: int = 0) -> _Sized:
        if isinstance(value, bool) or not isinstance(value, int):
            raise TypeError(f"{cls.__name__} takes an int, not {type(value).__name__}")
        if not cls.lo <= value <= cls.hi:
            raise ValueError(f"{value} is outside {cls.__name__} ({cls.lo} to {cls.hi})")
        return super().__new__(cls, value)

    def __repr__(self) -> str:
        return f"{type(self).__name__}({int.__repr__(self)})"


def _sized(name: str, tag: str, bits: int, signed: bool) -> type[_Sized]:
    lo, hi = (-(1 << (bits - 1)), (1 << (bits - 1)) - 1) if signed else (0, (1 << bits) - 1)
    return type(name, (_Sized,), {"tag": tag, "lo": lo, "hi": hi, "__slots__": (), "__doc__": f"Go {tag}: seals as {{{tag!r}: N}}."})


Int8 = _sized("Int8", "int8", 8, True)
Int16 = _sized("Int16", "int16", 16, True)
Int32 = _sized("Int32", "int32", 32, True)
Int64 = _sized("Int64", "int64", 64, True)
Uint = _sized("Uint", "uint", 64, False)
Uint8 = _sized("Uint8", "uint8", 8, False)
Uint16 = _sized("Uint16", "uint16", 16, False)
Uint32 = _sized("Uint32", "uint32", 32, False)
Uint64 = _sized("Uint64", "uint64", 64, False)
_SIZED: dict[str, type[_Sized]] = {c.tag: c for c in (Int8, Int16, Int32, Int64, Uint, Uint8, Uint16, Uint32, Uint64)}

_F32 = struct.Struct("<f")


def _to_float32(x: float) -> float:
    """Round a binary64 to the nearest binary32 (ties to even)."""
    return float(_F32.unpack(_F32.pack(x))[0])


class Float32(float):
    """A binary32 float (Go float32): seals as {"float32": N}."""

    __slots__ = ()

    def __new__(cls, value: float = 0.0) -> Float32:
        x = float(value)
        if not math.isfinite(x):
            raise ValueError("Float32 must be finite")
        try:
            y = _to_float32(x)
        except OverflowError:
            raise ValueError(f"{x!r} is outside float32") from None
        return super().__new__(cls, y)

    def __repr__(self) -> str:
        return f"Float32({_format_float(float(self), 32)})"


_DAYS = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def _leap(y: int) -> bool:
    return y % 4 == 0 and (y % 100 != 0 or y % 400 == 0)


_TIME = re.compile(
    r"(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(?:(Z)|([+-])(\d{2}):(\d{2}))",
    re.ASCII,
)


@dataclass(frozen=True, order=False)
class Time:
    """An instant with its UTC offset (Go time.Time without the zone name),
    to the nanosecond, years 0000 to 9999. Two Times are equal when both the
    instant and the offset are."""

    year: int
    month: int
    day: int
    hour: int = 0
    minute: int = 0
    second: int = 0
    nanosecond: int = 0
    offset_minutes: int = 0

    def __post_init__(self) -> None:
        if not (
            0 <= self.year <= 9999
            and 1 <= self.month <= 12
            and 1 <= self.day <= (29 if self.month == 2 and _leap(self.year) else _DAYS[self.month - 1])
            and 0 <= self.hour <= 23
            and 0 <= self.minute <= 59
            and 0 <= self.second <= 59
            and 0 <= self.nanosecond <= 999_999_999
            and -(24 * 60) < self.offset_minutes < 24 * 60
        ):
            raise ValueError("time outside the typed form (year 0000-9999, offset within 24 hours, no leap second)")

    @classmethod
    def parse(cls, s: str) -> Time:
        """Parse the RFC 3339 form the format allows; ValueError otherwise."""
        m = _TIME.fullmatch(s)
        if not m:
            raise ValueError("not an RFC 3339 time with an explicit offset")
        y, mo, d, h, mi, sec, frac, z, sign, oh, om = m.groups()
        off = 0
        if not z:
            if int(om) > 59:
                raise ValueError("offset minutes over 59")
            off = int(oh) * 60 + int(om)
            if sign == "-":
                off = -off
        ns = int((frac or "").ljust(9, "0"))
        return cls(int(y), int(mo), int(d), int(h), int(mi), int(sec), ns, off)

    @classmethod
    def from_datetime(cls, dt: _dt.datetime) -> Time:
        """A Time from an aware datetime; a naive one is refused."""
        off = dt.utcoffset()
        if off is None:
            raise UnsupportedValue("cookieseal: a naive datetime has no UTC offset; attach a tzinfo")
        secs = off.days * 86400 + off.seconds
        if off.microseconds or secs % 60:
            raise UnsupportedValue("cookieseal: a UTC offset must be whole minutes")
        return cls(dt.year, dt.month, dt.day, dt.hour, dt.minute, dt.second, dt.microsecond * 1000, secs // 60)

    def to_datetime(self) -> _dt.datetime:
        """An aware datetime; nanoseconds below a microsecond are dropped,
        and year 0 (which datetime lacks) raises ValueError."""
        tz = _dt.timezone(_dt.timedelta(minutes=self.offset_minutes))
        return _dt.datetime(self.year, self.month, self.day, self.hour, self.minute, self.second, self.nanosecond // 1000, tz)

    def __str__(self) -> str:
        """RFC 3339 as Go's time.RFC3339Nano writes it."""
        s = f"{self.year:04d}-{self.month:02d}-{self.day:02d}T{self.hour:02d}:{self.minute:02d}:{self.second:02d}"
        if self.nanosecond:
            s += "." + f"{self.nanosecond:09d}".rstrip("0")
        if self.offset_minutes == 0:
            return s + "Z"
        sign = "-" if self.offset_minutes < 0 else "+"
        h, m = divmod(abs(self.offset_minutes), 60)
        return f"{s}{sign}{h:02d}:{m:02d}"


# --- float formatting, as Go's strconv.FormatFloat(f, 'g', -1, bits) ---------


def _shortest(x: float, bits: int) -> str:
    """The shortest decimal (in any notation) that rounds back to x."""
    if bits == 64:
        return repr(x)
    for p in range(1, 10):
        s = "%.*e" % (p - 1, x)
        if _to_float32(float(s)) == x:
            return s
    return "%.8e" % x  # pragma: no cover - 9 digits always round-trip a float32


def _format_float(x: float, bits: int) -> str:
    if x == 0:
        return "-0" if math.copysign(1, x) < 0 else "0"
    neg = x < 0
    t = Decimal(_shortest(abs(x), bits)).as_tuple()
    all_digits = "".join(map(str, t.digits))
    digits = all_digits.rstrip("0")
    exp = int(t.exponent) + len(all_digits) - len(digits)
    dp = len(digits) + exp  # the decimal point sits after dp digits
    e10 = dp - 1
    if e10 < -4 or e10 >= 6:
        m = digits[0] + ("." + digits[1:] if len(digits) > 1 else "")
        s = f"{m}e{'-' if e10 < 0 else '+'}{abs(e10):02d}"
    elif dp <= 0:
        s = "0." + "0" * -dp + digits
    elif dp >= len(digits):
        s = digits + "0" * (dp - len(digits))
    else:
        s = digits[:dp] + "." + digits[dp:]
    return "-" + s if neg else s


# --- strings --------------------------------------------------------------

_ESCAPES = {i: f"\\u{i:04x}" for i in range(0x20)}
_ESCAPES.update({ord('"'): '\\"', ord("\\"): "\\\\", ord("\n"): "\\n", ord("\r"): "\\r", ord("\t"): "\\t"})
_SURROGATE = re.compile("[\ud800-\udfff]")


def _string(s: str, path: str) -> str:
    if _SURROGATE.search(s):
        raise UnsupportedValue(f"cookieseal: string with a lone surrogate at {path}")
    return '"' + s.translate(_ESCAPES) + '"'


_BASE64_STD = re.compile(r"(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?", re.ASCII)


def _decode_std_base64(s: str) -> bytes:
    if not _BASE64_STD.fullmatch(s):
        raise JSONError("bytes tag: not padded standard base64")
    try:
        b = base64.b64decode(s, validate=True)
    except binascii.Error:  # pragma: no cover - the regex refuses it first
        raise JSONError("bytes tag: not base64") from None
    if base64.b64encode(b).decode("ascii") != s:
        raise JSONError("bytes tag: non-zero unused bits")
    return b


# --- encoding -------------------------------------------------------------


def encode(values: Any) -> bytes:
    """The canonical typed form of values (a Map or dict becomes the
    top-level map tag)."""
    if not isinstance(values, dict):
        raise UnsupportedValue(f"cookieseal: session values must be a dict or Map, not {type(values).__name__}")
    out: list[str] = []
    _encode_map(values, out, 1, "values")
    return "".join(out).encode("utf-8")


def _check_depth(depth: int, path: str) -> None:
    if depth > MAX_DEPTH:
        raise UnsupportedValue(f"cookieseal: value nested deeper than {MAX_DEPTH} levels (or cyclic) at {path}")


def _encode(v: Any, out: list[str], depth: int, path: str) -> None:
    # depth: the JSON nesting level this value's own bracket would open.
    if v is None:
        out.append("null")
    elif v is True or v is False:
        out.append("true" if v else "false")
    elif isinstance(v, str):
        out.append(_string(v, path))
    elif isinstance(v, _Sized):
        _check_depth(depth, path)
        out.append(f'{{"{v.tag}":{int.__repr__(v)}}}')
    elif isinstance(v, int):
        if not INT64_MIN <= v <= INT64_MAX:
            raise UnsupportedValue(f"cookieseal: int at {path} is outside int64; the typed form's int is 64 bits")
        out.append(int.__repr__(int(v)))
    elif isinstance(v, float):
        _check_depth(depth, path)
        if not math.isfinite(v):
            raise UnsupportedValue(f"cookieseal: cannot seal {float(v)!r} at {path}")
        tag, bits = ("float32", 32) if isinstance(v, Float32) else ("float64", 64)
        out.append(f'{{"{tag}":{_format_float(float(v), bits)}}}')
    elif isinstance(v, (bytes, bytearray)):
        _check_depth(depth, path)
        out.append('{"bytes":"' + base64.b64encode(bytes(v)).decode("ascii") + '"}')
    elif isinstance(v, (Time, _dt.datetime)):
        _check_depth(depth, path)
        t = v if isinstance(v, Time) else Time.from_datetime(v)
        out.append(f'{{"time":"{t}"}}')
    elif isinstance(v, (Strings, Ints)):
        _check_depth(depth + 1, path)
        if isinstance(v, Strings):
            items = [_string(s, f"{path}[{i}]") if isinstance(s, str) else _bad(s, "Strings", path) for i, s in enumerate(v)]
            out.append('{"strings":[' + ",".join(items) + "]}")
        else:
            for n in v:
                if isinstance(n, bool) or not isinstance(n, int) or not INT64_MIN <= n <= INT64_MAX:
                    _bad(n, "Ints (int64)", path)
            out.append('{"ints":[' + ",".join(int.__repr__(int(n)) for n in v) + "]}")
    elif isinstance(v, list):
        _check_depth(depth, path)
        out.append("[")
        for i, e in enumerate(v):
            if i:
                out.append(",")
            _encode(e, out, depth + 1, f"{path}[{i}]")
        out.append("]")
    elif isinstance(v, Map):
        _encode_map(v, out, depth, path)
    elif isinstance(v, dict):
        _check_depth(depth + 1, path)
        for k in v:
            if not isinstance(k, str):
                raise UnsupportedValue(
                    f"cookieseal: dict key of type {type(k).__name__} at {path}; use cookieseal.Map for non-string keys"
                )
        out.append('{"object":{')
        for i, k in enumerate(sorted(v)):
            if i:
                out.append(",")
            out.append(_string(k, path))
            out.append(":")
            _encode(v[k], out, depth + 2, f"{path}[{k!r}]")
        out.append("}}")
    else:
        raise UnsupportedValue(
            f"cookieseal: cannot seal a {type(v).__name__} at {path} in typed values "
            "(None, bool, str, int, float, bytes, aware datetime, Time, list, dict, Map, Strings, Ints, "
            "Float32, Int8-Int64, Uint-Uint64)"
        )


def _bad(v: Any, what: str, path: str) -> str:
    raise UnsupportedValue(f"cookieseal: {type(v).__name__} in {what} at {path}")


_KEY_TYPES = (type(None), bool, str, int, float, Time, _dt.datetime)


def _encode_map(m: dict, out: list[str], depth: int, path: str) -> None:  # type: ignore[type-arg]
    _check_depth(depth + 1, path)
    if all(isinstance(k, str) for k in m):
        out.append('{"map":{')
        for i, k in enumerate(sorted(m)):
            if i:
                out.append(",")
            out.append(_string(k, path))
            out.append(":")
            _encode(m[k], out, depth + 2, f"{path}[{k!r}]")
        out.append("}}")
        return
    pairs = []
    for k, e in m.items():
        if not isinstance(k, _KEY_TYPES):
            raise UnsupportedValue(f"cookieseal: map key of type {type(k).__name__} at {path}")
        kb: list[str] = []
        _encode(k, kb, depth + 3, f"{path} key")
        pairs.append(("".join(kb), e))
    pairs.sort(key=lambda p: p[0].encode("utf-8"))
    for a, b in zip(pairs, pairs[1:]):
        if a[0] == b[0]:
            raise UnsupportedValue(f"cookieseal: two keys of the map at {path} encode alike")
    out.append('{"map":[')
    for i, (kj, e) in enumerate(pairs):
        if i:
            out.append(",")
        out.append("[")
        out.append(kj)
        out.append(",")
        _encode(e, out, depth + 3, f"{path}[{kj}]")
        out.append("]")
    out.append("]}")


# --- decoding -------------------------------------------------------------


def _int_token(v: Any, lo: int, hi: int, what: str) -> int:
    if not isinstance(v, IntToken):
        raise JSONError(f"{what}: want a JSON integer")
    if v == "-0":
        raise JSONError(f"{what}: -0 is not an integer form")
    if len(v) > 21:
        raise JSONError(f"{what}: out of range")
    n = int(v)
    if not lo <= n <= hi:
        raise JSONError(f"{what}: {n} out of range")
    return n


def _number(v: Any, what: str) -> float:
    if not isinstance(v, (IntToken, FloatToken)):
        raise JSONError(f"{what}: want a number")
    x = float(v)
    if math.isinf(x):
        raise JSONError(f"{what}: rounds to infinity")
    return x


def decode(tree: Any) -> Any:
    """Typed values from a strict-JSON tree (see _json.parse)."""
    return _decode(tree)


def _decode(v: Any) -> Any:
    if v is None or v is True or v is False:
        return v
    if isinstance(v, IntToken):
        return _int_token(v, INT64_MIN, INT64_MAX, "int")
    if isinstance(v, FloatToken):
        raise JSONError("a bare number in typed values must be an integer")
    if isinstance(v, str):
        return v
    if isinstance(v, list):
        out = []
        for e in v:
            out.append(_decode(e))
        return out
    if isinstance(v, dict):
        if len(v) != 1:
            raise JSONError(f"a typed object has {len(v)} members, want 1")
        ((tag, body),) = v.items()
        # map and object are decoded here, not in a helper, so that a
        # 512-level payload costs at most 512 Python frames.
        if tag == "map" and isinstance(body, dict) or tag == "object":
            if not isinstance(body, dict):
                raise JSONError("object tag without an object")
            obj = Map() if tag == "map" else {}
            for k, e in body.items():
                obj[k] = _decode(e)
            return obj
        if tag == "map" and isinstance(body, list):
            m = Map()
            for p in body:
                if not isinstance(p, list) or len(p) != 2:
                    raise JSONError("map entry is not a [key, value] pair")
                k = _decode(p[0])
                if not isinstance(k, (type(None), bool, str, int, float, Time)):
                    raise JSONError(f"map key of type {type(k).__name__}")
                if k in m:
                    raise JSONError("duplicate map key (or keys Python cannot tell apart)")
                m[k] = _decode(p[1])
            return m
        return _decode_tag(tag, body)
    raise JSONError(f"unexpected {type(v).__name__}")  # pragma: no cover


def _decode_tag(tag: str, body: Any) -> Any:
    if tag == "map":
        raise JSONError("map tag without an object or array")
    if tag == "strings":
        if not isinstance(body, list) or not all(type(e) is str for e in body):
            raise JSONError("strings tag without an array of strings")
        return Strings(body)
    if tag == "ints":
        if not isinstance(body, list):
            raise JSONError("ints tag without an array")
        return Ints(_int_token(e, INT64_MIN, INT64_MAX, "ints") for e in body)
    if tag == "bytes":
        if type(body) is not str:
            raise JSONError("bytes tag without a string")
        return _decode_std_base64(body)
    if tag == "time":
        if type(body) is not str:
            raise JSONError("time tag without a string")
        try:
            return Time.parse(body)
        except ValueError as e:
            raise JSONError(f"time tag: {e}") from None
    if tag == "float64":
        return _number(body, tag)
    if tag == "float32":
        try:
            return Float32(_number(body, tag))
        except ValueError:
            raise JSONError("float32 tag: rounds to infinity in binary32") from None
    cls = _SIZED.get(tag)
    if cls is not None:
        return cls(_int_token(body, cls.lo, cls.hi, tag))
    raise JSONError(f"unknown type tag {tag!r}")


def from_plain(tree: Any) -> Map:
    """Session values from a plain (untyped) JSON tree: an object, whose
    integers become int (int64 range) and other numbers float."""
    if not isinstance(tree, dict):
        raise JSONError("plain JSON opened as session values must be an object")
    m = Map()
    for k, e in tree.items():
        m[k] = _plain_value(e)
    return m


def _plain_value(v: Any) -> Any:
    if isinstance(v, IntToken):
        if len(v) <= 21 and INT64_MIN <= int(v) <= INT64_MAX:
            return int(v)
        return float(v)
    if isinstance(v, FloatToken):
        return float(v)
    if isinstance(v, str):
        return str(v)
    if isinstance(v, list):
        out = []
        for e in v:
            out.append(_plain_value(e))
        return out
    if isinstance(v, dict):
        obj = {}
        for k, e in v.items():
            obj[k] = _plain_value(e)
        return obj
    return v
