"""SESSIONS.md S6.9: every session another implementation can seal survives
both integrations. Each typed-values cookie of the conformance suite
(testdata/conformance/values.json, sealed by Go: times, bytes, sized
integers, non-string keys, named values, nil forms ...) is sent to a real
Flask app and a real Starlette app: the view sees the session as plain JSON
when it has an exact plain form, and otherwise an empty session with an
InvalidCookie reported; never a 500, on that request or on a write after."""

from __future__ import annotations

import json
from typing import Any

import pytest
from conftest import TESTDATA, Clock

import cookieseal
from cookieseal import Codec
from cookieseal._session import session_data

CASES = [
    c
    for c in json.loads((TESTDATA / "conformance" / "values.json").read_text(encoding="utf-8"))["cases"]
    if c.get("result") == "ok" and c.get("open_as") == "values"
]


def test_there_are_go_typed_cookies() -> None:
    assert len(CASES) > 50


def expected(case: dict[str, Any]) -> dict[str, Any] | None:
    """The plain session, or None when it has no plain form."""
    codec = Codec(case["secrets"], now=lambda: case["now"], max_age=case.get("max_age", 86400), max_payload=case.get("max_payload", 65536))
    tree, _ = codec._open_info(case["name"], case["cookie"], codec.max_length)
    try:
        return session_data(tree)
    except cookieseal.InvalidCookie:
        return None


def flask_run(case: dict[str, Any], path: str) -> tuple[int, Any, list[Exception], list[str]]:
    from flask import Flask, request, session

    import cookieseal.flask

    errors: list[Exception] = []
    app = Flask("foreign")
    app.config.update(
        TESTING=True,
        COOKIESEAL_SECRETS=case["secrets"],
        SESSION_COOKIE_NAME=case["name"],
        PERMANENT_SESSION_LIFETIME=case.get("max_age", 86400),
        COOKIESEAL_MAX_HEADER_BYTES=200000,
        COOKIESEAL_MAX_PARTS=50,
    )
    cookieseal.flask.install(app, on_error=errors.append).codec._now = Clock(case["now"])

    @app.route("/<op>")
    def view(op: str) -> Any:
        seen = dict(session)
        if op == "set":
            session.update(request.args)
        return {"session": seen}

    r = app.test_client(use_cookies=False).get(path, environ_overrides={"HTTP_COOKIE": f"{case['name']}={case['cookie']}"})
    return r.status_code, r.get_json(silent=True), errors, r.headers.getlist("Set-Cookie")


def starlette_run(case: dict[str, Any], path: str) -> tuple[int, Any, list[Exception], list[str]]:
    from starlette.applications import Starlette
    from starlette.requests import Request
    from starlette.responses import JSONResponse
    from starlette.routing import Route
    from starlette.testclient import TestClient

    from cookieseal.starlette import SealedSessionMiddleware

    errors: list[Exception] = []

    async def view(request: Request) -> JSONResponse:
        seen = dict(request.session)
        if request.path_params["op"] == "set":
            request.session.update(request.query_params)
        return JSONResponse({"session": seen})

    app = Starlette(routes=[Route("/{op}", view)])
    codec = Codec(case["secrets"], now=Clock(case["now"]), max_age=case.get("max_age", 86400))
    app.add_middleware(
        SealedSessionMiddleware, codec=codec, session_cookie=case["name"], max_header_bytes=200000, max_parts=50, on_error=errors.append
    )
    r = TestClient(app, base_url="https://testserver", raise_server_exceptions=False).get(
        path, headers={"cookie": f"{case['name']}={case['cookie']}"}
    )
    return r.status_code, (r.json() if r.status_code == 200 else None), errors, r.headers.get_list("set-cookie")


@pytest.mark.parametrize("run", [flask_run, starlette_run], ids=["flask", "starlette"])
@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_a_go_typed_session_never_takes_the_app_down(run: Any, case: dict[str, Any]) -> None:
    want = expected(case)
    status, body, errors, _ = run(case, "/get")
    assert status == 200
    if want is None:
        assert body["session"] == {}
        assert [type(e) for e in errors] == [cookieseal.InvalidCookie]
    else:
        assert json.dumps(body["session"], sort_keys=True) == json.dumps(want, sort_keys=True)
        assert errors == []
    status, _, _, set_cookie = run(case, "/set?added=1")
    assert status == 200
    assert any(h.startswith(case["name"] + "=") and not h.startswith(case["name"] + "=;") for h in set_cookie)


def test_both_kinds_are_exercised() -> None:
    kinds = [expected(c) is None for c in CASES]
    assert any(kinds) and not all(kinds)
