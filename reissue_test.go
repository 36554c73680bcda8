package cookieseal

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gorilla/securecookie"
)

// Issue 9, finding 1: re-issue laundered the issue time. A handler that
// follows docs/nethttp.md refuses a session issued before the user's last
// password change; the old ReadAndReissue had already written a fresh
// cookie that passed the same check on the next request. Here the handler
// reads, judges, and re-issues only what it accepts, through a real client
// with a cookie jar: the stolen cookie is refused on both requests, in each
// of the three cases that set Info.Reissue.

// revocationServer serves "/" as an application that refuses sessions
// issued before revokedAt, and "/login" that a test uses to plant a cookie
// sealed by login.
type revocationServer struct {
	srv       *httptest.Server
	cookies   *Cookies
	revokedAt atomic.Int64 // Unix seconds; 0: the password never changed
	sets      atomic.Int64 // Set-Cookie headers sent by "/"
}

func newRevocationServer(t *testing.T, cookies *Cookies, login func(w http.ResponseWriter, r *http.Request)) *revocationServer {
	t.Helper()
	rs := &revocationServer{cookies: cookies}
	mux := http.NewServeMux()
	mux.HandleFunc("/login", login)
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		var user string
		info, err := cookies.Read(r, "session", &user)
		if rev := rs.revokedAt.Load(); err != nil || rev != 0 && info.IssuedAt.Before(time.Unix(rev, 0)) {
			http.Error(w, "log in again", http.StatusUnauthorized)
			rs.sets.Add(int64(len(w.Header().Values("Set-Cookie"))))
			return
		}
		if err := cookies.Reissue(w, r, "session", user, info); err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		rs.sets.Add(int64(len(w.Header().Values("Set-Cookie"))))
		fmt.Fprint(w, "welcome ", user)
	})
	rs.srv = httptest.NewTLSServer(mux) // TLS: Go before 1.25 keeps Secure cookies off plain-http loopback
	t.Cleanup(rs.srv.Close)
	return rs
}

// client returns a client with a fresh jar.
func (rs *revocationServer) client(t *testing.T) *http.Client {
	c := rs.srv.Client()
	c.Jar = newJar(t)
	return c
}

// status GETs path and returns the status code.
func status(t *testing.T, c *http.Client, url string) int {
	t.Helper()
	resp, err := c.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

func TestRevokedSessionIsNotReissued(t *testing.T) {
	t0 := time.Unix(1_800_000_000, 0)
	var now atomic.Int64
	now.Store(t0.Unix())
	clock := func() time.Time { return time.Unix(now.Load(), 0) }
	oldSecret, newSecret := GenerateSecret(), GenerateSecret()
	gorilla := securecookie.New(securecookie.GenerateRandomKey(64), securecookie.GenerateRandomKey(32))

	tests := []struct {
		name   string
		config Config
		// login plants the session the way the case needs it.
		login func(t *testing.T) func(w http.ResponseWriter, r *http.Request)
	}{
		{
			name:   "old key",
			config: Config{Secrets: []string{newSecret, oldSecret}},
			login: func(t *testing.T) func(w http.ResponseWriter, r *http.Request) {
				old := newTestCookies(t, Config{Secrets: []string{oldSecret}, Now: clock}, CookieOptions{})
				return func(w http.ResponseWriter, r *http.Request) { old.Write(w, r, "session", "alice") }
			},
		},
		{
			name:   "past RefreshAge",
			config: Config{Secrets: []string{newSecret}, RefreshAge: time.Hour},
			login: func(t *testing.T) func(w http.ResponseWriter, r *http.Request) {
				c := newTestCookies(t, Config{Secrets: []string{newSecret}, Now: clock}, CookieOptions{})
				return func(w http.ResponseWriter, r *http.Request) { c.Write(w, r, "session", "alice") }
			},
		},
		{
			name:   "legacy",
			config: Config{Secrets: []string{newSecret}, Legacy: []Decoder{gorilla}},
			login: func(t *testing.T) func(w http.ResponseWriter, r *http.Request) {
				return func(w http.ResponseWriter, r *http.Request) {
					v, err := gorilla.Encode("session", "alice")
					if err != nil {
						t.Error(err)
					}
					http.SetCookie(w, &http.Cookie{Name: "session", Value: v, Path: "/", Secure: true, HttpOnly: true})
				}
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			now.Store(t0.Unix())
			cfg := tt.config
			cfg.Now = clock
			cookies := newTestCookies(t, cfg, CookieOptions{})
			rs := newRevocationServer(t, cookies, tt.login(t))
			c := rs.client(t)

			// 09:00 the user logs in; the cookie is stolen.
			if got := status(t, c, rs.srv.URL+"/login"); got != http.StatusOK {
				t.Fatalf("/login: %d", got)
			}
			// 10:00 the password changes: sessions issued before are revoked.
			now.Store(t0.Add(time.Hour).Unix())
			rs.revokedAt.Store(now.Load())
			// 11:00 the thief uses the cookie: refused, and again.
			now.Store(t0.Add(2 * time.Hour).Unix())
			for i := range 2 {
				if got := status(t, c, rs.srv.URL+"/"); got != http.StatusUnauthorized {
					t.Fatalf("request %d with the revoked session: %d, want 401", i+1, got)
				}
			}
			if n := rs.sets.Load(); n != 0 {
				t.Errorf("the refusals set %d cookies, want none", n)
			}
		})
	}

	// The cases' Info.Reissue is set, and the handler above does re-issue
	// what it accepts: with nothing revoked, the same requests get 200 and
	// a cookie, and the re-issued one works.
	for _, tt := range tests {
		t.Run(tt.name+", accepted", func(t *testing.T) {
			now.Store(t0.Unix())
			cfg := tt.config
			cfg.Now = clock
			rs := newRevocationServer(t, newTestCookies(t, cfg, CookieOptions{}), tt.login(t))
			c := rs.client(t)
			status(t, c, rs.srv.URL+"/login")
			now.Store(t0.Add(2 * time.Hour).Unix())
			for i := range 2 {
				if got := status(t, c, rs.srv.URL+"/"); got != http.StatusOK {
					t.Fatalf("request %d: %d, want 200", i+1, got)
				}
			}
			if n := rs.sets.Load(); n != 1 {
				t.Errorf("%d cookies set, want 1: the re-issue, then none", n)
			}
		})
	}
}

// TestRotationReissueKeepsRevocation: a session accepted and re-issued
// during a key rotation keeps its issued-at, so a revocation after the
// re-issue still refuses the re-issued cookie.
func TestRotationReissueKeepsRevocation(t *testing.T) {
	t0 := time.Unix(1_800_000_000, 0)
	var now atomic.Int64
	now.Store(t0.Unix())
	clock := func() time.Time { return time.Unix(now.Load(), 0) }
	oldSecret, newSecret := GenerateSecret(), GenerateSecret()
	old := newTestCookies(t, Config{Secrets: []string{oldSecret}, Now: clock}, CookieOptions{})
	cookies := newTestCookies(t, Config{Secrets: []string{newSecret, oldSecret}, Now: clock}, CookieOptions{})
	rs := newRevocationServer(t, cookies, func(w http.ResponseWriter, r *http.Request) { old.Write(w, r, "session", "alice") })
	c := rs.client(t)

	status(t, c, rs.srv.URL+"/login") // 09:00, old key
	now.Store(t0.Add(30 * time.Minute).Unix())
	if got := status(t, c, rs.srv.URL+"/"); got != http.StatusOK || rs.sets.Load() != 1 {
		t.Fatalf("09:30: %d with %d cookies set, want 200 and the re-issue", got, rs.sets.Load())
	}
	now.Store(t0.Add(time.Hour).Unix()) // 10:00 the password changes
	rs.revokedAt.Store(now.Load())
	now.Store(t0.Add(2 * time.Hour).Unix())
	if got := status(t, c, rs.srv.URL+"/"); got != http.StatusUnauthorized {
		t.Errorf("11:00 with the re-issued cookie: %d, want 401 (it keeps the 09:00 issued-at)", got)
	}
}

// TestCookiesRefreshAndMaxAgeAttribute: Refresh keeps the created-at, and
// the Max-Age a re-issue or refresh sends is the configured MaxAge, never
// what is left of the cookie's lifetimes, which would state its sealed
// times (SESSIONS.md S5.2; issue 19).
func TestCookiesRefreshAndMaxAgeAttribute(t *testing.T) {
	t0 := time.Unix(1_800_000_000, 0)
	now := t0
	clock := func() time.Time { return now }
	oldSecret, newSecret := GenerateSecret(), GenerateSecret()
	old := newTestCookies(t, Config{Secrets: []string{oldSecret}, Now: clock, MaxAge: 2 * time.Hour}, CookieOptions{})
	s := newTestCookies(t, Config{Secrets: []string{newSecret, oldSecret}, Now: clock, MaxAge: 2 * time.Hour, MaxLifetime: 3 * time.Hour}, CookieOptions{})

	r := requestWith(setCookies(write(t, old, nil, "s", "v")))
	now = t0.Add(30 * time.Minute)
	var v string
	info, err := s.Read(r, "s", &v)
	if err != nil || !info.Reissue {
		t.Fatalf("Read: %+v, %v", info, err)
	}
	rec := httptest.NewRecorder()
	if err := s.Reissue(rec, r, "s", v, info); err != nil {
		t.Fatal(err)
	}
	if got := setCookies(rec)[0].MaxAge; got != 2*60*60 {
		t.Errorf("rotation re-issue 30 min after login: Max-Age %d, want %d (MaxAge)", got, 2*60*60)
	}

	now = t0.Add(100 * time.Minute)
	r = requestWith(setCookies(rec))
	if info, err = s.Read(r, "s", &v); err != nil {
		t.Fatal(err)
	}
	rec = httptest.NewRecorder()
	if err := s.Refresh(rec, r, "s", "changed", info); err != nil {
		t.Fatal(err)
	}
	if got := setCookies(rec)[0].MaxAge; got != 2*60*60 {
		t.Errorf("refresh 100 min after login: Max-Age %d, want %d (MaxAge, not what is left of MaxLifetime)", got, 2*60*60)
	}
	if info, err = s.Read(requestWith(setCookies(rec)), "s", &v); err != nil || v != "changed" {
		t.Fatalf("after Refresh: %q, %v", v, err)
	}
	if !info.CreatedAt.Equal(t0) || !info.IssuedAt.Equal(now) {
		t.Errorf("after Refresh: created %v, issued %v; want %v, %v", info.CreatedAt, info.IssuedAt, t0, now)
	}

	// Reissue does nothing when Info does not ask for it.
	rec = httptest.NewRecorder()
	if err := s.Reissue(rec, r, "s", v, Info{IssuedAt: now}); err != nil || len(rec.Header()) != 0 {
		t.Errorf("Reissue without info.Reissue: %v, headers %v", err, rec.Header())
	}
}
