package cookieseal

import (
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// The differential test of the session layer: Go, JavaScript and Python
// read the same random Cookie HEADERS (SESSIONS.md S2 and S4) and must agree
// on the outcome of every read: none, ok (with the same session, times and
// key) or the same error class. The headers are built around authentic
// cookies in one or several parts, and add what a browser or an attacker
// can send: other cookies, planted names (U+00A0, U+0085, a space, another
// letter case), quoted values, SP and HTAB in odd places, pieces without
// "=", forbidden bytes, duplicated and planted heads and parts, stale parts
// of an older value, non-canonical part names, and damaged values.
//
// Like TestDifferential it runs only when asked:
//
//	COOKIESEAL_DIFF_HEADERS=2000     number of headers (required)
//	COOKIESEAL_DIFF_SEED=1           seed (default 1)
//	COOKIESEAL_DIFF_NODE=node        Node, run on js/build/test/differential_headers.js
//	COOKIESEAL_DIFF_PYTHON=python3   a Python with cookieseal installed
//	COOKIESEAL_DIFF_KEEP=dir         keep the files in dir
//
// go test -run '^TestDifferentialHeaders$' -v . with those set; .ci/run does.

// headerCase is one request of the header differential file.
type headerCase struct {
	ID       int      `json:"id"`
	Origin   string   `json:"origin"` // what the generator put in the header
	Secrets  []string `json:"secrets"`
	Name     string   `json:"name"`   // the configured name, without prefix
	Prefix   string   `json:"prefix"` // "" or "__Host-"
	MaxParts int      `json:"max_parts"`
	Now      int64    `json:"now"`
	MaxAge   int64    `json:"max_age"`
	Header   string   `json:"header"` // characters U+0000-U+00FF, one byte each
}

// headerOutcome is one read's outcome, printed alike by the three runners.
type headerOutcome struct {
	ID        int    `json:"id"`
	Class     string `json:"class"`             // none, ok, invalid, expired, unknown_key, too_large, or "other: ..."
	Session   string `json:"session,omitempty"` // for ok: the session as JSON with sorted keys, no spaces
	IssuedAt  string `json:"issued_at,omitempty"`
	CreatedAt string `json:"created_at,omitempty"`
	KeyID     string `json:"key_id,omitempty"`
	Error     string `json:"error,omitempty"` // not compared
}

func TestDifferentialHeaders(t *testing.T) {
	n, seed, dir := diffSettings(t, "COOKIESEAL_DIFF_HEADERS", "Cookie headers")
	cases := headerCases(t, seed, n)
	in := filepath.Join(dir, "headers.json")
	b, err := json.Marshal(map[string]any{"seed": seed, "cases": cases})
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(in, b, 0o644))

	goRes := make([]headerOutcome, len(cases))
	for i, c := range cases {
		goRes[i] = goReadHeader(t, c)
	}
	node := envOr("COOKIESEAL_DIFF_NODE", "node")
	script := filepath.Join("js", "build", "test", "differential_headers.js")
	_, err = os.Stat(script)
	require.NoError(t, err, "build the JS runner first: cd js && npm ci && npm run build:test")
	jsRes := runHeaderRunner(t, filepath.Join(dir, "js.json"), node, script, in)
	pyRes := runHeaderRunner(t, filepath.Join(dir, "python.json"), envOr("COOKIESEAL_DIFF_PYTHON", "python3"),
		filepath.Join("python", "tests", "differential_headers_runner.py"), in)
	require.Len(t, jsRes, len(cases), "JS results")
	require.Len(t, pyRes, len(cases), "Python results")

	strip := func(o headerOutcome) headerOutcome { o.Error = ""; return o }
	var report []string
	classes := map[string]int{}
	for i, c := range cases {
		g, j, p := goRes[i], jsRes[i], pyRes[i]
		require.Equal(t, c.ID, j.ID)
		require.Equal(t, c.ID, p.ID)
		classes[g.Class]++
		if strip(g) == strip(j) && strip(g) == strip(p) {
			continue
		}
		show := func(o headerOutcome) string {
			return fmt.Sprintf("%s %s %s/%s %s (%s)", o.Class, shortHeader(o.Session), o.IssuedAt, o.CreatedAt, o.KeyID, o.Error)
		}
		report = append(report, fmt.Sprintf("case %d (%s) name %q prefix %q max_parts %d\n  header %q\n  Go %s\n  JS %s\n  Python %s",
			c.ID, c.Origin, c.Name, c.Prefix, c.MaxParts, shortHeader(c.Header), show(g), show(j), show(p)))
	}
	keys := make([]string, 0, len(classes))
	for k := range classes {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		t.Logf("Go outcome %s: %d", k, classes[k])
	}
	t.Logf("%d headers (seed %d), %d differ", len(cases), seed, len(report))
	// Every outcome must occur, or the generator has stopped testing something.
	for _, k := range []string{"none", "ok", "invalid", "too_large", "unknown_key"} {
		require.NotZero(t, classes[k], "no header read as %s: the generator no longer covers it", k)
	}
	if len(report) > 0 {
		if len(report) > 30 {
			report = append(report[:30], fmt.Sprintf("... and %d more", len(report)-30))
		}
		t.Errorf("Go, JS and Python read %d of %d Cookie headers differently (seed %d):\n%s", len(report), len(cases), seed, strings.Join(report, "\n"))
	}
}

func shortHeader(h string) string {
	if len(h) > 300 {
		return h[:150] + fmt.Sprintf("...(%d bytes)...", len(h)) + h[len(h)-150:]
	}
	return h
}

func runHeaderRunner(t *testing.T, out string, cmd ...string) []headerOutcome {
	t.Helper()
	c := exec.Command(cmd[0], append(cmd[1:], out)...)
	var stderr strings.Builder
	c.Stderr = &stderr
	require.NoError(t, c.Run(), "%s: %s", strings.Join(cmd, " "), stderr.String())
	b, err := os.ReadFile(out)
	require.NoError(t, err)
	var res []headerOutcome
	require.NoError(t, json.Unmarshal(b, &res), out)
	return res
}

// goReadHeader reads a case's header with Cookies, as a server would.
func goReadHeader(t *testing.T, c headerCase) headerOutcome {
	codec, err := New(Config{Secrets: c.Secrets, MaxAge: time.Duration(c.MaxAge) * time.Second,
		Now: func() time.Time { return time.Unix(c.Now, 0) }})
	require.NoError(t, err)
	ck, err := NewCookies(codec, CookieOptions{HostPrefix: c.Prefix == hostPrefix, MaxChunks: c.MaxParts})
	require.NoError(t, err)
	r := httptest.NewRequest(http.MethodGet, "http://127.0.0.1/", nil)
	r.Header["Cookie"] = []string{latin1Bytes(c.Header)}
	var v map[string]any
	info, err := ck.Read(r, c.Name, &v)
	o := headerOutcome{ID: c.ID}
	switch {
	case errors.Is(err, http.ErrNoCookie):
		o.Class = "none"
	case err != nil:
		o.Class, o.Error = goClass(err), err.Error()
	default:
		s, err := json.Marshal(v)
		require.NoError(t, err)
		o.Class, o.Session = "ok", string(s)
		o.IssuedAt, o.CreatedAt = strconv.FormatInt(info.IssuedAt.Unix(), 10), strconv.FormatInt(info.CreatedAt.Unix(), 10)
		o.KeyID = info.KeyID.String()
	}
	return o
}

// latin1Bytes turns a string of characters U+0000-U+00FF into the bytes
// they stand for.
func latin1Bytes(s string) string {
	b := make([]byte, 0, len(s))
	for _, r := range s {
		b = append(b, byte(r))
	}
	return string(b)
}

// headerCases builds n requests. Each has a few authentic sessions (the
// current one, an older one, one under another key) sealed for the case's
// name, cut into parts as a writer with a raised budget cuts them, and a
// header mixed from their cookies and from the noise below.
func headerCases(t *testing.T, seed uint64, n int) []headerCase {
	r := rand.New(rand.NewPCG(seed, 0x5e551075))
	secrets := []string{
		"differential-headers-secret-one-0123456789",
		"differential-headers-secret-two-0123456789",
	}
	other := []string{"differential-headers-secret-unknown-0123456"}
	const now = 1_760_000_000
	out := make([]headerCase, 0, n)
	for id := range n {
		name := []string{"s", "session", "sid"}[r.IntN(3)]
		prefix := ""
		if r.IntN(3) == 0 {
			prefix = hostPrefix
		}
		full := prefix + name
		maxParts := []int{1, 2, 3, 10}[r.IntN(4)]
		var origin []string
		var pairs [][2]string
		// Sessions sealed for this name: the current one, an older one,
		// one the reader's ring cannot open, one sealed for another name.
		// Their sizes make one to four parts.
		sealed := func(label string, ring []string, sealName string, issued int64) [][2]string {
			size := []int{20, 20, 3000, 5000, 9000}[r.IntN(5)]
			w := sealParts(t, ring, prefix, sealName, issued, size, r)
			origin = append(origin, fmt.Sprintf("%s:%dparts", label, len(w)))
			if sealName != name {
				// Present it under this name, as a planted cookie would be.
				for i := range w {
					w[i][0] = chunkName(full, i)
				}
			}
			return w
		}
		var groups [][][2]string
		if r.IntN(5) != 0 {
			groups = append(groups, sealed("current", secrets, name, now-int64(r.IntN(100))))
		}
		if r.IntN(3) == 0 {
			groups = append(groups, sealed("older", secrets[1:], name, now-int64(r.IntN(7200))))
		}
		if r.IntN(6) == 0 {
			groups = append(groups, sealed("unknown-key", other, name, now))
		}
		if r.IntN(6) == 0 {
			groups = append(groups, sealed("other-name", secrets, name+"x", now))
		}
		for _, g := range groups {
			pairs = append(pairs, g...)
		}
		// Damage: truncate or flip a character of one cookie's value.
		if len(pairs) > 0 && r.IntN(6) == 0 {
			i := r.IntN(len(pairs))
			v := pairs[i][1]
			if len(v) > 2 {
				if r.IntN(2) == 0 {
					pairs[i][1] = v[:r.IntN(len(v))]
					origin = append(origin, "truncated")
				} else {
					k := r.IntN(len(v))
					c := byte('A')
					if v[k] == 'A' {
						c = 'B'
					}
					pairs[i][1] = v[:k] + string(c) + v[k+1:]
					origin = append(origin, "flipped")
				}
			}
		}
		// Noise.
		for range r.IntN(6) {
			kind := r.IntN(14)
			origin = append(origin, "noise"+strconv.Itoa(kind))
			switch kind {
			case 0:
				pairs = append(pairs, [2]string{"other", "1"})
			case 1:
				pairs = append(pairs, [2]string{"\u00a0" + full, anyValue(pairs, r)})
			case 2:
				pairs = append(pairs, [2]string{"\u0085" + full, anyValue(pairs, r)})
			case 3:
				pairs = append(pairs, [2]string{strings.ToUpper(full[:1]) + full[1:], anyValue(pairs, r)})
			case 4:
				pairs = append(pairs, [2]string{full + ".0" + strconv.Itoa(1+r.IntN(3)), anyValue(pairs, r)})
			case 5:
				pairs = append(pairs, [2]string{chunkName(full, 1+r.IntN(4)), "AQAAAAAA" + strings.Repeat("x", r.IntN(40))})
			case 6:
				pairs = append(pairs, [2]string{full, strconv.Itoa(2+r.IntN(60)) + ".AQAAAAAAAA"})
			case 7:
				pairs = append(pairs, [2]string{full, ""})
			case 8:
				pairs = append(pairs, [2]string{full, "\"" + anyValue(pairs, r) + "\""})
			case 9:
				pairs = append(pairs, [2]string{full, "bad value;"[:r.IntN(9)]})
			case 10:
				pairs = append(pairs, [2]string{full, "caf\u00e9" + anyValue(pairs, r)})
			case 11:
				if len(pairs) > 0 { // a duplicate of a cookie already there
					pairs = append(pairs, pairs[r.IntN(len(pairs))])
				}
			case 12:
				pairs = append(pairs, [2]string{"", "novalue"})
			case 13:
				pairs = append(pairs, [2]string{full + " ", anyValue(pairs, r)})
			}
		}
		r.Shuffle(len(pairs), func(i, j int) {
			if r.IntN(3) == 0 { // mostly keep the order a browser would send
				pairs[i], pairs[j] = pairs[j], pairs[i]
			}
		})
		var b strings.Builder
		for i, p := range pairs {
			if i > 0 {
				b.WriteString([]string{"; ", ";", ";  ", "; \t", " ;"}[r.IntN(5)])
			}
			if p[0] == "" {
				b.WriteString(p[1]) // a piece without "="
				continue
			}
			b.WriteString(p[0])
			b.WriteString([]string{"=", "=", "=", " = ", "\t="}[r.IntN(5)])
			b.WriteString(p[1])
		}
		if r.IntN(8) == 0 {
			b.WriteString("; ")
		}
		out = append(out, headerCase{ID: id, Origin: strings.Join(origin, ","), Secrets: secrets, Name: name,
			Prefix: prefix, MaxParts: maxParts, Now: now, MaxAge: 3600, Header: b.String()})
	}
	return out
}

func anyValue(pairs [][2]string, r *rand.Rand) string {
	if len(pairs) == 0 || r.IntN(3) == 0 {
		return "AQ" + strings.Repeat("A", r.IntN(20))
	}
	return pairs[r.IntN(len(pairs))][1]
}

// sealParts seals a session of about size bytes of JSON for prefix+name
// under ring, issued at issued, and returns its cookies (name, value) as a
// writer with room for 10 parts of 4096 bytes cuts them.
func sealParts(t *testing.T, ring []string, prefix, name string, issued int64, size int, r *rand.Rand) [][2]string {
	codec, err := New(Config{Secrets: ring, MaxAge: time.Hour, Now: func() time.Time { return time.Unix(issued, 0) }})
	require.NoError(t, err)
	ck, err := NewCookies(codec, CookieOptions{HostPrefix: prefix == hostPrefix, MaxChunks: 10, MaxHeaderBytes: 10 * 4096})
	require.NoError(t, err)
	filler := make([]byte, size)
	for i := range filler {
		filler[i] = "abcdefghijklmnopqrstuvwxyz0123456789"[r.IntN(36)]
	}
	v := map[string]any{"user": "u" + strconv.Itoa(r.IntN(1000)), "n": r.IntN(100), "f": string(filler)}
	rec := httptest.NewRecorder()
	require.NoError(t, ck.Write(rec, nil, name, v))
	var out [][2]string
	for _, c := range rec.Result().Cookies() {
		if c.MaxAge >= 0 && c.Value != "" {
			out = append(out, [2]string{c.Name, c.Value})
		}
	}
	return out
}
