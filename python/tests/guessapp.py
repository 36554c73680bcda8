"""Load examples/guess/app.py as a fresh module (a fresh Flask app) per call."""

from __future__ import annotations

import base64
import importlib.util
import itertools
import pathlib
import re
import sys
import zlib
from types import ModuleType

GUESS = pathlib.Path(__file__).resolve().parents[1] / "examples" / "guess"
_n = itertools.count()


def load_guess_app() -> ModuleType:
    name = f"guess_app_{next(_n)}"
    spec = importlib.util.spec_from_file_location(name, GUESS / "app.py")
    assert spec and spec.loader
    mod = importlib.util.module_from_spec(spec)
    sys.modules[name] = mod
    spec.loader.exec_module(mod)
    mod.app.config["TESTING"] = True
    return mod


def _b64_variants(s: str) -> list[bytes]:
    out = []
    for alt in (s, s.replace("-", "+").replace("_", "/")):
        t = re.sub(r"[^A-Za-z0-9+/]", "", alt)
        for cut in range(4):  # every alignment
            u = t[cut:]
            u = u[: len(u) - len(u) % 4] if len(u) % 4 == 1 else u
            try:
                out.append(base64.b64decode(u + "=" * (-len(u) % 4)))
            except Exception:
                pass
    return out


def _inflations(blob: bytes) -> list[bytes]:
    out = []
    for start in range(len(blob)):
        for wbits in (15, -15, 31):
            try:
                d = zlib.decompressobj(wbits)
                out.append(d.decompress(blob[start:], 1 << 20))
            except zlib.error:
                pass
    return out


def revealed(cookie_value: str) -> list[bytes]:
    """Everything base64 (url or standard, any alignment, each '.' segment
    or the whole), then zlib, gzip or raw DEFLATE (at every offset) can get
    out of a cookie value, and the value itself."""
    texts = [cookie_value.encode()]
    for seg in [cookie_value, *cookie_value.split(".")]:
        for blob in _b64_variants(seg):
            texts.append(blob)
            texts.extend(_inflations(blob))
    return texts


def reveals(cookie_value: str, needle: bytes) -> bool:
    return any(needle in t for t in revealed(cookie_value))
