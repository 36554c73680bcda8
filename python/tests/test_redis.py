"""The Redis revocation list (cookieseal.redis) against Debian's
redis-server on a free loopback port: the key layout of SESSIONS.md S9.5,
another server's revocation after its cache time, a subject before a time,
Redis stopped (fail open and closed) and restarted. A missing redis-server
(or redis-py) fails under CI=true and skips otherwise."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
from typing import Any, Iterator

import pytest

import cookieseal
from cookieseal import Codec, Info
from cookieseal._session import SessionLayer
from cookieseal.redis import RedisRevocations

CI = os.environ.get("CI") == "true"
if shutil.which("redis-server") is None:
    if CI:
        raise RuntimeError("redis-server is not installed (apt-get install -y redis-server)")
    pytest.skip("redis-server is not installed; CI=true makes this a failure", allow_module_level=True)
if CI:
    import redis
else:
    redis = pytest.importorskip("redis")

A, B = "a1" * 16, "b2" * 16


class Server:
    def __init__(self, tmp: Any) -> None:
        s = socket.socket()
        s.bind(("127.0.0.1", 0))
        self.port = s.getsockname()[1]
        s.close()
        self.dir = str(tmp)
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        self.proc = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", self.dir],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for _ in range(500):
            try:
                redis.Redis(port=self.port, socket_timeout=0.2).ping()
                return
            except redis.RedisError:
                time.sleep(0.02)
        raise RuntimeError("redis-server did not start")

    def stop(self) -> None:
        if self.proc is not None:
            self.proc.kill()
            self.proc.wait()
            self.proc = None

    def client(self) -> Any:
        from redis.backoff import NoBackoff
        from redis.retry import Retry

        return redis.Redis(port=self.port, socket_timeout=0.1, socket_connect_timeout=0.1, retry=Retry(NoBackoff(), 0))


@pytest.fixture
def server(tmp_path: Any) -> Iterator[Server]:
    s = Server(tmp_path)
    s.start()
    yield s
    s.stop()


def info(sid: str, subject: str, created: int) -> Info:
    return Info(created, created, "00000000", False, 0x08, session_id=sid, subject=subject)


def test_layout_and_another_server(server: Server) -> None:
    now = [time.time()]
    one = RedisRevocations(server.client(), now=lambda: now[0])
    two = RedisRevocations(server.client(), now=lambda: now[0])
    t = int(now[0])
    assert not two.revoked(info(A, "alice", t))
    one.revoke_session(A, t + 3600)
    assert one.revoked(info(A, "alice", t)), "the writer sees it at once"
    assert not two.revoked(info(A, "alice", t)), "cached within the cache time"
    now[0] += 1
    assert two.revoked(info(A, "alice", t)), "seen after the cache time"
    assert not two.revoked(info(B, "alice", t)), "another session of the subject"
    raw = server.client()
    assert raw.get("cookieseal:v1:revoked:sid:" + A) == b"1"
    assert raw.expiretime("cookieseal:v1:revoked:sid:" + A) == t + 3600 + 2
    one.revoke_subject("élise", t, t + 3600)
    assert raw.get("cookieseal:v1:revoked:sub:c3a96c697365") == str(t).encode()
    now[0] += 1
    assert two.revoked(info(B, "élise", t - 1))
    assert not two.revoked(info(B, "élise", t)), "created in the second of the revocation"
    one.revoke_subject("élise", t - 100, t + 60)
    assert raw.get("cookieseal:v1:revoked:sub:c3a96c697365") == str(t).encode(), "the later before is kept"
    assert raw.expiretime("cookieseal:v1:revoked:sub:c3a96c697365") == t + 3600 + 2, "the later expiry is kept"


def test_redis_down_and_back(server: Server) -> None:
    now = [time.time()]
    errors: list[Exception] = []
    fail_open = RedisRevocations(server.client(), now=lambda: now[0], on_error=errors.append)
    fail_closed = RedisRevocations(server.client(), now=lambda: now[0], fail_closed=True)
    t = int(now[0])
    fail_open.revoke_session(B, t + 3600)
    for lst in (fail_open, fail_closed):
        assert not lst.revoked(info(A, "alice", t))
        assert lst.revoked(info(B, "bob", t))
    server.stop()
    now[0] += 3600
    unseen = info("c3" * 16, "carol", t)
    assert not fail_open.revoked(info(A, "alice", t)), "stale answer"
    assert fail_open.revoked(info(B, "bob", t)), "stale answer"
    assert not fail_open.revoked(unseen), "fail open"
    assert fail_closed.revoked(info(B, "bob", t))
    with pytest.raises(redis.RedisError):
        fail_closed.revoked(unseen)
    assert errors
    # Through the session layer: fail closed reads as revoked.
    codec = Codec([cookieseal.generate_secret()])
    layer = SessionLayer(codec, name="s", revocations=fail_closed, insecure=True)
    c = layer.save(layer.read(""), {"u": 1}, changed=True, renew=True, subject="dave")[0]
    read = layer.read(f"s={c.value}")
    assert read.outcome == "revoked" and read.data == {}
    server.start()
    assert not fail_closed.revoked(unseen), "after the restart"
