package e2e

import (
	"context"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"github.com/cookieseal/cookieseal"
	"github.com/cookieseal/cookieseal/examples/session/app"
)

// submit sets the login form's fields and clicks button, and waits for
// the page the redirect leads to.
func submit(t *testing.T, ctx context.Context, button string, fields ...string) {
	t.Helper()
	for i := 0; i+1 < len(fields); i += 2 {
		do(t, ctx, chromedp.WaitVisible(chromedp.CSS(fields[i])), chromedp.SetValue(chromedp.CSS(fields[i]), fields[i+1]))
	}
	resp, err := chromedp.RunResponse(ctx, chromedp.Click(chromedp.CSS(button)))
	if err != nil {
		t.Fatalf("clicking %s: %v", button, err)
	}
	if resp.Status != 200 {
		t.Fatalf("clicking %s led to status %d (%s)", button, resp.Status, resp.URL)
	}
}

// TestBrowserSessionManager plays examples/session in headless Chromium: a
// wrong password (a flash, shown once, its session then deleted), a
// sign-in (RenewToken: a new session), a page count, a bad cookie (an
// empty session, never an error page), a sign-out (Destroy), and checks
// the cookie the browser holds after every step.
func TestBrowserSessionManager(t *testing.T) {
	codec, err := cookieseal.New(cookieseal.Config{Secrets: []string{cookieseal.GenerateSecret()}})
	if err != nil {
		t.Fatal(err)
	}
	const password = "the-e2e-test-password-only"
	h, _ := app.New(app.Config{Codec: codec, Users: map[string]string{"ada": password}})
	srv := httptest.NewServer(h) // 127.0.0.1, which Chromium treats as a secure origin
	t.Cleanup(srv.Close)
	ctx := newBrowser(t)

	session := func() (map[any]any, cookieseal.Info) {
		t.Helper()
		cs := browserCookies(t, ctx, srv.URL)
		if len(cs) != 1 {
			t.Fatalf("the browser holds %d cookies, want the session cookie", len(cs))
		}
		c := cs[0]
		if c.Name != "__Host-session" || !c.HTTPOnly || !c.Secure || c.Path != "/" || c.SameSite != network.CookieSameSiteLax {
			t.Errorf("cookie %s: HttpOnly %t, Secure %t, Path %s, SameSite %s; want __Host-session, HttpOnly, Secure, /, Lax",
				c.Name, c.HTTPOnly, c.Secure, c.Path, c.SameSite)
		}
		if leaks := readable(c.Value); len(leaks) != 0 {
			t.Errorf("the session cookie reads: %v", leaks)
		}
		var vals map[any]any
		info, err := codec.DecodeInfo(c.Name, c.Value, &vals)
		if err != nil {
			t.Fatalf("the browser's session does not open: %v", err)
		}
		return vals, info
	}
	noCookies := func(when string) {
		t.Helper()
		if cs := browserCookies(t, ctx, srv.URL); len(cs) != 0 {
			t.Errorf("%s: the browser holds %d cookies, want none", when, len(cs))
		}
	}

	do(t, ctx, chromedp.Navigate(srv.URL+"/"), chromedp.WaitVisible(chromedp.CSS("#login")))
	noCookies("first visit")

	submit(t, ctx, "#login", "#username", "ada", "#password", "wrong")
	if got := text(t, ctx, "#flash"); got != "Unknown user or wrong password." {
		t.Errorf("flash after a wrong password: %q", got)
	}
	noCookies("after the flash was shown")

	submit(t, ctx, "#login", "#username", "ada", "#password", password)
	if got := text(t, ctx, "#flash"); got != "Welcome, ada." {
		t.Errorf("flash after signing in: %q", got)
	}
	if got := text(t, ctx, "#user"); got != "ada" {
		t.Errorf("signed in as %q", got)
	}
	vals, info := session()
	if vals["user"] != "ada" || vals["visits"] != 1 || len(vals) != 2 {
		t.Errorf("the session after signing in: %v", vals)
	}
	if !info.CreatedAt.Equal(info.IssuedAt) {
		t.Errorf("RenewToken starts a session: created-at %v, issued-at %v", info.CreatedAt, info.IssuedAt)
	}

	do(t, ctx, chromedp.Navigate(srv.URL+"/"), chromedp.WaitVisible(chromedp.CSS("#user")))
	if n, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll("#flash").length`)); err != nil || n != 0 {
		t.Errorf("the flash is shown once: %d on the next page (%v)", n, err)
	}
	if vals, _ := session(); vals["visits"] != 2 {
		t.Errorf("visits: %v", vals["visits"])
	}

	// A cookie that does not open: an empty session, the login form, 200.
	yes := true
	if _, err := chromedp.Call(ctx, network.SetCookie, network.SetCookieParams{
		Name: "__Host-session", Value: strings.Repeat("A", 80), URL: srv.URL + "/", Path: "/",
		Secure: &yes, HTTPOnly: &yes, SameSite: network.CookieSameSiteLax,
	}); err != nil {
		t.Fatal(err)
	}
	resp, err := chromedp.RunResponse(ctx, chromedp.Navigate(srv.URL+"/"))
	if err != nil || resp.Status != 200 {
		t.Fatalf("with a bad cookie: %v, status %v", err, resp)
	}
	do(t, ctx, chromedp.WaitVisible(chromedp.CSS("#login")))

	// Sign in again, then out.
	submit(t, ctx, "#login", "#username", "ada", "#password", password)
	if got := text(t, ctx, "#user"); got != "ada" {
		t.Fatalf("signed in as %q", got)
	}
	submit(t, ctx, "#logout")
	if got := text(t, ctx, "#flash"); got != "Signed out." {
		t.Errorf("flash after signing out: %q", got)
	}
	noCookies("after signing out and showing the flash")
	do(t, ctx, chromedp.Navigate(srv.URL+"/"), chromedp.WaitVisible(chromedp.CSS("#login")))
}
