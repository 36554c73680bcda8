package session

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/cookieseal/cookieseal"
	"github.com/cookieseal/cookieseal/internal/sessionsuite"
	"github.com/stretchr/testify/require"
)

// The session scenario suite (SESSIONS.md S8), run against the Manager
// through real requests: every case of every file in testdata/sessions/,
// unchanged.
//
// How the Manager is driven, and where it differs from a plain Cookies
// runner (each said again next to the code):
//   - the codec gets the case's max_age, refresh_age and max_lifetime, and
//     the Manager's IdleTimeout and Lifetime are 0, so that the codec's
//     times apply exactly (see the package doc's table);
//   - keep: the handler reads the session and answers 200; refuse: it
//     answers 401; set: Put of each member of values; login: RenewToken,
//     Clear, then Put of each member (the suite's login holds exactly
//     values, and RenewToken keeps the values read, as scs's does);
//     logout: Destroy;
//   - the prefix maps onto Cookie.HostPrefix or Cookie.SecurePrefix;
//   - the Manager seals typed session values (a map[interface{}]interface{}
//     with string keys), whatever the cookie it read held: the sealed
//     session is compared as JSON values, which is what the suite states.

const sessionsDir = "../testdata/sessions"

type suiteFile struct {
	Suite       string         `json:"suite"`
	Format      int            `json:"format"`
	Description string         `json:"description"`
	Cases       []scenarioCase `json:"cases"`
}

type scenarioCase struct {
	ID           string           `json:"id"`
	Spec         string           `json:"spec"`
	Description  string           `json:"description"`
	Config       scenarioConfig   `json:"config"`
	Now          int64            `json:"now"`
	Header       *string          `json:"header"`
	HeaderPieces []headerPiece    `json:"header_pieces"`
	Action       string           `json:"action"`
	Values       json.RawMessage  `json:"values"`
	Subject      string           `json:"subject"`
	WriteNow     *int64           `json:"write_now"`
	Expect       scenarioExpected `json:"expect"`
}

type headerPiece = sessionsuite.Piece

type scenarioConfig struct {
	Name           string        `json:"name"`
	Prefix         string        `json:"prefix"`
	Secrets        []string      `json:"secrets"`
	MaxAge         *int64        `json:"max_age"`
	MaxLifetime    int64         `json:"max_lifetime"`
	RefreshAge     int64         `json:"refresh_age"`
	MaxParts       int           `json:"max_parts"`
	MaxHeaderBytes int           `json:"max_header_bytes"`
	LegacyScopes   []legacyScope `json:"legacy_scopes"`
	Insecure       bool          `json:"insecure"`
	Revocations    *struct {
		Sessions []string `json:"sessions"`
		Subjects []struct {
			Subject string `json:"subject"`
			Before  int64  `json:"before"`
		} `json:"subjects"`
	} `json:"revocations"`
}

type legacyScope = sessionsuite.Scope

type scenarioExpected struct {
	Read       string          `json:"read"`
	Session    json.RawMessage `json:"session"`
	IssuedAt   *int64          `json:"issued_at"`
	CreatedAt  *int64          `json:"created_at"`
	KeyID      string          `json:"key_id"`
	Write      string          `json:"write"`
	Error      string          `json:"error"`
	Sealed     *sealedExpected `json:"sealed"`
	SetCookies []cookieOp      `json:"set_cookies"`
}

type sealedExpected struct {
	Session   json.RawMessage `json:"session"`
	IssuedAt  int64           `json:"issued_at"`
	CreatedAt int64           `json:"created_at"`
	KeyID     string          `json:"key_id"`
	Parts     int             `json:"parts"`
}

type cookieOp = sessionsuite.SetCookie

// errorClasses are the outcome classes of SESSIONS.md S1.
var errorClasses = map[string]error{
	"invalid":     cookieseal.ErrInvalid,
	"expired":     cookieseal.ErrExpired,
	"unknown_key": cookieseal.ErrUnknownKey,
	"too_large":   cookieseal.ErrTooLarge,
	"revoked":     cookieseal.ErrRevoked, // S9
}

func TestSessionScenarios(t *testing.T) {
	files, err := filepath.Glob(filepath.Join(sessionsDir, "*.json"))
	require.NoError(t, err)
	if len(files) == 0 {
		t.Fatalf("%s holds no suite file", sessionsDir)
	}
	ids := map[string]bool{}
	total := 0
	for _, f := range files {
		data, err := os.ReadFile(f)
		require.NoError(t, err)
		var suite suiteFile
		require.NoError(t, json.Unmarshal(data, &suite), f)
		require.Equal(t, "cookieseal sessions", suite.Suite, "%s: suite", f)
		require.Equal(t, 1, suite.Format, "%s: format", f)
		for _, c := range suite.Cases {
			require.False(t, ids[c.ID], "duplicate case id %s", c.ID)
			ids[c.ID] = true
			total++
			t.Run(c.ID, func(t *testing.T) { runScenario(t, c) })
		}
	}
	t.Logf("%d cases in %d files", total, len(files))
}

func runScenario(t *testing.T, c scenarioCase) {
	cfg := c.Config
	maxAge := int64(3600)
	if cfg.MaxAge != nil {
		maxAge = *cfg.MaxAge
	}
	clk := newClock()
	clk.Set(c.Now)
	codec, err := cookieseal.New(cookieseal.Config{
		Secrets:     cfg.Secrets,
		MaxAge:      time.Duration(maxAge) * time.Second,
		RefreshAge:  time.Duration(cfg.RefreshAge) * time.Second,
		MaxLifetime: time.Duration(cfg.MaxLifetime) * time.Second,
		Now:         clk.Now,
	})
	require.NoError(t, err, "codec")
	m := New(codec)
	m.Lifetime, m.IdleTimeout = 0, 0 // the codec's times, exactly
	m.Cookie.Name = cfg.Name
	switch cfg.Prefix {
	case "":
		m.Cookie.HostPrefix = false
	case "__Host-":
		m.Cookie.HostPrefix = true
	case "__Secure-":
		m.Cookie.HostPrefix, m.Cookie.SecurePrefix = false, true
	default:
		t.Fatalf("unknown prefix %q", cfg.Prefix)
	}
	m.Cookie.Secure = !cfg.Insecure
	m.Cookie.MaxChunks = cfg.MaxParts
	m.Cookie.MaxHeaderBytes = cfg.MaxHeaderBytes
	for _, l := range cfg.LegacyScopes {
		m.Cookie.LegacyScopes = append(m.Cookie.LegacyScopes, cookieseal.CookieScope{Domain: l.Domain, Path: l.Path})
	}
	if r := cfg.Revocations; r != nil { // SESSIONS.md S9: entries kept past the case's clocks
		list := cookieseal.NewMemoryRevocations(nil)
		forever := time.Now().Add(24 * time.Hour)
		for _, id := range r.Sessions {
			require.NoError(t, list.RevokeSession(t.Context(), id, forever))
		}
		for _, e := range r.Subjects {
			require.NoError(t, list.RevokeSubject(t.Context(), e.Subject, time.Unix(e.Before, 0), forever))
		}
		m.Revocations = list
	}
	full := cfg.Name
	if m.Cookie.Secure {
		full = cfg.Prefix + cfg.Name
	}
	var writeErrs []error
	m.ErrorFunc = func(w http.ResponseWriter, r *http.Request, err error) { writeErrs = append(writeErrs, err) }
	var badErrs []error
	m.BadCookieFunc = func(r *http.Request, err error) { badErrs = append(badErrs, err) }

	values := scenarioValues(t, c.Values)
	var seen map[string]any
	var seenInfo cookieseal.Info
	var readErr error
	h := m.LoadAndSave(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx := r.Context()
		seen = map[string]any{}
		for _, k := range m.Keys(ctx) {
			seen[k] = m.Get(ctx, k)
		}
		seenInfo, readErr = m.Info(ctx), m.ReadError(ctx)
		if c.WriteNow != nil {
			clk.Set(*c.WriteNow)
		}
		switch c.Action {
		case "keep":
		case "refuse":
			w.WriteHeader(http.StatusUnauthorized)
		case "set":
			for k, v := range values {
				m.Put(ctx, k, v)
			}
		case "login":
			// The suite's login starts a session holding exactly values;
			// RenewToken keeps the values read (as scs's does), so the
			// handler clears them first.
			if c.Subject != "" {
				require.NoError(t, m.RenewTokenFor(ctx, c.Subject))
			} else {
				require.NoError(t, m.RenewToken(ctx))
			}
			require.NoError(t, m.Clear(ctx))
			for k, v := range values {
				m.Put(ctx, k, v)
			}
		case "logout":
			require.NoError(t, m.Destroy(ctx))
		default:
			t.Fatalf("unknown action %q", c.Action)
		}
	}))

	r := httptest.NewRequest("GET", "https://example.com/", nil)
	if header, ok := scenarioHeader(t, c); ok {
		r.Header["Cookie"] = []string{header}
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	res := w.Result()

	// expect.read
	read := c.Expect
	switch read.Read {
	case "none":
		require.NoError(t, readErr)
		require.Empty(t, seen)
		require.Empty(t, badErrs)
	case "ok":
		require.NoError(t, readErr)
		if read.Session != nil {
			requireSameJSON(t, read.Session, seen, "the session the handler sees")
		}
		if read.IssuedAt != nil {
			require.Equal(t, *read.IssuedAt, seenInfo.IssuedAt.Unix(), "issued_at")
		}
		if read.CreatedAt != nil {
			require.Equal(t, *read.CreatedAt, seenInfo.CreatedAt.Unix(), "created_at")
		}
		if read.KeyID != "" {
			require.Equal(t, read.KeyID, seenInfo.KeyID.String(), "key_id")
		}
	default:
		class, ok := errorClasses[read.Read]
		require.True(t, ok, "unknown outcome %q", read.Read)
		require.Empty(t, seen, "a bad cookie gives an empty session")
		require.ErrorIs(t, readErr, class)
		require.Len(t, badErrs, 1)
		require.ErrorIs(t, badErrs[0], class)
	}

	// the Set-Cookie lines for F, its parts and its legacy scopes
	var ops []cookieOp
	var sets []*http.Cookie
	for _, line := range res.Header.Values("Set-Cookie") {
		ck, err := http.ParseSetCookie(line)
		require.NoError(t, err, line)
		if ck.Name != full && !isPart(full, ck.Name) {
			continue
		}
		op := "set"
		if ck.MaxAge < 0 {
			op = "expire"
		} else {
			require.Equal(t, int(maxAge), ck.MaxAge, "Max-Age of %s", line)
			require.True(t, ck.HttpOnly, line)
			require.Equal(t, !cfg.Insecure, ck.Secure, line)
			require.Equal(t, http.SameSiteLaxMode, ck.SameSite, line)
			sets = append(sets, ck)
		}
		ops = append(ops, cookieOp{Name: ck.Name, Domain: ck.Domain, Path: ck.Path, Op: op})
	}
	if len(ops) > 0 {
		require.Equal(t, "no-store", res.Header.Get("Cache-Control"))
	}
	if c.Expect.SetCookies != nil {
		want := c.Expect.SetCookies
		for i := range want {
			if want[i].Path == "" {
				want[i].Path = "/"
			}
		}
		require.ElementsMatch(t, want, ops, "set_cookies")
	}

	switch c.Expect.Write {
	case "nothing":
		require.Empty(t, ops, "nothing written")
		require.Empty(t, writeErrs)
	case "error":
		require.Empty(t, ops, "nothing written on an error")
		require.Len(t, writeErrs, 1)
		class, ok := errorClasses[c.Expect.Error]
		require.True(t, ok, "unknown error class %q", c.Expect.Error)
		require.ErrorIs(t, writeErrs[0], class)
	case "delete":
		require.Empty(t, writeErrs)
		require.Empty(t, sets, "a delete sets nothing")
		require.Contains(t, ops, cookieOp{Name: full, Domain: m.Cookie.Domain, Path: "/", Op: "expire"})
	case "seal":
		require.Empty(t, writeErrs)
		require.NotNil(t, c.Expect.Sealed, "expect.sealed")
		openSealed(t, codec, m, full, sets, *c.Expect.Sealed)
	default:
		t.Fatalf("unknown expect.write %q", c.Expect.Write)
	}
}

// openSealed assembles the cookies set for F and its parts (SPEC.md
// section 10) and opens them with the case's ring at the write clock.
func openSealed(t *testing.T, codec *cookieseal.Codec, m *Manager, full string, sets []*http.Cookie, want sealedExpected) {
	t.Helper()
	var pairs []string
	for _, ck := range sets {
		pairs = append(pairs, ck.Name+"="+ck.Value)
	}
	if want.Parts != 0 {
		require.Len(t, sets, want.Parts, "parts")
	}
	cookies, err := cookieseal.NewCookies(codec, cookieseal.CookieOptions{
		HostPrefix: m.Cookie.HostPrefix, SecurePrefix: m.Cookie.SecurePrefix, Insecure: !m.Cookie.Secure, MaxChunks: m.Cookie.MaxChunks,
	})
	require.NoError(t, err)
	r := httptest.NewRequest("GET", "/", nil)
	r.Header.Set("Cookie", strings.Join(pairs, "; "))
	var got map[any]any
	info, err := cookies.Read(r, m.Cookie.Name, &got)
	require.NoError(t, err, "the sealed session opens")
	strs, err := stringKeys(got)
	require.NoError(t, err)
	requireSameJSON(t, want.Session, strs, "sealed session")
	require.Equal(t, want.IssuedAt, info.IssuedAt.Unix(), "sealed issued_at")
	require.Equal(t, want.CreatedAt, info.CreatedAt.Unix(), "sealed created_at")
	if want.KeyID != "" {
		require.Equal(t, want.KeyID, info.KeyID.String(), "sealed key_id")
	}
}

// isPart reports whether name is F.k with k a canonical decimal >= 1.
func isPart(full, name string) bool {
	k, ok := strings.CutPrefix(name, full+".")
	if !ok || k == "" || k[0] == '0' {
		return false
	}
	_, err := strconv.ParseUint(k, 10, 16)
	return err == nil
}

// scenarioHeader returns the case's Cookie header as bytes: each
// character U+0000-U+00FF is one byte; false when the case sends none.
func scenarioHeader(t *testing.T, c scenarioCase) (string, bool) {
	header, err := sessionsuite.HeaderOf(c.Header, c.HeaderPieces)
	require.NoError(t, err, "header")
	return header, header != ""
}

// scenarioValues decodes values: integers become int, as a Go handler
// would put them.
func scenarioValues(t *testing.T, raw json.RawMessage) map[string]any {
	out := map[string]any{}
	if len(raw) == 0 {
		return out
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var m map[string]any
	require.NoError(t, dec.Decode(&m), "values")
	for k, v := range m {
		if n, ok := v.(json.Number); ok {
			i, err := strconv.ParseInt(string(n), 10, 0)
			require.NoError(t, err, "values: %s is not an integer", k)
			v = int(i)
		}
		out[k] = v
	}
	return out
}

// requireSameJSON compares a JSON object with Go values as JSON.
func requireSameJSON(t *testing.T, want json.RawMessage, got map[string]any, what string) {
	t.Helper()
	b, err := json.Marshal(got)
	require.NoError(t, err, what)
	require.Equal(t, normJSON(t, want), normJSON(t, b), what)
}

func normJSON(t *testing.T, b []byte) any {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var v any
	require.NoError(t, dec.Decode(&v), "%s", b)
	return v
}
