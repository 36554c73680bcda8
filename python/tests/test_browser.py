"""The guess app through a real server in headless Chromium, driven over the
DevTools protocol (websocket-client; pip's playwright would download its own
browser). It plays a game to a loss and one to a win, and checks that no
cookie the browser holds reveals the answer. Without Chromium the test skips,
unless CI is set: .ci/run installs Debian's chromium."""

from __future__ import annotations

import json
import os
import pathlib
import random
import shutil
import subprocess
import sys
import time
import urllib.request
from typing import Any, Iterator

import pytest
from conftest import SECRET_A
from guessapp import reveals

websocket = pytest.importorskip("websocket")
pytest.importorskip("flask")

SEED = 20261127
HERE = pathlib.Path(__file__).resolve().parent


def _chromium() -> str:
    for c in ("chromium", "chromium-browser", "google-chrome"):
        p = shutil.which(c)
        if p:
            return p
    if os.environ.get("CI"):
        pytest.fail("CI is set but Chromium is missing; .ci/run installs the chromium package")
    pytest.skip("Chromium not installed: apt-get install chromium")


class CDP:
    """Just enough of the Chrome DevTools protocol for one tab."""

    def __init__(self, ws_url: str) -> None:
        self.ws = websocket.create_connection(ws_url, timeout=30, suppress_origin=True)
        self.n = 0

    def call(self, method: str, **params: Any) -> dict[str, Any]:
        self.n += 1
        self.ws.send(json.dumps({"id": self.n, "method": method, "params": params}))
        while True:
            msg = json.loads(self.ws.recv())
            if msg.get("id") == self.n:
                if "error" in msg:
                    raise RuntimeError(f"{method}: {msg['error']}")
                return msg["result"]

    def eval(self, expr: str) -> Any:
        r = self.call("Runtime.evaluate", expression=expr, returnByValue=True, awaitPromise=True)
        return r["result"].get("value")

    def wait(self, expr: str, timeout: float = 20) -> Any:
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            try:
                v = self.eval(expr)
            except RuntimeError:
                v = None
            if v:
                return v
            time.sleep(0.05)
        raise AssertionError(f"timed out waiting for {expr}")


@pytest.fixture
def server(monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    env = dict(os.environ, COOKIESEAL_SECRETS=SECRET_A, PYTHONPATH=str(HERE))
    p = subprocess.Popen([sys.executable, str(HERE / "serve_guess.py"), str(SEED)], stdout=subprocess.PIPE, env=env, text=True)
    try:
        line = p.stdout.readline() if p.stdout else ""
        assert line.strip().isdigit(), "the guess server did not start"
        yield f"http://127.0.0.1:{line.strip()}"
    finally:
        p.terminate()
        p.wait(timeout=10)


@pytest.fixture
def tab(tmp_path: pathlib.Path) -> Iterator[CDP]:
    exe = _chromium()
    profile = tmp_path / "profile"
    p = subprocess.Popen(
        [
            exe,
            "--headless=new",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--no-first-run",
            "--no-default-browser-check",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--remote-debugging-port=0",
            "--remote-debugging-address=127.0.0.1",
            f"--user-data-dir={profile}",
            "about:blank",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        port_file = profile / "DevToolsActivePort"
        end = time.monotonic() + 30
        while not port_file.exists() or not port_file.read_text().strip():
            assert time.monotonic() < end, "Chromium did not open its DevTools port"
            assert p.poll() is None, "Chromium exited"
            time.sleep(0.05)
        port = port_file.read_text().split()[0]
        pages = json.load(urllib.request.urlopen(f"http://127.0.0.1:{port}/json/list", timeout=10))
        page = next(x for x in pages if x["type"] == "page")
        cdp = CDP(page["webSocketDebuggerUrl"])
        cdp.call("Page.enable")
        cdp.call("Network.enable")
        yield cdp
        cdp.ws.close()
    finally:
        p.terminate()
        try:
            p.wait(timeout=10)
        except subprocess.TimeoutExpired:
            p.kill()


def submit_guess(tab: CDP, n: int) -> None:
    tab.eval(f"document.getElementById('guess').value = '{n}'; document.getElementById('submit').click(); true")
    tab.wait(f"location.search === '?guess={n}' && document.readyState === 'complete'")


def browser_cookies(tab: CDP) -> list[dict[str, Any]]:
    return tab.call("Network.getAllCookies")["cookies"]


def play_a_loss_and_a_win(tab: CDP, server: str, seed: int) -> list[dict[str, Any]]:
    """Plays the guess app at server to a loss and then to a win, checking
    each page, and returns every cookie the browser held along the way. The
    answers are those the server draws from seed."""
    rnd = random.Random(seed)
    answers = [rnd.randint(1, 10) for _ in range(2)]

    # Game 1: three wrong guesses lose, and the lose page shows the answer.
    tab.call("Page.navigate", url=server + "/")
    tab.wait("location.pathname === '/guess' && document.readyState === 'complete'")
    assert tab.eval("document.getElementById('try').textContent") == "1"
    wrong = [n for n in range(1, 11) if n != answers[0]][:3]
    seen_cookies: list[dict[str, Any]] = []
    for i, n in enumerate(wrong):
        submit_guess(tab, n)
        seen_cookies += browser_cookies(tab)
        if i < 2:
            assert tab.eval("document.getElementById('try').textContent") == str(i + 2)
    assert tab.eval("document.getElementById('result').textContent") == "You lose!"
    assert tab.eval("document.getElementById('answer').textContent") == str(answers[0])

    # Game 2, from the lose page's link: one wrong guess, then the answer.
    tab.eval("document.getElementById('again').click(); true")
    tab.wait("location.pathname === '/guess' && location.search === '' && document.readyState === 'complete'")
    submit_guess(tab, answers[1] % 10 + 1)
    submit_guess(tab, answers[1])
    assert tab.eval("document.getElementById('result').textContent") == "You win!"
    assert tab.eval("document.getElementById('answer').textContent") == str(answers[1])
    seen_cookies += browser_cookies(tab)

    return seen_cookies


def test_chromium_plays_the_guess_app_to_a_loss_and_a_win(server: str, tab: CDP) -> None:
    seen_cookies = play_a_loss_and_a_win(tab, server, SEED)
    session = [c for c in seen_cookies if c["name"] == "session"]
    assert session, "the browser holds no session cookie"
    for c in session:
        assert c["httpOnly"]
        assert not reveals(c["value"], b"answer")
        assert not reveals(c["value"], b"try_number")
