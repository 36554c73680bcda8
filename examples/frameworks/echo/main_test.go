package main

import (
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/cookieseal/cookieseal"
)

func TestVisitsStayAnInt(t *testing.T) {
	secret := cookieseal.GenerateSecret()
	store, err := newStore([]string{secret})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(newServer(store))
	defer srv.Close()
	client := srv.Client()
	client.Jar, _ = cookiejar.New(nil)

	for want := 1; want <= 3; want++ {
		resp, err := client.Get(srv.URL)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("visit %d: %s: %s", want, resp.Status, body)
		}
		if got := strings.TrimSpace(string(body)); got != fmt.Sprintf("visits: %d", want) {
			t.Errorf("visit %d: got %q", want, got)
		}
		if cc := resp.Header.Get("Cache-Control"); cc != "no-store" {
			t.Errorf("Cache-Control %q, want no-store (the store sets it)", cc)
		}
		line := resp.Header.Get("Set-Cookie")
		for _, attr := range []string{"session=", "Path=/", "Max-Age=86400", "HttpOnly", "Secure", "SameSite=Lax"} {
			if !strings.Contains(line, attr) {
				t.Errorf("Set-Cookie %q lacks %s", line, attr)
			}
		}
	}

	u, _ := url.Parse(srv.URL)
	cookies := client.Jar.Cookies(u)
	if len(cookies) != 1 || cookies[0].Name != "session" {
		t.Fatalf("jar holds %v, want the session cookie", cookies)
	}
	codec, err := cookieseal.New(cookieseal.Config{Secrets: []string{secret}})
	if err != nil {
		t.Fatal(err)
	}
	var values map[any]any
	if err := codec.Decode("session", cookies[0].Value, &values); err != nil {
		t.Fatal(err)
	}
	if n, ok := values["visits"].(int); !ok || n != 3 {
		t.Errorf("visits decodes as %T %v, want int 3", values["visits"], values["visits"])
	}
}

func TestTamperedCookieStartsAgain(t *testing.T) {
	store, err := newStore([]string{cookieseal.GenerateSecret()})
	if err != nil {
		t.Fatal(err)
	}
	h := newServer(store)
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/", nil))
	c := rec.Result().Cookies()[0]
	b := []byte(c.Value)
	b[len(b)-2] ^= 1
	r := httptest.NewRequest(http.MethodGet, "/", nil)
	r.AddCookie(&http.Cookie{Name: c.Name, Value: string(b)})
	rec = httptest.NewRecorder()
	h.ServeHTTP(rec, r)
	if got := strings.TrimSpace(rec.Body.String()); got != "visits: 1" {
		t.Errorf("tampered cookie: got %q, want a new session", got)
	}
}

func TestNewStoreRejectsShortSecret(t *testing.T) {
	if _, err := newStore([]string{"short"}); err == nil {
		t.Error("newStore accepted a short secret")
	}
}
