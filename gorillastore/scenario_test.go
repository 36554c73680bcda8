package gorillastore_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/cookieseal/cookieseal"
	"github.com/cookieseal/cookieseal/gorillastore"
)

// The session scenario suite (SESSIONS.md S8), run against the store the
// way a gorilla/sessions application uses it: a handler that calls
// store.Get, judges the session and does the case's action through
// gorilla's API, served a real http.Request through an
// httptest.ResponseRecorder. Every case of every file in
// ../testdata/sessions/ runs unchanged; COOKIESEAL_SESSIONS_DIR names
// another directory of the same files. The actions map to the store as:
//
//   - keep: Get, then store.Reissue (writes only a due re-issue, S6.3);
//   - refuse: Get, answer 401, no Save. gorilla's store has no notion of a
//     status code and writes only when the application calls Save or
//     Reissue, so a refused session is one the handler does not save;
//   - set: Get, the values added to session.Values, session.Save;
//   - login: Get, store.Renew, the values, session.Save (S6.5);
//   - logout: Get, Options.MaxAge = -1, session.Save (S6.8).
//
// The session name is the full cookie name (prefix included), as gorilla
// names cookies. The types and the checks are those of the root package's
// runner (scenario_test.go), copied: the two modules share no test code.

// scnFile is one file of the suite.
type scnFile struct {
	Suite       string    `json:"suite"`
	Format      int       `json:"format"`
	Description string    `json:"description"`
	Cases       []scnCase `json:"cases"`
}

// scnCase is one case (SESSIONS.md S8).
type scnCase struct {
	ID           string         `json:"id"`
	Spec         string         `json:"spec"`
	Description  string         `json:"description"`
	Config       scnConfig      `json:"config"`
	Now          int64          `json:"now"`
	Header       *string        `json:"header"`
	HeaderPieces []scnPiece     `json:"header_pieces"`
	Action       string         `json:"action"`
	Values       map[string]any `json:"values"`
	Subject      string         `json:"subject"`
	WriteNow     int64          `json:"write_now"`
	Expect       scnExpect      `json:"expect"`
}

// scnConfig is a case's configuration; absent fields take the defaults of
// S1, SPEC.md and S8 (scnDefaults).
type scnConfig struct {
	Name           string          `json:"name"`
	Prefix         string          `json:"prefix"`
	Secrets        []string        `json:"secrets"`
	MaxAge         int64           `json:"max_age"`
	MaxLifetime    int64           `json:"max_lifetime"`
	RefreshAge     int64           `json:"refresh_age"`
	MaxParts       int             `json:"max_parts"`
	MaxHeaderBytes int             `json:"max_header_bytes"`
	LegacyScopes   []scnScope      `json:"legacy_scopes"`
	Insecure       bool            `json:"insecure"`
	Revocations    *scnRevocations `json:"revocations"`
}

// scnRevocations is a case's revocation list (S9).
type scnRevocations struct {
	Sessions []string `json:"sessions"`
	Subjects []struct {
		Subject string `json:"subject"`
		Before  int64  `json:"before"`
	} `json:"subjects"`
}

// scnList is the case's revocation list as a MemoryRevocations, its
// entries kept past the case's clocks.
func scnList(t *testing.T, r *scnRevocations) cookieseal.Revocations {
	if r == nil {
		return nil
	}
	m := cookieseal.NewMemoryRevocations(nil)
	forever := time.Now().Add(24 * time.Hour)
	for _, id := range r.Sessions {
		if err := m.RevokeSession(t.Context(), id, forever); err != nil {
			t.Fatal(err)
		}
	}
	for _, e := range r.Subjects {
		if err := m.RevokeSubject(t.Context(), e.Subject, time.Unix(e.Before, 0), forever); err != nil {
			t.Fatal(err)
		}
	}
	return m
}

type scnScope struct {
	Domain string `json:"domain"`
	Path   string `json:"path"`
}

type scnPiece struct {
	Text  string `json:"text"`
	Times int    `json:"times"`
}

type scnExpect struct {
	Read       string         `json:"read"`
	Session    map[string]any `json:"session"`
	IssuedAt   int64          `json:"issued_at"`
	CreatedAt  int64          `json:"created_at"`
	KeyID      string         `json:"key_id"`
	SessionID  string         `json:"session_id"`
	Subject    string         `json:"subject"`
	Write      string         `json:"write"`
	Error      string         `json:"error"`
	Sealed     *scnSealed     `json:"sealed"`
	SetCookies []scnSetCookie `json:"set_cookies"`
}

type scnSealed struct {
	Session   map[string]any `json:"session"`
	IssuedAt  int64          `json:"issued_at"`
	CreatedAt int64          `json:"created_at"`
	KeyID     string         `json:"key_id"`
	Parts     int            `json:"parts"`
	SessionID string         `json:"session_id"` // "new": a new random one
	Subject   string         `json:"subject"`
}

type scnSetCookie struct {
	Name   string `json:"name"`
	Domain string `json:"domain"`
	Path   string `json:"path"`
	Op     string `json:"op"`
}

// scnDefaults fills the fields a case leaves out (S8: the defaults of S1
// and SPEC.md, max_age 3600).
func (c *scnConfig) scnDefaults() {
	if c.MaxAge == 0 {
		c.MaxAge = 3600
	}
	if c.MaxParts == 0 {
		c.MaxParts = cookieseal.DefaultMaxChunks
	}
	if c.MaxHeaderBytes == 0 {
		c.MaxHeaderBytes = cookieseal.DefaultMaxHeaderBytes
	}
}

// scnHeader returns the case's Cookie header as bytes: each character of
// the JSON string (U+0000 to U+00FF) is one byte; header_pieces follow
// header.
func (k scnCase) scnHeader() (string, error) {
	var text strings.Builder
	if k.Header != nil {
		text.WriteString(*k.Header)
	}
	for _, p := range k.HeaderPieces {
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

// scnLoad reads every file of the suite, refusing one whose suite or
// format differs.
func scnLoad(t *testing.T) map[string]scnFile {
	t.Helper()
	dir := os.Getenv("COOKIESEAL_SESSIONS_DIR")
	if dir == "" {
		dir = filepath.Join("..", "testdata", "sessions")
	}
	paths, err := filepath.Glob(filepath.Join(dir, "*.json"))
	if err != nil || len(paths) == 0 {
		t.Fatalf("no scenario files in %s (%v)", dir, err)
	}
	files := map[string]scnFile{}
	for _, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		var f scnFile
		if err := json.Unmarshal(b, &f); err != nil {
			t.Fatalf("%s: %v", p, err)
		}
		if f.Suite != "cookieseal sessions" || f.Format != 1 {
			t.Fatalf("%s: suite %q format %d, want \"cookieseal sessions\" 1", p, f.Suite, f.Format)
		}
		files[filepath.Base(p)] = f
	}
	return files
}

// scnClass is the outcome class of a read or write error (S1).
func scnClass(err error) string {
	switch {
	case err == nil:
		return "ok"
	case errors.Is(err, http.ErrNoCookie):
		return "none"
	case errors.Is(err, cookieseal.ErrInvalid):
		return "invalid"
	case errors.Is(err, cookieseal.ErrExpired):
		return "expired"
	case errors.Is(err, cookieseal.ErrUnknownKey):
		return "unknown_key"
	case errors.Is(err, cookieseal.ErrTooLarge):
		return "too_large"
	case errors.Is(err, cookieseal.ErrRevoked):
		return "revoked"
	}
	return fmt.Sprintf("unclassified (%v)", err)
}

// scnSameJSON reports whether a and b are the same JSON value.
func scnSameJSON(a, b any) bool {
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

// scnRead is what the handler learnt from its read.
type scnRead struct {
	outcome string
	session any
	info    cookieseal.Info
}

// scnResponse is what a handler did: its read, the error of its write,
// and the response.
type scnResponse struct {
	read     scnRead
	writeErr error
	rec      *httptest.ResponseRecorder
}

// scnCheck checks a response against the case's expectations. It is
// shared by every Go runner: the session's cookies are reopened by
// reopen, with the case's ring at the write clock.
func scnCheck(t *testing.T, k scnCase, full string, resp scnResponse, reopen func(header string) (scnRead, error)) {
	t.Helper()
	e := k.Expect
	if resp.read.outcome != e.Read {
		t.Errorf("read %s, want %s", resp.read.outcome, e.Read)
	} else if e.Read == "ok" {
		if !scnSameJSON(resp.read.session, e.Session) {
			t.Errorf("session %v, want %v", resp.read.session, e.Session)
		}
		if got := resp.read.info; got.IssuedAt.Unix() != e.IssuedAt || got.CreatedAt.Unix() != e.CreatedAt || got.KeyID.String() != e.KeyID {
			t.Errorf("read issued %d created %d key %s, want %d %d %s", got.IssuedAt.Unix(), got.CreatedAt.Unix(), got.KeyID, e.IssuedAt, e.CreatedAt, e.KeyID)
		}
		if got := resp.read.info; got.SessionID != e.SessionID || got.Subject != e.Subject {
			t.Errorf("read session ID %q subject %q, want %q %q", got.SessionID, got.Subject, e.SessionID, e.Subject)
		}
	} else if m, ok := resp.read.session.(map[string]any); !ok && resp.read.session != nil || len(m) > 0 {
		t.Errorf("the handler got session %v from a %s read, want an empty one", resp.read.session, resp.read.outcome)
	}

	// The lines for F, its parts and its legacy scopes.
	var got []scnSetCookie
	var live []string // name=value of the cookies set, for reopening
	lines := resp.rec.Header().Values("Set-Cookie")
	for _, l := range lines {
		c, err := http.ParseSetCookie(l)
		if err != nil {
			t.Fatalf("Set-Cookie %q: %v", l, err)
		}
		if c.Name != full && !scnIsPart(full, c.Name) {
			continue
		}
		op := "set"
		if c.MaxAge < 0 {
			op = "expire"
		}
		got = append(got, scnSetCookie{Name: c.Name, Domain: c.Domain, Path: c.Path, Op: op})
		if op == "set" {
			live = append(live, c.Name+"="+c.Value)
			if c.MaxAge != int(k.Config.MaxAge) || !c.HttpOnly || c.Secure == k.Config.Insecure || c.SameSite != http.SameSiteLaxMode {
				t.Errorf("Set-Cookie %q: want Max-Age=%d, HttpOnly, Secure unless insecure, SameSite=Lax", l, k.Config.MaxAge)
			}
		}
	}
	if len(got) > 0 && resp.rec.Header().Get("Cache-Control") != "no-store" {
		t.Errorf("Cache-Control %q with session cookies set, want no-store", resp.rec.Header().Get("Cache-Control"))
	}
	want := e.SetCookies
	key := func(c scnSetCookie) string { return c.Name + "\x00" + c.Domain + "\x00" + c.Path + "\x00" + c.Op }
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
		if resp.writeErr != nil {
			t.Errorf("write error %v, want none", resp.writeErr)
		}
		if e.Write == "nothing" && len(got) > 0 {
			t.Errorf("wrote %v, want nothing", got)
		}
	case "error":
		if c := scnClass(resp.writeErr); c != e.Error {
			t.Errorf("write error %s (%v), want %s", c, resp.writeErr, e.Error)
		}
		if len(got) > 0 {
			t.Errorf("wrote %v with an error, want nothing", got)
		}
	case "seal":
		if resp.writeErr != nil {
			t.Fatalf("write error %v, want a seal", resp.writeErr)
		}
		s := e.Sealed
		if s == nil {
			t.Fatal("write seal without sealed")
		}
		if len(live) != s.Parts {
			t.Errorf("sealed in %d cookies, want %d", len(live), s.Parts)
		}
		back, err := reopen(strings.Join(live, "; "))
		if err != nil {
			t.Fatalf("the sealed session does not open at the write clock: %v", err)
		}
		if !scnSameJSON(back.session, s.Session) {
			t.Errorf("sealed session %v, want %v", back.session, s.Session)
		}
		if back.info.IssuedAt.Unix() != s.IssuedAt || back.info.CreatedAt.Unix() != s.CreatedAt || back.info.KeyID.String() != s.KeyID {
			t.Errorf("sealed issued %d created %d key %s, want %d %d %s", back.info.IssuedAt.Unix(), back.info.CreatedAt.Unix(), back.info.KeyID, s.IssuedAt, s.CreatedAt, s.KeyID)
		}
		scnCheckSealedID(t, s, back.info.SessionID, back.info.Subject, resp.read.info.SessionID)
	default:
		t.Fatalf("unknown expected write %q", e.Write)
	}
}

// scnIsPart reports whether cookie is full.k, k a canonical decimal of 1
// or more.
func scnIsPart(full, cookie string) bool {
	k, ok := strings.CutPrefix(cookie, full+".")
	return ok && k != "" && k[0] != '0' && strings.Trim(k, "0123456789") == ""
}

// TestSessionsScenariosStore runs the scenario suite against the store.
func TestSessionsScenariosStore(t *testing.T) {
	files := scnLoad(t)
	seen := map[string]bool{}
	ran := 0
	for name, f := range files {
		for _, k := range f.Cases {
			if seen[k.ID] {
				t.Fatalf("%s: duplicate case id %s", name, k.ID)
			}
			seen[k.ID] = true
			ran++
			t.Run(strings.TrimPrefix(k.ID, "sessions/"), func(t *testing.T) { runStoreScenario(t, k) })
		}
	}
	if ran == 0 {
		t.Fatal("no case ran")
	}
}

// scnValues turns the case's JSON values into session values: integers
// become int, as an application stores them.
func scnValues(t *testing.T, values map[string]any) map[any]any {
	out := map[any]any{}
	for k, v := range values {
		if f, ok := v.(float64); ok {
			if f != float64(int(f)) {
				t.Fatalf("value %s: %v is not an integer", k, f)
			}
			v = int(f)
		}
		out[k] = v
	}
	return out
}

// scnStringKeys returns session values as a JSON object, for comparing.
func scnStringKeys(values map[any]any) map[string]any {
	out := map[string]any{}
	for k, v := range values {
		out[fmt.Sprint(k)] = v
	}
	return out
}

func runStoreScenario(t *testing.T, k scnCase) {
	c := k.Config
	c.scnDefaults()
	k.Config = c
	var clock time.Time
	codec, err := cookieseal.New(cookieseal.Config{
		Secrets:     c.Secrets,
		MaxAge:      time.Duration(c.MaxAge) * time.Second,
		MaxLifetime: time.Duration(c.MaxLifetime) * time.Second,
		RefreshAge:  time.Duration(c.RefreshAge) * time.Second,
		Now:         func() time.Time { return clock },
	})
	if err != nil {
		t.Fatal(err)
	}
	store, err := gorillastore.New(codec)
	if err != nil {
		t.Fatal(err)
	}
	store.MaxParts(c.MaxParts)
	store.MaxLength(c.MaxHeaderBytes)
	store.Options.Secure = !c.Insecure
	var scopes []cookieseal.CookieScope
	for _, l := range c.LegacyScopes {
		scopes = append(scopes, cookieseal.CookieScope{Domain: l.Domain, Path: l.Path})
	}
	if err := store.LegacyScopes(scopes...); err != nil {
		t.Fatal(err)
	}
	store.Revocations(scnList(t, c.Revocations))
	full := c.Prefix + c.Name
	header, err := k.scnHeader()
	if err != nil {
		t.Fatal(err)
	}
	writeNow := k.Now
	if k.WriteNow != 0 {
		writeNow = k.WriteNow
	}

	// The application: Get, judge, act.
	var resp scnResponse
	handler := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		session, err := store.Get(r, full)
		read := scnRead{outcome: scnClass(err), session: scnStringKeys(maps.Clone(session.Values))}
		if err == nil && session.IsNew {
			read.outcome = "none"
		}
		if read.outcome == "ok" {
			if read.info, err = store.Info(r, full); err != nil {
				t.Fatalf("Info after a good Get: %v", err)
			}
		}
		resp.read = read
		clock = time.Unix(writeNow, 0) // the handler ran until now
		switch k.Action {
		case "keep": // accepted: re-issue if due (S6.3)
			if read.outcome == "ok" {
				_, resp.writeErr = store.Reissue(r, w, full)
			}
		case "refuse": // judged and refused: no Save (see above)
			http.Error(w, "log in again", http.StatusUnauthorized)
			return
		case "set":
			for name, v := range scnValues(t, k.Values) {
				session.Values[name] = v
			}
			resp.writeErr = session.Save(r, w)
		case "login":
			if k.Subject != "" {
				store.RenewSubject(session, k.Subject)
			} else {
				store.Renew(session)
			}
			for name, v := range scnValues(t, k.Values) {
				session.Values[name] = v
			}
			resp.writeErr = session.Save(r, w)
		case "logout":
			session.Options.MaxAge = -1
			resp.writeErr = session.Save(r, w)
		default:
			t.Fatalf("unknown action %q", k.Action)
		}
		if resp.writeErr != nil {
			http.Error(w, "session not saved", http.StatusInternalServerError)
			return
		}
		fmt.Fprintln(w, "ok")
	})
	r := httptest.NewRequest(http.MethodGet, "https://127.0.0.1/", nil)
	if header != "" {
		r.Header["Cookie"] = []string{header}
	}
	clock = time.Unix(k.Now, 0)
	resp.rec = httptest.NewRecorder()
	handler.ServeHTTP(resp.rec, r)

	scnCheck(t, k, full, resp, func(header string) (scnRead, error) {
		clock = time.Unix(writeNow, 0)
		back := httptest.NewRequest(http.MethodGet, "https://127.0.0.1/", nil)
		back.Header.Set("Cookie", header)
		session, err := store.Get(back, full)
		if err != nil {
			return scnRead{}, err
		}
		if session.IsNew {
			return scnRead{}, http.ErrNoCookie
		}
		info, err := store.Info(back, full)
		return scnRead{outcome: scnClass(err), session: scnStringKeys(session.Values), info: info}, err
	})
}

// scnCheckSealedID checks the identity of a sealed session against the
// case (S8): none, the one read, or "new": 32 hex digits other than the
// ID of the session read.
func scnCheckSealedID(t *testing.T, s *scnSealed, sid, subject, read string) {
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
