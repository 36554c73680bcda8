package redisrevoke_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/cookieseal/cookieseal"
	"github.com/cookieseal/cookieseal/redisrevoke"
	"github.com/cookieseal/cookieseal/redisrevoke/redistest"
)

// The per-request cost of the revocation check (BENCHMARKS.md): a whole
// Cookies.Read of a login session, with no list, with the in-memory list,
// and with the Redis list answering from its cache or asking Redis (one
// MGET over loopback) every time.
func BenchmarkReadRevocation(b *testing.B) {
	s := redistest.Start(b)
	codec, err := cookieseal.New(cookieseal.Config{Secrets: []string{cookieseal.GenerateSecret()}, MaxAge: time.Hour})
	if err != nil {
		b.Fatal(err)
	}
	lists := []struct {
		name string
		list cookieseal.Revocations
	}{
		{"none", nil},
		{"memory", cookieseal.NewMemoryRevocations(nil)},
		{"redis-cached", redisrevoke.New(client(s), redisrevoke.Options{})},
		{"redis-uncached", redisrevoke.New(client(s), redisrevoke.Options{CacheTTL: -1})},
	}
	for _, l := range lists {
		b.Run(l.name, func(b *testing.B) {
			ck, err := cookieseal.NewCookies(codec, cookieseal.CookieOptions{Revocations: l.list})
			if err != nil {
				b.Fatal(err)
			}
			w := httptest.NewRecorder()
			if err := ck.Login(w, nil, "s", map[string]any{"user": "alice"}, "alice"); err != nil {
				b.Fatal(err)
			}
			r := httptest.NewRequest(http.MethodGet, "https://127.0.0.1/", nil)
			for _, c := range w.Result().Cookies() {
				r.AddCookie(c)
			}
			r = r.WithContext(context.Background())
			var v map[string]any
			b.ReportAllocs()
			b.ResetTimer()
			for range b.N {
				if _, err := ck.Read(r, "s", &v); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
