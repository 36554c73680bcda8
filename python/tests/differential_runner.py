"""The Python runner of the differential test (differential_test.go at the
repository root): ``python differential_runner.py cookies.json out.json``
opens every cookie of the file on every path (open_raw, open, open_values)
and writes one outcome per path. Not a pytest module: a tool the Go test
runs."""

from __future__ import annotations

import json
import sys
from typing import Any, Callable

import cookieseal
from cookieseal import _values
from cookieseal._codec import Codec, Info

CLASSES = (
    (cookieseal.InvalidCookie, "invalid"),
    (cookieseal.ExpiredCookie, "expired"),
    (cookieseal.UnknownKey, "unknown_key"),
    (cookieseal.CookieTooLarge, "too_large"),
)


def _attempt(f: Callable[[], dict[str, Any]]) -> dict[str, Any]:
    try:
        return f()
    except Exception as e:  # every failure is an outcome to compare
        for cls, name in CLASSES:
            if isinstance(e, cls):
                return {"class": name, "error": str(e)}
        return {"class": f"other: {type(e).__name__}: {e}"[:300], "error": str(e)[:300]}


def _ok(info: Info) -> dict[str, Any]:
    return {"class": "ok", "issued_at": str(info.issued_at), "created_at": str(info.created_at), "key_id": info.key_id}


def run(case: dict[str, Any]) -> dict[str, Any]:
    codec = Codec(
        case["secrets"],
        now=lambda: case["now"] + case["now_ms"] / 1000,
        max_age=case["max_age"],
        max_lifetime=case["max_lifetime"],
        max_payload=case["max_payload"],
        max_length=case["max_length"],
    )
    name, cookie = case["name"], case["cookie"]

    def raw() -> dict[str, Any]:
        payload, info = codec.open_raw(name, cookie)
        return {**_ok(info), "payload": payload.hex()}

    def parsed() -> dict[str, Any]:
        codec.open(name, cookie)
        return {"class": "ok"}

    def values() -> dict[str, Any]:
        opened, info = codec.open_values(name, cookie)
        try:
            enc = _values.encode(opened)
        except cookieseal.UnsupportedValue as e:
            return {"class": "unencodable", "error": str(e)}
        return {**_ok(info), "values": enc.hex()}

    return {"id": case["id"], "raw": _attempt(raw), "parsed": _attempt(parsed), "values": _attempt(values)}


def main() -> None:
    with open(sys.argv[1], encoding="utf-8") as f:
        cases = json.load(f)["cases"]
    out = [run(c) for c in cases]
    with open(sys.argv[2], "w", encoding="utf-8") as f:
        json.dump(out, f)


if __name__ == "__main__":
    main()
