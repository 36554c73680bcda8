"""The secrets grammar (SESSIONS.md section 7), shared with the Go and
JavaScript packages and the cookieseal command, so that the same secrets
string or file gives the same key IDs everywhere; a file reader; and a
reloader that keeps a codec's ring equal to a file.

Only ASCII SP and HTAB count as blanks (and in a string, also ``,``, LF and
CR): U+00A0, VT, FF, U+0085, U+2028 and every other character are part of a
secret. ``str.split()``, ``str.strip()``, ``str.splitlines()`` and ``\\s``
would remove or split on them, so none is used here.
"""

from __future__ import annotations

import calendar
import hashlib
import math
import re
import threading
import time
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Callable, Sequence

from ._errors import ConfigError

if TYPE_CHECKING:  # pragma: no cover
    from ._codec import Codec

__all__ = [
    "MAX_SECRETS_FILE_SIZE",
    "PollResult",
    "SecretsReloader",
    "parse_secrets",
    "parse_secrets_file",
    "read_secrets_file",
]

#: The largest secrets file read, in bytes. A real one holds a few lines;
#: anything bigger is the wrong file.
MAX_SECRETS_FILE_SIZE = 65536

_SEPARATORS = re.compile(r"[, \t\n\r]+")
_LONE_SURROGATE = re.compile(r"[\ud800-\udfff]")  # a Python str holds no pairs: any surrogate is lone


def parse_secrets(value: str | None) -> list[str]:
    """Split a secrets string, such as the environment variable
    COOKIESEAL_SECRETS, into secrets: the non-empty runs of characters
    between separators, which are ``,``, SP, HTAB, LF and CR and nothing else.
    The first secret seals. An empty or missing value gives ``[]``. A secret
    with a lone surrogate (``os.environ`` makes one of a byte that is not
    UTF-8) is returned as it is; the codec refuses it.

        codec = Codec(parse_secrets(os.environ.get("COOKIESEAL_SECRETS")))
    """
    if value is None:
        return []
    if not isinstance(value, str):
        raise ConfigError(f"cookieseal: parse_secrets takes a str, not a {type(value).__name__}")
    return [s for s in _SEPARATORS.split(value) if s]


def parse_secrets_file(content: str | bytes, now: float | None = None) -> list[str]:
    """Parse the content of a secrets file, as bytes or as text: one secret
    per line, the first seals.

    Bytes must be valid UTF-8 and text valid Unicode (no lone surrogate);
    otherwise it raises :class:`ConfigError`, saying on which line and never
    what is on it. A leading U+FEFF (byte order mark) is removed. Lines end
    at LF, and one CR before the LF or at the end of the text is removed. On
    each line a ``#`` at the start or after SP or HTAB starts a comment that
    runs to the end of the line (``s3cret  # added in May``); a ``#`` after
    any other character is part of the secret. Then SP and HTAB around the
    secret are removed, and an empty line is skipped. The last line need not
    end with LF. It does not check the secrets; the codec does.

    A secret can hold SP inside (``correct horse battery staple`` is one
    secret in a file, four in :func:`parse_secrets`), but never starts or
    ends with SP or HTAB and never holds `` #``.

    A secret whose line ends with the comment ``#activate=2026-06-01T00:00:00Z``
    opens at once but seals only from that time (SESSIONS.md S7.5): the
    secrets come back in ring order at ``now`` (Unix seconds, default the
    current time); a file with no secret active then is refused.
    """
    return ring_order(parse_secrets_file_entries(content), time.time() if now is None else now)


@dataclass(frozen=True)
class SecretEntry:
    """One secret of a secrets file and its activation time (Unix seconds;
    None: active at once)."""

    secret: str
    activate_at: int | None = None

    def __repr__(self) -> str:  # never the secret
        return f"SecretEntry(activate_at={self.activate_at!r})"


def ring_order(entries: Sequence[SecretEntry], now: float) -> list[str]:
    """The secrets of entries in ring order at now (SESSIONS.md S7.5): the
    first active one seals, the others follow in file order. ConfigError
    when none is active."""
    if not entries:
        return []
    t = int(now // 1)
    for i, e in enumerate(entries):
        if e.activate_at is None or e.activate_at <= t:
            return [e.secret] + [x.secret for j, x in enumerate(entries) if j != i]
    raise ConfigError("cookieseal: secrets file: no secret is active yet (every one has an activate= time after now)")


_ACTIVATE = re.compile(r"activate=([0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2})Z")


def parse_secrets_file_entries(content: str | bytes) -> list[SecretEntry]:
    """parse_secrets_file in file order, with each secret's activate= time."""
    if isinstance(content, (bytes, bytearray, memoryview)):
        raw = bytes(content)
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as e:
            raise _not_utf8(raw.count(b"\n", 0, e.start) + 1) from None
    elif isinstance(content, str):
        m = _LONE_SURROGATE.search(content)
        if m:
            raise _not_utf8(content.count("\n", 0, m.start()) + 1)
        text = content
    else:
        raise ConfigError(f"cookieseal: parse_secrets_file takes str or bytes, not {type(content).__name__}")
    if text.startswith("\ufeff"):
        text = text[1:]
    entries = []
    for n, line in enumerate(text.split("\n"), 1):
        if line.endswith("\r"):
            line = line[:-1]
        comment = ""
        for i, ch in enumerate(line):
            if ch == "#" and (i == 0 or line[i - 1] in " \t"):
                line, comment = line[:i], line[i + 1 :]  # "# note" or "secret  # note"
                break
        line = line.strip(" \t")
        c = comment.strip(" \t")
        at: int | None = None
        if c.startswith("activate="):
            m = _ACTIVATE.fullmatch(c)
            try:
                if m is None:
                    raise ValueError
                at = calendar.timegm(datetime.strptime(m.group(1), "%Y-%m-%dT%H:%M:%S").timetuple())
            except ValueError:
                raise ConfigError(f"cookieseal: secrets file line {n}: an activate= time must be YYYY-MM-DDTHH:MM:SSZ (UTC)") from None
            if not line:
                raise ConfigError(f"cookieseal: secrets file line {n}: an activate= comment needs a secret on its line")
        if line:
            entries.append(SecretEntry(line, at))
    return entries


def _not_utf8(line: int) -> ConfigError:
    return ConfigError(f"cookieseal: secrets file is not valid UTF-8 (line {line})")


def _read_bytes(path: str) -> bytes:
    """At most MAX_SECRETS_FILE_SIZE bytes of path, opened anew (so a
    symbolic link is followed again each time); a larger file fails after
    one byte more, so /dev/zero or a log fails at once."""
    with open(path, "rb") as f:
        b = f.read(MAX_SECRETS_FILE_SIZE + 1)
    if len(b) > MAX_SECRETS_FILE_SIZE:
        raise OSError(f"{path} is larger than {MAX_SECRETS_FILE_SIZE} bytes")
    return b


def read_secrets_file(path: str, now: float | None = None) -> list[str]:
    """Read and parse a secrets file (the grammar of
    :func:`parse_secrets_file`). Raises :class:`ConfigError`, with the
    ``OSError`` as its cause, if the file cannot be read or is larger than
    MAX_SECRETS_FILE_SIZE, and if it is not valid UTF-8. It does not check
    the secrets; the codec does. Errors name the file, never quote it.

        codec = Codec(read_secrets_file("/run/secrets/cookieseal"))
    """
    try:
        b = _read_bytes(path)
    except OSError as e:
        raise ConfigError(f"cookieseal: reading secrets file: {e}") from e
    try:
        return parse_secrets_file(b, now)
    except ConfigError as e:
        raise ConfigError(str(e).replace("cookieseal: secrets file ", f"cookieseal: secrets file {path} ", 1)) from e


@dataclass(frozen=True)
class PollResult:
    """What one read of the file found."""

    #: Whether the outcome is news: new content settled, or a read failure
    #: that differs from the last one.
    changed: bool
    #: The error in force: the read failure, or the outcome of the settled
    #: content; None if it was applied.
    error: ConfigError | None


class SecretsReloader:
    """Keeps a codec's ring equal to the secrets in a file, so keys rotate
    without a restart, by the same rules as the Go package's Reloader:

    - Each read opens the path anew (following symbolic links again, so the
      ``..data`` swap of a Kubernetes secret volume is seen) and reads the
      whole file; only content that differs from what was last settled can
      change the ring.
    - Settled content only: new content is applied after two reads in a row
      give the same bytes (a read in the middle of an in-place rewrite sees a
      valid-looking prefix of a secret). :meth:`reload` reads twice;
      :meth:`run` and :meth:`start` apply a change at the second poll that
      sees it.
    - Keep a key: after the first load, a file that keeps none of the key
      IDs in force is refused, unless ``allow_replace_all``. Rotate by adding
      the new secret first.
    - A file that cannot be read, is not UTF-8, that the codec refuses (no
      secret, one too short, two alike) or that breaks a rule above leaves
      the ring as it was; the error says why without quoting the file.

    Building it reads the file twice and sets the codec's ring from it; it
    raises :class:`ConfigError`, leaving the codec as it was, if that fails.
    The file owns the ring: a ``set_secrets`` call made elsewhere is not
    undone until the file changes. Safe to share between threads.
    """

    def __init__(self, codec: Codec, path: str, *, allow_replace_all: bool = False) -> None:
        if not isinstance(path, str) or not path:
            raise ConfigError("cookieseal: the secrets file path must be a non-empty str")
        self.path = path
        self._codec = codec
        self._allow_replace_all = bool(allow_replace_all)
        self._lock = threading.Lock()
        self._loaded = False  # the file's secrets were applied at least once
        self._sum: bytes | None = None  # digest of the content last settled
        self._err: ConfigError | None = None  # outcome of applying that content
        self._read_err: str | None = None  # message of the last read failure
        self._pending: bytes | None = None  # digest of content read once, not yet settled
        self._entries: list[SecretEntry] = []  # of the content applied, for activation times
        self._first: str | None = None  # the sealing secret last applied
        self.reload()

    def __repr__(self) -> str:
        return f"SecretsReloader(path={self.path!r})"

    def reload(self) -> None:
        """Read the file and read it again; if both reads agree and the
        content changed since it was last settled, apply its secrets. Raises
        :class:`ConfigError` on any failure, and the ring stays as it was; an
        unchanged file that was refused before raises the same error again."""
        with self._lock:
            r = self._poll()
            if self._pending is not None:
                r = self._poll()
                if self._pending is not None:
                    raise ConfigError(
                        f"cookieseal: secrets file {self.path} changed between two reads, keeping the current keys; "
                        "reload once it is written"
                    )
        if r.error is not None:
            raise r.error

    def poll(self) -> PollResult:
        """Read the file once, as each tick of :meth:`run` does. Content that
        differs from the settled content is applied only if the previous poll
        read the same bytes; otherwise it is remembered."""
        with self._lock:
            return self._poll()

    def _poll(self) -> PollResult:
        try:
            b = _read_bytes(self.path)
        except OSError as e:
            err = ConfigError(f"cookieseal: reloading secrets, keeping the current keys: {e}")
            err.__cause__ = e
            changed = self._read_err != str(err)
            self._read_err = str(err)
            self._pending = None  # content must be seen on two reads in a row
            return PollResult(changed, err)
        had_read_err = self._read_err is not None
        self._read_err = None
        digest = hashlib.sha256(b).digest()
        if digest == self._sum:
            self._pending = None
            return PollResult(self._activate() or had_read_err, self._err)
        if digest != self._pending:
            self._pending = digest  # seen once: wait for a second read
            return PollResult(had_read_err, self._err)
        self._pending = None
        self._sum = digest
        self._err = self._apply(b)
        return PollResult(True, self._err)

    def _activate(self) -> bool:
        """Put first, once its activate= time has come, the secret the
        settled content says should seal now (SESSIONS.md S7.5); whether it
        changed the ring. The file need not change: every poll checks."""
        if self._err is not None or not self._entries:
            return False
        try:
            secrets = ring_order(self._entries, self._codec.now())
            if secrets[0] == self._first:
                return False
            self._codec.set_secrets(secrets)
        except ConfigError:
            return False
        self._first = secrets[0]
        return True

    def _apply(self, content: bytes) -> ConfigError | None:
        """Parse content and give its secrets to the codec, unless a reload
        after the first would drop every key in force."""
        from ._codec import _build_ring

        try:
            entries = parse_secrets_file_entries(content)
            secrets = ring_order(entries, self._codec.now())
            if self._loaded and not self._allow_replace_all:
                ring = _build_ring(secrets)  # first, so that a bad list says what is wrong with it
                current = set(self._codec.key_ids)
                if not any(k.key_id in current for k in ring):
                    raise ConfigError(
                        "it keeps none of the current keys, as a torn write would "
                        "(add a new secret before removing the old ones, or set allow_replace_all)"
                    )
            self._codec.set_secrets(secrets)
            self._entries, self._first = entries, secrets[0] if secrets else None
        except ConfigError as e:
            msg = str(e).removeprefix("cookieseal: ")
            err = ConfigError(f"cookieseal: secrets file {self.path} refused, keeping the current keys: {msg}")
            err.__cause__ = e
            return err
        self._loaded = True
        return None

    def run(self, interval: float, stop: threading.Event, on_error: Callable[[ConfigError], None] | None = None) -> None:
        """Poll the file every ``interval`` seconds until ``stop`` is set.
        Calls ``on_error``, if given, with each new failure: once when the
        file turns invalid or unreadable, not again until it changes. Errors
        never quote a secret, so ``on_error`` may log them."""
        _check_interval(interval)
        while not stop.wait(interval):
            r = self.poll()
            if r.changed and r.error is not None and on_error is not None:
                on_error(r.error)

    def start(self, interval: float, on_error: Callable[[ConfigError], None] | None = None) -> Callable[[], None]:
        """Run :meth:`run` in a daemon thread; returns a function that stops
        it (and waits for the thread to end)."""
        _check_interval(interval)
        stop = threading.Event()
        t = threading.Thread(target=self.run, args=(interval, stop, on_error), name="cookieseal-secrets", daemon=True)
        t.start()

        def stopper() -> None:
            stop.set()
            t.join()

        return stopper


def _check_interval(interval: float) -> None:
    if isinstance(interval, bool) or not isinstance(interval, (int, float)) or not math.isfinite(interval) or interval <= 0:
        raise ConfigError(f"cookieseal: reload interval {interval!r} seconds, want more than 0")
