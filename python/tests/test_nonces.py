"""SESSIONS.md S5.8: every seal draws its nonce from the CSPRNG when it seals,
never from a pool drawn in advance (a restored process snapshot would
replay such a pool: two cookies under one nonce and key)."""

from __future__ import annotations

import os

import pytest
from conftest import SECRET_A

from cookieseal import Codec
from cookieseal._codec import decode_base64url


def test_every_seal_draws_its_nonce_from_os_urandom(monkeypatch: pytest.MonkeyPatch) -> None:
    codec = Codec([SECRET_A])
    drawn: list[bytes] = []
    real = os.urandom

    def spy(n: int) -> bytes:
        b = real(n)
        drawn.append(b)
        return b

    monkeypatch.setattr(os, "urandom", spy)
    cookies = [codec.seal("s", i) for i in range(3)]
    monkeypatch.undo()
    assert [len(b) for b in drawn] == [24, 24, 24]
    # Each cookie carries the nonce drawn for it (bytes 6-29), in order.
    assert [decode_base64url(c)[6:30] for c in cookies] == drawn
