"""Cross-language: the Go package (through its command, cmd/cookieseal)
opens what Python seals, and Python opens what Go seals, the Flask app's
sessions included. The Go toolchain is needed; CI has it, and with CI set a
missing toolchain fails the test instead of skipping it."""

from __future__ import annotations

import json
import os
import pathlib
import shutil
import subprocess

import pytest
from conftest import REPO, SECRET_A, SECRET_B

import cookieseal
from cookieseal import Codec


@pytest.fixture(scope="session")
def go_cli(tmp_path_factory: pytest.TempPathFactory) -> pathlib.Path:
    go = shutil.which("go")
    if go is None or not (REPO / "go.mod").exists():
        if os.environ.get("CI"):
            pytest.fail("the Go toolchain is needed for the cross-language tests")
        pytest.skip("no Go toolchain")
    out = tmp_path_factory.mktemp("gocli") / "cookieseal"
    subprocess.run([go, "build", "-o", str(out), "./cmd/cookieseal"], cwd=REPO, check=True)
    return out


def go(cli: pathlib.Path, secrets: list[str], *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "COOKIESEAL_SECRETS"}
    env["COOKIESEAL_SECRETS"] = ",".join(secrets)
    return subprocess.run([str(cli), *args], input=stdin, env=env, capture_output=True, text=True, timeout=60)


VALUES = [
    {"user_id": 42, "roles": ["admin"], "name": "Ada Lovelace", "ratio": 0.5, "ok": True, "none": None},
    {"unicode": "héllo 😀 \u2028 \"quotes\" \\ \n", "nested": {"a": [1, [2, [3]]]}},
    [1, 2, 3],
    "a string",
]


@pytest.mark.parametrize("value", VALUES)
def test_python_seals_go_opens(go_cli: pathlib.Path, value: object) -> None:
    cookie = Codec([SECRET_A]).seal("session", value)
    r = go(go_cli, [SECRET_A], "open", "-name", "session", cookie)
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout) == value


@pytest.mark.parametrize("value", VALUES)
def test_go_seals_python_opens(go_cli: pathlib.Path, value: object) -> None:
    r = go(go_cli, [SECRET_A], "seal", "-name", "session", stdin=json.dumps(value))
    assert r.returncode == 0, r.stderr
    cookie = r.stdout.strip()
    assert Codec([SECRET_A]).open("session", cookie) == value


def test_python_compressed_cookie_opens_in_go(go_cli: pathlib.Path) -> None:
    value = {"cart": [{"sku": f"SKU-{i}", "qty": i} for i in range(60)]}
    c = Codec([SECRET_A], compress=True)
    cookie = c.seal("cart", value)
    assert c.open_info("cart", cookie)[1].flags & 1
    r = go(go_cli, [SECRET_A], "open", "-name", "cart", cookie)
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout) == value


def test_rotation_across_languages(go_cli: pathlib.Path) -> None:
    old = Codec([SECRET_A]).seal("session", {"u": 1})
    r = go(go_cli, [SECRET_B, SECRET_A], "open", "-name", "session", old)
    assert r.returncode == 0 and json.loads(r.stdout) == {"u": 1}
    r = go(go_cli, [SECRET_B, SECRET_A], "seal", "-name", "session", stdin='{"u":2}')
    value, info = Codec([SECRET_A, SECRET_B]).open_info("session", r.stdout.strip())
    assert value == {"u": 2} and info.reissue and info.key_id == Codec([SECRET_B]).key_ids[0]


def test_go_refuses_with_the_same_classes(go_cli: pathlib.Path) -> None:
    cookie = Codec([SECRET_A]).seal("session", {"u": 1})
    # exit statuses of cmd/cookieseal: 3 invalid, 5 unknown key
    assert go(go_cli, [SECRET_A], "open", "-name", "other", cookie).returncode == 3
    assert go(go_cli, [SECRET_B], "open", "-name", "session", cookie).returncode == 5
    bad = cookie[:-2] + ("AA" if cookie[-2:] != "AA" else "BA")
    assert go(go_cli, [SECRET_A], "open", "-name", "session", bad).returncode == 3
    with pytest.raises(cookieseal.InvalidCookie):
        Codec([SECRET_A]).open("session", bad)


def test_flask_session_opens_in_go_and_go_session_opens_in_flask(go_cli: pathlib.Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pytest.importorskip("flask")
    from test_flask import cookie_value, set_cookies

    from guessapp import load_guess_app

    monkeypatch.setenv("COOKIESEAL_SECRETS", SECRET_A)
    mod = load_guess_app()
    client = mod.app.test_client()
    r = client.get("/")
    v = cookie_value(set_cookies(r)["session"])
    g = go(go_cli, [SECRET_A], "open", "-name", "session", v)
    assert g.returncode == 0, g.stderr
    state = json.loads(g.stdout)
    assert set(state) == {"answer", "try_number"} and state["try_number"] == 1

    # Go seals a session in which the answer is 3; the Flask app plays it.
    g = go(go_cli, [SECRET_A], "seal", "-name", "session", stdin='{"answer":3,"try_number":1}')
    assert g.returncode == 0, g.stderr
    client = load_guess_app().app.test_client()
    client.set_cookie("session", g.stdout.strip())
    assert b"You win!" in client.get("/guess?guess=3").data


def test_golden_cookies_open_in_python_and_go_alike(go_cli: pathlib.Path) -> None:
    for g in json.loads((REPO / "testdata" / "golden.json").read_text()):
        if g["kind"] != "json":
            continue
        r = go(go_cli, g["secrets"], "open", "-name", g["name"], "-max-age", "876000h", g["cookie"])
        assert r.returncode == 0, r.stderr
        ours = Codec(g["secrets"], now=lambda: g["issued_at"]).open(g["name"], g["cookie"])
        assert json.loads(r.stdout) == ours == json.loads(g["payload"])
