package cookieseal

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// testdata/conformance/chunks.json: the cookies of a request, and what a
// reader makes of them (SPEC.md section 10, SESSIONS.md S4), for every
// implementation to run unchanged. The cases need no secret: they test how
// the sealed value is put together from the cookies, before it is opened,
// and how a writer cuts it.
//
// go test -run TestConformanceChunks -update regenerates the file from the
// cases below; without -update the test checks that the file is what they
// generate. The expected results come from refReadChunks and
// refWriteChunks, a reference written from the spec in this file, checked
// against results written by hand per case (want), and independent of the
// production reader and writer in chunk.go: chunk.go's own tests run the
// file against it.

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
	// Reading cases: the request's cookies, in order; result "none" (no
	// cookie called name: no attempt) or "ok" with the attempts, in order.
	Cookies  []chunkPair  `json:"cookies,omitempty"`
	Result   string       `json:"result"`
	Attempts []chunkTrial `json:"attempts,omitempty"`
	// Writing cases (ids chunks/write/...): the sealed value v to store,
	// the writer's budget, and result "ok" with the cookies it sets, in
	// order (expiries left out), or "too_large".
	Value          string      `json:"value,omitempty"`
	MaxHeaderBytes int         `json:"max_header_bytes,omitempty"`
	Set            []chunkPair `json:"set,omitempty"`

	// Not written: the results written by hand (attempt results separated
	// by spaces, "none"; for writing cases the number of cookies set, "0"
	// for too large), and optionally the value attempt realAt must join.
	want   string
	real   string
	realAt int
}

// chunkPair is a cookie of the request.
type chunkPair struct {
	Name  string `json:"name"`
	Value string `json:"value"`
}

// chunkTrial is one attempt of a reader, in the order it makes them: the
// sealed value it assembles ("ok", joined), or why there is none
// ("invalid", "too_large").
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

// refMaxAttempts is where SESSIONS.md S4.4 cuts the list of attempts.
const refMaxAttempts = 4

// refName is the cookie holding part k of name (SPEC.md section 10).
func refName(name string, k int) string {
	if k == 0 {
		return name
	}
	return name + "." + strconv.Itoa(k)
}

// refDecimal returns the number s spells in canonical decimal (digits, no
// sign, no leading zero), saturated far above any part count, and ok.
func refDecimal(s string) (n int, ok bool) {
	if s == "" || len(s) > 1 && s[0] == '0' {
		return 0, false
	}
	for _, c := range []byte(s) {
		if c < '0' || c > '9' {
			return 0, false
		}
		n = min(n*10+int(c-'0'), 1<<30)
	}
	return n, true
}

// refLooksSealed is SPEC.md section 10, reading step 2, as written: after
// removing a leading "D." where D is a canonical decimal of at least 2, the
// first 8 characters decode to 6 bytes with version 1 and no unknown flag.
func refLooksSealed(h string) bool {
	if d, rest, ok := strings.Cut(h, "."); ok {
		if n, ok := refDecimal(d); ok && n >= 2 {
			h = rest
		}
	}
	if len(h) < 8 {
		return false
	}
	b, err := base64.RawURLEncoding.Strict().DecodeString(h[:8])
	return err == nil && b[0] == 0x01 && b[5]&^0x07 == 0
}

// refReadChunks is SESSIONS.md S4 steps 1-5 (assembling, not opening) as a
// pure function: "none" when no cookie is called name, otherwise "ok" and
// what each attempt assembles, in order.
func refReadChunks(name string, maxLength, maxParts int, cookies []chunkPair) (string, []chunkTrial) {
	// S4.1, S4.2: the heads, exact duplicates removed, sealed-looking first.
	var sealed, others []string
	seen := map[string]bool{}
	for _, c := range cookies {
		if c.Name != name || seen[c.Value] {
			continue
		}
		seen[c.Value] = true
		if refLooksSealed(c.Value) {
			sealed = append(sealed, c.Value)
		} else {
			others = append(others, c.Value)
		}
	}
	heads := append(sealed, others...)
	if len(heads) == 0 {
		return "none", nil
	}
	// S4.3: per part number 1 ... max_parts-1, the first two distinct values.
	kept := map[int][]string{}
	for _, c := range cookies {
		suffix, ok := strings.CutPrefix(c.Name, name+".")
		if !ok {
			continue
		}
		k, ok := refDecimal(suffix)
		if !ok || k < 1 || k > maxParts-1 {
			continue
		}
		if v := kept[k]; len(v) < 2 && !slices.Contains(v, c.Value) {
			kept[k] = append(v, c.Value)
		}
	}
	// S4.4: per head, attempt A, then B when the head has a count D and
	// some part k < D has a second value; the list cut after 4.
	type attempt struct {
		head  string
		parts func(k int) (string, bool)
	}
	first := func(k int) (string, bool) {
		if v := kept[k]; len(v) > 0 {
			return v[0], true
		}
		return "", false
	}
	second := func(k int) (string, bool) {
		if v := kept[k]; len(v) > 1 {
			return v[1], true
		}
		return first(k)
	}
	var attempts []attempt
	for _, h := range heads {
		attempts = append(attempts, attempt{h, first})
		d, _, dotted := strings.Cut(h, ".")
		n, counted := refDecimal(d)
		if !dotted || !counted {
			continue
		}
		for k := 1; k < n && k < maxParts; k++ {
			if len(kept[k]) > 1 {
				attempts = append(attempts, attempt{h, second})
				break
			}
		}
	}
	if len(attempts) > refMaxAttempts {
		attempts = attempts[:refMaxAttempts]
	}
	// S4.5: each attempt assembled as SPEC.md section 10, reading step 5.
	var out []chunkTrial
	for _, a := range attempts {
		out = append(out, refAssemble(name, maxLength, maxParts, a.head, a.parts))
	}
	return "ok", out
}

// refAssemble is SPEC.md section 10, reading step 5.
func refAssemble(name string, maxLength, maxParts int, h string, part func(int) (string, bool)) chunkTrial {
	invalid, tooLarge := chunkTrial{Result: "invalid"}, chunkTrial{Result: "too_large"}
	if len(name)+1+len(h) > maxLength {
		return tooLarge
	}
	d, p0, dotted := strings.Cut(h, ".")
	if !dotted {
		return chunkTrial{Result: "ok", Joined: h}
	}
	n, ok := refDecimal(d)
	switch {
	case !ok || n < 2:
		return invalid
	case n > maxParts:
		return tooLarge
	case p0 == "":
		return invalid
	}
	v := p0
	for k := 1; k < n; k++ {
		p, ok := part(k)
		switch {
		case !ok || p == "":
			return invalid
		case len(refName(name, k))+1+len(p) > maxLength:
			return tooLarge
		}
		v += p
	}
	return chunkTrial{Result: "ok", Joined: v}
}

// refWriteChunks is SPEC.md section 10, writing: the fewest parts that
// hold v with every cookie full, or too large past max_parts or the header
// budget.
func refWriteChunks(name string, maxLength, maxParts, budget int, v string) (string, []chunkPair) {
	room := func(k, n int) int { // value bytes cookie k of n may hold
		c := maxLength - len(refName(name, k)) - 1
		if k == 0 && n > 1 {
			c -= len(strconv.Itoa(n)) + 1
		}
		return c
	}
	for n := 1; n <= maxParts; n++ {
		total := 0
		for k := range n {
			total += room(k, n)
		}
		if total < len(v) {
			continue
		}
		var set []chunkPair
		size := 2 * (n - 1) // "; " between cookies
		rest := v
		for k := range n {
			p := rest[:min(room(k, n), len(rest))]
			rest = rest[len(p):]
			if k == 0 && n > 1 {
				p = strconv.Itoa(n) + "." + p
			}
			set = append(set, chunkPair{refName(name, k), p})
			size += len(refName(name, k)) + 1 + len(p)
		}
		if size > budget {
			return "too_large", nil
		}
		return "ok", set
	}
	return "too_large", nil
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

// chunkCases are the reading cases of chunks.json, without their results.
func chunkCases() []chunkCase {
	type pairs = []chunkPair
	// The cases use a max_length of 256, so that the file stays small; the
	// rules do not depend on it, and "two-parts-4096" has the default.
	const L = 256
	full := func(name string, i, n int) int { // a full part's value length at L
		c := L - len(refName(name, i)) - 1
		if i == 0 && n > 1 {
			c -= len(strconv.Itoa(n)) + 1
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
	// An older value in three parts, under another Domain or Path.
	o0 := chunkSeq(full("s", 0, 3), true, "S")
	o1 := chunkSeq(full("s", 1, 3), false, "T")
	o2 := chunkSeq(40, false, "U")
	old3 := pairs{{"s", "3." + o0}, {"s.1", o1}, {"s.2", o2}}
	legacy := "MTc5NTcwMDAwMHxnb2JieXx4eXo=" // gorilla-style: base64 of "date|value|mac", padded
	sealed := func(fill string) string { return chunkSeq(60, true, fill) }
	cat := func(ps ...pairs) pairs { return slices.Concat(ps...) }

	c := func(id, want, desc string, cookies pairs) chunkCase {
		return chunkCase{ID: "chunks/" + id, Spec: "10", Description: desc, Name: "s", MaxLength: L, MaxParts: 10, Cookies: cookies, want: want}
	}
	// s4 is a case of the bounded reading (SPEC.md section 10, reading
	// steps 1-4; SESSIONS.md S4); real is what attempt at (0-based) must
	// join.
	s4 := func(id, want, desc string, cookies pairs, at int, real string) chunkCase {
		k := c(id, want, desc, cookies)
		k.realAt, k.real = at, real
		return k
	}
	return []chunkCase{
		c("one-part", "ok", "a value in one cookie: no \".\", read as it is", pairs{{"s", one}}),
		c("one-part-other-cookies", "ok", "other cookies around it are ignored", pairs{{"a", "1"}, {"s", one}, {"t.1", "x"}}),
		c("two-parts", "ok", "count 2, then part 0; part 1 in s.1", two),
		{ID: "chunks/two-parts-4096", Spec: "10", Description: "two full parts at the default max_length 4096, as a writer makes them", Name: "s", MaxLength: 4096, MaxParts: 10,
			Cookies: pairs{{"s", "2." + chunkSeq(4096-2-2, true, "Q")}, {"s.1", chunkSeq(4096-4, false, "R")}}, want: "ok"},
		c("three-parts", "ok", "three parts", three),
		c("parts-in-any-order", "ok", "the order of the part cookies in the request does not matter", pairs{{"s.1", p1}, {"s", "2." + p0}}),
		c("one-part-with-stale-parts", "ok", "a one-part value beside parts of an older, longer value: the parts are ignored", pairs{{"s", one}, {"s.1", p1}, {"s.2", t2}}),
		c("planted-part-ignored", "ok", "a part beyond the count (planted by a sibling subdomain, or left over) is ignored", cat(two, pairs{{"s.9", "planted"}, {"s.2", "AAAA"}})),
		c("part-past-max-parts-ignored", "ok", "s.10 with max_parts 10 is never read", cat(two, pairs{{"s.10", "AAAA"}})),
		c("duplicate-part-first-wins", "ok ok", "of two distinct cookies s.1, attempt A takes the first in the request, attempt B the second", pairs{{"s", "2." + p0}, {"s.1", p1}, {"s.1", "XXXX"}}),
		c("missing-part", "invalid", "the count says 3, s.2 is missing: invalid", pairs{{"s", "3." + t0}, {"s.1", t1}}),
		c("empty-part", "invalid", "an empty part: invalid", pairs{{"s", "2." + p0}, {"s.1", ""}}),
		c("empty-part-0", "invalid", "a count and nothing after the \".\": invalid", pairs{{"s", "2."}, {"s.1", p1}}),
		c("count-1", "invalid", "count 1: a one-part value never carries a count: invalid", pairs{{"s", "1." + short}}),
		c("count-0", "invalid", "count 0: invalid", pairs{{"s", "0." + short}}),
		c("count-leading-zero", "invalid", "count 02 is not canonical decimal: invalid", pairs{{"s", "02." + short}, {"s.1", p1}}),
		c("count-sign", "invalid", "count +2 is not canonical decimal: invalid", pairs{{"s", "+2." + short}, {"s.1", p1}}),
		c("count-empty", "invalid", "a \".\" with no count before it: invalid", pairs{{"s", "." + short}}),
		c("count-over-max-parts", "too_large", "count 11 with max_parts 10: too large", pairs{{"s", "11." + short}}),
		c("count-huge", "too_large", "a count of many digits: too large", pairs{{"s", "99999999999999999999." + short}}),
		c("short-part-0", "ok", "part 0 need not fill its cookie: readers do not check how a value was split", pairs{{"s", "2." + short}, {"s.1", p1}}),
		c("first-cookie-too-long", "too_large", "the first cookie over max_length with its name: too large", pairs{{"s", chunkSeq(L-1, true, "H")}}),
		c("part-too-long", "too_large", "a part over max_length with its name: too large", pairs{{"s", "2." + p0}, {"s.1", chunkSeq(L-3, false, "I")}}),
		c("part-at-max-length", "ok", "a part of exactly max_length with its name", pairs{{"s", "2." + p0}, {"s.1", chunkSeq(L-4, false, "J")}}),
		c("ten-parts", "ok", "max_parts parts", tenParts()),
		c("parts-without-first", "none", "parts but no cookie called name: no session", pairs{{"s.1", p1}, {"s.2", t2}}),
		c("nothing", "none", "no cookie at all: no session", pairs{{"a", "1"}}),
		c("name-prefix-is-another-cookie", "none", "ss and s.x are other cookies", pairs{{"ss", one}, {"s.x", "1"}}),
		c("sealed-before-legacy", "ok ok", "two cookies called s (another Domain or Path): the one that starts like a cookieseal cookie is tried first", pairs{{"s", legacy}, {"s", one}}),
		c("sealed-chunked-before-legacy", "ok ok", "the same with a value in parts", pairs{{"s", legacy}, {"s", "2." + p0}, {"s.1", p1}}),
		c("both-sealed-request-order", "ok ok", "two cookieseal-looking cookies: tried in the request's order", pairs{{"s", one}, {"s", chunkSeq(100, true, "K")}}),
		c("unknown-version-is-not-sealed", "ok ok", "version 2 does not look like a cookieseal v1 cookie: tried after", pairs{{"s", "AgAAAAAA" + strings.Repeat("L", 100)}, {"s", one}}),
		c("unknown-flag-is-not-sealed", "ok ok", "flag bit 7 set does not look like a cookieseal cookie: tried after", pairs{{"s", "AQAAAACA" + strings.Repeat("M", 100)}, {"s", one}}),
		{ID: "chunks/host-prefix", Spec: "10", Description: "parts of __Host-s are __Host-s.1, ...", Name: "__Host-s", MaxLength: L, MaxParts: 10,
			Cookies: pairs{{"__Host-s", "2." + chunkSeq(full("__Host-s", 0, 2), true, "N")}, {"__Host-s.1", p1}}, want: "ok"},
		{ID: "chunks/max-parts-1", Spec: "10", Description: "max_parts 1: a count of 2 is too large", Name: "s", MaxLength: L, MaxParts: 1, Cookies: two, want: "too_large"},

		// SESSIONS.md S4: de-duplication, attempts A and B, the cap of 4.
		s4("duplicate-heads", "ok", "the same head three times is one head: one attempt", pairs{{"s", one}, {"s", one}, {"a", "1"}, {"s", one}}, 0, one),
		s4("duplicate-chunked-heads", "ok", "the same head in parts twice: one attempt", cat(two, pairs{{"s", "2." + p0}}), 0, p0+p1),
		s4("planted-part-first", "ok ok", "a planted s.1 sent before the real one: attempt A joins the planted value, attempt B the real one",
			pairs{{"s.1", "planted"}, {"s", "2." + p0}, {"s.1", p1}}, 1, p0+p1),
		s4("identical-part-values-count-once", "ok ok", "two identical s.1 then another: the first two distinct values are kept, so attempt B takes the third cookie",
			pairs{{"s", "2." + p0}, {"s.1", "planted"}, {"s.1", "planted"}, {"s.1", p1}}, 1, p0+p1),
		s4("third-part-value-ignored", "ok ok", "three distinct values of s.1: the third is never used",
			pairs{{"s", "2." + p0}, {"s.1", "X1"}, {"s.1", "X2"}, {"s.1", p1}}, 1, p0+"X2"),
		s4("b-mixes-first-and-second", "ok ok", "attempt B takes the second value of the parts that have one and the first of the others",
			pairs{{"s", "3." + t0}, {"s.1", t1}, {"s.2", "planted"}, {"s.2", t2}}, 1, t0+t1+t2),
		s4("no-b-without-duplicate-below-count", "ok", "a second value of a part at or past the count makes no attempt B",
			cat(two, pairs{{"s.2", "X"}, {"s.2", "Y"}}), 0, p0+p1),
		s4("no-b-for-one-part-head", "ok", "a head without \".\" is one attempt whatever its parts", pairs{{"s", one}, {"s.1", "X"}, {"s.1", "Y"}}, 0, one),
		s4("old-scope-parts-first", "ok ok ok ok", "an old scope's head and parts (set earlier, sent first) before the new scope's: attempts old A, old B, new A, new B; the fourth is the new value",
			cat(old3, three), 3, t0+t1+t2),
		s4("old-scope-fewer-parts-first", "ok ok ok ok", "an old two-part value before a new three-part one: new B joins the new value",
			cat(pairs{{"s", "2." + o0}, {"s.1", o1}}, three), 3, t0+t1+t2),
		s4("five-sealed-heads", "ok ok ok ok", "five distinct sealed-looking heads: four attempts, the fifth never tried",
			pairs{{"s", sealed("a")}, {"s", sealed("b")}, {"s", sealed("c")}, {"s", sealed("d")}, {"s", one}}, 3, sealed("d")),
		s4("duplicates-free-the-cap", "ok ok ok ok", "five heads of which two are equal: four distinct, all tried",
			pairs{{"s", sealed("a")}, {"s", sealed("b")}, {"s", sealed("a")}, {"s", sealed("c")}, {"s", one}}, 3, one),
		s4("legacy-after-cap", "ok ok ok ok", "a legacy value first in the request, then four sealed-looking heads: the legacy value is fifth and never tried",
			pairs{{"s", legacy}, {"s", sealed("a")}, {"s", sealed("b")}, {"s", sealed("c")}, {"s", sealed("d")}}, 0, sealed("a")),
		s4("cap-counts-b-attempts", "ok ok ok ok", "attempt B counts toward the cap: a head in parts with a duplicate part (A, B), two heads more (A each), and the fourth head is never tried",
			pairs{{"s", "2." + p0}, {"s.1", "planted"}, {"s.1", p1}, {"s", sealed("a")}, {"s", sealed("b")}, {"s", one}}, 1, p0+p1),
		s4("cap-cuts-between-a-and-b", "ok ok ok ok", "three one-part heads, then a head in parts with a duplicate part: its attempt A is the fourth, its B is cut",
			pairs{{"s", sealed("a")}, {"s", sealed("b")}, {"s", sealed("c")}, {"s.1", "planted"}, {"s", "2." + p0}, {"s.1", p1}}, 3, p0+"planted"),
		s4("failures-count-toward-cap", "too_large invalid invalid invalid", "four sealed-looking heads that cannot be assembled, then the real one: never tried; the outcome is the first failure",
			pairs{{"s", "11." + short}, {"s", "2." + sealed("a")}, {"s", "3." + sealed("b")}, {"s", "4." + sealed("c")}, {"s", one}}, -1, ""),
		s4("b-for-count-over-max-parts", "too_large too_large", "a count over max_parts is still a count: with a duplicate part it makes attempts A and B, both too large",
			pairs{{"s", "11." + short}, {"s.1", "X"}, {"s.1", "Y"}}, -1, ""),
		s4("non-canonical-part-name-ignored", "ok", "s.01 is not a part: ignored, so it makes no attempt B",
			pairs{{"s.01", "planted"}, {"s", "2." + p0}, {"s.1", p1}}, 0, p0+p1),
		s4("non-canonical-part-name-not-read", "invalid", "s.01 alone does not stand for s.1: part 1 is missing",
			pairs{{"s", "2." + p0}, {"s.01", p1}}, -1, ""),
	}
}

// tenParts is a value in 10 parts of 100 characters.
func tenParts() []chunkPair {
	out := []chunkPair{{"s", "10." + chunkSeq(100, true, "P")}}
	for i := 1; i < 10; i++ {
		out = append(out, chunkPair{refName("s", i), chunkSeq(100, false, string(rune('a'+i)))})
	}
	return out
}

// writeCases are the writing cases of chunks.json, without their results.
func writeCases() []chunkCase {
	const L = 256
	w := func(id, want, desc string, name string, n, parts, budget int) chunkCase {
		return chunkCase{ID: "chunks/write/" + id, Spec: "10", Description: desc, Name: name, MaxLength: L, MaxParts: parts,
			MaxHeaderBytes: budget, Value: chunkSeq(n, true, "W"), want: want}
	}
	room2 := (L - 2 - 2) + (L - 4) // two full parts of "s": "s=2." and "s.1="
	room9 := 0                     // nine full parts
	for i := range 9 {
		room9 += L - len(refName("s", i)) - 1
	}
	room9 -= 2
	return []chunkCase{
		w("one-cookie", "1", "a value that fits one cookie is written as it is", "s", 100, 10, 4096),
		w("one-cookie-full", "1", "a value that fills one cookie exactly, name and \"=\" counted", "s", L-2, 10, 4096),
		w("two-parts", "2", "one character more: two parts, the first full, with the count", "s", L-1, 10, 4096),
		w("two-parts-full", "2", "two full parts", "s", room2, 10, 4096),
		w("three-parts", "3", "one character more: three parts", "s", room2+1, 10, 4096),
		w("nine-parts-full", "9", "nine full parts", "s", room9, 10, 4096),
		w("ten-parts", "10", "one character more: ten parts, the count now two digits", "s", room9+1, 10, 4096),
		w("over-max-parts", "0", "more than max_parts full parts hold: too large", "s", room9+1, 9, 4096),
		w("max-parts-1", "0", "max_parts 1: one cookie or too large", "s", L-1, 1, 4096),
		w("at-budget", "2", "cookies of exactly max_header_bytes, \"; \" between parts counted", "s", room2, 10, room2+len("s=2.")+len("; s.1=")),
		w("over-budget", "0", "one byte over max_header_bytes: too large", "s", room2, 10, room2+len("s=2.")+len("; s.1=")-1),
		w("host-prefix", "2", "the parts of __Host-s are __Host-s.1, ...", "__Host-s", 400, 10, 4096),
	}
}

// checkRead checks a reading case's results against what was written by
// hand: every attempt's result, and the value the real attempt joins.
func checkRead(t *testing.T, k chunkCase) {
	t.Helper()
	var got []string
	for _, a := range k.Attempts {
		got = append(got, a.Result)
	}
	if k.Result == "none" {
		got = []string{"none"}
	}
	if g := strings.Join(got, " "); g != k.want {
		t.Errorf("%s: attempts %q, want %q", k.ID, g, k.want)
	}
	if k.real != "" && (k.realAt >= len(k.Attempts) || k.Attempts[k.realAt].Joined != k.real) {
		t.Errorf("%s: attempt %d does not join the real value", k.ID, k.realAt)
	}
	if k.real != "" && k.realAt > 0 && k.Attempts[0].Joined == k.real {
		t.Errorf("%s: attempt 0 already joins the real value; the case tests nothing", k.ID)
	}
}

// checkWrite checks a writing case against SPEC.md section 10 by hand: the
// count, every cookie within max_length, every part but the last full, the
// parts joining to the value, and the reader giving it back.
func checkWrite(t *testing.T, k chunkCase) {
	t.Helper()
	want, _ := strconv.Atoi(k.want)
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
			prefix := strconv.Itoa(want) + "."
			if !strings.HasPrefix(v, prefix) {
				t.Errorf("%s: first cookie %.12q, want it to start with %q", k.ID, v, prefix)
			}
			v = strings.TrimPrefix(v, prefix)
		}
		size := len(c.Name) + 1 + len(c.Value)
		if c.Name != refName(k.Name, i) || size > k.MaxLength || i < want-1 && size != k.MaxLength {
			t.Errorf("%s: cookie %d is %s, %d bytes; want %s, full up to the last", k.ID, i, c.Name, size, refName(k.Name, i))
		}
		joined += v
	}
	if joined != k.Value {
		t.Errorf("%s: the parts do not join to the value", k.ID)
	}
	result, trials := refReadChunks(k.Name, k.MaxLength, k.MaxParts, k.Set)
	if result != "ok" || len(trials) != 1 || trials[0].Joined != k.Value {
		t.Errorf("%s: the reader does not give the value back", k.ID)
	}
}

const chunksPath = "testdata/conformance/chunks.json"

const chunksDescription = "Cookies in parts (SPEC.md section 10; the reading algorithm is SESSIONS.md S4). " +
	"Reading cases give a cookie name, max_length, max_parts and the request's cookies in order (build the Cookie header " +
	"\"name=value; ...\" from them, or hand the pairs to the reader). result \"none\": no cookie called name, so no attempt. " +
	"result \"ok\": attempts lists, in the order a reader makes them, what each attempt assembles before opening: " +
	"{\"result\": \"ok\", \"joined\": the sealed value to open} or {\"result\": \"invalid\"} or {\"result\": \"too_large\"}. " +
	"The attempts: heads (values of cookies called name) with exact duplicates removed, those that look sealed first; " +
	"for each part number k from 1 to max_parts-1 the first two distinct values of the cookies name.k (canonical decimal k); " +
	"per head an attempt A (first value of each part) and, when the head's text before its first \".\" is a canonical decimal D " +
	"and some part k < D has a second value, an attempt B (the second value where there is one, the first elsewhere), " +
	"whether or not the attempt then assembles; the list cut after 4 attempts. " +
	"A runner compares result, the number of attempts, and each attempt's result and, for ok, joined (exactly). " +
	"Writing cases (ids chunks/write/...) give a sealed value and a writer's max_length, max_parts and max_header_bytes; " +
	"a runner compares result (\"ok\" or \"too_large\") and, for ok, set: the cookies written, names and values, in order " +
	"(expiries of stale parts left out). No secret is needed: these test how a value is cut and put together, before sealing " +
	"and after. Generated by conformance_chunks_test.go (go test -run TestConformanceChunks -update) from a reference " +
	"written from the spec, independent of any implementation's reader."

func TestConformanceChunks(t *testing.T) {
	f := chunkFile{Suite: "cookieseal conformance", Format: 1, Description: chunksDescription}
	seen := map[string]bool{}
	for _, k := range chunkCases() {
		if seen[k.ID] {
			t.Fatalf("duplicate id %s", k.ID)
		}
		seen[k.ID] = true
		k.Result, k.Attempts = refReadChunks(k.Name, k.MaxLength, k.MaxParts, k.Cookies)
		checkRead(t, k)
		f.Cases = append(f.Cases, k)
	}
	for _, k := range writeCases() {
		if seen[k.ID] {
			t.Fatalf("duplicate id %s", k.ID)
		}
		seen[k.ID] = true
		k.Result, k.Set = refWriteChunks(k.Name, k.MaxLength, k.MaxParts, k.MaxHeaderBytes, k.Value)
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
}

// TestRefReadChunksBounded checks the reference against S4.5's bound on a
// request of many heads and parts: at most 4 attempts, whatever it holds.
func TestRefReadChunksBounded(t *testing.T) {
	var cookies []chunkPair
	for i := range 3000 {
		cookies = append(cookies, chunkPair{"s", "9." + chunkSeq(20, true, strconv.Itoa(i%10)) + strconv.Itoa(i)})
		cookies = append(cookies, chunkPair{refName("s", 1+i%60), strconv.Itoa(i)})
	}
	result, attempts := refReadChunks("s", 4096, 50, cookies)
	if result != "ok" || len(attempts) != refMaxAttempts {
		t.Fatalf("%s with %d attempts, want ok with %d", result, len(attempts), refMaxAttempts)
	}
}
