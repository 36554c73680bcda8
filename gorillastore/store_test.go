package gorillastore_test

import (
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gorilla/securecookie"
	"github.com/gorilla/sessions"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cookieseal/cookieseal"
	"github.com/cookieseal/cookieseal/gorillastore"
)

var t0 = time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)

// clock is a settable time source for Config.Now.
type clock struct{ ns atomic.Int64 }

func newClock() *clock               { c := &clock{}; c.ns.Store(t0.UnixNano()); return c }
func (c *clock) Now() time.Time      { return time.Unix(0, c.ns.Load()) }
func (c *clock) Add(d time.Duration) { c.ns.Add(int64(d)) }
func randomText(n int) string {
	b := make([]byte, n)
	rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)[:n]
}
func request() *http.Request                                        { return httptest.NewRequest(http.MethodGet, "https://127.0.0.1/", nil) }
func responseCookies(rec *httptest.ResponseRecorder) []*http.Cookie { return rec.Result().Cookies() }

// liveNames returns the names of the cookies that a response sets rather
// than expires, and checks that it expires the others.
func liveNames(t *testing.T, cookies []*http.Cookie) []string {
	t.Helper()
	var names []string
	for _, c := range cookies {
		if c.MaxAge >= 0 {
			names = append(names, c.Name)
		} else {
			assert.Empty(t, c.Value, c.Name)
		}
	}
	return names
}

// fixture is a store over a codec with a settable clock.
type fixture struct {
	clock   *clock
	secrets []string
	codec   *cookieseal.Codec
	store   *gorillastore.Store
}

func newFixture(t *testing.T, secrets ...string) *fixture {
	t.Helper()
	if len(secrets) == 0 {
		secrets = []string{cookieseal.GenerateSecret()}
	}
	f := &fixture{clock: newClock(), secrets: secrets}
	var err error
	f.codec, err = cookieseal.New(cookieseal.Config{Secrets: secrets, Now: f.clock.Now})
	require.NoError(t, err)
	f.store, err = gorillastore.New(f.codec)
	require.NoError(t, err)
	return f
}

// requestWith returns a request carrying the cookies (name=value only, as
// a browser sends them) that are not expired.
func requestWith(cookies []*http.Cookie) *http.Request {
	r := request()
	for _, c := range cookies {
		if c.MaxAge >= 0 && c.Value != "" {
			r.AddCookie(&http.Cookie{Name: c.Name, Value: c.Value})
		}
	}
	return r
}

// serve runs h for r and returns the recorder.
func serve(h http.Handler, r *http.Request) *httptest.ResponseRecorder {
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, r)
	return rec
}

// setHandler saves the values given into the session "s".
func setHandler(t *testing.T, store sessions.Store, values map[any]any) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s, err := store.Get(r, "s")
		if err != nil {
			t.Errorf("Get: %v", err)
		}
		for k, v := range values {
			s.Values[k] = v
		}
		if err := s.Save(r, w); err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
		}
	})
}

// getHandler hands the session "s" and the Get error to check.
func getHandler(store sessions.Store, check func(s *sessions.Session, err error)) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s, err := store.Get(r, "s")
		check(s, err)
	})
}

func TestDefaults(t *testing.T) {
	f := newFixture(t)
	assert.Equal(t, &sessions.Options{Path: "/", MaxAge: 86400, Secure: true, HttpOnly: true, SameSite: http.SameSiteLaxMode}, f.store.Options)
	rec := serve(setHandler(t, f.store, map[any]any{"n": 1}), request())
	require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
	lines := rec.Header().Values("Set-Cookie")
	require.Len(t, lines, 1)
	for _, attr := range []string{"s=", "Path=/", "Max-Age=86400", "HttpOnly", "Secure", "SameSite=Lax"} {
		assert.Contains(t, lines[0], attr)
	}
	assert.Equal(t, "no-store", rec.Header().Get("Cache-Control"))
	assert.Equal(t, []string{"Cookie"}, rec.Header().Values("Vary")) // SESSIONS.md S5.7, once

	_, err := gorillastore.New(nil)
	assert.Error(t, err)
	_, err = gorillastore.NewFromConfig(cookieseal.Config{Secrets: []string{"short"}})
	assert.Error(t, err)
}

func TestTypedValuesKeepTheirTypes(t *testing.T) {
	f := newFixture(t)
	when := time.Date(2026, 1, 2, 3, 4, 5, 6, time.FixedZone("", 3600))
	values := map[any]any{
		"int": 42, "int64": int64(-7), "uint8": uint8(200), "float": 1.5, "bool": true,
		"bytes": []byte{0, 1, 2}, "time": when, "strings": []string{"a", "b"},
		"nested": map[string]any{"k": []any{1, "two", nil}}, 3: "int key",
	}
	rec := serve(setHandler(t, f.store, values), request())
	require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
	var got map[any]any
	serve(getHandler(f.store, func(s *sessions.Session, err error) {
		require.NoError(t, err)
		assert.False(t, s.IsNew)
		got = s.Values
	}), requestWith(responseCookies(rec)))
	assert.Equal(t, values, got)
	assert.IsType(t, 0, got["int"])
	assert.True(t, when.Equal(got["time"].(time.Time)))
}

func TestMissingCookieIsNewWithoutError(t *testing.T) {
	f := newFixture(t)
	called := false
	serve(getHandler(f.store, func(s *sessions.Session, err error) {
		called = true
		require.NoError(t, err)
		assert.True(t, s.IsNew)
		assert.Empty(t, s.Values)
		assert.Equal(t, *f.store.Options, *s.Options)
		assert.NotSame(t, f.store.Options, s.Options, "each session has its own Options")
	}), request())
	assert.True(t, called)
}

// A tampered cookie gives a new session and an error that matches
// ErrInvalid and that gorilla's interface calls a decode error.
func TestTamperedCookie(t *testing.T) {
	f := newFixture(t)
	rec := serve(setHandler(t, f.store, map[any]any{"n": 1}), request())
	c := responseCookies(rec)[0]
	b := []byte(c.Value)
	b[20] ^= 1
	c.Value = string(b)
	called := false
	serve(getHandler(f.store, func(s *sessions.Session, err error) {
		called = true
		require.Error(t, err)
		assert.ErrorIs(t, err, cookieseal.ErrInvalid)
		for _, other := range []error{cookieseal.ErrExpired, cookieseal.ErrUnknownKey, cookieseal.ErrTooLarge} {
			assert.NotErrorIs(t, err, other)
		}
		ge, ok := err.(securecookie.Error)
		require.True(t, ok, "%T", err)
		assert.True(t, ge.IsDecode())
		assert.False(t, ge.IsUsage())
		assert.False(t, ge.IsInternal())
		assert.ErrorIs(t, ge.Cause(), cookieseal.ErrInvalid)
		assert.True(t, s.IsNew)
		assert.Empty(t, s.Values)
	}), requestWith([]*http.Cookie{c}))
	assert.True(t, called)
}

func TestOversize(t *testing.T) {
	f := newFixture(t)
	// Saving: too large for the one cookie allowed by default.
	rec := httptest.NewRecorder()
	rec.Header().Add("Set-Cookie", "other=1")
	r := request()
	s, err := f.store.Get(r, "s")
	require.NoError(t, err)
	s.Values["big"] = randomText(5000)
	err = s.Save(r, rec)
	assert.ErrorIs(t, err, cookieseal.ErrTooLarge)
	ge, ok := err.(securecookie.Error)
	require.True(t, ok, "%T", err)
	assert.True(t, ge.IsUsage())
	assert.False(t, ge.IsDecode())
	assert.Equal(t, []string{"other=1"}, rec.Header().Values("Set-Cookie"), "w untouched")
	assert.Empty(t, rec.Header().Get("Cache-Control"))

	// Opening: a cookie over the limit.
	big := &http.Cookie{Name: "s", Value: strings.Repeat("A", 5000)}
	serve(getHandler(f.store, func(s *sessions.Session, err error) {
		assert.ErrorIs(t, err, cookieseal.ErrTooLarge)
		ge, ok := err.(securecookie.Error)
		require.True(t, ok, "%T", err)
		assert.True(t, ge.IsDecode())
		assert.True(t, s.IsNew)
	}), requestWith([]*http.Cookie{big}))
}

func TestUnsupportedValueIsUsage(t *testing.T) {
	f := newFixture(t)
	r := request()
	s, err := f.store.Get(r, "s")
	require.NoError(t, err)
	s.Values["ch"] = make(chan int)
	err = s.Save(r, httptest.NewRecorder())
	require.Error(t, err)
	ge, ok := err.(securecookie.Error)
	require.True(t, ok, "%T", err)
	assert.True(t, ge.IsUsage())
}

// The store's MaxAge is both the browser's Max-Age and what the codec
// accepts.
func TestStoreMaxAgeGovernsBrowserAndCodec(t *testing.T) {
	f := newFixture(t)
	f.store.MaxAge(7 * 24 * 3600)
	assert.Equal(t, 7*24*3600, f.store.Options.MaxAge)
	rec := serve(setHandler(t, f.store, map[any]any{"n": 1}), request())
	require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
	assert.Contains(t, rec.Header().Get("Set-Cookie"), "Max-Age=604800")
	cookies := responseCookies(rec)

	open := func() (*sessions.Session, error) {
		var s *sessions.Session
		var err error
		serve(getHandler(f.store, func(got *sessions.Session, e error) { s, err = got, e }), requestWith(cookies))
		return s, err
	}
	f.clock.Add(25 * time.Hour)
	s, err := open()
	require.NoError(t, err, "25 hours old under a 7-day store")
	assert.Equal(t, 1, s.Values["n"])

	// The codec given to New still says 24 hours; the store does not.
	var n map[any]any
	assert.ErrorIs(t, f.codec.Decode("s", cookies[0].Value, &n), cookieseal.ErrExpired)

	f.clock.Add(7*24*time.Hour - 25*time.Hour)
	_, err = open()
	require.NoError(t, err, "exactly 7 days")
	f.clock.Add(time.Second)
	_, err = open()
	assert.ErrorIs(t, err, cookieseal.ErrExpired)

	// Setting Options.MaxAge directly counts too.
	f.store.Options.MaxAge = 8 * 24 * 3600
	_, err = open()
	require.NoError(t, err)

	// A shorter store MaxAge shortens what opens.
	f.store.MaxAge(3600)
	_, err = open()
	assert.ErrorIs(t, err, cookieseal.ErrExpired)
}

func TestDefaultStoreRefusesA25HourCookie(t *testing.T) {
	f := newFixture(t)
	rec := serve(setHandler(t, f.store, map[any]any{"n": 1}), request())
	f.clock.Add(25 * time.Hour)
	serve(getHandler(f.store, func(s *sessions.Session, err error) {
		assert.ErrorIs(t, err, cookieseal.ErrExpired)
		assert.True(t, s.IsNew)
	}), requestWith(responseCookies(rec)))
}

func TestSessionMaxAge(t *testing.T) {
	f := newFixture(t)
	r := request()
	s, err := f.store.Get(r, "s")
	require.NoError(t, err)

	s.Options.MaxAge = 86400 + 1
	rec := httptest.NewRecorder()
	err = s.Save(r, rec)
	require.Error(t, err, "longer than the store's")
	assert.Contains(t, err.Error(), "raise the store's MaxAge")
	assert.Empty(t, rec.Header().Values("Set-Cookie"))

	s.Options.MaxAge = 86400
	require.NoError(t, s.Save(r, httptest.NewRecorder()))

	s.Options.MaxAge = 60
	rec = httptest.NewRecorder()
	require.NoError(t, s.Save(r, rec))
	assert.Contains(t, rec.Header().Get("Set-Cookie"), "Max-Age=60")

	s.Options.MaxAge = 0 // a browser-session cookie
	rec = httptest.NewRecorder()
	require.NoError(t, s.Save(r, rec))
	assert.NotContains(t, rec.Header().Get("Set-Cookie"), "Max-Age")
	assert.NotContains(t, rec.Header().Get("Set-Cookie"), "Expires")

	// A store of browser-session cookies keeps the codec's lifetime.
	f.store.MaxAge(0)
	s.Options.MaxAge = 86400 + 1
	require.Error(t, s.Save(r, httptest.NewRecorder()))
	s.Options.MaxAge = 86400
	require.NoError(t, s.Save(r, httptest.NewRecorder()))
}

func TestInvalidStoreMaxAgeIsReported(t *testing.T) {
	codec, err := cookieseal.New(cookieseal.Config{Secrets: []string{cookieseal.GenerateSecret()}, RefreshAge: time.Hour})
	require.NoError(t, err)
	store, err := gorillastore.New(codec)
	require.NoError(t, err)
	store.MaxAge(1800) // not longer than RefreshAge
	_, err = store.New(request(), "s")
	assert.ErrorContains(t, err, "RefreshAge")
	assert.Error(t, store.Save(request(), httptest.NewRecorder(), sessions.NewSession(store, "s")))
	store.MaxAge(7200)
	_, err = store.New(request(), "s")
	assert.NoError(t, err)
}

func TestPerSessionOptions(t *testing.T) {
	f := newFixture(t)
	r := request()
	s, err := f.store.Get(r, "s")
	require.NoError(t, err)
	s.Options.Path = "/app"
	s.Options.Domain = "example.test"
	s.Options.SameSite = http.SameSiteStrictMode
	s.Options.HttpOnly = false
	s.Options.Secure = false
	s.Options.MaxAge = 120
	rec := httptest.NewRecorder()
	require.NoError(t, s.Save(r, rec))
	c := responseCookies(rec)[0]
	assert.Equal(t, "/app", c.Path)
	assert.Equal(t, "example.test", c.Domain)
	assert.Equal(t, http.SameSiteStrictMode, c.SameSite)
	assert.False(t, c.HttpOnly)
	assert.False(t, c.Secure)
	assert.Equal(t, 120, c.MaxAge)
	assert.Equal(t, "/", f.store.Options.Path, "the store's Options are unchanged")

	s.Options.SameSite = 0
	rec = httptest.NewRecorder()
	require.NoError(t, s.Save(r, rec))
	assert.Contains(t, rec.Header().Get("Set-Cookie"), "; SameSite=Lax", "zero means Lax")
	s.Options.SameSite = http.SameSiteDefaultMode
	rec = httptest.NewRecorder()
	require.NoError(t, s.Save(r, rec))
	assert.NotContains(t, rec.Header().Get("Set-Cookie"), "SameSite")
}

func TestFlashesAndIsNew(t *testing.T) {
	f := newFixture(t)
	rec := serve(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s, err := f.store.Get(r, "s")
		require.NoError(t, err)
		assert.True(t, s.IsNew)
		s.AddFlash("saved")
		s.AddFlash(3, "counts")
		require.NoError(t, s.Save(r, w))
	}), request())
	rec = serve(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s, err := f.store.Get(r, "s")
		require.NoError(t, err)
		assert.False(t, s.IsNew)
		assert.Equal(t, []any{"saved"}, s.Flashes())
		assert.Equal(t, []any{3}, s.Flashes("counts"))
		assert.Empty(t, s.Flashes())
		require.NoError(t, s.Save(r, w))
	}), requestWith(responseCookies(rec)))
	serve(getHandler(f.store, func(s *sessions.Session, err error) {
		require.NoError(t, err)
		assert.False(t, s.IsNew)
		assert.Empty(t, s.Flashes())
		assert.Empty(t, s.Values)
	}), requestWith(responseCookies(rec)))
}

// A 10 KB session goes out in parts and comes back whole, through a real
// client with a cookie jar.
func TestLargeSessionInParts(t *testing.T) {
	f := newFixture(t)
	f.store.MaxLength(20 << 10)
	big := randomText(10 << 10)
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s, err := f.store.Get(r, "s")
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		switch r.URL.Path {
		case "/set":
			s.Values["big"] = big
		case "/check":
			if s.Values["big"] != big {
				http.Error(w, "session lost", http.StatusConflict)
				return
			}
		}
		if err := s.Save(r, w); err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
		}
	}))
	defer srv.Close()
	client := srv.Client()
	client.Jar, _ = cookiejar.New(nil)
	resp, err := client.Get(srv.URL + "/set")
	require.NoError(t, err)
	resp.Body.Close()
	require.Equal(t, http.StatusOK, resp.StatusCode)
	for _, c := range resp.Cookies() {
		assert.LessOrEqual(t, len(c.Name)+1+len(c.Value), 4096)
	}
	assert.Equal(t, []string{"s", "s.1", "s.2", "s.3"}, liveNames(t, resp.Cookies()), "10 KB of random text is about 14 KB sealed")
	assert.Equal(t, "no-store", resp.Header.Get("Cache-Control"))
	resp, err = client.Get(srv.URL + "/check")
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, http.StatusOK, resp.StatusCode)
}

func TestMaxLength(t *testing.T) {
	for _, tc := range []struct {
		maxLength, size int
		ok              bool
		maxPayload      int // Config.MaxPayload; 0 for the default
		maxParts        int // Store.MaxParts; 0 for the default, 10
	}{
		// A budget of l bytes holds about l*3/4 - 80 bytes of string.
		{0, 2200, true, 0, 0}, // the default: 3072 bytes
		{0, 2400, false, 0, 0},
		{100, 100, true, 0, 0}, // counts as 256
		{100, 150, false, 0, 0},
		{4096, 2900, true, 0, 0}, // one full cookie
		{4096, 3100, false, 0, 0},
		{4097, 3100, false, 0, 0}, // no room for a second part
		{8192, 5700, true, 0, 0},
		{8192, 6300, false, 0, 0},
		{1 << 30, 29 << 10, true, 0, 0},            // 10 parts by default
		{1 << 30, 31 << 10, false, 0, 0},           // hold about 30 KB
		{1 << 30, 60 << 10, true, 0, 50},           // the codec's payload cap,
		{1 << 30, 70 << 10, false, 0, 50},          // 64 KiB of JSON by default
		{1 << 30, 140 << 10, true, 256 << 10, 50},  // with a raised cap, 50 cookies
		{1 << 30, 160 << 10, false, 256 << 10, 50}, // hold about 150 KB
		{1 << 30, 160 << 10, false, 256 << 10, 99}, // 50 at most
	} {
		f := newFixture(t)
		if tc.maxPayload != 0 {
			codec, err := cookieseal.New(cookieseal.Config{Secrets: f.secrets, Now: f.clock.Now, MaxPayload: tc.maxPayload})
			require.NoError(t, err)
			f.store, err = gorillastore.New(codec)
			require.NoError(t, err)
		}
		f.store.MaxLength(tc.maxLength)
		f.store.MaxParts(tc.maxParts)
		r := request()
		s, err := f.store.Get(r, "s")
		require.NoError(t, err)
		s.Values["v"] = randomText(tc.size)
		err = s.Save(r, httptest.NewRecorder())
		if tc.ok {
			assert.NoError(t, err, "MaxLength %d, %d bytes", tc.maxLength, tc.size)
		} else {
			assert.ErrorIs(t, err, cookieseal.ErrTooLarge, "MaxLength %d, %d bytes", tc.maxLength, tc.size)
		}
	}
}

// partsRequest returns a request with a session "s" of three parts, and
// the store that sealed it.
func partsRequest(t *testing.T) (*fixture, *http.Request) {
	f := newFixture(t)
	f.store.MaxLength(16 << 10)
	rec := serve(setHandler(t, f.store, map[any]any{"big": randomText(8 << 10)}), request())
	require.Equal(t, []string{"s", "s.1", "s.2"}, liveNames(t, responseCookies(rec)))
	return f, requestWith(responseCookies(rec))
}

func TestDeleteExpiresEveryPart(t *testing.T) {
	f, r := partsRequest(t)
	s, err := f.store.Get(r, "s")
	require.NoError(t, err)
	require.False(t, s.IsNew)
	s.Options.MaxAge = -1
	rec := httptest.NewRecorder()
	require.NoError(t, s.Save(r, rec))
	expired := map[string]bool{}
	for _, c := range responseCookies(rec) {
		assert.Equal(t, -1, c.MaxAge, c.Name)
		assert.Empty(t, c.Value)
		assert.Equal(t, "/", c.Path)
		expired[c.Name] = true
	}
	assert.Equal(t, map[string]bool{"s": true, "s.1": true, "s.2": true}, expired)
	assert.Equal(t, "no-store", rec.Header().Get("Cache-Control"))
}

func TestShrinkingSessionExpiresLeftoverParts(t *testing.T) {
	f, r := partsRequest(t)
	s, err := f.store.Get(r, "s")
	require.NoError(t, err)
	delete(s.Values, "big")
	s.Values["small"] = 1
	rec := httptest.NewRecorder()
	require.NoError(t, s.Save(r, rec))
	got := map[string]int{}
	for _, c := range responseCookies(rec) {
		got[c.Name] = c.MaxAge
	}
	assert.Equal(t, map[string]int{"s": 86400, "s.1": -1, "s.2": -1}, got)
	serve(getHandler(f.store, func(s *sessions.Session, err error) {
		require.NoError(t, err)
		assert.Equal(t, map[any]any{"small": 1}, s.Values)
	}), requestWith(responseCookies(rec)))
}

// Saving twice in one response leaves only the second save's lines, and
// other cookies alone.
func TestSaveTwiceReplaces(t *testing.T) {
	f := newFixture(t)
	f.store.MaxLength(16 << 10)
	r := request()
	s, err := f.store.Get(r, "s")
	require.NoError(t, err)
	rec := httptest.NewRecorder()
	http.SetCookie(rec, &http.Cookie{Name: "other", Value: "1"})
	s.Values["big"] = randomText(8 << 10)
	require.NoError(t, s.Save(r, rec))
	assert.Equal(t, []string{"other", "s", "s.1", "s.2"}, liveNames(t, responseCookies(rec)))
	delete(s.Values, "big")
	require.NoError(t, s.Save(r, rec))
	lines := rec.Header().Values("Set-Cookie")
	assert.Equal(t, "other=1", lines[0])
	assert.True(t, strings.HasPrefix(lines[1], "s="))
	now := (&http.Response{Header: rec.Header()}).Cookies() // Result() keeps its first snapshot
	assert.Equal(t, []string{"other", "s"}, liveNames(t, now), "the first Save's lines are gone")
	assert.Len(t, lines, 5, "other, s, and s.1 to s.3 expired (the request shows no cookie)")
}

func TestSaveRefusesAnInvalidName(t *testing.T) {
	f := newFixture(t)
	r := request()
	s, err := f.store.New(r, "my session")
	require.Error(t, err)
	ge, ok := err.(securecookie.Error)
	require.True(t, ok, "%T", err)
	assert.True(t, ge.IsUsage())
	rec := httptest.NewRecorder()
	err = s.Save(r, rec)
	require.Error(t, err)
	assert.Empty(t, rec.Header().Values("Set-Cookie"))
	ge, ok = err.(securecookie.Error)
	require.True(t, ok, "%T", err)
	assert.True(t, ge.IsUsage())
}

func TestHostPrefixedName(t *testing.T) {
	f := newFixture(t)
	r := request()
	s, err := f.store.Get(r, "__Host-s")
	require.NoError(t, err)
	s.Values["n"] = 5
	rec := httptest.NewRecorder()
	require.NoError(t, s.Save(r, rec))
	c := responseCookies(rec)[0]
	assert.Equal(t, "__Host-s", c.Name)
	var v map[any]any
	require.NoError(t, f.codec.Decode("__Host-s", c.Value, &v), "sealed under its full name")
	s2, err := f.store.New(requestWith([]*http.Cookie{c}), "__Host-s")
	require.NoError(t, err)
	assert.Equal(t, 5, s2.Values["n"])

	// Attributes that browsers refuse for a __Host- cookie are refused.
	for _, o := range []sessions.Options{{Path: "/", Secure: false}, {Path: "/app", Secure: true}, {Path: "/", Domain: "example.test", Secure: true}} {
		s := sessions.NewSession(f.store, "__Host-s")
		s.Options = &o
		rec := httptest.NewRecorder()
		assert.Error(t, f.store.Save(request(), rec, s), "%+v", o)
		assert.Empty(t, rec.Header().Values("Set-Cookie"))
	}

	// __Secure- names work too (SESSIONS.md S3.2), with Secure, and with a
	// Domain and Path; without Secure they are refused.
	s3, err := f.store.Get(r, "__Secure-s")
	require.NoError(t, err)
	s3.Values["n"] = 6
	s3.Options.Domain, s3.Options.Path = "example.test", "/app"
	rec = httptest.NewRecorder()
	require.NoError(t, s3.Save(r, rec))
	c = responseCookies(rec)[0]
	assert.Equal(t, "__Secure-s", c.Name)
	assert.True(t, c.Secure)
	require.NoError(t, f.codec.Decode("__Secure-s", c.Value, &v), "sealed under its full name")
	s4, err := f.store.New(requestWith([]*http.Cookie{c}), "__Secure-s")
	require.NoError(t, err)
	assert.Equal(t, 6, s4.Values["n"])
	insecure := sessions.NewSession(f.store, "__Secure-s")
	insecure.Options = &sessions.Options{Path: "/"}
	rec = httptest.NewRecorder()
	assert.Error(t, f.store.Save(request(), rec, insecure))
	assert.Empty(t, rec.Header().Values("Set-Cookie"))
	// Only the exact prefixes: "__host-s" is a plain name to the store,
	// which Cookies refuses as a prefix in the name.
	_, err = f.store.New(request(), "__host-s")
	assert.Error(t, err)
}

// After a key rotation, Reissue re-seals the session under the new key
// once the handler has accepted it, and never for a session it refused.
func TestKeyRotationReissues(t *testing.T) {
	oldSecret, newSecret := cookieseal.GenerateSecret(), cookieseal.GenerateSecret()
	f := newFixture(t, oldSecret)
	rec := serve(setHandler(t, f.store, map[any]any{"user": "alice"}), request())
	oldCookie := responseCookies(rec)
	require.NoError(t, f.codec.SetSecrets([]string{newSecret, oldSecret}))
	newID := f.codec.KeyIDs()[0]

	refused := 0
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s, err := f.store.Get(r, "s")
		require.NoError(t, err)
		info, err := f.store.Info(r, "s")
		require.NoError(t, err)
		if r.URL.Query().Get("refuse") != "" {
			refused++
			http.Error(w, "no", http.StatusUnauthorized)
			return
		}
		assert.True(t, info.Reissue)
		assert.NotEqual(t, newID, info.KeyID)
		assert.Equal(t, "alice", s.Values["user"])
		ok, err := f.store.Reissue(r, w, "s")
		require.NoError(t, err)
		assert.True(t, ok)
	})

	r := requestWith(oldCookie)
	r.URL.RawQuery = "refuse=1"
	rec = serve(h, r)
	assert.Equal(t, 1, refused)
	assert.Empty(t, rec.Header().Values("Set-Cookie"), "a refused session is not re-issued")

	rec = serve(h, requestWith(oldCookie))
	cookies := responseCookies(rec)
	require.Len(t, cookies, 1)
	hdr, err := cookieseal.Inspect(cookies[0].Value)
	require.NoError(t, err)
	assert.Equal(t, newID, hdr.KeyID)
	assert.Equal(t, "no-store", rec.Header().Get("Cache-Control"))

	// The re-issued cookie needs no further re-issue, and opens after the
	// old key is gone.
	require.NoError(t, f.codec.SetSecrets([]string{newSecret}))
	r = requestWith(cookies)
	rec = httptest.NewRecorder()
	ok, err := f.store.Reissue(r, rec, "s")
	require.NoError(t, err)
	assert.False(t, ok)
	assert.Empty(t, rec.Header().Values("Set-Cookie"))
	s, err := f.store.Get(r, "s")
	require.NoError(t, err)
	assert.Equal(t, "alice", s.Values["user"])

	// Without a cookie there is nothing to re-issue.
	ok, err = f.store.Reissue(request(), httptest.NewRecorder(), "s")
	assert.NoError(t, err)
	assert.False(t, ok)
	// A cookie that does not open is an error, and nothing is written.
	rec = httptest.NewRecorder()
	ok, err = f.store.Reissue(requestWith(oldCookie), rec, "s")
	assert.ErrorIs(t, err, cookieseal.ErrUnknownKey)
	assert.False(t, ok)
	assert.Empty(t, rec.Header().Values("Set-Cookie"))
}

// Save alone also seals with the current key.
func TestSaveSealsWithTheCurrentKey(t *testing.T) {
	oldSecret, newSecret := cookieseal.GenerateSecret(), cookieseal.GenerateSecret()
	f := newFixture(t, oldSecret)
	rec := serve(setHandler(t, f.store, map[any]any{"n": 1}), request())
	require.NoError(t, f.codec.SetSecrets([]string{newSecret, oldSecret}))
	rec = serve(setHandler(t, f.store, map[any]any{"m": 2}), requestWith(responseCookies(rec)))
	hdr, err := cookieseal.Inspect(responseCookies(rec)[0].Value)
	require.NoError(t, err)
	assert.Equal(t, f.codec.KeyIDs()[0], hdr.KeyID)
}

// A session in a cookie of gorilla's securecookie opens through a Legacy
// decoder and Reissue turns it into a cookieseal cookie.
func TestLegacyCookieReissues(t *testing.T) {
	old := securecookie.New(securecookie.GenerateRandomKey(32), nil)
	legacyValue, err := old.Encode("s", map[any]any{"user": "alice"})
	require.NoError(t, err)
	codec, err := cookieseal.New(cookieseal.Config{Secrets: []string{cookieseal.GenerateSecret()}, Legacy: []cookieseal.Decoder{old}})
	require.NoError(t, err)
	store, err := gorillastore.New(codec)
	require.NoError(t, err)
	r := requestWith([]*http.Cookie{{Name: "s", Value: legacyValue}})
	s, err := store.Get(r, "s")
	require.NoError(t, err)
	assert.False(t, s.IsNew)
	assert.Equal(t, "alice", s.Values["user"])
	info, err := store.Info(r, "s")
	require.NoError(t, err)
	assert.True(t, info.Legacy)
	assert.True(t, info.Reissue)
	rec := httptest.NewRecorder()
	ok, err := store.Reissue(r, rec, "s")
	require.NoError(t, err)
	require.True(t, ok)
	c := responseCookies(rec)[0]
	_, err = cookieseal.Inspect(c.Value)
	require.NoError(t, err, "a cookieseal cookie now")
	s2, err := store.New(requestWith([]*http.Cookie{c}), "s")
	require.NoError(t, err)
	assert.Equal(t, "alice", s2.Values["user"])
}

// Save keeps the session's created-at, so MaxLifetime counts from the
// login however often the session is saved.
func TestSaveKeepsCreatedAt(t *testing.T) {
	c := newClock()
	codec, err := cookieseal.New(cookieseal.Config{Secrets: []string{cookieseal.GenerateSecret()}, Now: c.Now, MaxAge: time.Hour, MaxLifetime: 2 * time.Hour})
	require.NoError(t, err)
	store, err := gorillastore.New(codec)
	require.NoError(t, err)
	rec := serve(setHandler(t, store, map[any]any{"n": 1}), request())
	for i := range 2 { // saved at 50 and 100 minutes
		c.Add(50 * time.Minute)
		rec = serve(setHandler(t, store, map[any]any{"n": i + 2}), requestWith(responseCookies(rec)))
		info, err := store.Info(requestWith(responseCookies(rec)), "s")
		require.NoError(t, err)
		assert.Equal(t, t0.Unix(), info.CreatedAt.Unix(), "created at the login")
		assert.Equal(t, c.Now().Unix(), info.IssuedAt.Unix(), "a save refreshes")
	}
	// The browser gets the store's MaxAge, never what is left of the
	// lifetime, which would state the sealed created-at (SESSIONS.md S5.2).
	assert.Equal(t, 3600, responseCookies(rec)[0].MaxAge)
	c.Add(20 * time.Minute)
	_, err = store.New(requestWith(responseCookies(rec)), "s")
	require.NoError(t, err, "exactly MaxLifetime")
	c.Add(time.Second)
	_, err = store.New(requestWith(responseCookies(rec)), "s")
	assert.ErrorIs(t, err, cookieseal.ErrExpired, "MaxLifetime after the login, though saved 21 minutes ago")
}

// A rotation re-issue keeps the cookie's issued-at: it extends nothing.
func TestRotationReissueKeepsIssuedAt(t *testing.T) {
	oldSecret, newSecret := cookieseal.GenerateSecret(), cookieseal.GenerateSecret()
	f := newFixture(t, oldSecret)
	rec := serve(setHandler(t, f.store, map[any]any{"n": 1}), request())
	f.clock.Add(10 * time.Minute)
	require.NoError(t, f.codec.SetSecrets([]string{newSecret, oldSecret}))
	r := requestWith(responseCookies(rec))
	rec = httptest.NewRecorder()
	ok, err := f.store.Reissue(r, rec, "s")
	require.NoError(t, err)
	require.True(t, ok)
	info, err := f.store.Info(requestWith(responseCookies(rec)), "s")
	require.NoError(t, err)
	assert.Equal(t, f.codec.KeyIDs()[0], info.KeyID)
	assert.Equal(t, t0.Unix(), info.IssuedAt.Unix())
	assert.Equal(t, t0.Unix(), info.CreatedAt.Unix())
	assert.False(t, info.Reissue)
}

func TestRefreshAgeReissues(t *testing.T) {
	c := newClock()
	codec, err := cookieseal.New(cookieseal.Config{Secrets: []string{cookieseal.GenerateSecret()}, Now: c.Now, RefreshAge: time.Hour})
	require.NoError(t, err)
	store, err := gorillastore.New(codec)
	require.NoError(t, err)
	rec := serve(setHandler(t, store, map[any]any{"n": 1}), request())
	cookies := responseCookies(rec)
	reissue := func() bool {
		r := requestWith(cookies)
		ok, err := store.Reissue(r, httptest.NewRecorder(), "s")
		require.NoError(t, err)
		return ok
	}
	c.Add(time.Hour - time.Second)
	assert.False(t, reissue())
	c.Add(time.Second)
	assert.True(t, reissue())
	// A refresh moves the issued-at to now.
	r := requestWith(cookies)
	rec = httptest.NewRecorder()
	_, err = store.Reissue(r, rec, "s")
	require.NoError(t, err)
	info, err := store.Info(requestWith(responseCookies(rec)), "s")
	require.NoError(t, err)
	assert.Equal(t, c.Now().Unix(), info.IssuedAt.Unix())
	assert.Equal(t, t0.Unix(), info.CreatedAt.Unix())
}

func TestInfo(t *testing.T) {
	f := newFixture(t)
	rec := serve(setHandler(t, f.store, map[any]any{"n": 1}), request())
	info, err := f.store.Info(requestWith(responseCookies(rec)), "s")
	require.NoError(t, err)
	assert.Equal(t, t0.Unix(), info.IssuedAt.Unix())
	assert.Equal(t, f.codec.KeyIDs()[0], info.KeyID)
	assert.False(t, info.Reissue)
	_, err = f.store.Info(request(), "s")
	assert.ErrorIs(t, err, http.ErrNoCookie)
	bad := &http.Cookie{Name: "s", Value: "x" + responseCookies(rec)[0].Value}
	_, err = f.store.Info(requestWith([]*http.Cookie{bad}), "s")
	assert.ErrorIs(t, err, cookieseal.ErrInvalid)
}

func TestNilValuesAndNilOptions(t *testing.T) {
	f := newFixture(t)
	s := sessions.NewSession(f.store, "s")
	s.Values = nil
	s.Options = nil
	rec := httptest.NewRecorder()
	require.NoError(t, f.store.Save(request(), rec, s))
	assert.Contains(t, rec.Header().Get("Set-Cookie"), "Max-Age=86400", "the store's Options")
	s2, err := f.store.New(requestWith(responseCookies(rec)), "s")
	require.NoError(t, err)
	assert.False(t, s2.IsNew)
	assert.NotNil(t, s2.Values)
	assert.Empty(t, s2.Values)
}

// Many goroutines share a store while its codec rotates keys.
func TestConcurrentUse(t *testing.T) {
	f := newFixture(t)
	f.store.MaxLength(8192)
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range 20 {
				want := fmt.Sprintf("%d-%d", i, j)
				rec := serve(setHandler(t, f.store, map[any]any{"v": want}), request())
				serve(getHandler(f.store, func(s *sessions.Session, err error) {
					if err != nil && !errors.Is(err, cookieseal.ErrUnknownKey) {
						t.Errorf("Get: %v", err)
					}
					if err == nil && s.Values["v"] != want {
						t.Errorf("got %v, want %s", s.Values["v"], want)
					}
				}), requestWith(responseCookies(rec)))
			}
		}()
	}
	for range 5 {
		_ = f.codec.SetSecrets([]string{cookieseal.GenerateSecret(), f.secrets[0]})
	}
	wg.Wait()
	var _ url.URL
}
