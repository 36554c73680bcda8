"""cookieseal.django through Django's test Client and the real middleware
stack: what the engine adds to Django's session API and what it writes."""

from __future__ import annotations

from typing import Any, Iterator

import pytest

import djangoconf

djangoconf.setup()

from conftest import SECRET_A, SECRET_B, Clock  # noqa: E402
from django.core.exceptions import ImproperlyConfigured  # noqa: E402
from django.http import HttpRequest, HttpResponse  # noqa: E402
from django.test import Client, override_settings  # noqa: E402
from django.urls import path  # noqa: E402
from guessapp import reveals  # noqa: E402

import cookieseal.django  # noqa: E402
from cookieseal import Codec  # noqa: E402
from cookieseal.django import SessionMiddleware, SessionStore, get_layer  # noqa: E402

NOW = 1795700000
seen: list[Any] = []


def login(request: HttpRequest) -> HttpResponse:
    request.session.cycle_key()  # what django.contrib.auth.login does
    request.session["user"] = "alice"
    return HttpResponse("ok")


def logout(request: HttpRequest) -> HttpResponse:
    request.session.flush()  # what django.contrib.auth.logout does
    return HttpResponse("bye")


def whoami(request: HttpRequest) -> HttpResponse:
    seen.append(request.session.info)
    return HttpResponse(request.session.get("user", "nobody"))


def touch(request: HttpRequest) -> HttpResponse:
    request.session["n"] = request.session.get("n", 0) + 1
    return HttpResponse(str(request.session["n"]))


def expiry(request: HttpRequest, seconds: int) -> HttpResponse:
    request.session["user"] = "alice"
    request.session.set_expiry(seconds)
    return HttpResponse(str(request.session.get_expiry_age()))


def big(request: HttpRequest, n: int) -> HttpResponse:
    request.session["blob"] = "".join(f"{i:08x}" for i in range(n))
    return HttpResponse("ok")


def crash(request: HttpRequest) -> HttpResponse:
    request.session["user"] = "mallory"
    return HttpResponse("oops", status=500)


def put_datetime(request: HttpRequest) -> HttpResponse:
    import datetime

    request.session["when"] = datetime.datetime(2026, 1, 1)
    return HttpResponse("ok")


def static(request: HttpRequest) -> HttpResponse:
    return HttpResponse("no session here")


async def async_login(request: HttpRequest) -> HttpResponse:
    await request.session.acycle_key()
    await request.session.aset("user", "bob")
    return HttpResponse("ok")


async def async_whoami(request: HttpRequest) -> HttpResponse:
    return HttpResponse(await request.session.aget("user", "nobody"))


urlpatterns = [
    path("login", login),
    path("logout", logout),
    path("whoami", whoami),
    path("touch", touch),
    path("expiry/<int:seconds>", expiry),
    path("big/<int:n>", big),
    path("crash", crash),
    path("datetime", put_datetime),
    path("static", static),
    path("async/login", async_login),
    path("async/whoami", async_whoami),
]


@pytest.fixture
def clock() -> Iterator[Clock]:
    c = Clock(NOW)
    with override_settings(ROOT_URLCONF=__name__):
        get_layer().codec._now = c
        yield c
    seen.clear()


def lines(r: Any) -> dict[str, str]:
    """The Set-Cookie lines as the WSGI handler writes them, by dict key."""
    return {k: m.output(header="").strip() for k, m in r.cookies.items()}


def value(line: str) -> str:
    return line.split(";", 1)[0].split("=", 1)[1]


def test_login_seals_with_the_layer_attributes(clock: Clock) -> None:
    r = Client().get("/login")
    line = lines(r)["sessionid"]
    assert line.endswith("; Path=/; Expires=" + line.split("Expires=")[1].split(";")[0] + "; Max-Age=1209600; HttpOnly; Secure; SameSite=Lax")
    assert not reveals(value(line), b"alice")
    data, info = Codec([SECRET_A], max_age=1209600, now=clock).open_info("sessionid", value(line))
    assert data == {"user": "alice"} and info.issued_at == info.created_at == NOW
    assert r.headers["Cache-Control"] == "no-store" and r.headers["Vary"] == "Cookie"


def test_a_read_writes_nothing_and_login_starts_a_new_session(clock: Clock) -> None:
    c = Client()
    c.get("/login")
    clock.t = NOW + 100
    r = c.get("/whoami")
    assert r.content == b"alice" and not r.cookies and seen[-1].created_at == NOW
    assert r.headers["Vary"] == "Cookie" and "Cache-Control" not in r.headers
    clock.t = NOW + 200
    r = c.get("/touch")  # a change keeps created-at
    info = Codec([SECRET_A], max_age=1209600, now=clock).open_info("sessionid", value(lines(r)["sessionid"]))[1]
    assert (info.issued_at, info.created_at) == (NOW + 200, NOW)
    clock.t = NOW + 300
    r = c.get("/login")  # cycle_key: created-at is now
    info = Codec([SECRET_A], max_age=1209600, now=clock).open_info("sessionid", value(lines(r)["sessionid"]))[1]
    assert (info.issued_at, info.created_at) == (NOW + 300, NOW + 300)


def test_logout_deletes_the_cookie_even_without_one(clock: Clock) -> None:
    r = Client().get("/logout")
    line = lines(r)["sessionid"]
    assert line.startswith("sessionid=; Path=/; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT")
    assert r.headers["Cache-Control"] == "no-store"


def test_a_request_without_a_session_writes_nothing(clock: Clock) -> None:
    r = Client().get("/static")
    assert not r.cookies and "Vary" not in r.headers and "Cache-Control" not in r.headers


def test_set_expiry_keeps_max_age_constant_and_judges_at_read(clock: Clock) -> None:
    c = Client()
    r = c.get("/expiry/60")
    assert r.content == b"60"
    assert "Max-Age=1209600" in lines(r)["sessionid"], "Max-Age is SESSION_COOKIE_AGE, never the session's own"
    clock.t = NOW + 59
    assert c.get("/whoami").content == b"alice"
    clock.t = NOW + 60
    errors: list[Any] = []
    with override_settings(COOKIESEAL_ON_ERROR=errors.append):
        assert c.get("/whoami").content == b"nobody"
    assert [type(e) for e in errors] == [cookieseal.ExpiredCookie]


def test_expire_at_browser_close_writes_no_max_age(clock: Clock) -> None:
    r = Client().get("/expiry/0")
    line = lines(r)["sessionid"]
    assert "Max-Age" not in line and "Expires" not in line
    with override_settings(SESSION_EXPIRE_AT_BROWSER_CLOSE=True):
        get_layer().codec._now = clock
        line = lines(Client().get("/login"))["sessionid"]
        assert "Max-Age" not in line


def test_save_every_request_refreshes_an_accepted_session_only(clock: Clock) -> None:
    c = Client()
    c.get("/login")
    with override_settings(SESSION_SAVE_EVERY_REQUEST=True):
        get_layer().codec._now = clock
        clock.t = NOW + 10
        r = c.get("/whoami")
        info = Codec([SECRET_A], max_age=1209600, now=clock).open_info("sessionid", value(lines(r)["sessionid"]))[1]
        assert (info.issued_at, info.created_at) == (NOW + 10, NOW)


def test_a_5xx_saves_nothing(clock: Clock) -> None:
    r = Client(raise_request_exception=False).get("/crash")
    assert r.status_code == 500 and not r.cookies


def test_an_unsealable_value_is_one_clear_error(clock: Clock) -> None:
    with pytest.raises(cookieseal.UnsupportedValue, match="datetime"):
        Client().get("/datetime")


def test_a_session_too_long_for_one_cookie_is_split_when_allowed(clock: Clock) -> None:
    with override_settings(COOKIESEAL_MAX_HEADER_BYTES=16000):
        get_layer().codec._now = clock
        c = Client()
        r = c.get("/big/600")  # 4800 characters of hex
        got = lines(r)
        assert set(got) >= {"sessionid", "sessionid.1"} and value(got["sessionid"]).startswith("2.")
        r = c.get("/whoami")
        assert r.status_code == 200 and seen[-1] is not None
        r = c.get("/logout")
        # Every part the request carried is expired: Django's test client
        # keeps the empty parts the first write expired and sends them back.
        got = lines(r)
        assert set(got) >= {"sessionid", "sessionid.1"} and all("Max-Age=0" in v and value(v) == "" for v in got.values())


def test_a_planted_nbsp_cookie_is_not_the_session(clock: Clock) -> None:
    planted = Codec([SECRET_A]).seal("sessionid", {"user": "mallory"})
    r = Client().get("/whoami", HTTP_COOKIE=f"\xa0sessionid={planted}")
    assert r.content == b"nobody"


def test_rotation_reissues_keeping_issued_at(clock: Clock) -> None:
    c = Client()
    c.get("/login")
    with override_settings(COOKIESEAL_SECRETS=[SECRET_B, SECRET_A]):
        get_layer().codec._now = clock
        clock.t = NOW + 5
        r = c.get("/whoami")
        data, info = Codec([SECRET_B, SECRET_A], max_age=1209600, now=clock).open_info("sessionid", value(lines(r)["sessionid"]))
        assert info.key_id == Codec([SECRET_B]).key_ids[0] and (info.issued_at, info.created_at) == (NOW, NOW)


def test_host_prefix_and_settings(clock: Clock) -> None:
    with override_settings(SESSION_COOKIE_NAME="__Host-sessionid", SESSION_COOKIE_SAMESITE="Strict"):
        get_layer().codec._now = clock
        line = lines(Client().get("/login"))["__Host-sessionid"]
        assert "Secure" in line and "SameSite=Strict" in line and "Domain" not in line
    with override_settings(SESSION_COOKIE_NAME="__Host-sessionid", SESSION_COOKIE_DOMAIN="example.com"):
        with pytest.raises(ImproperlyConfigured, match="__Host-"):
            get_layer()


def test_configuration_is_refused_at_start(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("COOKIESEAL_SECRETS", raising=False)
    with override_settings(COOKIESEAL_SECRETS=None):
        with pytest.raises(ImproperlyConfigured, match="no secrets"):
            SessionMiddleware(lambda r: HttpResponse())
    monkeypatch.setenv("COOKIESEAL_SECRETS", SECRET_B)
    with override_settings(COOKIESEAL_SECRETS=None):
        assert get_layer().codec.key_ids == Codec([SECRET_B]).key_ids
    with override_settings(SESSION_SERIALIZER="myapp.PickleSerializer"):
        with pytest.raises(ImproperlyConfigured, match="SESSION_SERIALIZER"):
            get_layer()
    with override_settings(COOKIESEAL_INSECURE=True, SESSION_COOKIE_SECURE=True):
        with pytest.raises(ImproperlyConfigured, match="choose one"):
            get_layer()
    with override_settings(COOKIESEAL_MIGRATE_FROM="django.contrib.sessions.backends.db"):
        with pytest.raises(ImproperlyConfigured, match="COOKIESEAL_MIGRATE_FROM"):
            get_layer()
    with override_settings(SESSION_ENGINE="django.contrib.sessions.backends.signed_cookies"):
        with pytest.raises(ImproperlyConfigured, match="SESSION_ENGINE"):
            SessionMiddleware(lambda r: HttpResponse())


def test_session_key_is_the_sealed_value_for_the_test_client_login(clock: Clock) -> None:
    s = SessionStore()
    s["user"] = "alice"
    s.save()
    c = Client()
    c.cookies["sessionid"] = s.session_key
    assert c.get("/whoami").content == b"alice"
    assert not reveals(s.session_key, b"alice")


def test_django_json_rules(clock: Clock) -> None:
    s = SessionStore()
    s["pair"] = ("a", 1)
    s["ints"] = {1: "one"}
    s.save()
    assert dict(SessionStore(s.session_key).items()) == {"pair": ["a", 1], "ints": {"1": "one"}}
    s["nan"] = float("nan")
    with pytest.raises(cookieseal.UnsupportedValue):
        s.save()


def test_a_read_is_never_repeated(clock: Clock, monkeypatch: pytest.MonkeyPatch) -> None:
    c = Client()
    c.get("/login")
    calls = []
    real = cookieseal.django.SessionLayer.read

    def counted(self: Any, header: str) -> Any:
        calls.append(header)
        return real(self, header)

    monkeypatch.setattr(cookieseal.django.SessionLayer, "read", counted)
    c.get("/touch")
    assert len(calls) == 1


def test_a_float_expiry_is_honoured(clock: Clock) -> None:
    s = SessionStore()
    s["user"] = "alice"
    s.set_expiry(30.5)
    s.save()
    assert SessionStore(s.session_key)["user"] == "alice"
    clock.t = NOW + 31
    assert SessionStore(s.session_key).get("user") is None


def test_a_copied_or_unpickled_cookie_line_keeps_its_attributes(clock: Clock) -> None:
    import pickle

    r = Client().get("/login")
    m = r.cookies["sessionid"]
    for other in (pickle.loads(pickle.dumps(m)), m.copy()):
        line = other.output(header="").strip()
        assert line.startswith(f"sessionid={m.value}; ")
        for attr in ("Path=/", "Max-Age=1209600", "HttpOnly", "Secure", "SameSite=Lax", "expires="):
            assert attr in line, (attr, line)


def test_async_views_under_the_asgi_handler(clock: Clock) -> None:
    import asyncio

    from django.test import AsyncClient

    async def play() -> tuple[Any, Any]:
        c = AsyncClient()
        r1 = await c.get("/async/login")
        r2 = await c.get("/async/whoami")
        return r1, r2

    r1, r2 = asyncio.run(play())
    data, info = Codec([SECRET_A], max_age=1209600, now=clock).open_info("sessionid", value(lines(r1)["sessionid"]))
    assert data == {"user": "bob"} and info.created_at == NOW
    assert r2.content == b"bob" and not r2.cookies
