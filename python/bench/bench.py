"""cookieseal against the Python peers a service would seal a session cookie
with (issue 21), in one process, on the 279-byte session and the 2.9 KB cart
of the Go benchmarks (bench/values_test.go):

- Flask's default session: itsdangerous' URLSafeTimedSerializer, set up as
  flask.sessions.SecureCookieSessionInterface does (signed, not encrypted);
- Fernet (cryptography) over json.dumps;
- PASETO v4.local (pyseto), the value as a claim with exp;
- JWE compact, dir + A256GCM: jwcrypto and joserfc;
- floor: json.dumps, one PyNaCl XChaCha20-Poly1305 seal, base64url, and on
  open the reverse: no header, name binding, times or strict checks.

    python -m venv venv && venv/bin/pip install -e python -r python/bench/requirements.txt
    venv/bin/python python/bench/bench.py            # ROUNDS=15 N=400 by default
    BEFORE=../old/python/src venv/bin/python python/bench/bench.py   # plus an earlier cookieseal

Each round runs every (case, implementation) for N operations, in turns, so
that the machine's load falls on all of them alike; the report is the median
over rounds of the process CPU time per operation (time.process_time), and
ratios to cookieseal's median. "forged" opens a cookie of the small cookie's
length whose ciphertext has one flipped bit (the key id and header intact).
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import statistics
import sys
import time
from typing import Any, Callable

import cookieseal
from nacl.bindings import crypto_aead_xchacha20poly1305_ietf_decrypt, crypto_aead_xchacha20poly1305_ietf_encrypt

SESSION = {
    "user_id": 4815162342,
    "email": "ada.lovelace@analytical-engine.example",
    "roles": ["admin", "editor"],
    "csrf_token": "3q2-7wAAAAAB8w6XUM4tNOl1cVm0fJ2xZnHpJp9nCQ4",
    "flashes": ["All saved.", "Two-factor auth is on!"],
    "prefs": {"theme": "dark", "language": "en-GB", "time_zone": "Europe/London"},
}


def _cart() -> dict[str, Any]:
    names = ["Organic cotton T-shirt", "Merino wool socks", "Waxed canvas tote bag", "Stainless steel bottle", "Recycled notebook A5"]
    sizes = ["small", "medium", "large"]
    return {
        "items": [
            {
                "sku": f"SKU-{1000 + 37 * i:04d}-{sizes[i % 3][0].upper()}",
                "name": f"{names[i % 5]}, {sizes[i % 3]}, colour number {i % 7:02d}",
                "qty": 1 + i % 4,
                "price": 1299 + 250 * i,
            }
            for i in range(30)
        ]
    }


CART = _cart()
COMPACT = {"separators": (",", ":")}
assert len(json.dumps(SESSION, **COMPACT)) == 279, len(json.dumps(SESSION, **COMPACT))  # type: ignore[arg-type]
assert len(json.dumps(CART, **COMPACT)) == 2943, len(json.dumps(CART, **COMPACT))  # type: ignore[arg-type]

NAME = "session"


class Impl:
    name = ""

    def seal(self, value: Any) -> str:
        raise NotImplementedError

    def open(self, cookie: str) -> Any:
        raise NotImplementedError


class Cookieseal(Impl):
    name = "cookieseal"

    def __init__(self) -> None:
        self.c = cookieseal.Codec([cookieseal.generate_secret()])

    def seal(self, value: Any) -> str:
        return self.c.seal(NAME, value)

    def open(self, cookie: str) -> Any:
        return self.c.open(NAME, cookie)


class Floor(Impl):
    name = "floor"

    def __init__(self) -> None:
        self.key = os.urandom(32)

    def seal(self, value: Any) -> str:
        nonce = os.urandom(24)
        ct = crypto_aead_xchacha20poly1305_ietf_encrypt(json.dumps(value, separators=(",", ":")).encode(), None, nonce, self.key)
        return base64.urlsafe_b64encode(nonce + ct).rstrip(b"=").decode("ascii")

    def open(self, cookie: str) -> Any:
        raw = base64.urlsafe_b64decode(cookie + "=" * (-len(cookie) % 4))
        return json.loads(crypto_aead_xchacha20poly1305_ietf_decrypt(raw[24:], None, raw[:24], self.key))


class FlaskSession(Impl):
    """What flask.sessions.SecureCookieSessionInterface.get_signing_serializer builds."""

    name = "flask-itsdangerous"

    def __init__(self) -> None:
        from flask.json.tag import TaggedJSONSerializer
        from itsdangerous import URLSafeTimedSerializer

        self.s = URLSafeTimedSerializer(
            os.urandom(32).hex(),
            salt="cookie-session",
            serializer=TaggedJSONSerializer(),
            signer_kwargs={"key_derivation": "hmac", "digest_method": hashlib.sha1},
        )

    def seal(self, value: Any) -> str:
        return self.s.dumps(value)

    def open(self, cookie: str) -> Any:
        return self.s.loads(cookie, max_age=86400)


class FernetJSON(Impl):
    name = "fernet"

    def __init__(self) -> None:
        from cryptography.fernet import Fernet

        self.f = Fernet(Fernet.generate_key())

    def seal(self, value: Any) -> str:
        return self.f.encrypt(json.dumps(value, separators=(",", ":")).encode()).decode("ascii")

    def open(self, cookie: str) -> Any:
        return json.loads(self.f.decrypt(cookie, ttl=86400))


class Paseto(Impl):
    name = "pyseto-v4-local"

    def __init__(self) -> None:
        import pyseto

        self.pyseto = pyseto
        self.key = pyseto.Key.new(version=4, purpose="local", key=os.urandom(32))
        self.paseto = pyseto.Paseto.new(exp=86400, include_iat=True)

    def seal(self, value: Any) -> str:
        return self.paseto.encode(self.key, {"data": value}, serializer=json).decode("ascii")

    def open(self, cookie: str) -> Any:
        return self.paseto.decode(self.key, cookie, deserializer=json).payload["data"]


class JWCrypto(Impl):
    name = "jwcrypto-jwe-A256GCM"

    def __init__(self) -> None:
        from jwcrypto import jwe, jwk

        self.jwe = jwe
        self.key = jwk.JWK.generate(kty="oct", size=256)
        self.header = json.dumps({"alg": "dir", "enc": "A256GCM"})

    def seal(self, value: Any) -> str:
        t = self.jwe.JWE(json.dumps(value, separators=(",", ":")).encode(), self.header)
        t.add_recipient(self.key)
        return t.serialize(compact=True)

    def open(self, cookie: str) -> Any:
        t = self.jwe.JWE()
        t.deserialize(cookie, key=self.key)
        return json.loads(t.payload)


class Joserfc(Impl):
    name = "joserfc-jwe-A256GCM"

    def __init__(self) -> None:
        from joserfc import jwe
        from joserfc.jwk import OctKey

        self.jwe = jwe
        self.key = OctKey.generate_key(256)
        self.header = {"alg": "dir", "enc": "A256GCM"}

    def seal(self, value: Any) -> str:
        return self.jwe.encrypt_compact(self.header, json.dumps(value, separators=(",", ":")), self.key)

    def open(self, cookie: str) -> Any:
        return json.loads(self.jwe.decrypt_compact(cookie, self.key).plaintext)  # type: ignore[arg-type]


class CookiesealBefore(Cookieseal):
    """BEFORE=<an earlier python/src>: that cookieseal, imported under another
    name, as one more row (the before/after comparison of issue 21)."""

    name = "cookieseal before (BEFORE)"

    def __init__(self, src: str) -> None:
        import importlib.util

        spec = importlib.util.spec_from_file_location(
            "cookieseal_before", os.path.join(src, "cookieseal", "__init__.py"), submodule_search_locations=[os.path.join(src, "cookieseal")]
        )
        assert spec and spec.loader
        mod = importlib.util.module_from_spec(spec)
        sys.modules["cookieseal_before"] = mod
        spec.loader.exec_module(mod)
        self.c = mod.Codec([mod.generate_secret()])


def forge(cookie: str) -> str:
    """The cookie with one bit flipped near its end (the ciphertext or tag of
    every format here), same length, same alphabet."""
    i = len(cookie) - 10
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
    c = cookie[i]
    if c not in alphabet:  # a separator: step back
        i -= 1
        c = cookie[i]
    j = alphabet.index(c)
    return cookie[:i] + alphabet[j ^ 1] + cookie[i + 1 :]


def main() -> None:
    rounds = int(os.environ.get("ROUNDS", "15"))
    n = int(os.environ.get("N", "400"))
    impls: list[Impl] = [Cookieseal(), Floor(), FlaskSession(), FernetJSON(), Paseto(), JWCrypto(), Joserfc()]
    if os.environ.get("BEFORE"):
        impls.insert(1, CookiesealBefore(os.environ["BEFORE"]))
    cells: dict[tuple[str, str], Callable[[], Any]] = {}
    lengths: dict[tuple[str, str], int] = {}
    for im in impls:
        for label, value in (("small", SESSION), ("cart", CART)):
            cookie = im.seal(value)
            if im.open(cookie) != value:
                raise SystemExit(f"{im.name}: {label} does not round-trip")
            lengths[(im.name, label)] = len(NAME) + 1 + len(cookie)
            cells[(im.name, f"{label} seal")] = lambda im=im, value=value: im.seal(value)
            cells[(im.name, f"{label} open")] = lambda im=im, cookie=cookie: im.open(cookie)
            if label == "small":
                forged = forge(cookie)
                try:
                    im.open(forged)
                except Exception:
                    pass
                else:
                    raise SystemExit(f"{im.name}: the forged cookie opened")

                def refuse(im: Impl = im, forged: str = forged) -> None:
                    try:
                        im.open(forged)
                    except Exception:
                        return
                    raise AssertionError("forged cookie opened")

                cells[(im.name, "forged")] = refuse
    times: dict[tuple[str, str], list[float]] = {k: [] for k in cells}
    for fn in cells.values():  # warm-up
        for _ in range(max(n // 4, 1)):
            fn()
    for _ in range(rounds):
        for k, fn in cells.items():
            t0 = time.process_time()
            for _ in range(n):
                fn()
            times[k].append((time.process_time() - t0) / n * 1e6)
    med = {k: statistics.median(v) for k, v in times.items()}
    ops = ["small seal", "small open", "cart seal", "cart open", "forged"]
    load = os.getloadavg()
    print(f"python {sys.version.split()[0]}, {rounds} rounds x {n} ops, interleaved, median CPU us/op; load {load[0]:.1f}")
    print("| impl | small cookie | cart cookie | " + " | ".join(ops) + " |")
    print("|---|---:|---:|" + "---:|" * len(ops))
    for im in impls:
        row = [im.name]
        for label in ("small", "cart"):
            ln = lengths[(im.name, label)]
            row.append(f"{ln}{'' if ln <= 4096 else ' (over 4096)'}")
        for op in ops:
            v = med[(im.name, op)]
            base = med[("cookieseal", op)]
            row.append(f"{v:.1f}" if im.name == "cookieseal" else f"{v:.1f} ({v / base:.2f}x)")
        print("| " + " | ".join(row) + " |")
    print("JSON " + json.dumps({f"{k[0]}|{k[1]}": round(v, 3) for k, v in med.items()}))


if __name__ == "__main__":
    main()
