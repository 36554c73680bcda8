package app

import (
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/cookieseal/cookieseal"
)

// TestLoginFlashLogout plays the example with Go's cookie jar: a failed
// sign-in's flash, a sign-in, a page count, a sign-out; the browser holds
// no cookie at the end.
func TestLoginFlashLogout(t *testing.T) {
	codec, err := cookieseal.New(cookieseal.Config{Secrets: []string{cookieseal.GenerateSecret()}})
	if err != nil {
		t.Fatal(err)
	}
	h, _ := New(Config{Codec: codec, Users: map[string]string{"ada": "test-password-of-this-test"}})
	srv := httptest.NewTLSServer(h)
	defer srv.Close()
	jar, _ := cookiejar.New(nil)
	c := srv.Client()
	c.Jar = jar
	u, _ := url.Parse(srv.URL)

	get := func() string {
		res, err := c.Get(srv.URL + "/")
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		return string(b)
	}
	post := func(path string, form url.Values) string {
		res, err := c.PostForm(srv.URL+path, form)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		return string(b)
	}
	cookies := func() []*http.Cookie { return jar.Cookies(u) }

	if body := get(); !strings.Contains(body, `id="login"`) || len(cookies()) != 0 {
		t.Fatalf("first page: %d cookies, %q", len(cookies()), body)
	}
	body := post("/login", url.Values{"username": {"ada"}, "password": {"wrong"}})
	if !strings.Contains(body, "Unknown user or wrong password.") {
		t.Fatalf("after a wrong password: %q", body)
	}
	if len(cookies()) != 0 {
		t.Fatalf("the flash was shown, its session emptied: %d cookies left", len(cookies()))
	}
	body = post("/login", url.Values{"username": {"ada"}, "password": {"test-password-of-this-test"}})
	if !strings.Contains(body, "Welcome, ada.") || !strings.Contains(body, `<b id="user">ada</b>`) {
		t.Fatalf("after signing in: %q", body)
	}
	if body = get(); strings.Contains(body, "Welcome") || !strings.Contains(body, "2 pages seen") {
		t.Fatalf("the flash is shown once; pages counted: %q", body)
	}
	if cs := cookies(); len(cs) != 1 || cs[0].Name != "__Host-session" {
		t.Fatalf("cookies: %v", cs)
	}
	var vals map[any]any
	if err := codec.Decode("__Host-session", cookies()[0].Value, &vals); err != nil || vals["user"] != "ada" || vals["visits"] != 2 {
		t.Fatalf("the sealed session: %v, %v", vals, err)
	}
	body = post("/logout", nil)
	if !strings.Contains(body, "Signed out.") || !strings.Contains(body, `id="login"`) {
		t.Fatalf("after signing out: %q", body)
	}
	if len(cookies()) != 0 {
		t.Fatalf("after signing out and the flash: %d cookies", len(cookies()))
	}
}
