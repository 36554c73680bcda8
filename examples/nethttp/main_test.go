package main

import (
	"crypto/rand"
	"encoding/base64"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/cookieseal/cookieseal"
)

type client struct {
	t   *testing.T
	srv *httptest.Server
	c   *http.Client
}

// newClient serves the handler with opts, HostPrefix set.
func newClient(t *testing.T, opts ...cookieseal.CookieOptions) *client {
	t.Helper()
	o := cookieseal.CookieOptions{}
	if len(opts) > 0 {
		o = opts[0]
	}
	o.HostPrefix = true
	codec, err := cookieseal.New(cookieseal.Config{Secrets: []string{cookieseal.GenerateSecret()}})
	if err != nil {
		t.Fatal(err)
	}
	cookies, err := cookieseal.NewCookies(codec, o)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewTLSServer(newHandler(cookies)) // TLS: Go before 1.25 keeps Secure cookies off plain-http loopback
	t.Cleanup(srv.Close)
	c := srv.Client()
	c.Jar, _ = cookiejar.New(nil)
	return &client{t: t, srv: srv, c: c}
}

func (c *client) do(method, path string, form url.Values) string {
	c.t.Helper()
	code, body := c.try(method, path, form)
	if code != http.StatusOK {
		c.t.Fatalf("%s %s: %d: %s", method, path, code, body)
	}
	return body
}

func (c *client) try(method, path string, form url.Values) (int, string) {
	c.t.Helper()
	req, err := http.NewRequest(method, c.srv.URL+path, strings.NewReader(form.Encode()))
	if err != nil {
		c.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err := c.c.Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, strings.TrimSpace(string(b))
}

func (c *client) cookieNames() []string {
	u, _ := url.Parse(c.srv.URL)
	var names []string
	for _, k := range c.c.Jar.Cookies(u) {
		names = append(names, k.Name)
	}
	return names
}

func TestCartRoundTrip(t *testing.T) {
	c := newClient(t)
	if got := c.do("GET", "/", nil); got != `cart: []` {
		t.Errorf("empty cart: %q", got)
	}
	c.do("POST", "/add", url.Values{"item": {"apple"}})
	c.do("POST", "/add", url.Values{"item": {"pear"}})
	if got := c.do("GET", "/", nil); got != `cart: ["apple" "pear"]` {
		t.Errorf("got %q", got)
	}
	if got := strings.Join(c.cookieNames(), ","); got != "__Host-cart" {
		t.Errorf("cookies %s, want __Host-cart", got)
	}
}

// TestCartStopsAtTheDefaultBudget: at the defaults a cart fits one cookie
// of 3072 bytes; the item that would pass it is refused with 413 and the
// cart stays as it was.
func TestCartStopsAtTheDefaultBudget(t *testing.T) {
	c := newClient(t)
	items := 0
	for ; items < 10; items++ {
		b := make([]byte, 450)
		rand.Read(b)
		item := "x" + base64.RawURLEncoding.EncodeToString(b) // 601 characters DEFLATE cannot shrink much
		code, _ := c.try("POST", "/add", url.Values{"item": {item}})
		if code == http.StatusRequestEntityTooLarge {
			break
		}
		if code != http.StatusOK {
			t.Fatalf("item %d: %d", items+1, code)
		}
	}
	if items < 2 || items > 6 { // 3 uncompressed, a few more compressed
		t.Fatalf("%d items of 601 bytes fit, want 2 to 6 in 3072 bytes", items)
	}
	if got := c.do("GET", "/", nil); strings.Count(got, `"x`) != items {
		t.Errorf("after the refused item the cart is %.60q..., want %d items", got, items)
	}
	if names := c.cookieNames(); len(names) != 1 {
		t.Errorf("cookies %v, want one", names)
	}
}

func TestCartGrowsPastOneCookieAndShrinks(t *testing.T) {
	c := newClient(t, cookieseal.CookieOptions{MaxHeaderBytes: 16 << 10}) // proxies raised to match
	var last string
	for range 12 {
		b := make([]byte, 675)
		rand.Read(b)
		last = base64.RawURLEncoding.EncodeToString(b) // 900 characters DEFLATE cannot shrink much
		c.do("POST", "/add", url.Values{"item": {last}})
	}
	if n := len(c.cookieNames()); n < 2 {
		t.Fatalf("a cart of about 11 KB sits in %d cookie(s), want it split", n)
	}
	if got := c.do("GET", "/", nil); !strings.HasSuffix(got, `"`+last+`"]`) {
		t.Errorf("last item lost: %.60q...", got)
	}
	c.do("POST", "/clear", nil)
	if n := len(c.cookieNames()); n != 0 {
		t.Errorf("after clear the jar holds %d cookies", n)
	}
	if got := c.do("GET", "/", nil); got != `cart: []` {
		t.Errorf("after clear: %q", got)
	}
}

func TestTamperedCartIsEmpty(t *testing.T) {
	c := newClient(t)
	c.do("POST", "/add", url.Values{"item": {"apple"}})
	u, _ := url.Parse(c.srv.URL)
	k := c.c.Jar.Cookies(u)[0]
	v := []byte(k.Value)
	v[10] ^= 1
	c.c.Jar.SetCookies(u, []*http.Cookie{{Name: k.Name, Value: string(v), Path: "/"}})
	if got := c.do("GET", "/", nil); got != `cart: []` {
		t.Errorf("tampered cart: %q, want empty", got)
	}
}
