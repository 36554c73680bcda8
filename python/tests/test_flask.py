"""The Flask session interface, through Flask's test client, and the guess
app of the article."""

from __future__ import annotations

import json
import os
import random

import pytest
from conftest import SECRET_A, SECRET_B, Clock
from guessapp import load_guess_app, reveals

flask = pytest.importorskip("flask")
from flask import Flask, flash, get_flashed_messages, session  # noqa: E402
from flask.sessions import SecureCookieSessionInterface  # noqa: E402

import cookieseal  # noqa: E402
import cookieseal.flask  # noqa: E402
from cookieseal import Codec  # noqa: E402
from cookieseal.flask import SealedSessionInterface  # noqa: E402

NOW = 1795700000


@pytest.fixture(autouse=True)
def _secrets_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COOKIESEAL_SECRETS", SECRET_A)


def set_cookies(resp) -> dict[str, str]:  # type: ignore[no-untyped-def]
    """name -> full Set-Cookie header of a response."""
    out = {}
    for h in resp.headers.getlist("Set-Cookie"):
        out[h.split("=", 1)[0]] = h
    return out


def cookie_value(header: str) -> str:
    return header.split(";", 1)[0].split("=", 1)[1]


# --- the guess app -----------------------------------------------------------


def start_game(client, answer: int, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    monkeypatch.setattr(random, "randint", lambda a, b: answer)
    r = client.get("/")
    assert r.status_code == 302 and r.headers["Location"].endswith("/guess")
    return r


def test_guess_app_win(monkeypatch: pytest.MonkeyPatch) -> None:
    client = load_guess_app().app.test_client()
    start_game(client, 7, monkeypatch)
    r = client.get("/guess")
    assert b"Try <span id=\"try\">1</span> of 3" in r.data
    r = client.get("/guess?guess=3")
    assert b"3 is not it" in r.data and b'<span id="try">2</span>' in r.data
    r = client.get("/guess?guess=7")
    assert b"You win!" in r.data and b'<span id="answer">7</span>' in r.data


def test_guess_app_lose_after_three_wrong_guesses(monkeypatch: pytest.MonkeyPatch) -> None:
    client = load_guess_app().app.test_client()
    start_game(client, 4, monkeypatch)
    for g, tries in ((1, b"2"), (2, b"3")):
        r = client.get(f"/guess?guess={g}")
        assert b'<span id="try">' + tries + b"</span>" in r.data
    r = client.get("/guess?guess=3")
    assert b"You lose!" in r.data and b'<span id="answer">4</span>' in r.data


def test_guess_app_cookies_do_not_reveal_the_answer(monkeypatch: pytest.MonkeyPatch) -> None:
    for answer in range(1, 11):
        client = load_guess_app().app.test_client()
        headers = [start_game(client, answer, monkeypatch)]
        for g in (11, 12, 13):
            headers.append(client.get(f"/guess?guess={g}"))
        values = [cookie_value(h) for r in headers for h in set_cookies(r).values()]
        assert values, "the app set no cookie"
        for v in values:
            assert not reveals(v, b"answer")
            assert not reveals(v, b"try_number")


def test_the_leak_check_catches_flasks_stock_cookie(monkeypatch: pytest.MonkeyPatch) -> None:
    # The same app with Flask's stock interface: the check above must see
    # the answer, or it proves nothing.
    mod = load_guess_app()
    mod.app.session_interface = SecureCookieSessionInterface()
    client = mod.app.test_client()
    r = start_game(client, 6, monkeypatch)
    v = cookie_value(set_cookies(r)["session"])
    assert reveals(v, b'"answer":6')


def test_guess_app_session_opens_with_the_codec(monkeypatch: pytest.MonkeyPatch) -> None:
    mod = load_guess_app()
    client = mod.app.test_client()
    r = start_game(client, 9, monkeypatch)
    v = cookie_value(set_cookies(r)["session"])
    assert Codec([SECRET_A]).open("session", v) == {"answer": 9, "try_number": 1}


def test_guess_app_with_no_secret_generates_one(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("COOKIESEAL_SECRETS")
    mod = load_guess_app()
    client = mod.app.test_client()
    r = start_game(client, 2, monkeypatch)
    v = cookie_value(set_cookies(r)["session"])
    with pytest.raises(cookieseal.UnknownKey):
        Codec([SECRET_A]).open("session", v)
    assert b"You win!" in client.get("/guess?guess=2").data


# --- the interface -------------------------------------------------------------


def make_app(
    secrets: list[str] | None = None, clock: Clock | None = None, errors: list[Exception] | None = None, **config: object
) -> Flask:
    app = Flask("t")
    app.config["TESTING"] = True
    app.config.update(config)
    if secrets is not None:
        app.config["COOKIESEAL_SECRETS"] = secrets
    iface = cookieseal.flask.install(app, **({"on_error": errors.append} if errors is not None else {}))
    if clock is not None:
        iface.codec._now = clock

    @app.route("/set/<key>/<value>")
    def set_(key: str, value: str):  # type: ignore[no-untyped-def]
        session[key] = value
        return "ok"

    @app.route("/setjson", methods=["POST"])
    def setjson():  # type: ignore[no-untyped-def]
        from flask import request

        session.update(json.loads(request.data))
        return "ok"

    @app.route("/get")
    def get():  # type: ignore[no-untyped-def]
        info = session.cookieseal_info  # type: ignore[attr-defined]
        return {"session": dict(session), "issued_at": info and info.issued_at, "key_id": info and info.key_id}

    @app.route("/clear")
    def clear():  # type: ignore[no-untyped-def]
        session.clear()
        return "ok"

    @app.route("/nothing")
    def nothing():  # type: ignore[no-untyped-def]
        return "ok"

    return app


def test_install_refuses_to_start_without_secrets(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("COOKIESEAL_SECRETS")
    with pytest.raises(cookieseal.ConfigError, match="no secrets"):
        make_app()


def test_install_reads_env_or_config(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COOKIESEAL_SECRETS", f"{SECRET_B}, {SECRET_A}")
    assert make_app().session_interface.codec.key_ids == Codec([SECRET_B, SECRET_A]).key_ids  # type: ignore[attr-defined]
    assert make_app([SECRET_A]).session_interface.codec.key_ids == Codec([SECRET_A]).key_ids  # type: ignore[attr-defined]
    app = make_app(None, COOKIESEAL_SECRETS=f"{SECRET_A}\n{SECRET_B}")
    assert app.session_interface.codec.key_ids == Codec([SECRET_A, SECRET_B]).key_ids  # type: ignore[attr-defined]


def test_short_secret_refused_at_install() -> None:
    with pytest.raises(cookieseal.ConfigError):
        make_app(["short"])


def test_round_trip_vary_and_no_store() -> None:
    client = make_app().test_client()
    r = client.get("/set/user/ada")
    assert "Cookie" in r.headers["Vary"]
    assert "no-store" in r.headers["Cache-Control"]
    h = set_cookies(r)["session"]
    assert "HttpOnly" in h and "Path=/" in h
    r = client.get("/get")
    assert r.json["session"] == {"user": "ada"}
    assert "Cookie" in r.headers["Vary"]
    assert "Set-Cookie" not in r.headers  # unchanged, not permanent: not re-sent


def test_no_cookie_no_session_no_set_cookie() -> None:
    r = make_app().test_client().get("/nothing")
    assert "Set-Cookie" not in r.headers


def test_cookie_settings_are_honoured() -> None:
    app = make_app(
        SESSION_COOKIE_NAME="__Host-sid",
        SESSION_COOKIE_SECURE=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_PATH="/",
    )
    r = app.test_client().get("/set/a/b")
    h = set_cookies(r)["__Host-sid"]
    assert "Secure" in h and "SameSite=Lax" in h and "Path=/" in h and "Domain" not in h
    v = cookie_value(h)
    assert Codec([SECRET_A]).open("__Host-sid", v) == {"a": "b"}
    app = make_app(SESSION_COOKIE_DOMAIN="example.test", SESSION_COOKIE_HTTPONLY=False, SESSION_COOKIE_PATH="/app")
    h = set_cookies(app.test_client().get("/set/a/b"))["session"]
    assert "Domain=example.test" in h and "HttpOnly" not in h and "Path=/app" in h


def test_permanent_session_gets_expires_and_refreshes() -> None:
    clock = Clock(NOW)
    app = make_app(clock=clock)

    @app.route("/perm")
    def perm():  # type: ignore[no-untyped-def]
        session.permanent = True
        session["x"] = 1
        return "ok"

    client = app.test_client()
    h = set_cookies(client.get("/perm"))["session"]
    assert "Expires=" in h
    clock.t = NOW + 5
    r = client.get("/get")
    assert r.json["issued_at"] == NOW
    # SESSION_REFRESH_EACH_REQUEST: re-sent with a new issued-at
    v = cookie_value(set_cookies(r)["session"])
    _, info = Codec([SECRET_A], now=clock).open_info("session", v)
    assert info.issued_at == NOW + 5 and info.created_at == NOW


@pytest.mark.parametrize("mangle", [lambda v: v[:-2], lambda v: v[:20] + ("A" if v[20] != "A" else "B") + v[21:], lambda v: "junk", lambda v: ""])
def test_tampered_cookie_gives_an_empty_session(mangle) -> None:  # type: ignore[no-untyped-def]
    client = make_app().test_client()
    v = cookie_value(set_cookies(client.get("/set/user/ada"))["session"])
    client.set_cookie("session", mangle(v))
    assert client.get("/get").json["session"] == {}


def test_guess_app_tampered_cookie_starts_over(monkeypatch: pytest.MonkeyPatch) -> None:
    client = load_guess_app().app.test_client()
    v = cookie_value(set_cookies(start_game(client, 5, monkeypatch))["session"])
    client.set_cookie("session", v[:-1] + ("A" if v[-1] != "A" else "B"))
    r = client.get("/guess?guess=5")
    assert r.status_code == 302 and r.headers["Location"].endswith("/")


def test_expired_cookie_gives_an_empty_session() -> None:
    clock = Clock(NOW)
    client = make_app(clock=clock, PERMANENT_SESSION_LIFETIME=60).test_client()
    client.get("/set/user/ada")
    clock.t = NOW + 60
    assert client.get("/get").json["session"] == {"user": "ada"}
    clock.t = NOW + 61
    assert client.get("/get").json["session"] == {}


def test_max_lifetime_bounds_a_refreshed_session() -> None:
    clock = Clock(NOW)
    client = make_app(clock=clock, COOKIESEAL_MAX_LIFETIME=100).test_client()
    client.get("/set/a/1")
    clock.t = NOW + 50
    client.get("/set/a/2")  # re-sealed: issued now, created kept
    clock.t = NOW + 100
    assert client.get("/get").json["session"] == {"a": "2"}
    clock.t = NOW + 101
    assert client.get("/get").json["session"] == {}


def test_unknown_key_gives_an_empty_session() -> None:
    client = make_app([SECRET_B]).test_client()
    client.set_cookie("session", Codec([SECRET_A]).seal("session", {"user": "mallory"}))
    assert client.get("/get").json["session"] == {}


def test_cookie_for_another_name_gives_an_empty_session() -> None:
    client = make_app().test_client()
    client.set_cookie("session", Codec([SECRET_A]).seal("other", {"user": "mallory"}))
    assert client.get("/get").json["session"] == {}


def test_non_object_cookie_gives_an_empty_session() -> None:
    client = make_app().test_client()
    client.set_cookie("session", Codec([SECRET_A]).seal("session", ["not", "a", "dict"]))
    assert client.get("/get").json["session"] == {}


def test_rotation_reissues_keeping_issued_at() -> None:
    clock = Clock(NOW)
    old = make_app([SECRET_A], clock=clock).test_client()
    v = cookie_value(set_cookies(old.get("/set/user/ada"))["session"])
    clock.t = NOW + 30
    new = make_app([SECRET_B, SECRET_A], clock=clock).test_client()
    new.set_cookie("session", v)
    r = new.get("/get")
    assert r.json["session"] == {"user": "ada"}
    assert r.json["key_id"] == Codec([SECRET_A]).key_ids[0]
    re = cookie_value(set_cookies(r)["session"])
    _, info = Codec([SECRET_B], now=clock).open_info("session", re)
    assert info.key_id == Codec([SECRET_B]).key_ids[0]
    assert info.issued_at == NOW and info.created_at == NOW  # the age did not move
    assert "no-store" in r.headers["Cache-Control"]
    # and once re-issued, it is not re-sent again
    assert "Set-Cookie" not in new.get("/get").headers


def test_a_view_can_refuse_a_rotated_session_before_it_is_reissued() -> None:
    clock = Clock(NOW)
    v = cookie_value(set_cookies(make_app([SECRET_A], clock=clock).test_client().get("/set/u/1"))["session"])
    app = make_app([SECRET_B, SECRET_A], clock=clock)

    @app.route("/strict")
    def strict():  # type: ignore[no-untyped-def]
        if session.cookieseal_info and session.cookieseal_info.issued_at < NOW + 1:  # type: ignore[attr-defined]
            session.clear()
        return "ok"

    client = app.test_client()
    client.set_cookie("session", v)
    r = client.get("/strict")
    h = set_cookies(r)["session"]
    assert cookie_value(h) == "" and ("Max-Age=0" in h or "Expires=Thu, 01 Jan 1970" in h)


def test_clear_deletes_the_cookie() -> None:
    client = make_app().test_client()
    client.get("/set/a/b")
    r = client.get("/clear")
    h = set_cookies(r)["session"]
    assert cookie_value(h) == ""
    assert client.get_cookie("session") is None


def _big_value(n: int) -> str:
    return os.urandom(n).hex()  # incompressible text


BIG = {"COOKIESEAL_MAX_HEADER_BYTES": 40000}


def test_default_budget_keeps_a_session_in_one_cookie() -> None:
    # SPEC.md section 10: 3072 bytes of Cookie header by default.
    client = make_app().test_client()
    client.post("/setjson", data=json.dumps({"v": "x" * 2000}))
    assert client.get("/get").json["session"] == {"v": "x" * 2000}
    with pytest.raises(cookieseal.CookieTooLarge):
        client.post("/setjson", data=json.dumps({"v": "x" * 2400}))


def test_chunked_session_round_trip_and_shrink() -> None:
    client = make_app(**BIG).test_client()
    big = _big_value(4000)  # 8000 characters, about 10700 sealed: three cookies
    r = client.post("/setjson", data=json.dumps({"big": big}))
    all_cookies = set_cookies(r)
    cookies = {n: h for n, h in all_cookies.items() if cookie_value(h)}
    assert set(cookies) == {"session", "session.1", "session.2"}
    # The request carried none of the session's cookies (as a cross-site
    # one would not): every other part a value could use is expired.
    assert {n for n, h in all_cookies.items() if not cookie_value(h)} == {f"session.{i}" for i in range(3, 10)}
    for name, h in cookies.items():
        assert len(name) + 1 + len(cookie_value(h)) <= 4096
    assert cookie_value(cookies["session"]).startswith("3.")
    assert client.get("/get").json["session"] == {"big": big}
    # shrink: the stale parts are deleted
    r = client.get("/clear")
    client.get("/set/a/b")
    r = client.post("/setjson", data=json.dumps({"big": "small"}))
    assert client.get("/get").json["session"]["big"] == "small"


def test_shrinking_session_expires_the_parts_it_no_longer_needs() -> None:
    client = make_app(**BIG).test_client()
    client.post("/setjson", data=json.dumps({"big": _big_value(5000)}))
    r = client.post("/setjson", data=json.dumps({"big": "x"}))
    cookies = set_cookies(r)
    assert cookie_value(cookies["session.1"]) == "" and cookie_value(cookies["session.2"]) == ""
    assert "." not in cookie_value(cookies["session"])
    assert client.get_cookie("session.1") is None
    assert client.get("/get").json["session"]["big"] == "x"


def test_clear_deletes_every_part() -> None:
    client = make_app(**BIG).test_client()
    client.post("/setjson", data=json.dumps({"big": _big_value(4000)}))
    cookies = set_cookies(client.get("/clear"))
    assert {n for n, h in cookies.items() if cookie_value(h) == ""} == {"session", "session.1", "session.2"}


def test_planted_and_stale_parts_are_ignored() -> None:
    client = make_app().test_client()
    client.get("/set/a/b")
    client.set_cookie("session.1", "planted")
    client.set_cookie("session.7", "planted")
    assert client.get("/get").json["session"] == {"a": "b"}


def test_missing_part_gives_an_empty_session() -> None:
    client = make_app(**BIG).test_client()
    client.post("/setjson", data=json.dumps({"big": _big_value(5000)}))
    client.delete_cookie("session.1")
    assert client.get("/get").json["session"] == {}


def test_swapped_parts_give_an_empty_session() -> None:
    client = make_app(**BIG).test_client()
    client.post("/setjson", data=json.dumps({"big": _big_value(5000)}))
    one, two = client.get_cookie("session.1").value, client.get_cookie("session.2").value
    client.set_cookie("session.1", two)
    client.set_cookie("session.2", one)
    assert client.get("/get").json["session"] == {}


@pytest.mark.parametrize("count", ["1", "01", "11", "x", "", "2a"])
def test_bad_part_counts_give_an_empty_session(count: str) -> None:
    client = make_app(**BIG).test_client()
    client.post("/setjson", data=json.dumps({"big": _big_value(2500)}))  # two parts
    v = client.get_cookie("session").value
    client.set_cookie("session", count + "." + v.split(".", 1)[1])
    assert client.get("/get").json["session"] == {}


def test_session_too_large_for_max_chunks_raises() -> None:
    client = make_app(COOKIESEAL_MAX_PARTS=2, COOKIESEAL_MAX_HEADER_BYTES=40000).test_client()
    with pytest.raises(cookieseal.CookieTooLarge):
        client.post("/setjson", data=json.dumps({"big": _big_value(5000)}))


def test_flash_messages_survive_as_lists() -> None:
    app = make_app()

    @app.route("/flash")
    def f():  # type: ignore[no-untyped-def]
        flash("saved", "info")
        return "ok"

    @app.route("/show")
    def show():  # type: ignore[no-untyped-def]
        return {"m": [list(x) for x in get_flashed_messages(with_categories=True)]}

    client = app.test_client()
    client.get("/flash")
    assert client.get("/show").json == {"m": [["info", "saved"]]}


@pytest.mark.parametrize("value", [b"bytes", __import__("uuid").uuid4(), __import__("datetime").datetime(2026, 1, 1), {1, 2}])
def test_types_plain_json_cannot_carry_are_refused_clearly(value: object) -> None:
    app = make_app()

    @app.route("/bad")
    def bad():  # type: ignore[no-untyped-def]
        session["k"] = value
        return "ok"

    with pytest.raises(cookieseal.UnsupportedValue, match=type(value).__name__):
        app.test_client().get("/bad")


def test_interface_can_be_built_from_a_codec() -> None:
    app = Flask("t")
    app.session_interface = SealedSessionInterface(Codec([SECRET_A]), max_parts=1)

    @app.route("/")
    def index():  # type: ignore[no-untyped-def]
        session["n"] = session.get("n", 0) + 1
        return str(session["n"])

    client = app.test_client()
    assert client.get("/").data == b"1" and client.get("/").data == b"2"
    with pytest.raises(cookieseal.ConfigError):
        SealedSessionInterface(Codec([SECRET_A]), max_parts=0)


# --- issue 19 (SESSIONS.md) ------------------------------------------------------


def raw_get(app: Flask, path: str, header: str):  # type: ignore[no-untyped-def]
    """GET with exactly this Cookie header (one character per byte), as a
    browser would send it; the test client's cookie jar is not used."""
    return app.test_client(use_cookies=False).get(path, environ_overrides={"HTTP_COOKIE": header})


def opened(app: Flask, header: str, clock: Clock | None = None):  # type: ignore[no-untyped-def]
    """The session and Info of a Set-Cookie line of this app's cookie."""
    name = app.config["SESSION_COOKIE_NAME"]
    return Codec([SECRET_A], now=clock, max_age=10**9).open_info(name, cookie_value(header))


def test_a_planted_nbsp_host_cookie_is_not_the_session() -> None:
    # Chromium accepts a cookie named "\xa0__Host-session" from a sibling
    # subdomain and sends it; it is not the __Host- cookie.
    app = make_app(SESSION_COOKIE_NAME="__Host-session")
    planted = Codec([SECRET_A]).seal("__Host-session", {"user": "mallory"})
    assert raw_get(app, "/get", f"\xa0__Host-session={planted}").json["session"] == {}
    assert raw_get(app, "/get", f"\x85__Host-session={planted}").json["session"] == {}
    assert raw_get(app, "/get", f"__Host-session={planted}").json["session"] == {"user": "mallory"}


def test_flask_reads_every_cookie_header_by_the_shared_grammar() -> None:
    app = make_app()
    v = Codec([SECRET_A]).seal("session", {"u": "1"})
    assert raw_get(app, "/get", f'x=1; session="{v}"').json["session"] == {"u": "1"}
    assert raw_get(app, "/get", f"se\\ssion={v}").json["session"] == {}


def permanent_app(**config: object) -> tuple[Flask, Clock]:
    clock = Clock(NOW)
    app = make_app(clock=clock, **config)

    @app.route("/login")
    def login():  # type: ignore[no-untyped-def]
        session.permanent = True
        session["user"] = "ada"
        return "ok"

    @app.route("/refuse401")
    def refuse401():  # type: ignore[no-untyped-def]
        flask.abort(401)

    @app.route("/refuse")
    def refuse():  # type: ignore[no-untyped-def]
        cookieseal.flask.refuse_session()
        return "issued before the password change"

    @app.route("/change401")
    def change401():  # type: ignore[no-untyped-def]
        session["note"] = "x"
        return "no", 401

    return app, clock


@pytest.mark.parametrize("view", ["/refuse401", "/refuse"])
def test_a_refused_permanent_session_is_not_refreshed(view: str) -> None:
    app, clock = permanent_app()
    client = app.test_client()
    client.get("/login")
    clock.t = NOW + 5
    assert "session" in set_cookies(client.get("/get"))  # SESSION_REFRESH_EACH_REQUEST
    r = client.get(view)
    assert set_cookies(r) == {}


@pytest.mark.parametrize("view", ["/refuse401", "/refuse"])
def test_a_refused_session_past_refresh_age_is_not_refreshed(view: str) -> None:
    app, clock = permanent_app(COOKIESEAL_REFRESH_AGE=10, SESSION_REFRESH_EACH_REQUEST=False)
    client = app.test_client()
    client.get("/login")
    clock.t = NOW + 11
    assert set_cookies(client.get(view)) == {}
    r = client.get("/get")
    assert opened(app, set_cookies(r)["session"], clock)[1].issued_at == NOW + 11  # accepted: refreshed


def test_a_changed_session_is_written_even_with_an_error_status() -> None:
    app, clock = permanent_app()
    client = app.test_client()
    client.get("/login")
    r = client.get("/change401")
    assert r.status_code == 401
    assert opened(app, set_cookies(r)["session"])[0]["note"] == "x"


GO_SESSIONS = [
    cookieseal.Map({"user": "ada", "at": cookieseal.Time(2026, 1, 2, 3, 4, 5)}),
    cookieseal.Map({"user": "ada", "raw": b"\x00\xff"}),
    cookieseal.Map({"user": "ada", 7: "seven"}),
    cookieseal.Map({"user": "ada", "ttl": cookieseal.Duration(10**9)}),
]


@pytest.mark.parametrize("values", GO_SESSIONS, ids=["time", "bytes", "int-key", "duration"])
def test_a_go_session_that_json_cannot_hold_is_an_empty_session_never_a_500(values: cookieseal.Map) -> None:
    errors: list[Exception] = []
    app = make_app(errors=errors)
    client = app.test_client()
    client.set_cookie("session", Codec([SECRET_A]).seal_values("session", values))
    r = client.get("/get")
    assert r.status_code == 200 and r.json["session"] == {}
    assert [type(e) for e in errors] == [cookieseal.InvalidCookie]
    r = client.get("/set/user/bob")
    assert r.status_code == 200
    assert opened(app, set_cookies(r)["session"])[0] == {"user": "bob"}


def test_a_go_session_with_a_plain_form_is_represented_and_saved_as_json() -> None:
    app = make_app()
    client = app.test_client()
    go = cookieseal.Map({"user": "ada", "n": cookieseal.Int64(3), "tags": cookieseal.Strings(["a"]), "f": cookieseal.Float32(0.5)})
    client.set_cookie("session", Codec([SECRET_A]).seal_values("session", go))
    assert client.get("/get").json["session"] == {"user": "ada", "n": 3, "tags": ["a"], "f": 0.5}
    r = client.get("/set/x/y")
    assert r.status_code == 200
    assert opened(app, set_cookies(r)["session"])[0] == {"user": "ada", "n": 3, "tags": ["a"], "f": 0.5, "x": "y"}


def test_cookies_are_secure_and_lax_by_default() -> None:
    # Flask's defaults are SESSION_COOKIE_SECURE=False and SAMESITE=None;
    # the sealed session is Secure; SameSite=Lax unless the app sets it.
    client = make_app().test_client()  # werkzeug's client sends Secure cookies to http://localhost
    h = set_cookies(client.get("/set/a/b"))["session"]
    assert "; Secure" in h and "SameSite=Lax" in h
    assert client.get("/get").json["session"] == {"a": "b"}
    h = set_cookies(make_app(SESSION_COOKIE_SAMESITE="Strict").test_client().get("/set/a/b"))["session"]
    assert "SameSite=Strict" in h and "; Secure" in h


def test_insecure_is_an_explicit_setting() -> None:
    h = set_cookies(make_app(COOKIESEAL_INSECURE=True).test_client().get("/set/a/b"))["session"]
    assert "Secure" not in h and "SameSite=Lax" in h
    with pytest.raises(cookieseal.ConfigError):
        make_app(COOKIESEAL_INSECURE=True, SESSION_COOKIE_SECURE=True)
    with pytest.raises(cookieseal.ConfigError):
        make_app(COOKIESEAL_INSECURE=True, SESSION_COOKIE_SAMESITE="None")


@pytest.mark.parametrize(
    "config",
    [
        {"SESSION_COOKIE_NAME": "session.1"},
        {"SESSION_COOKIE_NAME": "sess ion"},
        {"SESSION_COOKIE_NAME": "__host-session"},
        {"SESSION_COOKIE_NAME": "__Host-session", "SESSION_COOKIE_DOMAIN": "example.test"},
        {"SESSION_COOKIE_NAME": "__Host-session", "SESSION_COOKIE_PATH": "/app"},
        {"SESSION_COOKIE_NAME": "__Host-session", "COOKIESEAL_INSECURE": True},
        {"SESSION_COOKIE_NAME": "__Secure-session", "COOKIESEAL_INSECURE": True},
        {"SESSION_COOKIE_NAME": "__Secure-session", "COOKIESEAL_LEGACY_SCOPES": [("example.test", "/")]},
        {"COOKIESEAL_LEGACY_SCOPES": [(None, "/")]},
    ],
)
def test_bad_cookie_configurations_are_refused_at_install(config: dict[str, object]) -> None:
    with pytest.raises(cookieseal.ConfigError):
        make_app(**config)


def test_secure_prefix_allows_a_domain() -> None:
    app = make_app(SESSION_COOKIE_NAME="__Secure-session", SESSION_COOKIE_DOMAIN="example.test")
    h = set_cookies(app.test_client().get("/set/a/b", base_url="http://www.example.test"))["__Secure-session"]
    assert "Domain=example.test" in h and "; Secure" in h


@pytest.mark.parametrize("header", [f"session={'9' * 5000}.AQAAAAAAxxxx", f"session.{'1' * 5000}=x; session=2.AQAAAAAAxxxx"])
def test_part_counts_and_suffixes_of_5000_digits_are_no_500(header: str) -> None:
    app = make_app(**BIG)
    r = raw_get(app, "/get", header)
    assert r.status_code == 200 and r.json["session"] == {}
    r = raw_get(app, "/set/a/b", header)  # the write looks for stale parts
    assert r.status_code == 200 and opened(app, set_cookies(r)["session"])[0] == {"a": "b"}


def test_an_attack_header_costs_flask_at_most_four_opens(monkeypatch: pytest.MonkeyPatch) -> None:
    from test_session_layer import Opens, attack_header

    clock = Clock(NOW)
    app = make_app(clock=clock)
    header = attack_header(Codec([SECRET_A], now=clock))
    opens = Opens(monkeypatch)
    r = raw_get(app, "/get", header)
    assert r.status_code == 200 and opens.n <= 4


def test_a_session_issued_within_the_clock_skew_can_be_changed_and_refreshed() -> None:
    app, clock = permanent_app()
    v = Codec([SECRET_A]).seal("session", {"_permanent": True, "u": "1"}, issued_at=NOW + 30)
    r = raw_get(app, "/set/a/b", f"session={v}")
    assert r.status_code == 200
    data, info = opened(app, set_cookies(r)["session"])
    assert data == {"_permanent": True, "u": "1", "a": "b"} and info.issued_at == info.created_at == NOW
    r = raw_get(app, "/get", f"session={v}")  # SESSION_REFRESH_EACH_REQUEST
    assert r.status_code == 200 and opened(app, set_cookies(r)["session"])[1].created_at == NOW


def test_a_session_that_expires_during_the_request_is_not_written() -> None:
    clock = Clock(NOW)
    errors: list[Exception] = []
    app = make_app(clock=clock, errors=errors, COOKIESEAL_MAX_LIFETIME=100)

    @app.route("/slow")
    def slow():  # type: ignore[no-untyped-def]
        session["step"] = "2"
        clock.t = NOW + 20  # the view ran long
        return "ok"

    v = Codec([SECRET_A]).seal("session", {"step": "1"}, issued_at=NOW - 10, created_at=NOW - 90)
    r = raw_get(app, "/slow", f"session={v}")
    assert r.status_code == 200 and set_cookies(r) == {}
    assert [type(e) for e in errors] == [cookieseal.ExpiredCookie]


def test_login_starts_a_new_session() -> None:
    clock = Clock(NOW)
    app = make_app(clock=clock)

    @app.route("/login-clear")
    def login_clear():  # type: ignore[no-untyped-def]
        session.clear()
        session["user"] = "ada"
        return "ok"

    @app.route("/login-renew")
    def login_renew():  # type: ignore[no-untyped-def]
        cookieseal.flask.renew_session()
        session["user"] = "ada"
        return "ok"

    v = Codec([SECRET_A]).seal("session", {"user": "old"}, issued_at=NOW - 10, created_at=NOW - 900)
    _, info = opened(app, set_cookies(raw_get(app, "/set/x/1", f"session={v}"))["session"])
    assert info.created_at == NOW - 900  # a change keeps the session's start
    for view in ("/login-clear", "/login-renew"):
        data, info = opened(app, set_cookies(raw_get(app, view, f"session={v}"))["session"])
        assert info.issued_at == info.created_at == NOW, view


def test_legacy_scopes_are_expired_on_write_and_logout() -> None:
    app = make_app(COOKIESEAL_LEGACY_SCOPES=[{"domain": "example.test", "path": "/"}, ("", "/old")])
    v = Codec([SECRET_A]).seal("session", {"u": "1"})
    r = raw_get(app, "/set/a/b", f"session={v}")
    lines = r.headers.getlist("Set-Cookie")
    assert len(lines) == 3
    assert lines[0].startswith("session=;") and "Domain=example.test" in lines[0] and "Max-Age=0" in lines[0]
    assert lines[1].startswith("session=;") and "Path=/old" in lines[1] and "Domain" not in lines[1]
    assert cookie_value(lines[2]) and "Domain" not in lines[2] and "Path=/;" in lines[2]
    lines = raw_get(app, "/clear", f"session={v}").headers.getlist("Set-Cookie")
    assert len(lines) == 3 and all(cookie_value(h) == "" for h in lines)


def test_an_apps_own_line_for_the_session_in_its_scope_is_replaced() -> None:
    app = make_app()

    @app.route("/own")
    def own():  # type: ignore[no-untyped-def]
        session["a"] = "b"
        r = flask.make_response("ok")
        r.set_cookie("session", "mine", path="/")
        r.set_cookie("session", "other-scope", path="/x")
        r.set_cookie("theme", "dark")
        return r

    lines = app.test_client().get("/own").headers.getlist("Set-Cookie")
    assert [h.split(";")[0] for h in lines if h.startswith("session=")][0] == "session=other-scope"
    assert any(h.startswith("theme=dark") for h in lines)
    assert sum(1 for h in lines if h.startswith("session=")) == 2


def test_making_every_session_permanent_does_not_undo_a_refusal() -> None:
    # A common pattern: session.permanent = True in before_request. Flask
    # marks the session modified each time although nothing changed.
    app, clock = permanent_app(COOKIESEAL_REFRESH_AGE=10)

    @app.before_request
    def permanent() -> None:
        session.permanent = True

    client = app.test_client()
    client.get("/login")
    clock.t = NOW + 11
    for view in ("/refuse401", "/refuse"):
        assert set_cookies(client.get(view)) == {}, view
    assert "session" in set_cookies(client.get("/get"))  # accepted: SESSION_REFRESH_EACH_REQUEST


def test_a_mutation_in_place_is_a_change() -> None:
    app = make_app()

    @app.route("/append")
    def append():  # type: ignore[no-untyped-def]
        session.setdefault("l", [])
        session["l"].append(len(session["l"]))  # Flask's own interface needs modified = True here
        return "ok"

    client = app.test_client()
    client.get("/append")
    r = client.get("/append")
    assert opened(app, set_cookies(r)["session"])[0] == {"l": [0, 1]}
