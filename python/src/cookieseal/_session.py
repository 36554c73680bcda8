"""The session lifecycle of SESSIONS.md, shared by the Flask interface and the
Starlette middleware: one parser of the Cookie header (S2), one check of
names, prefixes and scopes (S3, S5.5), one bounded reader (S4), and one
decision of what a response writes (S5, S6). The integrations only carry
the request's Cookie header in, tell what the handler did (changed,
emptied, renewed or refused the session, and the response status), and
render the cookies this module decides on.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable, Mapping, Sequence

from . import _chunks, _json, _values
from ._codec import MAX_CLOCK_SKEW, Codec, Info
from ._errors import (
    ConfigError,
    CookiesealError,
    CookieTooLarge,
    ExpiredCookie,
    InvalidCookie,
    RevokedSession,
    UnknownKey,
    UnsupportedValue,
)
from ._revoke import Revocations

log = logging.getLogger("cookieseal")

HOST_PREFIX = "__Host-"
SECURE_PREFIX = "__Secure-"
PREFIXES = ("", HOST_PREFIX, SECURE_PREFIX)

#: The outcome classes of SESSIONS.md S1, by error type.
_CLASSES: tuple[tuple[type[CookiesealError], str], ...] = (
    (ExpiredCookie, "expired"),
    (UnknownKey, "unknown_key"),
    (CookieTooLarge, "too_large"),
    (InvalidCookie, "invalid"),
    (RevokedSession, "revoked"),
)

#: A legacy opener (a migration, see SessionLayer): the value of a cookie
#: of the full name that does not look sealed, to the session it holds (a
#: dict of plain JSON values), or a CookiesealError (InvalidCookie: not its
#: cookie or a bad signature; ExpiredCookie: past the old max age).
LegacyOpener = Callable[[str], Mapping[str, Any]]

#: The Info of a session a legacy opener opened: no time or key it tells
#: can be trusted (SESSIONS.md S6.3: its re-issue starts a session, as
#: Go's Config.Legacy does).
LEGACY_INFO = Info(0, 0, "", True, 0, legacy=True)

#: The value a cookie is set to when it is expired (S5.3).
_EPOCH = "Thu, 01 Jan 1970 00:00:00 GMT"
_MIN_VALUE_ROOM = 64  # S3.5


def error_class(e: CookiesealError) -> str:
    """The outcome class (S1) of an error: invalid, expired, unknown_key or
    too_large."""
    for cls, name in _CLASSES:
        if isinstance(e, cls):
            return name
    return "invalid"


def split_prefix(full_name: str) -> tuple[str, str]:
    """(prefix, name) of a full cookie name, for integrations whose API takes
    the full name (Flask's SESSION_COOKIE_NAME): a name that starts with
    exactly __Host- or __Secure- has that prefix (S3.2)."""
    for p in (HOST_PREFIX, SECURE_PREFIX):
        if full_name.startswith(p):
            return p, full_name[len(p) :]
    return "", full_name


@dataclass(frozen=True)
class Scope:
    """Where a cookie is set: its Domain (None: host-only) and Path."""

    domain: str | None
    path: str


@dataclass(frozen=True)
class SetCookie:
    """One cookie a response sets (value) or expires (expire=True)."""

    name: str
    value: str
    scope: Scope
    expire: bool


@dataclass
class Read:
    """What reading a request's cookies learnt, carried to the write so that
    the cookie is never read twice (a second read could find it expired)."""

    #: "none", "ok", or the error class (S1).
    outcome: str
    #: The session the handler gets: plain JSON values, {} unless ok.
    data: dict[str, Any]
    info: Info | None
    error: CookiesealError | None
    #: The codec's clock at the read.
    now: int
    #: The request carried the full name or one of its parts.
    carried: bool
    #: The part numbers of the full name the request carried.
    sent: list[int] = field(default_factory=list)


def _scalar(v: Any) -> Any:
    if v is None or v is True or v is False:
        return v
    if isinstance(v, str):
        return str(v)
    if isinstance(v, _values.Duration):
        raise UnsupportedValue("a Go time.Duration")
    if isinstance(v, int):
        return int(v)
    if isinstance(v, float):
        return float(v)
    if isinstance(v, _values.Nil):
        return None
    if isinstance(v, _values.Time):
        raise UnsupportedValue("a Go time.Time")
    if isinstance(v, (bytes, bytearray)):
        raise UnsupportedValue("a Go []byte")
    raise UnsupportedValue(f"a {type(v).__name__}")


def _plain(root: Any) -> Any:
    """A typed value (SPEC 6) as plain JSON values, when it has an exact
    plain form; UnsupportedValue otherwise (time, duration, bytes, a map
    with a key that is not a string). Iterative: a value nested 512 levels
    costs no Python frames."""
    holder: list[Any] = [None]
    stack: list[tuple[Any, Any, Any, int]] = [(root, holder, 0, 0)]
    while stack:
        v, parent, key, depth = stack.pop()
        if depth > _json.MAX_DEPTH:
            raise UnsupportedValue("nesting deeper than the format allows")
        if isinstance(v, _values.Named):
            v = v.value  # its plain JSON value
        if isinstance(v, list):
            new_list: list[Any] = [None] * len(v)
            parent[key] = new_list
            stack.extend((e, new_list, i, depth + 1) for i, e in enumerate(v))
        elif isinstance(v, dict):
            if isinstance(v, _values.Map) and v.nil and not v:
                parent[key] = None
                continue
            new_dict: dict[str, Any] = {}
            parent[key] = new_dict
            for k, e in v.items():
                if not isinstance(k, str):
                    raise UnsupportedValue("a map key that is not a string")
                new_dict[str(k)] = None
                stack.append((e, new_dict, str(k), depth + 1))
        else:
            parent[key] = _scalar(v)
    return holder[0]


def session_data(tree: Any) -> dict[str, Any]:
    """The session a handler can hold (S6.9) from what a cookie opened to:
    a plain JSON object as it is; typed values (Go's gorilla sessions) as
    plain JSON when every value has an exact plain form. Otherwise
    InvalidCookie, which names the type and never a key or value."""
    if isinstance(tree, _values.Map):
        try:
            data = _plain(tree)
        except UnsupportedValue as e:
            raise InvalidCookie(f"cookieseal: invalid session: it holds {e}, which this integration cannot hold as JSON") from None
        if data is None:
            return {}
        assert isinstance(data, dict)
        try:
            _json.dumps(data)  # what the write will do: it must not fail later
        except UnsupportedValue:
            raise InvalidCookie("cookieseal: invalid session: its values have no plain JSON form") from None
        return data
    if isinstance(tree, dict):
        return tree
    raise InvalidCookie("cookieseal: invalid session: the cookie holds JSON that is not an object")


def _check_attr(what: str, v: str) -> None:
    if not v or any(not 0x21 <= ord(c) <= 0x7E or c in ";," for c in v):
        raise ConfigError(f"cookieseal: {what} {v!r} is not a valid cookie attribute value")


def _scope(domain: str | None, path: str | None) -> Scope:
    d = domain or None
    p = path or "/"
    if d is not None:
        _check_attr("domain", d)
    _check_attr("path", p)
    if not p.startswith("/"):
        raise ConfigError(f"cookieseal: path {p!r} must start with /")
    return Scope(d, p)


class SessionLayer:
    """One session's cookie as SESSIONS.md says: its name, prefix, scope,
    limits and attributes, over a codec. Built once from the integration's
    configuration; ConfigError for a configuration S3 or S5 refuses.

    legacy_openers (a migration, as Go's Config.Legacy): callables that
    open another framework's cookie of the same full name (cookieseal's
    _migrate module has Flask's and Starlette's, cookieseal.django
    Django's). Only a head that does not look sealed reaches them, in
    order, after the sealed heads (S4.2) and within the same 4 attempts;
    one that opens gives an ok read with an Info whose legacy is set and
    whose times are 0, and save() seals it as a new session (issued-at =
    created-at = now) when the handler changed it or accepted it, never
    when it refused it."""

    def __init__(
        self,
        codec: Codec,
        *,
        name: str,
        prefix: str = "",
        path: str = "/",
        domain: str | None = None,
        max_parts: int = _chunks.DEFAULT_MAX_PARTS,
        max_header_bytes: int = _chunks.DEFAULT_MAX_HEADER_BYTES,
        legacy_scopes: Iterable[Any] = (),
        insecure: bool = False,
        same_site: str | None = "Lax",
        http_only: bool = True,
        partitioned: bool = False,
        on_error: Callable[[CookiesealError], None] | None = None,
        legacy_openers: Sequence[LegacyOpener] = (),
        revocations: Revocations | None = None,
    ) -> None:
        if prefix not in PREFIXES:
            raise ConfigError(f"cookieseal: prefix {prefix!r}, want one of {PREFIXES}")
        if not isinstance(name, str) or not _chunks.is_token(name):
            raise ConfigError(f"cookieseal: cookie name {name!r} is not a token (RFC 9110)")
        if _chunks.ends_in_part_suffix(name):
            raise ConfigError(f"cookieseal: cookie name {name!r} ends in . and digits, the names of parts")
        low = name.lower()
        if low.startswith(HOST_PREFIX.lower()) or low.startswith(SECURE_PREFIX.lower()):
            raise ConfigError(f"cookieseal: cookie name {name!r} starts with a prefix: give the prefix as the prefix option")
        if isinstance(max_parts, bool) or not isinstance(max_parts, int) or not 1 <= max_parts <= _chunks.MAX_PARTS_LIMIT:
            raise ConfigError(f"cookieseal: max_parts {max_parts!r}, want 1 to {_chunks.MAX_PARTS_LIMIT}")
        if isinstance(max_header_bytes, bool) or not isinstance(max_header_bytes, int) or max_header_bytes < 1:
            raise ConfigError(f"cookieseal: max_header_bytes {max_header_bytes!r}, want at least 1")
        full = prefix + name
        longest = full + (f".{max_parts - 1}" if max_parts > 1 else "")
        if len(longest) + 1 + _MIN_VALUE_ROOM > codec.max_length:
            raise ConfigError(f"cookieseal: cookie name {full!r} leaves less than {_MIN_VALUE_ROOM} bytes of value in a cookie")
        scope = _scope(domain, path)
        if prefix and insecure:
            raise ConfigError(f"cookieseal: the {prefix} prefix needs Secure; an insecure configuration has no prefix")
        if prefix == HOST_PREFIX and (scope.domain is not None or scope.path != "/"):
            raise ConfigError("cookieseal: the __Host- prefix needs Path=/ and no Domain")
        if same_site is not None:
            ss = same_site.capitalize()
            if ss not in ("Lax", "Strict", "None"):
                raise ConfigError(f"cookieseal: same_site {same_site!r}, want Lax, Strict or None")
            if ss == "None" and insecure:
                raise ConfigError("cookieseal: SameSite=None needs Secure")
            same_site = ss
        legacy: list[Scope] = []
        for s in legacy_scopes:
            if isinstance(s, Scope):
                ls = _scope(s.domain, s.path)
            elif isinstance(s, Mapping):
                ls = _scope(s.get("domain"), s.get("path"))
            else:
                d, p = s
                ls = _scope(d, p)
            if prefix:
                raise ConfigError("cookieseal: legacy scopes with a prefix: the old cookies had another name")
            if ls == scope:
                raise ConfigError(f"cookieseal: legacy scope {ls} is the current scope")
            if ls not in legacy:
                legacy.append(ls)
        self.codec = codec
        self.name = name
        self.prefix = prefix
        self.full_name = full
        self.scope = scope
        self.legacy_scopes = tuple(legacy)
        self.max_parts = max_parts
        self.max_header_bytes = max_header_bytes
        self.secure = not insecure
        self.same_site = same_site
        self.http_only = http_only
        self.partitioned = partitioned
        self.on_error = on_error
        self.legacy_openers: tuple[LegacyOpener, ...] = tuple(legacy_openers)
        if not all(callable(o) for o in self.legacy_openers):
            raise ConfigError("cookieseal: legacy openers must be callables")
        #: The revocation list asked on every read (S9); with one, every
        #: session written carries a session ID.
        self.revocations = revocations

    def __repr__(self) -> str:
        return f"SessionLayer({self.full_name!r}, scope={self.scope}, secure={self.secure})"

    def report(self, e: CookiesealError, stage: str) -> None:
        """A refused cookie (read) or write (S6.2, S6.6): logged by class and
        message (neither holds a cookie's content), then the hook."""
        log.info("cookieseal: session %s %s: %s: %s", self.full_name, stage, error_class(e), e)
        if self.on_error is not None:
            self.on_error(e)

    # --- reading (S2, S4) -------------------------------------------------

    def read(self, header: str) -> Read:
        """Read the session from a request's Cookie header (its fields joined
        with "; ", one character per byte). Writes nothing; a bad cookie is
        an empty session and a reported error, never an exception."""
        pairs = _chunks.parse_cookie_header(header)
        full = self.full_name
        now = self.codec.now()
        carried = False
        names = []
        for n, _ in pairs:
            if n == full:
                carried = True
            elif n.startswith(full + "."):
                names.append(n)
        sent = _chunks.sent_parts(full, names)
        attempts = _chunks.attempts(full, pairs, self.max_parts)
        if not attempts:
            return Read("none", {}, None, None, now, carried or bool(sent), sent)
        first: CookiesealError | None = None
        for head, parts in attempts:
            try:
                if self.legacy_openers and not _chunks.looks_sealed(head):
                    data, info = self._open_legacy(head)
                else:
                    value = _chunks.assemble(full, head, parts, self.codec.max_length, self.max_parts)
                    tree, info = self.codec._open_info(full, value, len(full) + 1 + len(value))
                    data = session_data(tree)
                self._check(info)
            except CookiesealError as e:
                first = first or e
                continue
            return Read("ok", data, info, None, now, True, sent)
        assert first is not None
        self.report(first, "did not open")
        return Read(error_class(first), {}, None, first, now, True, sent)

    def _check(self, info: Info) -> None:
        """S9.3: RevokedSession when the list revokes the session or cannot
        be asked (fail closed; a list that fails open answers False)."""
        if self.revocations is None or not (info.session_id or info.subject):
            return
        try:
            revoked = self.revocations.revoked(info)
        except Exception as e:  # the list's failure, whatever it is
            raise RevokedSession(f"cookieseal: session revoked: the revocation list could not be read ({type(e).__name__})") from e
        if revoked:
            raise RevokedSession("cookieseal: session revoked")

    def revoke(self, info: Info) -> None:
        """Revoke the session info describes, on every server that shares
        the list ("log out this device"), until no cookie of it can open
        (S9.4). Writes nothing: delete the cookie too."""
        if self.revocations is None:
            raise ConfigError("cookieseal: revoking needs a revocations list")
        if not info.session_id:
            raise ValueError("cookieseal: the session has no ID to revoke (a login, or a revocations list, seals one)")
        now = self.codec.now()
        self.revocations.revoke_session(info.session_id, self._until(now, info.created_at))

    def revoke_subject(self, subject: str) -> None:
        """Revoke every session of subject created before now, on every
        server that shares the list ("log out everywhere", "after the
        password change"). A session created in this second or later (the
        login that follows) stays valid."""
        if self.revocations is None:
            raise ConfigError("cookieseal: revoking needs a revocations list")
        if not subject:
            raise ValueError("cookieseal: revoke_subject needs a subject")
        now = self.codec.now()
        self.revocations.revoke_subject(subject, now, self._until(now, now))

    def _until(self, now: int, created: int) -> int:
        """How long an entry written now is kept (S9.4)."""
        until = now + self.codec.max_age + MAX_CLOCK_SKEW + 1
        if self.codec.max_lifetime:
            until = min(until, created + self.codec.max_lifetime + MAX_CLOCK_SKEW + 1)
        return until

    def open_value(self, value: str) -> Read:
        """Open one whole session value, as a session_key carries it in
        engines whose key is the cookie (Django's): the same opening as a
        read, legacy openers included, without a Cookie header. Writes
        nothing; a bad value is an empty session and a reported error."""
        now = self.codec.now()
        if not value:
            return Read("none", {}, None, None, now, False)
        full = self.full_name
        try:
            if self.legacy_openers and not _chunks.looks_sealed(value):
                data, info = self._open_legacy(value)
            else:
                tree, info = self.codec._open_info(full, value, len(full) + 1 + self.max_parts * self.codec.max_length)
                data = session_data(tree)
                self._check(info)
        except CookiesealError as e:
            self.report(e, "did not open")
            return Read(error_class(e), {}, None, e, now, True)
        return Read("ok", data, info, None, now, True)

    def _open_legacy(self, value: str) -> tuple[dict[str, Any], Info]:
        """A head that does not look sealed (SPEC.md section 10, reading step
        2), through the legacy openers in order: a cookieseal cookie never
        reaches them, so they add no way around authentication. Bounded
        like any head: over max_length with its name, none is called."""
        if len(self.full_name) + 1 + len(value) > self.codec.max_length:
            raise CookieTooLarge(f"cookieseal: cookie {self.full_name!r} is over {self.codec.max_length} bytes with its name")
        first: CookiesealError | None = None
        for opener in self.legacy_openers:
            try:
                opened = opener(value)
            except CookiesealError as e:
                first = first or e
                continue
            if not isinstance(opened, Mapping):
                raise InvalidCookie("cookieseal: invalid session: a legacy opener gave no mapping")
            try:
                data = _json.loads(_json.dumps(dict(opened)))
            except (UnsupportedValue, ValueError, CookiesealError):
                # Neither the key nor the value is named: the message must
                # not carry session content.
                raise InvalidCookie("cookieseal: invalid session: the old session holds a value a sealed session cannot carry") from None
            if not isinstance(data, dict):
                raise InvalidCookie("cookieseal: invalid session: the old session is not an object")
            return data, LEGACY_INFO
        raise first or InvalidCookie("cookieseal: invalid cookie: not a cookieseal cookie")

    # --- writing (S5, S6) -------------------------------------------------

    def save(
        self,
        read: Read,
        data: Mapping[str, Any],
        *,
        changed: bool,
        emptied: bool = False,
        renew: bool = False,
        refused: bool = False,
        status: int = 200,
        framework_refresh: bool = False,
        subject: str = "",
    ) -> list[SetCookie]:
        """The cookies a response sets or expires for this session (S6.7):

        - an empty session: deleted when the handler emptied it (logout,
          S6.7, S6.8), even when the request carried no cookie; otherwise
          nothing;
        - renew (login, S6.5): sealed new, issued-at = created-at = now, a
          new session ID, and subject (the user ID, S9.1) when given;
        - changed: issued-at now, created-at kept (S6.4);
        - unchanged: a due refresh or re-issue (S6.3), or the framework's
          own refresh rule, unless the handler refused the session (refused,
          or a status of 400 or more, S6.7).

        A write for a session whose max_lifetime, or for a re-issue that
        keeps issued-at whose max_age, has passed now writes nothing and
        reports ExpiredCookie (S6.6). A value the handler set that does not
        fit raises (CookieTooLarge, UnsupportedValue); a re-issue that does
        not fit is reported and writes nothing."""
        codec = self.codec
        now = codec.now()
        if not data:
            # A session the handler emptied (cleared, or changed to empty)
            # is a logout: deleted even when the request carried no cookie,
            # as a cross-site POST does not (S6.7, S6.8).
            if emptied or changed:
                return self._delete(read)
            return []
        info = read.info
        legacy = info is not None and info.legacy
        # S9.1: the identity a write keeps, or a new one.
        sid: str | None = info.session_id or None if info else None
        sub = info.subject if info else ""
        if renew:
            issued, created, own = now, now, True
            sid, sub = ("new", subject) if subject or self.revocations is not None else (None, "")
        elif changed:
            # A legacy session has no trustworthy created-at: it starts now.
            issued, created, own = now, min(info.created_at, now) if info and not legacy else now, True
            if info is None or legacy:
                sid, sub = None, ""
        else:
            if refused or status >= 400 or info is None:
                return []
            aged = codec.refresh_age > 0 and read.now - info.issued_at >= codec.refresh_age
            if legacy:
                # A migration: the accepted old session is sealed as a new
                # one (S6.5), as Go's Config.Legacy re-issue does.
                issued, created = now, now
            elif aged or framework_refresh:
                issued, created = now, min(info.created_at, now)
            elif info.key_id != codec.key_ids[0]:
                issued, created = info.issued_at, info.created_at
                if now - issued > codec.max_age:
                    self.report(ExpiredCookie(f"cookieseal: cookie expired: older than the max age of {codec.max_age}s at write"), "not written")
                    return []
            else:
                return []
            own = False
        if codec.max_lifetime and now - created > codec.max_lifetime:
            self.report(
                ExpiredCookie(f"cookieseal: cookie expired: session older than the max lifetime of {codec.max_lifetime}s at write"),
                "not written",
            )
            return []
        if sid is None and self.revocations is not None:
            sid = "new"
        try:
            parts = self._seal(data, issued, created, sid, sub)
        except (CookiesealError, UnsupportedValue) as e:
            if own:
                raise
            if isinstance(e, CookiesealError):
                self.report(e, "not re-issued")
            else:
                self.report(InvalidCookie(f"cookieseal: session not re-issued: {type(e).__name__}"), "not re-issued")
            return []
        full = self.full_name
        out = [SetCookie(full, "", s, True) for s in self.legacy_scopes]
        out += [SetCookie(n, v, self.scope, False) for n, v in parts]
        out += [SetCookie(_chunks.part_name(full, k), "", self.scope, True) for k in self._stale(read, len(parts))]
        return out

    def _seal(
        self, data: Mapping[str, Any], issued: int, created: int, sid: str | None = None, subject: str = ""
    ) -> list[tuple[str, str]]:
        full = self.full_name
        limit = len(full) + 1 + self.max_parts * self.codec.max_length
        ident = self.codec._identity(sid, subject)
        value = self.codec._seal_plain(full, dict(data), issued, created, limit, ident)
        return _chunks.split(full, value, self.codec.max_length, self.max_parts, self.max_header_bytes)

    def _delete(self, read: Read) -> list[SetCookie]:
        full = self.full_name
        out = [SetCookie(full, "", s, True) for s in self.legacy_scopes]
        out.append(SetCookie(full, "", self.scope, True))
        out += [SetCookie(_chunks.part_name(full, k), "", self.scope, True) for k in self._stale(read, 1)]
        return out

    def _stale(self, read: Read, count: int) -> list[int]:
        """S5.4: the parts k >= count to expire: those the request carried,
        or, when it carried none of the session's cookies, every part a
        value within the limits could use."""
        if read.carried:
            return [k for k in read.sent if k >= count]
        return list(range(count, _chunks.most_parts(self.full_name, self.codec.max_length, self.max_parts, self.max_header_bytes)))

    # --- rendering --------------------------------------------------------

    def render(self, c: SetCookie, max_age: int | None, expires: str | None = None) -> str:
        """The Set-Cookie line of c with this layer's attributes (S5.1):
        Max-Age max_age (None: a cookie for the browser session), Expires
        when given, HttpOnly, Secure unless insecure, SameSite. An expired
        cookie gets an empty value, Max-Age=0 and an Expires in the past."""
        attrs = [f"{c.name}={c.value}", f"Path={c.scope.path}"]
        if c.scope.domain:
            attrs.append(f"Domain={c.scope.domain}")
        if c.expire:
            attrs += ["Max-Age=0", f"Expires={_EPOCH}"]
        else:
            if expires is not None:
                attrs.append(f"Expires={expires}")
            if max_age is not None:
                attrs.append(f"Max-Age={max_age}")
        if self.http_only:
            attrs.append("HttpOnly")
        if self.secure:
            attrs.append("Secure")
        if self.same_site:
            attrs.append(f"SameSite={self.same_site}")
        if self.partitioned:
            attrs.append("Partitioned")
        return "; ".join(attrs)

    def replaced(self, line: str) -> bool:
        """Whether an earlier Set-Cookie line of the response is for the full
        name or one of its parts in this layer's scope, which a write of the
        session replaces (S5.6). A line without Path is kept: its scope
        depends on the request's path."""
        head, _, rest = line.partition(";")
        n = head.partition("=")[0].strip(" \t")
        if n != self.full_name and not _chunks.part_index(self.full_name, n):
            return False
        domain: str | None = None
        path: str | None = None
        for a in rest.split(";"):
            k, _, v = a.partition("=")
            k = k.strip(" \t").lower()
            if k == "domain":
                domain = v.strip(" \t").lstrip(".").lower() or None
            elif k == "path":
                path = v.strip(" \t")
        mine = (self.scope.domain or "").lstrip(".").lower() or None
        return path == self.scope.path and domain == mine


def cookie_header(values: Sequence[str]) -> str:
    """S2 step 1: the Cookie header fields of a request joined in order."""
    return "; ".join(values)
