package cookieseal

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// The generator of testdata/sessions/*.json (SESSIONS.md S8):
//
//	go test -run TestSessionsSuite -update .
//
// rewrites the files; without -update the test checks that they are what
// the cases below generate. It is deterministic: the clock of every case is
// fixed, and every nonce comes from the case's id (the codec's rand field).
// The expectations are written by hand from SESSIONS.md; TestSessionsReference
// (sessions_suite_test.go) recomputes them from a reference of S2-S6 and
// opens every sealed cookie.

// sessNow is the clock of every case, in Unix seconds (2026-05-28).
const sessNow = 1780000000

// sessSecrets are the suite's public test secrets: the first seals, the
// second opens (a rotation). sessRetired is in no ring: the key of an
// earlier deployment.
var (
	sessSecrets = []string{
		"cookieseal-sessions-suite-secret-1-PUBLIC-never-use",
		"cookieseal-sessions-suite-secret-2-PUBLIC-never-use",
	}
	sessRetired = "cookieseal-sessions-suite-secret-retired-PUBLIC-never-use"
)

// sessRand is a deterministic nonce source: SHA-256 of a seed and a counter.
type sessRand struct {
	seed string
	n    uint64
	buf  []byte
}

func (r *sessRand) Read(p []byte) (int, error) {
	for len(r.buf) < len(p) {
		sum := sha256.Sum256(binary.BigEndian.AppendUint64([]byte(r.seed), r.n))
		r.n++
		r.buf = append(r.buf, sum[:]...)
	}
	n := copy(p, r.buf)
	r.buf = r.buf[n:]
	return n, nil
}

// sessGen builds the cases of one file.
type sessGen struct {
	t     *testing.T
	file  sessFile
	id    string // the case being built
	seals int    // values sealed for it so far
}

// seal returns the sealed value of values for the cookie full, under
// secret, with the times given.
func (g *sessGen) seal(full, secret string, values map[string]any, issued, created int64) string {
	g.t.Helper()
	codec, err := New(Config{Secrets: []string{secret}, MaxLength: 1 << 22, Now: func() time.Time { return time.Unix(issued, 0) }})
	if err != nil {
		g.t.Fatal(err)
	}
	codec.rand = &sessRand{seed: fmt.Sprintf("sessions suite nonce %s %d ", g.id, g.seals)}
	g.seals++
	v, err := codec.Reissue(full, values, Info{IssuedAt: time.Unix(issued, 0), CreatedAt: time.Unix(created, 0)})
	if err != nil {
		g.t.Fatal(err)
	}
	return v
}

// sealID is seal with a session identity (SPEC.md flag 0x08).
func (g *sessGen) sealID(full, secret string, values map[string]any, issued, created int64, sid, subject string) string {
	g.t.Helper()
	codec, err := New(Config{Secrets: []string{secret}, MaxLength: 1 << 22, Now: func() time.Time { return time.Unix(issued, 0) }})
	if err != nil {
		g.t.Fatal(err)
	}
	codec.rand = &sessRand{seed: fmt.Sprintf("sessions suite nonce %s %d ", g.id, g.seals)}
	g.seals++
	v, err := codec.Reissue(full, values, Info{IssuedAt: time.Unix(issued, 0), CreatedAt: time.Unix(created, 0), SessionID: sid, Subject: subject})
	if err != nil {
		g.t.Fatal(err)
	}
	return v
}

// bogus returns a value that looks sealed under secret's key ID but does
// not authenticate: 74 bytes after the header from the case's seed.
func (g *sessGen) bogus(secret string, i int) string {
	kid, _, err := deriveKey(secret)
	if err != nil {
		g.t.Fatal(err)
	}
	b := []byte{version1, 0, 0, 0, 0, 0}
	binary.BigEndian.PutUint32(b[1:], uint32(kid))
	body := make([]byte, 74)
	(&sessRand{seed: fmt.Sprintf("sessions suite bogus %s %d ", g.id, i)}).Read(body)
	return base64.RawURLEncoding.EncodeToString(append(b, body...))
}

// sessHeaderOnly is the first 8 characters of a value sealed under
// secret's key: version 1, the key ID, no flag.
func sessHeaderOnly(t *testing.T, secret string) string {
	kid, _, err := deriveKey(secret)
	if err != nil {
		t.Fatal(err)
	}
	b := []byte{version1, 0, 0, 0, 0, 0}
	binary.BigEndian.PutUint32(b[1:], uint32(kid))
	return base64.RawURLEncoding.EncodeToString(b)
}

// kid is the key ID of secret, in hex.
func (g *sessGen) kid(secret string) string {
	id, _, err := deriveKey(secret)
	if err != nil {
		g.t.Fatal(err)
	}
	return id.String()
}

// resplit cuts v into n parts of about equal length: a value as a reader
// accepts it, though a writer would use fewer parts (SPEC.md section 10:
// readers do not check how a value was split).
func sessResplit(full, v string, n int) []chunkPair {
	var out []chunkPair
	for k := range n {
		p := v[k*len(v)/n : (k+1)*len(v)/n]
		if k == 0 {
			p = strconv.Itoa(n) + "." + p
		}
		out = append(out, chunkPair{refName(full, k), p})
	}
	return out
}

// writerSplit cuts v as a writer with the default max_length does.
func (g *sessGen) writerSplit(full, v string, maxParts, budget int) []chunkPair {
	result, set := refWriteChunks(full, 4096, maxParts, budget, v)
	if result != "ok" {
		g.t.Fatalf("%s: %d bytes do not fit %d parts and %d bytes", g.id, len(v), maxParts, budget)
	}
	return set
}

// cookieHeader is the Cookie header of pairs, "; " between them.
func sessCookieHeader(pairs ...[]chunkPair) string {
	var s []string
	for _, ps := range pairs {
		for _, p := range ps {
			s = append(s, p.Name+"="+p.Value)
		}
	}
	return strings.Join(s, "; ")
}

// sessConfigDefault is the configuration of a case unless it says otherwise.
func sessConfigDefault() sessConfig {
	return sessConfig{Name: "session", Prefix: "", Secrets: sessSecrets, MaxAge: 3600, MaxParts: 10, MaxHeaderBytes: 3072,
		LegacyScopes: []sessScope{}}
}

type sessObj = map[string]any

// Expectations.

func sessReadOK(session sessObj, issued, created int64, kid string) sessExpect {
	return sessExpect{Read: "ok", Session: session, IssuedAt: issued, CreatedAt: created, KeyID: kid}
}

func sessReadAs(class string) sessExpect { return sessExpect{Read: class} }

func (e sessExpect) nothing() sessExpect {
	e.Write, e.SetCookies = "nothing", []sessSetCookie{}
	return e
}

func (e sessExpect) writeError(class string) sessExpect {
	e.Write, e.Error, e.SetCookies = "error", class, []sessSetCookie{}
	return e
}

func (e sessExpect) sealed(session sessObj, issued, created int64, kid string, parts int, cookies ...sessSetCookie) sessExpect {
	e.Write = "seal"
	e.Sealed = &sessSealed{Session: session, IssuedAt: issued, CreatedAt: created, KeyID: kid, Parts: parts}
	e.SetCookies = cookies
	return e
}

func (e sessExpect) deleted(cookies ...sessSetCookie) sessExpect {
	e.Write, e.SetCookies = "delete", cookies
	return e
}

func sessSetC(name string) sessSetCookie    { return sessSetCookie{name, "", "/", "set"} }
func sessExpireC(name string) sessSetCookie { return sessSetCookie{name, "", "/", "expire"} }

// add appends a case; config changes the default configuration.
func (g *sessGen) add(k sessCase) {
	g.t.Helper()
	k.ID = "sessions/" + k.ID
	if k.Now == 0 {
		k.Now = sessNow
	}
	if k.Header == nil && len(k.HeaderPieces) == 0 {
		k.Header = new(string)
	}
	g.file.Cases = append(g.file.Cases, k)
}

// start names the case being built, for its nonces.
func (g *sessGen) start(id string) string {
	g.id, g.seals = "sessions/"+id, 0
	return id
}

func sessHdr(s string) *string { return &s }

// TestSessionsSuite generates testdata/sessions/*.json (with -update) or
// checks that the files are what it generates.
func TestSessionsSuite(t *testing.T) {
	files := map[string]sessFile{
		"header.json":       sessHeaderCases(t),
		"parts.json":        sessPartsCases(t),
		"prefixes.json":     sessPrefixCases(t),
		"lifecycle.json":    sessLifecycleCases(t),
		"extra-revoke.json": sessRevokeCases(t),
	}
	for name, f := range files {
		b := encodeSessFile(t, f)
		path := filepath.Join(sessionsDir, name)
		if updating() {
			if err := os.MkdirAll(sessionsDir, 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(path, b, 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		stored, err := os.ReadFile(path)
		if err != nil {
			t.Fatalf("%v (go test -run TestSessionsSuite -update writes it)", err)
		}
		if !bytes.Equal(stored, b) {
			t.Errorf("%s is not what the cases generate: run go test -run TestSessionsSuite -update and review the diff", path)
		}
	}
}

// encodeSessFile writes f as indented JSON with every character of a
// string between U+0080 and U+00FF (a header byte 0x80-0xFF) as a \u00XX
// escape, so that the files are ASCII.
func encodeSessFile(t *testing.T, f sessFile) []byte {
	t.Helper()
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(f); err != nil {
		t.Fatal(err)
	}
	var out strings.Builder
	for _, r := range buf.String() {
		switch {
		case r < 0x80:
			out.WriteRune(r)
		case r <= 0xff:
			fmt.Fprintf(&out, `\u%04x`, r)
		default:
			t.Fatalf("character U+%04X in the suite", r)
		}
	}
	return []byte(out.String())
}

// sessLatin1 returns the JSON string for header bytes: one character per byte.
func sessLatin1(b string) string {
	r := make([]rune, len(b))
	for i := range len(b) {
		r[i] = rune(b[i])
	}
	return string(r)
}

func newSessGen(t *testing.T, description string) *sessGen {
	return &sessGen{t: t, file: sessFile{Suite: "cookieseal sessions", Format: 1, Description: description}}
}

const sessDescriptionTail = " The secrets are public test values: never use them. Generated by sessions_gen_test.go " +
	"(go test -run TestSessionsSuite -update .); testdata/sessions/README.md says how to run a case."

// sessHeaderCases: S2, parsing the Cookie header.
func sessHeaderCases(t *testing.T) sessFile {
	g := newSessGen(t, "Parsing the Cookie header (SESSIONS.md S2): separators, white space, quotes, names that are "+
		"not tokens, values with forbidden bytes."+sessDescriptionTail)
	s1 := sessSecrets[0]
	k1 := g.kid(s1)
	alice := sessObj{"user": "alice"}
	mallory := sessObj{"user": "mallory"}
	// ok reads alice's session, sealed for the cookie "session".
	ok := func(id, spec, desc string, header func(r string) string) {
		g.start(id)
		r := g.seal("session", s1, alice, sessNow-100, sessNow-1000)
		g.add(sessCase{ID: id, Spec: spec, Description: desc, Config: sessConfigDefault(), Header: sessHdr(sessLatin1(header(r))), Action: "keep",
			Expect: sessReadOK(alice, sessNow-100, sessNow-1000, k1).nothing()})
	}
	// bad reads nothing (none) or fails (class) with alice's session in the header.
	bad := func(id, spec, class, desc string, header func(r string) string) {
		g.start(id)
		r := g.seal("session", s1, alice, sessNow-100, sessNow-1000)
		g.add(sessCase{ID: id, Spec: spec, Description: desc, Config: sessConfigDefault(), Header: sessHdr(sessLatin1(header(r))), Action: "keep",
			Expect: sessReadAs(class).nothing()})
	}
	ok("header/ok-among-other-cookies", "S2.6", "the session among other cookies", func(r string) string { return "theme=dark; session=" + r + "; lang=en" })
	ok("header/ows-around-pieces", "S2.2", "SP and HTAB around every piece are removed", func(r string) string {
		return " \ttheme=dark ;\t session=" + r + " \t; lang=en\t"
	})
	ok("header/no-space-after-semicolon", "S2.2", "pieces separated by \";\" alone", func(r string) string { return "theme=dark;session=" + r + ";lang=en" })
	ok("header/ows-around-equals", "S2.3", "SP and HTAB around \"=\" are removed from the name and the value", func(r string) string {
		return "theme=dark; session \t=\t " + r + " ; lang=en"
	})
	ok("header/empty-pieces", "S2.2", "empty pieces are skipped", func(r string) string { return ";; ;\t;session=" + r + ";;" })
	ok("header/quoted-value", "S2.5", "a value in double quotes loses them", func(r string) string { return "session=\"" + r + "\"" })
	ok("header/equals-in-other-value", "S2.3", "the name ends at the first \"=\": a=b=c is the cookie a with value b=c", func(r string) string {
		return "a=b=c; session=" + r
	})
	ok("header/bad-value-then-real", "S2.5", "a piece skipped for a forbidden byte, then the real session", func(r string) string {
		return "session=" + r[:20] + "\\" + r[20:] + "; session=" + r
	})
	ok("header/piece-without-equals-then-real", "S2.3", "a piece without \"=\" (Go's net/http reads it as an empty value) is skipped", func(r string) string {
		return "session; session=" + r
	})
	bad("header/piece-without-equals", "S2.3", "none", "\"session\" without \"=\" is no cookie: no session, not an empty one", func(string) string {
		return "session; lang=en"
	})
	bad("header/name-not-token-vt", "S2.4", "none", "VT (0x0B) before the name: not a token, skipped (Python's str.strip() and JavaScript's trim() would remove it)",
		func(r string) string { return "\x0bsession=" + r })
	bad("header/name-not-token-fs", "S2.4", "none", "0x1C before the name: not a token, skipped (Python's str.strip() would remove it)",
		func(r string) string { return "\x1csession=" + r })
	bad("header/nbsp-before-name", "S2.4", "none", "U+00A0 (byte 0xA0) before the name: not a token, skipped, never trimmed",
		func(r string) string { return "\xa0session=" + r })
	bad("header/nbsp-after-name", "S2.4", "none", "byte 0xA0 between the name and \"=\": the name is not a token",
		func(r string) string { return "session\xa0=" + r })
	bad("header/case-different-name", "S2.6", "none", "Session is another cookie: names are compared byte for byte",
		func(r string) string { return "Session=" + r })
	bad("header/value-backslash", "S2.5", "none", "a value holding \"\\\" is skipped", func(r string) string { return "session=" + r[:20] + "\\" + r[20:] })
	bad("header/value-high-byte", "S2.5", "none", "a value holding byte 0xE9 is skipped", func(r string) string { return "session=" + r + "\xe9" })
	bad("header/value-nbsp-after", "S2.5", "none", "byte 0xA0 after the value is not white space: the value holds it and is skipped",
		func(r string) string { return "session=" + r + "\xa0" })
	bad("header/value-inner-htab", "S2.5", "none", "HTAB inside the value (not at its ends) is a forbidden byte", func(r string) string {
		return "session=" + r[:20] + "\t" + r[20:]
	})
	bad("header/value-unbalanced-quote", "S2.5", "none", "a value that starts with \" and does not end with one keeps it, and is skipped",
		func(r string) string { return "session=\"" + r })
	bad("header/value-lone-quote", "S2.5", "none", "a value of one \" is not quoted (2 bytes or more): it holds \" and is skipped",
		func(string) string { return "session=\"" })
	bad("header/value-inner-space", "S2.5", "invalid", "SP inside the value is an allowed byte: the value is kept, and does not open",
		func(r string) string { return "session=" + r[:20] + " " + r[20:] })
	bad("header/equals-in-value", "S2.3", "invalid", "a \"=\" after the first is part of the value: session=v= does not open", func(r string) string {
		return "session=" + r + "="
	})
	bad("header/empty-value", "S2.3", "invalid", "session= is a cookie with an empty value: invalid, not none", func(string) string { return "session=" })
	bad("header/empty-quoted-value", "S2.5", "invalid", "session=\"\" is an empty value once unquoted: invalid", func(string) string { return "session=\"\"" })
	bad("header/no-header", "S4.1", "none", "no Cookie header", func(string) string { return "" })

	// Chromium accepts \xA0__Host-session (and \x85...) from a sibling
	// subdomain, and sends it; a Unicode-aware trim makes it __Host-session.
	host := sessConfigDefault()
	host.Prefix = "__Host-"
	for _, c := range []struct{ id, b, label string }{{"nbsp", "\xa0", "0xA0 (U+00A0)"}, {"nel", "\x85", "0x85 (U+0085)"}} {
		id := g.start("header/" + c.id + "-host-prefix-alone")
		evil := g.seal("__Host-session", s1, mallory, sessNow-50, sessNow-50)
		g.add(sessCase{ID: id, Spec: "S2.4", Description: "a cookie named " + c.label + " then __Host-session (set by a sibling subdomain) is not the session: no session",
			Config: host, Header: sessHdr(sessLatin1(c.b + "__Host-session=" + evil)), Action: "keep", Expect: sessReadAs("none").nothing()})
		id = g.start("header/" + c.id + "-host-prefix-before-real")
		evil = g.seal("__Host-session", s1, mallory, sessNow-50, sessNow-50)
		real := g.seal("__Host-session", s1, alice, sessNow-100, sessNow-1000)
		g.add(sessCase{ID: id, Spec: "S2.4", Description: "the same cookie holding another valid session, sent before the real __Host-session: the real one is read",
			Config: host, Header: sessHdr(sessLatin1(c.b + "__Host-session=" + evil + "; __Host-session=" + real)), Action: "keep",
			Expect: sessReadOK(alice, sessNow-100, sessNow-1000, k1).nothing()})
	}
	return g.file
}

// sessPartsCases: S4, heads and parts, bounded reading.
func sessPartsCases(t *testing.T) sessFile {
	g := newSessGen(t, "Reading a session among heads and parts (SESSIONS.md S4): de-duplication, sealed-looking heads first, "+
		"attempts A and B, the cap of 4 attempts, the part limit, large attack headers (header_pieces)."+sessDescriptionTail)
	s1 := sessSecrets[0]
	k1 := g.kid(s1)
	alice := sessObj{"user": "alice"}
	cfg := sessConfigDefault()
	wide := sessConfigDefault() // a deployment that writes two parts
	wide.MaxHeaderBytes = 8192
	real := func() string { return g.seal("session", s1, alice, sessNow-100, sessNow-1000) }
	aliceOK := sessReadOK(alice, sessNow-100, sessNow-1000, k1).nothing()
	keep := func(id, spec, desc string, c sessConfig, header string, e sessExpect) {
		g.add(sessCase{ID: id, Spec: spec, Description: desc, Config: c, Header: sessHdr(header), Action: "keep", Expect: e})
	}

	id := g.start("parts/garbage-head-first")
	keep(id, "S4.2", "a value that does not look sealed, then the real session: the real one is tried first", cfg,
		"session=not-a-sealed-cookie; session="+real(), aliceOK)
	id = g.start("parts/legacy-head-first")
	keep(id, "S4.2", "an earlier format's cookie (gorilla-style, base64 with padding) first: tried after the real one", cfg,
		"session=MTc5NTcwMDAwMHxnb2JieXx4eXo=; session="+real(), aliceOK)
	id = g.start("parts/duplicate-identical-heads")
	x := g.bogus(s1, 0)
	keep(id, "S4.1", "six identical sealed-looking heads that do not authenticate, then the real one: duplicates are one head, so the real one is the second attempt", cfg,
		strings.Repeat("session="+x+"; ", 6)+"session="+real(), aliceOK)
	id = g.start("parts/three-bogus-heads")
	keep(id, "S4.4", "three distinct sealed-looking heads with the ring's key ID that do not authenticate, then the real one: the fourth attempt opens", cfg,
		"session="+g.bogus(s1, 0)+"; session="+g.bogus(s1, 1)+"; session="+g.bogus(s1, 2)+"; session="+real(), aliceOK)
	id = g.start("parts/four-bogus-heads")
	keep(id, "S4.4", "four such heads, then the real one: the attempts stop at 4, and the outcome is the first failure", cfg,
		"session="+g.bogus(s1, 0)+"; session="+g.bogus(s1, 1)+"; session="+g.bogus(s1, 2)+"; session="+g.bogus(s1, 3)+"; session="+real(),
		sessReadAs("invalid").nothing())
	id = g.start("parts/bogus-heads-after-real")
	r := real()
	var after strings.Builder
	for i := range 5 {
		after.WriteString("; session=" + g.bogus(s1, i))
	}
	keep(id, "S4.6", "the real session first, then five bogus heads: the first attempt opens", cfg, "session="+r+after.String(), aliceOK)
	id = g.start("parts/first-failure-class")
	keep(id, "S4.6", "a head sealed under a key not in the ring, then a bogus one: nothing opens, the outcome is the first attempt's failure", cfg,
		"session="+g.seal("session", sessRetired, alice, sessNow-100, sessNow-100)+"; session="+g.bogus(s1, 0), sessReadAs("unknown_key").nothing())
	id = g.start("parts/one-part-head-ignores-parts")
	keep(id, "S4.4", "a head without \".\" is one attempt: parts beside it are ignored", cfg, "session="+real()+"; session.1=junk; session.1=more", aliceOK)
	id = g.start("parts/parts-without-head")
	keep(id, "S4.1", "parts but no head: no session", cfg, sessCookieHeader(sessResplit("session", real(), 3)[1:]), sessReadAs("none").nothing())

	// Two parts, as a writer with max_header_bytes 8192 cuts them.
	big := sessObj{"user": "alice", "notes": sessNoise("parts notes", 3600)}
	id = g.start("parts/two-parts")
	two := g.writerSplit("session", g.seal("session", s1, big, sessNow-100, sessNow-1000), 10, 8192)
	keep(id, "S4.5", "a session in two full parts", wide, sessCookieHeader(two), sessReadOK(big, sessNow-100, sessNow-1000, k1).nothing())
	id = g.start("parts/planted-part-first")
	two = g.writerSplit("session", g.seal("session", s1, big, sessNow-100, sessNow-1000), 10, 8192)
	planted := []chunkPair{{"session.1", strings.Repeat("B", len(two[1].Value))}}
	keep(id, "S4.4", "a planted session.1 sent before the real one: attempt A fails, attempt B (the second value of session.1) opens", wide,
		sessCookieHeader(planted, two), sessReadOK(big, sessNow-100, sessNow-1000, k1).nothing())
	id = g.start("parts/planted-part-after")
	two = g.writerSplit("session", g.seal("session", s1, big, sessNow-100, sessNow-1000), 10, 8192)
	keep(id, "S4.3", "a planted session.1 after the real one: attempt A opens", wide,
		sessCookieHeader(two, planted), sessReadOK(big, sessNow-100, sessNow-1000, k1).nothing())
	id = g.start("parts/old-scope-parts-first")
	old := sessResplit("session", g.seal("session", sessRetired, sessObj{"user": "old"}, sessNow-5000, sessNow-5000), 2)
	cur := sessResplit("session", g.seal("session", s1, alice, sessNow-100, sessNow-1000), 2)
	keep(id, "S4.4", "an earlier deployment's session and parts (another Domain or Path, sent first), then the current one: attempts old A, old B, new A fail, new B opens", cfg,
		sessCookieHeader(old, cur), aliceOK)
	id = g.start("parts/non-canonical-part-name")
	keep(id, "S4.3", "session.01 is not part 1: the part is missing", cfg,
		strings.Replace(sessCookieHeader(sessResplit("session", real(), 2)), "session.1=", "session.01=", 1), sessReadAs("invalid").nothing())
	id = g.start("parts/missing-part")
	three := sessResplit("session", real(), 3)
	keep(id, "S4.5", "a head counting 3 parts with session.2 missing: invalid", cfg, sessCookieHeader(three[:2]), sessReadAs("invalid").nothing())
	id = g.start("parts/resplit-parts")
	keep(id, "S4.5", "a value cut into 3 parts that a writer would have written in one: readers do not check how a value was split", cfg,
		sessCookieHeader(sessResplit("session", real(), 3)), aliceOK)

	// The part limit.
	small := sessConfigDefault()
	small.MaxParts = 2
	id = g.start("parts/count-above-max-parts")
	keep(id, "S4.7", "a session in 3 parts read with max_parts 2: too large", small, sessCookieHeader(sessResplit("session", real(), 3)), sessReadAs("too_large").nothing())
	id = g.start("parts/twelve-parts-default-reader")
	twelve := sessResplit("session", real(), 12)
	keep(id, "S4.7", "a session in 12 parts read with the default max_parts 10: too large", cfg, sessCookieHeader(twelve), sessReadAs("too_large").nothing())
	id = g.start("parts/twelve-parts-reader-12")
	twelveCfg := sessConfigDefault()
	twelveCfg.MaxParts = 12
	keep(id, "S4.5", "the same session in 12 parts read with max_parts 12 opens", twelveCfg, sessCookieHeader(sessResplit("session", real(), 12)), aliceOK)

	// Large attack headers: many tiny heads that look sealed under the
	// ring's key and count parts of about 4 KB, so that a reader that
	// joined and decrypted per head would do that work thousands of times.
	tiny := sessHeaderOnly(t, s1)
	attack := func(id, spec, desc string, c sessConfig, heads []sessPiece, count int, tail string, e sessExpect) {
		pieces := append([]sessPiece{}, heads...)
		for k := 1; k < count; k++ {
			name := refName("session", k)
			pieces = append(pieces, sessPiece{name + "=", 1}, sessPiece{"A", 4096 - len(name) - 1}, sessPiece{";", 1})
		}
		pieces = append(pieces, sessPiece{"session=" + tail, 1})
		g.add(sessCase{ID: id, Spec: spec, Description: desc, Config: c, HeaderPieces: pieces, Action: "keep", Expect: e})
	}
	id = g.start("parts/attack-92kb")
	attack(id, "S4.5", "2,750 copies of one tiny head counting 10 parts, 9 parts of about 4 KB, then the real session (about 92 KB): the copies are one head, one attempt, then the real one opens",
		cfg, []sessPiece{{"session=10." + tiny + ";", 2750}}, 10, real(), aliceOK)
	id = g.start("parts/attack-257kb-max-parts-50")
	c50 := sessConfigDefault()
	c50.MaxParts = 50
	attack(id, "S4.5", "the same with max_parts 50: 2,850 copies of a head counting 50 parts, 49 parts of about 4 KB, then the real session (about 257 KB)",
		c50, []sessPiece{{"session=50." + tiny + ";", 2850}}, 50, real(), aliceOK)
	id = g.start("parts/attack-distinct-heads")
	var heads []sessPiece
	for _, c := range "ABCD" {
		heads = append(heads, sessPiece{"session=10." + tiny + string(c) + ";", 690})
	}
	attack(id, "S4.4", "four distinct tiny heads, 690 copies each, 9 parts of about 4 KB, then the real session (about 95 KB): four attempts, none opens; the real session is never tried",
		cfg, heads, 10, real(), sessReadAs("invalid").nothing())
	return g.file
}

// sessNoise is n characters of base64url from seed: a value that DEFLATE
// cannot shrink much, so that part counts do not depend on compression.
func sessNoise(seed string, n int) string {
	b := make([]byte, n)
	(&sessRand{seed: seed}).Read(b)
	return base64.RawURLEncoding.EncodeToString(b)[:n]
}

// sessPrefixCases: S3, names and prefixes.
func sessPrefixCases(t *testing.T) sessFile {
	g := newSessGen(t, "Names and prefixes (SESSIONS.md S3): the full name is prefix + name, for reading, sealing (the AD) "+
		"and writing; a cookie under another name is not the session."+sessDescriptionTail)
	s1 := sessSecrets[0]
	k1 := g.kid(s1)
	alice := sessObj{"user": "alice"}
	mallory := sessObj{"user": "mallory"}
	for _, p := range []struct{ prefix, slug string }{{"__Host-", "host"}, {"__Secure-", "secure"}} {
		c := sessConfigDefault()
		c.Prefix = p.prefix
		full := p.prefix + "session"
		add := func(id, spec, desc, header, action string, values sessObj, e sessExpect) {
			g.add(sessCase{ID: id, Spec: spec, Description: desc, Config: c, Header: sessHdr(header), Action: action, Values: values, Expect: e})
		}
		id := g.start("prefixes/" + p.slug + "-read")
		add(id, "S3.2", "the session is read under "+full, full+"="+g.seal(full, s1, alice, sessNow-100, sessNow-1000), "keep", nil,
			sessReadOK(alice, sessNow-100, sessNow-1000, k1).nothing())
		id = g.start("prefixes/" + p.slug + "-unprefixed-is-not-the-session")
		add(id, "S3.2", "with prefix "+p.prefix+", a valid session under the unprefixed name session is not the session",
			"session="+g.seal("session", s1, alice, sessNow-100, sessNow-1000), "keep", nil, sessReadAs("none").nothing())
		id = g.start("prefixes/" + p.slug + "-unprefixed-then-prefixed")
		add(id, "S3.2", "a valid session under session, then the real one under "+full+": the real one",
			"session="+g.seal("session", s1, mallory, sessNow-50, sessNow-50)+"; "+full+"="+g.seal(full, s1, alice, sessNow-100, sessNow-1000), "keep", nil,
			sessReadOK(alice, sessNow-100, sessNow-1000, k1).nothing())
		id = g.start("prefixes/" + p.slug + "-sealed-for-unprefixed-name")
		add(id, "S1", "a value sealed for the name session, sent as "+full+": the AD holds the full name, so it does not open",
			full+"="+g.seal("session", s1, alice, sessNow-100, sessNow-1000), "keep", nil, sessReadAs("invalid").nothing())
		id = g.start("prefixes/" + p.slug + "-lowercase-prefix")
		add(id, "S3.2", "the prefix in another letter case is another cookie",
			strings.ToLower(p.prefix)+"session="+g.seal(full, s1, alice, sessNow-100, sessNow-1000), "keep", nil, sessReadAs("none").nothing())
		id = g.start("prefixes/" + p.slug + "-set")
		add(id, "S3.2", "set writes "+full+", sealed for the full name", full+"="+g.seal(full, s1, alice, sessNow-100, sessNow-1000), "set", sessObj{"cart": 2},
			sessReadOK(alice, sessNow-100, sessNow-1000, k1).sealed(sessObj{"user": "alice", "cart": 2}, sessNow, sessNow-1000, k1, 1, sessSetC(full)))
		id = g.start("prefixes/" + p.slug + "-login-no-cookie")
		add(id, "S3.2", "login with no cookie writes "+full, "", "login", sessObj{"user": "alice"},
			sessReadAs("none").sealed(sessObj{"user": "alice"}, sessNow, sessNow, k1, 1, sessSetC(full)))
		id = g.start("prefixes/" + p.slug + "-logout")
		add(id, "S6.8", "logout expires "+full, full+"="+g.seal(full, s1, alice, sessNow-100, sessNow-1000), "logout", nil,
			sessReadOK(alice, sessNow-100, sessNow-1000, k1).deleted(sessExpireC(full)))
		id = g.start("prefixes/" + p.slug + "-parts")
		add(id, "S3.4", "the parts of "+full+" are "+full+".1, ...", sessCookieHeader(sessResplit(full, g.seal(full, s1, alice, sessNow-100, sessNow-1000), 2)), "keep", nil,
			sessReadOK(alice, sessNow-100, sessNow-1000, k1).nothing())
		id = g.start("prefixes/" + p.slug + "-unprefixed-parts")
		parts := sessResplit(full, g.seal(full, s1, alice, sessNow-100, sessNow-1000), 2)
		parts[1].Name = "session.1"
		add(id, "S3.4", "session.1 is not a part of "+full+": part 1 is missing", sessCookieHeader(parts), "keep", nil, sessReadAs("invalid").nothing())
	}
	// A value that takes two parts under a prefix.
	c := sessConfigDefault()
	c.Prefix, c.MaxHeaderBytes = "__Host-", 8192
	id := g.start("prefixes/host-set-two-parts")
	notes := sessNoise("prefixes notes", 3600)
	g.add(sessCase{ID: id, Spec: "S3.4", Description: "a value written in two parts under a prefix: __Host-session and __Host-session.1", Config: c,
		Header: sessHdr(""), Action: "login", Values: sessObj{"user": "alice", "notes": notes},
		Expect: sessReadAs("none").sealed(sessObj{"user": "alice", "notes": notes}, sessNow, sessNow, k1, 2, sessSetC("__Host-session"), sessSetC("__Host-session.1"))})
	// Plain-http development: no Secure, no prefix.
	c = sessConfigDefault()
	c.Insecure = true
	id = g.start("prefixes/insecure-set")
	g.add(sessCase{ID: id, Spec: "S3.3", Description: "an insecure configuration writes session without the Secure attribute", Config: c,
		Header: sessHdr("session=" + g.seal("session", s1, alice, sessNow-100, sessNow-1000)), Action: "set", Values: sessObj{"cart": 1},
		Expect: sessReadOK(alice, sessNow-100, sessNow-1000, k1).sealed(sessObj{"user": "alice", "cart": 1}, sessNow, sessNow-1000, k1, 1, sessSetC("session"))})
	return g.file
}

// sessLifecycleCases: S5 and S6, writing and the lifecycle.
func sessLifecycleCases(t *testing.T) sessFile {
	g := newSessGen(t, "The read / judge / re-issue / refresh / save lifecycle (SESSIONS.md S5, S6): what each action "+
		"writes, with which times and key, and which cookies it sets or expires."+sessDescriptionTail)
	s1, s2 := sessSecrets[0], sessSecrets[1]
	k1 := g.kid(s1)
	k2 := g.kid(s2)
	alice := sessObj{"user": "alice"}
	const N = sessNow
	type lc struct {
		id, spec, desc string
		config         func(c *sessConfig)
		header         func() string
		action         string
		values         sessObj
		writeNow       int64
		expect         sessExpect
	}
	add := func(k lc) {
		id := g.start("lifecycle/" + k.id)
		c := sessConfigDefault()
		if k.config != nil {
			k.config(&c)
		}
		h := ""
		if k.header != nil {
			h = k.header()
		}
		g.add(sessCase{ID: id, Spec: k.spec, Description: k.desc, Config: c, Header: sessHdr(h), Action: k.action, Values: k.values, WriteNow: k.writeNow, Expect: k.expect})
	}
	cookie := func(secret string, v sessObj, issued, created int64) func() string {
		return func() string { return "session=" + g.seal("session", secret, v, issued, created) }
	}
	refresh := func(c *sessConfig) { c.RefreshAge = 600 }
	lifetime := func(c *sessConfig) { c.MaxLifetime = 7200 }
	legacy := func(c *sessConfig) {
		c.LegacyScopes = []sessScope{{Domain: "example.com", Path: "/"}, {Domain: "", Path: "/app"}}
	}
	legacyExpiries := []sessSetCookie{{"session", "example.com", "/", "expire"}, {"session", "", "/app", "expire"}}
	big := sessNoise("lifecycle notes", 9000)
	threeParts := func() string {
		return sessCookieHeader(sessResplit("session", g.seal("session", s1, alice, N-100, N-1000), 3))
	}

	for _, k := range []lc{
		{id: "keep-nothing-due", spec: "S6.1", desc: "keep with nothing due: a read writes nothing",
			header: cookie(s1, alice, N-100, N-1000), action: "keep", expect: sessReadOK(alice, N-100, N-1000, k1).nothing()},
		{id: "keep-no-cookie", spec: "S6.1", desc: "keep with no cookie: nothing", action: "keep", expect: sessReadAs("none").nothing()},
		{id: "keep-expired", spec: "S6.2", desc: "an expired cookie and keep: the error, nothing written",
			header: cookie(s1, alice, N-3601, N-3601), action: "keep", expect: sessReadAs("expired").nothing()},
		{id: "keep-max-age-boundary", spec: "S6.1", desc: "a cookie exactly max_age old still opens",
			header: cookie(s1, alice, N-3600, N-3600), action: "keep", expect: sessReadOK(alice, N-3600, N-3600, k1).nothing()},
		{id: "keep-bad-cookie", spec: "S6.2", desc: "a cookie that is not sealed and keep: invalid, nothing written",
			header: func() string { return "session=garbage" }, action: "keep", expect: sessReadAs("invalid").nothing()},
		{id: "keep-unknown-key", spec: "S6.2", desc: "a cookie sealed under a key not in the ring: unknown_key, nothing written",
			header: cookie(sessRetired, alice, N-100, N-100), action: "keep", expect: sessReadAs("unknown_key").nothing()},
		{id: "keep-past-max-lifetime", spec: "S6.2", desc: "a session older than max_lifetime (from created-at) reads as expired",
			config: lifetime, header: cookie(s1, alice, N-100, N-7201), action: "keep", expect: sessReadAs("expired").nothing()},
		{id: "keep-rotation", spec: "S6.3", desc: "keep of a cookie sealed under the second secret: re-issued under the first, issued-at and created-at kept",
			header: cookie(s2, alice, N-600, N-1200), action: "keep",
			expect: sessReadOK(alice, N-600, N-1200, k2).sealed(alice, N-600, N-1200, k1, 1, sessSetC("session"))},
		{id: "keep-rotation-max-age-attribute", spec: "S5.2", desc: "a rotation re-issue of a cookie issued 3000 s ago keeps its issued-at; its Set-Cookie has Max-Age=3600 (max_age), not what is left",
			header: cookie(s2, alice, N-3000, N-3000), action: "keep",
			expect: sessReadOK(alice, N-3000, N-3000, k2).sealed(alice, N-3000, N-3000, k1, 1, sessSetC("session"))},
		{id: "keep-refresh", spec: "S6.3", desc: "keep once refresh_age has passed: issued-at becomes now, created-at is kept",
			config: refresh, header: cookie(s1, alice, N-900, N-2000), action: "keep",
			expect: sessReadOK(alice, N-900, N-2000, k1).sealed(alice, N, N-2000, k1, 1, sessSetC("session"))},
		{id: "keep-refresh-boundary", spec: "S6.3", desc: "now - issued-at equal to refresh_age: a refresh is due",
			config: refresh, header: cookie(s1, alice, N-600, N-600), action: "keep",
			expect: sessReadOK(alice, N-600, N-600, k1).sealed(alice, N, N-600, k1, 1, sessSetC("session"))},
		{id: "keep-refresh-not-yet", spec: "S6.3", desc: "one second before refresh_age: nothing",
			config: refresh, header: cookie(s1, alice, N-599, N-599), action: "keep", expect: sessReadOK(alice, N-599, N-599, k1).nothing()},
		{id: "keep-rotation-and-refresh", spec: "S6.3", desc: "both due: issued-at now, created-at kept, the first key",
			config: refresh, header: cookie(s2, alice, N-900, N-2000), action: "keep",
			expect: sessReadOK(alice, N-900, N-2000, k2).sealed(alice, N, N-2000, k1, 1, sessSetC("session"))},
		{id: "refuse-rotation-due", spec: "S6.7", desc: "the handler refuses a session whose re-issue is due: nothing written",
			header: cookie(s2, alice, N-600, N-1200), action: "refuse", expect: sessReadOK(alice, N-600, N-1200, k2).nothing()},
		{id: "refuse-refresh-due", spec: "S6.7", desc: "the handler refuses a session whose refresh is due: nothing written",
			config: refresh, header: cookie(s1, alice, N-900, N-2000), action: "refuse", expect: sessReadOK(alice, N-900, N-2000, k1).nothing()},
		{id: "set", spec: "S6.4", desc: "set: the values added, issued-at now, created-at kept",
			header: cookie(s1, alice, N-100, N-500), action: "set", values: sessObj{"cart": 3, "beta": true},
			expect: sessReadOK(alice, N-100, N-500, k1).sealed(sessObj{"user": "alice", "cart": 3, "beta": true}, N, N-500, k1, 1, sessSetC("session"))},
		{id: "set-replaces-member", spec: "S6.4", desc: "set of a member the session has replaces its value",
			header: cookie(s1, alice, N-100, N-500), action: "set", values: sessObj{"user": "bob"},
			expect: sessReadOK(alice, N-100, N-500, k1).sealed(sessObj{"user": "bob"}, N, N-500, k1, 1, sessSetC("session"))},
		{id: "set-rotation", spec: "S6.4", desc: "set on a cookie sealed under the second secret: the first key seals, created-at kept",
			header: cookie(s2, alice, N-100, N-500), action: "set", values: sessObj{"cart": 1},
			expect: sessReadOK(alice, N-100, N-500, k2).sealed(sessObj{"user": "alice", "cart": 1}, N, N-500, k1, 1, sessSetC("session"))},
		{id: "set-no-cookie", spec: "S6.4", desc: "set with no cookie: a new session, issued-at and created-at now",
			action: "set", values: sessObj{"cart": 1}, expect: sessReadAs("none").sealed(sessObj{"cart": 1}, N, N, k1, 1, sessSetC("session"))},
		{id: "set-expired-cookie", spec: "S6.2", desc: "set with an expired cookie: the handler had an empty session, so a new session holds the values only",
			header: cookie(s1, alice, N-4000, N-4000), action: "set", values: sessObj{"cart": 1},
			expect: sessReadAs("expired").sealed(sessObj{"cart": 1}, N, N, k1, 1, sessSetC("session"))},
		{id: "set-bad-cookie", spec: "S6.2", desc: "set with a cookie that does not open: a new session",
			header: func() string { return "session=garbage" }, action: "set", values: sessObj{"cart": 1},
			expect: sessReadAs("invalid").sealed(sessObj{"cart": 1}, N, N, k1, 1, sessSetC("session"))},
		{id: "set-future-created", spec: "S6.4", desc: "set on a cookie issued 30 s in the future (a server clock ahead): it opens, and created-at becomes now",
			header: cookie(s1, alice, N+30, N+30), action: "set", values: sessObj{"cart": 1},
			expect: sessReadOK(alice, N+30, N+30, k1).sealed(sessObj{"user": "alice", "cart": 1}, N, N, k1, 1, sessSetC("session"))},
		{id: "skew-60s", spec: "S6.4", desc: "a cookie issued 60 s in the future opens (SPEC.md 4.7)",
			header: cookie(s1, alice, N+60, N+60), action: "keep", expect: sessReadOK(alice, N+60, N+60, k1).nothing()},
		{id: "skew-61s", spec: "S6.4", desc: "a cookie issued 61 s in the future is invalid (SPEC.md 4.7)",
			header: cookie(s1, alice, N+61, N+61), action: "keep", expect: sessReadAs("invalid").nothing()},
		{id: "set-long-request", spec: "S6.4", desc: "set with the response written 50 s after the read: issued-at is the write clock",
			header: cookie(s1, alice, N-100, N-500), action: "set", values: sessObj{"cart": 1}, writeNow: N + 50,
			expect: sessReadOK(alice, N-100, N-500, k1).sealed(sessObj{"user": "alice", "cart": 1}, N+50, N-500, k1, 1, sessSetC("session"))},
		{id: "login-over-existing", spec: "S6.5", desc: "login over an existing session: a new session holding the values only, created-at now",
			header: cookie(s1, alice, N-100, N-1000), action: "login", values: sessObj{"user": "bob"},
			expect: sessReadOK(alice, N-100, N-1000, k1).sealed(sessObj{"user": "bob"}, N, N, k1, 1, sessSetC("session"))},
		{id: "login-no-cookie", spec: "S6.5", desc: "login with no cookie",
			action: "login", values: sessObj{"user": "bob", "admin": false},
			expect: sessReadAs("none").sealed(sessObj{"user": "bob", "admin": false}, N, N, k1, 1, sessSetC("session"))},
		{id: "login-after-long-request", spec: "S6.5", desc: "login over a session whose max_lifetime passes while the request runs: a new session at the write clock (S6.6 concerns the old session)",
			config: lifetime, header: cookie(s1, alice, N-100, N-7100), action: "login", values: sessObj{"user": "bob"}, writeNow: N + 200,
			expect: sessReadOK(alice, N-100, N-7100, k1).sealed(sessObj{"user": "bob"}, N+200, N+200, k1, 1, sessSetC("session"))},
		{id: "set-past-max-lifetime-at-write", spec: "S6.6", desc: "set, with max_lifetime passed when the response is written: error expired, nothing written",
			config: lifetime, header: cookie(s1, alice, N-100, N-7100), action: "set", values: sessObj{"cart": 1}, writeNow: N + 200,
			expect: sessReadOK(alice, N-100, N-7100, k1).writeError("expired")},
		{id: "keep-rotation-past-max-age-at-write", spec: "S6.6", desc: "a rotation re-issue (issued-at kept) whose max_age passes while the request runs: error expired",
			header: cookie(s2, alice, N-3500, N-3500), action: "keep", writeNow: N + 200,
			expect: sessReadOK(alice, N-3500, N-3500, k2).writeError("expired")},
		{id: "keep-refresh-past-max-lifetime-at-write", spec: "S6.6", desc: "a due refresh whose max_lifetime passes while the request runs: error expired",
			config: func(c *sessConfig) { refresh(c); lifetime(c) }, header: cookie(s1, alice, N-900, N-7100), action: "keep", writeNow: N + 200,
			expect: sessReadOK(alice, N-900, N-7100, k1).writeError("expired")},
		{id: "logout-one-part", spec: "S6.8", desc: "logout: the cookie expired",
			header: cookie(s1, alice, N-100, N-1000), action: "logout", expect: sessReadOK(alice, N-100, N-1000, k1).deleted(sessExpireC("session"))},
		{id: "logout-three-parts", spec: "S6.8", desc: "logout of a session carried in 3 parts: session, session.1 and session.2 expired",
			header: threeParts, action: "logout",
			expect: sessReadOK(alice, N-100, N-1000, k1).deleted(sessExpireC("session"), sessExpireC("session.1"), sessExpireC("session.2"))},
		{id: "logout-no-cookie", spec: "S6.8", desc: "logout with no cookie carried: session expired (no part, since a value within the default limits takes one cookie)",
			action: "logout", expect: sessReadAs("none").deleted(sessExpireC("session"))},
		{id: "logout-no-cookie-raised-budget", spec: "S5.4", desc: "the same with max_header_bytes 12288: every part a value within the limits could use is expired too",
			config: func(c *sessConfig) { c.MaxHeaderBytes = 12288 }, action: "logout",
			expect: sessReadAs("none").deleted(sessExpireC("session"), sessExpireC("session.1"), sessExpireC("session.2"))},
		{id: "logout-bad-cookie", spec: "S6.8", desc: "logout with a cookie that does not open: it is expired all the same",
			header: func() string { return "session=garbage" }, action: "logout", expect: sessReadAs("invalid").deleted(sessExpireC("session"))},
		{id: "logout-legacy-scopes", spec: "S5.5", desc: "logout with two legacy scopes: session expired under each of them (first) and under the current scope",
			config: legacy, header: cookie(s1, alice, N-100, N-1000), action: "logout",
			expect: sessReadOK(alice, N-100, N-1000, k1).deleted(append([]sessSetCookie{sessExpireC("session")}, legacyExpiries...)...)},
		{id: "set-legacy-scopes", spec: "S5.5", desc: "set with two legacy scopes: session expired under each of them (first), then set",
			config: legacy, header: cookie(s1, alice, N-100, N-1000), action: "set", values: sessObj{"cart": 1},
			expect: sessReadOK(alice, N-100, N-1000, k1).sealed(sessObj{"user": "alice", "cart": 1}, N, N-1000, k1, 1, append([]sessSetCookie{sessSetC("session")}, legacyExpiries...)...)},
		{id: "keep-legacy-scopes-nothing-due", spec: "S6.1", desc: "keep with legacy scopes and nothing due: nothing, not even the legacy expiries",
			config: legacy, header: cookie(s1, alice, N-100, N-1000), action: "keep", expect: sessReadOK(alice, N-100, N-1000, k1).nothing()},
		{id: "refuse-bad-cookie", spec: "S6.2", desc: "refuse with a cookie that does not open: nothing",
			header: func() string { return "session=garbage" }, action: "refuse", expect: sessReadAs("invalid").nothing()},
		{id: "set-no-cookie-raised-budget", spec: "S5.4", desc: "set with no cookie carried and max_header_bytes 12288: one part set, and every other part a value within the limits could use expired",
			config: func(c *sessConfig) { c.MaxHeaderBytes = 12288 }, action: "set", values: sessObj{"cart": 1},
			expect: sessReadAs("none").sealed(sessObj{"cart": 1}, N, N, k1, 1, sessSetC("session"), sessExpireC("session.1"), sessExpireC("session.2"))},
		{id: "set-stale-parts-without-head", spec: "S5.4", desc: "a request carrying session.1 and session.2 but no session: none; set writes one part and expires the parts carried",
			header: func() string { return "session.1=stale; session.2=stale" }, action: "set", values: sessObj{"cart": 1},
			expect: sessReadAs("none").sealed(sessObj{"cart": 1}, N, N, k1, 1, sessSetC("session"), sessExpireC("session.1"), sessExpireC("session.2"))},
		{id: "big-value-three-parts", spec: "S5.4", desc: "set of a 9,000-character value with max_header_bytes 12288: three parts",
			config: func(c *sessConfig) { c.MaxHeaderBytes = 12288 }, header: cookie(s1, alice, N-100, N-1000), action: "set", values: sessObj{"notes": big},
			expect: sessReadOK(alice, N-100, N-1000, k1).sealed(sessObj{"user": "alice", "notes": big}, N, N-1000, k1, 3, sessSetC("session"), sessSetC("session.1"), sessSetC("session.2"))},
		{id: "three-parts-answered-by-one", spec: "S5.4", desc: "a request carrying a session in 3 parts, answered by a write in one: session.1 and session.2 expired",
			header: threeParts, action: "set", values: sessObj{"cart": 1},
			expect: sessReadOK(alice, N-100, N-1000, k1).sealed(sessObj{"user": "alice", "cart": 1}, N, N-1000, k1, 1, sessSetC("session"), sessExpireC("session.1"), sessExpireC("session.2"))},
	} {
		add(k)
	}
	return g.file
}
