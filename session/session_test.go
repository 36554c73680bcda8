package session

import (
	"bytes"
	"context"
	"fmt"
	"log"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/cookieseal/cookieseal"
	"github.com/stretchr/testify/require"
)

// handler returns LoadAndSave around f, which answers 200 unless it writes.
func handler(m *Manager, f func(w http.ResponseWriter, r *http.Request)) http.Handler {
	return m.LoadAndSave(http.HandlerFunc(f))
}

// inRequest runs f inside one request of m with the session the browser b
// holds (b may be nil) and returns the response.
func inRequest(m *Manager, b *browser, f func(ctx context.Context)) *http.Response {
	if b == nil {
		b = newBrowser()
	}
	return b.do(handler(m, func(w http.ResponseWriter, r *http.Request) { f(r.Context()) }), "GET", "/")
}

// seeded returns a browser that holds a session with values, written by m.
func seeded(t *testing.T, m *Manager, values map[string]any) *browser {
	t.Helper()
	b := newBrowser()
	res := inRequest(m, b, func(ctx context.Context) {
		for k, v := range values {
			m.Put(ctx, k, v)
		}
	})
	require.NotEmpty(t, setCookies(res))
	return b
}

// TestMethods runs every data method on a session read from a cookie and
// checks its result, the values left, the status, and what is written.
func TestMethods(t *testing.T) {
	when := time.Date(2026, 11, 27, 17, 0, 0, 123456789, time.FixedZone("", 5*3600+1800))
	start := map[string]any{
		"s": "text", "b": true, "i": 42, "i64": int64(1) << 40, "i32": int32(-7), "f": 0.25,
		"bytes": []byte{0, 1, 254, 255}, "t": when,
	}
	all := []string{"b", "bytes", "f", "i", "i32", "i64", "s", "t"}
	without := func(k string) []string {
		var out []string
		for _, x := range all {
			if x != k {
				out = append(out, x)
			}
		}
		return out
	}
	cases := []struct {
		name   string
		call   func(m *Manager, ctx context.Context) any
		want   any
		keys   []string
		status Status
	}{
		{"Get", func(m *Manager, ctx context.Context) any { return m.Get(ctx, "s") }, "text", all, Unmodified},
		{"Get missing", func(m *Manager, ctx context.Context) any { return m.Get(ctx, "nope") }, nil, all, Unmodified},
		{"GetString", func(m *Manager, ctx context.Context) any { return m.GetString(ctx, "s") }, "text", all, Unmodified},
		{"GetString wrong type", func(m *Manager, ctx context.Context) any { return m.GetString(ctx, "i") }, "", all, Unmodified},
		{"GetBool", func(m *Manager, ctx context.Context) any { return m.GetBool(ctx, "b") }, true, all, Unmodified},
		{"GetInt", func(m *Manager, ctx context.Context) any { return m.GetInt(ctx, "i") }, 42, all, Unmodified},
		{"GetInt of an int64", func(m *Manager, ctx context.Context) any { return m.GetInt(ctx, "i64") }, 0, all, Unmodified},
		{"GetInt64", func(m *Manager, ctx context.Context) any { return m.GetInt64(ctx, "i64") }, int64(1) << 40, all, Unmodified},
		{"GetInt32", func(m *Manager, ctx context.Context) any { return m.GetInt32(ctx, "i32") }, int32(-7), all, Unmodified},
		{"GetFloat", func(m *Manager, ctx context.Context) any { return m.GetFloat(ctx, "f") }, 0.25, all, Unmodified},
		{"GetBytes", func(m *Manager, ctx context.Context) any { return m.GetBytes(ctx, "bytes") }, []byte{0, 1, 254, 255}, all, Unmodified},
		{"GetBytes missing", func(m *Manager, ctx context.Context) any { return m.GetBytes(ctx, "nope") }, []byte(nil), all, Unmodified},
		{"GetTime", func(m *Manager, ctx context.Context) any { return m.GetTime(ctx, "t").Format(time.RFC3339Nano) }, when.Format(time.RFC3339Nano), all, Unmodified},
		{"GetTime missing", func(m *Manager, ctx context.Context) any { return m.GetTime(ctx, "nope").IsZero() }, true, all, Unmodified},
		{"Exists", func(m *Manager, ctx context.Context) any { return m.Exists(ctx, "f") }, true, all, Unmodified},
		{"Exists missing", func(m *Manager, ctx context.Context) any { return m.Exists(ctx, "nope") }, false, all, Unmodified},
		{"Keys", func(m *Manager, ctx context.Context) any { return m.Keys(ctx) }, all, all, Unmodified},
		{"Put", func(m *Manager, ctx context.Context) any { m.Put(ctx, "n", 1); return nil }, nil, []string{"b", "bytes", "f", "i", "i32", "i64", "n", "s", "t"}, Modified},
		{"Put replaces", func(m *Manager, ctx context.Context) any { m.Put(ctx, "s", "new"); return m.GetString(ctx, "s") }, "new", all, Modified},
		{"Pop", func(m *Manager, ctx context.Context) any { return m.Pop(ctx, "s") }, "text", without("s"), Modified},
		{"Pop missing", func(m *Manager, ctx context.Context) any { return m.Pop(ctx, "nope") }, nil, all, Unmodified},
		{"PopString", func(m *Manager, ctx context.Context) any { return m.PopString(ctx, "s") }, "text", without("s"), Modified},
		{"PopString wrong type removes", func(m *Manager, ctx context.Context) any { return m.PopString(ctx, "i") }, "", without("i"), Modified},
		{"PopBool", func(m *Manager, ctx context.Context) any { return m.PopBool(ctx, "b") }, true, without("b"), Modified},
		{"PopInt", func(m *Manager, ctx context.Context) any { return m.PopInt(ctx, "i") }, 42, without("i"), Modified},
		{"PopFloat", func(m *Manager, ctx context.Context) any { return m.PopFloat(ctx, "f") }, 0.25, without("f"), Modified},
		{"PopBytes", func(m *Manager, ctx context.Context) any { return m.PopBytes(ctx, "bytes") }, []byte{0, 1, 254, 255}, without("bytes"), Modified},
		{"PopTime", func(m *Manager, ctx context.Context) any { return m.PopTime(ctx, "t").Equal(when) }, true, without("t"), Modified},
		{"Remove", func(m *Manager, ctx context.Context) any { m.Remove(ctx, "s"); return nil }, nil, without("s"), Modified},
		{"Remove missing", func(m *Manager, ctx context.Context) any { m.Remove(ctx, "nope"); return nil }, nil, all, Unmodified},
		{"Clear", func(m *Manager, ctx context.Context) any { return m.Clear(ctx) }, nil, []string{}, Modified},
		{"Destroy", func(m *Manager, ctx context.Context) any { return m.Destroy(ctx) }, nil, []string{}, Destroyed},
		{"Destroy then Put", func(m *Manager, ctx context.Context) any { m.Destroy(ctx); m.Put(ctx, "n", 1); return nil }, nil, []string{"n"}, Modified},
		{"RenewToken", func(m *Manager, ctx context.Context) any { return m.RenewToken(ctx) }, nil, all, Modified},
		{"Refuse", func(m *Manager, ctx context.Context) any { m.Refuse(ctx); return nil }, nil, all, Unmodified},
		{"Info", func(m *Manager, ctx context.Context) any { return m.Info(ctx).CreatedAt.Unix() }, t0.Unix(), all, Unmodified},
		{"ReadError", func(m *Manager, ctx context.Context) any { return m.ReadError(ctx) }, nil, all, Unmodified},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			clk := newClock()
			codec := newCodec(t, clk, cookieseal.Config{})
			m := New(codec)
			b := seeded(t, m, start)
			clk.Add(time.Minute)
			var got any
			var keys []string
			var status Status
			res := inRequest(m, b, func(ctx context.Context) {
				got = tc.call(m, ctx)
				keys, status = m.Keys(ctx), m.Status(ctx)
			})
			require.Equal(t, tc.want, got)
			require.Equal(t, tc.keys, keys)
			require.Equal(t, tc.status, status)
			lines := setCookies(res)
			switch {
			case tc.status == Unmodified:
				require.Empty(t, lines, "an unchanged session is not written")
			case len(tc.keys) == 0:
				require.Len(t, lines, 1)
				require.True(t, strings.HasPrefix(lines[0], "__Host-session=;"), "an emptied session is deleted: %s", lines[0])
				require.Contains(t, lines[0], "Max-Age=0")
			default:
				require.Len(t, lines, 1)
				vals, info := open(t, codec, b, "__Host-session")
				require.Len(t, vals, len(tc.keys))
				for _, k := range tc.keys {
					require.Contains(t, vals, k)
				}
				require.Equal(t, clk.Unix(), info.IssuedAt.Unix(), "a changed session is issued now")
				if tc.name == "RenewToken" || tc.name == "Destroy then Put" {
					require.Equal(t, clk.Unix(), info.CreatedAt.Unix(), "a new session starts now")
				} else {
					require.Equal(t, t0.Unix(), info.CreatedAt.Unix(), "a changed session keeps its start")
				}
			}
		})
	}
}

// TestTypedValuesRoundTrip: what a handler puts comes back with its Go
// type in the next request.
func TestTypedValuesRoundTrip(t *testing.T) {
	clk := newClock()
	m := New(newCodec(t, clk, cookieseal.Config{}))
	when := time.Date(2030, 1, 2, 3, 4, 5, 6, time.UTC)
	in := map[string]any{
		"int": 7, "int64": int64(-9), "int32": int32(3), "uint8": uint8(200), "float": 1.5, "bool": true,
		"bytes": []byte("\x00raw"), "time": when, "dur": 90 * time.Second, "strings": []string{"a", "b"},
		"map": map[string]any{"k": 1}, "nil": nil,
	}
	b := seeded(t, m, in)
	inRequest(m, b, func(ctx context.Context) {
		for k, v := range in {
			require.Equal(t, v, m.Get(ctx, k), k)
		}
		require.Equal(t, 7, m.GetInt(ctx, "int"))
		require.Equal(t, int64(-9), m.GetInt64(ctx, "int64"))
		require.True(t, m.GetTime(ctx, "time").Equal(when))
		require.Equal(t, []byte("\x00raw"), m.GetBytes(ctx, "bytes"))
	})
}

// TestCookieAttributes: the cookie written by default, and the headers.
func TestCookieAttributes(t *testing.T) {
	clk := newClock()
	m := New(newCodec(t, clk, cookieseal.Config{}))
	res := inRequest(m, nil, func(ctx context.Context) { m.Put(ctx, "k", "v") })
	lines := setCookies(res)
	require.Len(t, lines, 1)
	for _, want := range []string{"__Host-session=", "Path=/", "Max-Age=86400", "HttpOnly", "Secure", "SameSite=Lax"} {
		require.Contains(t, lines[0], want)
	}
	require.NotContains(t, lines[0], "Domain=")
	require.Equal(t, "no-store", res.Header.Get("Cache-Control"))
	require.Equal(t, "Cookie", res.Header.Get("Vary"))

	res = inRequest(m, nil, func(ctx context.Context) {})
	require.Empty(t, setCookies(res), "no session, nothing written")
	require.Equal(t, "Cookie", res.Header.Get("Vary"))
	require.Empty(t, res.Header.Get("Cache-Control"))
}

// TestNoCookieReadWritesNothing: requests that only read never write
// (SESSIONS.md S6.1), with or without a session.
func TestNoCookieReadWritesNothing(t *testing.T) {
	clk := newClock()
	m := New(newCodec(t, clk, cookieseal.Config{}))
	b := seeded(t, m, map[string]any{"user": 1})
	for range 3 {
		clk.Add(time.Hour)
		res := inRequest(m, b, func(ctx context.Context) { require.Equal(t, 1, m.GetInt(ctx, "user")) })
		require.Empty(t, setCookies(res))
	}
}

// rotated returns a manager on a codec whose ring puts a new key first,
// and a browser holding a session sealed under the old key.
func rotated(t *testing.T, clk *clock) (*Manager, *cookieseal.Codec, *browser) {
	t.Helper()
	old := cookieseal.GenerateSecret()
	codec := newCodec(t, clk, cookieseal.Config{Secrets: []string{old}})
	m := New(codec)
	b := seeded(t, m, map[string]any{"user": 7})
	require.NoError(t, codec.SetSecrets([]string{cookieseal.GenerateSecret(), old}))
	return m, codec, b
}

// TestRotationReissue: a session sealed under a key that no longer seals
// is re-issued with its times kept, unless the handler refuses it by
// status (>= 400) or by Refuse (SESSIONS.md S6.3, S6.7).
func TestRotationReissue(t *testing.T) {
	for _, tc := range []struct {
		name    string
		handle  func(m *Manager, w http.ResponseWriter, r *http.Request)
		reissue bool
	}{
		{"accepted", func(m *Manager, w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, m.GetInt(r.Context(), "user")) }, true},
		{"accepted, no body", func(m *Manager, w http.ResponseWriter, r *http.Request) {}, true},
		{"redirect", func(m *Manager, w http.ResponseWriter, r *http.Request) {
			http.Redirect(w, r, "/", http.StatusSeeOther)
		}, true},
		{"401", func(m *Manager, w http.ResponseWriter, r *http.Request) { http.Error(w, "no", http.StatusUnauthorized) }, false},
		{"403 by WriteHeader", func(m *Manager, w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusForbidden) }, false},
		{"500", func(m *Manager, w http.ResponseWriter, r *http.Request) {
			w.WriteHeader(http.StatusInternalServerError)
		}, false},
		{"Refuse with 200", func(m *Manager, w http.ResponseWriter, r *http.Request) { m.Refuse(r.Context()); fmt.Fprint(w, "ok") }, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			clk := newClock()
			m, codec, b := rotated(t, clk)
			_, before := open(t, codec, b, "__Host-session")
			clk.Add(10 * time.Minute)
			res := b.do(handler(m, func(w http.ResponseWriter, r *http.Request) {
				require.True(t, m.Info(r.Context()).Reissue)
				tc.handle(m, w, r)
			}), "GET", "/")
			if !tc.reissue {
				require.Empty(t, setCookies(res), "a refused session is not re-issued")
				return
			}
			require.Len(t, setCookies(res), 1)
			vals, after := open(t, codec, b, "__Host-session")
			require.Equal(t, map[any]any{"user": 7}, vals)
			require.Equal(t, codec.KeyIDs()[0], after.KeyID, "sealed under the new key")
			require.Equal(t, before.IssuedAt, after.IssuedAt, "a rotation keeps issued-at")
			require.Equal(t, before.CreatedAt, after.CreatedAt)
			require.False(t, after.Reissue)
		})
	}
}

// TestChangeOnErrorStatus: a change is written whatever the status (a
// flash on a 401 page).
func TestChangeOnErrorStatus(t *testing.T) {
	clk := newClock()
	m := New(newCodec(t, clk, cookieseal.Config{}))
	b := newBrowser()
	res := b.do(handler(m, func(w http.ResponseWriter, r *http.Request) {
		m.Put(r.Context(), "flash", "Wrong password")
		http.Error(w, "no", http.StatusUnauthorized)
	}), "POST", "/login")
	require.Equal(t, http.StatusUnauthorized, res.StatusCode)
	require.Len(t, setCookies(res), 1)
	inRequest(m, b, func(ctx context.Context) { require.Equal(t, "Wrong password", m.PopString(ctx, "flash")) })
	require.Empty(t, b.cookies, "the flash popped, the empty session deleted")
}

// TestIdleTimeout: IdleTimeout is the cookie's MaxAge; a request past a
// tenth of it re-seals the session (issued-at now, created-at kept), and a
// session left alone longer ends.
func TestIdleTimeout(t *testing.T) {
	clk := newClock()
	codec := newCodec(t, clk, cookieseal.Config{})
	m := New(codec)
	m.IdleTimeout = 100 * time.Second
	b := seeded(t, m, map[string]any{"user": 1})
	require.Contains(t, b.cookies, "__Host-session")

	clk.Add(9 * time.Second)
	require.Empty(t, setCookies(inRequest(m, b, func(context.Context) {})), "before a tenth: nothing")
	clk.Add(1 * time.Second)
	res := inRequest(m, b, func(context.Context) {})
	require.Len(t, setCookies(res), 1, "at a tenth: a refresh")
	require.Contains(t, setCookies(res)[0], "Max-Age=100")
	_, info := open(t, codec, b, "__Host-session")
	require.Equal(t, clk.Unix(), info.IssuedAt.Unix())
	require.Equal(t, t0.Unix(), info.CreatedAt.Unix())

	clk.Add(100 * time.Second) // idle for the whole timeout, to the second: still valid
	inRequest(m, b, func(ctx context.Context) { require.Equal(t, 1, m.GetInt(ctx, "user")) })
	clk.Add(101 * time.Second)
	var readErr error
	inRequest(m, b, func(ctx context.Context) {
		require.Empty(t, m.Keys(ctx))
		readErr = m.ReadError(ctx)
	})
	require.ErrorIs(t, readErr, cookieseal.ErrExpired)
}

// TestLifetime: Lifetime ends a session counted from its start, however
// active; RenewToken starts the count again.
func TestLifetime(t *testing.T) {
	clk := newClock()
	codec := newCodec(t, clk, cookieseal.Config{})
	m := New(codec)
	m.Lifetime = time.Hour
	m.IdleTimeout = 10 * time.Minute
	b := seeded(t, m, map[string]any{"n": 0})
	for i := 1; i <= 6; i++ { // active every 9 minutes up to 54 minutes
		clk.Add(9 * time.Minute)
		inRequest(m, b, func(ctx context.Context) { m.Put(ctx, "n", i) })
	}
	_, info := open(t, codec, b, "__Host-session")
	require.Equal(t, t0.Unix(), info.CreatedAt.Unix(), "changes keep the start")
	clk.Add(6*time.Minute + time.Second) // 1 hour and 1 second after the start
	inRequest(m, b, func(ctx context.Context) {
		require.ErrorIs(t, m.ReadError(ctx), cookieseal.ErrExpired)
		require.Empty(t, m.Keys(ctx))
	})

	// RenewToken: the same activity, with a login at 30 minutes.
	clk = newClock()
	codec = newCodec(t, clk, cookieseal.Config{})
	m = New(codec)
	m.Lifetime = time.Hour
	b = seeded(t, m, map[string]any{"n": 0})
	clk.Add(30 * time.Minute)
	inRequest(m, b, func(ctx context.Context) { require.NoError(t, m.RenewToken(ctx)) })
	_, info = open(t, codec, b, "__Host-session")
	require.Equal(t, clk.Unix(), info.CreatedAt.Unix(), "RenewToken starts a new session")
	require.Equal(t, clk.Unix(), info.IssuedAt.Unix())
	clk.Add(45 * time.Minute)
	inRequest(m, b, func(ctx context.Context) { require.Equal(t, 0, m.Get(ctx, "n")) })
}

// TestExpiryAtWrite: a change or re-issue for a session whose lifetime
// passed while the request ran writes nothing and goes to ErrorFunc as
// ErrExpired (SESSIONS.md S6.6).
func TestExpiryAtWrite(t *testing.T) {
	// change past Lifetime
	clk := newClock()
	codec := newCodec(t, clk, cookieseal.Config{})
	m := New(codec)
	m.Lifetime = time.Hour
	var got []error
	m.ErrorFunc = func(w http.ResponseWriter, r *http.Request, err error) { got = append(got, err) }
	b := seeded(t, m, map[string]any{"k": 1})
	clk.Add(time.Hour) // the last valid second
	res := b.do(handler(m, func(w http.ResponseWriter, r *http.Request) {
		require.Equal(t, 1, m.GetInt(r.Context(), "k"), "it opened")
		clk.Add(time.Second) // the request ran across the end
		m.Put(r.Context(), "k", 2)
		fmt.Fprint(w, "body")
	}), "GET", "/")
	require.Empty(t, setCookies(res), "nothing written")
	require.Len(t, got, 1)
	require.ErrorIs(t, got[0], cookieseal.ErrExpired)
	body := new(bytes.Buffer)
	body.ReadFrom(res.Body)
	require.Equal(t, "body", body.String(), "an ErrorFunc that writes nothing lets the response through")

	// a rotation re-issue that keeps issued-at, past the max age
	clk = newClock()
	old := cookieseal.GenerateSecret()
	codec = newCodec(t, clk, cookieseal.Config{Secrets: []string{old}})
	m = New(codec)
	m.Lifetime = 0 // the codec's MaxAge, 24 hours, no lifetime
	got = nil
	m.ErrorFunc = func(w http.ResponseWriter, r *http.Request, err error) { got = append(got, err) }
	b = seeded(t, m, map[string]any{"k": 1})
	require.NoError(t, codec.SetSecrets([]string{cookieseal.GenerateSecret(), old}))
	clk.Add(24 * time.Hour)
	res = b.do(handler(m, func(w http.ResponseWriter, r *http.Request) {
		require.True(t, m.Info(r.Context()).Reissue)
		clk.Add(time.Second)
	}), "GET", "/")
	require.Empty(t, setCookies(res))
	require.Len(t, got, 1)
	require.ErrorIs(t, got[0], cookieseal.ErrExpired)

	// the default ErrorFunc answers 500, and the handler's response is dropped
	clk = newClock()
	codec = newCodec(t, clk, cookieseal.Config{})
	m = New(codec)
	m.Lifetime = time.Hour
	b = seeded(t, m, map[string]any{"k": 1})
	clk.Add(time.Hour)
	res = b.do(handler(m, func(w http.ResponseWriter, r *http.Request) {
		clk.Add(time.Second)
		m.Put(r.Context(), "k", 2)
		w.WriteHeader(http.StatusAccepted)
		fmt.Fprint(w, "handler body")
	}), "GET", "/")
	require.Equal(t, http.StatusInternalServerError, res.StatusCode)
	body.Reset()
	body.ReadFrom(res.Body)
	require.NotContains(t, body.String(), "handler body")
	require.Empty(t, setCookies(res))
}

// TestDestroyDeletesEveryPart: a session in three cookies is deleted whole
// at logout, with the legacy scope, and the browser holds nothing after.
func TestDestroyDeletesEveryPart(t *testing.T) {
	clk := newClock()
	codec := newCodec(t, clk, cookieseal.Config{})
	m := New(codec)
	m.Cookie.HostPrefix = false
	m.Cookie.MaxHeaderBytes = 12000
	m.Cookie.LegacyScopes = []cookieseal.CookieScope{{Domain: "example.com"}}
	big := strings.Repeat("x", 7000)
	b := seeded(t, m, map[string]any{"big": big})
	require.Len(t, b.cookies, 3, "session, session.1, session.2")
	inRequest(m, b, func(ctx context.Context) { require.Equal(t, big, m.GetString(ctx, "big")) })

	res := inRequest(m, b, func(ctx context.Context) { require.NoError(t, m.Destroy(ctx)) })
	var names []string
	for _, c := range res.Cookies() {
		require.Equal(t, -1, c.MaxAge, "%s expired", c.Name)
		names = append(names, c.Name+"@"+c.Domain)
	}
	require.ElementsMatch(t, []string{"session@example.com", "session@", "session.1@", "session.2@"}, names)
	require.Empty(t, b.cookies)
	require.Equal(t, "no-store", res.Header.Get("Cache-Control"))

	// Destroy with no session carried deletes too (SESSIONS.md S6.7): a
	// cross-site request does not send the cookie the browser holds.
	res = inRequest(m, nil, func(ctx context.Context) { m.Destroy(ctx) })
	names = nil
	for _, c := range res.Cookies() {
		require.Equal(t, -1, c.MaxAge, "%s expired", c.Name)
		names = append(names, c.Name+"@"+c.Domain)
	}
	require.ElementsMatch(t, []string{"session@example.com", "session@", "session.1@", "session.2@"}, names,
		"every part a session within the limits could use")
}

// TestBadCookie: a cookie that does not open gives an empty session, the
// typed error to BadCookieFunc and ReadError, never to ErrorFunc, no error
// response, and nothing written unless the handler writes.
func TestBadCookie(t *testing.T) {
	clk := newClock()
	codec := newCodec(t, clk, cookieseal.Config{})
	other := newCodec(t, clk, cookieseal.Config{})
	good, err := codec.Encode("__Host-session", map[any]any{"user": 1})
	require.NoError(t, err)
	foreign, err := other.Encode("__Host-session", map[any]any{"user": 1})
	require.NoError(t, err)
	intKey, err := codec.Encode("__Host-session", map[any]any{7: "x"})
	require.NoError(t, err)
	for _, tc := range []struct {
		name, value string
		class       error
	}{
		{"tampered", good[:len(good)-2] + "AA", cookieseal.ErrInvalid},
		{"garbage", "not a cookie", cookieseal.ErrInvalid},
		{"unknown key", foreign, cookieseal.ErrUnknownKey},
		{"too large", strings.Repeat("A", 5000), cookieseal.ErrTooLarge},
		{"a non-string key", intKey, cookieseal.ErrInvalid},
		{"sealed for another name", func() string { v, _ := codec.Encode("session", map[any]any{"user": 1}); return v }(), cookieseal.ErrInvalid},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m := New(codec)
			var bad []error
			m.BadCookieFunc = func(r *http.Request, err error) { bad = append(bad, err) }
			m.ErrorFunc = func(w http.ResponseWriter, r *http.Request, err error) { t.Errorf("ErrorFunc called: %v", err) }
			b := newBrowser()
			b.cookies["__Host-session"], b.order = tc.value, []string{"__Host-session"}
			var readErr error
			res := b.do(handler(m, func(w http.ResponseWriter, r *http.Request) {
				require.Empty(t, m.Keys(r.Context()))
				readErr = m.ReadError(r.Context())
				fmt.Fprint(w, "ok")
			}), "GET", "/")
			require.Equal(t, http.StatusOK, res.StatusCode)
			require.Empty(t, setCookies(res), "a read writes nothing")
			require.Len(t, bad, 1)
			require.ErrorIs(t, bad[0], tc.class)
			require.Equal(t, bad[0], readErr)
			if len(tc.value) > 20 {
				require.NotContains(t, bad[0].Error(), tc.value[10:20], "the error holds no cookie content")
			}

			// The handler logs in: a new session replaces the bad cookie.
			res = b.do(handler(m, func(w http.ResponseWriter, r *http.Request) {
				m.RenewToken(r.Context())
				m.Put(r.Context(), "user", 2)
			}), "POST", "/login")
			require.Len(t, setCookies(res), 1)
			vals, _ := open(t, codec, b, "__Host-session")
			require.Equal(t, map[any]any{"user": 2}, vals)

			// A bad cookie and Destroy: deleted.
			b.cookies["__Host-session"] = tc.value
			res = inRequest(m, b, func(ctx context.Context) { m.Destroy(ctx) })
			require.Len(t, setCookies(res), 1)
			require.Contains(t, setCookies(res)[0], "Max-Age=0")
		})
	}
}

// TestSaveErrors: a value that cannot be sealed goes to ErrorFunc, and the
// default answers 500 and drops the handler's response.
func TestSaveErrors(t *testing.T) {
	clk := newClock()
	m := New(newCodec(t, clk, cookieseal.Config{}))
	var got []error
	m.ErrorFunc = func(w http.ResponseWriter, r *http.Request, err error) {
		got = append(got, err)
		http.Error(w, "custom", http.StatusTeapot)
	}
	res := inRequest(m, nil, func(ctx context.Context) { m.Put(ctx, "big", strings.Repeat("x", 4000)) })
	require.Equal(t, http.StatusTeapot, res.StatusCode)
	require.ErrorIs(t, got[0], cookieseal.ErrTooLarge)
	require.Empty(t, setCookies(res))

	res = inRequest(m, nil, func(ctx context.Context) { m.Put(ctx, "ch", make(chan int)) })
	var unsupported *cookieseal.UnsupportedTypeError
	require.ErrorAs(t, got[1], &unsupported)
	require.Equal(t, http.StatusTeapot, res.StatusCode)

	// The default ErrorFunc: logged, 500, the handler's status and body dropped.
	m = New(newCodec(t, clk, cookieseal.Config{}))
	var logged bytes.Buffer
	log.SetOutput(&logged)
	t.Cleanup(func() { log.SetOutput(os.Stderr) })
	b := newBrowser()
	res = b.do(handler(m, func(w http.ResponseWriter, r *http.Request) {
		m.Put(r.Context(), "big", strings.Repeat("x", 4000))
		w.WriteHeader(http.StatusCreated)
		fmt.Fprint(w, "handler body")
	}), "GET", "/")
	require.Equal(t, http.StatusInternalServerError, res.StatusCode)
	body := new(bytes.Buffer)
	body.ReadFrom(res.Body)
	require.Equal(t, "Internal Server Error\n", body.String())
	require.Contains(t, logged.String(), "too large")
}

// TestWrittenBeforeTheBody: the cookie goes out with the first byte, by
// Write, WriteHeader or Flush, and a Put after it is not saved (as in scs).
func TestWrittenBeforeTheBody(t *testing.T) {
	clk := newClock()
	m := New(newCodec(t, clk, cookieseal.Config{}))
	srv := httptest.NewServer(m.LoadAndSave(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		m.Put(r.Context(), "k", r.URL.Path)
		switch r.URL.Path {
		case "/flush":
			w.(http.Flusher).Flush()
		case "/controller":
			require.NoError(t, http.NewResponseController(w).Flush(), "Unwrap reaches the Flusher")
		case "/write":
			fmt.Fprint(w, "x")
		}
		m.Put(r.Context(), "late", true) // after the first byte: lost
		fmt.Fprint(w, "body")
	})))
	defer srv.Close()
	for _, path := range []string{"/flush", "/controller", "/write", "/none"} {
		res, err := srv.Client().Get(srv.URL + path)
		require.NoError(t, err)
		res.Body.Close()
		cs := res.Cookies()
		require.Len(t, cs, 1, path)
		var vals map[any]any
		require.NoError(t, m.codec.Decode("__Host-session", cs[0].Value, &vals))
		want := map[any]any{"k": path}
		if path == "/none" {
			want["late"] = true // nothing written before the handler returned
		}
		require.Equal(t, want, vals, path)
	}
	// A 1xx status is passed on and saves nothing: the status that counts
	// comes after it.
	for _, final := range []int{http.StatusOK, http.StatusUnauthorized} {
		srv := httptest.NewServer(m.LoadAndSave(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if final == http.StatusOK {
				m.Put(r.Context(), "k", "after 103")
			}
			w.WriteHeader(http.StatusEarlyHints)
			m.Put(r.Context(), "k", "after 103")
			w.WriteHeader(final)
		})))
		res, err := srv.Client().Get(srv.URL)
		require.NoError(t, err)
		res.Body.Close()
		srv.Close()
		require.Equal(t, final, res.StatusCode)
		require.Len(t, res.Cookies(), 1, "a change made after the 103 is written with the final status")
	}
	_, isHijacker := any(&responseWriter{}).(http.Hijacker)
	require.True(t, isHijacker)
}

// TestCheck: every invalid setting is reported by Check and makes
// LoadAndSave panic, at start rather than in a request.
func TestCheck(t *testing.T) {
	clk := newClock()
	codec := newCodec(t, clk, cookieseal.Config{})
	require.NoError(t, New(codec).Check())
	for name, change := range map[string]func(m *Manager){
		"no codec":              func(m *Manager) { m.codec = nil },
		"empty name":            func(m *Manager) { m.Cookie.Name = "" },
		"name with a space":     func(m *Manager) { m.Cookie.Name = "a b" },
		"name with a prefix":    func(m *Manager) { m.Cookie.Name = "__Host-x"; m.Cookie.HostPrefix = false },
		"HostPrefix and Domain": func(m *Manager) { m.Cookie.Domain = "example.com" },
		"HostPrefix and Path":   func(m *Manager) { m.Cookie.Path = "/app" },
		"SameSite None, no Secure": func(m *Manager) {
			m.Cookie.SameSite = http.SameSiteNoneMode
			m.Cookie.Secure = false
		},
		"negative IdleTimeout": func(m *Manager) { m.IdleTimeout = -time.Second },
		"negative Lifetime":    func(m *Manager) { m.Lifetime = -time.Second },
		"MaxChunks 51":         func(m *Manager) { m.Cookie.MaxChunks = 51 },
	} {
		m := New(codec)
		change(m)
		require.Error(t, m.Check(), name)
		require.Panics(t, func() { m.LoadAndSave(http.NotFoundHandler()) }, name)
	}
}

// TestLifetimeMapping: the table of the package doc.
func TestLifetimeMapping(t *testing.T) {
	clk := newClock()
	plain := newCodec(t, clk, cookieseal.Config{})
	strict := newCodec(t, clk, cookieseal.Config{MaxAge: time.Hour, RefreshAge: 20 * time.Minute, MaxLifetime: 2 * time.Hour})
	for _, tc := range []struct {
		name                      string
		codec                     *cookieseal.Codec
		idle, life                time.Duration
		maxAge, refresh, lifetime time.Duration
	}{
		{"scs defaults", plain, 0, 24 * time.Hour, 24 * time.Hour, 0, 24 * time.Hour},
		{"idle", plain, 30 * time.Minute, 24 * time.Hour, 30 * time.Minute, 3 * time.Minute, 24 * time.Hour},
		{"idle, sub-second, rounded", plain, 1500 * time.Millisecond, 0, 2 * time.Second, 200 * time.Millisecond, 0},
		{"nothing: the codec's", plain, 0, 0, 24 * time.Hour, 0, 0},
		{"the codec's all", strict, 0, 0, time.Hour, 20 * time.Minute, 2 * time.Hour},
		{"the stricter lifetime", strict, 0, 24 * time.Hour, 2 * time.Hour, 20 * time.Minute, 2 * time.Hour},
		{"the Manager's stricter lifetime", strict, 0, time.Hour, time.Hour, 20 * time.Minute, time.Hour},
		{"idle keeps the codec's refresh below it", strict, 30 * time.Minute, 0, 30 * time.Minute, 20 * time.Minute, 2 * time.Hour},
		{"idle below the codec's refresh", strict, 10 * time.Minute, 0, 10 * time.Minute, time.Minute, 2 * time.Hour},
		{"lifetime below the codec's refresh", strict, 0, 15 * time.Minute, 15 * time.Minute, 0, 15 * time.Minute},
	} {
		m := New(tc.codec)
		m.IdleTimeout, m.Lifetime = tc.idle, tc.life
		s, err := m.setup()
		require.NoError(t, err, tc.name)
		require.Equal(t, [3]time.Duration{tc.maxAge, tc.refresh, tc.lifetime},
			[3]time.Duration{s.codec.MaxAge(), s.codec.RefreshAge(), s.codec.MaxLifetime()}, tc.name)
	}
}

// TestWithoutLoadAndSave: a method on a context without a session panics
// with a message that says what to do, as scs does.
func TestWithoutLoadAndSave(t *testing.T) {
	m := New(newCodec(t, newClock(), cookieseal.Config{}))
	require.PanicsWithValue(t, "session: no session in the context: wrap the handler with this Manager's LoadAndSave",
		func() { m.Get(context.Background(), "k") })
	other := New(m.codec)
	inRequest(other, nil, func(ctx context.Context) {
		require.Panics(t, func() { m.Put(ctx, "k", 1) }, "another Manager's session is not this one's")
	})
}

// TestNestedLoadAndSave: the same Manager twice around a handler loads and
// saves once.
func TestNestedLoadAndSave(t *testing.T) {
	m := New(newCodec(t, newClock(), cookieseal.Config{}))
	h := m.LoadAndSave(m.LoadAndSave(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { m.Put(r.Context(), "k", 1) })))
	res := newBrowser().do(h, "GET", "/")
	require.Len(t, setCookies(res), 1)
	require.Equal(t, []string{"Cookie"}, res.Header.Values("Vary"))
}

// TestConcurrentUse: goroutines of one request share its session, and
// requests share the Manager (run with -race).
func TestConcurrentUse(t *testing.T) {
	m := New(newCodec(t, newClock(), cookieseal.Config{}))
	h := m.LoadAndSave(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var wg sync.WaitGroup
		for i := range 8 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				k := fmt.Sprint(i)
				m.Put(r.Context(), k, i)
				_ = m.GetInt(r.Context(), k)
				_ = m.Keys(r.Context())
				_ = m.Status(r.Context())
			}()
		}
		wg.Wait()
	}))
	var wg sync.WaitGroup
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			b := newBrowser()
			b.do(h, "GET", "/")
			var vals map[any]any
			if err := m.codec.Decode("__Host-session", b.cookies["__Host-session"], &vals); err != nil || len(vals) != 8 {
				t.Errorf("got %d values, %v", len(vals), err)
			}
		}()
	}
	wg.Wait()
}

// TestErrorsHoldNoSecret: the errors a Manager reports hold no secret.
func TestErrorsHoldNoSecret(t *testing.T) {
	secret := cookieseal.GenerateSecret()
	codec := newCodec(t, newClock(), cookieseal.Config{Secrets: []string{secret}})
	m := New(codec)
	m.Cookie.Name = "bad name"
	require.NotContains(t, m.Check().Error(), secret)
	require.NotContains(t, fmt.Sprintf("%v %+v", m, *m), secret)
}
