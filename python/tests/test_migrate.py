"""Switching Flask, Django or Starlette from its stock (signed, readable)
session cookie to cookieseal logs nobody out.

For each framework: the stock framework issues a session (a login); the
app switches to cookieseal with the migration setting; the same client
(the same cookie jar) is still logged in, and the response re-seals the
session (created-at now, legacy Info with zero times); the next request
reads the sealed cookie. A session the handler refuses is never re-issued.
Without the setting the old cookie is an empty session; past the old max
age it is refused as expired. The stock cookies here are the frameworks'
own, written by their own code.
"""

from __future__ import annotations

import logging
import time
from typing import Any, Iterator

import pytest
from conftest import SECRET_A, Clock
from guessapp import reveals

import cookieseal
from cookieseal import Codec, ExpiredCookie, InvalidCookie

OLD_KEY = "the-old-framework-secret-key-PUBLIC-never-use"
DAY = 24 * 60 * 60


def sealed(value: str) -> bool:
    from cookieseal._chunks import looks_sealed

    return looks_sealed(value)


# --- Flask ------------------------------------------------------------------

flask = pytest.importorskip("flask")

from flask import Flask, abort, session  # noqa: E402

import cookieseal.flask  # noqa: E402


def flask_app(errors: list[Any]) -> Flask:
    app = Flask("migrate")
    app.config.update(SECRET_KEY=OLD_KEY, PERMANENT_SESSION_LIFETIME=31 * DAY)

    @app.get("/login")
    def login() -> str:
        session["user"] = "alice"
        session["cart"] = ("apple", 2)  # Flask's tagged JSON: a tuple
        return "ok"

    @app.get("/whoami")
    def whoami() -> str:
        info = getattr(session, "cookieseal_info", None)
        errors.append(("info", info))
        return str(session.get("user", "nobody"))

    @app.get("/refuse")
    def refuse() -> str:
        session.get("user")
        abort(401)

    return app


def flask_cookie(r: Any) -> str | None:
    for h in r.headers.getlist("Set-Cookie"):
        if h.startswith("session="):
            return h.split(";", 1)[0].split("=", 1)[1]
    return None


def switch_flask(app: Flask, errors: list[Any], *, migrate: bool, clock: Clock) -> None:
    app.config["COOKIESEAL_SECRETS"] = [SECRET_A]
    if migrate:
        app.config["COOKIESEAL_MIGRATE_FROM"] = "flask"
    iface = cookieseal.flask.install(app, on_error=errors.append)
    iface.codec._now = clock


def test_flask_switch_keeps_the_user_logged_in_and_reseals() -> None:
    errors: list[Any] = []
    app = flask_app(errors)
    client = app.test_client()
    old = flask_cookie(client.get("/login"))
    assert old and not sealed(old) and reveals(old, b"alice"), "the stock Flask cookie"

    now = Clock(int(time.time()))
    switch_flask(app, errors, migrate=True, clock=now)
    r = client.get("/whoami")
    assert r.data == b"alice"
    info = errors.pop()[1]
    assert info is not None and info.legacy and (info.issued_at, info.created_at, info.key_id) == (0, 0, "")
    new = flask_cookie(r)
    assert new and sealed(new) and not reveals(new, b"alice")
    data, sinfo = Codec([SECRET_A], max_age=31 * DAY, now=now).open_info("session", new)
    assert data == {"user": "alice", "cart": ["apple", 2]}
    assert (sinfo.issued_at, sinfo.created_at) == (now.t, now.t)

    # The next request reads the sealed cookie and writes nothing.
    r = client.get("/whoami")
    assert r.data == b"alice" and flask_cookie(r) is None
    info = errors.pop()[1]
    assert info is not None and not info.legacy and info.created_at == now.t
    assert errors == []


def test_flask_refused_old_session_is_not_reissued() -> None:
    errors: list[Any] = []
    app = flask_app(errors)
    client = app.test_client()
    old = flask_cookie(client.get("/login"))
    switch_flask(app, errors, migrate=True, clock=Clock(int(time.time())))
    r = client.get("/refuse")
    assert r.status_code == 401 and r.headers.getlist("Set-Cookie") == []
    assert client.get_cookie("session").value == old  # type: ignore[union-attr]


def test_flask_without_the_setting_the_old_cookie_is_an_empty_session() -> None:
    errors: list[Any] = []
    app = flask_app(errors)
    client = app.test_client()
    client.get("/login")
    switch_flask(app, errors, migrate=False, clock=Clock(int(time.time())))
    r = client.get("/whoami")
    assert r.data == b"nobody" and r.headers.getlist("Set-Cookie") == []
    assert [type(e) for e in errors if not isinstance(e, tuple)] == [InvalidCookie]


def test_flask_old_cookie_past_its_max_age_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    import itsdangerous

    errors: list[Any] = []
    app = flask_app(errors)
    client = app.test_client()
    with monkeypatch.context() as m:  # issued 32 days ago, the lifetime is 31
        m.setattr(itsdangerous.TimestampSigner, "get_timestamp", lambda self: int(time.time()) - 32 * DAY)
        client.get("/login")
    switch_flask(app, errors, migrate=True, clock=Clock(int(time.time())))
    r = client.get("/whoami")
    assert r.data == b"nobody" and r.headers.getlist("Set-Cookie") == []
    assert [type(e) for e in errors if not isinstance(e, tuple)] == [ExpiredCookie]


def test_flask_migration_needs_the_secret_key() -> None:
    app = Flask("migrate")
    app.config.update(COOKIESEAL_SECRETS=[SECRET_A], COOKIESEAL_MIGRATE_FROM="flask")
    with pytest.raises(cookieseal.ConfigError, match="SECRET_KEY"):
        cookieseal.flask.install(app)
    app.config.update(SECRET_KEY=OLD_KEY, COOKIESEAL_MIGRATE_FROM="itsdangerous")
    with pytest.raises(cookieseal.ConfigError, match="COOKIESEAL_MIGRATE_FROM"):
        cookieseal.flask.install(app)


def test_flask_old_session_holding_bytes_is_an_empty_session_not_a_500() -> None:
    errors: list[Any] = []
    app = flask_app(errors)

    @app.get("/bytes")
    def put_bytes() -> str:
        session["blob"] = b"\x00\x01"
        return "ok"

    client = app.test_client()
    client.get("/bytes")
    switch_flask(app, errors, migrate=True, clock=Clock(int(time.time())))
    r = client.get("/whoami")
    assert r.status_code == 200 and r.data == b"nobody"
    assert [type(e) for e in errors if not isinstance(e, tuple)] == [InvalidCookie]


def test_flask_unsealable_value_is_one_error_and_one_traceback(caplog: pytest.LogCaptureFixture) -> None:
    import datetime

    app = Flask("dt")
    app.config.update(COOKIESEAL_SECRETS=[SECRET_A])
    cookieseal.flask.install(app)

    @app.get("/")
    def put_datetime() -> str:
        session["when"] = datetime.datetime(2026, 1, 1)
        return "ok"

    with caplog.at_level(logging.ERROR):
        r = app.test_client().get("/")
    assert r.status_code == 500
    records = [rec for rec in caplog.records if rec.levelno >= logging.ERROR]
    assert len(records) == 1, [rec.getMessage() for rec in records]
    assert records[0].exc_info and isinstance(records[0].exc_info[1], cookieseal.UnsupportedValue)
    assert "datetime" in str(records[0].exc_info[1])


# --- Starlette ----------------------------------------------------------------


def starlette_apps(migrate: bool, clock: Clock, errors: list[Any], *, old_max_age: int = 14 * DAY) -> Any:
    pytest.importorskip("starlette")
    pytest.importorskip("itsdangerous")
    from starlette.applications import Starlette
    from starlette.middleware.sessions import SessionMiddleware
    from starlette.requests import Request
    from starlette.responses import PlainTextResponse
    from starlette.routing import Route

    from cookieseal.starlette import SealedSessionMiddleware, starlette_opener

    async def login(request: Request) -> PlainTextResponse:
        request.session["user"] = "alice"
        return PlainTextResponse("ok")

    async def whoami(request: Request) -> PlainTextResponse:
        errors.append(("info", getattr(request.session, "info", None)))
        return PlainTextResponse(str(request.session.get("user", "nobody")))

    async def refuse(request: Request) -> PlainTextResponse:
        request.session.get("user")
        return PlainTextResponse("no", status_code=401)

    routes = [Route("/login", login), Route("/whoami", whoami), Route("/refuse", refuse)]
    stock = Starlette(routes=routes)
    stock.add_middleware(SessionMiddleware, secret_key=OLD_KEY, max_age=old_max_age)
    new = Starlette(routes=routes)
    codec = Codec([SECRET_A], max_age=14 * DAY, now=clock)
    new.add_middleware(
        SealedSessionMiddleware,
        codec=codec,
        on_error=errors.append,
        migrate_from=starlette_opener(OLD_KEY, max_age=old_max_age) if migrate else None,
    )
    current = {"app": stock}

    async def app(scope: Any, receive: Any, send: Any) -> None:
        await current["app"](scope, receive, send)

    def switch() -> None:
        current["app"] = new

    return app, switch


def starlette_cookie(r: Any) -> str | None:
    for h in r.headers.get_list("set-cookie"):
        if h.startswith("session="):
            return h.split(";", 1)[0].split("=", 1)[1]
    return None


@pytest.fixture
def now() -> Clock:
    return Clock(int(time.time()))


def test_starlette_switch_keeps_the_user_logged_in_and_reseals(now: Clock) -> None:
    from starlette.testclient import TestClient

    errors: list[Any] = []
    app, switch = starlette_apps(True, now, errors)
    client = TestClient(app, base_url="https://testserver")
    old = starlette_cookie(client.get("/login"))
    assert old and not sealed(old) and reveals(old, b"alice"), "the stock Starlette cookie"
    switch()
    r = client.get("/whoami")
    assert r.text == "alice"
    info = errors.pop()[1]
    assert info is not None and info.legacy and (info.issued_at, info.created_at) == (0, 0)
    new = starlette_cookie(r)
    assert new and sealed(new) and not reveals(new, b"alice")
    data, sinfo = Codec([SECRET_A], max_age=14 * DAY, now=now).open_info("session", new)
    assert data == {"user": "alice"} and (sinfo.issued_at, sinfo.created_at) == (now.t, now.t)
    r = client.get("/whoami")
    assert r.text == "alice" and starlette_cookie(r) is None
    info = errors.pop()[1]
    assert info is not None and not info.legacy
    assert errors == []


def test_starlette_refused_old_session_is_not_reissued(now: Clock) -> None:
    from starlette.testclient import TestClient

    errors: list[Any] = []
    app, switch = starlette_apps(True, now, errors)
    client = TestClient(app, base_url="https://testserver")
    old = starlette_cookie(client.get("/login"))
    switch()
    r = client.get("/refuse")
    assert r.status_code == 401 and r.headers.get_list("set-cookie") == []
    assert client.cookies.get("session") == old


def test_starlette_without_the_setting_the_old_cookie_is_an_empty_session(now: Clock) -> None:
    from starlette.testclient import TestClient

    errors: list[Any] = []
    app, switch = starlette_apps(False, now, errors)
    client = TestClient(app, base_url="https://testserver")
    client.get("/login")
    switch()
    r = client.get("/whoami")
    assert r.text == "nobody" and r.headers.get_list("set-cookie") == []
    assert [type(e) for e in errors if not isinstance(e, tuple)] == [InvalidCookie]


def test_starlette_old_cookie_past_its_max_age_is_refused(now: Clock, monkeypatch: pytest.MonkeyPatch) -> None:
    import itsdangerous
    from starlette.testclient import TestClient

    errors: list[Any] = []
    app, switch = starlette_apps(True, now, errors)
    client = TestClient(app, base_url="https://testserver")
    with monkeypatch.context() as m:
        m.setattr(itsdangerous.TimestampSigner, "get_timestamp", lambda self: int(time.time()) - 15 * DAY)
        client.get("/login")
    switch()
    r = client.get("/whoami")
    assert r.text == "nobody" and r.headers.get_list("set-cookie") == []
    assert [type(e) for e in errors if not isinstance(e, tuple)] == [ExpiredCookie]


def test_starlette_opener_refuses_another_key_and_bad_config() -> None:
    import itsdangerous

    from cookieseal.starlette import starlette_opener

    import base64

    value = itsdangerous.TimestampSigner("another-key").sign(base64.b64encode(b'{"user":"mallory"}')).decode()
    with pytest.raises(InvalidCookie):
        starlette_opener(OLD_KEY)(value)
    assert starlette_opener(["another-key", OLD_KEY])(value) == {"user": "mallory"}
    with pytest.raises(cookieseal.ConfigError):
        starlette_opener("")
    with pytest.raises(cookieseal.ConfigError):
        starlette_opener(OLD_KEY, max_age=0)


# --- Django ---------------------------------------------------------------------


@pytest.fixture
def dj() -> Iterator[Any]:
    import djangoconf

    djangoconf.setup()
    from django.test import override_settings

    with override_settings(
        ROOT_URLCONF="test_migrate_django_urls",
        SESSION_ENGINE="django.contrib.sessions.backends.signed_cookies",
        MIDDLEWARE=["django.contrib.sessions.middleware.SessionMiddleware"],
        SECRET_KEY=OLD_KEY,
        SECRET_KEY_FALLBACKS=[],
    ):
        yield


def switch_django(client: Any, errors: list[Any], *, migrate: bool, clock: Clock) -> Any:
    from django.test import override_settings

    import cookieseal.django

    ov = override_settings(
        SESSION_ENGINE="cookieseal.django",
        MIDDLEWARE=["cookieseal.django.SessionMiddleware"],
        COOKIESEAL_SECRETS=[SECRET_A],
        COOKIESEAL_ON_ERROR=errors.append,
        COOKIESEAL_MIGRATE_FROM=cookieseal.django.SIGNED_COOKIES if migrate else None,
    )
    ov.enable()
    client.handler.load_middleware()  # the deploy: the same client, the new settings
    cookieseal.django.get_layer().codec._now = clock
    return ov


def django_cookie(r: Any) -> str | None:
    m = r.cookies.get("sessionid")
    return None if m is None else str(m.value)


@pytest.mark.parametrize("big", [False, True], ids=["plain", "compressed"])
def test_django_switch_keeps_the_user_logged_in_and_reseals(dj: None, now: Clock, big: bool) -> None:
    from django.test import Client

    import test_migrate_django_urls as views

    errors: list[Any] = []
    client = Client()
    old = django_cookie(client.get("/login", {"big": "1"} if big else {}))
    assert old and not sealed(old)
    assert old.startswith(".") == big, "signed_cookies compresses only when it is shorter"
    if not big:
        assert reveals(old, b"alice")
    ov = switch_django(client, errors, migrate=True, clock=now)
    try:
        r = client.get("/whoami")
        assert r.content == b"alice"
        info = views.seen.pop()
        assert info is not None and info.legacy and (info.issued_at, info.created_at, info.key_id) == (0, 0, "")
        new = django_cookie(r)
        assert new and sealed(new) and not reveals(new, b"alice")
        data, sinfo = Codec([SECRET_A], max_age=14 * DAY, now=now).open_info("sessionid", new)
        assert data["user"] == "alice" and (sinfo.issued_at, sinfo.created_at) == (now.t, now.t)
        assert "no-store" in r.headers["Cache-Control"] and "Cookie" in r.headers["Vary"]
        r = client.get("/whoami")
        assert r.content == b"alice" and django_cookie(r) is None
        info = views.seen.pop()
        assert info is not None and not info.legacy and info.created_at == now.t
        assert errors == []
    finally:
        ov.disable()


def test_django_refused_old_session_is_not_reissued(dj: None, now: Clock) -> None:
    from django.test import Client

    errors: list[Any] = []
    client = Client()
    old = django_cookie(client.get("/login"))
    ov = switch_django(client, errors, migrate=True, clock=now)
    try:
        r = client.get("/refuse")
        assert r.status_code == 401 and django_cookie(r) is None and not r.cookies
        assert client.cookies["sessionid"].value == old
        r = client.get("/refuse-explicitly")  # refuse_session() with a 200
        assert r.status_code == 200 and not r.cookies
    finally:
        ov.disable()


def test_django_without_the_setting_the_old_cookie_is_an_empty_session(dj: None, now: Clock) -> None:
    from django.test import Client

    errors: list[Any] = []
    client = Client()
    client.get("/login")
    ov = switch_django(client, errors, migrate=False, clock=now)
    try:
        r = client.get("/whoami")
        assert r.content == b"nobody" and not r.cookies
        assert [type(e) for e in errors] == [InvalidCookie]
    finally:
        ov.disable()


def test_django_old_cookie_past_its_max_age_is_refused(dj: None, now: Clock, monkeypatch: pytest.MonkeyPatch) -> None:
    from django.core import signing
    from django.test import Client

    errors: list[Any] = []
    client = Client()
    with monkeypatch.context() as m:  # SESSION_COOKIE_AGE is two weeks
        m.setattr(signing.TimestampSigner, "timestamp", lambda self: signing.b62_encode(int(time.time()) - 15 * DAY))
        client.get("/login")
    ov = switch_django(client, errors, migrate=True, clock=now)
    try:
        r = client.get("/whoami")
        assert r.content == b"nobody" and not r.cookies
        assert [type(e) for e in errors] == [ExpiredCookie]
    finally:
        ov.disable()


def test_django_old_cookie_signed_with_a_fallback_key_opens(dj: None, now: Clock) -> None:
    from django.test import Client, override_settings

    errors: list[Any] = []
    client = Client()
    client.get("/login")
    with override_settings(SECRET_KEY="a-newer-django-secret-key-PUBLIC-never-use", SECRET_KEY_FALLBACKS=[OLD_KEY]):
        ov = switch_django(client, errors, migrate=True, clock=now)
        try:
            r = client.get("/whoami")
            assert r.content == b"alice" and sealed(django_cookie(r) or "")
        finally:
            ov.disable()


# --- the core: SessionLayer's legacy openers -------------------------------------


def test_a_cookieseal_cookie_never_reaches_a_legacy_opener() -> None:
    from cookieseal._session import SessionLayer

    calls: list[str] = []

    def opener(value: str) -> dict[str, Any]:
        calls.append(value)
        return {"user": "from the old cookie"}

    layer = SessionLayer(Codec([SECRET_A]), name="session", legacy_openers=[opener])
    other = Codec(["another-secret-of-at-least-32-bytes-PUBLIC"]).seal("session", {"user": "x"})
    read = layer.read(f"session={other}")  # sealed, unknown key: its own error
    assert read.outcome == "unknown_key" and calls == []
    good = Codec([SECRET_A]).seal("session", {"user": "y"})
    read = layer.read(f"session=not-sealed; session={good}")  # sealed heads first (S4.2)
    assert read.outcome == "ok" and read.data == {"user": "y"} and calls == []
    read = layer.read("session=eyJ1c2VyIjoiYSJ9.old.sig")
    assert read.outcome == "ok" and read.info is not None and read.info.legacy and calls == ["eyJ1c2VyIjoiYSJ9.old.sig"]
    calls.clear()
    read = layer.read("session=" + "a" * 4096)  # over max_length: no opener runs
    assert read.outcome == "too_large" and calls == []


def test_a_legacy_session_changed_or_kept_is_sealed_as_a_new_one() -> None:
    from cookieseal._session import SessionLayer

    clock = Clock(1795700000)
    layer = SessionLayer(Codec([SECRET_A], now=clock, max_lifetime=3600), name="session", legacy_openers=[lambda v: {"user": "a"}])
    read = layer.read("session=old")
    for changed in (False, True):
        out = layer.save(read, {"user": "b" if changed else "a"}, changed=changed)
        (c,) = out
        info = Codec([SECRET_A], now=clock).open_info("session", c.value)[1]
        assert (info.issued_at, info.created_at) == (clock.t, clock.t), "never created-at 0 (max_lifetime would end it)"
    assert layer.save(read, {"user": "a"}, changed=False, refused=True) == []
    assert layer.save(read, {"user": "a"}, changed=False, status=403) == []


def test_flask_sealed_sessions_need_no_secret_key() -> None:
    from flask import flash, get_flashed_messages

    app = Flask("nokey")
    app.config.update(COOKIESEAL_SECRETS=[SECRET_A])
    assert app.secret_key is None
    cookieseal.flask.install(app)

    @app.get("/set")
    def set_() -> str:
        session["user"] = "alice"
        flash("welcome")
        return "ok"

    @app.get("/get")
    def get() -> str:
        return f"{session.get('user')} {get_flashed_messages()}"

    client = app.test_client()
    assert client.get("/set").status_code == 200
    assert client.get("/get").data == b"alice ['welcome']"


def test_starlette_testclient_needs_an_https_base_url() -> None:
    """The README's testing note: Secure is the default, and TestClient's
    default base_url is plain http, where its cookie jar keeps no Secure
    cookie, so the session is lost between requests."""
    pytest.importorskip("starlette")
    from starlette.applications import Starlette
    from starlette.requests import Request
    from starlette.responses import PlainTextResponse
    from starlette.routing import Route
    from starlette.testclient import TestClient

    from cookieseal.starlette import SealedSessionMiddleware

    async def login(request: Request) -> PlainTextResponse:
        request.session["user"] = "alice"
        return PlainTextResponse("ok")

    async def me(request: Request) -> PlainTextResponse:
        return PlainTextResponse(str(request.session.get("user", "nobody")))

    app = Starlette(routes=[Route("/login", login), Route("/me", me)])
    app.add_middleware(SealedSessionMiddleware, secrets=[SECRET_A])
    seen = {}
    for base in ("http://testserver", "https://testserver"):
        client = TestClient(app, base_url=base)
        client.get("/login")
        seen[base] = client.get("/me").text
    assert seen == {"http://testserver": "nobody", "https://testserver": "alice"}
