package session

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/cookieseal/cookieseal"
	"github.com/stretchr/testify/require"
)

// t0 is the test clock's start.
var t0 = time.Unix(1_800_000_000, 0)

// clock is a test clock shared by a codec and the test.
type clock struct{ ns atomic.Int64 }

func newClock() *clock                 { c := &clock{}; c.ns.Store(t0.UnixNano()); return c }
func (c *clock) Now() time.Time        { return time.Unix(0, c.ns.Load()) }
func (c *clock) Add(d time.Duration)   { c.ns.Add(int64(d)) }
func (c *clock) Unix() int64           { return c.Now().Unix() }
func (c *clock) Set(unixSeconds int64) { c.ns.Store(unixSeconds * int64(time.Second)) }

// newCodec returns a codec on clk with a fresh secret, and the secret.
func newCodec(t testing.TB, clk *clock, cfg cookieseal.Config) *cookieseal.Codec {
	t.Helper()
	if cfg.Secrets == nil {
		cfg.Secrets = []string{cookieseal.GenerateSecret()}
	}
	cfg.Now = clk.Now
	c, err := cookieseal.New(cfg)
	require.NoError(t, err)
	return c
}

// browser keeps the cookies that responses set, as a browser would for one
// host and path, and sends them back.
type browser struct {
	cookies map[string]string
	order   []string
}

func newBrowser() *browser { return &browser{cookies: map[string]string{}} }

func (b *browser) header() string {
	var parts []string
	for _, n := range b.order {
		if v, ok := b.cookies[n]; ok {
			parts = append(parts, n+"="+v)
		}
	}
	return strings.Join(parts, "; ")
}

func (b *browser) take(res *http.Response) {
	for _, c := range res.Cookies() {
		if c.MaxAge < 0 || c.Value == "" {
			delete(b.cookies, c.Name)
			continue
		}
		if _, ok := b.cookies[c.Name]; !ok {
			b.order = append(b.order, c.Name)
		}
		b.cookies[c.Name] = c.Value
	}
}

// do sends one request through h with b's cookies and keeps what it sets.
func (b *browser) do(h http.Handler, method, path string) *http.Response {
	r := httptest.NewRequest(method, path, nil)
	if hdr := b.header(); hdr != "" {
		r.Header.Set("Cookie", hdr)
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	res := w.Result()
	b.take(res)
	return res
}

// setCookies returns the Set-Cookie lines of res.
func setCookies(res *http.Response) []string { return res.Header.Values("Set-Cookie") }

// open decodes the session cookie b holds for the full name, at the
// codec's clock.
func open(t testing.TB, c *cookieseal.Codec, b *browser, full string) (map[any]any, cookieseal.Info) {
	t.Helper()
	v, ok := b.cookies[full]
	require.True(t, ok, "the browser holds %s", full)
	var m map[any]any
	info, err := c.DecodeInfo(full, v, &m)
	require.NoError(t, err)
	return m, info
}
