package cookieseal_test

import (
	"errors"
	"fmt"
	"log"
	"net/http"
	"net/http/httptest"
	"strings"

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

// A value too long for one cookie is split over several, each within the
// 4096-byte budget with its name; dropping one part makes Read fail.
func ExampleCookies_chunked() {
	codec, err := cookieseal.New(cookieseal.Config{
		Secrets: []string{cookieseal.GenerateSecret()}, // uncompressed, so the length below is exact
	})
	if err != nil {
		log.Fatal(err)
	}
	cookies, err := cookieseal.NewCookies(codec, cookieseal.CookieOptions{})
	if err != nil {
		log.Fatal(err)
	}

	rec := httptest.NewRecorder()
	if err := cookies.Write(rec, httptest.NewRequest("GET", "/", nil), "cart", strings.Repeat("x", 10_000)); err != nil {
		log.Fatal(err)
	}
	next := httptest.NewRequest("GET", "/", nil)
	partial := httptest.NewRequest("GET", "/", nil)
	for _, c := range rec.Result().Cookies() {
		fmt.Println(c.Name, len(c.Name)+1+len(c.Value) <= 4096)
		next.AddCookie(c)
		if c.Name != "cart.1" {
			partial.AddCookie(c)
		}
	}

	var v string
	_, err = cookies.Read(next, "cart", &v)
	fmt.Println(len(v), err)
	_, err = cookies.Read(partial, "cart", &v)
	fmt.Println(errors.Is(err, cookieseal.ErrInvalid))
	// Output:
	// cart true
	// cart.1 true
	// cart.2 true
	// cart.3 true
	// 10000 <nil>
	// true
}
