package e2e

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"html"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"github.com/cookieseal/cookieseal"
	"github.com/cookieseal/cookieseal/examples/guess/game"
)

// chromiumPath is where Debian's chromium package puts the browser.
const chromiumPath = "/usr/bin/chromium"

// newBrowser starts headless Chromium with a fresh profile and returns a
// context for one tab. Without Chromium the test skips, unless CI is set:
// CI installs it, so there its absence is a failure.
func newBrowser(t *testing.T) context.Context {
	t.Helper()
	path := chromiumPath
	if _, err := os.Stat(path); err != nil {
		if p, lookErr := exec.LookPath("chromium"); lookErr == nil {
			path = p
		} else if os.Getenv("CI") != "" {
			t.Fatalf("CI is set but Chromium is missing (%v); .ci/run installs the chromium package", err)
		} else {
			t.Skipf("Chromium not installed (%v): apt-get install chromium", err)
		}
	}
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(path),
		chromedp.Flag("headless", true),
		chromedp.Flag("no-sandbox", true),
		chromedp.Flag("disable-gpu", true),
		chromedp.Flag("no-first-run", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.Flag("no-default-browser-check", true),
		chromedp.UserDataDir(t.TempDir()),
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	t.Cleanup(cancel)
	ctx, cancelAlloc := chromedp.NewExecAllocator(ctx, opts...)
	t.Cleanup(cancelAlloc)
	ctx, cancelTab := chromedp.NewContext(ctx)
	t.Cleanup(cancelTab)
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("starting Chromium: %v", err)
	}
	return ctx
}

// do runs steps in the tab, failing the test on error.
func do(t *testing.T, ctx context.Context, steps ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	if err := chromedp.Do(ctx, steps...); err != nil {
		t.Fatal(err)
	}
}

// browserCookies returns the cookies the browser holds for url.
func browserCookies(t *testing.T, ctx context.Context, url string) []*network.Cookie {
	t.Helper()
	res, err := chromedp.Call(ctx, network.GetCookies, network.GetCookiesParams{URLs: []string{url}})
	if err != nil {
		t.Fatal(err)
	}
	return res.Cookies
}

// text returns the text of the element that the CSS selector sel finds.
func text(t *testing.T, ctx context.Context, sel string) string {
	t.Helper()
	s, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(sel)))
	if err != nil {
		t.Fatalf("text of %s: %v", sel, err)
	}
	return strings.TrimSpace(s)
}

// guess types n into the game's form and submits it, as a player would,
// and waits for the next page.
func guess(t *testing.T, ctx context.Context, n int) {
	t.Helper()
	do(t, ctx,
		chromedp.WaitVisible(chromedp.CSS("#guess")),
		chromedp.SetValue(chromedp.CSS("#guess"), strconv.Itoa(n)),
	)
	resp, err := chromedp.RunResponse(ctx, chromedp.Click(chromedp.CSS("#submit")))
	if err != nil {
		t.Fatalf("guess %d: %v", n, err)
	}
	if !strings.Contains(resp.URL, "/guess?guess="+strconv.Itoa(n)) {
		t.Fatalf("guess %d loaded %s", n, resp.URL)
	}
}

// checkSessionCookie asserts the browser holds exactly the game's sealed
// cookie with safe attributes, and that nothing in it reads.
func checkSessionCookie(t *testing.T, ctx context.Context, url string) {
	t.Helper()
	cookies := browserCookies(t, ctx, url)
	if len(cookies) != 1 {
		t.Fatalf("browser holds %d cookies, want the one session cookie", len(cookies))
	}
	c := cookies[0]
	if c.Name != "__Host-guess" || !c.HTTPOnly || !c.Secure || c.Path != "/" || c.SameSite != network.CookieSameSiteLax {
		t.Errorf("cookie %s: HttpOnly %t, Secure %t, Path %s, SameSite %s; want __Host-guess, HttpOnly, Secure, /, Lax",
			c.Name, c.HTTPOnly, c.Secure, c.Path, c.SameSite)
	}
	if leaks := readable(c.Value); len(leaks) != 0 {
		t.Errorf("the session cookie reads: %v", leaks)
	}
	if _, err := cookieseal.Inspect(c.Value); err != nil {
		t.Errorf("the browser's cookie is not a cookieseal cookie: %v", err)
	}
}

func startGame(t *testing.T, answer int) *httptest.Server {
	t.Helper()
	g, err := game.New(game.Config{
		Secrets: []string{cookieseal.GenerateSecret()},
		Pick:    func() int { return answer },
	})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(g) // 127.0.0.1 only
	t.Cleanup(srv.Close)
	return srv
}

// TestBrowserPlaysGuess wins one game and loses another through the real
// pages, reading the session cookie from the browser after every step.
func TestBrowserPlaysGuess(t *testing.T) {
	const answer = 7
	srv := startGame(t, answer)
	ctx := newBrowser(t)

	// Win: a low guess, a high guess, then the answer.
	do(t, ctx, chromedp.Navigate(srv.URL+"/"))
	if got := text(t, ctx, "#tries-left"); got != "3" {
		t.Fatalf("tries left: got %q, want 3", got)
	}
	checkSessionCookie(t, ctx, srv.URL)
	guess(t, ctx, 2)
	if got := text(t, ctx, "#hint"); !strings.Contains(got, "higher") {
		t.Errorf("hint after 2: %q, want higher", got)
	}
	checkSessionCookie(t, ctx, srv.URL)
	guess(t, ctx, 9)
	if got := text(t, ctx, "#hint"); !strings.Contains(got, "lower") {
		t.Errorf("hint after 9: %q, want lower", got)
	}
	checkSessionCookie(t, ctx, srv.URL)
	guess(t, ctx, answer)
	if got := text(t, ctx, "#result"); !strings.HasPrefix(got, "You win!") {
		t.Fatalf("after the right guess: %q, want You win!", got)
	}
	if got := text(t, ctx, "#answer"); got != strconv.Itoa(answer) {
		t.Errorf("win page shows %q, want %d", got, answer)
	}
	if c := browserCookies(t, ctx, srv.URL); len(c) != 0 {
		t.Errorf("after the game the browser holds %d cookies, want none", len(c))
	}

	// Lose: three wrong guesses.
	do(t, ctx, chromedp.Click(chromedp.CSS("#again")), chromedp.WaitVisible(chromedp.CSS("#guess")))
	checkSessionCookie(t, ctx, srv.URL)
	for _, n := range []int{1, 2, 3} {
		guess(t, ctx, n)
	}
	if got := text(t, ctx, "#result"); !strings.HasPrefix(got, "You lose.") {
		t.Fatalf("after three wrong guesses: %q, want You lose.", got)
	}
	if got := text(t, ctx, "#answer"); got != strconv.Itoa(answer) {
		t.Errorf("lose page shows %q, want %d", got, answer)
	}
}

// TestBrowserRefusesReplay puts the cookie of try 1 back into the browser
// after try 2 and checks that the game refuses it.
func TestBrowserRefusesReplay(t *testing.T) {
	srv := startGame(t, 7)
	ctx := newBrowser(t)
	do(t, ctx, chromedp.Navigate(srv.URL+"/"))
	guess(t, ctx, 1)
	old := browserCookies(t, ctx, srv.URL)
	if len(old) != 1 {
		t.Fatalf("browser holds %d cookies, want 1", len(old))
	}
	guess(t, ctx, 2)
	yes := true
	if _, err := chromedp.Call(ctx, network.SetCookie, network.SetCookieParams{
		Name: old[0].Name, Value: old[0].Value, URL: srv.URL + "/", Path: "/",
		Secure: &yes, HTTPOnly: &yes, SameSite: network.CookieSameSiteLax,
	}); err != nil {
		t.Fatal(err)
	}
	guess(t, ctx, 3)
	if got := text(t, ctx, "#refused"); !strings.Contains(got, "earlier try") {
		t.Errorf("replayed cookie: page says %q, want a refusal", got)
	}
}

// bigServer stores a random text of ?kb= kilobytes in a session and shows
// its SHA-256; /get reads the session back and shows the same.
func bigServer(t *testing.T) *httptest.Server {
	t.Helper()
	codec, err := cookieseal.New(cookieseal.Config{Secrets: []string{cookieseal.GenerateSecret()}})
	if err != nil {
		t.Fatal(err)
	}
	cookies, err := cookieseal.NewCookies(codec, cookieseal.CookieOptions{HostPrefix: true, MaxHeaderBytes: 20 * 4096}) // past the default budget: Chromium sends it, proxies may not
	if err != nil {
		t.Fatal(err)
	}
	show := func(w http.ResponseWriter, data string) {
		sum := sha256.Sum256([]byte(data))
		fmt.Fprintf(w, `<!doctype html><title>big</title><p id="sum">%s</p><p id="len">%d</p>`, hex.EncodeToString(sum[:]), len(data))
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /set", func(w http.ResponseWriter, r *http.Request) {
		kb, err := strconv.Atoi(r.FormValue("kb"))
		if err != nil || kb < 1 || kb > 20 {
			http.Error(w, "kb: 1 to 20", http.StatusBadRequest)
			return
		}
		b := make([]byte, kb<<10)
		rand.Read(b)
		data := base64.RawURLEncoding.EncodeToString(b)[:kb<<10] // incompressible text
		if err := cookies.Write(w, r, "big", map[string]string{"data": data}); err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		show(w, data)
	})
	mux.HandleFunc("GET /get", func(w http.ResponseWriter, r *http.Request) {
		var v map[string]string
		if _, err := cookies.Read(r, "big", &v); err != nil {
			w.WriteHeader(http.StatusBadRequest)
			fmt.Fprintf(w, `<!doctype html><p id="sum">error: %s</p>`, html.EscapeString(err.Error()))
			return
		}
		show(w, v["data"])
	})
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv
}

// TestBrowserChunkedSession stores sessions of 5, 10 and 16 KB in Chromium,
// spread over several cookies, reads each back on the next page load, then
// shrinks to 1 KB and checks that the browser dropped the leftover parts.
func TestBrowserChunkedSession(t *testing.T) {
	srv := bigServer(t)
	ctx := newBrowser(t)
	for _, kb := range []int{5, 10, 16, 1} {
		do(t, ctx, chromedp.Navigate(fmt.Sprintf("%s/set?kb=%d", srv.URL, kb)))
		setSum, setLen := text(t, ctx, "#sum"), text(t, ctx, "#len")
		cookies := browserCookies(t, ctx, srv.URL)
		total := 0
		for _, c := range cookies {
			if size := len(c.Name) + 1 + len(c.Value); size > 4096 {
				t.Errorf("%d KB: cookie %s is %d bytes with its name, over 4096", kb, c.Name, size)
			}
			if !strings.HasPrefix(c.Name, "__Host-big") || !c.HTTPOnly || !c.Secure {
				t.Errorf("%d KB: cookie %s, HttpOnly %t, Secure %t", kb, c.Name, c.HTTPOnly, c.Secure)
			}
			total += len(c.Value)
		}
		wantParts := (total + 4000) / 4084 // about one cookie per 4 KB
		if kb >= 5 && len(cookies) < 2 || len(cookies) < wantParts {
			t.Errorf("%d KB: browser holds %d cookies for %d bytes of value, want at least %d", kb, len(cookies), total, max(wantParts, 2))
		}
		if kb == 1 && len(cookies) != 1 {
			t.Errorf("after shrinking to 1 KB the browser holds %d cookies, want 1", len(cookies))
		}
		do(t, ctx, chromedp.Navigate(srv.URL+"/get"))
		getSum, getLen := text(t, ctx, "#sum"), text(t, ctx, "#len")
		t.Logf("%d KB: %d cookies, %d bytes of cookie values, read back %s bytes", kb, len(cookies), total, getLen)
		if getSum != setSum || getLen != strconv.Itoa(kb<<10) {
			t.Errorf("%d KB in %d cookies: read back %s (%s bytes), want %s (%s bytes)", kb, len(cookies), getSum, getLen, setSum, setLen)
		}
	}
}
