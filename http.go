package cookieseal

import (
	"github.com/cookieseal/cookieseal/internal/vary"

	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"
)

// DefaultMaxChunks is the most cookies one value may span when
// CookieOptions.MaxChunks is 0. At the default MaxHeaderBytes a value fits
// one cookie; the part cap matters once MaxHeaderBytes is raised.
const DefaultMaxChunks = 10

// DefaultMaxHeaderBytes is the most bytes of name=value the cookies of one
// value may take when CookieOptions.MaxHeaderBytes is 0 (with "; " between
// parts, as in a request's Cookie header). A stock nginx in front of the
// application answers 502 when the response headers it gets from the
// application pass 4 KB (proxy_buffer_size, one memory page), which one
// full 4096-byte cookie with its attributes already does; this leaves about
// 800 bytes for the application's other response headers. curl (about 8 KB
// of cookies) and nginx (an 8 KB request header line) allow more on the way
// in. The README, "Size, and sessions past 4 KB", has the measurements.
const DefaultMaxHeaderBytes = 3072 // bytes

// minHeaderBytes is the least CookieOptions.MaxHeaderBytes accepted.
const minHeaderBytes = 256 // bytes

// maxChunksLimit caps CookieOptions.MaxChunks. Browsers promise only 50
// cookies per domain (RFC 6265, section 6.1), shared by every cookie of the
// site.
const maxChunksLimit = 50

// hostPrefix is the cookie name prefix that browsers accept only with
// Secure, Path=/ and no Domain, from a secure origin.
const hostPrefix = "__Host-"

// securePrefix is the cookie name prefix that browsers accept only with
// Secure, from a secure origin.
const securePrefix = "__Secure-"

// CookieOptions sets the attributes of the cookies that a [Cookies] writes.
// The zero value is the safe default: HttpOnly, Secure, SameSite=Lax, Path=/,
// host-only, Max-Age equal to the codec's MaxAge, and a value's cookies
// within DefaultMaxHeaderBytes. HttpOnly is always set.
type CookieOptions struct {
	// Path is the Path attribute. Empty means "/".
	Path string

	// Domain is the Domain attribute. Empty, the default and the safest,
	// makes host-only cookies that no sibling subdomain can read or shadow.
	Domain string

	// SameSite is the SameSite attribute. Zero (or http.SameSiteDefaultMode)
	// means SameSite=Lax. http.SameSiteNoneMode needs Secure, so it cannot
	// go with Insecure.
	SameSite http.SameSite

	// HostPrefix puts "__Host-" before every cookie name. Browsers keep such
	// a cookie only if it came with Secure, Path=/ and no Domain from an
	// https page, so neither a subdomain nor a plain-http response can set or
	// shadow it. It requires Path "/" (or empty) and no Domain. The names
	// given to Write, Read and Delete stay without the prefix, but the name
	// that is sealed, and that Codec.Decode or "cookieseal open -name" must
	// be given, is the full cookie name: "__Host-session", not "session".
	// Insecure leaves the prefix out.
	HostPrefix bool

	// SecurePrefix puts "__Secure-" before every cookie name. Browsers keep
	// such a cookie only if it came with Secure from an https page, so no
	// plain-http response can set or shadow it; unlike HostPrefix it allows
	// a Domain and a Path, and so does not keep a sibling subdomain from
	// setting one. Use HostPrefix unless you need a Domain or a Path. The
	// sealed name is the full cookie name, as with HostPrefix. It cannot go
	// with HostPrefix, nor with LegacyScopes; Insecure leaves it out.
	SecurePrefix bool

	// Insecure drops the Secure attribute, and the "__Host-" or
	// "__Secure-" prefix with it, so that cookies work over plain http in local development. Set it
	// in one place from a flag or an environment variable that production
	// never sets; never in production, where the cookie would then travel
	// over any plain-http request to the site. Chromium and Go's cookiejar
	// already keep Secure and __Host- cookies from http://localhost and
	// 127.0.0.1, so it is needed only for other browsers, other host names
	// and other clients.
	Insecure bool

	// MaxChunks is the most cookies one value may span (see Cookies). Zero
	// means DefaultMaxChunks (10); 1 turns chunking off; more than 50 is an
	// error.
	MaxChunks int

	// MaxHeaderBytes is the most bytes the cookies of one value may take:
	// each part's name, "=" and value, and "; " between parts, as in the
	// Cookie header of a request (the Set-Cookie lines of a response add the
	// attributes). Write fails with ErrTooLarge past it and writes nothing.
	// Zero means DefaultMaxHeaderBytes (3072): one cookie, which passes a
	// stock nginx reverse proxy both ways and curl. To store more, and split
	// values over several cookies, raise it once every proxy in front of the
	// application accepts longer headers (nginx: proxy_buffer_size and
	// proxy_buffers for responses, large_client_header_buffers for requests;
	// curl sends no more than about 8 KB of cookies). Read accepts any value
	// within MaxChunks cookies, whatever this budget, so lowering it logs
	// nobody out. Less than 256 is an error.
	MaxHeaderBytes int

	// LegacyScopes names the Domain and Path of cookies of the same names
	// that an earlier deployment set with other attributes (a gorilla
	// store's Domain=example.com, say). Write, Refresh, Reissue and Delete
	// expire the cookie under each of these scopes too (before setting the
	// new one), so that an old cookie cannot shadow the new one and logout
	// ends the session. Keep them until the old cookies' lifetime has
	// passed since the switch. The cookies' own Domain and Path, and
	// HostPrefix or SecurePrefix (old cookies had another name), are
	// errors.
	LegacyScopes []CookieScope

	// Revocations, when set, is asked on every Read whether the session is
	// revoked (SESSIONS.md S9), before dst changes and before anything can
	// be re-issued; a revoked session fails with ErrRevoked. Write then
	// seals a session ID into every new session (as Config.SessionIDs
	// does), and Revoke and RevokeSubject record revocations.
	Revocations Revocations
}

// CookieScope is the Domain and Path under which a browser keeps a cookie.
// An empty Domain means a host-only cookie; an empty Path means "/".
type CookieScope struct {
	Domain string // the Domain attribute; empty for a host-only cookie
	Path   string // the Path attribute; empty means "/"
}

// Cookies writes values as sealed cookies with safe attributes and reads
// them back. A value too long for one cookie is sealed once and split
// across several: the cookie called name holds the number of parts, a ".",
// and the first part; name.1, name.2, ... the rest (SPEC.md section 10).
// Read reads exactly the parts the first cookie counts, so stale or planted
// parts beyond them cannot make a session unreadable.
//
// The name given to Write, Read and Delete is the cookie's name, without
// the "__Host-" prefix that CookieOptions.HostPrefix adds; the name that is
// sealed (authenticated with the value) is the full cookie name, prefix
// included.
//
// Read parses the request's Cookie header as SESSIONS.md S2 says (only SP
// and HTAB are trimmed; a name that is not a token, or a value that is not
// cookie octets, is skipped) and reads as its S4 says. When a request
// carries several cookies of the name (one set under another Domain or
// Path, or an old gorilla/securecookie cookie), Read tries the ones that
// look like cookieseal cookies first, in the request's order, then the
// others, each distinct value once, and returns the first that opens; of
// each part it keeps the first two distinct values, and tries the second
// when the first does not open (a planted or stale duplicate). It opens at
// most 4 assembled values, so no request costs more than a small constant
// times reading a legitimate session of MaxChunks full cookies.
//
// Every response that sets or deletes a cookie through Cookies also gets
// "Cache-Control: no-store" and "Vary: Cookie", so that no shared cache stores one user's
// session cookie for another (Flask CVE-2023-30861).
//
// A Cookies is safe for concurrent use.
type Cookies struct {
	codec       *Codec
	path        string
	domain      string
	sameSite    http.SameSite
	secure      bool
	prefix      string // "", hostPrefix or securePrefix
	maxChunks   int
	headerBytes int
	legacy      []CookieScope
	revocations Revocations
}

// NewCookies validates opts and returns a Cookies that seals with codec.
// Every configuration error is reported here.
func NewCookies(codec *Codec, opts CookieOptions) (*Cookies, error) {
	if codec == nil {
		return nil, errors.New("cookieseal: NewCookies needs a codec")
	}
	s := &Cookies{
		codec:       codec,
		path:        opts.Path,
		domain:      opts.Domain,
		sameSite:    opts.SameSite,
		secure:      !opts.Insecure,
		maxChunks:   opts.MaxChunks,
		headerBytes: opts.MaxHeaderBytes,
		revocations: opts.Revocations,
	}
	if s.path == "" {
		s.path = "/"
	}
	switch {
	case opts.Insecure: // no Secure attribute, so no prefix (SESSIONS.md S3.3)
	case opts.HostPrefix:
		s.prefix = hostPrefix
	case opts.SecurePrefix:
		s.prefix = securePrefix
	}
	if s.sameSite == 0 || s.sameSite == http.SameSiteDefaultMode {
		s.sameSite = http.SameSiteLaxMode
	}
	if s.maxChunks == 0 {
		s.maxChunks = DefaultMaxChunks
	}
	if s.headerBytes == 0 {
		s.headerBytes = DefaultMaxHeaderBytes
	}
	switch {
	case s.maxChunks < 1 || s.maxChunks > maxChunksLimit: // 0 became DefaultMaxChunks above
		return nil, fmt.Errorf("cookieseal: MaxChunks %d, want 1 to %d", opts.MaxChunks, maxChunksLimit)
	case s.headerBytes < minHeaderBytes:
		return nil, fmt.Errorf("cookieseal: MaxHeaderBytes %d, want at least %d", opts.MaxHeaderBytes, minHeaderBytes)
	case s.sameSite != http.SameSiteLaxMode && s.sameSite != http.SameSiteStrictMode && s.sameSite != http.SameSiteNoneMode:
		return nil, fmt.Errorf("cookieseal: unknown SameSite mode %d", s.sameSite)
	case s.sameSite == http.SameSiteNoneMode && !s.secure:
		return nil, errors.New("cookieseal: SameSite=None needs Secure, so it cannot go with Insecure")
	case opts.HostPrefix && opts.SecurePrefix:
		return nil, errors.New("cookieseal: HostPrefix and SecurePrefix cannot both be set")
	case opts.HostPrefix && (s.path != "/" || s.domain != ""):
		return nil, errors.New(`cookieseal: HostPrefix needs Path "/" and no Domain`)
	}
	if err := checkScope(s.domain, s.path); err != nil {
		return nil, err
	}
	if s.prefix != "" && len(opts.LegacyScopes) > 0 {
		// The old cookies had no prefix: another name, which Read never
		// reads and a browser keeps beside the new one.
		return nil, errors.New("cookieseal: LegacyScopes needs HostPrefix and SecurePrefix off: cookies of an earlier deployment had another name")
	}
	for _, l := range opts.LegacyScopes {
		if l.Path == "" {
			l.Path = "/"
		}
		if err := checkScope(l.Domain, l.Path); err != nil {
			return nil, fmt.Errorf("cookieseal: LegacyScopes: %w", err)
		}
		if strings.EqualFold(strings.TrimPrefix(l.Domain, "."), strings.TrimPrefix(s.domain, ".")) && l.Path == s.path {
			// Expiring it would expire the cookie Write has just set.
			return nil, fmt.Errorf("cookieseal: LegacyScopes: Domain %q and Path %q are the cookies' own", l.Domain, l.Path)
		}
		s.legacy = append(s.legacy, l)
	}
	return s, nil
}

// checkScope checks a Domain and Path attribute.
func checkScope(domain, path string) error {
	if !strings.HasPrefix(path, "/") || strings.ContainsAny(path, ";\x00\r\n") {
		return fmt.Errorf("cookieseal: Path %q does not start with / or holds a ';' or control character", path)
	}
	if domain != "" {
		if err := (&http.Cookie{Name: "n", Value: "v", Domain: domain}).Valid(); err != nil {
			return fmt.Errorf("cookieseal: Domain %q: %w", domain, err)
		}
	}
	return nil
}

// Write seals value into the cookie called name (and, if it is too long
// for one, into name.1, name.2, ...), adds the cookies to w's headers and
// sets "Cache-Control: no-store". Call it before the response's first
// Write or WriteHeader.
//
// Write starts a session: the cookie's issued-at and created-at are now.
// To write a changed value for the session a request carries, use Refresh
// with the Info that Read returned, which keeps the session's created-at
// (Config.MaxLifetime counts from it).
//
// r is the request being answered: the parts of a previously longer value
// that it carries are expired; when it carries no cookie of the name (a
// cross-site POST does not send SameSite=Lax cookies), or is nil, every part
// a value could have is expired. Parts left behind anyway do no harm: Read
// reads only the parts the first cookie counts. Set-Cookie lines that an
// earlier Write, Refresh, Reissue or Delete in the same response added for
// name and its parts with these options' Domain and Path (or under one of
// the LegacyScopes) are replaced; lines for name under another Domain or
// Path, which the application set itself, are kept (SESSIONS.md S5.6).
//
// A value whose sealed form does not fit MaxChunks cookies or
// MaxHeaderBytes fails with ErrTooLarge, and w is left as it was.
func (s *Cookies) Write(w http.ResponseWriter, r *http.Request, name string, value any) error {
	return s.write(w, r, name, value, s.codec.newSession(s.sessionIDs(), ""))
}

// Login is Write for a login: it starts a session with a new random session
// ID and subject, the application's user ID (at most 255 bytes of UTF-8;
// empty for none), sealed in the cookie and kept by Refresh and Reissue.
// Read reports them in Info.SessionID and Info.Subject, and Revoke and
// RevokeSubject use them ("log out this device", "log out everywhere").
func (s *Cookies) Login(w http.ResponseWriter, r *http.Request, name string, value any, subject string) error {
	if err := checkSubject(subject); err != nil {
		return err
	}
	return s.write(w, r, name, value, s.codec.newSession(true, subject))
}

// sessionIDs reports whether new sessions get a session ID.
func (s *Cookies) sessionIDs() bool { return s.codec.sessionIDs || s.revocations != nil }

// Reissue writes value again, sealed with the key that now seals, when
// info.Reissue is set, and does nothing otherwise. info is what Read
// returned for the cookie name of r, and value what it decoded (as the
// handler holds it now). Call it after the handler has judged the session
// (revocation, "issued before the last password change", and so on) and
// accepted it, before the response's first Write or WriteHeader: a refused
// session is simply not re-issued.
//
// The re-issued cookie keeps the session's created-at, and its issued-at
// unless it is at least Config.RefreshAge old (see Codec.Reissue), so a
// rotation re-issue extends nothing. A cookie that a Legacy decoder opened
// is re-issued with times of now.
//
// A session that has expired since Read (its issued-at is more than the
// codec's MaxAge ago, or its created-at more than MaxLifetime, at the time
// of writing) is not re-issued: Reissue fails with ErrExpired and writes
// nothing (SESSIONS.md S6.6).
func (s *Cookies) Reissue(w http.ResponseWriter, r *http.Request, name string, value any, info Info) error {
	if !info.Reissue {
		return nil
	}
	return s.write(w, r, name, value, s.reissueTimes(info, false))
}

// reissueTimes is Codec.reissueTimes, giving a session without an ID one
// when this Cookies seals IDs.
func (s *Cookies) reissueTimes(info Info, refresh bool) sealTimes {
	t := s.codec.reissueTimes(info, refresh)
	if t.sid == nil && s.sessionIDs() {
		t.sid = newSessionID()
	}
	return t
}

// Refresh writes value for the session that info describes (what Read
// returned for the cookie name of r), moving its issued-at to now and
// keeping its created-at: use it to store a changed session, or to slide
// its expiry on activity. Config.MaxLifetime still counts from the
// session's start. With a zero Info (Read found no cookie) it starts a
// session, as Write does, so "read, change, Refresh" needs no special case.
//
// A session whose MaxLifetime has passed since its created-at at the time
// of writing (it expired while the request ran) is not revived: Refresh
// fails with ErrExpired and writes nothing (SESSIONS.md S6.6). Start a new
// one with Write.
func (s *Cookies) Refresh(w http.ResponseWriter, r *http.Request, name string, value any, info Info) error {
	return s.write(w, r, name, value, s.reissueTimes(info, true))
}

func (s *Cookies) write(w http.ResponseWriter, r *http.Request, name string, value any, t sealTimes) error {
	full, err := s.fullName(name)
	if err != nil {
		return err
	}
	if err := s.codec.checkWriteTimes(t); err != nil {
		return fmt.Errorf("cookieseal: cookie %s not written: %w", full, err)
	}
	room := s.room(full)
	v, err := s.codec.encode(full, value, len(full)+1+room, t)
	if err != nil {
		return fmt.Errorf("cookieseal: cookie %s in at most %d cookies and %d bytes of Cookie header: %w", full, s.maxChunks, s.headerBytes, err)
	}
	parts := s.split(full, v)
	h := w.Header()
	s.dropSetCookies(h, full)
	h.Set("Cache-Control", "no-store")
	vary.AddCookie(h)
	for _, l := range s.legacy { // first, in case a client stores both as one
		http.SetCookie(w, s.expire(full, l))
	}
	maxAge := s.maxAgeAttr()
	for i, p := range parts {
		http.SetCookie(w, s.cookie(chunkName(full, i), p, maxAge))
	}
	for _, i := range s.staleParts(r, full, len(parts)) {
		http.SetCookie(w, s.cookie(chunkName(full, i), "", -1))
	}
	return nil
}

// maxAgeAttr is the Max-Age attribute of every cookie written: the codec's
// MaxAge in whole seconds (New and WithMaxAge round it up), whatever the
// sealed times (SESSIONS.md S5.2). A remaining lifetime would state the
// confidential issued-at and created-at to the second; a cookie the
// browser keeps after it stops opening reads as ErrExpired.
func (s *Cookies) maxAgeAttr() int {
	return int(s.codec.maxAge / time.Second)
}

// Read opens the cookie called name in r (with its parts name.1, ... if it
// was split) into dst, which must be a non-nil pointer, as Codec.DecodeInfo
// does. A request without the cookie gets http.ErrNoCookie; a bad cookie
// gets one of the codec's errors (ErrInvalid, ErrExpired, ErrUnknownKey,
// ErrTooLarge), or, with CookieOptions.Revocations, ErrRevoked for a session
// the list refuses (checked before dst changes, so a revoked session never
// reaches the handler or a re-issue). On any error dst is left as it was.
// Read writes nothing.
//
// When the returned Info has Reissue set, the handler judges the session
// first (revoked? issued before the last password change?) and, only if it
// accepts it, calls Reissue.
func (s *Cookies) Read(r *http.Request, name string, dst any) (Info, error) {
	full, err := s.fullName(name)
	if err != nil {
		return Info{}, err
	}
	var f found
	s.collect(r, full, &f)
	attempts, n := s.attempts(&f)
	if n == 0 {
		return Info{}, http.ErrNoCookie
	}
	var first error
	var check func(Info) error
	if s.revocations != nil {
		check = s.revokeCheck(r.Context())
	}
	for _, a := range attempts[:n] {
		v, err := s.join(full, &f, a)
		if err == nil {
			var info Info
			if info, err = s.codec.decodeCheck(full, v, dst, len(full)+1+len(v), check); err == nil {
				return info, nil
			}
		}
		if first == nil {
			first = err
		}
	}
	return Info{}, first
}

// Delete expires the cookie called name, every part of it that r carries
// (every possible part if r is nil or carries no cookie of the name), and
// the cookie under every CookieOptions.LegacyScopes; it replaces the
// Set-Cookie lines for them that an earlier Write added to w (as Write
// does), and sets "Cache-Control: no-store".
func (s *Cookies) Delete(w http.ResponseWriter, r *http.Request, name string) error {
	full, err := s.fullName(name)
	if err != nil {
		return err
	}
	h := w.Header()
	s.dropSetCookies(h, full)
	h.Set("Cache-Control", "no-store")
	vary.AddCookie(h)
	for _, l := range s.legacy {
		http.SetCookie(w, s.expire(full, l))
	}
	http.SetCookie(w, s.cookie(full, "", -1))
	for _, i := range s.staleParts(r, full, 1) {
		http.SetCookie(w, s.cookie(chunkName(full, i), "", -1))
	}
	return nil
}

// fullName checks name (SESSIONS.md S3.1 and S3.5) and returns it with
// the prefix the options ask for.
func (s *Cookies) fullName(name string) (string, error) {
	full := s.prefix + name
	if err := (&http.Cookie{Name: full, Value: "v"}).Valid(); err != nil {
		return "", fmt.Errorf("cookieseal: cookie name %q: %w", name, err)
	}
	lower := strings.ToLower(name)
	if strings.HasPrefix(lower, "__host-") || strings.HasPrefix(lower, "__secure-") {
		return "", fmt.Errorf("cookieseal: cookie name %q: use CookieOptions.HostPrefix or SecurePrefix rather than a prefix in the name", name)
	}
	if partLike(name) {
		return "", fmt.Errorf("cookieseal: cookie name %q ends in \".\" and digits, as the parts of a cookie in parts are named", name)
	}
	if s.chunkCap(full, s.maxChunks-1, s.maxChunks) < minChunkSize {
		return "", fmt.Errorf("cookieseal: cookie name %q is too long for MaxLength %d", name, s.codec.maxLength)
	}
	return full, nil
}

// partLike reports whether name ends in "." and one or more digits, as the
// name of a part does (SESSIONS.md S3.1): such a cookie would be read as a
// part of another.
func partLike(name string) bool {
	i := len(name)
	for i > 0 && name[i-1] >= '0' && name[i-1] <= '9' {
		i--
	}
	return i < len(name) && i > 0 && name[i-1] == '.'
}

// expire returns a cookie that expires the cookie name under scope l.
func (s *Cookies) expire(name string, l CookieScope) *http.Cookie {
	c := s.cookie(name, "", -1)
	c.Domain, c.Path = l.Domain, l.Path
	return c
}

// cookie returns one cookie with the configured attributes. maxAge < 0
// expires it.
func (s *Cookies) cookie(name, value string, maxAge int) *http.Cookie {
	return &http.Cookie{
		Name:     name,
		Value:    value,
		Path:     s.path,
		Domain:   s.domain,
		MaxAge:   maxAge,
		Secure:   s.secure,
		HttpOnly: true,
		SameSite: s.sameSite,
	}
}

// dropSetCookies removes from h the Set-Cookie lines that an earlier
// write of the cookie full put there (SESSIONS.md S5.6): those for full and
// its parts under the options' Domain and Path, and those for full under a
// legacy scope. Lines for other names, or for full under another Domain or
// Path, are the application's and are kept.
func (s *Cookies) dropSetCookies(h http.Header, full string) {
	scopes := append([]CookieScope{{Domain: s.domain, Path: s.path}}, s.legacy...)
	lines := h.Values("Set-Cookie")
	var keep []string
	for _, l := range lines {
		if !ownLine(l, full, scopes) {
			keep = append(keep, l)
		}
	}
	if len(keep) == len(lines) {
		return
	}
	h.Del("Set-Cookie")
	for _, l := range keep {
		h.Add("Set-Cookie", l)
	}
}

// ownLine reports whether the Set-Cookie line l sets full or a part of it
// under one of scopes (Domains compared without a leading "." and in any
// letter case; a line without Path matches no scope).
func ownLine(l, full string, scopes []CookieScope) bool {
	n, _, _ := strings.Cut(l, "=")
	n = strings.TrimSpace(n)
	if n != full && chunkIndex(full, n) == 0 {
		return false
	}
	c, err := http.ParseSetCookie(l)
	if err != nil {
		return false
	}
	for _, sc := range scopes { // NewCookies made every scope's Path non-empty
		if c.Path == sc.Path && strings.EqualFold(strings.TrimPrefix(c.Domain, "."), strings.TrimPrefix(sc.Domain, ".")) {
			return true
		}
	}
	return false
}
