"""Revocation lists (SESSIONS.md S9): "log out this device" (a session ID
revoked until its natural end) and "log out everywhere" (every session of a
subject created before a time). A SessionLayer asks its list on every read,
before the application sees the session and before any re-issue."""

from __future__ import annotations

import threading
import time
from typing import Callable, Protocol

from ._codec import Info


class Revocations(Protocol):
    """A revocation list. Times are Unix seconds. revoked() raising refuses
    the session (fail closed); a list that fails open returns False."""

    def revoked(self, info: Info) -> bool: ...

    def revoke_session(self, session_id: str, until: int) -> None: ...

    def revoke_subject(self, subject: str, before: int, until: int) -> None: ...


def is_revoked(info: Info, session_until: int | None, subject: tuple[int, int] | None, now: int) -> bool:
    """S9.2: revoked by a live session entry, or by a live subject entry
    (before, until) whose before is after the session's created-at."""
    if info.session_id and session_until is not None and session_until > now:
        return True
    if info.subject and subject is not None and subject[1] > now and info.created_at < subject[0]:
        return True
    return False


class MemoryRevocations:
    """A revocation list in the memory of one process. Entries go once their
    until has passed (swept when the list has doubled since the last sweep),
    so it holds at most the revocations of the last max_age. Thread-safe."""

    def __init__(self, now: Callable[[], float] | None = None) -> None:
        self._now = now or time.time
        self._lock = threading.Lock()
        self._sessions: dict[str, int] = {}
        self._subjects: dict[str, tuple[int, int]] = {}
        self._swept = 0

    def revoked(self, info: Info) -> bool:
        now = int(self._now())
        with self._lock:
            return is_revoked(
                info,
                self._sessions.get(info.session_id) if info.session_id else None,
                self._subjects.get(info.subject) if info.subject else None,
                now,
            )

    def revoke_session(self, session_id: str, until: int) -> None:
        if not session_id:
            raise ValueError("cookieseal: empty session ID")
        with self._lock:
            self._sessions[session_id] = max(self._sessions.get(session_id, 0), until)
            self._sweep()

    def revoke_subject(self, subject: str, before: int, until: int) -> None:
        if not subject:
            raise ValueError("cookieseal: empty subject")
        with self._lock:
            b, u = self._subjects.get(subject, (0, 0))
            self._subjects[subject] = (max(b, before), max(u, until))
            self._sweep()

    def __len__(self) -> int:
        with self._lock:
            return len(self._sessions) + len(self._subjects)

    def _sweep(self) -> None:
        n = len(self._sessions) + len(self._subjects)
        if n < 2 * self._swept + 64:
            return
        now = int(self._now())
        self._sessions = {k: u for k, u in self._sessions.items() if u > now}
        self._subjects = {k: e for k, e in self._subjects.items() if e[1] > now}
        self._swept = len(self._sessions) + len(self._subjects)
