// Package sessionsuite is test support shared by the Go runners of the
// session scenario suite (testdata/sessions/*.json, SESSIONS.md S8): the
// types of its files, a strict loader, the Cookie header of a case, and
// the check of what a runner observed against a case's expectations. It
// imports nothing of cookieseal, so that the root package's own tests can
// use it; a runner turns what it observed into Read.
package sessionsuite

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
)

// File is one file of the suite.
type File struct {
	Suite       string `json:"suite"`
	Format      int    `json:"format"`
	Description string `json:"description"`
	Cases       []Case `json:"cases"`
}

// Case is one case (SESSIONS.md S8).
type Case struct {
	ID           string         `json:"id"`
	Spec         string         `json:"spec"`
	Description  string         `json:"description"`
	Config       Config         `json:"config"`
	Now          int64          `json:"now"`
	Header       *string        `json:"header"`
	HeaderPieces []Piece        `json:"header_pieces"`
	Action       string         `json:"action"`
	Values       map[string]any `json:"values"`
	Subject      string         `json:"subject"`
	WriteNow     int64          `json:"write_now"`
	Expect       Expect         `json:"expect"`
}

// Config is a case's configuration; absent fields take the defaults of
// S1, SPEC.md and S8 (Defaults).
type Config struct {
	Name           string       `json:"name"`
	Prefix         string       `json:"prefix"`
	Secrets        []string     `json:"secrets"`
	MaxAge         int64        `json:"max_age"`
	MaxLifetime    int64        `json:"max_lifetime"`
	RefreshAge     int64        `json:"refresh_age"`
	MaxParts       int          `json:"max_parts"`
	MaxHeaderBytes int          `json:"max_header_bytes"`
	LegacyScopes   []Scope      `json:"legacy_scopes"`
	Insecure       bool         `json:"insecure"`
	Revocations    *Revocations `json:"revocations"`
}

// Revocations is a case's revocation list (S9).
type Revocations struct {
	Sessions []string `json:"sessions"`
	Subjects []struct {
		Subject string `json:"subject"`
		Before  int64  `json:"before"`
	} `json:"subjects"`
}

// Scope is a legacy cookie scope.
type Scope struct {
	Domain string `json:"domain"`
	Path   string `json:"path"`
}

// Piece is a piece of a header, repeated Times times.
type Piece struct {
	Text  string `json:"text"`
	Times int    `json:"times"`
}

// Expect is what a case expects.
type Expect struct {
	Read       string         `json:"read"`
	Session    map[string]any `json:"session"`
	IssuedAt   int64          `json:"issued_at"`
	CreatedAt  int64          `json:"created_at"`
	KeyID      string         `json:"key_id"`
	SessionID  string         `json:"session_id"`
	Subject    string         `json:"subject"`
	Write      string         `json:"write"`
	Error      string         `json:"error"`
	Sealed     *Sealed        `json:"sealed"`
	SetCookies []SetCookie    `json:"set_cookies"`
}

// Sealed is the session a write is expected to seal.
type Sealed struct {
	Session   map[string]any `json:"session"`
	IssuedAt  int64          `json:"issued_at"`
	CreatedAt int64          `json:"created_at"`
	KeyID     string         `json:"key_id"`
	Parts     int            `json:"parts"`
	SessionID string         `json:"session_id"` // "new": a new random one
	Subject   string         `json:"subject"`
}

// SetCookie is one Set-Cookie line for the session's cookies.
type SetCookie struct {
	Name   string `json:"name"`
	Domain string `json:"domain"`
	Path   string `json:"path"`
	Op     string `json:"op"`
}

// Defaults fills the fields a configuration leaves out (S8: the defaults
// of S1 and SPEC.md, max_age 3600); maxParts and maxHeaderBytes are the
// library's defaults.
func (c *Config) Defaults(maxParts, maxHeaderBytes int) {
	if c.MaxAge == 0 {
		c.MaxAge = 3600
	}
	if c.MaxParts == 0 {
		c.MaxParts = maxParts
	}
	if c.MaxHeaderBytes == 0 {
		c.MaxHeaderBytes = maxHeaderBytes
	}
}

// WriteClock is the clock of the case's write: write_now, or now.
func (k Case) WriteClock() int64 {
	if k.WriteNow != 0 {
		return k.WriteNow
	}
	return k.Now
}

// Header returns the case's Cookie header as bytes: each character of the
// JSON string (U+0000 to U+00FF) is one byte; header_pieces follow header.
func Header(k Case) (string, error) {
	return HeaderOf(k.Header, k.HeaderPieces)
}

// HeaderOf is Header of a case's header and header_pieces.
func HeaderOf(header *string, pieces []Piece) (string, error) {
	var text strings.Builder
	if header != nil {
		text.WriteString(*header)
	}
	for _, p := range pieces {
		for range p.Times {
			text.WriteString(p.Text)
		}
	}
	out := make([]byte, 0, text.Len())
	for _, r := range text.String() {
		if r > 0xff {
			return "", fmt.Errorf("header character U+%04X is not one byte", r)
		}
		out = append(out, byte(r))
	}
	return string(out), nil
}

// Load reads every file of the suite in dir, or in COOKIESEAL_SESSIONS_DIR
// when that is set (a work-in-progress suite), keyed by file name. It
// decodes strictly (an unknown field, or anything after the object, fails)
// and refuses a file whose suite or format differs.
func Load(t *testing.T, dir string) map[string]File {
	t.Helper()
	if d := os.Getenv("COOKIESEAL_SESSIONS_DIR"); d != "" {
		dir = d
	}
	paths, err := filepath.Glob(filepath.Join(dir, "*.json"))
	if err != nil || len(paths) == 0 {
		t.Fatalf("no scenario files in %s (%v)", dir, err)
	}
	files := map[string]File{}
	for _, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		var f File
		dec := json.NewDecoder(bytes.NewReader(b))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&f); err != nil {
			t.Fatalf("%s: %v", p, err)
		}
		if dec.More() {
			t.Fatalf("%s: data after the object", p)
		}
		if f.Suite != "cookieseal sessions" || f.Format != 1 {
			t.Fatalf("%s: suite %q format %d, want \"cookieseal sessions\" 1", p, f.Suite, f.Format)
		}
		files[filepath.Base(p)] = f
	}
	return files
}

// Run loads the suite in dir and runs every case as a subtest of t,
// failing on a duplicate id or when no case ran.
func Run(t *testing.T, dir string, run func(t *testing.T, k Case)) {
	t.Helper()
	files := Load(t, dir)
	seen := map[string]bool{}
	ran := 0
	for name, f := range files {
		for _, k := range f.Cases {
			if seen[k.ID] {
				t.Fatalf("%s: duplicate case id %s", name, k.ID)
			}
			seen[k.ID] = true
			ran++
			t.Run(strings.TrimPrefix(k.ID, "sessions/"), func(t *testing.T) { run(t, k) })
		}
	}
	if ran == 0 {
		t.Fatal("no case ran")
	}
}

// SameJSON reports whether a and b are the same JSON value.
func SameJSON(a, b any) bool {
	norm := func(v any) any {
		j, err := json.Marshal(v)
		if err != nil {
			return err
		}
		dec := json.NewDecoder(bytes.NewReader(j))
		dec.UseNumber()
		var out any
		if err := dec.Decode(&out); err != nil {
			return err
		}
		return out
	}
	return reflect.DeepEqual(norm(a), norm(b))
}

// Read is what a read learnt: its outcome class (S1) and, with ok, the
// session and what Info says of it.
type Read struct {
	Outcome   string
	Session   any
	IssuedAt  int64
	CreatedAt int64
	KeyID     string
	SessionID string
	Subject   string
}

// Observed is what a runner's handler did: its read, the error of its
// write and the response's header.
type Observed struct {
	Read     Read
	WriteErr error
	Header   http.Header
}

// Runner is what Check needs of a runner: the session's full cookie name,
// which cookie names are its parts, the outcome class of a write error,
// and a reopening of the cookies set, with the case's ring at the write
// clock.
type Runner struct {
	Full   string
	IsPart func(full, cookie string) bool
	Class  func(err error) string
	Reopen func(header string) (Read, error)
}

// IsPart reports whether cookie is full.k, k a canonical decimal of 1 or
// more.
func IsPart(full, cookie string) bool {
	k, ok := strings.CutPrefix(cookie, full+".")
	return ok && k != "" && k[0] != '0' && strings.Trim(k, "0123456789") == ""
}

// Check checks what a runner observed against the case's expectations.
func Check(t *testing.T, k Case, r Runner, obs Observed) {
	t.Helper()
	e := k.Expect
	if obs.Read.Outcome != e.Read {
		t.Errorf("read %s, want %s", obs.Read.Outcome, e.Read)
	} else if e.Read == "ok" {
		got := obs.Read
		if !SameJSON(got.Session, e.Session) {
			t.Errorf("session %v, want %v", got.Session, e.Session)
		}
		if got.IssuedAt != e.IssuedAt || got.CreatedAt != e.CreatedAt || got.KeyID != e.KeyID {
			t.Errorf("read issued %d created %d key %s, want %d %d %s", got.IssuedAt, got.CreatedAt, got.KeyID, e.IssuedAt, e.CreatedAt, e.KeyID)
		}
		if got.SessionID != e.SessionID || got.Subject != e.Subject {
			t.Errorf("read session ID %q subject %q, want %q %q", got.SessionID, got.Subject, e.SessionID, e.Subject)
		}
	} else if m, ok := obs.Read.Session.(map[string]any); !ok && obs.Read.Session != nil || len(m) > 0 {
		t.Errorf("the handler got session %v from a %s read, want an empty one", obs.Read.Session, obs.Read.Outcome)
	}

	// The lines for F, its parts and its legacy scopes.
	var got []SetCookie
	var live []string // name=value of the cookies set, for reopening
	for _, l := range obs.Header.Values("Set-Cookie") {
		c, err := http.ParseSetCookie(l)
		if err != nil {
			t.Fatalf("Set-Cookie %q: %v", l, err)
		}
		if c.Name != r.Full && !r.IsPart(r.Full, c.Name) {
			continue
		}
		op := "set"
		if c.MaxAge < 0 {
			op = "expire"
		}
		got = append(got, SetCookie{Name: c.Name, Domain: c.Domain, Path: c.Path, Op: op})
		if op == "set" {
			live = append(live, c.Name+"="+c.Value)
			if c.MaxAge != int(k.Config.MaxAge) || !c.HttpOnly || c.Secure == k.Config.Insecure || c.SameSite != http.SameSiteLaxMode {
				t.Errorf("Set-Cookie %q: want Max-Age=%d, HttpOnly, Secure unless insecure, SameSite=Lax", l, k.Config.MaxAge)
			}
		}
	}
	if len(got) > 0 && obs.Header.Get("Cache-Control") != "no-store" {
		t.Errorf("Cache-Control %q with session cookies set, want no-store", obs.Header.Get("Cache-Control"))
	}
	want := e.SetCookies
	key := func(c SetCookie) string { return c.Name + "\x00" + c.Domain + "\x00" + c.Path + "\x00" + c.Op }
	gotKeys, wantKeys := []string{}, []string{}
	for _, c := range got {
		gotKeys = append(gotKeys, key(c))
	}
	for _, c := range want {
		wantKeys = append(wantKeys, key(c))
	}
	slices.Sort(gotKeys)
	slices.Sort(wantKeys)
	if !slices.Equal(gotKeys, wantKeys) {
		t.Errorf("set cookies %v, want %v", got, want)
	}

	switch e.Write {
	case "nothing", "delete":
		if obs.WriteErr != nil {
			t.Errorf("write error %v, want none", obs.WriteErr)
		}
		if e.Write == "nothing" && len(got) > 0 {
			t.Errorf("wrote %v, want nothing", got)
		}
	case "error":
		if c := r.Class(obs.WriteErr); c != e.Error {
			t.Errorf("write error %s (%v), want %s", c, obs.WriteErr, e.Error)
		}
		if len(got) > 0 {
			t.Errorf("wrote %v with an error, want nothing", got)
		}
	case "seal":
		if obs.WriteErr != nil {
			t.Fatalf("write error %v, want a seal", obs.WriteErr)
		}
		s := e.Sealed
		if s == nil {
			t.Fatal("write seal without sealed")
		}
		if len(live) != s.Parts {
			t.Errorf("sealed in %d cookies, want %d", len(live), s.Parts)
		}
		back, err := r.Reopen(strings.Join(live, "; "))
		if err != nil {
			t.Fatalf("the sealed session does not open at the write clock: %v", err)
		}
		if !SameJSON(back.Session, s.Session) {
			t.Errorf("sealed session %v, want %v", back.Session, s.Session)
		}
		if back.IssuedAt != s.IssuedAt || back.CreatedAt != s.CreatedAt || back.KeyID != s.KeyID {
			t.Errorf("sealed issued %d created %d key %s, want %d %d %s", back.IssuedAt, back.CreatedAt, back.KeyID, s.IssuedAt, s.CreatedAt, s.KeyID)
		}
		CheckSealedID(t, s, back.SessionID, back.Subject, obs.Read.SessionID)
	default:
		t.Fatalf("unknown expected write %q", e.Write)
	}
}

// CheckSealedID checks the identity of a sealed session against the case
// (S8): none, the one read, or "new": 32 hex digits other than the ID of
// the session read (read; a revoked read's ID is not seen).
func CheckSealedID(t *testing.T, s *Sealed, sid, subject, read string) {
	t.Helper()
	if subject != s.Subject {
		t.Errorf("sealed subject %q, want %q", subject, s.Subject)
	}
	if s.SessionID != "new" {
		if sid != s.SessionID {
			t.Errorf("sealed session ID %q, want %q", sid, s.SessionID)
		}
		return
	}
	if len(sid) != 32 || strings.Trim(sid, "0123456789abcdef") != "" {
		t.Errorf("sealed session ID %q, want a new one of 32 hex digits", sid)
	}
	if sid == read {
		t.Errorf("sealed session ID %q is the one read, want a new one", sid)
	}
}
