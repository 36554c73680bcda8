package cookieseal_test

import (
	"errors"
	"fmt"
	"log"
	"net/http"
	"net/http/httptest"
	"strings"
	"time"

	"github.com/cookieseal/cookieseal"
)

// A handler writes a session cookie with safe attributes; the next request
// reads it back, and a request without it gets http.ErrNoCookie.
func ExampleCookies() {
	codec, err := cookieseal.New(cookieseal.Config{Secrets: []string{cookieseal.GenerateSecret()}})
	if err != nil {
		log.Fatal(err)
	}
	cookies, err := cookieseal.NewCookies(codec, cookieseal.CookieOptions{HostPrefix: true})
	if err != nil {
		log.Fatal(err)
	}

	rec := httptest.NewRecorder()
	if err := cookies.Write(rec, httptest.NewRequest("GET", "/", nil), "session", map[string]string{"user": "ada"}); err != nil {
		log.Fatal(err)
	}
	c := rec.Result().Cookies()[0]
	fmt.Println(c.Name, "HttpOnly:", c.HttpOnly, "Secure:", c.Secure, "Lax:", c.SameSite == http.SameSiteLaxMode, "Path:", c.Path, "Max-Age:", c.MaxAge)
	fmt.Println("Cache-Control:", rec.Header().Get("Cache-Control"))

	next := httptest.NewRequest("GET", "/", nil)
	next.AddCookie(c)
	var session map[string]string
	_, err = cookies.Read(next, "session", &session)
	fmt.Println(session["user"], err)

	_, err = cookies.Read(httptest.NewRequest("GET", "/", nil), "session", &session)
	fmt.Println(errors.Is(err, http.ErrNoCookie), errors.Is(err, cookieseal.ErrInvalid))
	// Output:
	// __Host-session HttpOnly: true Secure: true Lax: true Path: / Max-Age: 86400
	// Cache-Control: no-store
	// ada <nil>
	// true false
}

// By default a value must fit one cookie of 3072 bytes, what a stock nginx
// in front of the application passes; past that Write fails with
// ErrTooLarge and writes nothing. A deployment whose proxies take longer
// headers raises MaxHeaderBytes: a value too long for one cookie is then
// split over several, each within 4096 bytes with its name, the first
// saying how many there are.
func ExampleCookies_chunked() {
	codec, err := cookieseal.New(cookieseal.Config{
		Secrets: []string{cookieseal.GenerateSecret()}, // uncompressed, so the length below is exact
	})
	if err != nil {
		log.Fatal(err)
	}
	defaults, err := cookieseal.NewCookies(codec, cookieseal.CookieOptions{})
	if err != nil {
		log.Fatal(err)
	}
	rec := httptest.NewRecorder()
	err = defaults.Write(rec, nil, "cart", strings.Repeat("x", 5000))
	fmt.Println(errors.Is(err, cookieseal.ErrTooLarge), len(rec.Header()))

	// Behind proxies configured for 8 KB of cookies (nginx:
	// large_client_header_buffers 4 16k; proxy_buffer_size 16k).
	cookies, err := cookieseal.NewCookies(codec, cookieseal.CookieOptions{MaxHeaderBytes: 7168})
	if err != nil {
		log.Fatal(err)
	}
	rec = httptest.NewRecorder()
	if err := cookies.Write(rec, httptest.NewRequest("GET", "/", nil), "cart", strings.Repeat("x", 5000)); err != nil {
		log.Fatal(err)
	}
	next := httptest.NewRequest("GET", "/", nil)
	for _, c := range rec.Result().Cookies() {
		if c.MaxAge < 0 {
			continue // a part that an older, longer value might have left
		}
		count, _, _ := strings.Cut(c.Value, ".")
		fmt.Println(c.Name, len(c.Name)+1+len(c.Value) <= 4096, c.Name == "cart" && count == "2")
		next.AddCookie(c)
	}
	next.AddCookie(&http.Cookie{Name: "cart.9", Value: "planted"}) // not counted, not read

	var v string
	_, err = cookies.Read(next, "cart", &v)
	fmt.Println(len(v), err)
	// Output:
	// true 0
	// cart true true
	// cart.1 true false
	// 5000 <nil>
}

// A handler reads the session, judges it, and only then re-issues it: a
// session the handler refuses (here: issued before the user's last password
// change) gets no new cookie. A re-issue because the key rotated keeps the
// issued-at, so the rule holds on the next request too.
func ExampleCookies_Reissue() {
	oldSecret, newSecret := cookieseal.GenerateSecret(), cookieseal.GenerateSecret()
	login := time.Date(2026, 6, 1, 9, 0, 0, 0, time.UTC)
	now := login
	clock := func() time.Time { return now }
	before, _ := cookieseal.New(cookieseal.Config{Secrets: []string{oldSecret}, Now: clock})
	codec, _ := cookieseal.New(cookieseal.Config{Secrets: []string{newSecret, oldSecret}, Now: clock})
	oldCookies, _ := cookieseal.NewCookies(before, cookieseal.CookieOptions{})
	cookies, _ := cookieseal.NewCookies(codec, cookieseal.CookieOptions{})
	passwordChanged := login.Add(time.Hour)

	handler := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var user string
		info, err := cookies.Read(r, "session", &user)
		if err != nil || info.IssuedAt.Before(passwordChanged) {
			http.Error(w, "log in again", http.StatusUnauthorized) // nothing re-issued
			return
		}
		if err := cookies.Reissue(w, r, "session", user, info); err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		fmt.Fprint(w, "welcome ", user)
	})
	visit := func(c []*http.Cookie) *httptest.ResponseRecorder {
		r := httptest.NewRequest("GET", "/", nil)
		for _, c := range c {
			r.AddCookie(c)
		}
		rec := httptest.NewRecorder()
		handler.ServeHTTP(rec, r)
		fmt.Println(rec.Code, len(rec.Result().Cookies()), "cookies set")
		return rec
	}

	// Logged in at 09:00 under the old key; the password changed at 10:00.
	rec := httptest.NewRecorder()
	if err := oldCookies.Write(rec, nil, "session", "alice"); err != nil {
		log.Fatal(err)
	}
	stolen := rec.Result().Cookies()[:1]
	now = login.Add(2 * time.Hour)
	visit(stolen)
	visit(stolen)

	// Logged in again at 11:00, still under the old key: accepted, and
	// re-issued under the new key with its issued-at kept.
	rec = httptest.NewRecorder()
	if err := oldCookies.Write(rec, nil, "session", "alice"); err != nil {
		log.Fatal(err)
	}
	reissued := visit(rec.Result().Cookies()[:1]).Result().Cookies()
	visit(reissued)
	// Output:
	// 401 0 cookies set
	// 401 0 cookies set
	// 200 1 cookies set
	// 200 0 cookies set
}

// The revocation check of docs/nethttp.md. IssuedAt is whole seconds (SPEC.md
// section 4), so the time of the password change is truncated to seconds
// before the comparison: a login in the same second as the change is
// accepted instead of being refused again and again.
func ExampleCookies_Read_passwordChange() {
	changed := time.Date(2026, 6, 1, 10, 0, 0, 300_000_000, time.UTC) // 10:00:00.3
	now := changed.Add(-time.Hour)
	codec, _ := cookieseal.New(cookieseal.Config{Secrets: []string{cookieseal.GenerateSecret()}, Now: func() time.Time { return now }})
	cookies, _ := cookieseal.NewCookies(codec, cookieseal.CookieOptions{})
	user := struct{ PasswordChangedAt time.Time }{changed}
	type session struct{ User string }

	handler := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var s session
		info, err := cookies.Read(r, "session", &s)
		if err != nil || info.IssuedAt.Before(user.PasswordChangedAt.Truncate(time.Second)) { // revoked: nothing is written
			http.Error(w, "log in again", http.StatusUnauthorized)
			return
		}
		fmt.Fprint(w, "welcome ", s.User)
	})
	login := func() []*http.Cookie { // a login at now
		rec := httptest.NewRecorder()
		if err := cookies.Write(rec, nil, "session", session{"alice"}); err != nil {
			log.Fatal(err)
		}
		return rec.Result().Cookies()
	}
	visit := func(c []*http.Cookie) {
		r := httptest.NewRequest("GET", "/", nil)
		for _, c := range c {
			r.AddCookie(c)
		}
		rec := httptest.NewRecorder()
		handler.ServeHTTP(rec, r)
		fmt.Println(rec.Code)
	}

	old := login() // 09:00:00.3, before the change
	now = changed.Add(500 * time.Millisecond)
	sameSecond := login() // 10:00:00.8: IssuedAt 10:00:00
	visit(old)
	visit(sameSecond)
	// Output:
	// 401
	// 200
}
