"""The Python runner of the header differential test
(differential_headers_test.go at the repository root): ``python
differential_headers_runner.py headers.json out.json`` reads the session of
every Cookie header of the file with the session layer every integration
uses (SESSIONS.md S2, S4) and writes one outcome per header. Not a pytest
module: a tool the Go test runs."""

from __future__ import annotations

import json
import sys
from typing import Any

from cookieseal._codec import Codec
from cookieseal._session import SessionLayer


def run(case: dict[str, Any]) -> dict[str, Any]:
    codec = Codec(case["secrets"], now=lambda: case["now"], max_age=case["max_age"])
    layer = SessionLayer(codec, name=case["name"], prefix=case["prefix"], max_parts=case["max_parts"])
    try:
        read = layer.read(case["header"])
    except Exception as e:  # a crash is an outcome to compare, not a runner failure
        return {"id": case["id"], "class": f"other: {type(e).__name__}: {e}"[:300]}
    out: dict[str, Any] = {"id": case["id"], "class": read.outcome}
    if read.outcome == "ok":
        assert read.info is not None
        out["session"] = json.dumps(read.data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
        out["issued_at"] = str(read.info.issued_at)
        out["created_at"] = str(read.info.created_at)
        out["key_id"] = read.info.key_id
    elif read.error is not None:
        out["error"] = str(read.error)
    return out


def main() -> None:
    with open(sys.argv[1], encoding="utf-8") as f:
        cases = json.load(f)["cases"]
    with open(sys.argv[2], "w", encoding="utf-8") as f:
        json.dump([run(c) for c in cases], f)


if __name__ == "__main__":
    main()
