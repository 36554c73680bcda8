"""Issue 20 (v1): length hiding, errors that quote nothing, named JSON text."""

from __future__ import annotations

import pytest

import cookieseal
from cookieseal import Codec, generate_secret
from cookieseal._values import Named

NOW = 1795700000


def test_answer_1_to_10_gives_one_length() -> None:
    """{"answer": n, "try_number": 1}, n = 1..10, at the default settings:
    ten cookies of one length (SPEC.md 5.4)."""
    c = Codec([generate_secret()])
    assert len({len(c.seal("session", {"answer": n, "try_number": 1})) for n in range(1, 11)}) == 1
    assert len({len(c.seal_values("session", {"answer": n, "try_number": 1})) for n in range(1, 11)}) == 1


def test_padding_is_trailing_spaces_within_the_limits() -> None:
    c = Codec([generate_secret()], now=lambda: NOW)
    payload, _ = c.open_raw("s", c.seal("s", {"a": 1}))
    assert payload == b'{"a":1}' + b" " * (32 - 8 - 7)
    capped = Codec([generate_secret()], now=lambda: NOW, max_payload=9)
    assert capped.open_raw("s", capped.seal("s", {"a": 1}))[0] == b'{"a":1}  '


def test_named_json_text_must_be_one_strict_value() -> None:
    c = Codec([generate_secret()])
    for text in ['1},"admin":true,"x":{"a":1', '{"a":1} {"b":2}', '{"a":1,"a":2}', "", "1e400", '{"a":']:
        with pytest.raises(cookieseal.UnsupportedValue):
            c.seal_values("s", {"f": Named("main.Flash", None, text)})
    cookie = c.seal_values("s", {"f": Named("main.Fl\u00e9sh", None, ' { "a" : 1.50 } ')})
    assert c.open_raw("s", cookie)[0].rstrip() == '{"map":{"f":{"named":["main.Flésh",{"a":1.50}]}}}'.encode()


MARKER_CASES = [
    (True, b'{"map":{"mkA1":{"int8":7700123}}}', ["mkA1", "7700123"]),
    (True, b'{"map":{"k":{"time":"2021-02-31T11:22:33Z"}}}', ["2021-02-31", "11:22:33"]),
    (True, b'{"map":{"k":{"mkTag9":1}}}', ["mkTag9"]),
    (True, b'{"map":{"k":{"float32":3.5e38}}}', ["3.5e38"]),
    (True, b'{"map":{"k":{"bytes":"mkB6=="}}}', ["mkB6"]),
    (True, b'{"map":{"k":1.25e7}}', ["1.25e7"]),
    (True, b'{"object":{"mkObj3":1}}', ["mkObj3"]),
    (True, b'{"map":{"k":{"named":["mkN1",1,2]}}}', ["mkN1"]),
    (False, b'{"mkDup1":1,"mkDup1":2}', ["mkDup1"]),
    (False, b'{"x":1e400}', ["1e400"]),
    (False, b'{"mkU7\xff":1}', ["mkU7"]),
    (False, b'["mkArr2"]', ["mkArr2"]),
    (False, b'"mkStr9"', ["mkStr9"]),
    (False, b'{"n":"mkS8"} mkTrail', ["mkS8", "mkTrail"]),
    (False, b'{"n":"mk\\ud800Lone"}', ["Lone"]),
]


def test_open_errors_quote_no_payload() -> None:
    """Authentic cookies whose payloads hold unique markers and fail after
    decryption, through every open: no error string holds a marker."""
    c = Codec([generate_secret()], now=lambda: NOW)
    failures = 0
    for typed, payload, markers in MARKER_CASES:
        cookie = c._seal_raw("s", 0x02 if typed else 0, payload, NOW, NOW, bytes(24))
        for open_ in (c.open, c.open_raw, c.open_values, c.open_info):
            try:
                open_("s", cookie)
            except cookieseal.InvalidCookie as e:
                failures += 1
                for m in markers:
                    assert m not in str(e), (payload, str(e), m)
    assert failures >= len(MARKER_CASES) * 3


def test_guess_app_cookie_length_is_one_for_every_answer(monkeypatch: pytest.MonkeyPatch) -> None:
    """The Flask guess demo, through a real server on loopback: for every
    answer 1..10, the cookie at the start and after each wrong guess has one
    length per step whatever the answer (it stores the answer as it is)."""
    import http.client
    import random
    import threading

    pytest.importorskip("flask")
    from werkzeug.serving import make_server

    from guessapp import load_guess_app

    monkeypatch.setenv("COOKIESEAL_SECRETS", generate_secret())
    by_step: dict[int, set[int]] = {}
    for answer in range(1, 11):
        monkeypatch.setattr(random, "randint", lambda a, b, n=answer: n)
        server = make_server("127.0.0.1", 0, load_guess_app().app, threaded=False)
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        try:
            cookie = ""
            for step, path in enumerate(["/", "/guess?guess=11", "/guess?guess=12"]):
                conn = http.client.HTTPConnection("127.0.0.1", server.server_port, timeout=10)
                conn.request("GET", path, headers={"Cookie": cookie} if cookie else {})
                resp = conn.getresponse()
                resp.read()
                sets = [h for k, h in resp.getheaders() if k.lower() == "set-cookie"]
                conn.close()
                assert len(sets) == 1, (answer, path, sets)
                cookie = sets[0].split(";", 1)[0]
                by_step.setdefault(step, set()).add(len(cookie))
        finally:
            server.shutdown()
            thread.join()
    assert all(len(v) == 1 for v in by_step.values()), by_step


def test_seal_keeps_the_sign_of_negative_zero() -> None:
    c = Codec([generate_secret()])
    assert c.open_raw("s", c.seal("s", {"z": -0.0}))[0].rstrip() == b'{"z":-0.0}'
