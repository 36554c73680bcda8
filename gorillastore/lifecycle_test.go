package gorillastore_test

import (
	"net/http"
	"net/http/httptest"
	"runtime"
	"testing"
	"time"

	"github.com/gorilla/securecookie"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cookieseal/cookieseal"
	"github.com/cookieseal/cookieseal/gorillastore"
)

// Tests of the findings of issue 19 against the store. Each failed before
// its fix.

// lifetimeFixture is a store whose sessions end an hour after login, with
// an idle timeout of 30 minutes.
func lifetimeFixture(t *testing.T) *fixture {
	t.Helper()
	f := newFixture(t)
	var err error
	f.codec, err = cookieseal.New(cookieseal.Config{Secrets: f.secrets, Now: f.clock.Now, MaxAge: 30 * time.Minute, MaxLifetime: time.Hour})
	require.NoError(t, err)
	f.store, err = gorillastore.New(f.codec)
	require.NoError(t, err)
	return f
}

// TestSaveRefusesASessionThatExpiredDuringTheRequest: Save used to read
// the cookie again, ignore the error and seal a new session with a fresh
// created-at, so MaxLifetime never ended. It now uses what Get read, and
// fails with ErrExpired, writing nothing (SESSIONS.md S6.6).
func TestSaveRefusesASessionThatExpiredDuringTheRequest(t *testing.T) {
	f := lifetimeFixture(t)
	rec := serve(setHandler(t, f.store, map[any]any{"n": 1}), request())
	for range 2 { // saved at 0:25 and 0:50
		f.clock.Add(25 * time.Minute)
		rec = serve(setHandler(t, f.store, map[any]any{"n": 2}), requestWith(responseCookies(rec)))
		require.Len(t, responseCookies(rec), 1)
	}
	f.clock.Add(9*time.Minute + 59*time.Second) // 0:59:59
	r := requestWith(responseCookies(rec))
	s, err := f.store.Get(r, "s")
	require.NoError(t, err)
	assert.False(t, s.IsNew)
	f.clock.Add(2 * time.Second) // the handler ran past 1:00:00
	s.Values["n"] = 3
	w := httptest.NewRecorder()
	err = s.Save(r, w)
	require.ErrorIs(t, err, cookieseal.ErrExpired)
	ge, ok := err.(securecookie.Error)
	require.True(t, ok, "%T", err)
	assert.True(t, ge.IsDecode())
	assert.Empty(t, w.Header().Values("Set-Cookie"), "nothing written")
	// Renew starts a new session instead.
	f.store.Renew(s)
	s.Values["n"] = 4
	require.NoError(t, s.Save(r, w))
	info, err := f.store.Info(requestWith(responseCookies(w)), "s")
	require.NoError(t, err)
	assert.Equal(t, f.clock.Now().Unix(), info.CreatedAt.Unix())
}

// TestReissueRefusesPastMaxAgeAtWriteTime: a rotation re-issue keeps the
// issued-at; when MaxAge passes while the request runs, Reissue writes
// nothing and says ErrExpired.
func TestReissueRefusesPastMaxAgeAtWriteTime(t *testing.T) {
	oldSecret, newSecret := cookieseal.GenerateSecret(), cookieseal.GenerateSecret()
	f := newFixture(t, oldSecret)
	rec := serve(setHandler(t, f.store, map[any]any{"n": 1}), request())
	require.NoError(t, f.codec.SetSecrets([]string{newSecret, oldSecret}))
	f.clock.Add(24 * time.Hour)
	r := requestWith(responseCookies(rec))
	_, err := f.store.Get(r, "s")
	require.NoError(t, err)
	f.clock.Add(time.Second)
	w := httptest.NewRecorder()
	ok, err := f.store.Reissue(r, w, "s")
	assert.False(t, ok)
	assert.ErrorIs(t, err, cookieseal.ErrExpired)
	assert.Empty(t, w.Header().Values("Set-Cookie"))
}

// TestGetOpensTheCookieOnce: Save, Info and Reissue use what Get read;
// none of them opens the cookie again (issue 19: they each read it).
func TestGetOpensTheCookieOnce(t *testing.T) {
	oldSecret, newSecret := cookieseal.GenerateSecret(), cookieseal.GenerateSecret()
	f := newFixture(t, oldSecret)
	rec := serve(setHandler(t, f.store, map[any]any{"n": 1}), request())
	require.NoError(t, f.codec.SetSecrets([]string{newSecret, oldSecret}))
	opened := func() uint64 {
		var n uint64
		for _, u := range f.codec.KeyUsage() {
			n += u.Opened
		}
		return n
	}
	r := requestWith(responseCookies(rec))
	s, err := f.store.Get(r, "s")
	require.NoError(t, err)
	require.Equal(t, uint64(1), opened())
	info, err := f.store.Info(r, "s")
	require.NoError(t, err)
	assert.True(t, info.Reissue)
	ok, err := f.store.Reissue(r, httptest.NewRecorder(), "s")
	require.NoError(t, err)
	assert.True(t, ok)
	s.Values["n"] = 2
	require.NoError(t, s.Save(r, httptest.NewRecorder()))
	assert.Equal(t, uint64(1), opened(), "one open for the whole request")
}

// TestRenewStartsANewSession: at login, Renew empties the session and the
// next Save seals issued-at = created-at = now, whatever was read
// (SESSIONS.md S6.5).
func TestRenewStartsANewSession(t *testing.T) {
	f := newFixture(t)
	rec := serve(setHandler(t, f.store, map[any]any{"cart": "apple"}), request())
	f.clock.Add(30 * time.Minute)
	r := requestWith(responseCookies(rec))
	s, err := f.store.Get(r, "s")
	require.NoError(t, err)
	f.store.Renew(s)
	assert.Empty(t, s.Values)
	assert.True(t, s.IsNew)
	s.Values["user"] = "alice"
	w := httptest.NewRecorder()
	require.NoError(t, s.Save(r, w))
	s2, err := f.store.New(requestWith(responseCookies(w)), "s")
	require.NoError(t, err)
	assert.Equal(t, map[any]any{"user": "alice"}, s2.Values)
	info, err := f.store.Info(requestWith(responseCookies(w)), "s")
	require.NoError(t, err)
	assert.Equal(t, f.clock.Now().Unix(), info.CreatedAt.Unix())
	assert.Equal(t, f.clock.Now().Unix(), info.IssuedAt.Unix())
	// A renewed session has no cookie to re-issue yet.
	ok, err := f.store.Reissue(r, httptest.NewRecorder(), "s")
	require.NoError(t, err)
	assert.False(t, ok)
}

// TestSideTableDoesNotGrow: what New learns is kept per session with a
// weak key, and goes with the session.
func TestSideTableDoesNotGrow(t *testing.T) {
	f := newFixture(t)
	rec := serve(setHandler(t, f.store, map[any]any{"n": 1}), request())
	for range 1000 {
		_, err := f.store.New(requestWith(responseCookies(rec)), "s")
		require.NoError(t, err)
	}
	n := gorillastore.ReadsLen(f.store)
	for i := 0; i < 100 && n > 10; i++ {
		runtime.GC()
		runtime.Gosched()
		n = gorillastore.ReadsLen(f.store)
	}
	assert.LessOrEqual(t, n, 10, "entries left of 1000 sessions no longer reachable")
}

// TestStoreRefusesPartNames: a session name that ends in "." and digits
// would be read as a part of another session (SESSIONS.md S3.1): a usage
// error.
func TestStoreRefusesPartNames(t *testing.T) {
	f := newFixture(t)
	for _, name := range []string{"s.1", "session.12"} {
		s, err := f.store.Get(request(), name)
		require.Error(t, err, name)
		ge, ok := err.(securecookie.Error)
		require.True(t, ok, "%T", err)
		assert.True(t, ge.IsUsage(), name)
		s.Values["n"] = 1
		w := httptest.NewRecorder()
		assert.Error(t, s.Save(request(), w), name)
		assert.Empty(t, w.Header().Values("Set-Cookie"))
	}
}

// TestSaveKeepsTheApplicationsOtherScopes: a second Save in one response
// replaces the first's lines for the session in its own scope, and keeps
// the application's line for the same name under another Domain
// (SESSIONS.md S5.6).
func TestSaveKeepsTheApplicationsOtherScopes(t *testing.T) {
	f := newFixture(t)
	r := request()
	w := httptest.NewRecorder()
	own := &http.Cookie{Name: "s", Value: "", Domain: "example.com", Path: "/", MaxAge: -1}
	http.SetCookie(w, own)
	s, err := f.store.Get(r, "s")
	require.NoError(t, err)
	s.Values["n"] = 1
	require.NoError(t, s.Save(r, w))
	s.Values["n"] = 2
	require.NoError(t, s.Save(r, w))
	lines := w.Header().Values("Set-Cookie")
	require.Len(t, lines, 2, "%q", lines)
	assert.Equal(t, own.String(), lines[0])
	s2, err := f.store.New(requestWith(responseCookies(w)[1:]), "s")
	require.NoError(t, err)
	assert.Equal(t, 2, s2.Values["n"])
}
