package bench

import (
	"net/http"
	"net/http/httptest"
	"reflect"
	"testing"

	"github.com/gorilla/securecookie"
	"github.com/gorilla/sessions"
)

// headerWriter is an http.ResponseWriter that keeps only the headers of the
// last response, so that b.N Saves do not pile up Set-Cookie lines.
type headerWriter struct{ h http.Header }

func (w *headerWriter) Header() http.Header         { return w.h }
func (w *headerWriter) Write(p []byte) (int, error) { return len(p), nil }
func (w *headerWriter) WriteHeader(int)             {}

// BenchmarkSessionsStore runs gorilla/sessions' CookieStore end to end, with
// its own securecookie codec (gob, as sessions.NewCookieStore sets it up) and
// with a *cookieseal.Codec in CookieStore.Codecs: Save (encode and
// Set-Cookie) and New (read the cookie and decode it) of GorillaValues.
func BenchmarkSessionsStore(b *testing.B) {
	sealed := newCookieseal(b, 1)
	stores := []struct {
		name  string
		store *sessions.CookieStore
	}{
		{"cookieseal", &sessions.CookieStore{Codecs: []securecookie.Codec{sealed}, Options: &sessions.Options{Path: "/", MaxAge: 86400, HttpOnly: true, Secure: true}}},
		{"gorilla-gob", sessions.NewCookieStore(randomKey(64), randomKey(32))},
	}
	for _, op := range []string{"Save", "New"} {
		for _, st := range stores {
			b.Run("op="+op+"/impl="+st.name, func(b *testing.B) {
				req := httptest.NewRequest(http.MethodGet, "/", nil)
				s, err := st.store.New(req, cookieName)
				if err != nil {
					b.Fatal(err)
				}
				s.Values = gorillaValues()
				w := &headerWriter{h: http.Header{}}
				if err := st.store.Save(req, w, s); err != nil {
					b.Fatal(err)
				}
				setCookie, err := http.ParseSetCookie(w.h.Get("Set-Cookie"))
				if err != nil {
					b.Fatal(err)
				}
				req.AddCookie(&http.Cookie{Name: setCookie.Name, Value: setCookie.Value})
				got, err := st.store.New(req, cookieName)
				if err != nil || got.IsNew || !reflect.DeepEqual(got.Values, gorillaValues()) {
					b.Fatalf("round trip: %v, IsNew %t, %#v", err, got.IsNew, got.Values)
				}
				b.ReportAllocs()
				cpu := startCPU()
				switch op {
				case "Save":
					for b.Loop() {
						clear(w.h)
						if err := st.store.Save(req, w, s); err != nil {
							b.Fatal(err)
						}
					}
				case "New":
					for b.Loop() {
						if _, err := st.store.New(req, cookieName); err != nil {
							b.Fatal(err)
						}
					}
				}
				cpu.report(b)
				b.ReportMetric(float64(len(setCookie.Value)), "cookie-bytes")
			})
		}
	}
}
