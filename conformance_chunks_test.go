package cookieseal

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// testdata/conformance/chunks.json: the cookies of a request, and what a
// reader makes of them (SPEC.md section 10), for every implementation to
// run unchanged. The cases need no secret: they test how the sealed value
// is put together from the cookies, before it is opened.
//
// go test -run TestConformanceChunks -update regenerates the file from the
// cases below; without -update the test checks that the file is what they
// generate and that this implementation gives what it says.

func init() {
	// The conformance generators share one -update flag (DECISIONS.md:
	// "go test -run TestConformance -update"); whichever file comes first
	// defines it.
	if flag.Lookup("update") == nil {
		flag.Bool("update", false, "regenerate testdata/conformance")
	}
}

func updating() bool {
	f := flag.Lookup("update")
	return f != nil && f.Value.String() == "true"
}

// chunkCase is one case of chunks.json.
type chunkCase struct {
	ID          string `json:"id"`
	Spec        string `json:"spec"`
	Description string `json:"description"`
	Name        string `json:"name"`
	MaxLength   int    `json:"max_length"`
	MaxParts    int    `json:"max_parts"`
	// Reading cases: the request's cookies, in order; result "ok" with the
	// candidates, or "missing": no cookie called name.
	Cookies    []chunkPair  `json:"cookies,omitempty"`
	Result     string       `json:"result"`
	Candidates []chunkTrial `json:"candidates,omitempty"`
	// Writing cases (ids chunks/write/...): the sealed value v to store,
	// the writer's budget, and result "ok" with the cookies it sets, in
	// order (expiries left out), or "too_large".
	Value          string      `json:"value,omitempty"`
	MaxHeaderBytes int         `json:"max_header_bytes,omitempty"`
	Set            []chunkPair `json:"set,omitempty"`
}

// chunkPair is a cookie of the request.
type chunkPair struct {
	Name  string `json:"name"`
	Value string `json:"value"`
}

// chunkTrial is what a reader assembles from one cookie called name, in the
// order it tries them: the sealed value to open ("ok", joined), or why there
// is none ("invalid", "too_large").
type chunkTrial struct {
	Result string `json:"result"`
	Joined string `json:"joined,omitempty"`
}

type chunkFile struct {
	Suite       string      `json:"suite"`
	Format      int         `json:"format"`
	Description string      `json:"description"`
	Cases       []chunkCase `json:"cases"`
}

// chunkSeq returns n characters of base64url that start like a cookieseal
// cookie (version 1, key ID 0x0a1b2c3d, no flags) when head is set, and are
// otherwise a fixed run of one character.
func chunkSeq(n int, head bool, fill string) string {
	s := ""
	if head {
		s = "AQobLD0A" // 01 0a1b2c3d 00
	}
	return s + strings.Repeat(fill, n-len(s))
}

// chunkCases are the cases of chunks.json, without their results.
func chunkCases() []chunkCase {
	type pairs = []chunkPair
	// The cases use a max_length of 256, so that the file stays small; the
	// rules do not depend on it, and "two-parts-4096" has the default.
	const L = 256
	full := func(name string, i, n int) int { // a full part's value length at L
		c := L - len(chunkName(name, i)) - 1
		if i == 0 && n > 1 {
			c -= len(itoa(n)) + 1
		}
		return c
	}
	one := chunkSeq(200, true, "B")
	short := chunkSeq(100, true, "O")
	p0 := chunkSeq(full("s", 0, 2), true, "C")
	p1 := chunkSeq(100, false, "D")
	two := pairs{{"s", "2." + p0}, {"s.1", p1}}
	t0 := chunkSeq(full("s", 0, 3), true, "E")
	t1 := chunkSeq(full("s", 1, 3), false, "F")
	t2 := chunkSeq(50, false, "G")
	three := pairs{{"s", "3." + t0}, {"s.1", t1}, {"s.2", t2}}
	legacy := "MTc5NTcwMDAwMHxnb2JieXx4eXo=" // gorilla-style: base64 of "date|value|mac", padded

	c := func(id, desc string, cookies pairs) chunkCase {
		return chunkCase{ID: "chunks/" + id, Spec: "10", Description: desc, Name: "s", MaxLength: L, MaxParts: 10, Cookies: cookies}
	}
	return []chunkCase{
		c("one-part", "a value in one cookie: no \".\", read as it is", pairs{{"s", one}}),
		c("one-part-other-cookies", "other cookies around it are ignored", pairs{{"a", "1"}, {"s", one}, {"t.1", "x"}}),
		c("two-parts", "count 2, then part 0; part 1 in s.1", two),
		{ID: "chunks/two-parts-4096", Spec: "10", Description: "two full parts at the default max_length 4096, as a writer makes them", Name: "s", MaxLength: 4096, MaxParts: 10,
			Cookies: pairs{{"s", "2." + chunkSeq(4096-2-2, true, "Q")}, {"s.1", chunkSeq(4096-4, false, "R")}}},
		c("three-parts", "three parts", three),
		c("parts-in-any-order", "the order of the part cookies in the request does not matter", pairs{{"s.1", p1}, {"s", "2." + p0}}),
		c("one-part-with-stale-parts", "a one-part value beside parts of an older, longer value: the parts are ignored", pairs{{"s", one}, {"s.1", p1}, {"s.2", t2}}),
		c("planted-part-ignored", "a part beyond the count (planted by a sibling subdomain, or left over) is ignored", append(append(pairs{}, two...), chunkPair{"s.9", "planted"}, chunkPair{"s.2", "AAAA"})),
		c("part-past-max-parts-ignored", "s.10 with max_parts 10 is never read", append(append(pairs{}, two...), chunkPair{"s.10", "AAAA"})),
		c("duplicate-part-first-wins", "of two cookies s.1, the first in the request counts", pairs{{"s", "2." + p0}, {"s.1", p1}, {"s.1", "XXXX"}}),
		c("missing-part", "the count says 3, s.2 is missing: invalid", pairs{{"s", "3." + t0}, {"s.1", t1}}),
		c("empty-part", "an empty part: invalid", pairs{{"s", "2." + p0}, {"s.1", ""}}),
		c("empty-part-0", "a count and nothing after the \".\": invalid", pairs{{"s", "2."}, {"s.1", p1}}),
		c("count-1", "count 1: a one-part value never carries a count: invalid", pairs{{"s", "1." + short}}),
		c("count-0", "count 0: invalid", pairs{{"s", "0." + short}}),
		c("count-leading-zero", "count 02 is not canonical decimal: invalid", pairs{{"s", "02." + short}, {"s.1", p1}}),
		c("count-sign", "count +2 is not canonical decimal: invalid", pairs{{"s", "+2." + short}, {"s.1", p1}}),
		c("count-empty", "a \".\" with no count before it: invalid", pairs{{"s", "." + short}}),
		c("count-over-max-parts", "count 11 with max_parts 10: too large", pairs{{"s", "11." + short}}),
		c("count-huge", "a count of many digits: too large", pairs{{"s", "99999999999999999999." + short}}),
		c("short-part-0", "part 0 need not fill its cookie: readers do not check how a value was split", pairs{{"s", "2." + short}, {"s.1", p1}}),
		c("first-cookie-too-long", "the first cookie over max_length with its name: too large", pairs{{"s", chunkSeq(L-1, true, "H")}}),
		c("part-too-long", "a part over max_length with its name: too large", pairs{{"s", "2." + p0}, {"s.1", chunkSeq(L-3, false, "I")}}),
		c("part-at-max-length", "a part of exactly max_length with its name", pairs{{"s", "2." + p0}, {"s.1", chunkSeq(L-4, false, "J")}}),
		c("ten-parts", "max_parts parts", tenParts()),
		c("parts-without-first", "parts but no cookie called name: no session", pairs{{"s.1", p1}, {"s.2", t2}}),
		c("nothing", "no cookie at all: no session", pairs{{"a", "1"}}),
		c("name-prefix-is-another-cookie", "ss and s.x are other cookies", pairs{{"ss", one}, {"s.x", "1"}}),
		c("sealed-before-legacy", "two cookies called s (another Domain or Path): the one that starts like a cookieseal cookie is tried first", pairs{{"s", legacy}, {"s", one}}),
		c("sealed-chunked-before-legacy", "the same with a value in parts", pairs{{"s", legacy}, {"s", "2." + p0}, {"s.1", p1}}),
		c("both-sealed-request-order", "two cookieseal-looking cookies: tried in the request's order", pairs{{"s", one}, {"s", chunkSeq(100, true, "K")}}),
		c("unknown-version-is-not-sealed", "version 2 does not look like a cookieseal v1 cookie: tried after", pairs{{"s", "AgAAAAAA" + strings.Repeat("L", 100)}, {"s", one}}),
		c("unknown-flag-is-not-sealed", "flag bit 7 set does not look like a cookieseal cookie: tried after", pairs{{"s", "AQAAAACA" + strings.Repeat("M", 100)}, {"s", one}}),
		{ID: "chunks/host-prefix", Spec: "10", Description: "parts of __Host-s are __Host-s.1, ...", Name: "__Host-s", MaxLength: L, MaxParts: 10,
			Cookies: pairs{{"__Host-s", "2." + chunkSeq(full("__Host-s", 0, 2), true, "N")}, {"__Host-s.1", p1}}},
		{ID: "chunks/max-parts-1", Spec: "10", Description: "max_parts 1: a count of 2 is too large", Name: "s", MaxLength: L, MaxParts: 1, Cookies: two},
	}
}

// chunkWant is the result of each case's first candidate ("missing": none).
var chunkWant = map[string]string{
	"one-part": "ok", "one-part-other-cookies": "ok", "two-parts": "ok", "three-parts": "ok",
	"parts-in-any-order": "ok", "one-part-with-stale-parts": "ok",
	"planted-part-ignored": "ok", "part-past-max-parts-ignored": "ok", "duplicate-part-first-wins": "ok",
	"missing-part": "invalid", "empty-part": "invalid", "empty-part-0": "invalid", "count-1": "invalid",
	"count-0": "invalid", "count-leading-zero": "invalid", "count-sign": "invalid", "count-empty": "invalid",
	"count-over-max-parts": "too_large", "short-part-0": "ok", "count-huge": "too_large", "first-cookie-too-long": "too_large",
	"part-too-long": "too_large", "part-at-max-length": "ok", "two-parts-4096": "ok", "ten-parts": "ok",
	"parts-without-first": "missing", "nothing": "missing",
	"name-prefix-is-another-cookie": "missing", "sealed-before-legacy": "ok", "sealed-chunked-before-legacy": "ok",
	"both-sealed-request-order": "ok", "unknown-version-is-not-sealed": "ok", "unknown-flag-is-not-sealed": "ok",
	"host-prefix": "ok", "max-parts-1": "too_large", "max-parts-9": "too_large",
}

// writeWant is the number of cookies each writing case sets (0: too large).
var writeWant = map[string]int{
	"one-cookie": 1, "one-cookie-full": 1, "two-parts": 2, "two-parts-full": 2, "three-parts": 3,
	"nine-parts-full": 9, "ten-parts": 10, "over-max-parts": 0, "max-parts-1": 0, "at-budget": 2,
	"over-budget": 0, "host-prefix": 2,
}

// checkWrite checks a writing case against SPEC.md section 10 by hand: the
// count, every cookie within max_length, every part but the last full, the
// parts joining to the value, and the reader giving it back.
func checkWrite(t *testing.T, k chunkCase) {
	t.Helper()
	want := writeWant[strings.TrimPrefix(k.ID, "chunks/write/")]
	if len(k.Set) != want || (want == 0) != (k.Result == "too_large") {
		t.Fatalf("%s: %s with %d cookies, want %d", k.ID, k.Result, len(k.Set), want)
	}
	if want == 0 {
		return
	}
	joined := ""
	for i, c := range k.Set {
		v := c.Value
		if i == 0 && want > 1 {
			prefix := itoa(want) + "."
			if !strings.HasPrefix(v, prefix) {
				t.Errorf("%s: first cookie %.12q, want it to start with %q", k.ID, v, prefix)
			}
			v = strings.TrimPrefix(v, prefix)
		}
		size := len(c.Name) + 1 + len(c.Value)
		if c.Name != chunkName(k.Name, i) || size > k.MaxLength || i < want-1 && size != k.MaxLength {
			t.Errorf("%s: cookie %d is %s, %d bytes; want %s, full up to the last", k.ID, i, c.Name, size, chunkName(k.Name, i))
		}
		joined += v
	}
	if joined != k.Value {
		t.Errorf("%s: the parts do not join to the value", k.ID)
	}
	r := chunkCase{ID: k.ID, Name: k.Name, MaxLength: k.MaxLength, MaxParts: k.MaxParts, Cookies: k.Set}
	if result, trials := runChunkCase(t, r); result != "ok" || trials[0].Joined != k.Value {
		t.Errorf("%s: the reader does not give the value back", k.ID)
	}
}

// tenParts is a value in 10 parts of 100 characters.
func tenParts() []chunkPair {
	out := []chunkPair{{"s", "10." + chunkSeq(100, true, "P")}}
	for i := 1; i < 10; i++ {
		out = append(out, chunkPair{chunkName("s", i), chunkSeq(100, false, string(rune('a'+i)))})
	}
	return out
}

func itoa(n int) string {
	b, _ := json.Marshal(n)
	return string(b)
}

// writeCases are the writing cases of chunks.json, without their results.
func writeCases() []chunkCase {
	const L = 256
	w := func(id, desc string, name string, n, parts, budget int) chunkCase {
		return chunkCase{ID: "chunks/write/" + id, Spec: "10", Description: desc, Name: name, MaxLength: L, MaxParts: parts,
			MaxHeaderBytes: budget, Value: chunkSeq(n, true, "W")}
	}
	room2 := (L - 2 - 2) + (L - 4) // two full parts of "s": "s=2." and "s.1="
	room9 := 0                     // nine full parts
	for i := range 9 {
		room9 += L - len(chunkName("s", i)) - 1
	}
	room9 -= 2
	return []chunkCase{
		w("one-cookie", "a value that fits one cookie is written as it is", "s", 100, 10, 4096),
		w("one-cookie-full", "a value that fills one cookie exactly, name and \"=\" counted", "s", L-2, 10, 4096),
		w("two-parts", "one character more: two parts, the first full, with the count", "s", L-1, 10, 4096),
		w("two-parts-full", "two full parts", "s", room2, 10, 4096),
		w("three-parts", "one character more: three parts", "s", room2+1, 10, 4096),
		w("nine-parts-full", "nine full parts", "s", room9, 10, 4096),
		w("ten-parts", "one character more: ten parts, the count now two digits", "s", room9+1, 10, 4096),
		w("over-max-parts", "more than max_parts full parts hold: too large", "s", room9+1, 9, 4096),
		w("max-parts-1", "max_parts 1: one cookie or too large", "s", L-1, 1, 4096),
		w("at-budget", "cookies of exactly max_header_bytes, \"; \" between parts counted", "s", room2, 10, room2+len("s=2.")+len("; s.1=")),
		w("over-budget", "one byte over max_header_bytes: too large", "s", room2, 10, room2+len("s=2.")+len("; s.1=")-1),
		w("host-prefix", "the parts of __Host-s are __Host-s.1, ...", "__Host-s", 400, 10, 4096),
	}
}

// runWriteCase returns what this implementation writes for the case.
func runWriteCase(t *testing.T, k chunkCase) (string, []chunkPair) {
	t.Helper()
	s := chunkCookies(t, k)
	if len(k.Value) > s.room(k.Name) {
		return "too_large", nil
	}
	var out []chunkPair
	for i, p := range s.split(k.Name, k.Value) {
		out = append(out, chunkPair{chunkName(k.Name, i), p})
	}
	return "ok", out
}

// chunkCookies returns a Cookies with the case's limits.
func chunkCookies(t *testing.T, k chunkCase) *Cookies {
	t.Helper()
	codec, err := New(Config{Secrets: []string{GenerateSecret()}, MaxLength: k.MaxLength})
	if err != nil {
		t.Fatal(err)
	}
	s, err := NewCookies(codec, CookieOptions{MaxChunks: k.MaxParts, MaxHeaderBytes: k.MaxHeaderBytes})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// runChunkCase returns what this implementation makes of the case.
func runChunkCase(t *testing.T, k chunkCase) (string, []chunkTrial) {
	t.Helper()
	s := chunkCookies(t, k)
	r, err := http.NewRequest("GET", "/", nil)
	if err != nil {
		t.Fatal(err)
	}
	var header []string
	for _, c := range k.Cookies {
		header = append(header, c.Name+"="+c.Value)
	}
	r.Header.Set("Cookie", strings.Join(header, "; "))
	var f found
	s.collect(r, k.Name, &f)
	attempts, n := s.attempts(&f)
	if n == 0 {
		return "missing", nil
	}
	var trials []chunkTrial
	for _, a := range attempts[:n] {
		v, err := s.join(k.Name, &f, a)
		switch {
		case err == nil:
			trials = append(trials, chunkTrial{Result: "ok", Joined: v})
		case errors.Is(err, ErrTooLarge):
			trials = append(trials, chunkTrial{Result: "too_large"})
		case errors.Is(err, ErrInvalid):
			trials = append(trials, chunkTrial{Result: "invalid"})
		default:
			t.Fatalf("%s: unclassified error %v", k.ID, err)
		}
	}
	return "ok", trials
}

const chunksPath = "testdata/conformance/chunks.json"

func TestConformanceChunks(t *testing.T) {
	f := chunkFile{
		Suite:  "cookieseal conformance",
		Format: 1,
		Description: "Cookies in parts (SPEC.md section 10): the request's cookies, in order, and for each cookie " +
			"called name, in the order a reader tries them, the sealed value it assembles or why it has none. " +
			"result \"missing\": no cookie called name. Cases chunks/write/... give a sealed value and a writer's limits, " +
			"and the cookies it sets (\"ok\") or \"too_large\". No secret is needed: these test how the value is cut " +
			"and put together, before sealing and after. Generated by conformance_chunks_test.go " +
			"(go test -run TestConformanceChunks -update).",
	}
	seen := map[string]bool{}
	for _, k := range chunkCases() {
		if seen[k.ID] {
			t.Fatalf("duplicate id %s", k.ID)
		}
		seen[k.ID] = true
		k.Result, k.Candidates = runChunkCase(t, k)
		// What the first candidate must give, written by hand from SPEC.md
		// section 10, so that the generator is checked, not trusted.
		want, ok := chunkWant[strings.TrimPrefix(k.ID, "chunks/")]
		if !ok {
			t.Fatalf("%s: no expected result in chunkWant", k.ID)
		}
		got := k.Result
		if got == "ok" {
			got = k.Candidates[0].Result
		}
		if got != want {
			t.Errorf("%s: first candidate %s, want %s", k.ID, got, want)
		}
		f.Cases = append(f.Cases, k)
	}
	for _, k := range writeCases() {
		if seen[k.ID] {
			t.Fatalf("duplicate id %s", k.ID)
		}
		seen[k.ID] = true
		k.Result, k.Set = runWriteCase(t, k)
		checkWrite(t, k)
		f.Cases = append(f.Cases, k)
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(f); err != nil {
		t.Fatal(err)
	}
	if updating() {
		if err := os.MkdirAll(filepath.Dir(chunksPath), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(chunksPath, buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	stored, err := os.ReadFile(chunksPath)
	if err != nil {
		t.Fatalf("%v (go test -run TestConformanceChunks -update writes it)", err)
	}
	if !bytes.Equal(stored, buf.Bytes()) {
		t.Fatalf("%s is not what the cases generate: run go test -run TestConformanceChunks -update and review the diff", chunksPath)
	}
	// The file, read back, passes: what another implementation does.
	var back chunkFile
	if err := json.Unmarshal(stored, &back); err != nil {
		t.Fatal(err)
	}
	for _, k := range back.Cases {
		if strings.HasPrefix(k.ID, "chunks/write/") {
			result, set := runWriteCase(t, k)
			if result != k.Result || !slices.Equal(set, k.Set) {
				t.Errorf("%s: got %s with %d cookies, want %s with %d", k.ID, result, len(set), k.Result, len(k.Set))
			}
			continue
		}
		result, trials := runChunkCase(t, k)
		if result != k.Result || len(trials) != len(k.Candidates) {
			t.Errorf("%s: got %s with %d candidates, want %s with %d", k.ID, result, len(trials), k.Result, len(k.Candidates))
			continue
		}
		for i := range trials {
			if trials[i] != k.Candidates[i] {
				t.Errorf("%s: candidate %d: got %s, want %s", k.ID, i, trials[i].Result, k.Candidates[i].Result)
			}
		}
	}
}
