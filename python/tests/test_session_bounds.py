"""Exact bounds and exact texts of the session layer (cookieseal._session,
cookieseal._chunks), one test per rule that the mutation run of issue 19
found untested (python/MUTATION.md). Each asserts the behaviour at the edge
where a neighbouring constant or operator would give another answer."""

from __future__ import annotations

import logging
from typing import Any

import pytest
from conftest import SECRET_A, SECRET_B, Clock

import cookieseal
from cookieseal import Codec, Map, Time
from cookieseal import _chunks
from cookieseal._session import Scope, SessionLayer, cookie_header, error_class, session_data
from cookieseal._values import Named

NOW = 1795700000


def layer(**kw: Any) -> SessionLayer:
    kw.setdefault("name", "session")
    return SessionLayer(Codec([SECRET_A], now=Clock(NOW)), **kw)


def nested(n: int) -> Map:
    """n containers, alternating objects and arrays, the root a Map, around 1."""
    v: Any = 1
    for i in range(n - 1):
        v = [v] if i % 2 else {"k": v}
    return Map({"k": v})


# --- S6.9: what a typed session holds ----------------------------------------------


def test_an_error_that_is_none_of_the_four_classes_is_invalid() -> None:
    assert error_class(cookieseal.CookiesealError("x")) == "invalid"


def test_booleans_stay_booleans() -> None:
    got = session_data(Map({"t": True, "f": False}))
    assert got == {"t": True, "f": False}
    assert got["t"] is True and got["f"] is False


@pytest.mark.parametrize(
    "value, held",
    [
        (Time(2026, 1, 2, 3, 4, 5), "a Go time.Time"),
        (b"\x00", "a Go []byte"),
        (cookieseal.Duration(5), "a Go time.Duration"),
        ({1, 2}, "a set"),
    ],
)
def test_the_invalid_session_error_names_the_type_it_holds(value: Any, held: str) -> None:
    with pytest.raises(cookieseal.InvalidCookie) as e:
        session_data(Map({"v": value}))
    assert str(e.value) == f"cookieseal: invalid session: it holds {held}, which this integration cannot hold as JSON"


def test_a_map_key_that_is_not_a_string_is_named_as_such() -> None:
    with pytest.raises(cookieseal.InvalidCookie, match="it holds a map key that is not a string,"):
        session_data(Map({"o": Map({1: "one"})}))


def test_nesting_is_refused_past_the_formats_depth_and_not_before() -> None:
    assert session_data(nested(512))  # 512 containers: what the format allows
    with pytest.raises(cookieseal.InvalidCookie) as e:
        session_data(nested(513))
    assert "it holds nesting deeper than the format allows," in str(e.value)


@pytest.mark.parametrize("value", [float("nan"), 10**400, "\ud800"])
def test_a_plain_value_the_writer_would_refuse_is_an_invalid_session(value: Any) -> None:
    with pytest.raises(cookieseal.InvalidCookie, match="its values have no plain JSON form"):
        session_data(Map({"v": value}))


def test_a_named_value_is_its_plain_value() -> None:
    assert session_data(Map({"x": Named("T", {"a": [1]})})) == {"x": {"a": [1]}}


def test_empty_and_nil_maps_inside_a_session() -> None:
    assert session_data(Map({"e": {}, "m": Map(), "a": 1, "n": Map(nil=True), "z": 2})) == {"e": {}, "m": {}, "a": 1, "n": None, "z": 2}


# --- S6.2: the report of a refused cookie ---------------------------------------------


def test_a_refused_cookie_is_logged_by_name_stage_class_and_message(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="cookieseal")
    assert layer().read("session=junk").outcome == "invalid"
    (rec,) = caplog.records
    assert rec.getMessage() == "cookieseal: session session did not open: invalid: cookieseal: invalid cookie: 3 bytes, a cookie has at least 54"


# --- S5.1, S5.6: rendering and replacing ------------------------------------------------


def test_partitioned_is_rendered_last() -> None:
    lay = layer(partitioned=True)
    (c,) = lay.save(lay.read(""), {"u": 1}, changed=True)
    assert lay.render(c, 60).endswith("; Max-Age=60; HttpOnly; Secure; SameSite=Lax; Partitioned")


@pytest.mark.parametrize(
    "line, replaced",
    [
        ("session=a=b; Path=/; Domain=example.test", True),  # the name ends at the first =
        ("\xa0session=x; Path=/; Domain=example.test", False),  # only SP and HTAB are trimmed
        ("sessionX=x; Path=/; Domain=example.test", False),
        ("session=x; \xa0Path=/; Domain=example.test", False),
        ("session=x; PathX=/; Domain=example.test", False),
        ("session=x; Path=/; Domain=\xa0example.test", False),
        ("session=x; Path=/; Domain=example.testX", False),
        ("session=x; Path=/; Domain=Xexample.test", False),
        ("session=x; Path=\xa0/; Domain=example.test", False),
        ("session=x; Path=/X; Domain=example.test", False),
        ("session=x; Path=/ ; Domain=.example.test ", True),
    ],
)
def test_replaced_reads_name_and_attributes_as_browsers_do(line: str, replaced: bool) -> None:
    assert layer(domain="example.test").replaced(line) is replaced


def test_replaced_splits_an_attribute_at_its_first_equals_sign() -> None:
    assert layer(path="/x=y").replaced("session=v; Path=/x=y")


@pytest.mark.parametrize("configured", [".example.test", ".Example.Test"])
def test_replaced_ignores_a_leading_dot_of_the_configured_domain(configured: str) -> None:
    assert layer(domain=configured).replaced("session=x; Path=/; Domain=example.test")


def test_replaced_strips_only_dots_from_the_configured_domain() -> None:
    assert layer(domain="Xexample.test").replaced("session=x; Path=/; Domain=xexample.test")
    assert not layer(domain="Xexample.test").replaced("session=x; Path=/; Domain=example.test")


def test_cookie_header_joins_fields_with_semicolon_space() -> None:
    assert cookie_header(["a=1", "b=2; c=3"]) == "a=1; b=2; c=3"


# --- S4.3: part names ----------------------------------------------------------------------


def test_part_numbers_stop_below_the_limit_of_50() -> None:
    assert _chunks.part_index("s", "s.49") == 49
    assert _chunks.part_index("s", "s.50") == 0
    assert _chunks.part_index("s", "s.99") == 0


# --- S5.4 and SPEC 10: cutting and stale parts ----------------------------------------------


def test_split_fills_parts_of_one_character() -> None:
    # "s.k=" leaves one byte of a 5-byte cookie; "s=" and "6." leave one too.
    assert _chunks.split("s", "abcdef", 5, 10, 10**6) == [("s", "6.a"), ("s.1", "b"), ("s.2", "c"), ("s.3", "d"), ("s.4", "e"), ("s.5", "f")]


def test_split_errors_state_the_limit_that_was_passed() -> None:
    with pytest.raises(cookieseal.CookieTooLarge) as e:
        _chunks.split("s", "x" * 100, 10, 3, 10**6)
    assert str(e.value) == "cookieseal: cookie 's': the value needs more than 3 cookies of 10 bytes"
    with pytest.raises(cookieseal.CookieTooLarge) as e:
        _chunks.split("s", "x" * 100, 4096, 3, 50)
    assert str(e.value) == "cookieseal: cookie 's': 102 bytes of Cookie header, budget 50"


# k parts take k-1 full cookies of 4096 bytes, "session.{k-1}=x" (11 bytes)
# and k-1 separators "; ".
@pytest.mark.parametrize("k, budget", [(2, 4096 + 11 + 2), (3, 2 * 4096 + 11 + 4), (10, 9 * 4096 + 11 + 18)])
def test_most_parts_at_the_exact_budget(k: int, budget: int) -> None:
    assert _chunks.most_parts("session", 4096, 10, budget) == k
    assert _chunks.most_parts("session", 4096, 10, budget - 1) == k - 1


def test_most_parts_is_at_least_one_and_at_most_max_parts() -> None:
    assert _chunks.most_parts("session", 4096, 10, 5) == 1
    assert _chunks.most_parts("session", 4096, 10, 10**6) == 10


def test_stale_parts_are_counted_for_the_sessions_own_name() -> None:
    # One byte short of room for a third cookie named "session.2": a
    # logout that saw no cookie expires session.1 only.
    lay = layer(max_header_bytes=2 * 4096 + 11 + 4 - 1)
    out = lay.save(lay.read(""), {}, changed=True, emptied=True)
    assert [c.name for c in out] == ["session", "session.1"]


# --- S4: assembling an attempt (SPEC 10 reading step 5) --------------------------------------


def test_a_head_is_cut_at_its_first_dot() -> None:
    assert _chunks.assemble("s", "2.ab.c", {1: "d"}, 4096, 10) == "ab.cd"


@pytest.mark.parametrize(
    "head, parts, max_length, err, message",
    [
        ("x" * 20, {}, 10, cookieseal.CookieTooLarge, "cookieseal: cookie 's' is over 10 bytes with its name"),
        ("02.ab", {}, 4096, cookieseal.InvalidCookie, "cookieseal: invalid cookie: s: bad part count"),
        ("11.ab", {}, 4096, cookieseal.CookieTooLarge, "cookieseal: cookie 's': more than 10 parts"),
        ("2.", {1: "a"}, 4096, cookieseal.InvalidCookie, "cookieseal: invalid cookie: s: part 0 is empty"),
        ("3.ab", {1: "c"}, 4096, cookieseal.InvalidCookie, "cookieseal: invalid cookie: s: part 2 of 3 is missing"),
        ("2.ab", {1: ""}, 4096, cookieseal.InvalidCookie, "cookieseal: invalid cookie: s: part 1 is empty"),
        ("2.ab", {1: "c" * 20}, 10, cookieseal.CookieTooLarge, "cookieseal: cookie 's.1' is over 10 bytes with its name"),
    ],
)
def test_assemble_errors(head: str, parts: dict[int, str], max_length: int, err: type[Exception], message: str) -> None:
    with pytest.raises(err) as e:
        _chunks.assemble("s", head, parts, max_length, 10)
    assert str(e.value) == message


def test_looks_sealed() -> None:
    assert _chunks.looks_sealed("AQAAAAAA")  # version 1, no flag
    assert _chunks.looks_sealed("AQAAAAAB")  # flag bit 0 (compressed) is known
    assert _chunks.looks_sealed("2.AQAAAAAA.x")  # the count ends at the first dot
    assert not _chunks.looks_sealed("junk")
    assert not _chunks.looks_sealed("AQAAAAAI")  # an unknown flag bit
    assert not _chunks.looks_sealed("AgAAAAAA")  # version 2
    assert not _chunks.looks_sealed("x.AQAAAAAA")  # not a count: the dot is part of the head
    assert not _chunks.looks_sealed("1.AQAAAAAA")  # a count is at least 2


def test_session_data_error_texts() -> None:
    with pytest.raises(cookieseal.InvalidCookie) as e:
        session_data([1])
    assert str(e.value) == "cookieseal: invalid session: the cookie holds JSON that is not an object"
    with pytest.raises(cookieseal.InvalidCookie) as e:
        session_data(Map({"v": float("nan")}))
    assert str(e.value) == "cookieseal: invalid session: its values have no plain JSON form"


# --- S6: write decisions at their edges ----------------------------------------------


def rotated(clock: Clock, max_header_bytes: int = 3072, **kw: Any) -> tuple[SessionLayer, list[cookieseal.CookiesealError], Codec]:
    """A layer sealing with B that reads cookies of A (a rotation re-issue
    is due for every cookie it reads)."""
    errors: list[cookieseal.CookiesealError] = []
    codec = Codec([SECRET_B, SECRET_A], now=clock, **kw)
    return SessionLayer(codec, name="session", max_header_bytes=max_header_bytes, on_error=errors.append), errors, Codec([SECRET_A], now=clock, **kw)


def test_a_refusing_status_starts_at_400() -> None:
    clock = Clock(NOW)
    lay, _, old = rotated(clock)
    r = lay.read(f"session={old.seal('session', {'u': 1})}")
    assert lay.save(r, r.data, changed=False, status=399)
    assert lay.save(r, r.data, changed=False, status=400) == []


def test_a_refresh_age_of_one_second_refreshes() -> None:
    codec = Codec([SECRET_A], now=Clock(NOW), refresh_age=1)
    lay = SessionLayer(codec, name="session")
    r = lay.read(f"session={codec.seal('session', {'u': 1}, issued_at=NOW - 1)}")
    (c,) = lay.save(r, r.data, changed=False)
    assert codec.open_info("session", c.value)[1].issued_at == NOW


def test_a_reissue_at_exactly_max_age_is_written_and_one_second_later_reported(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="cookieseal")
    clock = Clock(NOW)
    lay, errors, old = rotated(clock, max_age=100)
    r = lay.read(f"session={old.seal('session', {'u': 1}, issued_at=NOW - 100)}")
    assert r.outcome == "ok"
    assert lay.save(r, r.data, changed=False)
    clock.t = NOW + 1
    assert lay.save(r, r.data, changed=False) == []
    assert [error_class(e) for e in errors] == ["expired"]
    assert caplog.records[-1].getMessage() == (
        "cookieseal: session session not written: expired: cookieseal: cookie expired: older than the max age of 100s at write"
    )


def test_a_change_at_exactly_max_lifetime_is_written_and_one_second_later_reported(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="cookieseal")
    clock = Clock(NOW)
    codec = Codec([SECRET_A], now=clock, max_lifetime=1000)
    lay = SessionLayer(codec, name="session")
    r = lay.read(f"session={codec.seal('session', {'u': 1}, issued_at=NOW, created_at=NOW - 1000)}")
    assert r.outcome == "ok"
    assert lay.save(r, {"u": 2}, changed=True)
    clock.t = NOW + 1
    assert lay.save(r, {"u": 2}, changed=True) == []
    assert caplog.records[-1].getMessage() == (
        "cookieseal: session session not written: expired: cookieseal: cookie expired: session older than the max lifetime of 1000s at write"
    )


def test_a_reissue_that_does_not_fit_the_budget_is_reported_not_raised(caplog: pytest.LogCaptureFixture) -> None:
    # The reader does not apply the header budget (S1): a session written
    # under a larger one opens, but its re-issue does not fit this writer's.
    caplog.set_level(logging.INFO, logger="cookieseal")
    clock = Clock(NOW)
    lay, errors, old = rotated(clock)
    value = old._seal_plain("session", {"big": os_random_text(5000)}, NOW, NOW, 100000)
    header = "; ".join(f"{n}={v}" for n, v in _chunks.split("session", value, 4096, 10, 100000))
    r = lay.read(header)
    assert r.outcome == "ok"
    assert lay.save(r, r.data, changed=False) == []
    assert [error_class(e) for e in errors] == ["too_large"]
    assert caplog.records[-1].getMessage().startswith("cookieseal: session session not re-issued: too_large: cookieseal: cookie 'session': ")
    # the same value, set by the handler, raises
    with pytest.raises(cookieseal.CookieTooLarge):
        lay.save(r, r.data, changed=True)
    with pytest.raises(cookieseal.CookieTooLarge):
        lay.save(r, r.data, changed=True, renew=True)


def test_a_reissue_of_values_without_json_form_is_reported_not_raised(caplog: pytest.LogCaptureFixture) -> None:
    # The handler put a set into the session without marking it changed.
    caplog.set_level(logging.INFO, logger="cookieseal")
    clock = Clock(NOW)
    lay, errors, old = rotated(clock)
    r = lay.read(f"session={old.seal('session', {'u': 1})}")
    assert lay.save(r, {"u": {1, 2}}, changed=False) == []
    assert [str(e) for e in errors] == ["cookieseal: session not re-issued: UnsupportedValue"]
    assert caplog.records[-1].getMessage() == (
        "cookieseal: session session not re-issued: invalid: cookieseal: session not re-issued: UnsupportedValue"
    )


def os_random_text(n: int) -> str:
    """n characters that do not compress."""
    import base64
    import os

    return base64.b64encode(os.urandom(n)).decode()[:n]


# --- S4.3, S4.4: which pairs make attempts ----------------------------------------------


def test_only_part_names_below_max_parts_make_attempt_b() -> None:
    h = "2.AQAAAAAAa"
    assert len(_chunks.attempts("s", [("s", h), ("s.x", "1"), ("s.x", "2"), ("s.1", "p")], 10)) == 1
    assert len(_chunks.attempts("s", [("s", "99.AQAAAAAAa"), ("s.10", "a"), ("s.10", "b")], 10)) == 1
    assert len(_chunks.attempts("s", [("s", "10.AQAAAAAAa"), ("s.12", "a"), ("s.12", "b")], 20)) == 1
    assert len(_chunks.attempts("s", [("s", "2.AQAAAAAA.c"), ("s.1", "a"), ("s.1", "b")], 10)) == 2


# --- S3, S5.1: configuration at its edges ---------------------------------------------------


@pytest.mark.parametrize("v", ["!", '"', "~", "Xa", "a.b"])
def test_attribute_values_from_0x21_to_0x7e_are_accepted(v: str) -> None:
    assert layer(domain=v).scope.domain == v
    assert layer(path="/" + v).scope.path == "/" + v


@pytest.mark.parametrize(
    "kw, message",
    [
        ({"domain": "a\x7f"}, "cookieseal: domain 'a\\x7f' is not a valid cookie attribute value"),
        ({"domain": "a,b"}, "cookieseal: domain 'a,b' is not a valid cookie attribute value"),
        ({"path": "/ a"}, "cookieseal: path '/ a' is not a valid cookie attribute value"),
        ({"path": "app"}, "cookieseal: path 'app' must start with /"),
        ({"prefix": "x"}, "cookieseal: prefix 'x', want one of ('', '__Host-', '__Secure-')"),
        ({"name": "a b"}, "cookieseal: cookie name 'a b' is not a token (RFC 9110)"),
        ({"name": "s.1"}, "cookieseal: cookie name 's.1' ends in . and digits, the names of parts"),
        ({"name": "__host-s"}, "cookieseal: cookie name '__host-s' starts with a prefix: give the prefix as the prefix option"),
        ({"max_parts": True}, "cookieseal: max_parts True, want 1 to 50"),
        ({"max_parts": "3"}, "cookieseal: max_parts '3', want 1 to 50"),
        ({"max_header_bytes": True}, "cookieseal: max_header_bytes True, want at least 1"),
        ({"max_header_bytes": "3"}, "cookieseal: max_header_bytes '3', want at least 1"),
        ({"max_header_bytes": 0}, "cookieseal: max_header_bytes 0, want at least 1"),
    ],
)
def test_configuration_errors_say_what_is_wrong(kw: dict[str, Any], message: str) -> None:
    with pytest.raises(cookieseal.ConfigError) as e:
        layer(**kw)
    assert str(e.value) == message


def test_a_header_budget_of_one_byte_is_a_configuration() -> None:
    assert layer(max_header_bytes=1).max_header_bytes == 1


# --- S4: what a read records ----------------------------------------------------------------


def test_a_read_records_its_clock_and_whether_the_session_was_carried() -> None:
    lay = layer()
    for header, carried in (("", False), ("session=junk", True), ("session.1=x", True)):
        r = lay.read(header)
        assert (r.now, r.carried) == (NOW, carried)
    assert lay.read("session=junk; session.3=x").sent == [3]


# --- S3, S3.5, S5.1: the remaining configuration edges (second mutation run) ----------------


def sized(max_length: int, **kw: Any) -> SessionLayer:
    kw.setdefault("name", "session")
    return SessionLayer(Codec([SECRET_A], now=Clock(NOW), max_length=max_length), **kw)


def config_error(**kw: Any) -> str:
    with pytest.raises(cookieseal.ConfigError) as e:
        layer(**kw)
    return str(e.value)


def test_an_empty_path_is_slash_and_an_empty_domain_is_host_only() -> None:
    assert layer(path="").scope == Scope(None, "/")
    assert layer(domain="").scope == Scope(None, "/")
    assert layer(legacy_scopes=[("example.test", "")]).legacy_scopes == (Scope("example.test", "/"),)
    assert layer(path="/app", legacy_scopes=[("", "")]).legacy_scopes == (Scope(None, "/"),)


@pytest.mark.parametrize(
    "prefix, max_parts, longest",
    [
        ("", 1, "session"),
        ("", 2, "session.1"),
        ("", 10, "session.9"),
        ("", 11, "session.10"),
        ("__Secure-", 1, "__Secure-session"),
        ("__Host-", 11, "__Host-session.10"),
    ],
)
def test_the_name_leaves_at_least_64_bytes_of_value_exactly(prefix: str, max_parts: int, longest: str) -> None:
    need = len(longest) + 1 + 64  # the longest part name, "=", 64 bytes of value
    lay = sized(need, prefix=prefix, max_parts=max_parts)
    assert (lay.full_name, lay.max_parts) == (prefix + "session", max_parts)
    with pytest.raises(cookieseal.ConfigError) as e:
        sized(need - 1, prefix=prefix, max_parts=max_parts)
    assert str(e.value) == f"cookieseal: cookie name '{prefix}session' leaves less than 64 bytes of value in a cookie"


@pytest.mark.parametrize("given, kept", [("None", "None"), ("none", "None"), ("NONE", "None"), ("strict", "Strict"), ("lax", "Lax"), (None, None)])
def test_same_site_is_normalised_and_none_is_accepted_with_secure(given: Any, kept: Any) -> None:
    lay = layer(same_site=given)
    assert lay.same_site == kept
    assert lay.secure is True


def test_same_site_none_is_refused_insecure_and_lax_strict_are_not() -> None:
    assert config_error(same_site="None", insecure=True) == "cookieseal: SameSite=None needs Secure"
    assert config_error(same_site="none", insecure=True) == "cookieseal: SameSite=None needs Secure"
    for ss in ("Lax", "Strict"):
        lay = layer(same_site=ss, insecure=True)
        assert (lay.same_site, lay.secure) == (ss, False)
    assert layer(same_site=None, insecure=True).same_site is None


def test_an_unknown_same_site_error_text() -> None:
    assert config_error(same_site="bogus") == "cookieseal: same_site 'bogus', want Lax, Strict or None"
    assert config_error(same_site="") == "cookieseal: same_site '', want Lax, Strict or None"


def test_prefix_configuration_error_texts() -> None:
    assert config_error(prefix="__Secure-", insecure=True) == "cookieseal: the __Secure- prefix needs Secure; an insecure configuration has no prefix"
    assert config_error(prefix="__Host-", insecure=True) == "cookieseal: the __Host- prefix needs Secure; an insecure configuration has no prefix"
    assert config_error(prefix="__Host-", path="/app") == "cookieseal: the __Host- prefix needs Path=/ and no Domain"
    assert config_error(prefix="__Host-", domain="example.test") == "cookieseal: the __Host- prefix needs Path=/ and no Domain"
    assert layer(prefix="__Host-", path="", domain="").scope == Scope(None, "/")
    assert layer(prefix="__Secure-", path="/app", domain="example.test").scope == Scope("example.test", "/app")
    assert layer(insecure=True).secure is False


def test_a_legacy_scope_may_be_a_scope_a_mapping_or_a_pair() -> None:
    lay = layer(
        path="/app",
        legacy_scopes=[Scope("example.test", "/old"), {"domain": "example.test", "path": "/m"}, ("example.test", "/p"), Scope(None, "")],
    )
    assert lay.legacy_scopes == (Scope("example.test", "/old"), Scope("example.test", "/m"), Scope("example.test", "/p"), Scope(None, "/"))
    assert layer(legacy_scopes=[Scope("", "/x")]).legacy_scopes == (Scope(None, "/x"),)
    assert layer(legacy_scopes=[{"path": "/x"}]).legacy_scopes == (Scope(None, "/x"),)
    # duplicates, however given, are kept once
    assert layer(legacy_scopes=[Scope("a.test", "/x"), ("a.test", "/x"), {"domain": "a.test", "path": "/x"}]).legacy_scopes == (Scope("a.test", "/x"),)


def test_a_legacy_scope_given_as_a_scope_is_checked() -> None:
    assert config_error(legacy_scopes=[Scope("a b", "/")]) == "cookieseal: domain 'a b' is not a valid cookie attribute value"
    assert config_error(legacy_scopes=[Scope(None, "x")]) == "cookieseal: path 'x' must start with /"
    assert config_error(legacy_scopes=[Scope(None, "/")]) == "cookieseal: legacy scope Scope(domain=None, path='/') is the current scope"
    assert config_error(legacy_scopes=[Scope("", "")]) == "cookieseal: legacy scope Scope(domain=None, path='/') is the current scope"


def test_legacy_scope_error_texts() -> None:
    assert config_error(prefix="__Secure-", legacy_scopes=[("a.test", "/")]) == "cookieseal: legacy scopes with a prefix: the old cookies had another name"
    assert config_error(prefix="__Secure-", legacy_scopes=[Scope("a.test", "/")]) == "cookieseal: legacy scopes with a prefix: the old cookies had another name"
    assert config_error(legacy_scopes=[("", "/")]) == "cookieseal: legacy scope Scope(domain=None, path='/') is the current scope"
    assert config_error(legacy_openers=[1]) == "cookieseal: legacy openers must be callables"


@pytest.mark.parametrize("prefix", ["", "__Host-", "__Secure-"])
def test_the_layer_keeps_its_name_and_prefix_apart(prefix: str) -> None:
    lay = layer(name="sid", prefix=prefix)
    assert (lay.name, lay.prefix, lay.full_name) == ("sid", prefix, prefix + "sid")
    assert repr(lay) == f"SessionLayer('{prefix}sid', scope=Scope(domain=None, path='/'), secure=True)"


def test_the_layer_keeps_its_other_options() -> None:
    def hook(e: cookieseal.CookiesealError) -> None:
        pass

    def opener(v: str) -> dict[str, Any]:
        return {}

    lay = layer(max_parts=7, max_header_bytes=999, http_only=False, partitioned=True, on_error=hook, legacy_openers=[opener])
    assert (lay.max_parts, lay.max_header_bytes, lay.http_only, lay.partitioned) == (7, 999, False, True)
    assert lay.on_error is hook and lay.legacy_openers == (opener,) and lay.revocations is None
    d = layer()
    assert (d.max_parts, d.max_header_bytes, d.http_only, d.partitioned, d.same_site) == (_chunks.DEFAULT_MAX_PARTS, _chunks.DEFAULT_MAX_HEADER_BYTES, True, False, "Lax")
    assert d.on_error is None and d.legacy_openers == () and d.legacy_scopes == ()
