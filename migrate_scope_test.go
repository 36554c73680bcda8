package cookieseal

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/gorilla/securecookie"
)

// Issue 9, finding 4: during a migration an old cookie with another Domain
// shadowed the new host-only one forever, and logout could not expire it.
// The app runs at app.example.com (a loopback server reached through a
// dialer); the old gorilla store set its cookie with Domain=example.com.

type migrationApp struct {
	srv     *httptest.Server
	gorilla *securecookie.SecureCookie
	url     *url.URL
}

func newMigrationApp(t *testing.T, opts CookieOptions) *migrationApp {
	t.Helper()
	app := &migrationApp{gorilla: securecookie.New(securecookie.GenerateRandomKey(64), securecookie.GenerateRandomKey(32))}
	codec, err := New(Config{Secrets: []string{GenerateSecret()}, Legacy: []Decoder{app.gorilla}})
	if err != nil {
		t.Fatal(err)
	}
	opts.Insecure = true // plain http to app.example.com; Secure is not what this tests
	cookies, err := NewCookies(codec, opts)
	if err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		var s map[any]any
		info, err := cookies.Read(r, "session", &s)
		if err != nil {
			http.Error(w, "logged out", http.StatusUnauthorized)
			return
		}
		s["visits"] = s["visits"].(int) + 1
		if err := cookies.Refresh(w, r, "session", s, info); err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		fmt.Fprintf(w, "%s %d legacy=%t", s["user"], s["visits"], info.Legacy)
	})
	mux.HandleFunc("/logout", func(w http.ResponseWriter, r *http.Request) {
		if err := cookies.Delete(w, r, "session"); err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
		}
	})
	app.srv = httptest.NewServer(mux)
	t.Cleanup(app.srv.Close)
	app.url = mustURL(t, "http://app.example.com/")
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
	c := &http.Client{Transport: tr, Jar: newJar(t)}
	old, err := app.gorilla.Encode("session", map[any]any{"user": "alice", "visits": 1})
	if err != nil {
		t.Fatal(err)
	}
	c.Jar.SetCookies(app.url, []*http.Cookie{{Name: "session", Value: old, Domain: "example.com", Path: "/"}})
	return c
}

func (app *migrationApp) get(t *testing.T, c *http.Client, path string) (int, string) {
	t.Helper()
	resp, err := c.Get(app.url.ResolveReference(&url.URL{Path: path}).String())
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, strings.TrimSpace(string(b))
}

// jarCookies lists the jar's cookies for the app as name=kind.
func (app *migrationApp) jarCookies(c *http.Client) []string {
	var out []string
	for _, k := range c.Jar.Cookies(app.url) {
		kind := "cookieseal"
		if !looksSealed(k.Value) {
			kind = "legacy"
		}
		out = append(out, k.Name+"="+kind)
	}
	return out
}

func TestMigrationNewCookieWinsOverLegacyDomain(t *testing.T) {
	// Without LegacyScopes the old Domain cookie stays beside the new one:
	// the jar sends it first, and the new cookie must still win.
	app := newMigrationApp(t, CookieOptions{})
	c := app.client(t)
	if code, body := app.get(t, c, "/"); code != 200 || body != "alice 2 legacy=true" {
		t.Fatalf("first visit: %d %q, want the legacy session read", code, body)
	}
	if got := strings.Join(app.jarCookies(c), ","); got != "session=legacy,session=cookieseal" {
		t.Fatalf("jar holds %s, want the old Domain cookie first, then the new one", got)
	}
	for want := 3; want <= 4; want++ {
		if code, body := app.get(t, c, "/"); code != 200 || body != fmt.Sprintf("alice %d legacy=false", want) {
			t.Errorf("visit %d: %d %q, want the cookieseal session", want-1, code, body)
		}
	}
}

func TestMigrationLogoutEndsTheSession(t *testing.T) {
	app := newMigrationApp(t, CookieOptions{LegacyScopes: []CookieScope{{Domain: "example.com"}}})
	c := app.client(t)
	if code, body := app.get(t, c, "/"); code != 200 || body != "alice 2 legacy=true" {
		t.Fatalf("first visit: %d %q", code, body)
	}
	// The re-issue expired the old Domain cookie.
	if got := strings.Join(app.jarCookies(c), ","); got != "session=cookieseal" {
		t.Errorf("after the re-issue the jar holds %s, want the new cookie alone", got)
	}
	if code, body := app.get(t, c, "/"); code != 200 || body != "alice 3 legacy=false" {
		t.Errorf("second visit: %d %q", code, body)
	}

	// Logout with the old cookie planted again (a second tab, a stale
	// copy): Delete expires both.
	old, _ := app.gorilla.Encode("session", map[any]any{"user": "alice", "visits": 1})
	c.Jar.SetCookies(app.url, []*http.Cookie{{Name: "session", Value: old, Domain: "example.com", Path: "/"}})
	app.get(t, c, "/logout")
	if got := app.jarCookies(c); len(got) != 0 {
		t.Errorf("after logout the jar holds %v, want nothing", got)
	}
	if code, _ := app.get(t, c, "/"); code != http.StatusUnauthorized {
		t.Errorf("after logout: %d, want 401", code)
	}
}

// TestMigrationLogoutWithoutLegacyScopes shows what LegacyScopes fixes: the
// old Domain cookie survives a logout, and the user is still logged in.
func TestMigrationLogoutWithoutLegacyScopes(t *testing.T) {
	app := newMigrationApp(t, CookieOptions{})
	c := app.client(t)
	app.get(t, c, "/")
	app.get(t, c, "/logout")
	if code, body := app.get(t, c, "/"); code != 200 || !strings.Contains(body, "legacy=true") {
		t.Errorf("after logout without LegacyScopes: %d %q; the old cookie was expected to survive", code, body)
	}
}

func TestNewCookiesLegacyScopes(t *testing.T) {
	c, err := New(Config{Secrets: []string{GenerateSecret()}})
	if err != nil {
		t.Fatal(err)
	}
	for _, opts := range []CookieOptions{
		{LegacyScopes: []CookieScope{{}}},                                              // the cookies' own scope
		{LegacyScopes: []CookieScope{{Path: "/"}}},                                     // the same, spelled out
		{Domain: "example.com", LegacyScopes: []CookieScope{{Domain: ".example.com"}}}, // the same domain
		{LegacyScopes: []CookieScope{{Path: "app"}}},
		{LegacyScopes: []CookieScope{{Domain: "exa mple.com"}}},
		{HostPrefix: true, LegacyScopes: []CookieScope{{Domain: "example.com"}}}, // no old cookie had the prefix
	} {
		if _, err := NewCookies(c, opts); err == nil {
			t.Errorf("NewCookies(%+v): nil error, want one", opts)
		}
	}
	for _, opts := range []CookieOptions{
		{LegacyScopes: []CookieScope{{Domain: "example.com"}}},
		{LegacyScopes: []CookieScope{{Path: "/app"}}},
		{Domain: "example.com", LegacyScopes: []CookieScope{{}}},
	} {
		if _, err := NewCookies(c, opts); err != nil {
			t.Errorf("NewCookies(%+v): %v", opts, err)
		}
	}
}
