package main

import (
	"bytes"
	"encoding/base64"
	"errors"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/cookieseal/cookieseal"
	"github.com/cookieseal/cookieseal/examples/guess/game"
)

// player drives the game through a real HTTP server with a cookie jar,
// as a browser would.
type player struct {
	t      *testing.T
	srv    *httptest.Server
	client *http.Client
}

func newPlayer(t *testing.T, answer int) *player {
	t.Helper()
	g, err := game.New(game.Config{Secrets: []string{cookieseal.GenerateSecret()}, Pick: func() int { return answer }})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewTLSServer(g) // TLS: Go before 1.25 keeps Secure cookies off plain-http loopback
	t.Cleanup(srv.Close)
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	client := srv.Client()
	client.Jar = jar
	client.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	return &player{t: t, srv: srv, client: client}
}

// get fetches path and returns the status and the body.
func (p *player) get(path string) (int, string) {
	p.t.Helper()
	resp, err := p.client.Get(p.srv.URL + path)
	if err != nil {
		p.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		p.t.Fatal(err)
	}
	return resp.StatusCode, string(b)
}

func (p *player) guess(n string) (int, string) {
	p.t.Helper()
	return p.get("/guess?guess=" + url.QueryEscape(n))
}

// cookies returns the session cookies the jar holds.
func (p *player) cookies() []*http.Cookie {
	u, _ := url.Parse(p.srv.URL)
	return p.client.Jar.Cookies(u)
}

// setCookies replaces the jar's session cookie, as a player replaying an
// old one would.
func (p *player) setCookies(cs []*http.Cookie) {
	u, _ := url.Parse(p.srv.URL)
	jar, _ := cookiejar.New(nil)
	jar.SetCookies(u, cs)
	p.client.Jar = jar
}

func mustContain(t *testing.T, body string, want ...string) {
	t.Helper()
	for _, w := range want {
		if !strings.Contains(body, w) {
			t.Errorf("page lacks %q:\n%s", w, body)
		}
	}
}

func TestWin(t *testing.T) {
	p := newPlayer(t, 7)
	status, body := p.get("/")
	if status != http.StatusOK {
		t.Fatalf("/: %d", status)
	}
	mustContain(t, body, `<strong id="tries-left">3</strong>`, "__Host-guess")
	_, body = p.guess("3")
	mustContain(t, body, "3 is wrong: my number is higher", `<strong id="tries-left">2</strong>`)
	_, body = p.guess("9")
	mustContain(t, body, "9 is wrong: my number is lower", `<strong id="tries-left">1</strong>`)
	status, body = p.guess("7")
	if status != http.StatusOK {
		t.Fatalf("winning guess: %d", status)
	}
	mustContain(t, body, "You win!", `<strong id="answer">7</strong>`, "in 3\ntries")
	if c := p.cookies(); len(c) != 0 {
		t.Errorf("after the game the jar still holds %d cookies", len(c))
	}
}

func TestWinFirstTry(t *testing.T) {
	p := newPlayer(t, 10)
	p.get("/")
	_, body := p.guess("10")
	mustContain(t, body, "You win!", `<strong id="answer">10</strong>`, "in 1\ntry.")
}

func TestLoseAfterThreeTries(t *testing.T) {
	p := newPlayer(t, 7)
	p.get("/")
	for i, g := range []string{"1", "2"} {
		status, body := p.guess(g)
		if status != http.StatusOK || strings.Contains(body, "You lose") {
			t.Fatalf("try %d: status %d, lost too early", i+1, status)
		}
	}
	_, body := p.guess("3")
	mustContain(t, body, "You lose.", `<strong id="answer">7</strong>`)

	// The game is over and its cookie deleted: another guess starts afresh.
	status, _ := p.guess("7")
	if status != http.StatusSeeOther {
		t.Errorf("guess after losing: status %d, want a redirect to a new game", status)
	}
}

func TestBadInputUsesNoTry(t *testing.T) {
	p := newPlayer(t, 7)
	p.get("/")
	for _, in := range []string{"", "abc", "0", "11", "-3", "7.5", "1e1", "<script>"} {
		status, body := p.guess(in)
		if status != http.StatusBadRequest {
			t.Errorf("guess %q: status %d, want 400", in, status)
		}
		mustContain(t, body, "Enter a whole number from 1 to 10.", `<strong id="tries-left">3</strong>`)
		if strings.Contains(body, "<script>") {
			t.Errorf("guess %q echoed unescaped", in)
		}
	}
	_, body := p.guess(" 7 ")
	mustContain(t, body, "You win!")
}

func TestGuessWithoutGame(t *testing.T) {
	p := newPlayer(t, 7)
	if status, _ := p.guess("7"); status != http.StatusSeeOther {
		t.Errorf("no cookie: status %d, want 303", status)
	}
	p.get("/")
	cs := p.cookies()
	if len(cs) != 1 {
		t.Fatalf("jar holds %d cookies, want 1", len(cs))
	}
	b := []byte(cs[0].Value)
	b[len(b)/2] ^= 1
	p.setCookies([]*http.Cookie{{Name: cs[0].Name, Value: string(b), Path: "/"}})
	if status, _ := p.guess("7"); status != http.StatusSeeOther {
		t.Errorf("tampered cookie: status %d, want 303", status)
	}
}

func TestReplayRefused(t *testing.T) {
	p := newPlayer(t, 7)
	p.get("/")
	p.guess("1")
	afterTry1 := p.cookies()
	p.guess("2")

	p.setCookies(afterTry1)
	status, body := p.guess("3")
	if status != http.StatusConflict {
		t.Errorf("replayed cookie: status %d, want 409", status)
	}
	mustContain(t, body, "from an earlier try")

	// Replaying after the game has ended is refused too.
	q := newPlayer(t, 7)
	q.get("/")
	q.guess("1")
	saved := q.cookies()
	q.guess("7")
	q.setCookies(saved)
	status, body = q.guess("5")
	if status != http.StatusConflict {
		t.Errorf("replay after the game ended: status %d, want 409", status)
	}
	mustContain(t, body, "This game is over")
}

// TestCookieRevealsNothing checks what a player can see: the cookie has the
// same length whatever the answer (stored as it is, 1 to 10: cookieseal's
// padding hides the extra digit of 10), at the start and after each wrong
// guess, and no base64 reading of it shows JSON.
func TestCookieRevealsNothing(t *testing.T) {
	lengths := map[int]bool{}
	after := [2]map[int]bool{{}, {}}
	for answer := 1; answer <= 10; answer++ {
		p := newPlayer(t, answer)
		p.get("/")
		cs := p.cookies()
		if len(cs) != 1 {
			t.Fatalf("jar holds %d cookies, want 1", len(cs))
		}
		v := cs[0].Value
		lengths[len(v)] = true
		for try, g := range wrongGuesses(answer) {
			p.guess(g)
			cs := p.cookies()
			if len(cs) != 1 {
				t.Fatalf("answer %d, wrong guess %s: jar holds %d cookies", answer, g, len(cs))
			}
			after[try][len(cs[0].Value)] = true
		}
		for _, enc := range []*base64.Encoding{base64.RawURLEncoding, base64.URLEncoding, base64.RawStdEncoding, base64.StdEncoding} {
			raw, err := enc.DecodeString(v)
			if err != nil {
				continue
			}
			if bytes.Contains(raw, []byte("answer")) || bytes.Contains(raw, []byte("game")) {
				t.Errorf("answer %d: cookie decodes to readable JSON", answer)
			}
		}
	}
	if len(lengths) != 1 {
		t.Errorf("cookie lengths vary with the answer: %v", lengths)
	}
	for i, l := range after {
		if len(l) != 1 {
			t.Errorf("after wrong guess %d, cookie lengths vary with the answer: %v", i+1, l)
		}
	}
}

// wrongGuesses are two guesses that miss answer.
func wrongGuesses(answer int) []string {
	var out []string
	for _, g := range []string{"1", "10", "5"} {
		if g != strconv.Itoa(answer) && len(out) < 2 {
			out = append(out, g)
		}
	}
	return out
}

func TestRun(t *testing.T) {
	var gotAddr string
	var gotHandler http.Handler
	listen := func(addr string, h http.Handler) error {
		gotAddr, gotHandler = addr, h
		return http.ErrServerClosed
	}
	var stderr bytes.Buffer
	if code := run([]string{"-addr", "127.0.0.1:0"}, func(string) string { return "" }, &stderr, listen); code != 0 {
		t.Fatalf("run: exit %d: %s", code, stderr.String())
	}
	if gotAddr != "127.0.0.1:0" || gotHandler == nil {
		t.Errorf("listened on %q with %v", gotAddr, gotHandler)
	}
	mustContain(t, stderr.String(), "generated a secret")

	secret := cookieseal.GenerateSecret()
	stderr.Reset()
	getenv := func(k string) string {
		if k == "COOKIESEAL_SECRETS" {
			return secret
		}
		return ""
	}
	if code := run(nil, getenv, &stderr, listen); code != 0 || gotAddr != "localhost:8080" {
		t.Errorf("default address: exit %d, addr %q", code, gotAddr)
	}
	if strings.Contains(stderr.String(), "generated") || strings.Contains(stderr.String(), secret) {
		t.Errorf("log %q: want neither a generated secret nor the secret", stderr.String())
	}

	stderr.Reset()
	short := func(string) string { return "too-short" }
	if code := run(nil, short, &stderr, listen); code != 1 || strings.Contains(stderr.String(), "too-short") {
		t.Errorf("short secret: exit %d, log %q; want 1 without the secret", code, stderr.String())
	}
	if code := run([]string{"-nope"}, short, io.Discard, listen); code != 2 {
		t.Errorf("bad flag: exit %d, want 2", code)
	}
	failing := func(string, http.Handler) error { return errors.New("address in use") }
	if code := run(nil, getenv, io.Discard, failing); code != 1 {
		t.Errorf("listen failure: exit %d, want 1", code)
	}
}
