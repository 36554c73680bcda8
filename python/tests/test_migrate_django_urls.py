"""The views of test_migrate.py's Django tests (ROOT_URLCONF): a login that
stores the user, a view that reads it, and two that refuse the session.
They use only Django's session API, so they run under the stock
signed_cookies engine and under cookieseal.django alike."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.urls import path

#: The Info each /whoami saw under cookieseal (None under the stock engine).
seen: list[Any] = []


def login(request: HttpRequest) -> HttpResponse:
    request.session.cycle_key()
    request.session["user"] = "alice"
    if request.GET.get("big"):
        request.session["history"] = ["page"] * 200  # compresses well
    return HttpResponse("ok")


def whoami(request: HttpRequest) -> HttpResponse:
    user = request.session.get("user", "nobody")
    seen.append(getattr(request.session, "info", None))
    return HttpResponse(user)


def refuse(request: HttpRequest) -> HttpResponse:
    request.session.get("user")
    return HttpResponse("log in again", status=401)


def refuse_explicitly(request: HttpRequest) -> HttpResponse:
    from cookieseal.django import refuse_session

    request.session.get("user")
    refuse_session(request)
    return HttpResponse("issued before the password change")


urlpatterns = [
    path("login", login),
    path("whoami", whoami),
    path("refuse", refuse),
    path("refuse-explicitly", refuse_explicitly),
]
