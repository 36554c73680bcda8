package cookieseal

import (
	"encoding/base64"
	"encoding/json"
	"math"
	"math/rand"
	"net/http/httptest"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/securecookie"
	"github.com/gorilla/sessions"
	"github.com/stretchr/testify/require"
)

// decodeJSON falls back to encoding/json whenever its direct parser gives
// up, so a parser that gave up too often would go unnoticed by every other
// test: here the direct parser itself must accept valid JSON, consume all of
// it, and build exactly what encoding/json builds.
func TestValidJSONParsesWithoutFallback(t *testing.T) {
	for _, doc := range []string{
		`null`, `true`, `false`, `0`, `-1.5e+3`, `""`, `"plain"`, `"esc\"aped\\"`, `"\u00e9\n"`, `"é"`,
		`[]`, `{}`, `[ ]`, `{ }`, ` [1 , 2 ,3 ] `, "\t{\n\"a\" :\r1 ,\"b\":[true,false,null]}\n",
		`{"map":{"count":41,"f":{"float64":0.5},"l":[1,[2,[3]],{"x":"y"}]}}`,
		`[{"a":{}},{"b":[]},"c",-0,1E9]`,
		`{"a":1,"a":2}`,
	} {
		p := validJSON{data: []byte(doc)}
		got, ok := p.value()
		require.True(t, ok, "%s: the direct parser gave up", doc)
		p.skipSpace()
		require.Equal(t, len(doc), p.i, "%s: not all consumed", doc)
		want, err := decodeJSONStd([]byte(doc))
		require.NoError(t, err, doc)
		require.Equal(t, want, got, doc)
	}
	for _, bad := range []string{`{"a" 1}`, `{"a":1 "b":2}`, `[1 2]`, `{"a":1`, `[1`, `"open`, `tru`, `{1:2}`, `[`, `{`, `{"a":}`} {
		p := validJSON{data: []byte(bad)}
		_, ok := p.value()
		require.False(t, ok, "%s: accepted", bad)
	}
}

// appendBase64Fast falls back to the strict decoder when it refuses, so it
// must be tested on its own: it accepts every canonical spelling and decodes
// it as encoding/base64 does.
func TestBase64FastAcceptsCanonical(t *testing.T) {
	for n := 0; n <= 40; n++ {
		b := make([]byte, n)
		for i := range b {
			b[i] = byte(i*37 + n)
		}
		s := base64.RawURLEncoding.EncodeToString(b)
		got, ok := appendBase64Fast([]byte("pre"), s)
		require.True(t, ok, "%d bytes: %q refused", n, s)
		require.Equal(t, append([]byte("pre"), b...), got, "%d bytes", n)
	}
	for _, bad := range []string{"A", "AB=", "AB*C", "ABCDEFG!", "ABCDEFGHIJK\n", "AB", "ABD"} {
		_, ok := appendBase64Fast(nil, bad)
		require.False(t, ok, "%q accepted", bad)
	}
}

// roundTrip encodes m as session values and decodes it again.
func roundTrip(t *testing.T, c *Codec, m map[any]any) map[any]any {
	t.Helper()
	s, err := c.Encode("s", m)
	require.NoError(t, err)
	var out map[any]any
	require.NoError(t, c.Decode("s", s, &out))
	return out
}

// typedPayload returns the typed form Encode writes for m.
func typedPayload(t *testing.T, m map[any]any) string {
	t.Helper()
	b, err := appendMap(nil, m)
	require.NoError(t, err)
	return string(b)
}

// nested returns a list nested n deep: [[...[]...]].
func nested(n int) any {
	var v any = []any{}
	for i := 1; i < n; i++ {
		v = []any{v}
	}
	return v
}

// Issue 10 item 1: a cyclic value is an error, in-process, not a stack
// overflow; nesting is capped at 512 JSON levels on both sides.
func TestEncodeCyclicValueFails(t *testing.T) {
	c := newTestCodec(t, newClock(t0), newSecrets(1)...)
	m := map[any]any{}
	m["self"] = m
	_, err := c.Encode("s", m)
	require.ErrorIs(t, err, errTooDeep)

	l := []any{nil}
	l[0] = l
	_, err = c.Encode("s", map[any]any{"l": l})
	require.ErrorIs(t, err, errTooDeep)

	o := map[string]any{}
	o["o"] = o
	_, err = c.Encode("s", map[any]any{1: o})
	require.ErrorIs(t, err, errTooDeep)
}

func TestDepthLimitIs512(t *testing.T) {
	c, err := New(Config{Secrets: newSecrets(1), Now: newClock(t0).Now, MaxLength: 1 << 16})
	require.NoError(t, err)
	// {"map":{"a": <list>}}: the tag and its body take levels 1 and 2.
	out := roundTrip(t, c, map[any]any{"a": nested(510)})
	require.Equal(t, map[any]any{"a": nested(510)}, out)
	_, err = c.Encode("s", map[any]any{"a": nested(511)})
	require.ErrorIs(t, err, errTooDeep)

	// Decode counts the same way, on every path.
	at := `{"map":{"a":` + strings.Repeat("[", 510) + strings.Repeat("]", 510) + `}}`
	over := `{"map":{"a":` + strings.Repeat("[", 511) + strings.Repeat("]", 511) + `}}`
	_, err = parseTypedPayload([]byte(at), false)
	require.NoError(t, err)
	_, err = parseTypedPayload([]byte(over), false)
	require.ErrorIs(t, err, errParseDepth)
	s := sealRaw(t, c, "s", flagTyped, t0.Unix(), []byte(over))
	var raw json.RawMessage
	requireClass(t, c.Decode("s", s, &raw), ErrInvalid)
	// A registered value's JSON counts too.
	deep := strings.Repeat("[", 509) + strings.Repeat("]", 509)
	_, err = parseTypedPayload([]byte(`{"map":{"a":{"named":["x",`+deep+`]}}}`), false)
	require.ErrorIs(t, err, errParseDepth)
	_, err = c.Encode("s", map[any]any{"a": Named{Name: "x", JSON: json.RawMessage(deep)}})
	require.ErrorIs(t, err, errTooDeep)
	_, err = c.Encode("s", map[any]any{"a": Named{Name: "x", JSON: json.RawMessage(deep[1 : len(deep)-1])}})
	require.NoError(t, err)
}

// Issue 10 item 2: every time Encode accepts comes back with the same
// instant and offset; the others are refused by Encode.
func TestTimeRoundTrip(t *testing.T) {
	c := newTestCodec(t, newClock(t0), newSecrets(1)...)
	for _, tm := range []time.Time{
		time.Date(2026, 11, 27, 17, 0, 0, 0, time.UTC),
		time.Date(2026, 11, 27, 17, 0, 0, 1, time.FixedZone("X", 3600)),
		time.Date(0, 1, 1, 0, 0, 0, 0, time.FixedZone("", 23*3600+59*60)),
		time.Date(9999, 12, 31, 23, 59, 59, 999999999, time.FixedZone("", -(23*3600+59*60))),
		time.Date(2024, 2, 29, 12, 30, 0, 120000000, time.FixedZone("IST", 5*3600+30*60)),
		{},
		time.Now(), // with a monotonic reading, which is not carried
	} {
		out := roundTrip(t, c, map[any]any{"t": tm, tm: "key"})
		got := out["t"].(time.Time)
		require.True(t, got.Equal(tm), "%v came back as %v", tm, got)
		_, off := tm.Zone()
		_, gotOff := got.Zone()
		require.Equal(t, off, gotOff, "%v", tm)
		require.Equal(t, typedPayload(t, map[any]any{"t": tm}), typedPayload(t, map[any]any{"t": got}))
		require.Equal(t, map[any]any{"t": got, got: "key"}, out)
	}
	for name, tm := range map[string]time.Time{
		"year 10000":         time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC),
		"year -1":            time.Date(-1, 12, 31, 0, 0, 0, 0, time.UTC),
		"offset 24h":         time.Date(2026, 1, 1, 0, 0, 0, 0, time.FixedZone("", 24*3600)),
		"offset -24h":        time.Date(2026, 1, 1, 0, 0, 0, 0, time.FixedZone("", -24*3600)),
		"offset with second": time.Date(2026, 1, 1, 0, 0, 0, 0, time.FixedZone("", 3601)),
		"LMT offset":         time.Date(1850, 1, 1, 0, 0, 0, 0, time.FixedZone("LMT", -17762)),
		"local year 10000":   time.Date(9999, 12, 31, 23, 0, 0, 0, time.UTC).In(time.FixedZone("", 2*3600)),
	} {
		_, err := c.Encode("s", map[any]any{"t": tm})
		require.ErrorContains(t, err, "time.Time", name)
		_, err = c.Encode("s", map[any]any{tm: 1})
		require.ErrorContains(t, err, "time.Time", name)
	}
}

// Issue 10 item 3: keys that encode alike are refused by Encode; Decode
// refuses duplicate keys whatever their offset or spelling.
func TestKeysThatEncodeAlike(t *testing.T) {
	c := newTestCodec(t, newClock(t0), newSecrets(1)...)
	now := time.Now()
	utc := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for name, m := range map[string]map[any]any{
		"monotonic":      {now: 1, now.Round(0): 2},
		"two locations":  {utc: 1, utc.In(time.FixedZone("UTC", 0)): 2},
		"two zone names": {utc.In(time.FixedZone("A", 3600)): 1, utc.In(time.FixedZone("B", 3600)): 2},
	} {
		require.Len(t, m, 2, name)
		_, err := c.Encode("s", m)
		require.ErrorContains(t, err, "encode alike", name)
	}
	// The same instant under two offsets is two keys.
	two := map[any]any{utc: 1, utc.In(time.FixedZone("", 3600)): 2}
	require.Equal(t, 2, len(roundTrip(t, c, two)))

	for _, p := range []string{
		`{"map":[[{"time":"2026-01-01T00:00:00Z"},1],[{"time":"2026-01-01T00:00:00.000Z"},2]]}`,
		`{"map":[[{"time":"2026-01-01T01:00:00+01:00"},1],[{"time":"2026-01-01T01:00:00.0+01:00"},2]]}`,
		`{"map":[[{"time":"2026-01-01T00:00:00Z"},1],[{"time":"2026-01-01T00:00:00+00:00"},2]]}`,
		`{"map":[[{"float64":0},1],[{"float64":-0},2]]}`,
		`{"map":[[{"float64":1},1],[{"float64":1.0},2]]}`,
		`{"map":[["a",1],["\u0061",2]]}`,
		`{"map":{"a":1,"\u0061":2}}`,
		`{"map":[[1,1],[1,2]]}`,
		`{"map":[[null,1],[null,2]]}`,
		`{"map":[[{"duration":1},1],[{"duration":1},2]]}`,
	} {
		_, err := parseTypedPayload([]byte(p), false)
		require.ErrorContains(t, err, "duplicate", p)
	}
	// Distinct tags are distinct keys.
	m, err := parseTypedPayload([]byte(`{"map":[[1,1],[{"int64":1},2],[{"float64":1},3],[{"float32":1},4],[{"duration":1},5],[{"uint":1},6]]}`), false)
	require.NoError(t, err)
	require.Len(t, m, 6)
}

type flashMessage struct {
	Type    string `json:"type"`
	Message string `json:"message"`
}

type level int

func init() {
	Register("cookieseal.flashMessage", &flashMessage{})
	Register("cookieseal.level", level(0))
}

// Issue 10 item 4: nil forms come back nil, empty ones empty.
func TestNilFormsRoundTrip(t *testing.T) {
	c := newTestCodec(t, newClock(t0), newSecrets(1)...)
	in := map[any]any{
		"bytes": []byte(nil), "strings": []string(nil), "ints": []int(nil), "floats": []float64(nil),
		"object": map[string]any(nil), "map": map[any]any(nil), "list": []any(nil),
		"stringmap": map[string]string(nil), "intmap": map[string]int(nil), "flash": (*flashMessage)(nil),
		"ebytes": []byte{}, "estrings": []string{}, "eints": []int{}, "efloats": []float64{},
		"eobject": map[string]any{}, "emap": map[any]any{}, "elist": []any{},
		"estringmap": map[string]string{}, "eintmap": map[string]int{},
	}
	out := roundTrip(t, c, in)
	require.Len(t, out, len(in))
	for k, v := range in {
		require.IsType(t, v, out[k], k)
		wantNil := reflect.ValueOf(v).IsNil()
		require.Equal(t, wantNil, reflect.ValueOf(out[k]).IsNil(), "%s: nil-ness", k)
	}
	// The nil map itself, as the whole of the session values.
	s, err := c.Encode("s", map[any]any(nil))
	require.NoError(t, err)
	got := map[any]any{"keep": 1}
	require.NoError(t, c.Decode("s", s, &got))
	require.Nil(t, got)
	require.NotNil(t, roundTrip(t, c, map[any]any{}))
}

// Issue 10 item 5: the types gorilla applications keep are carried.
func TestNewTypesRoundTrip(t *testing.T) {
	c := newTestCodec(t, newClock(t0), newSecrets(1)...)
	in := map[any]any{
		"headers":  map[string]string{"b": "2", "a": "1", "é": ""},
		"counts":   map[string]int{"x": -1, "y": math.MaxInt64},
		"ratios":   []float64{0.1, -0, 1e21, 5e-324, math.MaxFloat64},
		"timeout":  90 * time.Second,
		"_flash":   []any{&flashMessage{Type: "info", Message: "<saved>"}},
		"level":    level(3),
		"negative": time.Duration(math.MinInt64),
	}
	require.Equal(t, in, roundTrip(t, c, in))
	require.Equal(t,
		`{"map":{"_flash":[{"named":["cookieseal.flashMessage",{"type":"info","message":"\u003csaved\u003e"}]}],"counts":{"intmap":{"x":-1,"y":9223372036854775807}},`+
			`"headers":{"stringmap":{"a":"1","b":"2","é":""}},"level":{"named":["cookieseal.level",3]},"negative":{"duration":-9223372036854775808},`+
			`"ratios":{"float64s":[0.1,0,1e+21,5e-324,1.7976931348623157e+308]},"timeout":{"duration":90000000000}}}`,
		typedPayload(t, in))

	type unregistered struct{ A int }
	for _, v := range []any{unregistered{1}, &unregistered{1}} {
		_, err := c.Encode("s", map[any]any{"v": v})
		var ute *UnsupportedTypeError
		require.ErrorAs(t, err, &ute)
		require.ErrorContains(t, err, "call cookieseal.Register")
	}
	// A name this program did not register opens as Named and is written
	// back as it came.
	p := `{"map":{"f":{"named":["other.Flash", { "b" : [1, 2.50] , "a":"\u00e9"}]}}}`
	m, err := parseTypedPayload([]byte(p), false)
	require.NoError(t, err)
	require.Equal(t, Named{Name: "other.Flash", JSON: json.RawMessage(`{"b":[1,2.50],"a":"\u00e9"}`)}, m["f"])
	require.Equal(t, `{"map":{"f":{"named":["other.Flash",{"b":[1,2.50],"a":"\u00e9"}]}}}`, typedPayload(t, m))
	require.Equal(t, m, roundTrip(t, c, m))
}

func TestRegisterPanics(t *testing.T) {
	type a struct{}
	type b struct{}
	Register("cookieseal.test.a", a{})
	Register("cookieseal.test.a", a{}) // again, the same: fine
	require.Panics(t, func() { Register("cookieseal.test.a", b{}) })
	require.Panics(t, func() { Register("cookieseal.test.a2", a{}) })
	require.Panics(t, func() { Register("", b{}) })
	require.Panics(t, func() { Register("\xff", b{}) })
	require.Panics(t, func() { Register("nil", nil) })
	require.Panics(t, func() { Register("t", time.Time{}) })
	require.Panics(t, func() { Register("m", map[string]string{}) })
	require.Panics(t, func() { Register("n", Named{}) })
	Register("cookieseal.test.b", &b{}) // a pointer type is another type
	Register("cookieseal.test.bv", b{})
}

// The canonical float spelling (SPEC.md 6.2): ECMAScript's Number::toString
// layout of the shortest round-trip digits, "-0" for negative zero.
func TestFloatSpelling(t *testing.T) {
	for _, c := range []struct {
		f    float64
		want string
	}{
		{0, "0"}, {math.Copysign(0, -1), "-0"}, {1, "1"}, {-1.5, "-1.5"}, {0.1, "0.1"}, {100, "100"},
		{1e20, "100000000000000000000"}, {1e21, "1e+21"}, {1.5e21, "1.5e+21"}, {123456789012345680000, "123456789012345680000"},
		{1e-6, "0.000001"}, {1.5e-6, "0.0000015"}, {1e-7, "1e-7"}, {-1.25e-7, "-1.25e-7"},
		{5e-324, "5e-324"}, {math.MaxFloat64, "1.7976931348623157e+308"}, {2.2250738585072014e-308, "2.2250738585072014e-308"},
		{9007199254740993, "9007199254740992"}, {0.30000000000000004, "0.30000000000000004"}, {1e300, "1e+300"},
		{562949953421312.25, "562949953421312.2"}, {562949953421312.75, "562949953421312.8"}, // ties go to the even digit
	} {
		require.Equal(t, c.want, string(appendFloat64(nil, c.f)), "%g", c.f)
	}
	for _, c := range []struct {
		f    float32
		want string
	}{
		{0, "0"}, {float32(math.Copysign(0, -1)), "-0"}, {0.1, "0.1"}, {16777216, "16777216"}, {1e10, "10000000000"},
		{math.MaxFloat32, "3.4028235e+38"}, {math.SmallestNonzeroFloat32, "1e-45"}, {1.17549435e-38, "1.1754944e-38"},
		{3.4e38, "3.4e+38"}, {1e-7, "1e-7"}, {0.00024414062, "0.00024414062"}, // 2^-12: a tie, the even digit
	} {
		require.Equal(t, c.want, string(appendFloat32(nil, c.f)), "%g", c.f)
	}
}

// appendFloat64 takes its digits from strconv; they must be the digits the
// spec defines (shortest, then closest, then even), which shortestDigits
// computes from the exact value.
func TestFloat64DigitsAreShortestClosest(t *testing.T) {
	r := rand.New(rand.NewSource(1))
	check := func(x float64) {
		if math.IsNaN(x) || math.IsInf(x, 0) || x == 0 {
			return
		}
		d, n := shortestDigits(math.Abs(x), 780, func(v float64) bool { return v == math.Abs(x) })
		want := string(appendDecimal(nil, x < 0, d, n))
		require.Equal(t, want, string(appendFloat64(nil, x)), "%016x", math.Float64bits(x))
	}
	for i := 0; i < 3000; i++ {
		check(math.Float64frombits(r.Uint64()))
		check(float64(r.Int63n(1<<53)) * math.Pow(2, float64(r.Intn(40)-60)))
	}
	for _, x := range []float64{562949953421312.25, 562949953421312.75, 1125899906842624.25, 5e-324, math.MaxFloat64} {
		check(x)
	}
}

// float32 spellings read back, through float64, as the same float32, and
// are never longer than strconv's shortest.
func TestFloat32SpellingRoundTrips(t *testing.T) {
	r := rand.New(rand.NewSource(2))
	for i := 0; i < 20000; i++ {
		f := math.Float32frombits(r.Uint32())
		if i < 277 {
			f = float32(math.Ldexp(1, i-149)) // every power of two
		}
		if math.IsNaN(float64(f)) || math.IsInf(float64(f), 0) {
			continue
		}
		s := string(appendFloat32(nil, f))
		v, err := strconv.ParseFloat(s, 64)
		require.NoError(t, err)
		g, ok := toFloat32(v)
		require.True(t, ok)
		require.Equal(t, f, g, "%s", s)
		digits := func(s string) int {
			s, _, _ = strings.Cut(strings.TrimLeft(s, "-"), "e")
			return len(strings.Trim(strings.ReplaceAll(s, ".", ""), "0"))
		}
		require.LessOrEqual(t, digits(s), digits(strconv.FormatFloat(float64(f), 'e', -1, 32)), "%s", s)
		// strconv's 32-bit shortest rounds directly to float32 and breaks
		// ties its own way; elsewhere the two agree digit for digit.
		exact := strings.TrimRight(strings.ReplaceAll(strings.Split(strconv.FormatFloat(math.Abs(float64(f)), 'e', 112, 64), "e")[0], ".", ""), "0")
		if tie := len(exact) == digits(s)+1 && strings.HasSuffix(exact, "5"); !tie {
			g, _ := strconv.ParseFloat(strconv.FormatFloat(float64(f), 'e', -1, 32), 64)
			require.Equal(t, string(appendFloat64(nil, g)), s)
		}
	}
}

func TestToFloat32Bounds(t *testing.T) {
	_, ok := toFloat32(float32Overflow)
	require.False(t, ok)
	_, ok = toFloat32(-float32Overflow)
	require.False(t, ok)
	g, ok := toFloat32(math.Nextafter(float32Overflow, 0))
	require.True(t, ok)
	require.Equal(t, float32(math.MaxFloat32), g)
	g, ok = toFloat32(-math.Nextafter(float32Overflow, 0))
	require.True(t, ok)
	require.Equal(t, float32(-math.MaxFloat32), g)
	// Rounding through float64 first: 1+2^-24+2^-60 is above the float32
	// midpoint 1+2^-24, but its nearest float64 is the midpoint itself,
	// which ties to even: 1.
	m, err := parseTypedPayload([]byte(`{"map":{"f":{"float32":1.0000000596046447753906250000000000001}}}`), false)
	require.NoError(t, err)
	require.Equal(t, float32(1), m["f"])
	_, err = parseTypedPayload([]byte(`{"map":{"f":{"float32":3.4028235677973366e38}}}`), false)
	require.ErrorContains(t, err, "float32 range")
}

// gorilla/sessions' own TestFlashes saves a registered struct as a flash
// message (issue 14); with cookieseal as the codec and the struct given to
// Register, it comes back as the same type through a real CookieStore.
func TestGorillaFlashesWithRegisteredStruct(t *testing.T) {
	c := newTestCodec(t, newClock(t0), newSecrets(1)...)
	store := &sessions.CookieStore{Codecs: []securecookie.Codec{c}, Options: &sessions.Options{Path: "/", MaxAge: 3600, HttpOnly: true}}
	req := httptest.NewRequest("GET", "http://localhost/", nil)
	rec := httptest.NewRecorder()
	sess, err := store.Get(req, "session-key")
	require.NoError(t, err)
	sess.AddFlash(&flashMessage{Type: "info", Message: "foo"})
	sess.AddFlash(&flashMessage{Type: "warn", Message: "bar"}, "custom_key")
	require.NoError(t, sess.Save(req, rec))
	cookies := rec.Result().Cookies()
	require.Len(t, cookies, 1)

	req = httptest.NewRequest("GET", "http://localhost/", nil)
	req.AddCookie(cookies[0])
	sess, err = store.Get(req, "session-key")
	require.NoError(t, err)
	require.Equal(t, []any{&flashMessage{Type: "info", Message: "foo"}}, sess.Flashes())
	require.Equal(t, []any{&flashMessage{Type: "warn", Message: "bar"}}, sess.Flashes("custom_key"))
	require.Empty(t, sess.Flashes())
}
