// Package gorillastore is a gorilla/sessions Store that seals sessions with
// cookieseal. It implements sessions.Store, so echo-contrib/session takes it
// as it is; package ginstore adapts it to gin-contrib/sessions.
//
// Compared with cookieseal in a sessions.CookieStore's Codecs, the Store:
//
//   - keeps one MaxAge: the store's Options.MaxAge (or MaxAge method) is both
//     the browser's Max-Age and the lifetime the codec accepts, so a cookie
//     25 hours old opens under a 7-day store;
//   - returns errors that errors.Is matches against cookieseal.ErrInvalid,
//     ErrExpired, ErrUnknownKey and ErrTooLarge (gorilla's MultiError hides
//     them), and that answer gorilla's securecookie.Error methods;
//   - splits a session too large for one cookie into parts with the layout of
//     cookieseal.Cookies once MaxLength allows more than one cookie, and
//     expires every part when a session is deleted;
//   - keeps a session's created-at on Save (Config.MaxLifetime counts from
//     the login), and its issued-at too on a rotation Reissue;
//   - sets "Cache-Control: no-store" on every response that sets or deletes
//     the cookie;
//   - re-seals with the current key on every Save, and Reissue re-issues a
//     session opened from an old key, only once the handler has accepted it;
//   - with LegacyScopes, expires the cookie that an earlier store set under
//     another Domain or Path, so that it cannot shadow the new one and
//     deleting the session ends it.
//
// Session values keep their Go types (an int stays an int) through
// cookieseal's typed form.
package gorillastore

import (
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gorilla/securecookie"
	"github.com/gorilla/sessions"

	"github.com/cookieseal/cookieseal"
)

// hostPrefix is the cookie name prefix that browsers accept only with
// Secure, Path=/ and no Domain.
const hostPrefix = "__Host-"

// Store keeps gorilla sessions in cookies sealed by a cookieseal.Codec.
// Configure it before serving; after that it is safe for concurrent use.
type Store struct {
	// Options are the cookie attributes of new sessions; New copies them
	// into each session, which may then change its own copy. Options.MaxAge
	// is also the lifetime the codec accepts (see MaxAge).
	Options *sessions.Options

	codec  *cookieseal.Codec
	mu     sync.Mutex   // serializes rebuilding cur
	budget atomic.Int64 // MaxHeaderBytes of the Cookies (MaxLength); 0 for cookieseal's default
	cur    atomic.Pointer[state]
	legacy atomic.Pointer[[]cookieseal.CookieScope] // LegacyScopes, Path "" made "/"
}

// maxChunks is the most parts a session may span once MaxLength allows
// more than one cookie: browsers promise only 50 cookies per domain.
const maxChunks = 50

// state is what the store seals and opens with for one store MaxAge and
// one MaxLength.
type state struct {
	maxAge int                 // the Options.MaxAge it was built for
	budget int                 // the MaxHeaderBytes it was built for
	codec  *cookieseal.Codec   // the store's codec with that MaxAge
	plain  *cookieseal.Cookies // names as given
	host   *cookieseal.Cookies // names that start with __Host-
}

// New returns a Store that seals with codec, with safe cookie attributes:
// Path=/, HttpOnly, Secure, SameSite=Lax and Max-Age equal to the codec's
// MaxAge. codec keeps its keyring: SetSecrets on it (or a
// cookieseal.Reloader) rotates the store's keys too.
func New(codec *cookieseal.Codec) (*Store, error) {
	if codec == nil {
		return nil, errors.New("gorillastore: New needs a codec")
	}
	s := &Store{
		Options: &sessions.Options{
			Path:     "/",
			MaxAge:   int(codec.MaxAge() / time.Second),
			Secure:   true,
			HttpOnly: true,
			SameSite: http.SameSiteLaxMode,
		},
		codec: codec,
	}
	if _, err := s.state(); err != nil {
		return nil, err
	}
	return s, nil
}

// NewFromConfig is New with a codec made from cfg.
func NewFromConfig(cfg cookieseal.Config) (*Store, error) {
	codec, err := cookieseal.New(cfg)
	if err != nil {
		return nil, err
	}
	return New(codec)
}

// MaxAge sets the store's Options.MaxAge, in seconds, as gorilla's
// CookieStore.MaxAge does, and with it the lifetime the codec accepts: a
// cookie opens while it is at most age seconds old. Zero or less keeps the
// lifetime of the codec given to New (0 makes browser-session cookies; a
// negative age deletes every session on Save). Sessions may set a shorter
// Options.MaxAge than the store's, never a longer one (Save refuses it); a
// shorter one only tells the browser to drop the cookie sooner: the codec
// still opens it until the store's MaxAge.
func (s *Store) MaxAge(age int) {
	s.Options.MaxAge = age
	_, _ = s.state() // an invalid age is reported by Get, New and Save
}

// MaxLength sets how many bytes of cookie one session may take, as
// gorilla's FilesystemStore.MaxLength does: each part's name, "=" and
// value, and "; " between parts, as in a request's Cookie header
// (cookieseal.CookieOptions.MaxHeaderBytes). The default is
// cookieseal.DefaultMaxHeaderBytes (3072 bytes): one cookie, which a stock
// nginx passes both ways. More splits a session into parts (the cookies
// name, name.1, ..., as cookieseal.Cookies does), at most 50: raise it only
// once every proxy in front of the application accepts longer headers.
// Less than 256 counts as 256. Zero or less, which is "no limit" to
// gorilla, restores the default here: every part costs header bytes on
// every request, and a write expires every part the budget allows that the
// request does not show, so there is no unlimited mode.
func (s *Store) MaxLength(l int) {
	switch {
	case l <= 0:
		l = 0 // cookieseal's default
	case l < minLength:
		l = minLength
	}
	s.budget.Store(int64(l))
	_, _ = s.state()
}

// minLength is the least MaxLength, cookieseal's least MaxHeaderBytes.
const minLength = 256

// LegacyScopes names the Domain and Path of the cookies that an earlier
// store set under the same session names with other attributes: a gorilla
// CookieStore whose Options had Domain "example.com", say, while this store
// sets host-only cookies. A browser keeps such a cookie beside the new one
// and sends it first; the store opens the new one first, but the old one
// would outlive a logout and open again (through a cookieseal.Config.Legacy
// decoder) once the new cookie is gone. With its scope named, Save, Reissue
// and deleting a session (Options.MaxAge < 0) also expire the cookie under
// each scope, before setting the new one. An empty Domain means a host-only
// cookie, an empty Path "/"; the expiring cookies carry the scope's Domain
// and Path and the session's other Options (Secure, SameSite, ...). A scope
// equal to a session's own Domain and Path is skipped for that session.
// Sessions whose names start with "__Host-" are left alone: an old cookie
// of that name can only have had their own scope.
//
// Keep the scopes until the old cookies' lifetime has passed since the
// switch. A Path that does not start with "/" or holds a ';' or a control
// character, or an invalid Domain, is an error, and the scopes are left
// as they were. No scopes (the default) turns it off.
func (s *Store) LegacyScopes(scopes ...cookieseal.CookieScope) error {
	var checked []cookieseal.CookieScope
	for _, l := range scopes {
		if l.Path == "" {
			l.Path = "/"
		}
		if !strings.HasPrefix(l.Path, "/") || strings.ContainsFunc(l.Path, func(r rune) bool { return r == ';' || r < 0x20 || r == 0x7f }) {
			return usage(fmt.Errorf("gorillastore: LegacyScopes: Path %q does not start with / or holds a ';' or control character", l.Path))
		}
		if l.Domain != "" {
			if err := (&http.Cookie{Name: "n", Value: "v", Domain: l.Domain}).Valid(); err != nil {
				return usage(fmt.Errorf("gorillastore: LegacyScopes: Domain %q: %w", l.Domain, err))
			}
		}
		checked = append(checked, l)
	}
	s.legacy.Store(&checked)
	return nil
}

// legacyScopes returns the LegacyScopes that apply to a session called
// name with the options opts.
func (s *Store) legacyScopes(name string, opts *sessions.Options) []cookieseal.CookieScope {
	p := s.legacy.Load()
	if p == nil || strings.HasPrefix(name, hostPrefix) {
		return nil
	}
	var out []cookieseal.CookieScope
	for _, l := range *p {
		if l.Path == opts.Path && strings.EqualFold(strings.TrimPrefix(l.Domain, "."), strings.TrimPrefix(opts.Domain, ".")) {
			continue // the session's own cookie, which Save sets and Delete expires
		}
		out = append(out, l)
	}
	return out
}

// state returns the codec and Cookies for the store's current
// Options.MaxAge and MaxLength, building them when either has changed.
func (s *Store) state() (*state, error) {
	age, budget := s.Options.MaxAge, int(s.budget.Load())
	if st := s.cur.Load(); st != nil && st.maxAge == age && st.budget == budget {
		return st, nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if st := s.cur.Load(); st != nil && st.maxAge == age && st.budget == budget {
		return st, nil
	}
	codec := s.codec
	if age > 0 {
		var err error
		if codec, err = s.codec.WithMaxAge(time.Duration(age) * time.Second); err != nil {
			return nil, usage(fmt.Errorf("gorillastore: store MaxAge %d: %w", age, err))
		}
	}
	// The attributes of these Cookies do not matter: Save rewrites every
	// cookie they write with the session's Options.
	opts := cookieseal.CookieOptions{Insecure: true, MaxChunks: maxChunks, MaxHeaderBytes: budget}
	plain, err := cookieseal.NewCookies(codec, opts)
	if err != nil {
		return nil, usage(err)
	}
	opts.Insecure, opts.HostPrefix = false, true
	host, err := cookieseal.NewCookies(codec, opts)
	if err != nil {
		return nil, usage(err)
	}
	st := &state{maxAge: age, budget: budget, codec: codec, plain: plain, host: host}
	s.cur.Store(st)
	return st, nil
}

// cookies returns the Cookies that handles the cookie called name, and the
// name to give it.
func (st *state) cookies(name string) (*cookieseal.Cookies, string) {
	if short, ok := strings.CutPrefix(name, hostPrefix); ok {
		return st.host, short
	}
	return st.plain, name
}

// Get returns the session called name, from the request's registry when
// New already made it for this request (see sessions.GetRegistry). A bad
// cookie gives a new session and an error; a missing one a new session and
// no error.
func (s *Store) Get(r *http.Request, name string) (*sessions.Session, error) {
	return sessions.GetRegistry(r).Get(s, name)
}

// New returns the session called name, opened from the request's cookie
// (and its parts), without registering it. A missing cookie gives a new
// session (IsNew) and no error; a cookie that does not open gives a new
// session and an error that errors.Is matches against one of cookieseal's
// ErrInvalid, ErrExpired, ErrUnknownKey and ErrTooLarge, and whose IsDecode
// method is true.
func (s *Store) New(r *http.Request, name string) (*sessions.Session, error) {
	session := sessions.NewSession(s, name)
	opts := *s.Options
	session.Options = &opts
	session.IsNew = true
	st, err := s.state()
	if err != nil {
		return session, err
	}
	ck, short := st.cookies(name)
	var values map[any]any
	if _, err := ck.Read(r, short, &values); err != nil {
		if errors.Is(err, http.ErrNoCookie) {
			return session, nil
		}
		return session, classify(err, true)
	}
	if values != nil {
		session.Values = values
	}
	session.IsNew = false
	return session, nil
}

// Save seals the session's values into its cookie, in several parts if it
// does not fit one, with the session's Options as cookie attributes, and
// sets "Cache-Control: no-store". The Options are used as they are, as
// gorilla's stores do (so a session whose Options were replaced by ones
// without HttpOnly or Secure gets a cookie without them), except that a
// zero SameSite means SameSite=Lax (http.SameSiteDefaultMode leaves the
// attribute out). A session whose Options.MaxAge is
// negative is deleted: its cookie and every part of it that the request
// carries are expired. Save expires the parts that a previously larger
// session left, and replaces the Set-Cookie lines that an earlier Save of
// the same session added to w. Call it before the response's first Write.
//
// A session too large for the parts allowed fails with an error matching
// cookieseal.ErrTooLarge, and w is left as it was; so does a session whose
// Options.MaxAge is longer than the store's (raise the store's MaxAge).
func (s *Store) Save(r *http.Request, w http.ResponseWriter, session *sessions.Session) error {
	return s.save(r, w, session, func(ck *cookieseal.Cookies, rec http.ResponseWriter, short string, values map[any]any) error {
		// A session that came from a cookie keeps its created-at
		// (MaxLifetime counts from the login); saving it is a deliberate
		// refresh, so its issued-at moves to now.
		var info cookieseal.Info
		if !session.IsNew {
			info, _ = ck.Read(r, short, new(map[any]any))
		}
		return ck.Refresh(rec, r, short, values, info)
	})
}

// sealFunc writes values as the cookie short through ck into w.
type sealFunc func(ck *cookieseal.Cookies, w http.ResponseWriter, short string, values map[any]any) error

// save is Save with the sealing step given (Save and Reissue differ only
// there).
func (s *Store) save(r *http.Request, w http.ResponseWriter, session *sessions.Session, seal sealFunc) error {
	st, err := s.state()
	if err != nil {
		return err
	}
	opts := session.Options
	if opts == nil {
		opts = s.Options
	}
	ck, short := st.cookies(session.Name())
	if short != session.Name() && (!opts.Secure || opts.Path != "/" || opts.Domain != "") {
		return usage(fmt.Errorf("gorillastore: session %q: browsers keep a %s cookie only with Secure, Path=/ and no Domain", session.Name(), hostPrefix))
	}
	legacy := s.legacyScopes(session.Name(), opts)
	if opts.MaxAge < 0 {
		return s.emit(w, opts, session.Name(), legacy, func(rec http.ResponseWriter) error { return ck.Delete(rec, r, short) })
	}
	if limit := st.codec.MaxAge(); time.Duration(opts.MaxAge)*time.Second > limit {
		return usage(fmt.Errorf("gorillastore: session %q: MaxAge %ds is longer than the store's %v, after which the cookie no longer opens; raise the store's MaxAge", session.Name(), opts.MaxAge, limit))
	}
	values := session.Values
	if values == nil {
		values = map[any]any{}
	}
	return s.emit(w, opts, session.Name(), legacy, func(rec http.ResponseWriter) error { return seal(ck, rec, short, values) })
}

// marker separates, in a scratch header, the Set-Cookie lines that were
// there before a Write or Delete from those it added. It has no "=", so
// Cookies never takes it for one of its cookies.
const marker = "gorillastore-marker"

// emit runs write (a Cookies Write or Delete) against a scratch copy of w's
// Set-Cookie lines, then puts the result into w with every cookie the write
// added given opts as attributes (an expired one stays expired), preceded
// by a cookie that expires the cookie name under each scope in legacy,
// with that scope's Domain and Path. The write drops the Set-Cookie lines
// of name that w held, those expiring cookies included, so a second Save
// replaces them too. On error w is left as it was.
func (s *Store) emit(w http.ResponseWriter, opts *sessions.Options, name string, legacy []cookieseal.CookieScope, write func(http.ResponseWriter) error) error {
	old := w.Header().Values("Set-Cookie")
	rec := &headerWriter{h: http.Header{}}
	for _, l := range old {
		rec.h.Add("Set-Cookie", l)
	}
	rec.h.Add("Set-Cookie", marker)
	if err := write(rec); err != nil {
		return classify(err, false)
	}
	lines := rec.h.Values("Set-Cookie")
	h := w.Header()
	h.Del("Set-Cookie")
	added := false
	for _, l := range lines {
		if l == marker {
			added = true
			for _, scope := range legacy { // first, as cookieseal.Cookies does
				o := *opts
				o.Domain, o.Path, o.MaxAge = scope.Domain, scope.Path, -1
				if o.SameSite == 0 {
					o.SameSite = http.SameSiteLaxMode
				}
				http.SetCookie(w, sessions.NewCookie(name, "", &o))
			}
			continue
		}
		if !added {
			h.Add("Set-Cookie", l)
			continue
		}
		c, err := http.ParseSetCookie(l)
		if err != nil { // cannot happen: Cookies wrote it
			return fmt.Errorf("gorillastore: reading back a Set-Cookie line: %w", err)
		}
		o := *opts
		switch {
		case c.MaxAge < 0:
			o.MaxAge = -1
		case o.MaxAge > c.MaxAge && c.MaxAge > 0:
			o.MaxAge = c.MaxAge // what MaxLifetime leaves of the session
		}
		if o.SameSite == 0 {
			o.SameSite = http.SameSiteLaxMode
		}
		http.SetCookie(w, sessions.NewCookie(c.Name, c.Value, &o))
	}
	h.Set("Cache-Control", "no-store")
	return nil
}

// headerWriter is a ResponseWriter that only collects headers.
type headerWriter struct{ h http.Header }

func (w *headerWriter) Header() http.Header         { return w.h }
func (w *headerWriter) Write(b []byte) (int, error) { return len(b), nil }
func (w *headerWriter) WriteHeader(int)             {}

// Info opens the request's cookie called name again and returns what its
// sealed header says: when it was issued, which key sealed it, whether it
// should be re-issued (Reissue). Use it to judge a session, for example to
// refuse one issued before the user's last password change, before saving
// it. A missing cookie gives http.ErrNoCookie.
func (s *Store) Info(r *http.Request, name string) (cookieseal.Info, error) {
	st, err := s.state()
	if err != nil {
		return cookieseal.Info{}, err
	}
	ck, short := st.cookies(name)
	var values map[any]any // what New decodes into, so Legacy decoders open it too
	info, err := ck.Read(r, short, &values)
	if err != nil {
		if errors.Is(err, http.ErrNoCookie) {
			return cookieseal.Info{}, err
		}
		return cookieseal.Info{}, classify(err, true)
	}
	return info, nil
}

// Reissue saves the session called name again when the cookie it came from
// should be re-issued: sealed with a key that no longer seals, older than
// the codec's RefreshAge, or opened by a Legacy decoder. It reports whether
// it saved. Call it once the handler has accepted the session (it writes
// nothing for a new session, or when the cookie needs no re-issue), before
// the response's first Write. A handler that calls Save anyway needs no
// Reissue: Save always seals with the current key.
func (s *Store) Reissue(r *http.Request, w http.ResponseWriter, name string) (bool, error) {
	info, err := s.Info(r, name)
	switch {
	case errors.Is(err, http.ErrNoCookie):
		return false, nil
	case err != nil:
		return false, err
	case !info.Reissue:
		return false, nil
	}
	session, err := s.Get(r, name)
	if err != nil {
		return false, err
	}
	if session.IsNew {
		return false, nil
	}
	if err := s.save(r, w, session, func(ck *cookieseal.Cookies, rec http.ResponseWriter, short string, values map[any]any) error {
		return ck.Reissue(rec, r, short, values, info)
	}); err != nil {
		return false, err
	}
	return true, nil
}

// storeError wraps the errors of the store: errors.Is and errors.As see
// through it, and it answers gorilla's securecookie.Error methods.
type storeError struct {
	err    error
	decode bool // else usage
}

var _ securecookie.Error = (*storeError)(nil)

func (e *storeError) Error() string    { return e.err.Error() }
func (e *storeError) Unwrap() error    { return e.err }
func (e *storeError) IsUsage() bool    { return !e.decode }
func (e *storeError) IsDecode() bool   { return e.decode }
func (e *storeError) IsInternal() bool { return false }
func (e *storeError) Cause() error     { return e.err }

func usage(err error) error { return &storeError{err: err} }

// classify wraps an error of Cookies.Read (decoding) or of Write and
// Delete: a cookie that does not open is a decode error; anything else (a
// bad name, a value too large or of a type the typed form cannot carry) is
// the caller's.
func classify(err error, decoding bool) error {
	if decoding {
		for _, s := range []error{cookieseal.ErrInvalid, cookieseal.ErrExpired, cookieseal.ErrUnknownKey, cookieseal.ErrTooLarge} {
			if errors.Is(err, s) {
				return &storeError{err: err, decode: true}
			}
		}
	}
	return usage(err)
}
