package cookieseal

import (
	"errors"
	"fmt"
	"net/http"
	"reflect"
	"strings"
	"time"
)

// DefaultMaxChunks is the most cookies one value may span when
// CookieOptions.MaxChunks is 0: about 40 KB of cookie at the default
// MaxLength.
const DefaultMaxChunks = 10

// maxChunksLimit caps CookieOptions.MaxChunks. Browsers promise only 50
// cookies per domain (RFC 6265, section 6.1), shared by every cookie of the
// site.
const maxChunksLimit = 50

// hostPrefix is the cookie name prefix that browsers accept only with
// Secure, Path=/ and no Domain, from a secure origin.
const hostPrefix = "__Host-"

// CookieOptions sets the attributes of the cookies that a [Cookies] writes.
// The zero value is the safe default: HttpOnly, Secure, SameSite=Lax, Path=/,
// host-only, Max-Age equal to the codec's MaxAge, up to DefaultMaxChunks
// cookies per value. HttpOnly is always set.
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
	// given to Write, Read and Delete stay without the prefix. Insecure
	// leaves the prefix out.
	HostPrefix bool

	// Insecure drops the Secure attribute, and the "__Host-" prefix with
	// it, so that cookies work over plain http in local development. Set it
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
}

// Cookies writes values as sealed cookies with safe attributes and reads
// them back. A value too long for one cookie is split across several:
// the cookie called name holds the first part, name.1, name.2, ... the rest,
// and every part counts its own name against the codec's MaxLength. The
// value is sealed once, before it is split, so a missing, extra, reordered or
// foreign part makes Read fail with ErrInvalid. Every cookie named
// name.<number> counts as a part, so keep no other cookie under such a name.
//
// Every response that sets or deletes a cookie through Cookies also gets
// "Cache-Control: no-store", so that no shared cache stores one user's
// session cookie for another (Flask CVE-2023-30861).
//
// A Cookies is safe for concurrent use.
type Cookies struct {
	codec      *Codec
	path       string
	domain     string
	sameSite   http.SameSite
	secure     bool
	hostPrefix bool
	maxChunks  int
}

// NewCookies validates opts and returns a Cookies that seals with codec.
// Every configuration error is reported here.
func NewCookies(codec *Codec, opts CookieOptions) (*Cookies, error) {
	if codec == nil {
		return nil, errors.New("cookieseal: NewCookies needs a codec")
	}
	s := &Cookies{
		codec:      codec,
		path:       opts.Path,
		domain:     opts.Domain,
		sameSite:   opts.SameSite,
		secure:     !opts.Insecure,
		hostPrefix: opts.HostPrefix && !opts.Insecure,
		maxChunks:  opts.MaxChunks,
	}
	if s.path == "" {
		s.path = "/"
	}
	if s.sameSite == 0 || s.sameSite == http.SameSiteDefaultMode {
		s.sameSite = http.SameSiteLaxMode
	}
	if s.maxChunks == 0 {
		s.maxChunks = DefaultMaxChunks
	}
	switch {
	case s.maxChunks < 0 || s.maxChunks > maxChunksLimit:
		return nil, fmt.Errorf("cookieseal: MaxChunks %d, want 1 to %d", opts.MaxChunks, maxChunksLimit)
	case s.sameSite != http.SameSiteLaxMode && s.sameSite != http.SameSiteStrictMode && s.sameSite != http.SameSiteNoneMode:
		return nil, fmt.Errorf("cookieseal: unknown SameSite mode %d", s.sameSite)
	case s.sameSite == http.SameSiteNoneMode && !s.secure:
		return nil, errors.New("cookieseal: SameSite=None needs Secure, so it cannot go with Insecure")
	case opts.HostPrefix && (s.path != "/" || s.domain != ""):
		return nil, errors.New(`cookieseal: HostPrefix needs Path "/" and no Domain`)
	case !strings.HasPrefix(s.path, "/") || strings.ContainsAny(s.path, ";\x00\r\n"):
		return nil, fmt.Errorf("cookieseal: Path %q does not start with / or holds a ';' or control character", s.path)
	}
	if s.domain != "" {
		if err := (&http.Cookie{Name: "n", Value: "v", Domain: s.domain}).Valid(); err != nil {
			return nil, fmt.Errorf("cookieseal: Domain %q: %w", s.domain, err)
		}
	}
	return s, nil
}

// Write seals value into the cookie called name (and, if it is too long
// for one, into name.1, name.2, ...), adds the cookies to w's headers and
// sets "Cache-Control: no-store". Call it before the response's first
// Write or WriteHeader.
//
// r is the request being answered: the parts of a previously longer value
// that it carries are expired, so that a session that shrinks leaves no
// parts behind. A nil r expires every part name.1 to name.<MaxChunks-1>.
// Set-Cookie headers that an earlier Write or Delete in the same response
// added for name are replaced.
//
// A value whose sealed form does not fit MaxChunks cookies fails with
// ErrTooLarge, and w is left as it was.
func (s *Cookies) Write(w http.ResponseWriter, r *http.Request, name string, value any) error {
	full, err := s.fullName(name)
	if err != nil {
		return err
	}
	total := s.capacity(full, s.maxChunks)
	v, err := s.codec.encode(full, value, len(full)+1+total)
	if err != nil {
		return fmt.Errorf("cookieseal: cookie %q in at most %d cookies: %w", full, s.maxChunks, err)
	}
	parts := s.split(full, v)
	h := w.Header()
	dropSetCookies(h, full)
	h.Set("Cache-Control", "no-store")
	maxAge := max(1, int(s.codec.maxAge/time.Second)) // 0 would make a browser-session cookie
	for i, p := range parts {
		http.SetCookie(w, s.cookie(chunkName(full, i), p, maxAge))
	}
	for _, i := range s.sentChunks(r, full) {
		if i >= len(parts) {
			http.SetCookie(w, s.cookie(chunkName(full, i), "", -1))
		}
	}
	return nil
}

// Read opens the cookie called name in r (with its parts name.1, ... if it
// was split) into dst, which must be a non-nil pointer, as Codec.DecodeInfo
// does. A request without the cookie gets http.ErrNoCookie; a bad cookie
// gets one of the codec's errors (ErrInvalid, ErrExpired, ErrUnknownKey,
// ErrTooLarge). On any error dst is left as it was.
//
// When the returned Info has Reissue set, the cookie should be written again
// (see ReadAndReissue).
func (s *Cookies) Read(r *http.Request, name string, dst any) (Info, error) {
	full, err := s.fullName(name)
	if err != nil {
		return Info{}, err
	}
	v, err := s.join(r, full)
	if err != nil {
		return Info{}, err
	}
	return s.codec.decode(full, v, dst, len(full)+1+s.capacity(full, s.maxChunks))
}

// ReadAndReissue is Read that also writes the cookie again to w when Info
// says Reissue: when it was sealed with a key that no longer seals, is older
// than the codec's RefreshAge, or was opened by a Legacy decoder. The new
// cookie seals what dst holds after decoding, so JSON fields that dst has no
// place for are dropped. If writing fails, the error says so and dst is left
// as it was. Call it before the response's first Write or WriteHeader.
func (s *Cookies) ReadAndReissue(w http.ResponseWriter, r *http.Request, name string, dst any) (Info, error) {
	rv := reflect.ValueOf(dst)
	if rv.Kind() != reflect.Pointer || rv.IsNil() {
		return s.Read(r, name, dst) // reports the bad dst
	}
	fresh := reflect.New(rv.Type().Elem())
	info, err := s.Read(r, name, fresh.Interface())
	if err != nil {
		return Info{}, err
	}
	if info.Reissue {
		if err := s.Write(w, r, name, fresh.Elem().Interface()); err != nil {
			return Info{}, fmt.Errorf("cookieseal: re-issuing: %w", err)
		}
	}
	rv.Elem().Set(fresh.Elem())
	return info, nil
}

// Delete expires the cookie called name and every part of it that r
// carries (every possible part if r is nil), replaces any Set-Cookie for
// them that an earlier Write added to w, and sets "Cache-Control: no-store".
func (s *Cookies) Delete(w http.ResponseWriter, r *http.Request, name string) error {
	full, err := s.fullName(name)
	if err != nil {
		return err
	}
	h := w.Header()
	dropSetCookies(h, full)
	h.Set("Cache-Control", "no-store")
	http.SetCookie(w, s.cookie(full, "", -1))
	for _, i := range s.sentChunks(r, full) {
		http.SetCookie(w, s.cookie(chunkName(full, i), "", -1))
	}
	return nil
}

// fullName checks name and returns it with the prefix the options ask for.
func (s *Cookies) fullName(name string) (string, error) {
	full := name
	if s.hostPrefix {
		full = hostPrefix + name
	}
	if err := (&http.Cookie{Name: full, Value: "v"}).Valid(); err != nil {
		return "", fmt.Errorf("cookieseal: cookie name %q: %w", name, err)
	}
	lower := strings.ToLower(name)
	if strings.HasPrefix(lower, "__host-") || strings.HasPrefix(lower, "__secure-") {
		return "", fmt.Errorf("cookieseal: cookie name %q: use CookieOptions.HostPrefix rather than a prefix in the name", name)
	}
	if s.chunkCap(full, s.maxChunks-1) < minChunkSize {
		return "", fmt.Errorf("cookieseal: cookie name %q is too long for MaxLength %d", name, s.codec.maxLength)
	}
	return full, nil
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

// dropSetCookies removes from h the Set-Cookie lines for the cookie full
// and its parts.
func dropSetCookies(h http.Header, full string) {
	lines := h.Values("Set-Cookie")
	var keep []string
	for _, l := range lines {
		n, _, _ := strings.Cut(l, "=")
		n = strings.TrimSpace(n)
		if n == full || chunkIndex(full, n) > 0 {
			continue
		}
		keep = append(keep, l)
	}
	if len(keep) == len(lines) {
		return
	}
	h.Del("Set-Cookie")
	for _, l := range keep {
		h.Add("Set-Cookie", l)
	}
}
