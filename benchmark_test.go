package cookieseal_test

import (
	"encoding/json"
	"fmt"
	"testing"

	"github.com/cookieseal/cookieseal"
)

// The comparison with gorilla/securecookie and the cost floor lives in the
// bench module (BENCHMARKS.md); these benchmarks keep the codec's own paths
// measurable without it.

type benchSession struct {
	UserID  int64    `json:"user_id"`
	Email   string   `json:"email"`
	Roles   []string `json:"roles"`
	CSRF    string   `json:"csrf_token"`
	Flashes []string `json:"flashes"`
	Prefs   struct {
		Theme    string `json:"theme"`
		Language string `json:"language"`
		TimeZone string `json:"time_zone"`
	} `json:"prefs"`
}

type benchItem struct {
	SKU   string `json:"sku"`
	Name  string `json:"name"`
	Qty   int    `json:"qty"`
	Price int64  `json:"price"`
}

// benchValues returns the three values the benchmarks seal: a 279-byte
// session, a 2.9 KB cart that Encode compresses, and gorilla/sessions-style
// session values.
func benchValues() (small benchSession, cart []benchItem, values map[any]any) {
	small = benchSession{
		UserID:  4_815_162_342,
		Email:   "ada.lovelace@analytical-engine.example",
		Roles:   []string{"admin", "editor"},
		CSRF:    "3q2-7wAAAAAB8w6XUM4tNOl1cVm0fJ2xZnHpJp9nCQ4",
		Flashes: []string{"All saved.", "Two-factor auth is on!"},
	}
	small.Prefs.Theme, small.Prefs.Language, small.Prefs.TimeZone = "dark", "en-GB", "Europe/London"
	names := []string{"Organic cotton T-shirt", "Merino wool socks", "Waxed canvas tote bag", "Stainless steel bottle", "Recycled notebook A5"}
	sizes := []string{"small", "medium", "large"}
	cart = make([]benchItem, 30)
	for i := range cart {
		cart[i] = benchItem{
			SKU:   fmt.Sprintf("SKU-%04d-%c", 1000+37*i, sizes[i%3][0]-'a'+'A'),
			Name:  fmt.Sprintf("%s, %s, colour number %02d", names[i%len(names)], sizes[i%3], i%7),
			Qty:   1 + i%4,
			Price: int64(1299 + 250*i),
		}
	}
	values = map[any]any{
		"user_id": 4815162342, "email": "ada.lovelace@analytical-engine.example", "authenticated": true,
		"admin": false, "visits": 17, "csrf_token": "3q2-7wAAAAAB8w6XUM4tNOl1cVm0fJ2xZnHpJp9nCQ4",
		"theme": "dark", "last_page": "/account/settings",
	}
	return small, cart, values
}

func newBenchCodec(b *testing.B, compress bool) *cookieseal.Codec {
	b.Helper()
	c, err := cookieseal.New(cookieseal.Config{Secrets: []string{cookieseal.GenerateSecret()}, Compress: compress})
	if err != nil {
		b.Fatal(err)
	}
	return c
}

func BenchmarkCodec(b *testing.B) {
	small, cart, values := benchValues()
	cases := []struct {
		name     string
		value    any
		newDst   func() any
		compress bool
	}{
		{"size=small", small, func() any { return new(benchSession) }, false},
		// The cart with Compress set, as the figures in BENCHMARKS.md were
		// taken, and with the default (no compression).
		{"size=large", cart, func() any { return new([]benchItem) }, true},
		{"size=large-uncompressed", cart, func() any { return new([]benchItem) }, false},
		{"size=values", values, func() any { return new(map[any]any) }, false},
	}
	for _, tc := range cases {
		c := newBenchCodec(b, tc.compress)
		cookie, err := c.Encode("session", tc.value)
		if err != nil {
			b.Fatal(err)
		}
		h, err := cookieseal.Inspect(cookie)
		if err != nil {
			b.Fatal(err)
		}
		plain, err := json.Marshal(tc.value)
		if err != nil {
			plain = nil // session values are not plain JSON; size by the sealed bytes
		}
		size := int64(len(plain))
		if size == 0 {
			size = int64(h.Sealed)
		}
		b.Run(tc.name+"/op=Encode", func(b *testing.B) {
			b.SetBytes(size)
			b.ReportAllocs()
			for b.Loop() {
				if _, err := c.Encode("session", tc.value); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(len(cookie)), "cookie-bytes")
		})
		b.Run(tc.name+"/op=Decode", func(b *testing.B) {
			b.SetBytes(size)
			b.ReportAllocs()
			for b.Loop() {
				if err := c.Decode("session", cookie, tc.newDst()); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(len(cookie)), "cookie-bytes")
		})
	}
}

// TestBenchValues keeps the benchmark values the sizes their names claim:
// the large one compresses when Compress is set, and fits one 4096-byte
// cookie named "session" without compression too (the default).
func TestBenchValues(t *testing.T) {
	small, cart, _ := benchValues()
	for _, tc := range []struct {
		name       string
		v          any
		min, max   int
		compressed bool
	}{
		{"small", small, 270, 290, false},
		{"large", cart, 2800, 3100, true},
	} {
		p, err := json.Marshal(tc.v)
		if err != nil {
			t.Fatal(err)
		}
		if len(p) < tc.min || len(p) > tc.max {
			t.Errorf("%s: %d bytes of JSON, want %d..%d", tc.name, len(p), tc.min, tc.max)
		}
		for _, compress := range []bool{false, true} {
			c, err := cookieseal.New(cookieseal.Config{Secrets: []string{cookieseal.GenerateSecret()}, Compress: compress})
			if err != nil {
				t.Fatal(err)
			}
			cookie, err := c.Encode("session", tc.v)
			if err != nil {
				t.Fatalf("%s, Compress %t: %v", tc.name, compress, err)
			}
			h, err := cookieseal.Inspect(cookie)
			if err != nil {
				t.Fatal(err)
			}
			if want := compress && tc.compressed; h.Compressed != want {
				t.Errorf("%s, Compress %t: compressed %t, want %t", tc.name, compress, h.Compressed, want)
			}
		}
	}
}
