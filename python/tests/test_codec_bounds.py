"""Bounds and behaviours of the core codec that mutation testing (mutmut,
python/pyproject.toml [tool.mutmut]) found no test for: each test pins the
exact bound, so moving it by one fails."""

from __future__ import annotations

import zlib

import pytest
from conftest import SECRET_A, SECRET_B, Clock
from test_codec import NOW, codec, forge, t

import cookieseal
from cookieseal._codec import COMPRESS_MIN, decode_base64url, encode_base64url

# --- sealing --------------------------------------------------------------------


def test_seal_accepts_a_payload_of_exactly_max_payload_bytes() -> None:
    c = codec(max_payload=100)
    v = "a" * 98  # 100 bytes of JSON
    assert c.open("s", c.seal("s", v)) == v
    with pytest.raises(cookieseal.CookieTooLarge, match=r"^cookieseal: value is 102 bytes of JSON, limit 100$"):
        c.seal("s", v + "bc")


def test_compression_starts_at_exactly_compress_min_bytes() -> None:
    z = codec(compress=True)
    at = "a" * (COMPRESS_MIN - 2)  # COMPRESS_MIN bytes of JSON, very compressible
    assert z.open_info("s", z.seal("s", at))[1].flags == 1
    below = "a" * (COMPRESS_MIN - 3)
    assert z.open_info("s", z.seal("s", below))[1].flags == 0


def test_plain_reseal_keeps_the_value_and_both_times() -> None:
    clock = Clock(NOW)
    c = codec(clock)
    cookie = c.seal("s", {"u": 7}, issued_at=NOW - 10, created_at=NOW - 20)
    value, info = c.open_info("s", cookie)
    v2, i2 = c.open_info("s", c.reseal("s", value, info))
    assert v2 == {"u": 7}
    assert (i2.issued_at, i2.created_at, i2.flags) == (NOW - 10, NOW - 20, 4)


def test_plain_refresh_keeps_the_value_and_created_at() -> None:
    c = codec()
    value, info = c.open_info("s", c.seal("s", {"u": 7}, issued_at=NOW - 10, created_at=NOW - 20))
    v2, i2 = c.open_info("s", c.refresh("s", value, info))
    assert v2 == {"u": 7}
    assert (i2.issued_at, i2.created_at) == (NOW, NOW - 20)


@pytest.mark.parametrize("bad", [True, False, 1.0, "1"])
def test_seal_refuses_times_that_are_not_ints(bad: object) -> None:
    c = codec()
    with pytest.raises(ValueError, match=r"^cookieseal: issued_at and created_at are int64 Unix seconds$"):
        c.seal("s", 1, issued_at=bad)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="int64 Unix seconds"):
        c._seal_raw("s", 4, b"1", NOW, bad, bytes(24))  # type: ignore[arg-type]


def test_seal_accepts_exactly_the_int64_range() -> None:
    c = codec()
    lo, hi = -(2**63), 2**63 - 1
    with pytest.raises(cookieseal.ExpiredCookie):  # sealed, and the time is the one asked for
        c.open("s", c.seal("s", 1, issued_at=lo))
    with pytest.raises(cookieseal.InvalidCookie, match="in the future"):
        c.open("s", c.seal("s", 1, issued_at=hi))
    with pytest.raises(ValueError, match="int64 Unix seconds"):
        c.seal("s", 1, issued_at=lo - 1)
    with pytest.raises(ValueError, match="int64 Unix seconds"):
        c.seal("s", 1, issued_at=hi + 1)


def test_seal_errors_say_why() -> None:
    c = codec()
    with pytest.raises(ValueError, match=r"^cookieseal: created_at cannot be after issued_at$"):
        c.seal("s", 1, issued_at=NOW, created_at=NOW + 1)
    with pytest.raises(ValueError, match=r"^cookieseal: the nonce is 24 bytes$"):
        c._seal_raw("s", 0, b"1", NOW, NOW, bytes(23))
    bare = ((6 + 24 + 8 + 3 + 16) * 4 + 2) // 3  # "x" unpadded; padding stops at max_length
    with pytest.raises(cookieseal.CookieTooLarge, match=rf"^cookieseal: cookie is {bare + 2} bytes with the name, limit {bare + 1}$"):
        codec(max_length=bare + 1).seal("s", "x")


# --- opening ------------------------------------------------------------------


def test_a_plain_cookie_that_mentions_named_opens_into_plain_str() -> None:
    # Only a typed payload keeps the spelling of its strings (named values).
    c = codec()
    value = c.open("s", c.seal("s", {"named": ["main.Flash", "x"]}))
    assert value == {"named": ["main.Flash", "x"]}
    assert [type(k) for k in value] == [str]
    assert [type(s) for s in value["named"]] == [str, str]


def _deflate(data: bytes) -> bytes:
    z = zlib.compressobj(6, zlib.DEFLATED, -15)
    return z.compress(data) + z.flush()


def _raw(cookie: str, n: int) -> str:
    return encode_base64url(decode_base64url(cookie)[:n])


@pytest.mark.parametrize(
    "make,error,message",
    [
        (lambda: b"AAAA", cookieseal.InvalidCookie, r"^cookieseal: invalid cookie: not a str$"),
        (lambda: "AA=A", cookieseal.InvalidCookie, r"^cookieseal: invalid cookie: character outside the base64url alphabet$"),
        (lambda: "AAAAA", cookieseal.InvalidCookie, r"^cookieseal: invalid cookie: base64url length is 1 mod 4$"),
        (lambda: "AB", cookieseal.InvalidCookie, r"^cookieseal: invalid cookie: non-zero unused bits in the last base64url character$"),
        (lambda: _raw(forge(SECRET_A, "s", t(NOW)), 53), cookieseal.InvalidCookie, r"^cookieseal: invalid cookie: 53 bytes, a cookie has at least 54$"),
        (lambda: forge(SECRET_A, "s", t(NOW) + b"1", version=2), cookieseal.InvalidCookie, r"^cookieseal: invalid cookie: unknown format version 2$"),
        (lambda: forge(SECRET_A, "s", t(NOW) + b"1", flags=0x18), cookieseal.InvalidCookie, r"^cookieseal: invalid cookie: unknown flags 0x18$"),
        (lambda: forge(SECRET_B, "s", t(NOW) + b"1"), cookieseal.UnknownKey, r"^cookieseal: cookie sealed with an unknown key: key ID [0-9a-f]{8}$"),
        (lambda: forge(SECRET_A, "x", t(NOW) + b"1"), cookieseal.InvalidCookie, r"^cookieseal: invalid cookie: tampered, or sealed for another cookie name$"),
        (lambda: forge(SECRET_A, "s", t(NOW) + b"1234567", flags=4), cookieseal.InvalidCookie, r"^cookieseal: invalid cookie: created-at flag without a created-at$"),
        (lambda: forge(SECRET_A, "s", t(NOW) + t(NOW + 1) + b"1", flags=4), cookieseal.InvalidCookie, r"^cookieseal: invalid cookie: created after it was issued$"),
        (lambda: forge(SECRET_A, "s", t(NOW + 61) + b"1"), cookieseal.InvalidCookie, r"^cookieseal: invalid cookie: issued more than 60s in the future$"),
        (lambda: forge(SECRET_A, "s", t(NOW - 86401) + b"1"), cookieseal.ExpiredCookie, r"^cookieseal: cookie expired: older than the max age of 86400s$"),
        (lambda: forge(SECRET_A, "s", t(NOW) + b"\xff\xff\xff", flags=1), cookieseal.InvalidCookie, r"^cookieseal: invalid cookie: corrupt DEFLATE data$"),
        (lambda: forge(SECRET_A, "s", t(NOW) + _deflate(b"[1]")[:-1], flags=1), cookieseal.InvalidCookie, r"^cookieseal: invalid cookie: truncated DEFLATE stream$"),
        (lambda: forge(SECRET_A, "s", t(NOW) + _deflate(b"[1]") + b"\x00", flags=1), cookieseal.InvalidCookie, r"^cookieseal: invalid cookie: data after the final DEFLATE block$"),
        (lambda: forge(SECRET_A, "s", t(NOW) + _deflate(b"1" * 65537), flags=1), cookieseal.CookieTooLarge, r"^cookieseal: value inflates past 65536 bytes$"),
        (lambda: forge(SECRET_A, "s", t(NOW) + b"1" * 65537), cookieseal.CookieTooLarge, r"^cookieseal: value is 65537 bytes of JSON, limit 65536$"),
        (lambda: forge(SECRET_A, "s", t(NOW) + b"[1,]"), cookieseal.InvalidCookie, r"^cookieseal: invalid cookie: payload is not strict JSON \(SPEC.md section 5.3\)$"),
        (lambda: forge(SECRET_A, "s", t(NOW) + b"[1]", flags=2), cookieseal.InvalidCookie, r"^cookieseal: invalid cookie: typed values: the payload is not a map tag$"),
        (lambda: forge(SECRET_A, "s", t(NOW) + b'{"map":{"a":1.5}}', flags=2), cookieseal.InvalidCookie, r"^cookieseal: invalid cookie: payload is not well-formed session values \(SPEC.md section 6\)$"),
    ],
)
def test_opening_errors_say_why(make, error, message) -> None:  # type: ignore[no-untyped-def]
    # Operators read these in logs: each names its reason (and never the
    # cookie's age except when it expired, never a secret).
    with pytest.raises(error, match=message):
        codec(max_length=10**6).open("s", make())


def test_too_long_cookie_error_says_its_size_and_limit() -> None:
    c = codec()
    cookie = c.seal("s", 1)
    with pytest.raises(cookieseal.CookieTooLarge, match=rf"^cookieseal: cookie is {len(cookie) + 2} bytes with the name, limit {len(cookie) + 1}$"):
        codec(max_length=len(cookie) + 1).open("s", cookie)


def test_plain_cookie_opened_as_values_error_says_why() -> None:
    c = codec()
    with pytest.raises(cookieseal.InvalidCookie, match=r"^cookieseal: invalid cookie: \S"):
        c.open_values("s", c.seal("s", [1]))


def test_expired_errors_never_state_the_age() -> None:
    # SPEC 4: the age would reveal the sealed issued_at / created_at.
    c = codec(max_lifetime=100)
    with pytest.raises(cookieseal.ExpiredCookie) as e:
        c.open("s", c.seal("s", 1, created_at=NOW - 12345))
    assert str(e.value) == "cookieseal: cookie expired: session older than the max lifetime of 100s"
    with pytest.raises(cookieseal.ExpiredCookie) as e:
        c.open("s", c.seal("s", 1, issued_at=NOW - 86400 - 12345))
    assert str(e.value) == "cookieseal: cookie expired: older than the max age of 86400s"


def test_created_at_flag_with_exactly_16_plaintext_bytes_passes_the_times_check() -> None:
    # 16 bytes hold both times; the body is then empty, which is not JSON.
    with pytest.raises(cookieseal.InvalidCookie, match="payload"):
        codec().open("s", forge(SECRET_A, "s", t(NOW) + t(NOW - 1), flags=4))


def test_refresh_age_of_one_second() -> None:
    clock = Clock(NOW)
    c = codec(clock, refresh_age=1)
    cookie = c.seal("s", 1)
    assert not c.open_info("s", cookie)[1].reissue
    clock.t = NOW + 1
    assert c.open_info("s", cookie)[1].reissue


def test_clock_is_floored_to_whole_seconds_before_1970_too() -> None:
    assert codec(Clock(-0.5)).now() == -1
    assert codec(Clock(1.999)).now() == 1


def _collision() -> list[str]:
    import json

    from conftest import TESTDATA

    cases = json.loads((TESTDATA / "conformance" / "rings.json").read_text(encoding="utf-8"))["cases"]
    return list(next(c for c in cases if c["id"] == "rings/key-id-collision")["secrets"])


@pytest.mark.parametrize(
    "secrets,message",
    [
        ("a-single-string-of-more-than-32-bytes", r"^cookieseal: secrets must be a list of strings, not one string$"),
        ([], r"^cookieseal: no secrets: the ring needs at least one \(see generate_secret\)$"),
        ([SECRET_A, b"x" * 40], r"^cookieseal: secret 2 of 2 is a bytes, not a str$"),
        ([SECRET_A, "\ud800" * 40], r"^cookieseal: secret 2 of 2 is not valid Unicode: it holds a lone surrogate, which UTF-8 cannot encode$"),
        ([SECRET_A, "x" * 31], r"^cookieseal: secret 2 of 2 is 31 bytes, need at least 32 \(see generate_secret\)$"),
        ([SECRET_A, SECRET_B, SECRET_B], r"^cookieseal: secrets 2 and 3 are identical$"),
        ([SECRET_B, SECRET_A, SECRET_B], r"^cookieseal: secrets 1 and 3 are identical$"),
        (None, r"^cookieseal: secrets 1 and 2 derive the same key ID [0-9a-f]{8}; replace one$"),
    ],
)
def test_ring_errors_name_the_secret_by_position(secrets: object, message: str) -> None:
    # Which secret is wrong, by its position in the list, never its text.
    if secrets is None:
        secrets = [SECRET_A] + _collision()  # positions 2 and 3 collide
        message = message.replace("1 and 2", "2 and 3")
    with pytest.raises(cookieseal.ConfigError, match=message):
        cookieseal.Codec(secrets)  # type: ignore[arg-type]


def test_hkdf_output_length_is_0_to_8160_bytes() -> None:
    from cookieseal._codec import _hkdf_sha256

    assert _hkdf_sha256(b"k", b"s", b"i", 0) == b""
    assert len(_hkdf_sha256(b"k", b"s", b"i", 255 * 32)) == 8160
    for bad in (-1, 255 * 32 + 1):
        with pytest.raises(ValueError, match=r"^HKDF-SHA256 output is at most 8160 bytes$"):
            _hkdf_sha256(b"k", b"s", b"i", bad)


@pytest.mark.parametrize(
    "kw,message",
    [
        ({"max_age": 0}, r"^cookieseal: max_age must be an int of at least 1, got 0$"),
        ({"max_lifetime": -1}, r"^cookieseal: max_lifetime must be an int of at least 0, got -1$"),
        ({"refresh_age": -1}, r"^cookieseal: refresh_age must be an int of at least 0, got -1$"),
        ({"max_length": 0}, r"^cookieseal: max_length must be an int of at least 1, got 0$"),
        ({"max_payload": 0}, r"^cookieseal: max_payload must be an int of at least 1, got 0$"),
    ],
)
def test_limit_errors_name_the_setting(kw: dict, message: str) -> None:
    with pytest.raises(cookieseal.ConfigError, match=message):
        cookieseal.Codec([SECRET_A], **kw)
