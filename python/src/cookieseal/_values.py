"""Typed values (SPEC.md section 6): session values that keep their types
across Go (gorilla/sessions' map[interface{}]interface{}), JavaScript and
Python, re-sealed byte for byte in the canonical encoding (6.8).

Python types: None, bool, str, int (bare int, 64-bit), float (float64),
Float32, Int8 ... Int64, Uint ... Uint64, Duration (or a timedelta), Time
(or an aware datetime), bytes, list, Strings, Ints, Float64s, dict
(object), StringMap, IntMap, Map (any scalar keys, typed: True, 1, 1.0 and
Int64(1) are different keys), Named (section 6.7) and Nil (the nil forms; a
nil map is Map(nil=True)). Anything else, a tuple or a naive datetime
included, is refused when sealing (UnsupportedValue), so that what opens is
always what was sealed.
"""

from __future__ import annotations

import base64
import datetime as _dt
import math
import re
import struct
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Any, ClassVar, Iterator

from ._errors import UnsupportedValue
from ._json import _STRING, MAX_DEPTH, FloatToken, IntToken, JSONError

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
    "Duration",
    "Float64s",
    "StringMap",
    "IntMap",
    "Named",
    "Nil",
]

INT64_MIN, INT64_MAX = -(1 << 63), (1 << 63) - 1


@dataclass(frozen=True)
class _Key:
    """A non-string Map key, compared as SPEC 6.4 says: same type and same
    value (so True, 1, 1.0, Int64(1) and Float32(1) are five keys)."""

    tag: str
    norm: Any
    key: Any = None

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _Key) and self.tag == other.tag and self.norm == other.norm

    def __hash__(self) -> int:
        return hash((self.tag, self.norm))


def _key_tag(k: Any) -> str:
    if k is None:
        return "null"
    if k is True or k is False:
        return "bool"
    if isinstance(k, _Sized):
        return k.tag
    if isinstance(k, Duration):
        return "duration"
    if isinstance(k, int):
        return "int"
    if isinstance(k, Float32):
        return "float32"
    if isinstance(k, float):
        return "float64"
    if isinstance(k, Time):
        return "time"
    if isinstance(k, _dt.datetime):
        return "time"
    raise UnsupportedValue(f"cookieseal: a map key of type {type(k).__name__} (keys are None, bool, str, int, float, the sized ints, Float32, Duration, Time)")


def _wrap(k: Any) -> Any:
    if isinstance(k, str):
        return str(k)
    tag = _key_tag(k)
    if tag == "time":
        t = k if isinstance(k, Time) else Time.from_datetime(k)
        return _Key(tag, t, t)
    if tag in ("float64", "float32"):
        return _Key(tag, float(k) + 0.0, k)  # 0 and -0 are one key
    if tag in ("null", "bool"):
        return _Key(tag, k, k)
    return _Key(tag, int(k), k)


def _unwrap(k: Any) -> Any:
    return k.key if isinstance(k, _Key) else k


class Map(dict):  # type: ignore[type-arg]
    """Session values: a map with keys of any scalar typed value (Go's
    map[interface{}]interface{}). Unlike a dict it keeps True, 1, 1.0 and
    Int64(1) apart as keys, as the format does. ``Map(nil=True)`` is Go's
    nil map (``{"map":null}``)."""

    nil: bool = False

    def __init__(self, data: Any = (), /, *, nil: bool = False, **kw: Any) -> None:
        super().__init__()
        if nil:
            self.nil = True
        self.update(data, **kw)

    def __setitem__(self, k: Any, v: Any) -> None:
        super().__setitem__(_wrap(k), v)

    def __getitem__(self, k: Any) -> Any:
        return super().__getitem__(_wrap(k))

    def __delitem__(self, k: Any) -> None:
        super().__delitem__(_wrap(k))

    def __contains__(self, k: object) -> bool:
        try:
            return super().__contains__(_wrap(k))
        except UnsupportedValue:
            return False

    def __iter__(self) -> Iterator[Any]:
        return (_unwrap(k) for k in super().__iter__())

    def keys(self) -> Any:
        return [_unwrap(k) for k in super().keys()]

    def items(self) -> Any:
        return [(_unwrap(k), v) for k, v in super().items()]

    def get(self, k: Any, default: Any = None) -> Any:
        return self[k] if k in self else default

    def pop(self, k: Any, *default: Any) -> Any:
        return super().pop(_wrap(k), *default)

    def setdefault(self, k: Any, default: Any = None) -> Any:
        return super().setdefault(_wrap(k), default)

    def update(self, data: Any = (), /, **kw: Any) -> None:
        for k, v in data.items() if hasattr(data, "items") else data:
            self[k] = v
        for k, v in kw.items():
            self[k] = v

    def copy(self) -> Map:
        return Map(self, nil=self.nil)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Map):
            return dict.__eq__(self, other) and self.nil == other.nil
        if isinstance(other, dict):
            return len(self) == len(other) and all(k in self and self[k] == v for k, v in other.items())
        return NotImplemented

    __hash__ = None

    def __repr__(self) -> str:
        if self.nil and not self:
            return "Map(nil=True)"
        return "Map({" + ", ".join(f"{k!r}: {v!r}" for k, v in self.items()) + "})"


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


class Duration(int):
    """A Go time.Duration: int64 nanoseconds; seals as {"duration": N}. A
    datetime.timedelta seals as a Duration too."""

    __slots__ = ()

    def __new__(cls, nanoseconds: int = 0) -> Duration:
        if isinstance(nanoseconds, bool) or not isinstance(nanoseconds, int):
            raise TypeError("Duration takes int nanoseconds")
        if not INT64_MIN <= nanoseconds <= INT64_MAX:
            raise ValueError("Duration is outside int64 nanoseconds")
        return super().__new__(cls, nanoseconds)

    @classmethod
    def from_timedelta(cls, td: _dt.timedelta) -> Duration:
        return cls((td.days * 86400 + td.seconds) * 10**9 + td.microseconds * 1000)

    def to_timedelta(self) -> _dt.timedelta:
        """A timedelta; nanoseconds below a microsecond are dropped."""
        return _dt.timedelta(microseconds=int(self) // 1000)

    def __repr__(self) -> str:
        return f"Duration({int.__repr__(self)})"


class Float64s(list):  # type: ignore[type-arg]
    """A list of float that seals as {"float64s": [...]} (Go []float64)."""

    __slots__ = ()

    def __repr__(self) -> str:
        return f"Float64s({list.__repr__(self)})"


class StringMap(dict):  # type: ignore[type-arg]
    """A dict of str to str that seals as {"stringmap": {...}} (Go map[string]string)."""

    __slots__ = ()

    def __repr__(self) -> str:
        return f"StringMap({dict.__repr__(self)})"


class IntMap(dict):  # type: ignore[type-arg]
    """A dict of str to int64 that seals as {"intmap": {...}} (Go map[string]int)."""

    __slots__ = ()

    def __repr__(self) -> str:
        return f"IntMap({dict.__repr__(self)})"


_NIL_TAGS = ("object", "array", "strings", "ints", "float64s", "stringmap", "intmap", "bytes")


@dataclass(frozen=True)
class Nil:
    """Go's nil of a slice or map type: ``{"<tag>": null}``, for the tags
    object, array, strings, ints, float64s, stringmap, intmap and bytes (a
    nil map is ``Map(nil=True)``). Falsy."""

    tag: str

    def __post_init__(self) -> None:
        if self.tag not in _NIL_TAGS:
            raise ValueError(f"no nil form for {self.tag!r}")

    def __bool__(self) -> bool:
        return False


class Named:
    """A value of an application type (section 6.7: Go's Register, gorilla
    flash structs): its name, its plain JSON value, and the JSON text it is
    sealed as (kept from the cookie so that re-sealing writes the same
    bytes)."""

    __slots__ = ("name", "value", "json")

    def __init__(self, name: str, value: Any, json: str | None = None) -> None:
        if not isinstance(name, str):
            raise TypeError("a Named value's name is a str")
        if json is None:
            from ._json import dumps

            json = dumps(value).decode("utf-8")
        self.name, self.value, self.json = name, value, json

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Named) and (self.name, self.json) == (other.name, other.json)

    def __hash__(self) -> int:
        return hash((self.name, self.json))

    def __repr__(self) -> str:
        return f"Named({self.name!r}, {self.value!r})"


# --- floats (SPEC 6.2): shortest closest digits, ECMAScript layout ----------


def _digits64(x: float) -> tuple[str, int]:
    """(s, n) for x > 0: the shortest, closest digits s and the position n
    of the decimal point (x = 0.s x 10^n), from repr."""
    t = Decimal(repr(x)).as_tuple()
    digits = "".join(map(str, t.digits)).lstrip("0")
    stripped = digits.rstrip("0")
    exp = int(t.exponent) + len(digits) - len(stripped)
    return stripped, len(stripped) + exp


def _digits32(x: float) -> tuple[str, int]:
    """(s, n) for a binary32 x > 0, as SPEC 6.2 defines them: for k = 1..9,
    the k-digit decimals just below and above x that read back (binary64,
    then binary32) as x; the closest, ties to the even s."""
    exact = Fraction(x)
    n = len(str(int(exact))) if exact >= 1 else 0
    while Fraction(10) ** n <= exact:
        n += 1
    while n > -400 and Fraction(10) ** (n - 1) > exact:
        n -= 1
    for k in range(1, 10):
        scale = Fraction(10) ** (n - k)
        lo = int(exact / scale)
        found = []
        for s in {lo, lo + 1}:
            if s <= 0:
                continue
            v = s * scale
            try:
                if _to_float32(float(Decimal(s).scaleb(n - k))) == x:
                    found.append((abs(v - exact), s % 2, s))
            except OverflowError:
                continue
        if found:
            _, _, s = min(found)
            digits = str(s)
            if len(digits) > k:  # s reached 10^k
                return digits.rstrip("0"), n + 1
            stripped = digits.rstrip("0")
            return stripped, n
    raise AssertionError("9 digits always identify a binary32")  # pragma: no cover


def _format_float(x: float, bits: int) -> str:
    if x == 0:
        return "-0" if math.copysign(1, x) < 0 else "0"
    s, n = (_digits64 if bits == 64 else _digits32)(abs(x))
    k = len(s)
    if k <= n <= 21:
        out = s + "0" * (n - k)
    elif 0 < n <= 21:
        out = s[:n] + "." + s[n:]
    elif -6 < n <= 0:
        out = "0." + "0" * -n + s
    else:
        out = s[0] + ("." + s[1:] if k > 1 else "") + "e" + ("+" if n - 1 >= 0 else "-") + str(abs(n - 1))
    return "-" + out if x < 0 else out


# --- strings --------------------------------------------------------------

_SURROGATE = re.compile("[\ud800-\udfff]")
_encode_basestring = __import__("json").encoder.encode_basestring


def _string(s: str, path: str) -> str:
    """SPEC 6.2's canonical string: json.dumps(s, ensure_ascii=False)."""
    if _SURROGATE.search(s):
        raise UnsupportedValue(f"cookieseal: string with a lone surrogate at {path}")
    return str(_encode_basestring(str(s)))


_BASE64_STD = re.compile(r"(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?", re.ASCII)


def _decode_std_base64(s: str) -> bytes:
    if not _BASE64_STD.fullmatch(s):
        raise JSONError("bytes tag: not padded standard base64")
    b = base64.b64decode(s)
    if base64.b64encode(b).decode("ascii") != s:
        raise JSONError("bytes tag: non-zero unused bits")
    return b


# --- encoding (SPEC 6.8) ----------------------------------------------------


def encode(values: Any) -> bytes:
    """The canonical typed form of session values (a Map or dict: the
    top-level map tag)."""
    if not isinstance(values, dict):
        raise UnsupportedValue(f"cookieseal: session values must be a dict or Map, not {type(values).__name__}")
    out: list[str] = []
    _encode_map(values, out, 1, "values")
    return "".join(out).encode("utf-8")


def _check_depth(depth: int, path: str) -> None:
    if depth > MAX_DEPTH:
        raise UnsupportedValue(f"cookieseal: value nested deeper than {MAX_DEPTH} levels (or cyclic) at {path}")


def _int64(n: Any, what: str, path: str) -> str:
    if isinstance(n, bool) or not isinstance(n, int) or not INT64_MIN <= n <= INT64_MAX:
        raise UnsupportedValue(f"cookieseal: {type(n).__name__} in {what} at {path} (want an int64)")
    return int.__repr__(int(n))


def _sorted_members(d: dict, out: list[str], path: str, value: Any) -> None:  # type: ignore[type-arg]
    for i, k in enumerate(sorted(d)):
        if not isinstance(k, str):
            raise UnsupportedValue(f"cookieseal: key of type {type(k).__name__} at {path}; use cookieseal.Map for non-string keys")
        if i:
            out.append(",")
        out.append(_string(k, path))
        out.append(":")
        value(d[k], f"{path}[{k!r}]")


def _json_depth(text: str) -> int:
    from itertools import accumulate

    brackets = re.sub(r"[^\[\]{}]+", "", _STRING.sub("", text))
    return max(accumulate(1 if c in "[{" else -1 for c in brackets), default=0)


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
    elif isinstance(v, (Duration, _dt.timedelta)):
        _check_depth(depth, path)
        d = v if isinstance(v, Duration) else Duration.from_timedelta(v)
        out.append(f'{{"duration":{int.__repr__(d)}}}')
    elif isinstance(v, int):
        out.append(_int64(v, "an int", path))
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
    elif isinstance(v, Nil):
        _check_depth(depth, path)
        out.append(f'{{"{v.tag}":null}}')
    elif isinstance(v, Named):
        text = _named_text(v.json, path)
        _check_depth(depth + 1 + _json_depth(text), path)
        out.append('{"named":[' + _string(v.name, path) + "," + text + "]}")
    elif isinstance(v, (Strings, Ints, Float64s)):
        _check_depth(depth + 1, path)
        if isinstance(v, Strings):
            items = [_string(e, path) if isinstance(e, str) else _bad(e, "Strings", path) for e in v]
            out.append('{"strings":[' + ",".join(items) + "]}")
        elif isinstance(v, Ints):
            out.append('{"ints":[' + ",".join(_int64(n, "Ints", path) for n in v) + "]}")
        else:
            fs = []
            for f in v:
                if isinstance(f, bool) or not isinstance(f, (int, float)) or not math.isfinite(f):
                    _bad(f, "Float64s", path)
                fs.append(_format_float(float(f), 64))
            out.append('{"float64s":[' + ",".join(fs) + "]}")
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
    elif isinstance(v, StringMap):
        _check_depth(depth + 1, path)
        out.append('{"stringmap":{')
        _sorted_members(v, out, path, lambda e, p: out.append(_string(e, p) if isinstance(e, str) else _bad(e, "StringMap", p)))
        out.append("}}")
    elif isinstance(v, IntMap):
        _check_depth(depth + 1, path)
        out.append('{"intmap":{')
        _sorted_members(v, out, path, lambda e, p: out.append(_int64(e, "IntMap", p)))
        out.append("}}")
    elif isinstance(v, dict):
        _check_depth(depth + 1, path)
        out.append('{"object":{')
        _sorted_members(v, out, path, lambda e, p: _encode(e, out, depth + 2, p))
        out.append("}}")
    else:
        raise UnsupportedValue(
            f"cookieseal: cannot seal a {type(v).__name__} at {path} in typed values "
            "(None, bool, str, int, float, bytes, aware datetime, Time, timedelta, Duration, list, dict, Map, "
            "Strings, Ints, Float64s, StringMap, IntMap, Float32, Int8-Int64, Uint-Uint64, Named, Nil)"
        )


def _named_text(text: str, path: str) -> str:
    """The JSON text of a Named value, parsed first so that it is exactly one
    strict JSON value (text that closes the named value and adds members to
    the session is refused), then minified with its spellings kept (SPEC 6.7)."""
    from ._json import JSONError, parse

    try:
        tree = parse(text.encode("utf-8"))
    except (JSONError, UnicodeEncodeError):
        raise UnsupportedValue(f"cookieseal: a Named value whose JSON text is not one strict JSON value at {path}") from None
    return _minified(attach_raw(tree, text))


def _bad(v: Any, what: str, path: str) -> str:
    raise UnsupportedValue(f"cookieseal: {type(v).__name__} in {what} at {path}")


def _encode_map(m: dict, out: list[str], depth: int, path: str) -> None:  # type: ignore[type-arg]
    _check_depth(depth + 1, path)
    if isinstance(m, Map) and m.nil and not m:
        out.append('{"map":null}')
        return
    keys = list(m.keys())
    if all(isinstance(k, str) for k in keys):
        out.append('{"map":{')
        _sorted_members(m, out, path, lambda e, p: _encode(e, out, depth + 2, p))
        out.append("}}")
        return
    pairs = []
    seen = set()
    for k, e in m.items():
        w = _wrap(k)
        if w in seen:  # pragma: no cover - a Map cannot hold two equal keys
            raise UnsupportedValue(f"cookieseal: two keys of the map at {path} are equal")
        seen.add(w)
        kb: list[str] = []
        _encode(k, kb, depth + 3, f"{path} key")
        pairs.append(("".join(kb), e))
    pairs.sort(key=lambda p: p[0].encode("utf-8"))
    out.append('{"map":[')
    for i, (kj, e) in enumerate(pairs):
        if i:
            out.append(",")
        out.append("[" + kj + ",")
        _encode(e, out, depth + 3, f"{path}[{kj}]")
        out.append("]")
    out.append("]}")


# --- decoding ---------------------------------------------------------------


class RawStr(str):
    """A JSON string that remembers how it was written (for named values)."""

    __slots__ = ("raw",)
    raw: str


def _is_str(v: Any) -> bool:
    return isinstance(v, str) and not isinstance(v, (IntToken, FloatToken))


def attach_raw(tree: Any, text: str) -> Any:
    """The tree with every string (keys included) a RawStr carrying its
    spelling in text. Strings come in document order in both."""
    raws = iter(m.group(0) for m in _STRING.finditer(text))

    def walk(v: Any) -> Any:
        if isinstance(v, (IntToken, FloatToken)):
            return v
        if isinstance(v, str):
            r = RawStr(v)
            r.raw = next(raws)
            return r
        if isinstance(v, list):
            out = []
            for e in v:
                out.append(walk(e))
            return out
        if isinstance(v, dict):
            d = {}
            for k, e in v.items():
                rk = RawStr(k)
                rk.raw = next(raws)
                d[rk] = walk(e)
            return d
        return v

    return walk(tree)


def _minified(v: Any) -> str:
    """The JSON text of a tree with white space removed, spellings kept."""
    if v is None:
        return "null"
    if v is True:
        return "true"
    if v is False:
        return "false"
    if isinstance(v, (IntToken, FloatToken)):
        return str.__str__(v)
    if isinstance(v, RawStr):
        return v.raw
    if isinstance(v, str):  # pragma: no cover - attach_raw made every string a RawStr
        return str(_encode_basestring(v))
    if isinstance(v, list):
        parts = []
        for e in v:
            parts.append(_minified(e))
        return "[" + ",".join(parts) + "]"
    items = []
    for k, e in v.items():
        items.append((k.raw if isinstance(k, RawStr) else str(_encode_basestring(k))) + ":" + _minified(e))
    return "{" + ",".join(items) + "}"


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
    """Typed values from a strict-JSON tree (see _json.parse); the caller
    checks that the top is a map."""
    return _decode(tree)


_KEY_TAGS = frozenset(["int8", "int16", "int32", "int64", "uint", "uint8", "uint16", "uint32", "uint64", "float64", "float32", "time", "duration"])


def _decode(v: Any) -> Any:
    if v is None or v is True or v is False:
        return v
    if isinstance(v, IntToken):
        return _int_token(v, INT64_MIN, INT64_MAX, "int")
    if isinstance(v, FloatToken):
        raise JSONError("a bare number in typed values must be an integer")
    if isinstance(v, str):
        return str(v)
    if isinstance(v, list):
        out = []
        for e in v:
            out.append(_decode(e))
        return out
    if len(v) != 1:
        raise JSONError(f"a typed object has {len(v)} members, want 1")
    ((tag, body),) = v.items()
    # map and object are decoded here, not in a helper, so that a
    # 512-level payload costs at most 512 Python frames.
    if body is None and tag in ("map",) + _NIL_TAGS:
        return Map(nil=True) if tag == "map" else Nil(tag)
    if tag == "map" and isinstance(body, dict) or tag == "object":
        if not isinstance(body, dict):
            raise JSONError("object tag without an object")
        obj: dict[Any, Any] = Map() if tag == "map" else {}
        for k, e in body.items():
            obj[str(k)] = _decode(e)
        return obj
    if tag == "map" and isinstance(body, list):
        m = Map()
        for p in body:
            if not isinstance(p, list) or len(p) != 2:
                raise JSONError("map entry is not a [key, value] pair")
            kt = p[0]
            if isinstance(kt, list) or isinstance(kt, dict) and (len(kt) != 1 or next(iter(kt)) not in _KEY_TAGS):
                raise JSONError("map key is not a scalar")
            k = _decode(kt)
            if k in m:
                raise JSONError("duplicate map key")
            m[k] = _decode(p[1])
        return m
    return _decode_tag(str(tag), body)


def _decode_tag(tag: str, body: Any) -> Any:
    if tag == "map":
        raise JSONError("map tag without an object or array")
    if tag == "array":
        raise JSONError("array tag with a body other than null")
    if tag == "strings":
        if not isinstance(body, list) or not all(_is_str(e) for e in body):
            raise JSONError("strings tag without an array of strings")
        return Strings(str(e) for e in body)
    if tag == "ints":
        if not isinstance(body, list):
            raise JSONError("ints tag without an array")
        return Ints(_int_token(e, INT64_MIN, INT64_MAX, "ints") for e in body)
    if tag == "float64s":
        if not isinstance(body, list):
            raise JSONError("float64s tag without an array")
        return Float64s(_number(e, "float64s") for e in body)
    if tag == "stringmap":
        if not isinstance(body, dict) or not all(_is_str(e) for e in body.values()):
            raise JSONError("stringmap tag without an object of strings")
        return StringMap((str(k), str(e)) for k, e in body.items())
    if tag == "intmap":
        if not isinstance(body, dict):
            raise JSONError("intmap tag without an object")
        return IntMap((str(k), _int_token(e, INT64_MIN, INT64_MAX, "intmap")) for k, e in body.items())
    if tag == "bytes":
        if not _is_str(body):
            raise JSONError("bytes tag without a string")
        return _decode_std_base64(body)
    if tag == "time":
        if not _is_str(body):
            raise JSONError("time tag without a string")
        try:
            return Time.parse(body)
        except ValueError as e:
            raise JSONError(f"time tag: {e}") from None
    if tag == "duration":
        return Duration(_int_token(body, INT64_MIN, INT64_MAX, "duration"))
    if tag == "float64":
        return _number(body, tag)
    if tag == "float32":
        try:
            return Float32(_number(body, tag))
        except ValueError:
            raise JSONError("float32 tag: rounds to infinity in binary32") from None
    if tag == "named":
        if not isinstance(body, list) or len(body) != 2 or not _is_str(body[0]):
            raise JSONError("named tag without [name, value]")
        from ._json import plain

        text = _minified(body[1])
        return Named(str(body[0]), plain(body[1]), text)
    cls = _SIZED.get(tag)
    if cls is not None:
        return cls(_int_token(body, cls.lo, cls.hi, tag))
    raise JSONError(f"unknown type tag {tag!r}")


def from_plain(tree: Any) -> Map:
    """Session values from a plain (untyped) JSON tree (SPEC 6.10): an
    object; integers in int64 become int, other numbers (-0 included) float."""
    if not isinstance(tree, dict):
        raise JSONError("plain JSON opened as session values must be an object")
    m = Map()
    for k, e in tree.items():
        m[str(k)] = _plain_value(e)
    return m


def _plain_value(v: Any) -> Any:
    if isinstance(v, IntToken):
        if v != "-0" and len(v) <= 21 and INT64_MIN <= int(v) <= INT64_MAX:
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
            obj[str(k)] = _plain_value(e)
        return obj
    return v
