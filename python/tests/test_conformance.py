"""The conformance suite (../testdata/conformance/*.json, schema in
testdata/conformance/README.md) and the golden cookies, run unchanged
against the Python package."""

from __future__ import annotations

import json
from typing import Any

import pytest
from conftest import TESTDATA

import cookieseal
from cookieseal import _chunks, _values
from cookieseal._codec import Codec

RESULTS = {
    "invalid": cookieseal.InvalidCookie,
    "expired": cookieseal.ExpiredCookie,
    "unknown_key": cookieseal.UnknownKey,
    "unknown key": cookieseal.UnknownKey,
    "too_large": cookieseal.CookieTooLarge,
    "too large": cookieseal.CookieTooLarge,
}


def _load_suite() -> list[Any]:
    params = []
    files = sorted((TESTDATA / "conformance").glob("*.json"))
    for f in files:
        doc = json.loads(f.read_text(encoding="utf-8"))
        assert doc["suite"] == "cookieseal conformance", f
        assert doc["format"] == 1, f
        for case in doc["cases"]:
            params.append(pytest.param(f.stem, case, id=case["id"]))
    return params


SUITE = _load_suite()


def test_case_ids_are_unique() -> None:
    ids = [p.id for p in SUITE]
    assert len(ids) == len(set(ids))


def _codec(case: dict[str, Any]) -> Codec:
    return Codec(
        case["secrets"],
        now=lambda: case["now"],
        max_age=case.get("max_age", 86400),
        max_lifetime=case.get("max_lifetime", 0),
        max_length=case.get("max_length", 4096),
        max_payload=case.get("max_payload", 65536),
    )


def run_open_case(case: dict[str, Any]) -> None:
    codec = _codec(case)
    name, cookie = case.get("name", "session"), case["cookie"]
    values = case.get("open_as") == "values"
    result = case["result"]
    if result != "ok":
        with pytest.raises(RESULTS[result]):
            if values:
                codec.open_values(name, cookie)
            else:
                codec.open_raw(name, cookie)
        if not values:
            with pytest.raises(RESULTS[result]):
                codec.open(name, cookie)  # the parsed path fails alike
        return
    payload, info = codec.open_raw(name, cookie)
    if "payload" in case:
        assert payload.decode("utf-8") == case["payload"]
    for field in ("issued_at", "created_at", "key_id", "flags"):
        if field in case:
            assert getattr(info, field) == case[field], field
    assert info.session_id == case.get("session_id", ""), "session_id"
    assert info.subject == case.get("subject", ""), "subject"
    if values:
        opened, _ = codec.open_values(name, cookie)
        if "values" in case:
            assert _values.encode(opened).decode("utf-8") == case["values"]
    else:
        codec.open(name, cookie)  # the parsed form opens too
    if "seal" in case:
        s = case["seal"]
        # Seal under the secret whose key ID the case names (the first,
        # except where a case opens with a later one).
        sealer = next(
            Codec([sec]) for sec in case["secrets"] if cookieseal.derive_key(sec)[1] == case.get("key_id", info.key_id)
        )
        ident = b""
        if s["flags"] & 0x08:
            sub = s["subject"].encode("utf-8")
            ident = bytes.fromhex(s["session_id"]) + bytes([len(sub)]) + sub
        again = sealer._seal_raw(
            name, s["flags"], ident + bytes.fromhex(s["body"]), s["issued_at"], s.get("created_at", s["issued_at"]),
            bytes.fromhex(s["nonce"]),
            len(name.encode("utf-8")) + 1 + len(cookie),
        )
        assert again == cookie


def run_chunks_write_case(case: dict[str, Any]) -> None:
    args = case["name"], case["value"], case["max_length"], case["max_parts"], case["max_header_bytes"]
    if case["result"] == "too_large":
        with pytest.raises(cookieseal.CookieTooLarge):
            _chunks.split(*args)
        return
    assert case["result"] == "ok"
    assert _chunks.split(*args) == [(c["name"], c["value"]) for c in case["set"]]


def run_chunks_case(case: dict[str, Any]) -> None:
    if "value" in case and "cookies" not in case:
        run_chunks_write_case(case)
        return
    cookies = [(c["name"], c["value"]) for c in case["cookies"]]
    got = _chunks.candidates(case["name"], cookies, case.get("max_length", 4096), case.get("max_parts", 10))
    if case["result"] in ("none", "missing"):
        assert got == []
        return
    assert case["result"] == "ok"
    want_all = case["attempts"] if "attempts" in case else case["candidates"]
    assert len(got) == len(want_all)
    for g, want in zip(got, want_all):
        if want["result"] == "ok":
            assert g == want["joined"]
        else:
            assert isinstance(g, RESULTS[want["result"]]), g


def run_case(kind: str, case: dict[str, Any]) -> None:
    if "cookies" in case and ("candidates" in case or "attempts" in case) or kind == "chunks":
        run_chunks_case(case)
    elif "cookie" in case and "secrets" in case:
        run_open_case(case)
    elif "secret" in case and "key_id" in case:
        key, key_id = cookieseal.derive_key(case["secret"])
        if "key" in case:
            assert key.hex() == case["key"]
        assert key_id == case["key_id"]
    elif case.get("result") in ("ok", "invalid_ring") and kind == "rings":
        secrets = case.get("secrets", [])
        if case["result"] == "ok":
            Codec(secrets)
        else:
            with pytest.raises(cookieseal.ConfigError):
                Codec(secrets)
    else:
        pytest.fail(f"case of an unknown kind in {kind}.json: {sorted(case)}")


def test_the_suite_is_there() -> None:
    assert len(SUITE) > 100, "testdata/conformance/*.json is missing or nearly empty"


@pytest.mark.parametrize("kind,case", SUITE)
def test_conformance(kind: str, case: dict[str, Any]) -> None:
    run_case(kind, case)


GOLDEN = json.loads((TESTDATA / "golden.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("g", GOLDEN, ids=lambda g: g["description"])
def test_golden_cookie_opens(g: dict[str, Any]) -> None:
    codec = Codec(g["secrets"], now=lambda: g["issued_at"])
    payload, info = codec.open_raw(g["name"], g["cookie"])
    assert payload.decode("utf-8") == g["payload"]
    assert info.issued_at == g["issued_at"]
    # Entries of v1.0.0 on: created-at (flag 0x04) and the identity (0x08).
    assert info.created_at == g.get("created_at", g["issued_at"])
    assert info.session_id == g.get("session_id", "")
    assert info.subject == g.get("subject", "")
    if g["kind"] == "values":
        opened, _ = codec.open_values(g["name"], g["cookie"])
        # The payload as sealed may end in the padding of SPEC.md 5.4.
        assert _values.encode(opened).decode("utf-8") == g["payload"].rstrip(" ")
    else:
        assert codec.open(g["name"], g["cookie"]) == json.loads(g["payload"])
