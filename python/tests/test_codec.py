"""The core codec: round trips, every error class, every bound, attacker
inputs."""

from __future__ import annotations

import base64
import datetime as dt
import json
import zlib

import pytest
from conftest import SECRET_A, SECRET_B, SECRET_C, Clock
from nacl.bindings import crypto_aead_xchacha20poly1305_ietf_encrypt

import cookieseal
from cookieseal import Codec
from cookieseal._codec import decode_base64url, encode_base64url

NOW = 1795700000


def codec(clock: Clock | None = None, secrets: list[str] | None = None, **kw: object) -> Codec:
    return Codec(secrets or [SECRET_A], now=clock or Clock(NOW), **kw)  # type: ignore[arg-type]


def forge(secret: str, name: str, plaintext: bytes, flags: int = 0, nonce: bytes = b"\x07" * 24, version: int = 1) -> str:
    """An authentic cookie around arbitrary plaintext (times included)."""
    key, kid = cookieseal.derive_key(secret)
    header = bytes([version]) + bytes.fromhex(kid) + bytes([flags])
    nb = name.encode()
    ad = header + len(nb).to_bytes(4, "big") + nb
    return encode_base64url(header + nonce + crypto_aead_xchacha20poly1305_ietf_encrypt(plaintext, ad, nonce, key))


def t(n: int) -> bytes:
    return n.to_bytes(8, "big", signed=True)


# --- round trips ------------------------------------------------------------


@pytest.mark.parametrize(
    "value",
    [None, True, 0, -1, 2**63, pytest.param(10**308 + 1, id="309-digit-int"), 1.5, -0.0, "", "héllo\u2028😀\x00\"\\", [], {}, [1, [2, [3]]], {"a": {"b": [None]}}],
)
def test_plain_round_trip(value: object) -> None:
    c = codec(max_length=10**5)
    assert c.open("session", c.seal("session", value)) == value


def test_tuple_seals_as_an_array_and_opens_as_a_list() -> None:
    c = codec()
    assert c.open("s", c.seal("s", {"f": [("message", "hi")]})) == {"f": [["message", "hi"]]}


def test_values_round_trip_keeps_every_type() -> None:
    c = codec()
    values = cookieseal.Map(
        {
            "n": 1,
            "big": cookieseal.Int64(2**63 - 1),
            "u": cookieseal.Uint64(2**64 - 1),
            "i8": cookieseal.Int8(-128),
            "f": 0.1,
            "f32": cookieseal.Float32(0.1),
            "b": b"\x00\xff",
            "t": cookieseal.Time(2026, 2, 28, 23, 59, 59, 123456789, -330),
            "s": cookieseal.Strings(["a", "b"]),
            "is": cookieseal.Ints([1, -2]),
            "o": {"x": [1, "y", None]},
            "m": cookieseal.Map({1: "one", None: "nil", cookieseal.Time(2000, 1, 1): True}),
        }
    )
    opened, info = c.open_values("s", c.seal_values("s", values))
    assert opened == values
    assert type(opened["big"]) is cookieseal.Int64
    assert type(opened["f32"]) is cookieseal.Float32
    assert type(opened["m"]) is cookieseal.Map
    assert type(opened["o"]) is dict
    assert info.flags == 2


def test_aware_datetime_seals_as_time() -> None:
    c = codec()
    d = dt.datetime(2026, 1, 2, 3, 4, 5, 678, tzinfo=dt.timezone(dt.timedelta(hours=2)))
    opened, _ = c.open_values("s", c.seal_values("s", {"d": d}))
    assert opened["d"].to_datetime() == d
    assert str(opened["d"]) == "2026-01-02T03:04:05.000678+02:00"


@pytest.mark.parametrize(
    "bad",
    [
        {"t": (1, 2)},
        {"d": dt.datetime(2026, 1, 1)},
        {"x": {1, 2}},
        {"f": float("nan")},
        {"i": 2**63},
        {"o": {"nested": {1: "non-str key in a dict"}}},
        {"s": "\ud800"},
    ],
)
def test_seal_values_refuses_what_it_cannot_carry(bad: dict) -> None:
    with pytest.raises(cookieseal.UnsupportedValue):
        codec().seal_values("s", bad)


@pytest.mark.parametrize("bad", [{1: "int key"}, 2**1024, -(2**1024), {"x": b"bytes"}, {"x": float("inf")}, {"x": "\udc00"}, object()])
def test_plain_seal_refuses_what_json_cannot_carry(bad: object) -> None:
    with pytest.raises(cookieseal.UnsupportedValue):
        codec().seal("s", bad)


def test_seal_refuses_512_plus_one_levels_and_cycles() -> None:
    deep: list = []
    v = deep
    for _ in range(511):
        v.append([])
        v = v[0]
    c = codec()
    assert c.open("s", c.seal("s", deep)) == deep  # 512 levels
    v.append([])
    with pytest.raises(cookieseal.UnsupportedValue):
        c.seal("s", deep)
    cyclic: list = []
    cyclic.append(cyclic)
    with pytest.raises(cookieseal.UnsupportedValue):
        c.seal("s", cyclic)
    m: dict = {}
    m["m"] = m
    with pytest.raises(cookieseal.UnsupportedValue):
        c.seal_values("s", m)


def test_compression_only_when_asked() -> None:
    value = {"cart": ["SKU-%d" % i for i in range(300)]}
    plain, z = codec(), codec(compress=True)
    assert plain.open_info("c", plain.seal("c", value))[1].flags == 0
    sealed = z.seal("c", value)
    assert z.open_info("c", sealed)[1].flags == 1
    assert plain.open("c", sealed) == value  # openers accept both
    small = z.seal("c", {"a": 1})
    assert z.open_info("c", small)[1].flags == 0  # under 1024 bytes: never


# --- keys and rings ----------------------------------------------------------


def test_key_ids_and_rotation() -> None:
    old, new = codec(secrets=[SECRET_A]), codec(secrets=[SECRET_B, SECRET_A])
    cookie = old.seal("s", "v")
    value, info = new.open_info("s", cookie)
    assert value == "v" and info.reissue and info.key_id == old.key_ids[0]
    re = new.reseal("s", value, info)
    v2, info2 = new.open_info("s", re)
    assert not info2.reissue and info2.key_id == new.key_ids[0]
    assert info2.issued_at == info.issued_at  # rotation keeps the age


@pytest.mark.parametrize(
    "secrets",
    [[], [SECRET_A[:31]], [SECRET_A, SECRET_A], "a-single-string-of-more-than-32-bytes"],
)
def test_bad_rings_are_refused(secrets: object) -> None:
    with pytest.raises(cookieseal.ConfigError):
        Codec(secrets)  # type: ignore[arg-type]


def test_secret_length_is_counted_in_utf8_bytes() -> None:
    Codec(["é" * 16])  # 32 bytes, 16 characters
    with pytest.raises(cookieseal.ConfigError):
        Codec(["é" * 15 + "a"])  # 31 bytes


def test_no_secret_in_repr_or_errors() -> None:
    c = Codec([SECRET_A, SECRET_B])
    assert SECRET_A not in repr(c) and SECRET_B not in repr(c)
    with pytest.raises(cookieseal.ConfigError) as e:
        Codec([SECRET_C, SECRET_C])
    assert SECRET_C not in str(e.value)


def test_secrets_from_env() -> None:
    assert cookieseal.secrets_from_env(" a,b \n c\t") == ["a", "b", "c"]
    assert cookieseal.secrets_from_env(None) == []
    # Only ",", SP, HTAB, LF and CR separate (SESSIONS.md S7.1): not NBSP, VT, FF or U+2028.
    assert cookieseal.secrets_from_env("a\u00a0b\vc\fd\u2028e\x85f g") == ["a\u00a0b\vc\fd\u2028e\x85f", "g"]


def test_generate_secret_is_43_base64url_characters() -> None:
    s = cookieseal.generate_secret()
    assert len(s) == 43 and decode_base64url(s) and s != cookieseal.generate_secret()


# --- times ------------------------------------------------------------------


def test_max_age_is_exact_to_the_second() -> None:
    clock = Clock(NOW)
    c = codec(clock, max_age=60)
    cookie = c.seal("s", 1)
    clock.t = NOW + 60.999  # truncated to NOW + 60: still valid
    assert c.open("s", cookie) == 1
    clock.t = NOW + 61
    with pytest.raises(cookieseal.ExpiredCookie):
        c.open("s", cookie)


def test_future_issued_at_beyond_skew_is_invalid() -> None:
    clock = Clock(NOW)
    c = codec(clock)
    assert c.open("s", c.seal("s", 1, issued_at=NOW + 60)) == 1
    with pytest.raises(cookieseal.InvalidCookie):
        c.open("s", c.seal("s", 1, issued_at=NOW + 61))


def test_extreme_issued_at_values_do_not_overflow() -> None:
    c = codec()
    for iat in (-(2**63), 2**63 - 1):
        with pytest.raises((cookieseal.ExpiredCookie, cookieseal.InvalidCookie)):
            c.open("s", forge(SECRET_A, "s", t(iat) + b"1"))


def test_created_at_flag_and_max_lifetime() -> None:
    clock = Clock(NOW)
    c = codec(clock, max_lifetime=100)
    cookie = c.seal("s", 1, created_at=NOW - 100)
    _, info = c.open_info("s", cookie)
    assert info.flags == 4 and info.created_at == NOW - 100 and info.issued_at == NOW
    clock.t = NOW + 1
    with pytest.raises(cookieseal.ExpiredCookie):
        c.open("s", cookie)
    # refresh moves issued_at, keeps created_at: lifetime still counts.
    clock.t = NOW
    _, info = c.open_info("s", c.refresh("s", 1, info))
    assert info.created_at == NOW - 100


def test_flag_4_set_only_when_created_differs() -> None:
    c = codec()
    assert c.open_info("s", c.seal("s", 1, created_at=NOW))[1].flags == 0


def test_created_after_issued_is_invalid() -> None:
    with pytest.raises(cookieseal.InvalidCookie):
        codec().open("s", forge(SECRET_A, "s", t(NOW) + t(NOW + 1) + b"1", flags=4))


def test_created_at_flag_with_too_short_plaintext_is_invalid() -> None:
    # 8 + 7 bytes of plaintext: the flag promises 16.
    with pytest.raises(cookieseal.InvalidCookie):
        codec().open("s", forge(SECRET_A, "s", t(NOW) + b"1234567", flags=4))


def test_refresh_age_sets_reissue() -> None:
    clock = Clock(NOW)
    c = codec(clock, refresh_age=10)
    cookie = c.seal("s", 1)
    clock.t = NOW + 9
    assert not c.open_info("s", cookie)[1].reissue
    clock.t = NOW + 10
    assert c.open_info("s", cookie)[1].reissue


# --- size limits ------------------------------------------------------------


def test_max_length_counts_name_equals_and_value() -> None:
    c = codec()
    cookie = c.seal("s", "x")
    exact = codec(max_length=len(cookie) + 2)
    assert exact.open("s", cookie) == "x"
    with pytest.raises(cookieseal.CookieTooLarge):
        codec(max_length=len(cookie) + 1).open("s", cookie)
    # Padding (SPEC.md 5.4) stops at max_length: unpadded, "x" takes bare characters.
    bare = ((6 + 24 + 8 + 3 + 16) * 4 + 2) // 3
    assert len(cookie) > bare
    tight = codec(max_length=bare + 2)
    assert len(tight.seal("s", "x")) == bare
    assert tight.open("s", tight.seal("s", "x")) == "x"
    with pytest.raises(cookieseal.CookieTooLarge):
        codec(max_length=bare + 1).seal("s", "x")


def test_max_payload_bound_when_sealing_and_opening() -> None:
    big = codec(max_length=10**6, max_payload=100)  # padding stops at max_payload
    v = "a" * 98  # 100 bytes of JSON
    cookie = big.seal("s", v)
    assert codec(max_length=10**6, max_payload=100).open("s", cookie) == v
    with pytest.raises(cookieseal.CookieTooLarge):
        codec(max_length=10**6, max_payload=99).open("s", cookie)
    with pytest.raises(cookieseal.CookieTooLarge):
        codec(max_length=10**6, max_payload=99).seal("s", v)


def test_deflate_bomb_stops_at_the_cap() -> None:
    z = zlib.compressobj(9, zlib.DEFLATED, -15)
    bomb = z.compress(b'"' + b"a" * 10_000_000 + b'"') + z.flush()
    assert len(bomb) < 20000
    with pytest.raises(cookieseal.CookieTooLarge):
        codec(max_length=10**6).open("s", forge(SECRET_A, "s", t(NOW) + bomb, flags=1))


def _deflate(data: bytes) -> bytes:
    z = zlib.compressobj(6, zlib.DEFLATED, -15)
    return z.compress(data) + z.flush()


def test_inflate_exactly_at_the_cap_opens() -> None:
    payload = b'"' + b"a" * 98 + b'"'
    cookie = forge(SECRET_A, "s", t(NOW) + _deflate(payload), flags=1)
    assert codec(max_payload=100).open("s", cookie) == "a" * 98
    with pytest.raises(cookieseal.CookieTooLarge):
        codec(max_payload=99).open("s", cookie)


def test_too_large_wins_over_later_corruption() -> None:
    body = _deflate(b"[" + b"1," * 1000 + b"1]")
    with pytest.raises(cookieseal.CookieTooLarge):
        codec(max_payload=100).open("s", forge(SECRET_A, "s", t(NOW) + body[:-3], flags=1))


@pytest.mark.parametrize(
    "body",
    [
        _deflate(b"[1]")[:-1],  # truncated
        _deflate(b"[1]") + b"\x00",  # trailing byte
        b"",  # empty stream
        b"\xff\xff\xff",  # corrupt
        zlib.compress(b"[1]"),  # zlib framing, not raw DEFLATE
    ],
)
def test_bad_deflate_is_invalid(body: bytes) -> None:
    with pytest.raises(cookieseal.InvalidCookie):
        codec().open("s", forge(SECRET_A, "s", t(NOW) + body, flags=1))


# --- attacker inputs ----------------------------------------------------------


def test_every_single_bit_flip_is_refused() -> None:
    c = codec()
    raw = decode_base64url(c.seal("s", {"user": 1}))
    for i in range(len(raw)):
        for bit in (0x01, 0x80):
            b = bytearray(raw)
            b[i] ^= bit
            with pytest.raises(cookieseal.CookiesealError):
                c.open("s", encode_base64url(bytes(b)))


def test_every_truncation_is_refused() -> None:
    c = codec()
    cookie = c.seal("s", 1)
    for n in range(len(cookie)):
        with pytest.raises(cookieseal.CookiesealError):
            c.open("s", cookie[:n])


@pytest.mark.parametrize("mutate", [lambda s: s + "=", lambda s: s[:10] + "\n" + s[10:], lambda s: s.replace("-", "+").replace("_", "/") if ("-" in s or "_" in s) else s + "+", lambda s: " " + s, lambda s: s + "\x00", lambda s: s[:5] + "é" + s[5:]])
def test_base64_variants_are_invalid(mutate) -> None:  # type: ignore[no-untyped-def]
    c = codec()
    with pytest.raises(cookieseal.InvalidCookie):
        c.open("s", mutate(c.seal("s", 1)))


def test_non_canonical_trailing_bits_are_invalid() -> None:
    c = codec()
    cookie = c.seal("s", "x" * 40)  # 50 bytes of plaintext, padded to 64: 110 bytes
    assert len(cookie) % 4 in (2, 3)
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
    last = alphabet.index(cookie[-1])
    spare = 0x0F if len(cookie) % 4 == 2 else 0x03
    for bit in range(4):
        if (1 << bit) & spare:
            with pytest.raises(cookieseal.InvalidCookie):
                c.open("s", cookie[:-1] + alphabet[last | (1 << bit)])


def test_name_is_bound() -> None:
    c = codec()
    with pytest.raises(cookieseal.InvalidCookie):
        c.open("other", c.seal("s", 1))
    with pytest.raises(cookieseal.InvalidCookie):
        c.open("", c.seal("s", 1))


def test_unknown_key_is_not_decrypted() -> None:
    with pytest.raises(cookieseal.UnknownKey):
        codec(secrets=[SECRET_B]).open("s", codec().seal("s", 1))


def test_minimum_size_53_invalid_54_authentic_but_empty_json() -> None:
    with pytest.raises(cookieseal.InvalidCookie, match="53 bytes"):
        codec().open("s", encode_base64url(decode_base64url(forge(SECRET_A, "s", t(NOW)))[:53]))
    with pytest.raises(cookieseal.InvalidCookie, match="payload"):
        codec().open("s", forge(SECRET_A, "s", t(NOW)))  # 54 bytes, empty body
    assert codec().open("s", forge(SECRET_A, "s", t(NOW) + b"1")) == 1  # 55 bytes


@pytest.mark.parametrize("flags", [0x10, 0x20, 0x40, 0x80])
def test_unknown_flag_bits_are_invalid(flags: int) -> None:
    with pytest.raises(cookieseal.InvalidCookie, match="flags"):
        codec().open("s", forge(SECRET_A, "s", t(NOW) + b"1", flags=flags))


def test_unknown_version_is_invalid() -> None:
    with pytest.raises(cookieseal.InvalidCookie, match="version"):
        codec().open("s", forge(SECRET_A, "s", t(NOW) + b"1", version=2))


@pytest.mark.parametrize(
    "payload",
    [
        b"NaN",
        b"Infinity",
        b"-Infinity",
        b"1e400",
        b"-1e400",
        b"1" + b"0" * 400,
        b'{"a":1,"a":2}',
        b'{"a":1,"\\u0061":2}',
        b'"\\ud800"',
        b'"\\udc00\\ud800"',
        b'{"\\ud800":1}',
        b'"\\uD800"',
        b'"\\uDFFF\\uDBFF"',
        b'["ok", {"k": ["\\udbff"]}]',
        b"\xef\xbb\xbf1",
        b'"\xff"',
        b'"\xed\xa0\x80"',  # an encoded surrogate
        b'"\xc0\xaf"',  # overlong
        b'"\x01"',
        b"01",
        b"+1",
        b".5",
        b"1.",
        b"[1,]",
        b"1 2",
        b"\x0b1",  # vertical tab is not JSON white space
        b"\xc2\xa01",  # nor is NBSP
        b"[" * 513 + b"]" * 513,
        b"{" + b'"a":{' * 512 + b"}" * 513,
        b"",
        b" ",
    ],
)
def test_strict_json_refuses(payload: bytes) -> None:
    with pytest.raises(cookieseal.InvalidCookie):
        codec(max_length=10**5).open("s", forge(SECRET_A, "s", t(NOW) + payload))


@pytest.mark.parametrize(
    "payload,value",
    [
        (b" \t\r\n[ 1 , 2 ]\n", [1, 2]),
        (b"[" * 512 + b"]" * 512, json.loads("[" * 512 + "]" * 512)),
        (b'"\\ud83d\\ude00"', "😀"),
        (b'"[{\\""', '[{"'),
        (b'"\\\\ud800"', "\\ud800"),  # an escaped backslash, then the text ud800
        (b'{"\\uDBFF\\uDFFF":1}', {"\U0010ffff": 1}),
        (b"123456789012345678901234567890", 123456789012345678901234567890),
        (b"1e308", 1e308),
        (b"-0", 0),
        (b"1e-400", 0.0),
    ],
)
def test_strict_json_accepts(payload: bytes, value: object) -> None:
    assert codec(max_length=10**5).open("s", forge(SECRET_A, "s", t(NOW) + payload)) == value


def test_brackets_inside_strings_do_not_count_as_depth() -> None:
    payload = b'["' + b"[" * 2000 + b'"]'
    assert codec(max_length=10**5).open("s", forge(SECRET_A, "s", t(NOW) + payload)) == ["[" * 2000]


@pytest.mark.parametrize(
    "typed",
    [
        b'{"map":{"a":1.5}}',  # bare float
        b'{"map":{"a":-0}}',  # -0 is not an integer form
        b'{"map":{"a":1e2}}',
        b'{"map":{"a":9223372036854775808}}',  # past int64
        b'{"map":{"a":{"int8":128}}}',
        b'{"map":{"a":{"uint8":-1}}}',
        b'{"map":{"a":{"uint64":-0}}}',
        b'{"map":{"a":{"int32":1.0}}}',
        b'{"map":{"a":{"float64":"1"}}}',
        b'{"map":{"a":{"float32":1e39}}}',
        b'{"map":{"a":{"bytes":"AA"}}}',  # unpadded
        b'{"map":{"a":{"bytes":"AB=="}}}',  # non-zero unused bits
        b'{"map":{"a":{"time":"2026-01-01T00:00:00"}}}',  # no offset
        b'{"map":{"a":{"time":"2026-01-01t00:00:00Z"}}}',
        b'{"map":{"a":{"time":"2026-01-01T00:00:60Z"}}}',  # leap second
        b'{"map":{"a":{"time":"2026-02-29T00:00:00Z"}}}',
        b'{"map":{"a":{"time":"2026-01-01T00:00:00+24:00"}}}',
        b'{"map":{"a":{"time":"2026-01-01T00:00:00.1234567890Z"}}}',
        b'{"map":{"a":{"nope":1}}}',
        b'{"map":{"a":{"int8":1,"int16":1}}}',
        b'{"map":{"a":{}}}',
        b'{"map":[[1,"a"],[1,"b"]]}',
        b'{"map":[[[1],"a"]]}',
        b'{"map":[[1]]}',
        b'{"map":{"a":{"strings":["a",1]}}}',
        b'{"map":{"a":{"ints":[1.5]}}}',
        b'{"object":{}}',  # the payload is a map
        b"[1]",
    ],
)
def test_malformed_typed_values_are_invalid_on_every_path(typed: bytes) -> None:
    c = codec()
    cookie = forge(SECRET_A, "s", t(NOW) + typed, flags=2)
    with pytest.raises(cookieseal.InvalidCookie):
        c.open_values("s", cookie)
    if typed not in (b'{"object":{}}', b"[1]"):
        with pytest.raises(cookieseal.InvalidCookie):
            c.open_raw("s", cookie)
        with pytest.raises(cookieseal.InvalidCookie):
            c.open("s", cookie)


def test_plain_json_opened_as_values_must_be_an_object() -> None:
    c = codec()
    with pytest.raises(cookieseal.InvalidCookie):
        c.open_values("s", c.seal("s", [1]))
    v, _ = c.open_values("s", c.seal("s", {"i": 1, "f": 1.0, "big": 2**64, "o": {"x": 2}}))
    assert v == {"i": 1, "f": 1.0, "big": float(2**64), "o": {"x": 2}}
    assert type(v["f"]) is float and type(v["big"]) is float and type(v["i"]) is int


def test_float_spelling_is_section_6_2s() -> None:
    from cookieseal._values import _format_float

    # SPEC.md 6.2's table: shortest closest digits, ECMAScript layout.
    f64 = {
        1.0: "1",
        -0.0: "-0",
        0.1: "0.1",
        1e-7: "1e-7",
        1.7976931348623157e308: "1.7976931348623157e+308",
        1e21: "1e+21",
        1e20: "100000000000000000000",
        1e-6: "0.000001",
        5e-324: "5e-324",
        2**49 + 0.25: "562949953421312.2",
        123456.7: "123456.7",
        -1.5e-6: "-0.0000015",
    }
    for f, want in f64.items():
        assert _format_float(f, 64) == want, f
    f32 = {0.1: "0.1", 3.4028234663852886e38: "3.4028235e+38", 2.0**-149: "1e-45", 2.0**-12: "0.00024414062", 16.99: "16.99"}
    for f, want in f32.items():
        assert _format_float(float(cookieseal.Float32(f)), 32) == want, f


def test_open_never_raises_anything_but_cookieseal_errors_on_junk() -> None:
    import random

    rnd = random.Random(7)
    c = codec()
    good = c.seal("s", {"a": [1, 2, 3]})
    for _ in range(2000):
        s = list(good)
        for _ in range(rnd.randint(1, 4)):
            s[rnd.randrange(len(s))] = chr(rnd.randrange(0x20, 0x7F))
        try:
            c.open("s", "".join(s))
        except cookieseal.CookiesealError:
            pass


def test_urlsafe_decode_would_have_accepted_junk() -> None:
    # The trap the strict decoder avoids: the stdlib drops bad characters.
    assert base64.urlsafe_b64decode("QQ==") == base64.urlsafe_b64decode("Q Q==".replace(" ", ""))
    with pytest.raises(cookieseal.InvalidCookie):
        decode_base64url("Q Q")


@pytest.mark.parametrize(
    "kw",
    [
        {"max_age": 0},
        {"max_age": -1},
        {"max_age": 1.5},
        {"max_age": True},
        {"max_lifetime": -1},
        {"refresh_age": -1},
        {"max_length": 0},
        {"max_payload": 0},
    ],
)
def test_bad_limits_are_refused_when_built(kw: dict) -> None:
    with pytest.raises(cookieseal.ConfigError):
        Codec([SECRET_A], **kw)


def test_smallest_limits_are_accepted() -> None:
    c = Codec([SECRET_A], max_age=1, max_lifetime=0, refresh_age=0, max_length=1, max_payload=1)
    assert c.max_age == 1 and c.max_length == 1 and c.max_payload == 1


def test_set_secrets_swaps_the_ring_and_keeps_it_on_refusal() -> None:
    c = codec()
    cookie = c.seal("s", 1)
    c.set_secrets([SECRET_B, SECRET_A])
    assert c.open_info("s", cookie)[1].reissue
    with pytest.raises(cookieseal.ConfigError):
        c.set_secrets([])
    assert c.key_ids == Codec([SECRET_B, SECRET_A]).key_ids


def test_non_str_secret_and_non_str_cookie() -> None:
    with pytest.raises(cookieseal.ConfigError):
        Codec([b"x" * 40])  # type: ignore[list-item]
    with pytest.raises(cookieseal.InvalidCookie):
        codec().open("s", b"AAAA")  # type: ignore[arg-type]


def test_reseal_and_refresh_keep_typed_values_typed() -> None:
    clock = Clock(NOW)
    c = codec(clock)
    cookie = c.seal_values("s", {"n": cookieseal.Int8(3)}, issued_at=NOW - 10, created_at=NOW - 20)
    v, info = c.open_values("s", cookie)
    _, i2 = c.open_values("s", c.reseal("s", v, info))
    assert (i2.issued_at, i2.created_at, i2.flags) == (NOW - 10, NOW - 20, 6)
    v3, i3 = c.open_values("s", c.refresh("s", v, info))
    assert (i3.issued_at, i3.created_at) == (NOW, NOW - 20) and type(v3["n"]) is cookieseal.Int8


def test_seal_refuses_created_after_issued_and_bad_times() -> None:
    c = codec()
    with pytest.raises(ValueError):
        c.seal("s", 1, issued_at=NOW, created_at=NOW + 1)
    with pytest.raises(ValueError):
        c.seal("s", 1, issued_at=2**63)


def test_key_derivation_matches_the_vectors_key_id() -> None:
    # conformance/open.json: cookies sealed with secret-1 name key f7277be0.
    _, kid = cookieseal.derive_key("cookieseal-test-vector-secret-1-PUBLIC-never-use")
    assert kid == "f7277be0"


def test_new_typed_forms_round_trip() -> None:
    c = codec()
    values = cookieseal.Map(
        {
            "d": cookieseal.Duration(-5),
            "td": cookieseal.Duration.from_timedelta(dt.timedelta(seconds=1, microseconds=2)),
            "fs": cookieseal.Float64s([1.0, -0.0, 1e21]),
            "sm": cookieseal.StringMap({"b": "1", "a": "2"}),
            "im": cookieseal.IntMap({"q": 1, "p": -2}),
            "named": cookieseal.Named("main.Flash", {"type": "info", "n": 1}),
            "nils": [cookieseal.Nil(t) for t in ("object", "array", "strings", "ints", "float64s", "stringmap", "intmap", "bytes")],
            "nilmap": cookieseal.Map(nil=True),
            "empty": cookieseal.Map(),
        }
    )
    opened, _ = c.open_values("s", c.seal_values("s", values))
    assert opened == values
    assert opened["td"].to_timedelta() == dt.timedelta(seconds=1, microseconds=2)
    assert opened["named"].value == {"type": "info", "n": 1}
    assert opened["nilmap"].nil and not opened["empty"].nil
    whole = c.open_values("s", c.seal_values("s", cookieseal.Map(nil=True)))[0]
    assert whole.nil and whole == cookieseal.Map(nil=True)


def test_map_keeps_keys_python_would_merge() -> None:
    m = cookieseal.Map()
    m[True], m[1], m[1.0], m[cookieseal.Int64(1)], m[cookieseal.Float32(1)], m[cookieseal.Duration(1)] = "a", "b", "c", "d", "e", "f"
    assert len(m) == 6 and m[1] == "b" and m[True] == "a" and m[1.0] == "c"
    m[-0.0] = "z"
    m[0.0] = "y"  # 0 and -0 are one float key
    assert m[-0.0] == "y"
    c = codec()
    opened, _ = c.open_values("s", c.seal_values("s", m))
    assert opened == m and len(opened) == 7


def test_named_value_keeps_its_text() -> None:
    payload = b'{"map":{"v":{"named":["main.Flash", { "m" : "\\u003chi\\u003e", "n": 1.50 } ]}}}'.replace(b"\\\\", b"\\")
    cookie = forge(SECRET_A, "s", t(NOW) + payload, flags=2)
    c = codec()
    opened, _ = c.open_values("s", cookie)
    named = opened["v"]
    assert named.json == '{"m":"\\u003chi\\u003e","n":1.50}'.replace("\\\\", "\\")
    assert named.value == {"m": "<hi>", "n": 1.5}
    assert b'"n":1.50' in c.open_raw("s", c.seal_values("s", opened))[0]
