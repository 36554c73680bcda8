"""examples/django_guess (SESSION_ENGINE = "cookieseal.django") through a
real server in headless Chromium, driven over the DevTools protocol as
test_browser.py drives the Flask app (its CDP helper and Chromium fixture
are reused): a game to a loss and one to a win, and no cookie the browser
holds reveals the answer to the seed's decoding trick (base64 in either
alphabet at any alignment, then zlib, gzip or raw DEFLATE at any offset).
Without Chromium the test skips, unless CI is set."""

from __future__ import annotations

import os
import pathlib
import subprocess
import sys
from typing import Iterator

import pytest
from conftest import SECRET_A
from guessapp import reveals

pytest.importorskip("django")
from test_browser import CDP, play_a_loss_and_a_win, tab  # noqa: E402,F401

SEED = 20261208
HERE = pathlib.Path(__file__).resolve().parent


@pytest.fixture
def server() -> Iterator[str]:
    env = dict(os.environ, COOKIESEAL_SECRETS=SECRET_A)
    env.pop("DJANGO_SETTINGS_MODULE", None)
    p = subprocess.Popen([sys.executable, str(HERE / "serve_django_guess.py"), str(SEED)], stdout=subprocess.PIPE, env=env, text=True)
    try:
        line = p.stdout.readline() if p.stdout else ""
        assert line.strip().isdigit(), "the Django guess server did not start"
        yield f"http://127.0.0.1:{line.strip()}"
    finally:
        p.terminate()
        p.wait(timeout=10)


def test_chromium_plays_the_django_guess_app_to_a_loss_and_a_win(server: str, tab: CDP) -> None:  # noqa: F811
    seen_cookies = play_a_loss_and_a_win(tab, server, SEED)

    session = [c for c in seen_cookies if c["name"] == "sessionid"]
    assert session, "the browser holds no session cookie"
    assert {c["name"] for c in seen_cookies} == {"sessionid"}
    for c in session:
        assert c["httpOnly"] and c["secure"] and c["sameSite"] == "Lax"
        assert not reveals(c["value"], b"answer")
        assert not reveals(c["value"], b"try_number")


def test_the_decoding_trick_reads_djangos_stock_signed_cookie() -> None:
    """The check above can fail: the same trick finds the answer in the
    cookie Django's signed_cookies engine writes for the same session."""
    import djangoconf

    djangoconf.setup()
    from django.core import signing

    stock = signing.dumps(
        {"answer": 7, "try_number": 1},
        key="any-django-secret-key",
        salt="django.contrib.sessions.backends.signed_cookies",
        compress=True,
    )
    assert reveals(stock, b'"answer":7')
