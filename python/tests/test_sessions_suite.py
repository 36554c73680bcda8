"""The session scenario suite (../testdata/sessions/*.json, schema in
SESSIONS.md S8), run unchanged through both Python integrations as a real
application uses them: a Flask app with cookieseal.flask installed, driven by
Flask's test client, and a Starlette app with SealedSessionMiddleware,
driven by Starlette's TestClient. Each case's header is sent as the raw bytes
of one Cookie field.

The actions map to views: keep reads the session and answers 200; refuse
reads it and answers 401 (abort(401) in Flask), nothing else; set adds the
values; login clears the session and sets the values (the documented login:
clear() followed by new values); logout clears it. A view moves the clock
to write_now, when the case has one, before it returns: the integration
writes after the view, at that time.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from typing import Any, Callable

import pytest
from conftest import TESTDATA, Clock

import cookieseal
from cookieseal import Codec
from cookieseal._session import error_class

SUITE_DIR = TESTDATA / "sessions"
INTEGRATIONS = ["flask", "starlette"]


def _load() -> list[Any]:
    params = []
    for f in sorted(SUITE_DIR.glob("*.json")):
        doc = json.loads(f.read_text(encoding="utf-8"))
        if doc.get("suite") != "cookieseal sessions" or doc.get("format") != 1:
            raise AssertionError(f"{f}: not a cookieseal sessions file of format 1")
        for case in doc["cases"]:
            for integration in INTEGRATIONS:
                params.append(pytest.param(integration, case, id=f"{integration}:{case['id']}"))
    return params


SUITE = _load()


def test_the_suite_is_there() -> None:
    assert SUITE, f"no scenario files in {SUITE_DIR}"


def test_case_ids_are_unique() -> None:
    ids = [p.id for p in SUITE]
    assert len(ids) == len(set(ids))
    assert all(p.values[1]["id"].startswith("sessions/") for p in SUITE)


@dataclass
class Config:
    name: str = "session"
    prefix: str = ""
    secrets: list[str] = field(default_factory=list)
    max_age: int = 3600
    max_lifetime: int = 0
    refresh_age: int = 0
    max_parts: int = 10
    max_header_bytes: int = 3072
    legacy_scopes: list[dict[str, str]] = field(default_factory=list)
    insecure: bool = False
    revocations: dict[str, Any] | None = None

    def revocation_list(self) -> cookieseal.MemoryRevocations | None:
        """The case's revocation list (S9), its entries kept past the case's clocks."""
        if self.revocations is None:
            return None
        lst = cookieseal.MemoryRevocations()
        forever = int(time.time()) + 86400
        for sid in self.revocations.get("sessions", []):
            lst.revoke_session(sid, forever)
        for e in self.revocations.get("subjects", []):
            lst.revoke_subject(e["subject"], e["before"], forever)
        return lst

    @property
    def full(self) -> str:
        return self.prefix + self.name

    @property
    def legacy(self) -> list[tuple[str, str]]:
        return [(s.get("domain", ""), s.get("path", "/")) for s in self.legacy_scopes]


@dataclass
class Observed:
    """What the handler saw and what the response said."""

    status: int = 0
    session: dict[str, Any] | None = None
    info: cookieseal.Info | None = None
    read_error: cookieseal.CookiesealError | None = None
    errors: list[cookieseal.CookiesealError] = field(default_factory=list)
    set_cookie: list[str] = field(default_factory=list)
    cache_control: str = ""


def header_of(case: dict[str, Any]) -> str:
    h = case.get("header", "") + "".join(p["text"] * p["times"] for p in case.get("header_pieces", []))
    assert all(ord(c) <= 0xFF for c in h), "a header character is not one byte"
    return h


class Handler:
    """The application's side of a case: the action, done by a view."""

    def __init__(self, case: dict[str, Any], clock: Clock, seen: Observed) -> None:
        self.case, self.clock, self.seen = case, clock, seen

    def act(self, session: Any, info: cookieseal.Info | None, error: cookieseal.CookiesealError | None) -> int:
        self.seen.session, self.seen.info, self.seen.read_error = dict(session), info, error
        action = self.case["action"]
        if action == "set":
            session.update(self.case["values"])
        elif action == "login":
            session.clear()
            session.update(self.case["values"])
            if "subject" in self.case:
                session.renew(subject=self.case["subject"])
        elif action == "logout":
            session.clear()
        else:
            assert action in ("keep", "refuse"), action
        if self.case.get("write_now"):
            self.clock.t = self.case["write_now"]
        return 401 if action == "refuse" else 200


def run_flask(case: dict[str, Any], cfg: Config) -> Observed:
    from flask import Flask, abort, session

    import cookieseal.flask

    clock, seen = Clock(case["now"]), Observed()
    app = Flask("suite")
    app.config.update(
        TESTING=True,
        COOKIESEAL_SECRETS=cfg.secrets,
        SESSION_COOKIE_NAME=cfg.full,
        PERMANENT_SESSION_LIFETIME=cfg.max_age,
        COOKIESEAL_MAX_LIFETIME=cfg.max_lifetime,
        COOKIESEAL_REFRESH_AGE=cfg.refresh_age,
        COOKIESEAL_MAX_PARTS=cfg.max_parts,
        COOKIESEAL_MAX_HEADER_BYTES=cfg.max_header_bytes,
        COOKIESEAL_LEGACY_SCOPES=cfg.legacy,
        COOKIESEAL_INSECURE=cfg.insecure,
        COOKIESEAL_REVOCATIONS=cfg.revocation_list(),
    )
    iface = cookieseal.flask.install(app, on_error=seen.errors.append)
    iface.codec._now = clock
    handler = Handler(case, clock, seen)

    @app.route("/<action>")
    def view(action: str) -> str:
        status = handler.act(session, session.cookieseal_info, session.cookieseal_error)  # type: ignore[attr-defined]
        if status != 200:
            abort(status)
        return "ok"

    header = header_of(case)  # "": the request has no Cookie header
    r = app.test_client(use_cookies=False).get("/" + case["action"], environ_overrides={"HTTP_COOKIE": header} if header else {})
    seen.status = r.status_code
    seen.set_cookie = r.headers.getlist("Set-Cookie")
    seen.cache_control = r.headers.get("Cache-Control", "")
    return seen


def run_starlette(case: dict[str, Any], cfg: Config) -> Observed:
    from starlette.applications import Starlette
    from starlette.requests import Request
    from starlette.responses import PlainTextResponse
    from starlette.routing import Route
    from starlette.testclient import TestClient
    from test_starlette import RawCookie, raw_headers

    from cookieseal.starlette import SealedSessionMiddleware

    clock, seen = Clock(case["now"]), Observed()
    handler = Handler(case, clock, seen)

    async def view(request: Request) -> PlainTextResponse:
        s = request.session
        return PlainTextResponse("ok", status_code=handler.act(s, s.info, s.error))  # type: ignore[attr-defined]

    app = Starlette(routes=[Route("/{action}", view)])
    codec = Codec(cfg.secrets, max_age=cfg.max_age, max_lifetime=cfg.max_lifetime, refresh_age=cfg.refresh_age, now=clock)
    app.add_middleware(
        SealedSessionMiddleware,
        codec=codec,
        session_cookie=cfg.name,
        prefix=cfg.prefix,
        https_only=not cfg.insecure,
        max_parts=cfg.max_parts,
        max_header_bytes=cfg.max_header_bytes,
        legacy_scopes=cfg.legacy,
        on_error=seen.errors.append,
        revocations=cfg.revocation_list(),
    )
    header = header_of(case)  # "": the request has no Cookie header
    r = TestClient(RawCookie(app), base_url="https://testserver").get("/" + case["action"], headers=raw_headers(header) if header else {})
    seen.status = r.status_code
    seen.set_cookie = r.headers.get_list("set-cookie")
    seen.cache_control = r.headers.get("cache-control", "")
    return seen


RUNNERS: dict[str, Callable[[dict[str, Any], Config], Observed]] = {"flask": run_flask, "starlette": run_starlette}


@dataclass
class Line:
    name: str
    value: str
    attrs: dict[str, str | None]

    @property
    def op(self) -> str:
        return "expire" if self.attrs.get("max-age") == "0" else "set"

    @property
    def key(self) -> tuple[str, str, str, str]:
        return self.name, self.attrs.get("domain") or "", self.attrs.get("path") or "", self.op


def parse_set_cookie(h: str) -> Line:
    head, *rest = h.split(";")
    name, _, value = head.partition("=")
    attrs: dict[str, str | None] = {}
    for a in rest:
        k, eq, v = a.strip(" \t").partition("=")
        attrs[k.lower()] = v if eq else None
    return Line(name.strip(" \t"), value.strip(" \t"), attrs)


def is_session_cookie(full: str, name: str) -> bool:
    if name == full:
        return True
    suffix = name[len(full) + 1 :] if name.startswith(full + ".") else ""
    return bool(suffix) and suffix.isdigit() and suffix[0] != "0"


def assemble(full: str, sets: dict[str, str]) -> tuple[str, int]:
    """SPEC.md section 10 layout, read back independently of the package."""
    head = sets[full]
    if "." not in head:
        return head, 1
    d, _, p0 = head.partition(".")
    n = int(d)
    return p0 + "".join(sets[f"{full}.{k}"] for k in range(1, n)), n


def same_json(a: Any, b: Any) -> bool:
    return json.dumps(a, sort_keys=True) == json.dumps(b, sort_keys=True)


@pytest.mark.parametrize("integration,case", SUITE)
def test_scenario(integration: str, case: dict[str, Any], monkeypatch: pytest.MonkeyPatch) -> None:
    cfg = Config(**case.get("config", {}))
    opens = 0
    real_open = Codec._open_info

    def counted(codec: Codec, name: str, cookie: str, limit: int) -> Any:
        nonlocal opens
        opens += 1
        return real_open(codec, name, cookie, limit)

    monkeypatch.setattr(Codec, "_open_info", counted)
    seen = RUNNERS[integration](case, cfg)
    monkeypatch.undo()
    assert opens <= 4, f"{opens} opens for one read (S4.4: at most 4)"
    assert opens >= 1 or case["expect"]["read"] != "ok", "the counter saw no open"
    expect = case["expect"]
    write_now = case.get("write_now") or case["now"]
    assert seen.status == (401 if case["action"] == "refuse" else 200), seen.status

    # the read (S4, S6.2)
    assert seen.session is not None, "the view did not run"
    if expect["read"] == "ok":
        assert seen.info is not None and seen.read_error is None, seen.read_error
        assert same_json(seen.session, expect["session"]), seen.session
        assert (seen.info.issued_at, seen.info.created_at, seen.info.key_id) == (expect["issued_at"], expect["created_at"], expect["key_id"])
        assert (seen.info.session_id, seen.info.subject) == (expect.get("session_id", ""), expect.get("subject", ""))
    else:
        assert seen.session == {} and seen.info is None
        got = "none" if seen.read_error is None else error_class(seen.read_error)
        assert got == expect["read"]
    write_errors = [e for e in seen.errors if e is not seen.read_error]

    # the write (S5, S6)
    lines = [parse_set_cookie(h) for h in seen.set_cookie]
    mine = [ln for ln in lines if is_session_cookie(cfg.full, ln.name)]
    if expect["write"] in ("nothing", "error"):
        assert mine == [], seen.set_cookie
        if expect["write"] == "error":
            assert [error_class(e) for e in write_errors] == [expect["error"]]
        else:
            assert write_errors == []
        return
    assert write_errors == []
    assert sorted(ln.key for ln in mine) == sorted(
        (c["name"], c["domain"], c["path"], c["op"]) for c in expect["set_cookies"]
    ), seen.set_cookie
    assert "no-store" in seen.cache_control
    for ln in mine:
        assert "httponly" in ln.attrs and ln.attrs.get("samesite") == "Lax", ln
        assert ("secure" in ln.attrs) == (not cfg.insecure), ln
        if ln.op == "expire":
            assert ln.value == "", ln
        else:
            # Flask's non-permanent sessions are browser-session cookies (S5.1)
            assert ln.attrs.get("max-age") in ((None, str(cfg.max_age)) if integration == "flask" else (str(cfg.max_age),)), ln
    if expect["write"] == "delete":
        assert all(ln.op == "expire" for ln in mine)
        return
    assert expect["write"] == "seal"
    sealed = expect["sealed"]
    sets = {ln.name: ln.value for ln in mine if ln.op == "set"}
    value, parts = assemble(cfg.full, sets)
    assert parts == len(sets) == sealed["parts"]
    opener = Codec(cfg.secrets, max_age=cfg.max_age, max_lifetime=cfg.max_lifetime, now=lambda: write_now)
    data, info = opener._open_info(cfg.full, value, len(cfg.full) + 1 + len(value))
    assert same_json(data, sealed["session"]), data
    assert (info.issued_at, info.created_at, info.key_id) == (sealed["issued_at"], sealed["created_at"], sealed["key_id"])
    assert info.subject == sealed.get("subject", "")
    if sealed.get("session_id") == "new":
        assert len(info.session_id) == 32 and not info.session_id.strip("0123456789abcdef"), info.session_id
        assert seen.info is None or info.session_id != seen.info.session_id
    else:
        assert info.session_id == sealed.get("session_id", "")
