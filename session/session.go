package session

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"log"
	"net"
	"net/http"
	"time"

	"github.com/cookieseal/cookieseal"
	"github.com/cookieseal/cookieseal/session/internal/scshook"
)

// Status is the state of a request's session, as in scs.
type Status int

const (
	// Unmodified: the handler has not changed the session.
	Unmodified Status = iota
	// Modified: the handler changed the session (Put, Pop, Remove, Clear
	// of a non-empty session, RenewToken).
	Modified
	// Destroyed: the handler called Destroy and changed nothing since.
	Destroyed
)

// SessionCookie configures the session cookie. Its first fields are scs's;
// the others are cookieseal's CookieOptions.
type SessionCookie struct {
	// Name is the cookie's name, without the "__Host-" prefix that
	// HostPrefix adds. New sets "session".
	Name string

	// Domain is the Domain attribute. Empty (the default) makes a
	// host-only cookie.
	Domain string

	// HttpOnly is always set: the field is here so that code written for
	// scs compiles, and false changes nothing. (The value is sealed, so a
	// script could read only ciphertext anyway.)
	HttpOnly bool

	// Path is the Path attribute; empty means "/".
	Path string

	// SameSite is the SameSite attribute. New sets Lax; 0 also means Lax
	// (scs writes no attribute for 0). None needs Secure.
	SameSite http.SameSite

	// Secure sets the Secure attribute. New sets true, unlike scs (whose
	// default is false): set it to false only for plain-http development
	// on hosts other than localhost, which also drops the "__Host-"
	// prefix (CookieOptions.Insecure).
	Secure bool

	// HostPrefix names the cookie "__Host-" + Name: browsers then keep it
	// only from a secure origin with Secure, Path=/ and no Domain, so no
	// sibling subdomain can set or shadow it. New sets true; it needs Path
	// "/" and no Domain.
	HostPrefix bool

	// SecurePrefix names the cookie "__Secure-" + Name instead: browsers
	// keep it only from a secure origin with Secure, and unlike HostPrefix
	// it allows a Domain and a Path (CookieOptions.SecurePrefix). New sets
	// HostPrefix, so set HostPrefix to false with it.
	SecurePrefix bool

	// MaxChunks is how many cookies one session may span (0: 10), as
	// CookieOptions.MaxChunks.
	MaxChunks int

	// MaxHeaderBytes is how many bytes of Cookie header a session's
	// cookies may take when written (0: 3072, one cookie that passes a
	// stock nginx), as CookieOptions.MaxHeaderBytes.
	MaxHeaderBytes int

	// LegacyScopes are the Domain and Path of cookies of the same name
	// that an earlier deployment set, expired with every write and delete
	// (CookieOptions.LegacyScopes; not with HostPrefix).
	LegacyScopes []cookieseal.CookieScope
}

// Manager loads a request's session from its sealed cookie and saves it
// back. Set its fields after New and before LoadAndSave, which reads them
// once. A Manager is safe for concurrent use; see the package doc for how
// its settings map onto the codec.
type Manager struct {
	// IdleTimeout ends a session that no request has renewed for this long
	// (the cookie's MaxAge, slid forward by refreshes). 0: none.
	IdleTimeout time.Duration

	// Lifetime ends a session this long after it started (RenewToken or
	// its first Put), however active (MaxLifetime, counted from the sealed
	// created-at). New sets 24 hours, as scs does; 0 leaves only the
	// codec's MaxLifetime.
	Lifetime time.Duration

	// Cookie configures the session cookie.
	Cookie SessionCookie

	// ErrorFunc handles an error in saving the session: a value that does
	// not fit (cookieseal.ErrTooLarge), a type the typed form cannot carry
	// (*cookieseal.UnsupportedTypeError), or a session that expired while
	// the request ran (cookieseal.ErrExpired; nothing is written). It is
	// called with the response before the handler's status and body; if it
	// writes a response, what the handler writes afterwards is dropped.
	// New sets one that logs the error and answers 500, as scs's does. It
	// is never called for a bad cookie: see BadCookieFunc.
	ErrorFunc func(http.ResponseWriter, *http.Request, error)

	// BadCookieFunc, when not nil, is told about a cookie that did not
	// open (errors.Is matches cookieseal.ErrInvalid, ErrExpired,
	// ErrUnknownKey or ErrTooLarge; the error never holds the cookie's
	// content). The handler then gets an empty session, and the request
	// goes on: a bad cookie never fails a request. ReadError gives the same
	// error to the handler.
	BadCookieFunc func(*http.Request, error)

	// Revocations, when set, is asked on every load whether the session is
	// revoked (cookieseal.CookieOptions.Revocations, SESSIONS.md S9): a
	// revoked session is an empty one, and BadCookieFunc gets an error
	// matching cookieseal.ErrRevoked. New sessions then carry a session ID;
	// RenewTokenFor names the user.
	Revocations cookieseal.Revocations

	codec *cookieseal.Codec
}

// New returns a Manager that seals sessions with codec, with scs's
// defaults where they are safe: Lifetime 24 hours, no IdleTimeout, a
// cookie named "session" (sent as "__Host-session"), HttpOnly, Secure,
// SameSite=Lax, Path "/", host-only.
func New(codec *cookieseal.Codec) *Manager {
	return &Manager{
		Lifetime:  24 * time.Hour,
		ErrorFunc: defaultErrorFunc,
		Cookie: SessionCookie{
			Name:       "session",
			HttpOnly:   true,
			Path:       "/",
			SameSite:   http.SameSiteLaxMode,
			Secure:     true,
			HostPrefix: true,
		},
		codec: codec,
	}
}

func defaultErrorFunc(w http.ResponseWriter, r *http.Request, err error) {
	log.Output(2, err.Error())
	http.Error(w, http.StatusText(http.StatusInternalServerError), http.StatusInternalServerError)
}

// setup is what LoadAndSave takes from the Manager's fields.
type setup struct {
	codec   *cookieseal.Codec // the Manager's codec with its lifetimes
	cookies *cookieseal.Cookies
	name    string
	onError func(http.ResponseWriter, *http.Request, error)
	onBad   func(*http.Request, error)
}

// Check reports what LoadAndSave would refuse in the Manager's current
// settings (a bad cookie name, HostPrefix with a Domain, a negative
// timeout, ...), or nil.
func (m *Manager) Check() error {
	_, err := m.setup()
	return err
}

// lifetimes maps IdleTimeout and Lifetime onto the codec's MaxAge,
// RefreshAge and MaxLifetime (the package doc has the table).
func (m *Manager) lifetimes() (maxAge, refresh, lifetime time.Duration, err error) {
	c := m.codec
	if m.IdleTimeout < 0 || m.Lifetime < 0 {
		return 0, 0, 0, fmt.Errorf("session: negative IdleTimeout %v or Lifetime %v", m.IdleTimeout, m.Lifetime)
	}
	lifetime = c.MaxLifetime()
	if l := wholeSeconds(m.Lifetime); l > 0 && (lifetime == 0 || l < lifetime) {
		lifetime = l
	}
	switch {
	case m.IdleTimeout > 0:
		maxAge, refresh = wholeSeconds(m.IdleTimeout), c.RefreshAge()
		if refresh == 0 || refresh >= maxAge {
			refresh = maxAge / 10
		}
	case m.Lifetime > 0:
		maxAge, refresh = wholeSeconds(lifetime), c.RefreshAge()
		if refresh >= maxAge {
			refresh = 0
		}
	default:
		maxAge, refresh = c.MaxAge(), c.RefreshAge()
	}
	return maxAge, refresh, lifetime, nil
}

// wholeSeconds rounds d up to whole seconds, as the codec does.
func wholeSeconds(d time.Duration) time.Duration {
	if frac := d % time.Second; frac != 0 {
		d += time.Second - frac
	}
	return d
}

func (m *Manager) setup() (*setup, error) {
	if m.codec == nil {
		return nil, errors.New("session: New needs a codec")
	}
	maxAge, refresh, lifetime, err := m.lifetimes()
	if err != nil {
		return nil, err
	}
	codec, err := m.codec.WithLifetimes(maxAge, refresh, lifetime)
	if err != nil {
		return nil, fmt.Errorf("session: %w", err)
	}
	c := m.Cookie
	if c.Name == "" {
		return nil, errors.New("session: Cookie.Name is empty")
	}
	cookies, err := cookieseal.NewCookies(codec, cookieseal.CookieOptions{
		Path:           c.Path,
		Domain:         c.Domain,
		SameSite:       c.SameSite,
		HostPrefix:     c.HostPrefix,
		SecurePrefix:   c.SecurePrefix,
		Insecure:       !c.Secure,
		MaxChunks:      c.MaxChunks,
		MaxHeaderBytes: c.MaxHeaderBytes,
		LegacyScopes:   c.LegacyScopes,
		Revocations:    m.Revocations,
	})
	if err != nil {
		return nil, fmt.Errorf("session: %w", err)
	}
	// Cookies checks a name at each call: check it once here, on a request
	// without cookies, so that no request meets a configuration error.
	var probe map[any]any
	if _, err := cookies.Read(&http.Request{Header: http.Header{}}, c.Name, &probe); !errors.Is(err, http.ErrNoCookie) {
		return nil, fmt.Errorf("session: Cookie.Name: %w", err)
	}
	s := &setup{codec: codec, cookies: cookies, name: c.Name, onError: m.ErrorFunc, onBad: m.BadCookieFunc}
	if s.onError == nil {
		s.onError = defaultErrorFunc
	}
	return s, nil
}

// LoadAndSave returns middleware that reads the request's session cookie
// once, gives next the session through the request's context, and writes
// the session back before the first byte of the response (or after next
// returns, if it wrote nothing), only when the handler changed it, or when
// a re-issue is due (a key rotation, or a refresh for IdleTimeout) and the
// handler did not refuse the session (Refuse, or a status of 400 or more).
// A session that the handler emptied (Destroy, or removing its last key)
// is deleted, with all its parts, even when the request carried no cookie
// (a logout, SESSIONS.md S6.7).
//
// LoadAndSave reads the Manager's fields when it is called, and panics if
// they are invalid (Check says why beforehand), as http.Handle panics on a
// bad pattern: a configuration error stops the program at start, never a
// request.
func (m *Manager) LoadAndSave(next http.Handler) http.Handler {
	s, err := m.setup()
	if err != nil {
		panic(err.Error())
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if _, ok := r.Context().Value(ctxKey{m}).(*state); ok {
			next.ServeHTTP(w, r) // an outer LoadAndSave of m loads and saves
			return
		}
		w.Header().Add("Vary", "Cookie")
		st := s.load(r)
		r = r.WithContext(context.WithValue(r.Context(), ctxKey{m}, st))
		sw := &responseWriter{ResponseWriter: w, s: s, st: st, r: r}
		next.ServeHTTP(sw, r)
		sw.commit(http.StatusOK)
	})
}

// ctxKey keys a Manager's session in a context.
type ctxKey struct{ m *Manager }

// load reads the session of r. It writes nothing (SESSIONS.md S6.1).
func (s *setup) load(r *http.Request) *state {
	st := &state{values: map[string]any{}}
	var raw map[any]any
	info, err := s.cookies.Read(r, s.name, &raw)
	if errors.Is(err, http.ErrNoCookie) {
		return st
	}
	if err == nil {
		var values map[string]any
		if values, err = stringKeys(raw); err == nil {
			st.values, st.info, st.read = values, info, true
			return st
		}
	}
	st.readErr = err
	if s.onBad != nil {
		s.onBad(r, err)
	}
	return st
}

// stringKeys returns the session values of a cookie with string keys. A
// session sealed elsewhere with another key type (gorilla/sessions allows
// any) is refused whole, as a bad cookie (SESSIONS.md S6.9).
func stringKeys(raw map[any]any) (map[string]any, error) {
	values := make(map[string]any, len(raw))
	for k, v := range raw {
		ks, ok := k.(string)
		if !ok {
			return nil, fmt.Errorf("%w: session: a key of type %T; the manager reads string keys only", cookieseal.ErrInvalid, k)
		}
		values[ks] = v
	}
	return values, nil
}

// save writes what the session needs, given the response's status, and
// returns the error to hand to ErrorFunc. It runs once per request.
func (s *setup) save(w http.ResponseWriter, r *http.Request, st *state, code int) error {
	st.mu.Lock()
	status, empty, renew, read, info, subject := st.status, len(st.values) == 0, st.renew, st.read, st.info, st.subject
	refused := st.refused || code >= 400
	var values map[any]any
	if !empty {
		values = make(map[any]any, len(st.values))
		for k, v := range st.values {
			values[k] = v
		}
	}
	st.mu.Unlock()

	switch {
	case status == Destroyed || status == Modified && empty:
		// A logout, even when the request carried no cookie: a cross-site
		// request does not send SameSite=Lax cookies (SESSIONS.md S6.7).
		return s.cookies.Delete(w, r, s.name)
	case status == Modified && renew && subject != "":
		return s.cookies.Login(w, r, s.name, values, subject) // a login that names the user
	case status == Modified && (renew || !read):
		return s.cookies.Write(w, r, s.name, values) // a new session: created-at now
	case status == Modified:
		// Refresh and Reissue fail with ErrExpired, and write nothing, for
		// a session that expired while the request ran (SESSIONS.md S6.6).
		return s.cookies.Refresh(w, r, s.name, values, info)
	case read && info.Reissue && !refused:
		return s.cookies.Reissue(w, r, s.name, values, info)
	}
	return nil
}

// responseWriter saves the session before the response's first byte.
type responseWriter struct {
	http.ResponseWriter
	s         *setup
	st        *state
	r         *http.Request
	committed bool
	dropped   bool // ErrorFunc wrote a response: the handler's is dropped
}

// commit saves the session once, for a response of status code.
func (w *responseWriter) commit(code int) {
	if w.committed {
		return
	}
	w.committed = true
	if err := w.s.save(w.ResponseWriter, w.r, w.st, code); err != nil {
		tw := &trackingWriter{ResponseWriter: w.ResponseWriter}
		w.s.onError(tw, w.r, err)
		w.dropped = tw.wrote
	}
}

func (w *responseWriter) WriteHeader(code int) {
	if code >= 100 && code < 200 && code != http.StatusSwitchingProtocols {
		w.ResponseWriter.WriteHeader(code) // 1xx: the status comes later
		return
	}
	w.commit(code)
	if !w.dropped {
		w.ResponseWriter.WriteHeader(code)
	}
}

func (w *responseWriter) Write(b []byte) (int, error) {
	w.commit(http.StatusOK)
	if w.dropped {
		return len(b), nil
	}
	return w.ResponseWriter.Write(b)
}

// Flush saves the session, then flushes.
func (w *responseWriter) Flush() {
	w.commit(http.StatusOK)
	if !w.dropped {
		_ = http.NewResponseController(w.ResponseWriter).Flush()
	}
}

// Hijack hands the connection over, as the underlying ResponseWriter does;
// nothing is saved.
func (w *responseWriter) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	return http.NewResponseController(w.ResponseWriter).Hijack()
}

// Unwrap gives http.ResponseController the underlying ResponseWriter.
func (w *responseWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// trackingWriter notes whether ErrorFunc wrote a response.
type trackingWriter struct {
	http.ResponseWriter
	wrote bool
}

func (w *trackingWriter) WriteHeader(code int) { w.wrote = true; w.ResponseWriter.WriteHeader(code) }
func (w *trackingWriter) Write(b []byte) (int, error) {
	w.wrote = true
	return w.ResponseWriter.Write(b)
}
func (w *trackingWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

func init() {
	scshook.NewContext = func(m any, ctx context.Context, values map[string]any) context.Context {
		return context.WithValue(ctx, ctxKey{m.(*Manager)}, &state{values: values})
	}
}
