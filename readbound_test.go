package cookieseal

import (
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
)

// Issue 19, finding 1: the work of one Read must stay within a small
// constant of a legitimate full-size read (SESSIONS.md S4.5), whatever the
// Cookie header holds. The attack headers are those of the finding: a
// 92 KB header of about 2,900 tiny heads that name a valid key ID, beside
// 9 parts of about 4 KB (the default 10 parts), and a 257 KB one with 49
// such parts (50 parts, as gorillastore once allowed).

// readBound is one limit of the part count, with a legitimate full-size
// session and an attack header for it.
type readBound struct {
	cookies *Cookies
	legit   *http.Request // carries a session in maxParts full cookies
	attack  *http.Request // tiny heads and maxParts-1 parts of ~4 KB
	size    int           // bytes of the attack's Cookie header
}

// newReadBound builds the requests for maxParts parts, with heads tiny
// heads in the attack header.
func newReadBound(tb testing.TB, maxParts, heads int) *readBound {
	tb.Helper()
	codec, err := New(Config{Secrets: []string{GenerateSecret()}, MaxPayload: 256 << 10})
	if err != nil {
		tb.Fatal(err)
	}
	s, err := NewCookies(codec, CookieOptions{MaxChunks: maxParts, MaxHeaderBytes: maxParts * 4096})
	if err != nil {
		tb.Fatal(err)
	}
	// The largest value the limits let Write store: a string as long as
	// its sealed form still fits maxParts cookies.
	room := s.room("s")
	n := room * 3 / 4
	var rec *httptest.ResponseRecorder
	for ; n > 0; n -= 16 {
		rec = httptest.NewRecorder()
		if err := s.Write(rec, nil, "s", blob{Data: randomText(n)}); err == nil {
			break
		}
	}
	legit := httptest.NewRequest(http.MethodGet, "/", nil)
	live := setCookies(rec)
	if len(live) != maxParts {
		tb.Fatalf("the legitimate session takes %d cookies, want %d", len(live), maxParts)
	}
	for _, c := range live {
		legit.AddCookie(&http.Cookie{Name: c.Name, Value: c.Value})
	}
	// Tiny heads that start like a cookie of the ring's key, each one
	// different, all counting maxParts parts, then the parts.
	start := strings.TrimPrefix(live[0].Value, strconv.Itoa(maxParts)+".")[:8]
	var b strings.Builder
	for i := range heads {
		b.WriteString("s=" + strconv.Itoa(maxParts) + "." + start + strconv.Itoa(100000+i) + "; ")
	}
	for k := 1; k < maxParts; k++ {
		b.WriteString("s." + strconv.Itoa(k) + "=" + randomText(4096-len("s.")-len(strconv.Itoa(k))-1))
		if k < maxParts-1 {
			b.WriteString("; ")
		}
	}
	attack := httptest.NewRequest(http.MethodGet, "/", nil)
	attack.Header.Set("Cookie", b.String())
	return &readBound{cookies: s, legit: legit, attack: attack, size: b.Len()}
}

func (rb *readBound) readLegit(tb testing.TB) {
	var v blob
	if _, err := rb.cookies.Read(rb.legit, "s", &v); err != nil || v.Data == "" {
		tb.Fatalf("legitimate read: %v", err)
	}
}

func (rb *readBound) readAttack(tb testing.TB) {
	var v blob
	if _, err := rb.cookies.Read(rb.attack, "s", &v); err == nil {
		tb.Fatal("the attack header opened")
	}
}

// BenchmarkReadBound measures Read of the attack headers against a
// legitimate full-size read at the same limits (BENCHMARKS.md, issue 19):
//
//	go test -run '^$' -bench BenchmarkReadBound -benchmem
func BenchmarkReadBound(b *testing.B) {
	for _, c := range []struct {
		name            string
		maxParts, heads int
	}{
		{"parts=10", 10, 2900},
		{"parts=50", 50, 2900},
	} {
		rb := newReadBound(b, c.maxParts, c.heads)
		b.Run(c.name+"/legitimate", func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				rb.readLegit(b)
			}
		})
		b.Run(c.name+"/attack-"+strconv.Itoa(rb.size/1024)+"KB", func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				rb.readAttack(b)
			}
		})
	}
}
