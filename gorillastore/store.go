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
//     the login), and its issued-at too on a rotation Reissue, from what Get
//     read, never reading the cookie twice; a session that expired while
//     the request ran is not saved (ErrExpired), and Renew starts a new
//     session at login;
//   - sets "Cache-Control: no-store" on every response that sets or deletes
//     the cookie;
//   - re-seals with the current key on every Save, and Reissue re-issues a
//     session opened from an old key, only once the handler has accepted it;
//   - with LegacyScopes, expires the cookie that an earlier store set under
//     another Domain or Path, so that it cannot shadow the new one and
//     deleting the session ends it;
//   - reads the request's cookies as SESSIONS.md says (through
//     cookieseal.Cookies), so a request with thousands of cookies of the
//     name costs at most a small constant times a legitimate read.
//
// The store follows the session layer of SESSIONS.md, except where
// gorilla's API decides: Save writes whenever the application calls it (it
// is the application's "store this session"), a refused session is one the
// handler does not Save, and session names are the full cookie names, so
// names that start with exactly "__Host-" or "__Secure-" take that prefix's
// rules.
//
// Session values keep their Go types (an int stays an int) through
// cookieseal's typed form.
package gorillastore

import (
	"errors"
	"fmt"
	"net/http"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"weak"

	"github.com/gorilla/securecookie"
	"github.com/gorilla/sessions"

	"github.com/cookieseal/cookieseal"
	"github.com/cookieseal/cookieseal/internal/vary"
)

// hostPrefix is the cookie name prefix that browsers accept only with
// Secure, Path=/ and no Domain; securePrefix the one they accept only with
// Secure (SESSIONS.md S3.2).
const (
	hostPrefix   = "__Host-"
	securePrefix = "__Secure-"
)

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
	parts  atomic.Int64 // MaxChunks of the Cookies (MaxParts); 0 for cookieseal's default
	cur    atomic.Pointer[state]
	legacy atomic.Pointer[[]cookieseal.CookieScope] // LegacyScopes, Path "" made "/"
	rev    cookieseal.Revocations                   // Revocations; guarded by mu

	// reads holds, for each session that New made, what the read of its
	// cookie learnt, so that Save, Reissue and Info never read the cookie
	// again (SESSIONS.md S6; issue 19). Keys are weak: an entry goes when
	// its session is collected (runtime.AddCleanup), so the table never
	// outlives the requests.
	reads sync.Map // weak.Pointer[sessions.Session] -> *read
}

// read is what the store knows of a session's cookie: the outcome of New's
// read (err nil with info, http.ErrNoCookie, or the cookie's error), or
// renew when Renew started a new session. Entries are never changed, only
// replaced.
type read struct {
	info    cookieseal.Info
	err     error
	renew   bool
	subject string // RenewSubject's
}

// maxPartsLimit is the most parts a session may span: browsers promise
// only 50 cookies per domain.
const maxPartsLimit = 50

// state is what the store seals and opens with for one store MaxAge,
// MaxLength and MaxParts.
type state struct {
	maxAge int                 // the Options.MaxAge it was built for
	budget int                 // the MaxHeaderBytes it was built for
	parts  int                 // the MaxChunks it was built for
	codec  *cookieseal.Codec   // the store's codec with that MaxAge
	plain  *cookieseal.Cookies // names as given
	host   *cookieseal.Cookies // names that start with __Host-
	secure *cookieseal.Cookies // names that start with __Secure-
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

// MaxParts sets how many cookies one session may span (SESSIONS.md S1, the
// part limit), 1 to 50; zero or less restores the default,
// cookieseal.DefaultMaxChunks (10), and more than 50 counts as 50. Only
// MaxLength past one cookie makes sessions of several parts. The store
// reads a session of up to MaxParts parts and refuses one of more with
// ErrTooLarge, so lowering it logs out sessions of more parts: lower
// MaxLength first (it binds Save only, so no new session takes more parts)
// and MaxParts one MaxAge later (SESSIONS.md S4.7).
func (s *Store) MaxParts(n int) {
	switch {
	case n <= 0:
		n = 0 // cookieseal's default
	case n > maxPartsLimit:
		n = maxPartsLimit
	}
	s.parts.Store(int64(n))
	_, _ = s.state()
}

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
// Sessions whose names start with "__Host-" or "__Secure-" are left
// alone: the old cookies had another name (SESSIONS.md S5.5).
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
	if p == nil || strings.HasPrefix(name, hostPrefix) || strings.HasPrefix(name, securePrefix) {
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
// Options.MaxAge, MaxLength and MaxParts, building them when one has
// changed.
func (s *Store) state() (*state, error) {
	age, budget, parts := s.Options.MaxAge, int(s.budget.Load()), int(s.parts.Load())
	if st := s.cur.Load(); st != nil && st.maxAge == age && st.budget == budget && st.parts == parts {
		return st, nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if st := s.cur.Load(); st != nil && st.maxAge == age && st.budget == budget && st.parts == parts {
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
	opts := cookieseal.CookieOptions{Insecure: true, MaxChunks: parts, MaxHeaderBytes: budget, Revocations: s.rev}
	plain, err := cookieseal.NewCookies(codec, opts)
	if err != nil {
		return nil, usage(err)
	}
	opts.Insecure, opts.HostPrefix = false, true
	host, err := cookieseal.NewCookies(codec, opts)
	if err != nil {
		return nil, usage(err)
	}
	opts.HostPrefix, opts.SecurePrefix = false, true
	secure, err := cookieseal.NewCookies(codec, opts)
	if err != nil {
		return nil, usage(err)
	}
	st := &state{maxAge: age, budget: budget, parts: parts, codec: codec, plain: plain, host: host, secure: secure}
	s.cur.Store(st)
	return st, nil
}

// cookies returns the Cookies that handles the cookie called name, the
// name to give it, and the prefix it has ("" for none).
func (st *state) cookies(name string) (ck *cookieseal.Cookies, short, prefix string) {
	if short, ok := strings.CutPrefix(name, hostPrefix); ok {
		return st.host, short, hostPrefix
	}
	if short, ok := strings.CutPrefix(name, securePrefix); ok {
		return st.secure, short, securePrefix
	}
	return st.plain, name, ""
}

// remember records what the store knows of session's cookie, replacing
// what it knew. The entry goes when session is collected.
func (s *Store) remember(session *sessions.Session, r *read) {
	key := weak.Make(session)
	if _, loaded := s.reads.Swap(key, r); !loaded {
		runtime.AddCleanup(session, func(k weak.Pointer[sessions.Session]) { s.reads.Delete(k) }, key)
	}
}

// recall returns what the store knows of session's cookie, nil when New
// did not make it (sessions.NewSession in the application, or another
// store).
func (s *Store) recall(session *sessions.Session) *read {
	if r, ok := s.reads.Load(weak.Make(session)); ok {
		return r.(*read)
	}
	return nil
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
	ck, short, _ := st.cookies(name)
	var values map[any]any
	info, err := ck.Read(r, short, &values)
	if err != nil && !errors.Is(err, http.ErrNoCookie) {
		err = classify(err, true)
	}
	s.remember(session, &read{info: info, err: err})
	if err != nil {
		if errors.Is(err, http.ErrNoCookie) {
			return session, nil
		}
		return session, err
	}
	if values != nil {
		session.Values = values
	}
	session.IsNew = false
	return session, nil
}

// Renew starts a new session in session, for a login: its Values are
// emptied (nothing of the session before the login is carried into it),
// IsNew is set, and the next Save seals it with an issued-at and a
// created-at of now, whatever cookie the request carried (SESSIONS.md
// S6.5). Config.MaxLifetime then counts from this login, and a check such
// as "created before the last password change" passes for the new session
// only. Call it, then set the session's values, then Save.
func (s *Store) Renew(session *sessions.Session) {
	session.Values = map[any]any{}
	session.IsNew = true
	s.remember(session, &read{err: http.ErrNoCookie, renew: true})
}

// RenewSubject is Renew for a login that names the user: the new session
// gets a new random session ID and subject, the application's user ID
// (cookieseal.Cookies.Login), so that a revocation list can end it alone or
// with every other session of the user (see Revocations).
func (s *Store) RenewSubject(session *sessions.Session, subject string) {
	session.Values = map[any]any{}
	session.IsNew = true
	s.remember(session, &read{err: http.ErrNoCookie, renew: true, subject: subject})
}

// Revocations makes the store ask list, on every Get or New that opens a
// cookie, whether the session is revoked (cookieseal.Revocations,
// SESSIONS.md S9): a revoked session is a new, empty one, and the error
// matches cookieseal.ErrRevoked. New sessions then carry a session ID.
// Call it before serving; nil turns it off.
func (s *Store) Revocations(list cookieseal.Revocations) {
	s.mu.Lock()
	s.rev = list
	s.cur.Store(nil) // rebuilt with the list by the next state()
	s.mu.Unlock()
	_, _ = s.state()
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
// A session that New opened from a cookie keeps that cookie's created-at
// (Config.MaxLifetime counts from the login) and gets an issued-at of now:
// saving it is a deliberate refresh. What New learnt is used: Save never
// reads the cookie again. A session whose MaxLifetime has passed since
// its created-at (it expired while the request ran) is not saved: Save
// fails with an error matching cookieseal.ErrExpired whose IsDecode is
// true, and writes nothing (SESSIONS.md S6.6); call Renew to start a new
// one. A session New did not open (no cookie, a cookie that did not open,
// Renew, or a session the application made with sessions.NewSession)
// starts a new session: issued-at and created-at of now.
//
// A session too large for the parts allowed fails with an error matching
// cookieseal.ErrTooLarge, and w is left as it was; so does a session whose
// Options.MaxAge is longer than the store's (raise the store's MaxAge).
func (s *Store) Save(r *http.Request, w http.ResponseWriter, session *sessions.Session) error {
	known := s.recall(session)
	return s.save(r, w, session, func(ck *cookieseal.Cookies, rec http.ResponseWriter, short string, values map[any]any) error {
		if known != nil && known.renew && known.subject != "" {
			return ck.Login(rec, r, short, values, known.subject)
		}
		if known == nil || known.err != nil || known.renew {
			return ck.Write(rec, r, short, values)
		}
		return ck.Refresh(rec, r, short, values, known.info)
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
	ck, short, prefix := st.cookies(session.Name())
	switch {
	case prefix == hostPrefix && (!opts.Secure || opts.Path != "/" || opts.Domain != ""):
		return usage(fmt.Errorf("gorillastore: session %q: browsers keep a %s cookie only with Secure, Path=/ and no Domain", session.Name(), hostPrefix))
	case prefix == securePrefix && !opts.Secure:
		return usage(fmt.Errorf("gorillastore: session %q: browsers keep a %s cookie only with Secure", session.Name(), securePrefix))
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

// emit runs write (a Cookies Write, Refresh, Reissue or Delete) against a
// scratch header, then puts the cookies it set into w with opts as
// attributes (an expired one stays expired; Max-Age is opts.MaxAge,
// whatever the sealed times, SESSIONS.md S5.2), preceded by a cookie that
// expires the cookie name under each scope in legacy. It first drops the
// lines that an earlier Save of this session put in w: name and its parts
// under the session's Domain and Path, and name under the legacy scopes;
// the application's own lines, for other names or other scopes, are kept
// (SESSIONS.md S5.6). On error w is left as it was.
func (s *Store) emit(w http.ResponseWriter, opts *sessions.Options, name string, legacy []cookieseal.CookieScope, write func(http.ResponseWriter) error) error {
	rec := &headerWriter{h: http.Header{}}
	if err := write(rec); err != nil {
		return classify(err, errors.Is(err, cookieseal.ErrExpired))
	}
	var set []*http.Cookie
	for _, l := range rec.h.Values("Set-Cookie") {
		c, err := http.ParseSetCookie(l)
		if err != nil { // cannot happen: Cookies wrote it
			return fmt.Errorf("gorillastore: reading back a Set-Cookie line: %w", err)
		}
		set = append(set, c)
	}
	h := w.Header()
	scopes := append([]cookieseal.CookieScope{{Domain: opts.Domain, Path: opts.Path}}, legacy...)
	dropLines(h, name, scopes)
	for _, scope := range legacy { // first, as cookieseal.Cookies does
		o := *opts
		o.Domain, o.Path, o.MaxAge = scope.Domain, scope.Path, -1
		if o.SameSite == 0 {
			o.SameSite = http.SameSiteLaxMode
		}
		http.SetCookie(w, sessions.NewCookie(name, "", &o))
	}
	for _, c := range set {
		o := *opts
		if c.MaxAge < 0 {
			o.MaxAge = -1
		}
		if o.SameSite == 0 {
			o.SameSite = http.SameSiteLaxMode
		}
		http.SetCookie(w, sessions.NewCookie(c.Name, c.Value, &o))
	}
	h.Set("Cache-Control", "no-store")
	vary.AddCookie(h)
	return nil
}

// dropLines removes from h the Set-Cookie lines for the cookie name, and
// for its parts name.1, name.2, ..., whose Domain and Path are those of
// one of scopes (Domains compared without a leading "." and in any letter
// case), and keeps every other line.
func dropLines(h http.Header, name string, scopes []cookieseal.CookieScope) {
	lines := h.Values("Set-Cookie")
	var keep []string
	for _, l := range lines {
		if !ownLine(l, name, scopes) {
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

// ownLine reports whether the Set-Cookie line l sets the cookie name, or a
// part of it, under one of scopes.
func ownLine(l, name string, scopes []cookieseal.CookieScope) bool {
	n, _, _ := strings.Cut(l, "=")
	n = strings.TrimSpace(n)
	if n != name && !isPart(name, n) {
		return false
	}
	c, err := http.ParseSetCookie(l)
	if err != nil {
		return false
	}
	for _, sc := range scopes {
		if c.Path == sc.Path && strings.EqualFold(strings.TrimPrefix(c.Domain, "."), strings.TrimPrefix(sc.Domain, ".")) {
			return true
		}
	}
	return false
}

// isPart reports whether cookie is name.k, k a canonical decimal of 1 or
// more.
func isPart(name, cookie string) bool {
	k, ok := strings.CutPrefix(cookie, name+".")
	return ok && k != "" && k[0] != '0' && strings.Trim(k, "0123456789") == ""
}

// headerWriter is a ResponseWriter that only collects headers.
type headerWriter struct{ h http.Header }

func (w *headerWriter) Header() http.Header         { return w.h }
func (w *headerWriter) Write(b []byte) (int, error) { return len(b), nil }
func (w *headerWriter) WriteHeader(int)             {}

// Info returns what the sealed header of the request's cookie called name
// says: when it was issued and created, which key sealed it, whether it
// should be re-issued (Reissue). Use it to judge a session, for example to
// refuse one issued before the user's last password change, before saving
// it. It takes the session from the request's registry (Get), so it uses
// what Get read and opens nothing again. A missing cookie gives
// http.ErrNoCookie, a cookie that did not open Get's error, and a session
// that Renew started http.ErrNoCookie too (it has no cookie yet).
func (s *Store) Info(r *http.Request, name string) (cookieseal.Info, error) {
	session, err := s.Get(r, name)
	if err != nil {
		return cookieseal.Info{}, err
	}
	known := s.recall(session)
	if known == nil {
		// Not made by this store's New: read the cookie as New would.
		st, err := s.state()
		if err != nil {
			return cookieseal.Info{}, err
		}
		ck, short, _ := st.cookies(name)
		var values map[any]any // what New decodes into, so Legacy decoders open it too
		info, err := ck.Read(r, short, &values)
		if err != nil && !errors.Is(err, http.ErrNoCookie) {
			err = classify(err, true)
		}
		return info, err
	}
	if known.err != nil {
		return cookieseal.Info{}, known.err
	}
	return known.info, nil
}

// Reissue saves the session called name again when the cookie it came from
// should be re-issued: sealed with a key that no longer seals, older than
// the codec's RefreshAge, or opened by a Legacy decoder. It reports whether
// it saved. Call it once the handler has accepted the session (it writes
// nothing for a new session, or when the cookie needs no re-issue), before
// the response's first Write. A handler that calls Save anyway needs no
// Reissue: Save always seals with the current key. It takes the session
// from the request's registry (Get), and re-issues from what Get read. A
// rotation re-issue keeps the cookie's issued-at; when the cookie has
// expired since Get read it (its MaxAge or MaxLifetime passed while the
// request ran), Reissue fails with ErrExpired and writes nothing.
func (s *Store) Reissue(r *http.Request, w http.ResponseWriter, name string) (bool, error) {
	session, err := s.Get(r, name)
	if err != nil {
		return false, err
	}
	known := s.recall(session)
	if session.IsNew || known == nil || known.err != nil || known.renew || !known.info.Reissue {
		return false, nil
	}
	if err := s.save(r, w, session, func(ck *cookieseal.Cookies, rec http.ResponseWriter, short string, values map[any]any) error {
		return ck.Reissue(rec, r, short, values, known.info)
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
