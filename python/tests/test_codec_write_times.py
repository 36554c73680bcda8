"""Codec.refresh and Codec.reseal at the edges of a session's life
(SESSIONS.md S6.4, S6.6), as Go's Codec.Refresh and Codec.Reissue."""

from __future__ import annotations

import pytest

from cookieseal import Codec, ExpiredCookie

SECRET = "codec-write-times-test-secret-0123456789"
T0 = 1_700_000_000


def codec(now: list[int], **kw: int) -> Codec:
    return Codec([SECRET], now=lambda: now[0], **kw)


def test_refresh_of_a_cookie_from_a_clock_ahead_moves_created_to_now() -> None:
    clock = [T0 + 30]
    ahead = codec(clock)
    cookie = ahead.seal("s", {"a": 1})
    clock[0] = T0  # this server is 30 s behind the one that sealed
    value, info = ahead.open_info("s", cookie)
    assert info.created_at == T0 + 30
    _, again = ahead.open_info("s", ahead.refresh("s", value, info))
    assert (again.issued_at, again.created_at) == (T0, T0)


def test_refresh_past_max_lifetime_is_expired_and_at_the_limit_is_not() -> None:
    clock = [T0]
    c = codec(clock, max_age=3600, max_lifetime=7200)
    value, info = c.open_info("s", c.seal("s", {"a": 1}))
    clock[0] = T0 + 7200
    _, again = c.open_info("s", c.refresh("s", value, info))
    assert (again.issued_at, again.created_at) == (T0 + 7200, T0)
    clock[0] = T0 + 7201
    with pytest.raises(ExpiredCookie):
        c.refresh("s", value, info)


def test_reseal_past_max_age_is_expired_and_at_the_limit_is_not() -> None:
    clock = [T0]
    c = codec(clock, max_age=3600)
    value, info = c.open_info("s", c.seal("s", {"a": 1}))
    clock[0] = T0 + 3600
    _, again = c.open_info("s", c.reseal("s", value, info))
    assert again.issued_at == T0
    clock[0] = T0 + 3601
    with pytest.raises(ExpiredCookie):
        c.reseal("s", value, info)


def test_reseal_past_max_lifetime_is_expired() -> None:
    clock = [T0]
    c = codec(clock, max_age=3600, max_lifetime=3700)
    value, info = c.open_info("s", c.seal("s", {"a": 1}, issued_at=T0, created_at=T0 - 200))
    clock[0] = T0 + 3500
    c.reseal("s", value, info)
    clock[0] = T0 + 3501
    with pytest.raises(ExpiredCookie):
        c.reseal("s", value, info)
