"""A revocation list in Redis for fleets (SESSIONS.md S9.5), shared with the
Go (redisrevoke) and JavaScript (cookieseal/redis) lists: a revocation
written by any of them is honoured by all. Install with the ``redis``
extra (``pip install cookieseal[redis]``)::

    import redis
    from cookieseal.redis import RedisRevocations

    client = redis.Redis(host="127.0.0.1", socket_timeout=0.1, socket_connect_timeout=0.1)
    layer = SessionLayer(codec, name="session", revocations=RedisRevocations(client))

Give the client timeouts (``socket_timeout``) and few retries (redis-py
retries three times with backoff by default): a check waits as long as the
client does. Every check is one MGET, cached for ``cache_ttl`` seconds
(default 1) in a cache of at most ``cache_size`` sessions. When Redis fails,
the last cached answer for the session is used however old it is; a session
the cache does not know is accepted (fail open, the default) or refused
(``fail_closed=True``, the read gets RevokedSession). Every failure goes to
``on_error`` and the "cookieseal" logger, without the session ID or subject.
"""

from __future__ import annotations

import logging
import threading
import time
from typing import Any, Callable

from ._codec import Info

log = logging.getLogger("cookieseal")

#: The script of SESSIONS.md S9.5: keeps the later before and the later expiry.
REVOKE_SCRIPT = """local b = tonumber(redis.call('GET', KEYS[1]) or '0') or 0
if tonumber(ARGV[1]) > b then b = tonumber(ARGV[1]) end
local u = tonumber(ARGV[2])
local t = redis.call('EXPIRETIME', KEYS[1])
if t > u then u = t end
redis.call('SET', KEYS[1], tostring(b), 'EXAT', u)
return b"""


class RedisRevocations:
    """A cookieseal revocation list in Redis (see the module's docs)."""

    def __init__(
        self,
        client: Any,
        *,
        prefix: str = "cookieseal:v1:",
        cache_ttl: float = 1.0,
        cache_size: int = 100_000,
        fail_closed: bool = False,
        on_error: Callable[[Exception], None] | None = None,
        now: Callable[[], float] | None = None,
    ) -> None:
        self._client = client
        self.prefix = prefix or "cookieseal:v1:"
        self.cache_ttl = cache_ttl
        self.cache_size = max(1, cache_size)
        self.fail_closed = fail_closed
        self._on_error = on_error
        self._now = now or time.time
        self._lock = threading.Lock()
        self._cache: dict[tuple[str, str, int], tuple[bool, float]] = {}
        #: Counters since construction.
        self.stats = {"checks": 0, "hits": 0, "misses": 0, "failures": 0, "stale": 0}

    def session_key(self, session_id: str) -> str:
        return f"{self.prefix}revoked:sid:{session_id}"

    def subject_key(self, subject: str) -> str:
        return f"{self.prefix}revoked:sub:{subject.encode('utf-8').hex()}"

    @property
    def cached(self) -> int:
        with self._lock:
            return len(self._cache)

    def revoked(self, info: Info) -> bool:
        if not info.session_id and not info.subject:
            return False
        key = (info.session_id, info.subject, info.created_at)
        now = self._now()
        with self._lock:
            self.stats["checks"] += 1
            c = self._cache.get(key)
            if c is not None and self.cache_ttl > 0 and now - c[1] < self.cache_ttl:
                self.stats["hits"] += 1
                return c[0]
            self.stats["misses"] += 1
        try:
            revoked = self._ask(info)
        except Exception as e:  # the client's failure, whatever it is
            with self._lock:
                self.stats["failures"] += 1
                if c is not None:
                    self.stats["stale"] += 1
            log.warning("cookieseal: the revocation list in Redis failed: %s", type(e).__name__)
            if self._on_error is not None:
                self._on_error(e)
            if c is not None:
                return c[0]  # stale, but the last word Redis gave
            if self.fail_closed:
                raise
            return False
        if self.cache_ttl > 0:
            with self._lock:
                if len(self._cache) >= self.cache_size and key not in self._cache:
                    del self._cache[next(iter(self._cache))]  # the oldest inserted
                self._cache[key] = (revoked, now)
        return revoked

    def _ask(self, info: Info) -> bool:
        keys = []
        if info.session_id:
            keys.append(self.session_key(info.session_id))
        if info.subject:
            keys.append(self.subject_key(info.subject))
        vals = self._client.mget(keys)
        if info.session_id:
            if vals[0] is not None:
                return True
            vals = vals[1:]
        if info.subject and vals[0] is not None:
            v = vals[0].decode("ascii") if isinstance(vals[0], bytes) else str(vals[0])
            return info.created_at < int(v)
        return False

    def revoke_session(self, session_id: str, until: int) -> None:
        if not session_id:
            raise ValueError("cookieseal: empty session ID")
        self._write(self.session_key(session_id), 1, until)

    def revoke_subject(self, subject: str, before: int, until: int) -> None:
        if not subject:
            raise ValueError("cookieseal: empty subject")
        self._write(self.subject_key(subject), before, until)

    def _write(self, key: str, before: int, until: int) -> None:
        exat = until + int(-(-max(self.cache_ttl, 0) // 1)) + 1
        self._client.eval(REVOKE_SCRIPT, 1, key, str(before), str(exat))
        with self._lock:
            self._cache.clear()  # this server sees its own revocation at once
