package cookieseal

import (
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"slices"
	"strings"
	"testing"
)

// Issue 9, finding 3: no state of the browser strands a chunked session.
// A server writes values of the size a query parameter asks for; a client
// with a real cookie jar plays the browser.

type chunkServer struct {
	srv     *httptest.Server
	cookies *Cookies
	values  map[string]string // by the "v" query parameter
}

func newChunkServer(t *testing.T, opts CookieOptions) *chunkServer {
	t.Helper()
	cs := &chunkServer{
		cookies: newTestCookies(t, Config{}, opts),
		values: map[string]string{
			"three": randomText(9000), // three parts
			"one":   "small",
		},
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/set", func(w http.ResponseWriter, r *http.Request) {
		if err := cs.cookies.Write(w, r, "s", blob{cs.values[r.FormValue("v")]}); err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
		}
	})
	mux.HandleFunc("/get", func(w http.ResponseWriter, r *http.Request) {
		var b blob
		if _, err := cs.cookies.Read(r, "s", &b); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		w.Write([]byte(b.Data))
	})
	cs.srv = httptest.NewTLSServer(mux)
	t.Cleanup(cs.srv.Close)
	return cs
}

// set asks the server to write the value v, with or without the jar's
// cookies on the request, and stores what the response sets in the jar
// either way, as a browser does for a cross-site POST that carries no
// SameSite=Lax cookie.
func (cs *chunkServer) set(t *testing.T, c *http.Client, v string, withCookies bool) []*http.Cookie {
	t.Helper()
	client := c
	if !withCookies {
		bare := *c
		bare.Jar = nil
		client = &bare
	}
	resp, err := client.Get(cs.srv.URL + "/set?v=" + v)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("/set?v=%s: %s", v, resp.Status)
	}
	if !withCookies {
		c.Jar.SetCookies(mustURL(t, cs.srv.URL), resp.Cookies())
	}
	var set []*http.Cookie
	for _, k := range resp.Cookies() {
		if k.MaxAge >= 0 {
			set = append(set, k)
		}
	}
	return set
}

func (cs *chunkServer) jarNames(t *testing.T, c *http.Client) string {
	var names []string
	for _, k := range c.Jar.Cookies(mustURL(t, cs.srv.URL)) {
		names = append(names, k.Name)
	}
	return strings.Join(names, ",")
}

// TestChunksThreeThenOneWithoutTheCookie: a 3-part session, then a login
// answered to a request that did not carry it (SameSite=Lax on a cross-site
// POST): the jar keeps the old s.1 and s.2, and the next read still works.
func TestChunksThreeThenOneWithoutTheCookie(t *testing.T) {
	cs := newChunkServer(t, big)
	c := cs.srv.Client()
	c.Jar = newJar(t)
	if set := cs.set(t, c, "three", true); len(set) != 3 || !strings.HasPrefix(set[0].Value, "3.") {
		t.Fatalf("the three-part value set %d cookies", len(set))
	}
	if got := get(t, c, cs.srv.URL+"/get"); got != cs.values["three"] {
		t.Fatalf("three parts read back %d bytes", len(got))
	}

	// The request carries no cookie, so Write expires every part a value
	// can have; a client that ignored those expiries would keep s.1 and
	// s.2. Both must read back.
	set := cs.set(t, c, "one", false)
	if len(set) != 1 || strings.Contains(set[0].Value, ".") {
		t.Fatalf("the one-part value set %d cookies", len(set))
	}
	if got := get(t, c, cs.srv.URL+"/get"); got != "small" {
		t.Errorf("after the login without cookies: %q, want small", got)
	}
	if names := cs.jarNames(t, c); names != "s" {
		t.Errorf("jar holds %s, want s alone: Write expires every part when the request has none", names)
	}

	// A client that kept the stale parts (it never saw the expiries).
	stale := cs.srv.Client()
	stale.Jar = newJar(t)
	three := cs.set(t, stale, "three", true)
	u := mustURL(t, cs.srv.URL)
	stale.Jar.SetCookies(u, []*http.Cookie{{Name: "s", Value: set[0].Value, Path: "/", Secure: true}})
	if names := cs.jarNames(t, stale); names != "s,s.1,s.2" {
		t.Fatalf("jar holds %s, want s with the stale s.1, s.2", names)
	}
	if got := get(t, stale, cs.srv.URL+"/get"); got != "small" {
		t.Errorf("one-part value beside stale parts %s: %q, want small", three[1].Name, got)
	}
}

// TestChunksPlantedPartIsIgnored: a sibling subdomain (no __Host- prefix)
// or a stale response plants s.9; the session still reads, one part or
// several.
func TestChunksPlantedPartIsIgnored(t *testing.T) {
	cs := newChunkServer(t, big)
	for _, v := range []string{"one", "three"} {
		t.Run(v, func(t *testing.T) {
			c := cs.srv.Client()
			c.Jar = newJar(t)
			cs.set(t, c, v, true)
			c.Jar.SetCookies(mustURL(t, cs.srv.URL), []*http.Cookie{
				{Name: "s.9", Value: "planted", Path: "/"},
				{Name: "s.3", Value: "AQAAAAAA", Path: "/"},
			})
			if got := get(t, c, cs.srv.URL+"/get"); got != cs.values[v] {
				t.Errorf("with planted parts: read back %d bytes, want %d", len(got), len(cs.values[v]))
			}
		})
	}
}

// TestChunksShrinkToOne: a request that carries the 3 parts gets them
// expired when the value shrinks to one cookie.
func TestChunksShrinkToOne(t *testing.T) {
	cs := newChunkServer(t, big)
	c := cs.srv.Client()
	c.Jar = newJar(t)
	cs.set(t, c, "three", true)
	cs.set(t, c, "one", true)
	if names := cs.jarNames(t, c); names != "s" {
		t.Errorf("jar holds %s after shrinking, want s", names)
	}
	if got := get(t, c, cs.srv.URL+"/get"); got != "small" {
		t.Errorf("after shrinking: %q", got)
	}
	cs.set(t, c, "three", true)
	if got := get(t, c, cs.srv.URL+"/get"); got != cs.values["three"] {
		t.Errorf("after growing again: %d bytes", len(got))
	}
}

// TestChunksMissingFirstCookie: parts without the cookie they belong to
// are no session at all, not an error.
func TestChunksMissingFirstCookie(t *testing.T) {
	s := newTestCookies(t, Config{}, big)
	parts := setCookies(write(t, s, nil, "s", blob{randomText(9000)}))
	var b blob
	if _, err := s.Read(requestWith(parts[1:]), "s", &b); err != http.ErrNoCookie {
		t.Errorf("parts alone: got %v, want http.ErrNoCookie", err)
	}
}

// TestCookiesDefaultHeaderBudget fills DefaultMaxHeaderBytes exactly: the
// largest value the default writes is one cookie of 3072 bytes with its
// name, one more byte of value is ErrTooLarge; a reader with the default
// budget still reads a longer value written under a higher one.
func TestCookiesDefaultHeaderBudget(t *testing.T) {
	secret := GenerateSecret()
	s := newTestCookies(t, Config{Secrets: []string{secret}}, CookieOptions{})
	// 54 bytes of overhead (header, nonce, issued-at, tag) and 2248 bytes
	// of JSON (a string of 2246): 2302 bytes seal to 3070 characters, 3072
	// bytes with "s="; one byte more seals to 3071 characters.
	const fits = 2302 - 54
	cookies := setCookies(write(t, s, nil, "s", strings.Repeat("x", fits-2)))
	header := 0
	for i, c := range cookies {
		if i > 0 {
			header += 2
		}
		header += len(c.Name) + 1 + len(c.Value)
	}
	if header != DefaultMaxHeaderBytes || len(cookies) != 1 {
		t.Errorf("%d cookies take %d bytes of Cookie header, want 1 and exactly %d", len(cookies), header, DefaultMaxHeaderBytes)
	}
	var got string
	if _, err := s.Read(requestWith(cookies), "s", &got); err != nil || len(got) != fits-2 {
		t.Errorf("reading the full budget back: %d bytes, %v", len(got), err)
	}
	rec := httptest.NewRecorder()
	if err := s.Write(rec, nil, "s", strings.Repeat("x", fits-1)); !errors.Is(err, ErrTooLarge) || len(rec.Header()) != 0 {
		t.Errorf("one byte more: %v, headers %v; want ErrTooLarge and nothing written", err, rec.Header())
	}
	// The budget binds Write, not Read: a value written under a higher one
	// (before the budget was lowered) still reads.
	bigger := newTestCookies(t, Config{Secrets: []string{secret}}, big)
	over := setCookies(write(t, bigger, nil, "s", strings.Repeat("x", 5000)))
	if _, err := s.Read(requestWith(over), "s", &got); err != nil || len(got) != 5000 || len(over) != 2 {
		t.Errorf("reading %d cookies over the budget: %d bytes, %v", len(over), len(got), err)
	}
}

// parseDecimal reads canonical decimal only: "0" itself, digits 0 to 9 at
// both ends of the range, no leading zero, no sign, capped at decimalCap.
func TestParseDecimalBounds(t *testing.T) {
	for s, want := range map[string]int{
		"0": 0, "1": 1, "9": 9, "10": 10, "19": 19, "90": 90, "1234567": decimalCap,
		"": -1, "00": -1, "09": -1, "/": -1, ":": -1, "1/": -1, "1:": -1, "-1": -1, "+1": -1,
	} {
		if got := parseDecimal(s); got != want {
			t.Errorf("parseDecimal(%q) = %d, want %d", s, got, want)
		}
	}
}

// looksSealed wants at least 8 base64url characters of a v1 header with
// known flags, after an optional part count of 2 or more.
func TestLooksSealedBounds(t *testing.T) {
	head := func(version, flags byte) string {
		return b64([]byte{version, 0xde, 0xad, 0xbe, 0xef, flags})
	}
	v1 := head(version1, flagsKnown)
	for _, tc := range []struct {
		head string
		want bool
	}{
		{v1, true},          // exactly 8 characters
		{v1[:7], false},     // one short
		{v1 + "AAAA", true}, // longer
		{head(version1, 0), true},
		{head(version1, flagsKnown+1), false}, // bit 4
		{head(version1, 0x80), false},
		{head(version1+1, 0), false},
		{head(0, 0), false},
		{"2." + v1, true},
		{"3." + v1, true},
		{"1." + v1, false},
		{"0." + v1, false},
		{"02." + v1, false},
		{"." + v1, false},
		{"2." + v1[:7], false},
		{"!" + v1[1:], false},
		{b64([]byte{version1, 0xff, 0xff, 0xff, 0xff, 0}), true}, // "Af____8A": '_' is base64url 63
	} {
		if got := looksSealed(tc.head); got != tc.want {
			t.Errorf("looksSealed(%q) = %t, want %t", tc.head, got, tc.want)
		}
	}
}

// TestChunksFileAgainstChunkGo runs every case of
// testdata/conformance/chunks.json against this package's reader and
// writer (chunk.go): what each attempt assembles, in order, and the
// cookies a writer sets. TestConformanceChunks checks the file against an
// independent reference; this checks the production code against the file.
func TestChunksFileAgainstChunkGo(t *testing.T) {
	stored, err := os.ReadFile(chunksPath)
	if err != nil {
		t.Fatal(err)
	}
	var file chunkFile
	if err := json.Unmarshal(stored, &file); err != nil {
		t.Fatal(err)
	}
	if file.Suite != "cookieseal conformance" || file.Format != 1 {
		t.Fatalf("%s: suite %q format %d", chunksPath, file.Suite, file.Format)
	}
	for _, k := range file.Cases {
		codec, err := New(Config{Secrets: []string{GenerateSecret()}, MaxLength: k.MaxLength})
		if err != nil {
			t.Fatal(err)
		}
		s, err := NewCookies(codec, CookieOptions{MaxChunks: k.MaxParts, MaxHeaderBytes: max(k.MaxHeaderBytes, minHeaderBytes)})
		if err != nil {
			t.Fatal(err)
		}
		if strings.HasPrefix(k.ID, "chunks/write/") {
			s.headerBytes = k.MaxHeaderBytes
			result, set := "too_large", []chunkPair(nil)
			if len(k.Value) <= s.room(k.Name) {
				result = "ok"
				for i, p := range s.split(k.Name, k.Value) {
					set = append(set, chunkPair{chunkName(k.Name, i), p})
				}
			}
			if result != k.Result || !slices.Equal(set, k.Set) {
				t.Errorf("%s: wrote %s with %d cookies, want %s with %d", k.ID, result, len(set), k.Result, len(k.Set))
			}
			continue
		}
		var pairs []string
		for _, c := range k.Cookies {
			pairs = append(pairs, c.Name+"="+c.Value)
		}
		r := httptest.NewRequest(http.MethodGet, "/", nil)
		r.Header.Set("Cookie", strings.Join(pairs, "; "))
		var f found
		s.collect(r, k.Name, &f)
		attempts, n := s.attempts(&f)
		result := "ok"
		if n == 0 {
			result = "none"
		}
		var got []chunkTrial
		for _, a := range attempts[:n] {
			v, err := s.join(k.Name, &f, a)
			switch {
			case err == nil:
				got = append(got, chunkTrial{Result: "ok", Joined: v})
			case errors.Is(err, ErrTooLarge):
				got = append(got, chunkTrial{Result: "too_large"})
			case errors.Is(err, ErrInvalid):
				got = append(got, chunkTrial{Result: "invalid"})
			default:
				t.Fatalf("%s: unclassified error %v", k.ID, err)
			}
		}
		if result != k.Result || !slices.Equal(got, k.Attempts) {
			t.Errorf("%s: %s with attempts %v, want %s with %v", k.ID, result, results(got), k.Result, results(k.Attempts))
		}
	}
}

// results lists the results of attempts.
func results(trials []chunkTrial) []string {
	var out []string
	for _, tr := range trials {
		out = append(out, tr.Result)
	}
	return out
}
