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
