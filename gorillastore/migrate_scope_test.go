package gorillastore_test

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/gorilla/securecookie"
	"github.com/gorilla/sessions"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cookieseal/cookieseal"
	"github.com/cookieseal/cookieseal/gorillastore"
)

// Issue 9, finding 4, through the store: an app migrating from a gorilla
// CookieStore whose cookie had Domain=example.com. The app runs at
// app.example.com (a loopback server reached through a dialer) and sets
// host-only cookies; a real cookiejar plays the browser.

type migrationApp struct {
	srv     *httptest.Server
	gorilla *securecookie.SecureCookie
	store   *gorillastore.Store
	url     *url.URL
}

// newMigrationApp serves "/" (a visit counter that saves the session),
// "/peek" (reads the session and only re-issues it) and "/logout" (deletes
// it). scopes are the store's LegacyScopes.
func newMigrationApp(t *testing.T, scopes ...cookieseal.CookieScope) *migrationApp {
	t.Helper()
	app := &migrationApp{gorilla: securecookie.New(securecookie.GenerateRandomKey(64), securecookie.GenerateRandomKey(32))}
	codec, err := cookieseal.New(cookieseal.Config{Secrets: []string{cookieseal.GenerateSecret()}, Legacy: []cookieseal.Decoder{app.gorilla}})
	require.NoError(t, err)
	app.store, err = gorillastore.New(codec)
	require.NoError(t, err)
	app.store.Options.Secure = false // plain http to app.example.com; Secure is not what this tests
	require.NoError(t, app.store.LegacyScopes(scopes...))

	// session returns the session, or answers 401 when there is none.
	session := func(w http.ResponseWriter, r *http.Request) (*sessions.Session, cookieseal.Info, bool) {
		s, err := app.store.Get(r, "session")
		if err != nil || s.IsNew {
			http.Error(w, "logged out", http.StatusUnauthorized)
			return nil, cookieseal.Info{}, false
		}
		info, err := app.store.Info(r, "session")
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return nil, cookieseal.Info{}, false
		}
		return s, info, true
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		s, info, ok := session(w, r)
		if !ok {
			return
		}
		s.Values["visits"] = s.Values["visits"].(int) + 1
		if err := s.Save(r, w); err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		fmt.Fprintf(w, "%s %d legacy=%t", s.Values["user"], s.Values["visits"], info.Legacy)
	})
	mux.HandleFunc("/peek", func(w http.ResponseWriter, r *http.Request) {
		s, info, ok := session(w, r)
		if !ok {
			return
		}
		reissued, err := app.store.Reissue(r, w, "session")
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		fmt.Fprintf(w, "%s %d legacy=%t reissued=%t", s.Values["user"], s.Values["visits"], info.Legacy, reissued)
	})
	mux.HandleFunc("/logout", func(w http.ResponseWriter, r *http.Request) {
		s, err := app.store.Get(r, "session")
		if err != nil {
			t.Errorf("logout: Get: %v", err)
		}
		s.Options.MaxAge = -1
		if err := s.Save(r, w); err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
		}
	})
	app.srv = httptest.NewServer(mux)
	t.Cleanup(app.srv.Close)
	app.url, err = url.Parse("http://app.example.com/")
	require.NoError(t, err)
	return app
}

// client returns a client whose jar holds the old store's cookie, set for
// Domain=example.com, and that reaches app.example.com on loopback.
func (app *migrationApp) client(t *testing.T) *http.Client {
	t.Helper()
	addr := app.srv.Listener.Addr().String()
	tr := &http.Transport{DialContext: func(ctx context.Context, network, _ string) (net.Conn, error) {
		return (&net.Dialer{}).DialContext(ctx, network, addr)
	}}
	t.Cleanup(tr.CloseIdleConnections)
	jar, err := cookiejar.New(nil)
	require.NoError(t, err)
	c := &http.Client{Transport: tr, Jar: jar}
	app.plantOld(t, c)
	return c
}

// plantOld puts the old gorilla cookie, Domain=example.com, into c's jar.
func (app *migrationApp) plantOld(t *testing.T, c *http.Client) {
	t.Helper()
	old, err := app.gorilla.Encode("session", map[any]any{"user": "alice", "visits": 1})
	require.NoError(t, err)
	c.Jar.SetCookies(app.url, []*http.Cookie{{Name: "session", Value: old, Domain: "example.com", Path: "/"}})
}

func (app *migrationApp) get(t *testing.T, c *http.Client, path string) (int, string) {
	t.Helper()
	resp, err := c.Get(app.url.ResolveReference(&url.URL{Path: path}).String())
	require.NoError(t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return resp.StatusCode, strings.TrimSpace(string(b))
}

// jarCookies lists the jar's cookies for the app, in the order the jar
// sends them, as name=kind.
func (app *migrationApp) jarCookies(c *http.Client) string {
	var out []string
	for _, k := range c.Jar.Cookies(app.url) {
		kind := "legacy"
		if _, err := cookieseal.Inspect(k.Value); err == nil {
			kind = "cookieseal"
		}
		out = append(out, k.Name+"="+kind)
	}
	return strings.Join(out, ",")
}

func TestLegacyScopesNewCookieWinsAndLogoutEnds(t *testing.T) {
	app := newMigrationApp(t, cookieseal.CookieScope{Domain: "example.com"})
	c := app.client(t)
	code, body := app.get(t, c, "/")
	require.Equal(t, "200 alice 2 legacy=true", fmt.Sprint(code, " ", body), "first visit reads the gorilla session")
	assert.Equal(t, "session=cookieseal", app.jarCookies(c), "Save expired the old Domain cookie")
	code, body = app.get(t, c, "/")
	assert.Equal(t, "200 alice 3 legacy=false", fmt.Sprint(code, " ", body))

	// The old cookie planted again (a second tab, a stale copy): the new
	// session wins, Save expires the old cookie again, and so does logout.
	app.plantOld(t, c)
	assert.Equal(t, "session=cookieseal,session=legacy", app.jarCookies(c))
	code, body = app.get(t, c, "/")
	assert.Equal(t, "200 alice 4 legacy=false", fmt.Sprint(code, " ", body))
	assert.Equal(t, "session=cookieseal", app.jarCookies(c))
	app.plantOld(t, c)
	code, _ = app.get(t, c, "/logout")
	assert.Equal(t, http.StatusOK, code)
	assert.Empty(t, app.jarCookies(c), "after logout")
	code, body = app.get(t, c, "/")
	assert.Equal(t, http.StatusUnauthorized, code, "after logout: %s", body)
}

// Reissue, with no Save, turns the gorilla session into a cookieseal one
// and expires the old Domain cookie too.
func TestLegacyScopesReissueExpiresTheOldCookie(t *testing.T) {
	app := newMigrationApp(t, cookieseal.CookieScope{Domain: "example.com"})
	c := app.client(t)
	code, body := app.get(t, c, "/peek")
	require.Equal(t, "200 alice 1 legacy=true reissued=true", fmt.Sprint(code, " ", body))
	assert.Equal(t, "session=cookieseal", app.jarCookies(c))
	code, body = app.get(t, c, "/peek")
	assert.Equal(t, "200 alice 1 legacy=false reissued=false", fmt.Sprint(code, " ", body))
}

// Without LegacyScopes the new cookie still wins (the store opens the
// cookieseal cookie first), but the old Domain cookie stays in the jar,
// and after a logout it opens again: the user is still logged in. This is
// what LegacyScopes fixes.
func TestWithoutLegacyScopesLogoutLeavesTheOldSession(t *testing.T) {
	app := newMigrationApp(t)
	c := app.client(t)
	code, body := app.get(t, c, "/")
	require.Equal(t, "200 alice 2 legacy=true", fmt.Sprint(code, " ", body))
	assert.Equal(t, "session=legacy,session=cookieseal", app.jarCookies(c), "the old Domain cookie stays, and is sent first")
	code, body = app.get(t, c, "/")
	assert.Equal(t, "200 alice 3 legacy=false", fmt.Sprint(code, " ", body), "the new cookie wins")
	app.get(t, c, "/logout")
	assert.Equal(t, "session=legacy", app.jarCookies(c))
	code, body = app.get(t, c, "/")
	assert.Equal(t, "200 alice 2 legacy=true", fmt.Sprint(code, " ", body), "the old session is back after logout")
}

// setCookies saves a session called name with opts through store (saves
// times into one response) and returns the response's Set-Cookie lines,
// each summed up by cookieLine.
func setCookies(t *testing.T, store *gorillastore.Store, name string, opts sessions.Options, saves int) []string {
	t.Helper()
	s := sessions.NewSession(store, name)
	s.Options = &opts
	s.Values["n"] = 1
	rec := httptest.NewRecorder()
	for range saves {
		require.NoError(t, store.Save(request(), rec, s))
	}
	var out []string
	for _, l := range rec.Header().Values("Set-Cookie") {
		out = append(out, cookieLine(t, l))
	}
	return out
}

// cookieLine sums up a Set-Cookie line: name, "sealed" or "expired",
// Domain, Path, and the other attributes.
func cookieLine(t *testing.T, line string) string {
	t.Helper()
	c, err := http.ParseSetCookie(line)
	require.NoError(t, err)
	state := "sealed"
	switch {
	case c.MaxAge < 0 && c.Value == "":
		state = "expired"
	case c.MaxAge < 0 || c.Value == "":
		t.Fatalf("half expired: %q", line)
	}
	return fmt.Sprintf("%s %s Domain=%s Path=%s Secure=%t HttpOnly=%t SameSite=%s", c.Name, state, c.Domain, c.Path, c.Secure, c.HttpOnly, sameSite[c.SameSite])
}

var sameSite = map[http.SameSite]string{http.SameSiteLaxMode: "Lax", http.SameSiteStrictMode: "Strict", http.SameSiteNoneMode: "None"}

// The expiring cookies keep their scope's Domain and Path through the
// rewrite with the session's Options, come before the new cookie, take
// the session's other attributes, and are not repeated by a second Save.
func TestLegacyScopesSetCookieLines(t *testing.T) {
	f := newFixture(t)
	require.NoError(t, f.store.LegacyScopes(cookieseal.CookieScope{Domain: "example.com"}, cookieseal.CookieScope{Path: "/old"}))
	opts := sessions.Options{Path: "/app", Domain: "app.example.com", MaxAge: 3600, Secure: true, HttpOnly: true, SameSite: http.SameSiteStrictMode}
	for _, saves := range []int{1, 2} {
		assert.Equal(t, []string{
			"s expired Domain=example.com Path=/ Secure=true HttpOnly=true SameSite=Strict",
			"s expired Domain= Path=/old Secure=true HttpOnly=true SameSite=Strict",
			"s sealed Domain=app.example.com Path=/app Secure=true HttpOnly=true SameSite=Strict",
		}, setCookies(t, f.store, "s", opts, saves), "saves=%d", saves)
	}

	// Deleting the session expires them too, and its own cookie.
	del := opts
	del.MaxAge = -1
	assert.Equal(t, []string{
		"s expired Domain=example.com Path=/ Secure=true HttpOnly=true SameSite=Strict",
		"s expired Domain= Path=/old Secure=true HttpOnly=true SameSite=Strict",
		"s expired Domain=app.example.com Path=/app Secure=true HttpOnly=true SameSite=Strict",
	}, setCookies(t, f.store, "s", del, 1))

	// The session's other attributes, whatever they are; a zero SameSite
	// is Lax there too.
	other := sessions.Options{Path: "/", MaxAge: 60}
	assert.Equal(t, []string{
		"s expired Domain=example.com Path=/ Secure=false HttpOnly=false SameSite=Lax",
		"s expired Domain= Path=/old Secure=false HttpOnly=false SameSite=Lax",
		"s sealed Domain= Path=/ Secure=false HttpOnly=false SameSite=Lax",
	}, setCookies(t, f.store, "s", other, 1))
}

// A scope equal to the session's own is skipped (it would expire the new
// cookie, or repeat its expiry), whatever the spelling of the Domain.
func TestLegacyScopesSkipTheSessionsOwnScope(t *testing.T) {
	f := newFixture(t)
	require.NoError(t, f.store.LegacyScopes(cookieseal.CookieScope{Domain: ".Example.com"}, cookieseal.CookieScope{}))
	own := sessions.Options{Path: "/", Domain: "example.com", MaxAge: 60}
	assert.Equal(t, []string{
		"s expired Domain= Path=/ Secure=false HttpOnly=false SameSite=Lax",
		"s sealed Domain=example.com Path=/ Secure=false HttpOnly=false SameSite=Lax",
	}, setCookies(t, f.store, "s", own, 1))

	own.Domain = ""
	assert.Equal(t, []string{
		"s expired Domain=Example.com Path=/ Secure=false HttpOnly=false SameSite=Lax",
		"s sealed Domain= Path=/ Secure=false HttpOnly=false SameSite=Lax",
	}, setCookies(t, f.store, "s", own, 1))

	own.Path = "/app" // now neither scope is the session's
	assert.Equal(t, []string{
		"s expired Domain=Example.com Path=/ Secure=false HttpOnly=false SameSite=Lax",
		"s expired Domain= Path=/ Secure=false HttpOnly=false SameSite=Lax",
		"s sealed Domain= Path=/app Secure=false HttpOnly=false SameSite=Lax",
	}, setCookies(t, f.store, "s", own, 1))
}

// __Host- sessions are left alone; every other name of the store gets the
// expiring cookies under its own name.
func TestLegacyScopesByName(t *testing.T) {
	f := newFixture(t)
	require.NoError(t, f.store.LegacyScopes(cookieseal.CookieScope{Domain: "example.com"}))
	assert.Equal(t, []string{
		"__Host-s sealed Domain= Path=/ Secure=true HttpOnly=true SameSite=Lax",
	}, setCookies(t, f.store, "__Host-s", *f.store.Options, 1))
	assert.Equal(t, []string{
		"other expired Domain=example.com Path=/ Secure=true HttpOnly=true SameSite=Lax",
		"other sealed Domain= Path=/ Secure=true HttpOnly=true SameSite=Lax",
	}, setCookies(t, f.store, "other", *f.store.Options, 1))
}

func TestLegacyScopesValidation(t *testing.T) {
	f := newFixture(t)
	require.NoError(t, f.store.LegacyScopes(cookieseal.CookieScope{Domain: "example.com"}))
	for _, bad := range []cookieseal.CookieScope{
		{Path: "app"},
		{Path: "/a;b"},
		{Path: "/a\nb"},
		{Path: "/a\x7fb"},
		{Domain: "exa mple.com"},
		{Domain: "example.com;x"},
	} {
		err := f.store.LegacyScopes(cookieseal.CookieScope{Path: "/fine"}, bad)
		if assert.Error(t, err, "%+v", bad) {
			var gerr securecookie.Error
			require.ErrorAs(t, err, &gerr)
			assert.True(t, gerr.IsUsage(), "%+v", bad)
		}
	}
	// The refused calls left the earlier scopes in place.
	want := []string{
		"s expired Domain=example.com Path=/ Secure=true HttpOnly=true SameSite=Lax",
		"s sealed Domain= Path=/ Secure=true HttpOnly=true SameSite=Lax",
	}
	assert.Equal(t, want, setCookies(t, f.store, "s", *f.store.Options, 1))

	// Scopes that the next call leaves out are dropped; none turns it off.
	require.NoError(t, f.store.LegacyScopes(cookieseal.CookieScope{Path: "/fine"}))
	assert.Equal(t, []string{
		"s expired Domain= Path=/fine Secure=true HttpOnly=true SameSite=Lax",
		"s sealed Domain= Path=/ Secure=true HttpOnly=true SameSite=Lax",
	}, setCookies(t, f.store, "s", *f.store.Options, 1))
	require.NoError(t, f.store.LegacyScopes())
	assert.Equal(t, want[1:], setCookies(t, f.store, "s", *f.store.Options, 1))
}
