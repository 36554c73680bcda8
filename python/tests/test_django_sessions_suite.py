"""The session scenario suite (../testdata/sessions/*.json, SESSIONS.md S8),
every case unchanged, through cookieseal.django as a Django project uses it:
SESSION_ENGINE = "cookieseal.django", cookieseal.django.SessionMiddleware,
the case's configuration as Django settings, and one request through
Django's test Client (the real WSGI handler and middleware stack). The
Cookie header is sent as the raw WSGI HTTP_COOKIE (one character per byte).

The checks are test_sessions_suite.py's, shared: this file adds the Django
runner. The actions map to views as there: keep reads the session and
answers 200; refuse reads it and answers 401; set adds the values; login is
Django's own login step, cycle_key() then the values; logout is flush(),
what django.contrib.auth.logout calls. A view moves the clock to write_now,
when the case has one, before it returns.
"""

from __future__ import annotations

from typing import Any

import pytest

import djangoconf

djangoconf.setup()

import test_sessions_suite as suite  # noqa: E402
from conftest import Clock  # noqa: E402
from django.http import HttpRequest, HttpResponse  # noqa: E402
from django.test import Client, override_settings  # noqa: E402
from django.urls import path  # noqa: E402

import cookieseal.django  # noqa: E402

_current: dict[str, Any] = {}


def view(request: HttpRequest, action: str) -> HttpResponse:
    case, clock, seen = _current["case"], _current["clock"], _current["seen"]
    s = request.session
    seen.session, seen.info, seen.read_error = dict(s.items()), s.info, s.error
    if action == "set":
        s.update(case["values"])
    elif action == "login":
        s.cycle_key()
        s.update(case["values"])
    elif action == "logout":
        s.flush()
    else:
        assert action in ("keep", "refuse"), action
    if case.get("write_now"):
        clock.t = case["write_now"]
    return HttpResponse("ok", status=401 if action == "refuse" else 200)


urlpatterns = [path("<str:action>", view)]


def run_django(case: dict[str, Any], cfg: suite.Config) -> suite.Observed:
    clock, seen = Clock(case["now"]), suite.Observed()
    _current.update(case=case, clock=clock, seen=seen)
    with override_settings(
        ROOT_URLCONF=__name__,
        COOKIESEAL_SECRETS=cfg.secrets,
        SESSION_COOKIE_NAME=cfg.full,
        SESSION_COOKIE_AGE=cfg.max_age,
        COOKIESEAL_MAX_LIFETIME=cfg.max_lifetime,
        COOKIESEAL_REFRESH_AGE=cfg.refresh_age,
        COOKIESEAL_MAX_PARTS=cfg.max_parts,
        COOKIESEAL_MAX_HEADER_BYTES=cfg.max_header_bytes,
        COOKIESEAL_LEGACY_SCOPES=cfg.legacy,
        COOKIESEAL_INSECURE=cfg.insecure,
        COOKIESEAL_ON_ERROR=seen.errors.append,
    ):
        cookieseal.django.get_layer().codec._now = clock
        header = suite.header_of(case)  # "": the request has no Cookie header
        r = Client().get("/" + case["action"], **({"HTTP_COOKIE": header} if header else {}))
    seen.status = r.status_code
    seen.set_cookie = [m.output(header="").strip() for m in r.cookies.values()]
    seen.cache_control = r.headers.get("Cache-Control", "")
    return seen


CASES = [pytest.param(p.values[1], id=p.id.replace("flask:", "django:")) for p in suite.SUITE if p.values[0] == "flask"]


def test_every_case_is_here() -> None:
    assert CASES and len(CASES) == len({c.id for c in CASES})


@pytest.mark.parametrize("case", CASES)
def test_scenario(case: dict[str, Any], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(suite.RUNNERS, "django", run_django)
    suite.test_scenario("django", case, monkeypatch)
