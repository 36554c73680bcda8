package cookieseal

import (
	"bytes"
	"compress/flate"
	"encoding/base64"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	bigf "math/big"
	"math/rand/v2"
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

// The differential test: Go, JavaScript and Python open the same AUTHENTIC
// cookies, sealed by the test-only low-level sealer over bodies built to
// stress SPEC.md sections 4-6 (mutated strict-JSON and typed-values
// payloads, odd numbers, surrogates, invalid UTF-8, deep nesting, DEFLATE,
// the created-at flag, clocks at the expiry edges, non-ASCII cookie names),
// and must agree on every outcome: the class, and for an opened cookie the
// payload, the times, the key and the canonical values re-encoding.
//
// It runs only when asked, since it needs Node and Python:
//
//	COOKIESEAL_DIFF=3000            number of cookies (required)
//	COOKIESEAL_DIFF_SEED=1          seed (default 1): the same seed writes the same cookies
//	COOKIESEAL_DIFF_NODE=node       Node, run on js/build/test/differential.js
//	                                (cd js && npm ci && npm run build:test first)
//	COOKIESEAL_DIFF_PYTHON=python3  a Python with cookieseal installed (pip install -e python)
//	COOKIESEAL_DIFF_JS_BACKEND=node:crypto  JS opens on its node:crypto backend (default: noble)
//	COOKIESEAL_DIFF_KEEP=dir        keep the cookie and result files in dir
//
// go test -run '^TestDifferential$' -v . with those set; .ci/run does.

// diffCase is one cookie of the differential file and what opens it.
type diffCase struct {
	ID          int      `json:"id"`
	Origin      string   `json:"origin"` // how the body was made: the seed and the mutations
	Secrets     []string `json:"secrets"`
	Name        string   `json:"name"`
	Now         int64    `json:"now"`
	NowMillis   int64    `json:"now_ms"` // the clock is now + now_ms/1000 s: openers truncate it (SPEC.md 4.7)
	MaxAge      int64    `json:"max_age"`
	MaxLifetime int64    `json:"max_lifetime"`
	MaxPayload  int      `json:"max_payload"`
	MaxLength   int      `json:"max_length"`
	Cookie      string   `json:"cookie"`
	Flags       int      `json:"flags"`
	Body        string   `json:"body"`    // hex of the sealed body (DEFLATE bytes with flag 0x01)
	Payload     string   `json:"payload"` // hex of the payload before compression
}

// diffOutcome is one opening's outcome; every field is a string so that the
// three runners print it alike (payload and values in hex, times in decimal).
type diffOutcome struct {
	// Class is ok, invalid, expired, unknown_key, too_large, "unencodable" (opened as
	// session values, but the canonical encoder refuses what opened), or "other: ...".
	Class     string `json:"class"`
	Payload   string `json:"payload,omitempty"`
	IssuedAt  string `json:"issued_at,omitempty"`
	CreatedAt string `json:"created_at,omitempty"`
	KeyID     string `json:"key_id,omitempty"`
	Values    string `json:"values,omitempty"`
	Error     string `json:"error,omitempty"` // the message, not compared: it names the rule
}

// diffResult is one runner's outcomes for one case: the raw JSON opening
// (Go DecodeInfo into *json.RawMessage, JS openRaw, Python open_raw), the
// parsed plain opening (Go *any, JS open, Python open) and the session
// values opening (Go *map[any]any, JS openValues, Python open_values).
type diffResult struct {
	ID     int         `json:"id"`
	Raw    diffOutcome `json:"raw"`
	Parsed diffOutcome `json:"parsed"`
	Values diffOutcome `json:"values"`
}

func TestDifferential(t *testing.T) {
	n, seed, dir := diffSettings(t, "COOKIESEAL_DIFF", "cookies")
	cases := diffCases(t, seed, n)
	in := filepath.Join(dir, "cookies.json")
	b, err := json.Marshal(map[string]any{"seed": seed, "cases": cases})
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(in, b, 0o644))

	goRes := make([]diffResult, len(cases))
	for i, c := range cases {
		goRes[i] = goOpen(c)
	}
	writeResults(t, filepath.Join(dir, "go.json"), goRes)

	node := envOr("COOKIESEAL_DIFF_NODE", "node")
	script := filepath.Join("js", "build", "test", "differential.js")
	_, err = os.Stat(script)
	require.NoError(t, err, "build the JS runner first: cd js && npm ci && npm run build:test")
	jsRes := runDiffRunner(t, filepath.Join(dir, "js.json"), node, script, in)
	pyRes := runDiffRunner(t, filepath.Join(dir, "python.json"), envOr("COOKIESEAL_DIFF_PYTHON", "python3"),
		filepath.Join("python", "tests", "differential_runner.py"), in)
	require.Len(t, jsRes, len(cases), "JS results")
	require.Len(t, pyRes, len(cases), "Python results")

	var report []string
	agreed := 0
	classes := map[string]int{}
	for i, c := range cases {
		g, j, p := goRes[i], jsRes[i], pyRes[i]
		require.Equal(t, c.ID, j.ID)
		require.Equal(t, c.ID, p.ID)
		var diffs []string
		for _, path := range []struct {
			name    string
			g, j, p diffOutcome
		}{{"raw", g.Raw, j.Raw, p.Raw}, {"parsed", g.Parsed, j.Parsed, p.Parsed}, {"values", g.Values, j.Values, p.Values}} {
			if d := compareOutcomes(path.g, path.j, path.p); d != "" {
				diffs = append(diffs, path.name+": "+d)
			}
		}
		// Within one implementation, the raw and parsed plain paths agree on the class.
		for _, r := range []struct {
			who string
			res diffResult
		}{{"Go", g}, {"JS", j}, {"Python", p}} {
			if r.res.Raw.Class != r.res.Parsed.Class {
				diffs = append(diffs, fmt.Sprintf("%s: raw %s (%s) but parsed %s (%s)", r.who, r.res.Raw.Class, r.res.Raw.Error, r.res.Parsed.Class, r.res.Parsed.Error))
			}
		}
		classes["raw "+g.Raw.Class]++
		classes["values "+g.Values.Class]++
		if len(diffs) == 0 {
			agreed++
			continue
		}
		report = append(report, fmt.Sprintf("case %d (%s) flags %#02x name %q now %d+%dms max_age %d max_lifetime %d max_payload %d max_length %d\n  body %s\n  payload %q\n  %s",
			c.ID, c.Origin, c.Flags, c.Name, c.Now, c.NowMillis, c.MaxAge, c.MaxLifetime, c.MaxPayload, c.MaxLength, shortHex(c.Body), shortText(c.Payload), strings.Join(diffs, "\n  ")))
	}
	keys := make([]string, 0, len(classes))
	for k := range classes {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		t.Logf("Go outcome %s: %d", k, classes[k])
	}
	t.Logf("%d cookies (seed %d), %d agree on every path, %d differ", len(cases), seed, agreed, len(report))
	if len(report) > 0 {
		if len(report) > 40 {
			report = append(report[:40], fmt.Sprintf("... and %d more", len(report)-40))
		}
		t.Errorf("Go, JS and Python disagree on %d of %d cookies (seed %d):\n%s", len(cases)-agreed, len(cases), seed, strings.Join(report, "\n"))
	}
}

// diffSettings reads a differential test's settings: the count from the
// variable named count (the test is skipped without it; what counts, for
// the skip message), the seed from COOKIESEAL_DIFF_SEED (default 1) and the
// folder from COOKIESEAL_DIFF_KEEP (default a temporary one).
func diffSettings(t *testing.T, count, what string) (n int, seed uint64, dir string) {
	t.Helper()
	nStr := os.Getenv(count)
	if nStr == "" {
		t.Skipf("set %s=N to compare Go, JavaScript and Python on N %s", count, what)
	}
	n, err := strconv.Atoi(nStr)
	require.NoError(t, err, count)
	seed = 1
	if s := os.Getenv("COOKIESEAL_DIFF_SEED"); s != "" {
		seed, err = strconv.ParseUint(s, 10, 64)
		require.NoError(t, err, "COOKIESEAL_DIFF_SEED")
	}
	dir = os.Getenv("COOKIESEAL_DIFF_KEEP")
	if dir == "" {
		dir = t.TempDir()
	}
	return n, seed, dir
}

func envOr(k, def string) string {
	if v := os.Getenv(k); v != "" {
		return v
	}
	return def
}

func writeResults(t *testing.T, path string, res []diffResult) {
	b, err := json.Marshal(res)
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(path, b, 0o644))
}

func runDiffRunner(t *testing.T, out string, cmd ...string) []diffResult {
	t.Helper()
	c := exec.Command(cmd[0], append(cmd[1:], out)...)
	var stderr bytes.Buffer
	c.Stderr = &stderr
	require.NoError(t, c.Run(), "%s: %s", strings.Join(cmd, " "), stderr.String())
	b, err := os.ReadFile(out)
	require.NoError(t, err)
	var res []diffResult
	require.NoError(t, json.Unmarshal(b, &res), out)
	return res
}

// compareOutcomes says how three outcomes of one path differ ("" if they
// agree): the class, and for ok every field but the error message.
func compareOutcomes(g, j, p diffOutcome) string {
	strip := func(o diffOutcome) diffOutcome { o.Error = ""; return o }
	if strip(g) == strip(j) && strip(g) == strip(p) {
		return ""
	}
	show := func(o diffOutcome) string {
		s := o.Class
		if o.Error != "" {
			s += " (" + o.Error + ")"
		}
		if o.Class == "ok" {
			s += fmt.Sprintf(" payload %q issued %s created %s key %s", shortText(o.Payload), o.IssuedAt, o.CreatedAt, o.KeyID)
			if o.Values != "" {
				s += fmt.Sprintf(" values %q", shortText(o.Values))
			}
		}
		return s
	}
	return fmt.Sprintf("Go %s | JS %s | Python %s", show(g), show(j), show(p))
}

func shortHex(h string) string {
	if len(h) > 400 {
		return h[:200] + fmt.Sprintf("...(%d bytes)...", len(h)/2) + h[len(h)-200:]
	}
	return h
}

func shortText(h string) string {
	b, _ := hex.DecodeString(h)
	if len(b) > 300 {
		return string(b[:150]) + fmt.Sprintf("...(%d bytes)...", len(b)) + string(b[len(b)-150:])
	}
	return string(b)
}

// goOpen opens a case as the Go package does, on every path.
func goOpen(c diffCase) (r diffResult) {
	r.ID = c.ID
	cfg := Config{Secrets: c.Secrets, Now: func() time.Time { return time.Unix(c.Now, c.NowMillis*int64(time.Millisecond)) },
		MaxAge: time.Duration(c.MaxAge) * time.Second, MaxLifetime: time.Duration(c.MaxLifetime) * time.Second, MaxPayload: c.MaxPayload,
		MaxLength: c.MaxLength}
	codec, err := New(cfg)
	if err != nil {
		r.Raw.Class, r.Parsed.Class, r.Values.Class = "other: "+err.Error(), "other", "other"
		return r
	}
	guard := func(o *diffOutcome, f func()) {
		defer func() {
			if p := recover(); p != nil {
				*o = diffOutcome{Class: fmt.Sprintf("other: panic: %v", p)}
			}
		}()
		f()
	}
	guard(&r.Raw, func() {
		var raw json.RawMessage
		info, err := codec.DecodeInfo(c.Name, c.Cookie, &raw)
		r.Raw = goOutcome(err, info)
		if err == nil {
			r.Raw.Payload = hex.EncodeToString(raw)
		}
	})
	guard(&r.Parsed, func() {
		var v any
		r.Parsed = diffOutcome{Class: goClass(codec.Decode(c.Name, c.Cookie, &v))}
	})
	guard(&r.Values, func() {
		var m map[any]any
		info, err := codec.DecodeInfo(c.Name, c.Cookie, &m)
		r.Values = goOutcome(err, info)
		if err == nil {
			enc, err := appendMap(nil, m)
			if err != nil {
				r.Values = diffOutcome{Class: "unencodable", Error: err.Error()}
				return
			}
			r.Values.Values = hex.EncodeToString(enc)
		}
	})
	return r
}

func goOutcome(err error, info Info) diffOutcome {
	if err != nil {
		return diffOutcome{Class: goClass(err), Error: err.Error()}
	}
	return diffOutcome{Class: "ok", IssuedAt: strconv.FormatInt(info.IssuedAt.Unix(), 10),
		CreatedAt: strconv.FormatInt(info.CreatedAt.Unix(), 10), KeyID: info.KeyID.String()}
}

func goClass(err error) string {
	switch {
	case err == nil:
		return "ok"
	case errors.Is(err, ErrInvalid):
		return "invalid"
	case errors.Is(err, ErrExpired):
		return "expired"
	case errors.Is(err, ErrUnknownKey):
		return "unknown_key"
	case errors.Is(err, ErrTooLarge):
		return "too_large"
	}
	return "other: " + err.Error()
}

// diffCases builds n authentic cookies, deterministically from seed.
func diffCases(t *testing.T, seed uint64, n int) []diffCase {
	seeds := diffSeeds()
	names := []string{"session", "", "s", "__Host-session", "é", "名前", "🍪", "a b", "x=y;z", "\u2028", "k\u0000", "session.1"}
	out := make([]diffCase, 0, n)
	for i := 0; i < n; i++ {
		r := rand.New(rand.NewPCG(seed, uint64(i)))
		g := &bodyGen{r: r}
		var origin string
		var payload []byte
		var flags byte
		switch k := r.IntN(10); {
		case k < 4: // a seed payload, mutated
			s := seeds[r.IntN(len(seeds))]
			payload, flags, origin = []byte(s.payload), s.flags, "seed "+s.id
		case k < 7:
			payload, flags, origin = []byte(g.typedPayload()), flagTyped, "typed"
		case k < 8:
			payload, flags, origin = []byte(g.plainPayload()), 0, "plain"
		case k < 9: // many floats or times, well formed: their canonical spelling is compared
			var parts []string
			for m := 0; m < 12; m++ {
				if r.IntN(2) == 0 {
					bits32 := r.IntN(2) == 0
					parts = append(parts, `{"`+map[bool]string{true: "float32", false: "float64"}[bits32]+`":`+g.float(bits32)+`}`)
				} else {
					parts = append(parts, `{"time":`+g.validTime()+`}`)
				}
			}
			payload, flags, origin = []byte(`{"map":{"v":[`+strings.Join(parts, ",")+`]}}`), flagTyped, "floats and times"
		default:
			if r.IntN(3) == 0 { // about 64 KiB, which only DEFLATE fits in a cookie
				n := DefaultMaxPayload + r.IntN(5) - 2
				payload, flags, origin = []byte(`"`+strings.Repeat("a", n-2)+`"`), 0, "long string"
			} else {
				payload, flags, origin = []byte(g.plainPayload()), 0, "plain"
			}
		}
		for m := r.IntN(4) - 1; m > 0; m-- {
			var how string
			payload, how = g.mutate(payload)
			origin += "; " + how
		}
		if r.IntN(12) == 0 { // typed flag on a plain payload or the reverse
			flags ^= flagTyped
			origin += "; typed flag toggled"
		}
		c := diffCase{ID: i, Name: names[r.IntN(len(names))], Now: 1795700000 + r.Int64N(1000), MaxAge: 86400, MaxPayload: 65536}
		// Half the cookies test the header, times and limits at their edges;
		// the others are well inside them, so that their payloads open.
		edges := r.IntN(2) == 0
		if r.IntN(2) == 0 {
			c.NowMillis = []int64{1, 500, 999, r.Int64N(1000)}[r.IntN(4)]
		}
		switch r.IntN(4) {
		case 0:
			c.MaxAge = []int64{1, 60, 3600, 1 << 30}[r.IntN(4)]
		case 1:
			c.MaxLifetime = []int64{100, 3600, 86400 * 7}[r.IntN(3)]
		}
		// The secrets: usually one; sometimes the cookie's key is the second, or none of the ring's.
		sealWith := vectorSecrets[0]
		c.Secrets = []string{vectorSecrets[0]}
		switch r.IntN(16) {
		case 0, 1:
			if !edges {
				break
			}
			c.Secrets = []string{vectorSecrets[1], vectorSecrets[0]}
		case 2:
			c.Secrets = []string{vectorSecrets[1]}
			if r.IntN(4) == 0 {
				sealWith = vectorSecrets[2]
			}
		}
		// Times at the edges of max_age, max_lifetime and the clock skew.
		issued := c.Now - r.Int64N(min(100, c.MaxAge+1))
		switch r.IntN(12) {
		case 0:
			if !edges {
				break
			}
			issued = c.Now - c.MaxAge + int64(r.IntN(3)) - 1
		case 1:
			if !edges {
				break
			}
			issued = c.Now + 60 + int64(r.IntN(3)) - 1
		case 2:
			if !edges {
				break
			}
			issued = []int64{-1 << 63, 1<<63 - 1, 0, -1, c.Now - 1<<40}[r.IntN(5)]
		}
		created := issued
		if r.IntN(4) == 0 {
			flags |= flagCreated
			switch r.IntN(5) {
			case 0:
				created = issued
			case 1:
				if edges {
					created = issued + 1 // invalid
				}
			case 2:
				created = -1 << 63
			default:
				created = c.Now - c.MaxLifetime + int64(r.IntN(3)) - 1
				if !edges {
					created = issued - r.Int64N(min(1000, c.MaxLifetime+1))
				}
				if created > issued {
					created = issued - int64(r.IntN(2))
				}
			}
		}
		body := payload
		deflateChoice := r.IntN(12)
		if len(payload) > 3000 {
			deflateChoice = 0
		}
		switch deflateChoice {
		case 0, 1, 2:
			flags |= flagDeflate
			var how string
			body, how = g.deflate(payload)
			origin += "; deflate " + how
		case 3:
			flags |= flagDeflate
			var how string
			body, payload, how = craftedDeflate(r)
			origin = "crafted DEFLATE: " + how
		}
		if edges && r.IntN(8) == 0 { // the payload cap at the payload's edge
			c.MaxPayload = max(1, len(payload)+r.IntN(3)-1)
		}
		if edges && r.IntN(40) == 0 {
			flags |= byte(8 << r.IntN(5)) // a reserved bit
		}
		c.Flags, c.Origin = int(flags), origin
		nonce := confNonce(fmt.Sprintf("diff/%d/%d", seed, i))
		pt := binary.BigEndian.AppendUint64(nil, uint64(issued))
		if flags&flagCreated != 0 {
			pt = binary.BigEndian.AppendUint64(pt, uint64(created))
		}
		pt = append(pt, body...)
		if edges && r.IntN(60) == 0 { // plaintext shorter than the times
			pt = pt[:r.IntN(min(len(pt), 17))]
			c.Origin += "; plaintext cut"
		}
		c.Cookie = sealPlaintext(t, sealWith, c.Name, version1, nil, flags, nonce, pt)
		c.MaxLength = 4096
		if edges && r.IntN(10) == 0 { // the size limit at the edge: name bytes + 1 + value
			c.MaxLength = len(c.Name) + 1 + len(c.Cookie) + r.IntN(3) - 1
		}
		if edges && r.IntN(30) == 0 { // a damaged spelling (SPEC.md 4 step 2)
			var how string
			c.Cookie, how = mutateSpelling(r, c.Cookie)
			c.Origin += "; cookie " + how
		}
		c.Body = hex.EncodeToString(body)
		c.Payload = hex.EncodeToString(payload)
		out = append(out, c)
	}
	return out
}

type diffSeed struct {
	id      string
	payload string
	flags   byte
}

// diffSeeds are payloads to mutate: the values cases, and plain ones.
func diffSeeds() []diffSeed {
	var s []diffSeed
	for _, v := range valuesCases() {
		s = append(s, diffSeed{v.id, v.payload, v.flags})
	}
	for i, p := range []string{
		`{"a":1,"b":[true,false,null],"c":{"d":"e"}}`, `{"n":-0,"f":1E+2,"g":1e-400,"h":123456789012345678901234567890}`,
		`[1,2,3]`, `"str"`, `0`, `-0`, `1e400`, `{"\ud83d\ude00":"\u00e9"}`, ` {"a" : [ 1 , 2 ] } `, `{"a":1,"a":2}`, `{"a":1,"\u0061":2}`,
		`{"s":"\u0000\u001f\t"}`, `{"big":9007199254740993,"neg":-9007199254740993,"max":9223372036854775807,"over":9223372036854775808}`,
		`{"float":0.1,"e":2.5e-3,"E":2.5E+3,"z":0.0}`, "\ufeff{}", `{}`, `[]`, `null`, `true`,
	} {
		s = append(s, diffSeed{fmt.Sprintf("plain-%d", i), p, 0})
	}
	return s
}

// bodyGen makes and mutates payloads.
type bodyGen struct{ r *rand.Rand }

func (g *bodyGen) pick(xs ...string) string { return xs[g.r.IntN(len(xs))] }

var diffNumbers = []string{
	"0", "-0", "1", "-1", "1.0", "-0.0", "0e5", "1e400", "-1e400", "1E+2", "1e-400", "-1e-400", "1E400",
	"123456789012345678901234567890", "9007199254740993", "-9007199254740993", "9007199254740992", "9007199254740991",
	"9223372036854775807", "9223372036854775808", "-9223372036854775808", "-9223372036854775809",
	"18446744073709551615", "18446744073709551616", "4294967295", "4294967296", "2147483647", "2147483648", "-2147483648", "-2147483649",
	"255", "256", "-128", "-129", "127", "128", "32767", "32768", "-32769", "65535", "65536",
	"3.4028235e38", "3.4028235677973366e38", "3.4028235677973362e38", "3.4028234663852886e38", "-3.4028235677973366e38",
	"1e-45", "7e-46", "8e-46", "1.401298464324817e-45", "7.006492321624085e-46", "7.006492321624086e-46",
	"5e-324", "2.4703282292062327e-324", "2.4703282292062328e-324", "4.9406564584124654e-324",
	"1.7976931348623157e308", "1.7976931348623158e308", "1.7976931348623159e308", "179769313486231580793728971405303415079934132710037826936173778980444968292764750946649017977587207096330286416692887910946555547851940402630657488671505820681908902000708383676273854845817711531764475730270069855571366959622842914819860834936475292719074168444365510704342711559699508093042880177904174497791",
	"0.1", "1.0000000596046447753906250000000000001", "0.000244140625", "1e21", "1e20", "1e-7", "1e-6", "0.30000000000000004",
	"562949953421312.25", "100e-2", "1.5", "-1.5", "2.5e-3", "1e0", "1E-0", "0.0000001", "16777217",
	// 2^1024 - 2^970, the midpoint between the largest binary64 and 2^1024 (ties to even: infinity), and just below it.
	"179769313486231580793728971405303415079934132710037826936173778980444968292764750946649017977587207096330286416692887910946555547851940402630657488671505820681908902000708383676273854845817711531764475730270069855571366959622842914819860834936475292719074168444365510704342711559699508093042880177904174497792",
	"179769313486231580793728971405303415079934132710037826936173778980444968292764750946649017977587207096330286416692887910946555547851940402630657488671505820681908902000708383676273854845817711531764475730270069855571366959622842914819860834936475292719074168444365510704342711559699508093042880177904174497791.99999",
	"1.7976931348623158079e308", "1.79769313486231580794e308", "3.40282356779733661637539395458142568448e38", "3.4028235677973366163753939545814256844e38",
	"0." + strings.Repeat("0", 400) + "1", "1" + strings.Repeat("0", 308), "1" + strings.Repeat("0", 309), "-" + strings.Repeat("9", 400), "2e-1", "1e-0000000000000000000001",
	"1e99999999999999999999", "1e-99999999999999999999", "0e99999999999999999999", strings.Repeat("1", 4400),
	"01", "-", "+1", "1.", ".5", "1e", "1e+", "NaN", "Infinity", "-Infinity", "0x10", "1_000", "１",
}

// float is a decimal for a random finite binary32 or binary64 (any
// exponent, subnormals included): its shortest spelling, a long one, or the
// exact midpoint between it and the next value up (a tie to round).
func (g *bodyGen) float(bits32 bool) string {
	var x, next float64
	for {
		if bits32 {
			f := math.Float32frombits(g.r.Uint32())
			if g.r.IntN(4) == 0 { // small exponents: subnormals and near 1
				f = math.Float32frombits(g.r.Uint32() & 0x80ffffff >> uint(g.r.IntN(8)))
			}
			if math.IsInf(float64(f), 0) || math.IsNaN(float64(f)) {
				continue
			}
			x, next = float64(f), float64(math.Nextafter32(f, float32(math.Inf(1))))
		} else {
			x = math.Float64frombits(g.r.Uint64())
			if g.r.IntN(4) == 0 {
				x = math.Float64frombits(g.r.Uint64() >> uint(g.r.IntN(12)))
			}
			if math.IsInf(x, 0) || math.IsNaN(x) {
				continue
			}
			next = math.Nextafter(x, math.Inf(1))
		}
		break
	}
	prec := 64
	if bits32 {
		prec = 32
	}
	switch g.r.IntN(4) {
	case 0:
		return strconv.FormatFloat(x, 'g', -1, prec)
	case 1:
		return strconv.FormatFloat(x, 'e', 8+g.r.IntN(14), 64)
	case 2:
		return strconv.FormatFloat(x, 'f', -1, 64)
	default:
		if math.IsInf(next, 0) {
			return strconv.FormatFloat(x, 'e', -1, 64)
		}
		// The midpoint, exactly: x and next as big floats.
		mid := new(bigf.Float).SetPrec(2000).Add(new(bigf.Float).SetFloat64(x), new(bigf.Float).SetFloat64(next))
		mid.Quo(mid, bigf.NewFloat(2))
		return mid.Text('e', -1)
	}
}

func (g *bodyGen) number() string {
	if g.r.IntN(4) == 0 { // a random number
		var b strings.Builder
		if g.r.IntN(2) == 0 {
			b.WriteByte('-')
		}
		b.WriteString(strconv.Itoa(g.r.IntN(10) + 0))
		for k := g.r.IntN(25); k > 0; k-- {
			b.WriteByte(byte('0' + g.r.IntN(10)))
		}
		if g.r.IntN(2) == 0 {
			b.WriteByte('.')
			for k := g.r.IntN(20) + 1; k > 0; k-- {
				b.WriteByte(byte('0' + g.r.IntN(10)))
			}
		}
		if g.r.IntN(2) == 0 {
			b.WriteString(g.pick("e", "E", "e+", "e-", "E-"))
			b.WriteString(strconv.Itoa(g.r.IntN(420)))
		}
		s := b.String()
		if len(s) > 1 && (s[0] == '0' && s[1] != '.' && s[1] != 'e' && s[1] != 'E' || strings.HasPrefix(s, "-0") && len(s) > 2 && s[2] >= '0' && s[2] <= '9') && g.r.IntN(4) != 0 {
			return "7" + s[1:] // mostly no leading zero
		}
		return s
	}
	return diffNumbers[g.r.IntN(len(diffNumbers))]
}

var diffStringParts = []string{
	"a", "b", "é", "😀", "名", "\u2028", "\u007f", "\ue000", `\u0061`, `\ud83d\ude00`, `\ud800`, `\udc00`, `\udc00\ud800`, `\ud800\u0041`,
	`\uD834\uDD1E`, `\u0000`, `\u001f`, `\n`, `\"`, `\\`, `\/`, `\b`, `\f`, `\r`, `\t`, `\u00e9`, `\uFFFF`, `\ufeff`,
	"\x01", "\x1f", "\t", "\xff", "\xc0\x80", "\xed\xa0\x80", "\xf4\x90\x80\x80", "\xf0\x9f\x98", "\xe2\x82", "\x80", "\ufeff", `\x41`, `\U0041`, `\u12`,
}

func (g *bodyGen) str() string {
	var b strings.Builder
	b.WriteByte('"')
	for k := g.r.IntN(4); k > 0; k-- {
		if g.r.IntN(3) == 0 {
			b.WriteString(diffStringParts[g.r.IntN(len(diffStringParts))])
		} else {
			b.WriteString(g.pick("a", "b", "k", "x", "ab", " "))
		}
	}
	b.WriteByte('"')
	return b.String()
}

// key is a member name from a small set, so that duplicates happen.
func (g *bodyGen) key() string {
	if g.r.IntN(6) == 0 {
		return g.str()
	}
	if g.r.IntN(2) == 0 {
		return g.pick(`"c"`, `"d"`, `"k1"`, `"k2"`, `"n"`, `"flash"`, `"\u2028"`, `"\u0000"`, `"名"`, `"\ue000"`, `"\ud83d\ude01"`, `"A"`)
	}
	return g.pick(`"a"`, `"b"`, `"\u0061"`, `"a"`, `"é"`, `"\u00e9"`, `"e\u0301"`, `"😀"`, `"\ud83d\ude00"`, `""`)
}

func (g *bodyGen) ws() string {
	if g.r.IntN(8) != 0 {
		return ""
	}
	if g.r.IntN(5) == 0 { // not JSON white space
		return g.pick("\u00a0", "\x0b", "\x0c", "\ufeff", "\u2028")
	}
	return g.pick(" ", "\t", "\n", "\r\n", "  ")
}

func (g *bodyGen) plain(depth int) string {
	k := g.r.IntN(10)
	if depth > 4 {
		k = 9
	}
	switch {
	case k < 2:
		var parts []string
		for m := g.r.IntN(4); m > 0; m-- {
			parts = append(parts, g.ws()+g.key()+g.ws()+":"+g.ws()+g.plain(depth+1)+g.ws())
		}
		return "{" + strings.Join(parts, ",") + "}"
	case k < 4:
		var parts []string
		for m := g.r.IntN(4); m > 0; m-- {
			parts = append(parts, g.ws()+g.plain(depth+1)+g.ws())
		}
		return "[" + strings.Join(parts, ",") + "]"
	case k < 5:
		return g.number()
	case k < 6:
		return g.float(g.r.IntN(2) == 0)
	case k < 8:
		return g.str()
	default:
		return g.pick("null", "true", "false", "nul", "True", `"x"`, "0")
	}
}

func (g *bodyGen) plainPayload() string {
	var p string
	if g.r.IntN(5) == 0 {
		p = g.plain(0)
	} else {
		var parts []string
		for m := g.r.IntN(5); m > 0; m-- {
			parts = append(parts, g.key()+":"+g.plain(1))
		}
		p = "{" + strings.Join(parts, ",") + "}"
	}
	return g.wrapDeep(p, 1)
}

// wrapDeep sometimes nests a value in arrays to about 512 levels in all.
func (g *bodyGen) wrapDeep(p string, around int) string {
	if g.r.IntN(15) != 0 {
		return p
	}
	d := 512 - around - depthOf(p) + g.r.IntN(4) - 1
	if d < 0 {
		return p
	}
	return strings.Repeat("[", d) + p + strings.Repeat("]", d)
}

func depthOf(p string) int {
	d, m := 0, 0
	for i := 0; i < len(p); i++ {
		switch p[i] {
		case '[', '{':
			d++
			m = max(m, d)
		case ']', '}':
			d--
		}
	}
	return m
}

func (g *bodyGen) timeStr() string {
	valid := g.r.IntN(3) != 0
	f := func(ok []string, bad ...string) string {
		if !valid && g.r.IntN(5) == 0 && len(bad) > 0 {
			return g.pick(bad...)
		}
		return g.pick(ok...)
	}
	year := f([]string{"0000", "0001", "1900", "1970", "2000", "2024", "2026", "9999", fmt.Sprintf("%04d", g.r.IntN(10000))}, "10000", "-0001", "999", "+2026")
	month := f([]string{"01", "02", "04", "09", "11", "12"}, "00", "13", "1")
	day := f([]string{"01", "28", "29", "30", "31"}, "00", "32", "1")
	hour := f([]string{"00", "12", "23"}, "24", "1")
	minute := f([]string{"00", "30", "59"}, "60")
	sec := f([]string{"00", "30", "59"}, "60", "61")
	frac := f([]string{"", "", ".0", ".5", ".500", ".123456789", ".000000001", ".999999999", ".100000000"}, ".", ".1234567890", ",5", ".-1")
	off := f([]string{"Z", "+00:00", "-00:00", "+23:59", "-23:59", "+05:30", "-08:00", "+00:01", "-00:01", "+14:00"}, "z", "+24:00", "-24:00", "+0530", "+01:00:30", "+23:60", "", "+1:00", "UTC")
	sep := f([]string{"T"}, "t", " ", "")
	return `"` + year + "-" + month + "-" + day + sep + hour + ":" + minute + ":" + sec + frac + off + `"`
}

// validTime is a random well-formed time (SPEC.md 6.5): any instant of the
// years 0000-9999, any offset within 24 hours, 0-9 fraction digits.
func (g *bodyGen) validTime() string {
	off := g.r.IntN(2*24*60-1) - (24*60 - 1)
	if g.r.IntN(3) == 0 {
		off = 0
	}
	loc := time.FixedZone("", off*60)
	t := time.Date(g.r.IntN(10000), time.Month(1+g.r.IntN(12)), 1+g.r.IntN(31), g.r.IntN(24), g.r.IntN(60), g.r.IntN(60), 0, loc)
	if t.Year() > 9999 || t.Year() < 0 {
		t = t.AddDate(0, 0, -40)
	}
	digits := g.r.IntN(10)
	frac := ""
	if digits > 0 {
		for i := 0; i < digits; i++ {
			frac += strconv.Itoa(g.r.IntN(10))
		}
		frac = "." + frac
	}
	s := t.Format("2006-01-02T15:04:05") + frac
	switch {
	case off == 0 && g.r.IntN(3) == 0:
		s += g.pick("+00:00", "-00:00")
	case off == 0:
		s += "Z"
	default:
		s += t.Format("-07:00")
	}
	return `"` + s + `"`
}

func (g *bodyGen) b64() string {
	raw := make([]byte, g.r.IntN(7))
	for i := range raw {
		raw[i] = byte(g.r.IntN(256))
	}
	s := base64.StdEncoding.EncodeToString(raw)
	if g.r.IntN(4) == 0 {
		switch g.r.IntN(7) {
		case 0:
			s = strings.TrimRight(s, "=")
		case 1:
			s = base64.URLEncoding.EncodeToString(raw)
		case 2:
			if n := len(strings.TrimRight(s, "=")); n > 0 && n < len(s) { // non-canonical trailing bits
				c := s[n-1]
				s = s[:n-1] + nextChar(c) + s[n:]
			}
		case 3:
			s = s[:len(s)/2] + g.pick(`\n`, `\r\n`, " ", `\u0041`, "=", `\/`) + s[len(s)/2:]
		case 4:
			s += "="
		case 5:
			s += "AA=="
		case 6:
			s = `\u0041` + s[min(1, len(s)):]
		}
	}
	return `"` + s + `"`
}

var diffIntTags = []string{"int8", "int16", "int32", "int64", "uint", "uint8", "uint16", "uint32", "uint64", "duration"}

// typedValue is a typed value (SPEC.md section 6), mostly well formed.
func (g *bodyGen) typedValue(depth int) string {
	k := g.r.IntN(24)
	if depth > 4 && k < 8 {
		k += 8
	}
	tag := func(name, body string) string {
		return "{" + g.ws() + `"` + name + `"` + g.ws() + ":" + g.ws() + body + g.ws() + "}"
	}
	switch k {
	case 0, 1:
		return tag("map", g.typedMapBody(depth+1))
	case 2:
		var parts []string
		for m := g.r.IntN(4); m > 0; m-- {
			parts = append(parts, g.typedValue(depth+1))
		}
		return "[" + strings.Join(parts, ",") + "]"
	case 3:
		var parts []string
		for m := g.r.IntN(3); m > 0; m-- {
			parts = append(parts, g.key()+":"+g.typedValue(depth+1))
		}
		return tag("object", "{"+strings.Join(parts, ",")+"}")
	case 4:
		return tag("named", "["+g.str()+","+g.plain(depth+1)+"]")
	case 5:
		var parts []string
		for m := g.r.IntN(3); m > 0; m-- {
			parts = append(parts, g.key()+":"+g.pick(g.str(), g.number()))
		}
		return tag(g.pick("stringmap", "intmap"), "{"+strings.Join(parts, ",")+"}")
	case 6:
		var parts []string
		for m := g.r.IntN(4); m > 0; m-- {
			parts = append(parts, g.pick(g.str(), g.number(), g.float(false)))
		}
		return tag(g.pick("strings", "ints", "float64s"), "["+strings.Join(parts, ",")+"]")
	case 7:
		return tag(g.pick("map", "object", "array", "strings", "ints", "float64s", "stringmap", "intmap", "bytes", "time", "int8", "named"), g.pick("null", "[]", "{}", `""`, "0"))
	case 8, 9:
		return tag("time", g.timeStr())
	case 10:
		return tag("bytes", g.b64())
	case 11, 12:
		if g.r.IntN(3) != 0 {
			bits32 := g.r.IntN(2) == 0
			return tag(map[bool]string{true: "float32", false: "float64"}[bits32], g.float(bits32))
		}
		return tag(g.pick("float64", "float32"), g.number())
	case 13, 14:
		t := diffIntTags[g.r.IntN(len(diffIntTags))]
		if g.r.IntN(2) == 0 { // in range
			return tag(t, strconv.Itoa(g.r.IntN(128)))
		}
		return tag(t, g.number())
	case 15, 16:
		return g.number()
	case 17, 18:
		return g.str()
	case 19:
		return g.pick("null", "true", "false")
	case 20:
		return tag(g.pick("Map", "int", "float", "nope", "", "time\u0000"), g.number())
	case 21:
		return "{" + `"int8":1,"int16":2` + "}"
	default:
		return tag(g.pick("int64", "uint64", "float32", "time", "bytes", "duration"), g.plain(depth+1))
	}
}

// diffEqualKeys are groups of pair-form keys, each equal to the others of
// its group (SPEC.md 6.4), so that a map with two of them is invalid.
var diffEqualKeys = [][]string{
	{`{"float32":0.1}`, `{"float32":0.100000001}`, `{"float32":1e-1}`, `{"float32":0.10000000149011612}`},
	{`{"float64":0.1}`, `{"float64":0.10000000000000001}`, `{"float64":1e-1}`},
	{`{"float64":0}`, `{"float64":-0}`, `{"float64":0.0}`, `{"float64":1e-400}`, `{"float64":-1e-400}`},
	{`{"float32":0}`, `{"float32":-0}`, `{"float32":1e-46}`, `{"float32":-7e-46}`},
	{`{"float32":16777216}`, `{"float32":16777217}`, `{"float32":1.6777216e7}`},
	{`{"float64":9007199254740992}`, `{"float64":9007199254740993}`},
	{`{"time":"2026-01-01T00:00:00Z"}`, `{"time":"2026-01-01T00:00:00+00:00"}`, `{"time":"2026-01-01T00:00:00-00:00"}`, `{"time":"2026-01-01T00:00:00.000000000Z"}`},
	{`{"time":"0000-01-01T00:00:00+23:59"}`, `{"time":"0000-01-01T00:00:00.0+23:59"}`},
	{`{"duration":5}`, `{"duration":5}`}, {`{"uint64":18446744073709551615}`, `{"uint64":18446744073709551615}`},
	{`"é"`, `"\u00e9"`, `"\u00E9"`}, {`"😀"`, `"\ud83d\ude00"`, `"\uD83D\uDE00"`}, {`1`, `1`}, {`null`, `null`}, {`true`, `true`},
}

// typedKeyPair is two keys, equal (a duplicate) or only alike.
func (g *bodyGen) typedKeyPair() (string, string) {
	grp := diffEqualKeys[g.r.IntN(len(diffEqualKeys))]
	a := grp[g.r.IntN(len(grp))]
	if g.r.IntN(3) == 0 { // alike but different: another group's key
		other := diffEqualKeys[g.r.IntN(len(diffEqualKeys))]
		return a, other[g.r.IntN(len(other))]
	}
	return a, grp[g.r.IntN(len(grp))]
}

func (g *bodyGen) typedKey() string {
	switch g.r.IntN(7) {
	case 6:
		grp := diffEqualKeys[g.r.IntN(len(diffEqualKeys))]
		return grp[g.r.IntN(len(grp))]
	case 0:
		return g.pick("null", "true", "false", "1", "-1", "1.5", "[]", `{"map":{}}`)
	case 1:
		return `{"time":` + g.timeStr() + `}`
	case 2:
		return `{"` + g.pick("float64", "float32") + `":` + g.pick("0", "-0", "1", "1.0", "0.5", "1e400") + `}`
	case 3:
		return `{"` + diffIntTags[g.r.IntN(len(diffIntTags))] + `":` + g.pick("1", "-1", "0", "128", "256") + `}`
	case 4:
		return g.pick("1", "2", "0", "9223372036854775808")
	default:
		return g.key()
	}
}

func (g *bodyGen) typedMapBody(depth int) string {
	var parts []string
	if g.r.IntN(3) == 0 { // pair form
		for m := g.r.IntN(4); m > 0; m-- {
			parts = append(parts, "["+g.typedKey()+","+g.typedValue(depth+1)+"]")
		}
		if g.r.IntN(3) == 0 {
			a, b := g.typedKeyPair()
			parts = append(parts, "["+a+",1]", "["+b+",2]")
			g.r.Shuffle(len(parts), func(i, j int) { parts[i], parts[j] = parts[j], parts[i] })
		}
		return "[" + strings.Join(parts, ",") + "]"
	}
	for m := g.r.IntN(4); m > 0; m-- {
		parts = append(parts, g.key()+g.ws()+":"+g.ws()+g.typedValue(depth+1))
	}
	return "{" + strings.Join(parts, ",") + "}"
}

func (g *bodyGen) typedPayload() string {
	if g.r.IntN(10) == 0 {
		return g.typedValue(0)
	}
	p := g.ws() + `{"map":` + g.typedMapBody(1) + "}" + g.ws()
	if g.r.IntN(15) == 0 { // deep: a value nested to about 512 levels
		d := 512 - 3 + g.r.IntN(4) - 1
		p = `{"map":{"v":` + strings.Repeat("[", d-1) + g.typedValue(5) + strings.Repeat("]", d-1) + "}}"
	}
	return p
}

var diffInserts = []string{
	"1e400", "-0", "1E+2", "123456789012345678901234567890", `"\ud800"`, `\udc00`, `\u0000`, "\ufeff", "\xef\xbb", " ", "\t", "\n", "\r",
	",", `""`, "null", "[", "]", "{", "}", ":", "\x00", "\x1f", "\x7f", "\xff", "\xc0\x80", "\xed\xa0\x80", "\xf4\x90\x80\x80",
	"\xf0\x9f\x98", "0.0", "1.", ".5", "01", "+1", "e5", "-", `"`, `\`, `\u`, "9223372036854775808", `{"time":"2026-01-01T00:00:00Z"}`,
}

var diffBytes = []byte{0x00, 0x1f, 0x20, 0x7f, 0x80, 0xbf, 0xc0, 0xc2, 0xe0, 0xed, 0xef, 0xf0, 0xf4, 0xf5, 0xff, '"', '\\', '{', '}', '[', ']', ',', ':', '0', '1', '-', '+', 'e', 'E', '.', 'u', 'n', 't'}

// mutate changes a payload once and says how.
func (g *bodyGen) mutate(p []byte) ([]byte, string) {
	if len(p) == 0 {
		return []byte(diffInserts[g.r.IntN(len(diffInserts))]), "replaced empty"
	}
	i := g.r.IntN(len(p))
	switch g.r.IntN(8) {
	case 0:
		q := bytes.Clone(p)
		bit := byte(1) << g.r.IntN(8)
		q[i] ^= bit
		return q, fmt.Sprintf("flip bit %#02x at %d", bit, i)
	case 1:
		q := bytes.Clone(p)
		q[i] = diffBytes[g.r.IntN(len(diffBytes))]
		return q, fmt.Sprintf("byte %#02x at %d", q[i], i)
	case 2:
		return p[:i], fmt.Sprintf("cut at %d", i)
	case 3, 4:
		s := diffInserts[g.r.IntN(len(diffInserts))]
		return append(append(append([]byte{}, p[:i]...), s...), p[i:]...), fmt.Sprintf("insert %q at %d", s, i)
	case 5: // duplicate a member: copy `"...":value,` after the first '{'
		open := bytes.IndexByte(p, '{')
		if open < 0 {
			return p[:i], fmt.Sprintf("cut at %d", i)
		}
		end := open + 1
		depth := 0
		inStr := false
		for ; end < len(p); end++ {
			c := p[end]
			if inStr {
				if c == '\\' {
					end++
				} else if c == '"' {
					inStr = false
				}
				continue
			}
			if c == '"' {
				inStr = true
			} else if c == '{' || c == '[' {
				depth++
			} else if c == '}' || c == ']' {
				if depth == 0 {
					break
				}
				depth--
			} else if c == ',' && depth == 0 {
				break
			}
		}
		member := p[open+1 : min(end, len(p))]
		if len(bytes.TrimSpace(member)) == 0 {
			return p, "no member to duplicate"
		}
		return append(append(append(append([]byte{}, p[:open+1]...), member...), ','), p[open+1:]...), fmt.Sprintf("duplicate member %q", member)
	case 6: // swap a number for an odd one
		j := bytes.IndexAny(p[i:], "0123456789")
		if j < 0 {
			return p, "no number"
		}
		j += i
		k := j
		for k < len(p) && strings.IndexByte("0123456789.eE+-", p[k]) >= 0 {
			k++
		}
		s := g.number()
		return append(append(append([]byte{}, p[:j]...), s...), p[k:]...), fmt.Sprintf("number %q at %d", s, j)
	default: // white space
		s := g.pick(" ", "\t", "\n", "\r", "\ufeff", "\u00a0", "\x0b")
		return append(append(append([]byte{}, p[:i]...), s...), p[i:]...), fmt.Sprintf("space %q at %d", s, i)
	}
}

// deflate compresses p as raw DEFLATE, sometimes damaged.
func (g *bodyGen) deflate(p []byte) ([]byte, string) {
	level := []int{flate.NoCompression, flate.BestSpeed, flate.DefaultCompression, flate.BestCompression, flate.HuffmanOnly}[g.r.IntN(5)]
	if len(p) > 3000 {
		level = flate.BestCompression
	}
	var buf bytes.Buffer
	w, _ := flate.NewWriter(&buf, level)
	how := fmt.Sprintf("level %d", level)
	if g.r.IntN(4) == 0 && len(p) > 1 { // two writes with a flush: several blocks
		cut := g.r.IntN(len(p))
		_, _ = w.Write(p[:cut])
		_ = w.Flush()
		_, _ = w.Write(p[cut:])
		how += fmt.Sprintf(", flush at %d", cut)
	} else {
		_, _ = w.Write(p)
	}
	_ = w.Close()
	z := buf.Bytes()
	switch g.r.IntN(16) {
	case 0:
		z = append(z, byte(g.r.IntN(256)))
		how += ", a byte after the end"
	case 1:
		if len(z) > 1 {
			z = z[:g.r.IntN(len(z))]
			how += ", truncated"
		}
	case 2, 4:
		if len(z) > 0 {
			z[g.r.IntN(len(z))] ^= byte(1) << g.r.IntN(8)
			how += ", bit flipped"
		}
	case 3:
		z = append(z, 0x03, 0x00) // an empty final fixed block after the final block
		how += ", a second final block"
	}
	return z, how
}

// fixedBlock writes one final fixed-Huffman DEFLATE block (RFC 1951 3.2.6)
// of ops: a literal byte (0-255), the end of block (256), or a match
// {length 3-10, distance 1-4} given as -(length*8 + distance). Symbols 286
// and 287 and distance codes 30 and 31 are written as asked: invalid ones.
func fixedBlock(final bool, ops []int, endOfBlock bool) []byte {
	var bits []byte
	put := func(v uint, n int, msbFirst bool) {
		for i := 0; i < n; i++ {
			if msbFirst {
				bits = append(bits, byte(v>>(n-1-i))&1)
			} else {
				bits = append(bits, byte(v>>i)&1)
			}
		}
	}
	sym := func(s int) {
		switch {
		case s < 144:
			put(uint(0x30+s), 8, true)
		case s < 256:
			put(uint(0x190+s-144), 9, true)
		case s < 280:
			put(uint(s-256), 7, true)
		default:
			put(uint(0xc0+s-280), 8, true)
		}
	}
	f := uint(0)
	if final {
		f = 1
	}
	put(f, 1, false)
	put(1, 2, false)
	for _, op := range ops {
		switch {
		case op >= 0 && op < 288:
			sym(op)
		case op >= 1000: // a raw distance code after a length of 3: 1000+code
			sym(257)
			put(uint(op-1000), 5, true)
		default:
			length, dist := (-op)/8, (-op)%8
			sym(257 + length - 3)
			put(uint(dist-1), 5, true)
		}
	}
	if endOfBlock {
		sym(256)
	}
	out := make([]byte, (len(bits)+7)/8)
	for i, b := range bits {
		out[i/8] |= b << (i % 8)
	}
	return out
}

// craftedDeflate is a hand-made DEFLATE stream and the payload it would
// give if an inflater accepted it.
func craftedDeflate(r *rand.Rand) ([]byte, []byte, string) {
	lit := func(s string) []int {
		var o []int
		for i := 0; i < len(s); i++ {
			o = append(o, int(s[i]))
		}
		return o
	}
	cat := func(xs ...[]int) []int {
		var o []int
		for _, x := range xs {
			o = append(o, x...)
		}
		return o
	}
	match := func(length, dist int) []int { return []int{-(length*8 + dist)} }
	switch r.IntN(12) {
	case 0:
		return fixedBlock(true, cat(lit(`"a`), match(4, 1), lit(`"`)), true), []byte(`"aaaaa"`), "overlapping match"
	case 1:
		return fixedBlock(true, cat(lit(`[`), match(3, 2), lit(`]`)), true), []byte(`[?]`), "distance too far back"
	case 2:
		return fixedBlock(true, cat(match(3, 1), lit(`1`)), true), []byte(`1`), "match before any output"
	case 3:
		return fixedBlock(true, cat(lit(`"ab`), []int{1000 + 30}, lit(`"`)), true), []byte(`"ab?"`), "distance code 30"
	case 4:
		return fixedBlock(true, cat(lit(`"ab`), []int{286}, lit(`"`)), true), []byte(`"ab"`), "length symbol 286"
	case 5:
		return fixedBlock(true, lit(`[1]`), false), []byte(`[1]`), "no end of block"
	case 6:
		return append(fixedBlock(false, lit(`[1`), true), fixedBlock(true, lit(`]`), true)...), []byte(`[1]`), "two fixed blocks"
	case 7:
		b := storedBlock(true, []byte(`[1]`))
		b[3] ^= 1
		return b, []byte(`[1]`), "stored block LEN/NLEN mismatch"
	case 8:
		return append(storedBlock(false, nil), storedBlock(true, []byte(`{}`))...), []byte(`{}`), "an empty stored block first"
	case 9:
		return []byte{0x07, 0x00}, nil, "block type 3"
	case 10:
		return fixedBlock(false, lit(`[1]`), true), []byte(`[1]`), "no final block"
	default:
		z := make([]byte, 1+r.IntN(30))
		for i := range z {
			z[i] = byte(r.IntN(256))
		}
		return z, nil, "random bytes"
	}
}

// mutateSpelling changes a cookie's base64url text.
func mutateSpelling(r *rand.Rand, c string) (string, string) {
	switch r.IntN(6) {
	case 0:
		return c + "=", "padded"
	case 1:
		i := r.IntN(len(c))
		return c[:i] + "\n" + c[i:], "with a line break"
	case 2:
		return c[:len(c)-1] + nextChar(c[len(c)-1]), "last character changed"
	case 3:
		return c[:len(c)-r.IntN(3)-1], "cut"
	case 4:
		return strings.NewReplacer("-", "+", "_", "/").Replace(c), "standard alphabet"
	default:
		return " " + c, "leading space"
	}
}
