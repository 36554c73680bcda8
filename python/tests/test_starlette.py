"""The Starlette/FastAPI session middleware, through Starlette's TestClient."""

from __future__ import annotations

import os

import pytest
from conftest import SECRET_A, SECRET_B, Clock

pytest.importorskip("starlette")
pytest.importorskip("httpx")
from starlette.applications import Starlette  # noqa: E402
from starlette.requests import Request  # noqa: E402
from starlette.responses import JSONResponse, PlainTextResponse  # noqa: E402
from starlette.routing import Route  # noqa: E402
from starlette.testclient import TestClient  # noqa: E402

import cookieseal  # noqa: E402
from cookieseal import Codec  # noqa: E402
from cookieseal.starlette import SealedSessionMiddleware  # noqa: E402

NOW = 1795700000


async def set_(request: Request) -> PlainTextResponse:
    request.session.update(dict(request.query_params))
    return PlainTextResponse("ok")


async def big(request: Request) -> PlainTextResponse:
    request.session["big"] = os.urandom(int(request.query_params["n"])).hex()
    return PlainTextResponse("ok")


async def get(request: Request) -> JSONResponse:
    info = request.scope["cookieseal_info"]
    return JSONResponse({"session": request.session, "key_id": info and info.key_id})


async def clear(request: Request) -> PlainTextResponse:
    request.session.clear()
    return PlainTextResponse("ok")


def client(codec: Codec, **kw: object) -> TestClient:
    app = Starlette(routes=[Route("/set", set_), Route("/big", big), Route("/get", get), Route("/clear", clear)])
    app.add_middleware(SealedSessionMiddleware, codec=codec, **kw)
    return TestClient(app, base_url="https://testserver")


def set_cookie_headers(r) -> list[str]:  # type: ignore[no-untyped-def]
    return r.headers.get_list("set-cookie")


def test_round_trip_attributes_and_headers() -> None:
    c = client(Codec([SECRET_A]))
    r = c.get("/set?user=ada")
    (h,) = set_cookie_headers(r)
    assert "HttpOnly" in h and "Secure" in h and "SameSite=Lax" in h and "Path=/" in h
    assert r.headers["cache-control"] == "no-store" and "Cookie" in r.headers["vary"]
    value = h.split(";")[0].split("=", 1)[1]
    assert Codec([SECRET_A]).open("session", value) == {"user": "ada"}
    r = c.get("/get")
    assert r.json()["session"] == {"user": "ada"}
    assert set_cookie_headers(r) == []  # unchanged: not re-sent


def test_bad_cookies_give_an_empty_session() -> None:
    c = client(Codec([SECRET_A]))
    for bad in ("junk", Codec([SECRET_B]).seal("session", {"u": 1}), Codec([SECRET_A]).seal("other", {"u": 1})):
        c.cookies.set("session", bad, domain="testserver.local")
        assert c.get("/get").json()["session"] == {}
        c.cookies.clear()


def test_expired_cookie_gives_an_empty_session() -> None:
    clock = Clock(NOW)
    c = client(Codec([SECRET_A], now=clock, max_age=60))
    c.get("/set?a=1")
    clock.t = NOW + 61
    assert c.get("/get").json()["session"] == {}


def test_rotation_reissues_keeping_issued_at() -> None:
    clock = Clock(NOW)
    value = Codec([SECRET_A], now=clock).seal("session", {"u": "1"})
    clock.t = NOW + 10
    c = client(Codec([SECRET_B, SECRET_A], now=clock))
    c.cookies.set("session", value, domain="testserver.local")
    r = c.get("/get")
    assert r.json() == {"session": {"u": "1"}, "key_id": Codec([SECRET_A]).key_ids[0]}
    (h,) = set_cookie_headers(r)
    _, info = Codec([SECRET_B], now=clock).open_info("session", h.split(";")[0].split("=", 1)[1])
    assert info.issued_at == NOW and info.key_id == Codec([SECRET_B]).key_ids[0]


def test_clear_deletes_cookie_and_parts() -> None:
    c = client(Codec([SECRET_A]), max_header_bytes=40000)
    r = c.get("/big?n=4000")
    names = [h.split("=")[0] for h in set_cookie_headers(r) if "Max-Age=0" not in h]
    assert names == ["session", "session.1", "session.2"]
    assert c.get("/get").json()["session"]["big"]
    r = c.get("/clear")
    deleted = [h.split("=")[0] for h in set_cookie_headers(r) if "Max-Age=0" in h]
    assert deleted == ["session", "session.1", "session.2"]


def test_config_errors() -> None:
    with pytest.raises(cookieseal.ConfigError):
        SealedSessionMiddleware(None, secrets=None)  # type: ignore[arg-type]
    with pytest.raises(cookieseal.ConfigError):
        SealedSessionMiddleware(None, secrets=[SECRET_A], same_site="none", https_only=False)  # type: ignore[arg-type]
    with pytest.raises(cookieseal.ConfigError):
        SealedSessionMiddleware(None, secrets=["short"])  # type: ignore[arg-type]


# --- issue 19 (SESSIONS.md) ------------------------------------------------------

import base64  # noqa: E402
from typing import Any  # noqa: E402

from starlette.types import ASGIApp, Receive, Scope, Send  # noqa: E402

import cookieseal.starlette  # noqa: E402


class RawCookie:
    """Test shim, outside the middleware: Starlette's TestClient re-encodes
    header values as UTF-8 (a byte 0xA0 arrives as C2 A0), so the exact
    Cookie header bytes travel base64-encoded in x-raw-cookie and are put
    back here as the one Cookie field a server would pass on."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            raw = [v for k, v in scope["headers"] if k == b"x-raw-cookie"]
            if raw:
                headers = [(k, v) for k, v in scope["headers"] if k not in (b"x-raw-cookie", b"cookie")]
                scope = dict(scope, headers=headers + [(b"cookie", base64.b64decode(raw[0]))])
        await self.app(scope, receive, send)


def raw_headers(header: str) -> dict[str, str]:
    return {"x-raw-cookie": base64.b64encode(header.encode("latin-1")).decode("ascii")}


async def refuse(request: Request) -> PlainTextResponse:
    cookieseal.starlette.refuse_session(request)
    return PlainTextResponse("issued before the password change")


async def deny(request: Request) -> PlainTextResponse:
    return PlainTextResponse("no", status_code=401)


async def change_deny(request: Request) -> PlainTextResponse:
    request.session["note"] = "x"
    return PlainTextResponse("no", status_code=401)


async def login(request: Request) -> PlainTextResponse:
    request.session.clear()
    request.session["user"] = "ada"
    return PlainTextResponse("ok")


async def renew(request: Request) -> PlainTextResponse:
    cookieseal.starlette.renew_session(request)
    request.session["user"] = "ada"
    return PlainTextResponse("ok")


def raw_client(codec: Codec, routes: list[Route] | None = None, **kw: object) -> TestClient:
    routes = (routes or []) + [
        Route("/set", set_),
        Route("/get", get),
        Route("/clear", clear),
        Route("/refuse", refuse),
        Route("/deny", deny),
        Route("/change-deny", change_deny),
        Route("/login", login),
        Route("/renew", renew),
    ]
    app = Starlette(routes=routes)
    app.add_middleware(SealedSessionMiddleware, codec=codec, **kw)
    return TestClient(RawCookie(app), base_url="https://testserver")


def sc(r) -> dict[str, str]:  # type: ignore[no-untyped-def]
    return {h.split("=", 1)[0]: h for h in set_cookie_headers(r)}


def value_of(h: str) -> str:
    return h.split(";")[0].split("=", 1)[1]


def test_a_planted_nbsp_host_cookie_is_not_the_session() -> None:
    codec = Codec([SECRET_A])
    c = raw_client(codec, prefix="__Host-")
    planted = codec.seal("__Host-session", {"user": "mallory"})
    for junk in ("\xa0", "\x85"):
        assert c.get("/get", headers=raw_headers(f"{junk}__Host-session={planted}")).json()["session"] == {}
    assert c.get("/get", headers=raw_headers(f"__Host-session={planted}")).json()["session"] == {"user": "mallory"}


def test_the_planted_name_through_the_old_full_name_argument_is_refused() -> None:
    with pytest.raises(cookieseal.ConfigError):
        SealedSessionMiddleware(None, codec=Codec([SECRET_A]), session_cookie="__Host-session")  # type: ignore[arg-type]


@pytest.mark.parametrize("view", ["/refuse", "/deny"])
def test_a_refused_session_is_not_refreshed_or_reissued(view: str) -> None:
    clock = Clock(NOW)
    old = Codec([SECRET_A], now=clock).seal("session", {"u": "1"}, issued_at=NOW - 50)
    # due twice over: past refresh_age, and sealed under a key that no longer seals
    c = raw_client(Codec([SECRET_B, SECRET_A], now=clock, refresh_age=10))
    assert set_cookie_headers(c.get(view, headers=raw_headers(f"session={old}"))) == []
    r = c.get("/get", headers=raw_headers(f"session={old}"))
    _, info = Codec([SECRET_B], now=clock).open_info("session", value_of(sc(r)["session"]))
    assert info.issued_at == NOW  # accepted: refreshed


def test_a_changed_session_is_written_even_with_an_error_status() -> None:
    c = raw_client(Codec([SECRET_A]))
    r = c.get("/change-deny")
    assert r.status_code == 401 and Codec([SECRET_A]).open("session", value_of(sc(r)["session"])) == {"note": "x"}


GO_SESSIONS = [
    cookieseal.Map({"user": "ada", "at": cookieseal.Time(2026, 1, 2, 3, 4, 5)}),
    cookieseal.Map({"user": "ada", "raw": b"\x00\xff"}),
    cookieseal.Map({"user": "ada", 7: "seven"}),
]


@pytest.mark.parametrize("values", GO_SESSIONS, ids=["time", "bytes", "int-key"])
def test_a_go_session_that_json_cannot_hold_is_an_empty_session_never_a_500(values: cookieseal.Map) -> None:
    errors: list[Exception] = []
    c = raw_client(Codec([SECRET_A]), on_error=errors.append)
    h = raw_headers(f"session={Codec([SECRET_A]).seal_values('session', values)}")
    r = c.get("/get", headers=h)
    assert r.status_code == 200 and r.json()["session"] == {}
    assert [type(e) for e in errors] == [cookieseal.InvalidCookie]
    r = c.get("/set?user=bob", headers=h)
    assert r.status_code == 200
    assert Codec([SECRET_A]).open("session", value_of(sc(r)["session"])) == {"user": "bob"}


def test_a_go_session_with_a_plain_form_is_represented() -> None:
    c = raw_client(Codec([SECRET_A]))
    go = cookieseal.Map({"user": "ada", "n": cookieseal.Int64(3), "tags": cookieseal.Strings(["a"])})
    h = raw_headers(f"session={Codec([SECRET_A]).seal_values('session', go)}")
    assert c.get("/get", headers=h).json()["session"] == {"user": "ada", "n": 3, "tags": ["a"]}
    r = c.get("/set?x=y", headers=h)
    assert Codec([SECRET_A]).open("session", value_of(sc(r)["session"])) == {"user": "ada", "n": 3, "tags": ["a"], "x": "y"}


@pytest.mark.parametrize("header", [f"session={'9' * 5000}.AQAAAAAAxxxx", f"session.{'1' * 5000}=x; session=2.AQAAAAAAxxxx"])
def test_part_counts_and_suffixes_of_5000_digits_are_no_500(header: str) -> None:
    c = raw_client(Codec([SECRET_A]), max_header_bytes=40000)
    r = c.get("/get", headers=raw_headers(header))
    assert r.status_code == 200 and r.json()["session"] == {}
    r = c.get("/set?a=b", headers=raw_headers(header))
    assert r.status_code == 200 and Codec([SECRET_A]).open("session", value_of(sc(r)["session"])) == {"a": "b"}


def test_an_attack_header_costs_starlette_at_most_four_opens(monkeypatch: pytest.MonkeyPatch) -> None:
    from test_session_layer import Opens, attack_header

    clock = Clock(NOW)
    c = raw_client(Codec([SECRET_A], now=clock))
    header = attack_header(Codec([SECRET_A], now=clock))
    opens = Opens(monkeypatch)
    assert c.get("/get", headers=raw_headers(header)).status_code == 200
    assert opens.n <= 4


def test_max_age_is_constant_whatever_the_sealed_times() -> None:
    clock = Clock(NOW)
    old = Codec([SECRET_A], now=clock).seal("session", {"u": "1"}, issued_at=NOW - 500)
    c = raw_client(Codec([SECRET_B, SECRET_A], now=clock, max_age=3600))
    h = sc(c.get("/get", headers=raw_headers(f"session={old}")))["session"]
    assert "Max-Age=3600;" in h
    _, info = Codec([SECRET_B], now=clock).open_info("session", value_of(h))
    assert info.issued_at == NOW - 500  # the rotation kept it; Max-Age did not follow it


def test_a_session_issued_within_the_clock_skew_can_be_changed_and_refreshed() -> None:
    clock = Clock(NOW)
    v = Codec([SECRET_A], now=clock).seal("session", {"u": "1"}, issued_at=NOW + 30)
    c = raw_client(Codec([SECRET_A], now=clock))
    r = c.get("/set?a=b", headers=raw_headers(f"session={v}"))
    assert r.status_code == 200
    _, info = Codec([SECRET_A], now=clock).open_info("session", value_of(sc(r)["session"]))
    assert info.issued_at == info.created_at == NOW


def test_a_session_that_expires_during_the_request_is_not_written() -> None:
    clock = Clock(NOW)
    errors: list[Exception] = []

    async def slow(request: Request) -> PlainTextResponse:
        request.session["step"] = "2"
        clock.t = NOW + 20
        return PlainTextResponse("ok")

    c = raw_client(Codec([SECRET_A], now=clock, max_lifetime=100), [Route("/slow", slow)], on_error=errors.append)
    v = Codec([SECRET_A], now=clock).seal("session", {"step": "1"}, issued_at=NOW - 10, created_at=NOW - 90)
    r = c.get("/slow", headers=raw_headers(f"session={v}"))
    assert r.status_code == 200 and set_cookie_headers(r) == []
    assert [type(e) for e in errors] == [cookieseal.ExpiredCookie]


@pytest.mark.parametrize("view", ["/login", "/renew"])
def test_login_starts_a_new_session(view: str) -> None:
    clock = Clock(NOW)
    c = raw_client(Codec([SECRET_A], now=clock))
    v = Codec([SECRET_A], now=clock).seal("session", {"user": "old"}, issued_at=NOW - 10, created_at=NOW - 900)
    r = c.get("/set?x=1", headers=raw_headers(f"session={v}"))
    assert Codec([SECRET_A], now=clock).open_info("session", value_of(sc(r)["session"]))[1].created_at == NOW - 900
    r = c.get(view, headers=raw_headers(f"session={v}"))
    data, info = Codec([SECRET_A], now=clock).open_info("session", value_of(sc(r)["session"]))
    assert info.issued_at == info.created_at == NOW and data["user"] == "ada"


def test_a_bad_cookie_is_not_deleted_unless_the_handler_empties_the_session() -> None:
    c = raw_client(Codec([SECRET_A]))
    assert set_cookie_headers(c.get("/get", headers=raw_headers("session=junk"))) == []
    (h,) = set_cookie_headers(c.get("/clear", headers=raw_headers("session=junk")))
    assert h.startswith("session=;") and "Max-Age=0" in h


def test_legacy_scopes_are_expired_on_write_and_logout() -> None:
    c = raw_client(Codec([SECRET_A]), legacy_scopes=[("example.test", "/")])
    v = Codec([SECRET_A]).seal("session", {"u": "1"})
    lines = set_cookie_headers(c.get("/set?a=b", headers=raw_headers(f"session={v}")))
    assert len(lines) == 2 and lines[0].startswith("session=;") and "Domain=example.test" in lines[0]
    assert value_of(lines[1]) and "Domain" not in lines[1]
    lines = set_cookie_headers(c.get("/clear", headers=raw_headers(f"session={v}")))
    assert len(lines) == 2 and all(value_of(h) == "" for h in lines)


@pytest.mark.parametrize(
    "kw",
    [
        {"session_cookie": "session.1"},
        {"session_cookie": "__Secure-s"},
        {"prefix": "__Host-", "domain": "example.test"},
        {"prefix": "__Host-", "https_only": False},
        {"prefix": "__Secure-", "legacy_scopes": [("example.test", "/")]},
        {"legacy_scopes": [(None, "/")]},
    ],
)
def test_bad_cookie_configurations_are_refused(kw: dict[str, Any]) -> None:
    with pytest.raises(cookieseal.ConfigError):
        SealedSessionMiddleware(None, codec=Codec([SECRET_A]), **kw)  # type: ignore[arg-type]


def test_prefix_and_insecure() -> None:
    c = raw_client(Codec([SECRET_A]), prefix="__Host-")
    (h,) = set_cookie_headers(c.get("/set?a=b"))
    assert h.startswith("__Host-session=") and "; Secure" in h and "Path=/;" in h
    c = raw_client(Codec([SECRET_A]), https_only=False)
    (h,) = set_cookie_headers(c.get("/set?a=b"))
    assert "Secure" not in h and "SameSite=Lax" in h
