package cookieseal

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/cookieseal/cookieseal/internal/sessionsuite"
)

// The scenario suite testdata/sessions/*.json (SESSIONS.md S8): the types of
// its files, a strict loader, and a reference runner that proves the files
// coherent without driving Cookies. For every case it parses the header
// (S2), reads the session (S4, with refReadChunks of
// conformance_chunks_test.go) and opens the assembled values with the codec,
// applies the action (S5, S6) and compares every expectation with what that
// reference computes; a sealed expectation is checked by sealing it with the
// codec at the write clock, cutting it (SPEC.md section 10), reading it back
// and opening it. The Go integration's own runner is elsewhere.

const sessionsDir = "testdata/sessions"

type sessFile struct {
	Suite       string     `json:"suite"`
	Format      int        `json:"format"`
	Description string     `json:"description"`
	Cases       []sessCase `json:"cases"`
}

type sessCase struct {
	ID           string         `json:"id"`
	Spec         string         `json:"spec"`
	Description  string         `json:"description"`
	Config       sessConfig     `json:"config"`
	Now          int64          `json:"now"`
	Header       *string        `json:"header,omitempty"`
	HeaderPieces []sessPiece    `json:"header_pieces,omitempty"`
	Action       string         `json:"action"`
	Values       map[string]any `json:"values,omitempty"`
	Subject      string         `json:"subject,omitempty"`
	WriteNow     int64          `json:"write_now,omitempty"`
	Expect       sessExpect     `json:"expect"`
}

// sessConfig is a case's configuration. The generator writes every field,
// although absent ones have defaults (S8).
type sessConfig struct {
	Name           string           `json:"name"`
	Prefix         string           `json:"prefix"`
	Secrets        []string         `json:"secrets"`
	MaxAge         int64            `json:"max_age"`
	MaxLifetime    int64            `json:"max_lifetime"`
	RefreshAge     int64            `json:"refresh_age"`
	MaxParts       int              `json:"max_parts"`
	MaxHeaderBytes int              `json:"max_header_bytes"`
	LegacyScopes   []sessScope      `json:"legacy_scopes"`
	Insecure       bool             `json:"insecure"`
	Revocations    *sessRevocations `json:"revocations,omitempty"`
}

// sessRevocations is a case's revocation list (S9).
type sessRevocations struct {
	Sessions []string         `json:"sessions"`
	Subjects []sessSubjectRev `json:"subjects"`
}

type sessSubjectRev struct {
	Subject string `json:"subject"`
	Before  int64  `json:"before"`
}

// revoked reports whether the list revokes the session info describes (S9.2).
func (r *sessRevocations) revoked(info Info) bool {
	if r == nil {
		return false
	}
	if info.SessionID != "" && slices.Contains(r.Sessions, info.SessionID) {
		return true
	}
	for _, e := range r.Subjects {
		if info.Subject != "" && e.Subject == info.Subject && info.CreatedAt.Unix() < e.Before {
			return true
		}
	}
	return false
}

type sessScope = sessionsuite.Scope

type sessPiece struct {
	Text  string `json:"text"`
	Times int    `json:"times"`
}

type sessExpect struct {
	Read       string          `json:"read"`
	Session    any             `json:"session,omitempty"`
	IssuedAt   int64           `json:"issued_at,omitempty"`
	CreatedAt  int64           `json:"created_at,omitempty"`
	KeyID      string          `json:"key_id,omitempty"`
	SessionID  string          `json:"session_id,omitempty"`
	Subject    string          `json:"subject,omitempty"`
	Write      string          `json:"write"`
	Error      string          `json:"error,omitempty"`
	Sealed     *sessSealed     `json:"sealed,omitempty"`
	SetCookies []sessSetCookie `json:"set_cookies"`
}

type sessSealed struct {
	Session   any    `json:"session"`
	IssuedAt  int64  `json:"issued_at"`
	CreatedAt int64  `json:"created_at"`
	KeyID     string `json:"key_id"`
	Parts     int    `json:"parts"`
	SessionID string `json:"session_id,omitempty"` // "new": a new random one
	Subject   string `json:"subject,omitempty"`
}

type sessSetCookie struct {
	Name   string `json:"name"`
	Domain string `json:"domain"`
	Path   string `json:"path"`
	Op     string `json:"op"`
}

// loadSessFile reads one file strictly: an unknown field anywhere, or
// anything after the object, is an error.
func loadSessFile(path string) (sessFile, error) {
	var f sessFile
	b, err := os.ReadFile(path)
	if err != nil {
		return f, err
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	dec.UseNumber()
	if err := dec.Decode(&f); err != nil {
		return f, fmt.Errorf("%s: %w", path, err)
	}
	if dec.More() {
		return f, fmt.Errorf("%s: data after the object", path)
	}
	return f, nil
}

// headerBytes returns the case's Cookie header as bytes: each character of
// the JSON string (U+0000 to U+00FF) is one byte.
func (k sessCase) headerBytes() (string, error) {
	pieces := make([]sessionsuite.Piece, len(k.HeaderPieces))
	for i, p := range k.HeaderPieces {
		pieces[i] = sessionsuite.Piece(p)
	}
	return sessionsuite.HeaderOf(k.Header, pieces)
}

// sessSections returns the sections of SESSIONS.md that a case may name:
// "S4" and "S4.n" for every numbered item n of the section.
func sessSections(t *testing.T) map[string]bool {
	t.Helper()
	b, err := os.ReadFile("SESSIONS.md")
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]bool{}
	heading := regexp.MustCompile(`^## (S[0-9]+)\. `)
	item := regexp.MustCompile(`^([0-9]+)\. `)
	section := ""
	for _, line := range strings.Split(string(b), "\n") {
		if m := heading.FindStringSubmatch(line); m != nil {
			section = m[1]
			out[section] = true
			continue
		}
		if m := item.FindStringSubmatch(line); m != nil && section != "" {
			out[section+"."+m[1]] = true
		}
	}
	return out
}

var (
	sessActions  = []string{"keep", "refuse", "set", "login", "logout"}
	sessReads    = []string{"none", "ok", "invalid", "expired", "unknown_key", "too_large", "revoked"}
	sessWrites   = []string{"nothing", "seal", "delete", "error"}
	sessPrefixes = []string{"", "__Host-", "__Secure-"}
	hexKeyID     = regexp.MustCompile(`^[0-9a-f]{8}$`)
)

// validateSessCase checks what the schema of S8 says of one case, beyond
// the field names that the loader checks.
func validateSessCase(k sessCase, sections map[string]bool) error {
	c := k.Config
	var errs []error
	bad := func(format string, args ...any) { errs = append(errs, fmt.Errorf(format, args...)) }
	if !strings.HasPrefix(k.ID, "sessions/") {
		bad("id does not start with sessions/")
	}
	if !sections[k.Spec] {
		bad("spec %q is not a section of SESSIONS.md", k.Spec)
	}
	if k.Description == "" {
		bad("no description")
	}
	if c.Name == "" || !sessIsToken(c.Name) || regexp.MustCompile(`\.[0-9]+$`).MatchString(c.Name) {
		bad("config name %q is not a name S3.1 allows", c.Name)
	}
	if !slices.Contains(sessPrefixes, c.Prefix) {
		bad("config prefix %q", c.Prefix)
	}
	if c.Insecure && c.Prefix != "" {
		bad("an insecure configuration has no prefix (S3.3)")
	}
	if c.Prefix != "" && len(c.LegacyScopes) > 0 {
		bad("legacy scopes with a prefix (S5.5)")
	}
	for _, l := range c.LegacyScopes {
		if l.Domain == "" && l.Path == "/" {
			bad("a legacy scope equal to the current one (S5.5)")
		}
	}
	if len(c.Secrets) == 0 {
		bad("no secrets")
	}
	for _, s := range c.Secrets {
		if len(s) < MinSecretSize {
			bad("a secret shorter than %d bytes", MinSecretSize)
		}
	}
	if c.MaxAge <= 0 || c.MaxLifetime < 0 || c.RefreshAge < 0 || c.RefreshAge >= c.MaxAge {
		bad("config times max_age %d, max_lifetime %d, refresh_age %d", c.MaxAge, c.MaxLifetime, c.RefreshAge)
	}
	if c.MaxParts < 1 || c.MaxParts > 50 || c.MaxHeaderBytes < 1 {
		bad("config max_parts %d, max_header_bytes %d", c.MaxParts, c.MaxHeaderBytes)
	}
	if k.Now <= 0 || k.WriteNow < 0 {
		bad("clocks now %d, write_now %d", k.Now, k.WriteNow)
	}
	if (k.Header == nil) == (len(k.HeaderPieces) == 0) {
		bad("exactly one of header and header_pieces")
	}
	for _, p := range k.HeaderPieces {
		if p.Text == "" || p.Times < 1 {
			bad("header piece %q times %d", p.Text, p.Times)
		}
	}
	if _, err := k.headerBytes(); err != nil {
		bad("%v", err)
	}
	if !slices.Contains(sessActions, k.Action) {
		bad("action %q", k.Action)
	}
	if k.Subject != "" && k.Action != "login" {
		bad("subject goes with login only")
	}
	if r := c.Revocations; r != nil {
		for _, id := range r.Sessions {
			if !regexp.MustCompile(`^[0-9a-f]{32}$`).MatchString(id) {
				bad("revoked session ID %q", id)
			}
		}
		for _, e := range r.Subjects {
			if e.Subject == "" || e.Before <= 0 {
				bad("revoked subject %+v", e)
			}
		}
	}
	if (k.Action == "set" || k.Action == "login") != (len(k.Values) > 0) {
		bad("values go with set and login, and only with them")
	}
	for name, v := range k.Values {
		switch v := v.(type) {
		case string, bool:
		case json.Number:
			if _, err := v.Int64(); err != nil {
				bad("value %s is not an integer", name)
			}
		default:
			bad("value %s is not a string, integer or boolean", name)
		}
	}
	e := k.Expect
	if !slices.Contains(sessReads, e.Read) {
		bad("expect.read %q", e.Read)
	}
	ok := e.Read == "ok"
	if ok != (e.Session != nil) || ok != (e.IssuedAt != 0) || ok != (e.CreatedAt != 0) || ok != hexKeyID.MatchString(e.KeyID) {
		bad("expect.session, issued_at, created_at and key_id go with read ok, and only with it")
	}
	if ok {
		if _, isObject := e.Session.(map[string]any); !isObject {
			bad("expect.session is not an object")
		}
	}
	if !slices.Contains(sessWrites, e.Write) {
		bad("expect.write %q", e.Write)
	}
	if (e.Write == "error") != (e.Error != "") || e.Error != "" && !slices.Contains(sessReads[2:6], e.Error) {
		bad("expect.error %q with write %q", e.Error, e.Write)
	}
	if (e.Write == "seal") != (e.Sealed != nil) {
		bad("expect.sealed goes with write seal, and only with it")
	}
	if e.Sealed != nil {
		if _, isObject := e.Sealed.Session.(map[string]any); !isObject || e.Sealed.IssuedAt == 0 || e.Sealed.CreatedAt == 0 ||
			!hexKeyID.MatchString(e.Sealed.KeyID) || e.Sealed.Parts < 1 {
			bad("expect.sealed is incomplete")
		}
	}
	if e.SetCookies == nil {
		bad("no expect.set_cookies (an empty list when nothing is written)")
	}
	if (e.Write == "nothing" || e.Write == "error") != (len(e.SetCookies) == 0) {
		bad("set_cookies with write %q", e.Write)
	}
	for _, s := range e.SetCookies {
		if s.Op != "set" && s.Op != "expire" || s.Path == "" {
			bad("set_cookies entry %+v", s)
		}
		if e.Write == "delete" && s.Op != "expire" {
			bad("a delete that sets %s", s.Name)
		}
	}
	return errors.Join(errs...)
}

// sessIsToken reports whether s is an RFC 9110 token (S2 step 4).
func sessIsToken(s string) bool {
	if s == "" {
		return false
	}
	for _, c := range []byte(s) {
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || strings.IndexByte("!#$%&'*+-.^_`|~", c) >= 0) {
			return false
		}
	}
	return true
}

// refParseCookieHeader is S2 as a pure function.
func refParseCookieHeader(h string) []chunkPair {
	trim := func(s string) string { return strings.Trim(s, " \t") }
	var out []chunkPair
	for _, piece := range strings.Split(h, ";") {
		piece = trim(piece)
		name, value, ok := strings.Cut(piece, "=")
		if piece == "" || !ok {
			continue
		}
		name, value = trim(name), trim(value)
		if !sessIsToken(name) {
			continue
		}
		if len(value) >= 2 && value[0] == '"' && value[len(value)-1] == '"' {
			value = value[1 : len(value)-1]
		}
		if strings.ContainsFunc(value, func(r rune) bool { return r < 0x20 || r > 0x7e || r == '"' || r == ';' || r == '\\' }) {
			continue
		}
		out = append(out, chunkPair{name, value})
	}
	return out
}

// sessClass is the suite's name of an error class.
func sessClass(err error) string {
	for class, target := range map[string]error{"invalid": ErrInvalid, "expired": ErrExpired, "unknown_key": ErrUnknownKey, "too_large": ErrTooLarge} {
		if errors.Is(err, target) {
			return class
		}
	}
	return fmt.Sprintf("unclassified (%v)", err)
}

// refCodec is a codec with the case's ring and limits, its clock at now,
// and no size limit on one value: S4.5 checks the size of every cookie
// while assembling, and an assembled value is larger than one cookie.
func refCodec(t *testing.T, c sessConfig, now int64) *Codec {
	t.Helper()
	codec, err := New(Config{
		Secrets:     c.Secrets,
		MaxAge:      time.Duration(c.MaxAge) * time.Second,
		MaxLifetime: time.Duration(c.MaxLifetime) * time.Second,
		MaxLength:   1 << 22,
		Now:         func() time.Time { return time.Unix(now, 0) },
	})
	if err != nil {
		t.Fatal(err)
	}
	return codec
}

// refRead is S4 with the codec opening each assembled value: the outcome,
// and with ok the session and Info.
func refRead(t *testing.T, c sessConfig, full string, pairs []chunkPair, now int64) (string, map[string]any, Info) {
	return refReadRevoked(t, c, full, pairs, now, c.Revocations)
}

// refReadRevoked is refRead with the revocation list rev (S9.3): an attempt
// that opens but is revoked fails with revoked.
func refReadRevoked(t *testing.T, c sessConfig, full string, pairs []chunkPair, now int64, rev *sessRevocations) (string, map[string]any, Info) {
	t.Helper()
	result, attempts := refReadChunks(full, 4096, c.MaxParts, pairs)
	if result == "none" {
		return "none", nil, Info{}
	}
	codec := refCodec(t, c, now)
	first := ""
	for _, a := range attempts {
		class := a.Result
		if class == "ok" {
			var session map[string]any
			info, err := codec.DecodeInfo(full, a.Joined, &session)
			if err == nil && !rev.revoked(info) {
				return "ok", session, info
			}
			class = "revoked"
			if err != nil {
				class = sessClass(err)
			}
		}
		if first == "" {
			first = class
		}
	}
	return first, nil, Info{}
}

// refUsableParts is how many cookies the longest value within the limits
// takes (S5.4).
func refUsableParts(full string, maxParts, budget int) int {
	best, parts := 0, 1
	for n := 1; n <= maxParts; n++ {
		capacity, overhead := 0, 2*(n-1)
		for k := range n {
			capacity += 4096 - len(refName(full, k)) - 1
			overhead += len(refName(full, k)) + 1
		}
		if n > 1 {
			capacity -= len(strconv.Itoa(n)) + 1
			overhead += len(strconv.Itoa(n)) + 1
		}
		if room := min(capacity, budget-overhead); room > best {
			best, parts = room, n
		}
		if capacity >= budget-overhead {
			break
		}
	}
	return parts
}

// refExpect is what S4-S6 say of a case, computed: the reference the file's
// expectations must equal.
func refExpect(t *testing.T, k sessCase) sessExpect {
	t.Helper()
	c := k.Config
	full := c.Prefix + c.Name
	header, err := k.headerBytes()
	if err != nil {
		t.Fatal(err)
	}
	pairs := refParseCookieHeader(header)
	e := sessExpect{SetCookies: []sessSetCookie{}}
	read, session, info := refRead(t, c, full, pairs, k.Now)
	e.Read = read
	sealerID := refCodec(t, c, k.Now).KeyIDs()[0]
	if read == "ok" {
		e.Session, e.IssuedAt, e.CreatedAt, e.KeyID = session, info.IssuedAt.Unix(), info.CreatedAt.Unix(), info.KeyID.String()
		e.SessionID, e.Subject = info.SessionID, info.Subject
	}
	// S9.1: the identity a write keeps, or a new one where the layer seals IDs.
	keepID := func(s *sessSealed) {
		if read == "ok" && info.SessionID != "" {
			s.SessionID, s.Subject = info.SessionID, info.Subject
		} else if c.Revocations != nil {
			s.SessionID = "new"
		}
	}
	w := k.Now
	if k.WriteNow != 0 {
		w = k.WriteNow
	}
	rotation := read == "ok" && info.KeyID != sealerID
	refresh := read == "ok" && c.RefreshAge > 0 && k.Now-info.IssuedAt.Unix() >= c.RefreshAge
	lifetimeOver := func(created int64) bool { return c.MaxLifetime > 0 && w-created > c.MaxLifetime }
	var seal *sessSealed
	switch k.Action {
	case "keep":
		if !rotation && !refresh {
			break
		}
		issued, created := info.IssuedAt.Unix(), info.CreatedAt.Unix()
		if refresh {
			issued = w
		}
		if lifetimeOver(created) || !refresh && w-issued > c.MaxAge {
			e.Write, e.Error = "error", "expired"
			return e
		}
		seal = &sessSealed{Session: session, IssuedAt: issued, CreatedAt: min(created, issued)}
		keepID(seal)
	case "set":
		merged := map[string]any{}
		created := w
		if read == "ok" {
			for name, v := range session {
				merged[name] = v
			}
			created = min(info.CreatedAt.Unix(), w)
			if lifetimeOver(created) {
				e.Write, e.Error = "error", "expired"
				return e
			}
		}
		for name, v := range k.Values {
			merged[name] = v
		}
		seal = &sessSealed{Session: merged, IssuedAt: w, CreatedAt: created}
		keepID(seal)
	case "login":
		seal = &sessSealed{Session: k.Values, IssuedAt: w, CreatedAt: w, Subject: k.Subject}
		if c.Revocations != nil || k.Subject != "" {
			seal.SessionID = "new"
		}
	case "logout":
		e.Write = "delete"
	}
	if seal == nil && e.Write == "" {
		e.Write = "nothing"
		return e
	}
	parts := 1 // the cookies the new value takes; a delete expires from part 1 on
	if seal != nil {
		e.Write = "seal"
		seal.KeyID = sealerID.String()
		parts = refCheckSeal(t, k, full, seal, w)
		seal.Parts = parts
		e.Sealed = seal
		for i := range parts {
			e.SetCookies = append(e.SetCookies, sessSetCookie{refName(full, i), "", "/", "set"})
		}
	} else {
		e.SetCookies = append(e.SetCookies, sessSetCookie{full, "", "/", "expire"})
	}
	// S5.4: stale parts; S5.5: legacy scopes.
	carried, carries := map[int]bool{}, false
	for _, p := range pairs {
		if p.Name == full {
			carries = true
		}
		if suffix, ok := strings.CutPrefix(p.Name, full+"."); ok {
			if n, ok := refDecimal(suffix); ok && n >= 1 {
				carried[n], carries = true, true
			}
		}
	}
	if !carries {
		for n := parts; n < refUsableParts(full, c.MaxParts, c.MaxHeaderBytes); n++ {
			carried[n] = true
		}
	}
	for _, n := range slices.Sorted(func(yield func(int) bool) {
		for n := range carried {
			if !yield(n) {
				return
			}
		}
	}) {
		if n >= parts {
			e.SetCookies = append(e.SetCookies, sessSetCookie{refName(full, n), "", "/", "expire"})
		}
	}
	for _, l := range c.LegacyScopes {
		e.SetCookies = append(e.SetCookies, sessSetCookie{full, l.Domain, l.Path, "expire"})
	}
	return e
}

// refCheckSeal seals what s describes with the case's ring at the write
// clock, cuts it as a writer does, reads it back and opens it, and returns
// how many cookies it takes.
func refCheckSeal(t *testing.T, k sessCase, full string, s *sessSealed, w int64) int {
	t.Helper()
	c := k.Config
	codec := refCodec(t, c, w)
	sid := s.SessionID
	if sid == "new" {
		sid = strings.Repeat("ab", sessionIDSize)
	}
	v, err := codec.Reissue(full, s.Session, Info{IssuedAt: time.Unix(s.IssuedAt, 0), CreatedAt: time.Unix(s.CreatedAt, 0), SessionID: sid, Subject: s.Subject})
	if err != nil {
		t.Fatalf("%s: sealing the expected session: %v", k.ID, err)
	}
	result, set := refWriteChunks(full, 4096, c.MaxParts, c.MaxHeaderBytes, v)
	if result != "ok" {
		t.Fatalf("%s: the expected session does not fit the writer's limits", k.ID)
	}
	read, session, info := refReadRevoked(t, c, full, set, w, nil)
	if read != "ok" || !sessionsuite.SameJSON(session, s.Session) || info.IssuedAt.Unix() != s.IssuedAt || info.CreatedAt.Unix() != s.CreatedAt ||
		info.KeyID.String() != codec.KeyIDs()[0].String() || info.SessionID != sid || info.Subject != s.Subject {
		t.Fatalf("%s: the sealed session does not read back: %s", k.ID, read)
	}
	return len(set)
}

// sessSameSetCookies compares two lists of set_cookies in any order.
func sessSameSetCookies(a, b []sessSetCookie) bool {
	key := func(s sessSetCookie) string { return s.Name + "\x00" + s.Domain + "\x00" + s.Path + "\x00" + s.Op }
	ka, kb := make([]string, len(a)), make([]string, len(b))
	for i := range a {
		ka[i] = key(a[i])
	}
	for i := range b {
		kb[i] = key(b[i])
	}
	slices.Sort(ka)
	slices.Sort(kb)
	return slices.Equal(ka, kb)
}

// sessCompareExpect reports how the file's expectation differs from the
// reference's.
func sessCompareExpect(got, want sessExpect) error {
	var errs []error
	diff := func(field string, g, w any) {
		errs = append(errs, fmt.Errorf("%s: file %v, reference %v", field, g, w))
	}
	if got.Read != want.Read {
		diff("read", got.Read, want.Read)
	}
	if !sessionsuite.SameJSON(got.Session, want.Session) {
		diff("session", got.Session, want.Session)
	}
	if got.SessionID != want.SessionID || got.Subject != want.Subject {
		diff("session_id, subject", []any{got.SessionID, got.Subject}, []any{want.SessionID, want.Subject})
	}
	if got.IssuedAt != want.IssuedAt || got.CreatedAt != want.CreatedAt || got.KeyID != want.KeyID {
		diff("issued_at, created_at, key_id", []any{got.IssuedAt, got.CreatedAt, got.KeyID}, []any{want.IssuedAt, want.CreatedAt, want.KeyID})
	}
	if got.Write != want.Write || got.Error != want.Error {
		diff("write", got.Write+" "+got.Error, want.Write+" "+want.Error)
	}
	if (got.Sealed == nil) != (want.Sealed == nil) {
		diff("sealed", got.Sealed, want.Sealed)
	} else if got.Sealed != nil {
		g, w := *got.Sealed, *want.Sealed
		if !sessionsuite.SameJSON(g.Session, w.Session) || g.IssuedAt != w.IssuedAt || g.CreatedAt != w.CreatedAt || g.KeyID != w.KeyID || g.Parts != w.Parts ||
			g.SessionID != w.SessionID || g.Subject != w.Subject {
			diff("sealed", g, w)
		}
	}
	if !sessSameSetCookies(got.SetCookies, want.SetCookies) {
		diff("set_cookies", got.SetCookies, want.SetCookies)
	}
	return errors.Join(errs...)
}

// TestSessionsReference loads every file of testdata/sessions, checks its
// schema, and checks every case's expectations against the reference.
func TestSessionsReference(t *testing.T) {
	paths, err := filepath.Glob(filepath.Join(sessionsDir, "*.json"))
	if err != nil || len(paths) == 0 {
		t.Fatalf("no files in %s (%v)", sessionsDir, err)
	}
	sections := sessSections(t)
	seen := map[string]bool{}
	for _, path := range paths {
		f, err := loadSessFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if f.Suite != "cookieseal sessions" || f.Format != 1 || f.Description == "" || len(f.Cases) == 0 {
			t.Fatalf("%s: suite %q, format %d, %d cases", path, f.Suite, f.Format, len(f.Cases))
		}
		for _, k := range f.Cases {
			if seen[k.ID] {
				t.Errorf("%s: duplicate id %s", path, k.ID)
			}
			seen[k.ID] = true
			if err := validateSessCase(k, sections); err != nil {
				t.Errorf("%s: %v", k.ID, err)
				continue
			}
			// The reference works on Go values; the loader kept numbers as
			// json.Number, which sessionsuite.SameJSON compares as the same text.
			if err := sessCompareExpect(k.Expect, refExpect(t, k)); err != nil {
				t.Errorf("%s: %v", k.ID, err)
			}
		}
	}
}
