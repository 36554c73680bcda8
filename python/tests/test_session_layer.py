"""The session lifecycle core (cookieseal._session, SESSIONS.md) on its own:
the Cookie header grammar (S2), names and prefixes (S3), bounded reading
(S4) and the write decisions (S5, S6). The integrations' own tests drive the
same rules through Flask and Starlette."""

from __future__ import annotations

from typing import Any

import pytest
from conftest import SECRET_A, SECRET_B, Clock

import cookieseal
from cookieseal import Codec, Map, Time
from cookieseal import _chunks
from cookieseal._session import Read, SessionLayer, error_class, session_data

NOW = 1795700000


def layer(clock: Clock | None = None, secrets: list[str] | None = None, codec: Codec | None = None, **kw: Any) -> SessionLayer:
    kw.setdefault("name", "session")
    if codec is None:
        codec = Codec(secrets or [SECRET_A], now=clock or Clock(NOW), **{k: kw.pop(k) for k in list(kw) if k in ("max_age", "max_lifetime", "refresh_age")})
    return SessionLayer(codec, **kw)


# --- S2: the Cookie header -----------------------------------------------------


@pytest.mark.parametrize("junk", ["\xa0", "\x85", "\u00a0\u00a0", "\x0b", "\x0c"])
def test_only_sp_and_htab_are_trimmed_so_a_planted_nbsp_name_is_not_the_session(junk: str) -> None:
    # str.strip() removes U+00A0 and U+0085: "\xa0__Host-session" would
    # become "__Host-session" (issue 19, finding 1).
    pairs = _chunks.parse_cookie_header(f"{junk}__Host-session=x; a=1")
    assert pairs == [("a", "1")]


def test_header_grammar() -> None:
    h = ' a=1 ;\tb = "q"\t; c; =d; e=""; f=x"y; g=x\\y; h=\xe9; i=a,b c; j=1=2;;k=\x7f'
    assert _chunks.parse_cookie_header(h) == [("a", "1"), ("b", "q"), ("e", ""), ("i", "a,b c"), ("j", "1=2")]


def test_names_are_tokens_compared_byte_for_byte() -> None:
    assert _chunks.parse_cookie_header("Session=1; se(ssion=2; session=3; session=3") == [
        ("Session", "1"),
        ("session", "3"),
        ("session", "3"),
    ]


def test_a_planted_nbsp_head_is_not_read_as_the_session() -> None:
    codec = Codec([SECRET_A], now=Clock(NOW))
    v = codec.seal("__Host-session", {"u": "mallory"})
    lay = layer(codec=codec, prefix="__Host-")
    assert lay.read(f"\xa0__Host-session={v}").outcome == "none"
    assert lay.read(f"__Host-session={v}").data == {"u": "mallory"}


def test_a_value_with_a_byte_over_0x7e_is_skipped_not_measured_as_utf8() -> None:
    # SESSIONS.md S2 step 5: the piece is skipped, so sizes are always bytes
    # of the header as received.
    lay = layer()
    assert lay.read("session=\xe9\xe9\xe9").outcome == "none"


# --- S3: names and prefixes ------------------------------------------------------


@pytest.mark.parametrize("name", ["s.1", "session.10", "a.0", "", "se ssion", "s\xa0", "__Host-s", "__host-s", "__SECURE-s"])
def test_bad_names_are_refused_at_configuration(name: str) -> None:
    with pytest.raises(cookieseal.ConfigError):
        layer(name=name)


def test_names_that_only_look_like_parts_are_fine() -> None:
    for name in ("s.x", "s1", "s.1a", "v2.session"):
        layer(name=name)


@pytest.mark.parametrize(
    "kw",
    [
        {"prefix": "__Host-", "domain": "example.test"},
        {"prefix": "__Host-", "path": "/app"},
        {"prefix": "__Host-", "insecure": True},
        {"prefix": "__Secure-", "insecure": True},
        {"prefix": "__Other-"},
        {"same_site": "None", "insecure": True},
        {"legacy_scopes": [("", "/")]},
        {"legacy_scopes": [("example.test", "/")], "prefix": "__Host-"},
        {"path": "/a;b"},
        {"name": "x" * 4040},
    ],
)
def test_bad_configurations_are_refused(kw: dict[str, Any]) -> None:
    with pytest.raises(cookieseal.ConfigError):
        layer(**kw)


def test_prefixed_full_name() -> None:
    assert layer(prefix="__Host-").full_name == "__Host-session"
    assert layer(prefix="__Secure-", domain="example.test").full_name == "__Secure-session"


# --- S4: bounded reading -----------------------------------------------------------


def test_a_part_count_or_suffix_of_5000_digits_is_no_crash() -> None:
    # int() refuses strings of more than 4,300 digits (a 500 before).
    lay = layer()
    big = "9" * 5000
    r = lay.read(f"session={big}.AQAAAAAAxxxx; session.{'1' * 5000}=x")
    assert r.outcome == "too_large"
    assert lay.read(f"session.{'1' * 5000}=x; session=abc").outcome == "invalid"
    assert _chunks.looks_sealed(f"{big}.AQAAAAAA") is True  # a count of any length, without int()
    assert _chunks.part_index("session", f"session.{'1' * 5000}") == 0


class Opens:
    """Counts the codec's open calls (each is one AEAD decryption)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.n = 0
        real = Codec._open_info

        def counted(codec: Codec, name: str, cookie: str, limit: int) -> Any:
            self.n += 1
            return real(codec, name, cookie, limit)

        monkeypatch.setattr(Codec, "_open_info", counted)


def attack_header(codec: Codec, name: str = "session") -> str:
    """About 92 KB: many distinct sealed-looking heads with counts, and two
    or more values for every part, then the real session last."""
    pieces = []
    good = codec.seal(name, {"u": "ada"})
    for i in range(340):
        fake = codec.seal(name, {"i": i, "pad": "p" * 100})[:-4] + "AAAA"  # looks sealed, does not open
        pieces.append(f"{name}=3.{fake}")
    for k in range(1, 10):
        for j in range(20):
            pieces.append(f"{name}.{k}={'B' * 40}{j:04d}")
    pieces.append(f"{name}={good}")
    return "; ".join(pieces)


def test_an_attack_header_costs_at_most_four_opens(monkeypatch: pytest.MonkeyPatch) -> None:
    codec = Codec([SECRET_A], now=Clock(NOW))
    h = attack_header(codec)
    assert 85_000 < len(h) < 100_000
    opens = Opens(monkeypatch)
    r = layer(codec=codec).read(h)
    assert opens.n <= 4
    # The real session came after 340 planted heads: not reached, so the
    # outcome is the first attempt's failure.
    assert r.outcome == "invalid" and r.data == {}


def test_attempts_are_cut_after_four_and_heads_are_deduplicated() -> None:
    pairs = [("s", "2.AQAAAAAAa"), ("s", "2.AQAAAAAAa"), ("s.1", "x"), ("s.1", "y"), ("s.1", "z"), ("s", "2.AQAAAAAAb"), ("s", "AQAAAAAAc"), ("s", "d")]
    got = _chunks.attempts("s", pairs, 10)
    assert [(h, p.get(1)) for h, p in got] == [("2.AQAAAAAAa", "x"), ("2.AQAAAAAAa", "y"), ("2.AQAAAAAAb", "x"), ("2.AQAAAAAAb", "y")]


def test_attempt_b_reads_a_session_behind_a_planted_part() -> None:
    codec = Codec([SECRET_A], now=Clock(NOW))
    v = codec.seal("session", {"big": "x" * 200})
    p0, p1 = v[:100], v[100:]
    lay = layer(codec=codec)
    r = lay.read(f"session.1=planted; session=2.{p0}; session.1={p1}")
    assert r.outcome == "ok" and r.data == {"big": "x" * 200}


def test_the_readers_part_limit_is_its_own_max_parts() -> None:
    codec = Codec([SECRET_A], now=Clock(NOW), max_length=200)
    v = Codec([SECRET_A], now=Clock(NOW)).seal("session", {"v": "y" * 300})  # about 500 characters
    parts = _chunks.split("session", v, 200, 10, 100000)
    header = "; ".join(f"{n}={p}" for n, p in parts)
    assert len(parts) >= 3
    assert layer(codec=codec, max_parts=len(parts)).read(header).outcome == "ok"
    assert layer(codec=codec, max_parts=len(parts) - 1).read(header).outcome == "too_large"


# --- S6.9: values from other implementations -------------------------------------------


@pytest.mark.parametrize(
    "values",
    [
        Map({"t": Time(2026, 1, 2, 3, 4, 5)}),
        Map({"b": b"\x00\x01"}),
        Map({1: "one"}),
        Map({"nested": {"d": cookieseal.Duration(5)}}),
    ],
)
def test_typed_values_without_a_plain_form_are_an_invalid_session(values: Map) -> None:
    with pytest.raises(cookieseal.InvalidCookie) as e:
        session_data(values)
    assert "one" not in str(e.value) and "nested" not in str(e.value)  # names a type, never a key or value


def test_typed_values_with_a_plain_form_are_represented() -> None:
    m = Map({"s": "a", "n": cookieseal.Int64(5), "f": cookieseal.Float32(0.5), "l": cookieseal.Strings(["x"]), "o": {"k": [1, None]}, "nil": cookieseal.Nil("strings")})
    assert session_data(m) == {"s": "a", "n": 5, "f": 0.5, "l": ["x"], "o": {"k": [1, None]}, "nil": None}
    assert type(session_data(m)["n"]) is int
    assert session_data(Map(nil=True)) == {}


# --- S6: writes -----------------------------------------------------------------------


def read_ok(lay: SessionLayer, data: dict[str, Any], **seal: int) -> Read:
    return lay.read(f"{lay.full_name}={lay.codec.seal(lay.full_name, data, **seal)}")


def test_a_read_writes_nothing_and_a_refused_session_is_not_refreshed() -> None:
    clock = Clock(NOW)
    lay = layer(clock, refresh_age=10)
    r = read_ok(lay, {"u": 1}, issued_at=NOW - 20)
    assert r.outcome == "ok"
    assert lay.save(r, r.data, changed=False)  # due refresh, accepted
    assert lay.save(r, r.data, changed=False, refused=True) == []
    assert lay.save(r, r.data, changed=False, status=401) == []
    assert lay.save(r, r.data, changed=False, framework_refresh=True, status=403) == []
    assert lay.save(r, {"u": 2}, changed=True, status=401)  # a change is written


def test_a_change_to_a_session_issued_in_the_future_starts_its_creation_now() -> None:
    clock = Clock(NOW)
    lay = layer(clock, refresh_age=1)
    r = read_ok(lay, {"u": 1}, issued_at=NOW + 30)
    assert r.outcome == "ok"
    for cookies in (lay.save(r, {"u": 2}, changed=True), lay.save(r, r.data, changed=False, framework_refresh=True)):
        (c,) = cookies
        _, info = lay.codec.open_info("session", c.value)
        assert info.issued_at == NOW and info.created_at == NOW


def test_expiry_at_write(caplog: pytest.LogCaptureFixture) -> None:
    clock = Clock(NOW)
    errors: list[cookieseal.CookiesealError] = []
    lay = layer(clock, max_lifetime=100, on_error=errors.append)
    r = read_ok(lay, {"u": 1}, issued_at=NOW - 50, created_at=NOW - 90)
    clock.t = NOW + 20  # the request ran long: the lifetime ended meanwhile
    assert lay.save(r, {"u": 2}, changed=True) == []
    assert [error_class(e) for e in errors] == ["expired"]
    assert lay.save(r, {"u": 2}, changed=True, renew=True)  # a login is a new session


def test_rotation_reissue_keeps_issued_at_and_expires_at_max_age() -> None:
    clock = Clock(NOW)
    old = Codec([SECRET_A], now=clock)
    lay = layer(clock, secrets=[SECRET_B, SECRET_A], max_age=100)
    r = lay.read(f"session={old.seal('session', {'u': 1}, issued_at=NOW - 90)}")
    (c,) = lay.save(r, r.data, changed=False)
    assert lay.codec.open_info("session", c.value)[1].issued_at == NOW - 90
    clock.t = NOW + 11
    assert lay.save(r, r.data, changed=False) == []


def test_login_starts_a_new_session() -> None:
    clock = Clock(NOW)
    lay = layer(clock)
    r = read_ok(lay, {"u": 1}, issued_at=NOW - 50, created_at=NOW - 900)
    (c,) = lay.save(r, {"u": 2}, changed=True)
    assert lay.codec.open_info("session", c.value)[1].created_at == NOW - 900
    (c,) = lay.save(r, {"u": 2}, changed=True, renew=True)
    assert lay.codec.open_info("session", c.value)[1].created_at == NOW


def test_legacy_scopes_are_expired_first_on_write_and_delete() -> None:
    lay = layer(legacy_scopes=[("Example.test", "/"), {"domain": None, "path": "/app"}])
    r = read_ok(lay, {"u": 1})
    out = lay.save(r, {"u": 2}, changed=True)
    assert [(c.name, c.scope.domain, c.scope.path, c.expire) for c in out] == [
        ("session", "Example.test", "/", True),
        ("session", None, "/app", True),
        ("session", None, "/", False),
    ]
    out = lay.save(r, {}, changed=True, emptied=True)
    assert [(c.scope.domain, c.scope.path, c.expire) for c in out] == [("Example.test", "/", True), (None, "/app", True), (None, "/", True)]


def test_a_bad_cookie_left_alone_is_not_deleted() -> None:
    lay = layer()
    r = lay.read("session=junk")
    assert r.outcome == "invalid"
    assert lay.save(r, {}, changed=False) == []
    assert [c.expire for c in lay.save(r, {}, changed=True, emptied=True)] == [True]


def test_render_and_replace() -> None:
    lay = layer(domain="example.test")
    r = read_ok(lay, {"u": 1})
    (c,) = lay.save(r, {"u": 2}, changed=True)
    line = lay.render(c, 3600)
    assert line.startswith("session=") and line.endswith("; Path=/; Domain=example.test; Max-Age=3600; HttpOnly; Secure; SameSite=Lax")
    assert lay.replaced("session=x; Path=/; Domain=.Example.test")
    assert lay.replaced("session.3=x; Domain=example.test; Path=/")
    assert not lay.replaced("session=x; Path=/")  # host-only: another scope
    assert not lay.replaced("session=x")
    assert not lay.replaced("other=x; Path=/; Domain=example.test")


def test_logout_deletes_even_when_the_request_carried_no_cookie() -> None:
    # A cross-site form post does not send SameSite=Lax cookies: logout must
    # still end the session (S6.8), and expire every part a value could use
    # (S5.4).
    lay = layer(max_header_bytes=20000)
    r = lay.read("other=1")
    assert r.outcome == "none" and not r.carried
    out = lay.save(r, {}, changed=True, emptied=True)
    n = _chunks.most_parts("session", 4096, 10, 20000)
    assert n > 1
    assert [(c.name, c.expire) for c in out] == [("session", True)] + [(f"session.{k}", True) for k in range(1, n)]
    # an empty session the handler did not touch: nothing
    assert lay.save(r, {}, changed=False) == []
