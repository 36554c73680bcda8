"""Revocation in the Python session layer (SESSIONS.md S9) with the
in-memory list: log out this device, log out everywhere, a list that raises
(fail closed), and the list's memory bound under 5,000 revocations."""

from __future__ import annotations

from typing import Any

import cookieseal
from cookieseal import Codec, Info, MemoryRevocations
from cookieseal._session import SessionLayer

NOW = 1780272000


def fixture(lst: Any = None) -> tuple[SessionLayer, list[float]]:
    clock = [float(NOW)]
    codec = Codec([cookieseal.generate_secret()], max_age=3600, now=lambda: clock[0])
    layer = SessionLayer(codec, name="s", insecure=True, revocations=lst or MemoryRevocations(lambda: clock[0]))
    return layer, clock


def login(layer: SessionLayer, user: str) -> str:
    c = layer.save(layer.read(""), {"user": user}, changed=True, renew=True, subject=user)[0]
    return f"s={c.value}"


def test_this_device_then_everywhere() -> None:
    layer, clock = fixture()
    phone, laptop, bob = login(layer, "alice"), login(layer, "alice"), login(layer, "bob")
    r = layer.read(phone)
    assert r.info is not None and len(r.info.session_id) == 32 and r.info.subject == "alice"
    layer.revoke(r.info)
    assert layer.read(phone).outcome == "revoked"
    assert layer.read(laptop).outcome == "ok"
    clock[0] += 10
    layer.revoke_subject("alice")
    assert layer.read(laptop).outcome == "revoked"
    assert layer.read(bob).outcome == "ok"
    assert layer.read(login(layer, "alice")).outcome == "ok", "a login in the second of the revocation"


class Failing:
    def revoked(self, info: Info) -> bool:
        raise ConnectionError("down")

    def revoke_session(self, session_id: str, until: int) -> None:
        pass

    def revoke_subject(self, subject: str, before: int, until: int) -> None:
        pass


def test_a_list_that_raises_fails_closed() -> None:
    layer, _ = fixture(Failing())
    r = layer.read(login(layer, "alice"))
    assert r.outcome == "revoked" and r.data == {}
    assert r.error is not None and "alice" not in str(r.error)


def test_memory_bound() -> None:
    t = [float(NOW)]
    lst = MemoryRevocations(lambda: t[0])
    most = 0
    for i in range(5000):
        lst.revoke_session(f"{i:032x}", int(t[0]) + 100)
        most = max(most, len(lst))
        t[0] += 1
    assert most <= 2 * 100 + 64, most
