package cookieseal

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// float64OverflowMidpoint is 2^1024 - 2^970, exactly midway between the
// largest binary64 and 2^1024, as a 309-digit integer: it rounds to infinity.
const float64OverflowMidpoint = "179769313486231580793728971405303415079934132710037826936173778980444968292764750946649017977587207096330286416692887910946555547851940402630657488671505820681908902000708383676273854845817711531764475730270069855571366959622842914819860834936475292719074168444365510704342711559699508093042880177904174497792"

// strictJSONCases are payloads and whether SPEC.md 5.3 accepts them.
var strictJSONCases = []struct {
	name string
	json string
	ok   bool
}{
	{"string", `"v"`, true},
	{"number", `-0.5e+3`, true},
	{"literals", `[true,false,null]`, true},
	{"empty object and array", `{"a":{},"b":[]}`, true},
	{"white space everywhere", " \t\r\n{ \"a\" :\t[ 1 , 2 ] ,\n\"b\" : null } \r\n", true},
	{"empty", ``, false},
	{"white space only", ` `, false},
	{"BOM", "\uFEFF{}", false},
	{"trailing value", `"v" "w"`, false},
	{"trailing garbage", `{}x`, false},
	{"trailing comma in array", `[1,]`, false},
	{"trailing comma in object", `{"a":1,}`, false},
	{"missing colon", `{"a" 1}`, false},
	{"unquoted name", `{a:1}`, false},
	{"truncated array", `[1`, false},
	{"truncated object", `{"a":1`, false},
	{"truncated name", `{"a`, false},
	{"bad literal", `tru`, false},
	{"bad literal null", `nul`, false},
	{"bad literal false", `fals`, false},
	{"single quotes", `'a'`, false},
	{"close without open", `]`, false},
	{"mismatched close", `[1}`, false},
	{"mismatched close object", `{"a":1]`, false},

	// UTF-8
	{"valid UTF-8", `"héllo 😀"`, true},
	{"U+FFFD literal", "\"\uFFFD\"", true},
	{"invalid byte in string", "\"a\xffb\"", false},
	{"lone continuation byte 0x80 in string", "\"\x80\"", false},
	{"overlong encoding", "\"\xc0\x80\"", false},
	{"surrogate encoded in UTF-8", "\"\xed\xa0\x80\"", false},
	{"truncated sequence", "\"\xe2\x82\"", false},
	{"invalid byte outside a string", "[\xff]", false},
	{"invalid UTF-8 in a name", "{\"\xff\":1}", false},

	// Escapes and control characters
	{"all simple escapes", `"\" \\ \/ \b \f \n \r \t"`, true},
	{"unicode escape", `"\u00e9\u0000"`, true},
	{"surrogate pair", `"\ud83d\ude00"`, true},
	{"surrogate pair upper-case hex", `"\uD83D\uDE00"`, true},
	{"lone high surrogate", `"\ud800"`, false},
	{"lone high surrogate then text", `"\ud800abcdef"`, false},
	{"lone low surrogate", `"\udc00"`, false},
	{"lone last low surrogate", `"\udfff"`, false},
	{"last code point before the surrogates", `"\ud7ff"`, true},
	{"first code point after the surrogates", `"\ue000"`, true},
	{"first surrogate pair", `"\ud800\udc00"`, true},
	{"last surrogate pair", `"\udbff\udfff"`, true},
	{"high surrogate then a backslash at the end", `"\ud800\`, false},
	{"reversed pair", `"\ude00\ud83d"`, false},
	{"high then non-surrogate escape", `"\ud800\u0041"`, false},
	{"high then high", `"\ud800\ud800"`, false},
	{"high at the end", `"\ud800`, false},
	{"invalid escape", `"\x41"`, false},
	{"short unicode escape", `"\u12"`, false},
	{"non-hex unicode escape", `"\u12g4"`, false},
	{"hex digits at every bound", `"\u0009\u000a\u000f\u000A\u000F\u0000"`, true},
	{"hex digit below 0", `"\u000/"`, false},
	{"hex digit above 9", `"\u000:"`, false},
	{"hex digit below lower-case a", "\"\\u000`\"", false},
	{"hex digit above lower-case f", `"\u000g"`, false},
	{"hex digit below upper-case A", `"\u000@"`, false},
	{"hex digit above upper-case F", `"\u000G"`, false},
	{"backslash at the end", `"\`, false},
	{"raw NUL", "\"\x00\"", false},
	{"raw tab", "\"\t\"", false},
	{"raw U+001F", "\"\x1f\"", false},
	{"raw DEL", "\"\x7f\"", true},
	{"unterminated", `"abc`, false},

	// Duplicate names
	{"duplicate names", `{"a":1,"a":2}`, false},
	{"duplicate after unescaping", `{"a":1,"\u0061":2}`, false},
	{"duplicate both escaped", `{"\u0061":1,"\u0061":2}`, false},
	{"duplicate via surrogate pair", `{"😀":1,"\ud83d\ude00":2}`, false},
	{"duplicate via the first surrogate pair", "{\"\U00010000\":1,\"\\ud800\\udc00\":2}", false},
	{"duplicate via the last surrogate pair", "{\"\U0010FFFF\":1,\"\\udbff\\udfff\":2}", false},
	{"duplicate via escaped slash", `{"/":1,"\/":2}`, false},
	{"duplicate in a nested object", `{"a":{"b":1,"b":1}}`, false},
	{"same name in sibling objects", `[{"a":1},{"a":2}]`, true},
	{"same name at two depths", `{"a":{"a":1}}`, true},
	{"names differing by normalization", "{\"\u00e9\":1,\"e\u0301\":2}", true},
	{"prefix names", `{"a":1,"ab":2,"\u0061b\u0063":3}`, true},
	{"name differs from a longer escaped one", `{"ab":1,"\u0061":2}`, true},
	{"name differs from a shorter escaped one", `{"\u0061":1,"ab":2}`, true},
	{"duplicate via escaped backspace", `{"\b":1,"\u0008":2}`, false},
	{"duplicate via escaped form feed", `{"\f":1,"\u000c":2}`, false},
	{"duplicate via escaped newline", `{"\n":1,"\u000a":2}`, false},
	{"duplicate via escaped carriage return", `{"\r":1,"\u000d":2}`, false},
	{"duplicate via escaped tab", `{"\t":1,"\u0009":2}`, false},
	{"duplicate via escaped quote", `{"\"":1,"\u0022":2}`, false},
	{"duplicate via escaped backslash", `{"\\":1,"\u005c":2}`, false},
	{"simple escapes then distinct text", `{"\b\f\n\r\tx":1,"\u0008\u000c\u000a\u000d\u0009y":2}`, true},
	{"duplicate via upper- and lower-case hex", `{"\u00C9":1,"\u00c9":2}`, false},
	{"escaped names differ after a surrogate pair", `{"\ud83d\ude00a":1,"\ud83d\ude00b":2}`, true},

	// Numbers
	{"zero", `0`, true},
	{"negative zero", `-0`, true},
	{"leading zero", `01`, false},
	{"negative leading zero", `-01`, false},
	{"plus sign", `+1`, false},
	{"bare fraction", `.5`, false},
	{"trailing dot", `1.`, false},
	{"dot exponent", `1.e5`, false},
	{"empty exponent", `1e`, false},
	{"exponent sign only", `1e+`, false},
	{"minus only", `-`, false},
	{"NaN", `NaN`, false},
	{"Infinity", `Infinity`, false},
	{"minus Infinity", `-Infinity`, false},
	{"hex", `0x10`, false},
	{"largest double", `1.7976931348623157e308`, true},
	{"rounds down to the largest double", `1.7976931348623158e308`, true},
	{"rounds to infinity", `1.7976931348623159e308`, false},
	{"1e308", `1e308`, true},
	{"1e309", `1e309`, false},
	{"1e400", `1e400`, false},
	{"minus 1e400", `-1e400`, false},
	{"1E400 upper case", `[1E400]`, false},
	{"underflow is zero", `1e-400`, true},
	{"huge negative exponent", `1e-99999999999999999999`, true},
	{"huge exponent", `1e99999999999999999999`, false},
	{"zero with a huge exponent", `0e99999999999999999999`, true},
	{"308-digit integer", "1" + strings.Repeat("0", 307), true},
	{"309-digit integer", "1" + strings.Repeat("0", 308), true},
	{"310-digit integer", "1" + strings.Repeat("0", 309), false},
	{"309-digit integer over the largest double", "2" + strings.Repeat("0", 308), false},
	{"309-digit negative integer over the largest double", "-2" + strings.Repeat("0", 308), false},
	{"integer midway between the largest double and 2^1024 (ties to even: infinity)", float64OverflowMidpoint, false},
	{"integer just below that midpoint", float64OverflowMidpoint[:308] + "1", true},
	{"400-digit integer", strings.Repeat("9", 400), false},
	{"long integer, small value after the point", "0." + strings.Repeat("9", 400), true},
	{"200 digits, exponent 99", "1" + strings.Repeat("0", 199) + "e99", true},
	{"200 digits, exponent 109", "1" + strings.Repeat("0", 199) + "e109", true},
	{"200 digits, exponent 110", "1" + strings.Repeat("0", 199) + "e110", false},
	{"300 digits, exponent 10", "1" + strings.Repeat("0", 299) + "e10", false},
	{"300 digits, exponent 8", "1" + strings.Repeat("0", 299) + "e8", true},
	{"20-digit integer", `123456789012345678901`, true},

	// Depth
	{"depth 512 arrays", strings.Repeat("[", 512) + strings.Repeat("]", 512), true},
	{"depth 513 arrays", strings.Repeat("[", 513) + strings.Repeat("]", 513), false},
	{"depth 512 objects", strings.Repeat(`{"a":`, 511) + "{}" + strings.Repeat("}", 511), true},
	{"depth 513 objects", strings.Repeat(`{"a":`, 512) + "{}" + strings.Repeat("}", 512), false},
	{"depth 512 mixed", strings.Repeat(`[{"a":`, 256) + "0" + strings.Repeat("}]", 256), true},
	{"depth 514 mixed", strings.Repeat(`[{"a":`, 257) + "0" + strings.Repeat("}]", 257), false},
	{"depth 100000", strings.Repeat("[", 100000), false},
}

func TestCheckJSON(t *testing.T) {
	for _, tc := range strictJSONCases {
		t.Run(tc.name, func(t *testing.T) {
			err := checkJSON([]byte(tc.json))
			if tc.ok {
				assert.NoError(t, err)
				assert.True(t, json.Valid([]byte(tc.json)), "strict JSON is JSON")
			} else {
				assert.Error(t, err)
			}
		})
	}
}

// Objects past smallObject members are checked for duplicates by sorting:
// a duplicate anywhere among many names is found, and distinct names pass.
func TestCheckJSONLargeObjects(t *testing.T) {
	for _, n := range []int{smallObject - 1, smallObject, smallObject + 1, 40, 1000} {
		var b strings.Builder
		b.WriteString("{")
		for i := range n {
			if i > 0 {
				b.WriteString(",")
			}
			fmt.Fprintf(&b, `"k%d":%d`, i, i)
		}
		distinct := b.String() + "}"
		assert.NoError(t, checkJSON([]byte(distinct)), "%d distinct names", n)
		for _, dup := range []string{`,"k0":0}`, fmt.Sprintf(`,"k%d":0}`, n-1), `,"\u006b0":0}`} {
			assert.Error(t, checkJSON([]byte(b.String()+dup)), "%d names then %s", n, dup)
		}
		// Nested objects keep their own names: the same names one level down
		// are no duplicates, and the outer object still finds its own.
		nested := `{"inner":` + distinct + `,` + distinct[1:len(distinct)-1] + `}`
		assert.NoError(t, checkJSON([]byte(nested)), "%d names nested", n)
		assert.Error(t, checkJSON([]byte(`{"inner":`+distinct+`,"inner":1}`)), "%d names nested, outer duplicate", n)
	}
}

func TestCheckJSONErrorsDoNotQuoteThePayload(t *testing.T) {
	err := checkJSON([]byte(`{"secret-token":1,"secret-token":2}`))
	require.Error(t, err)
	assert.NotContains(t, err.Error(), "secret-token")
	assert.Contains(t, err.Error(), "duplicate member name")
}

func TestCheckJSONDoesNotAllocate(t *testing.T) {
	small, _, _ := benchValuesInternal()
	for _, p := range [][]byte{small, []byte(`{"a":[1,2.5e3,"\u00e9\ud83d\ude00",{"b":null}]}`)} {
		require.NoError(t, checkJSON(p))
		assert.Zero(t, testing.AllocsPerRun(100, func() { _ = checkJSON(p) }), "%s", p)
	}
}

// benchValuesInternal is the benchmarks' 279-byte session as JSON.
func benchValuesInternal() ([]byte, any, any) {
	return []byte(`{"user_id":4815162342,"email":"ada.lovelace@analytical-engine.example","roles":["admin","editor"],"csrf_token":"3q2-7wAAAAAB8w6XUM4tNOl1cVm0fJ2xZnHpJp9nCQ4","flashes":["All saved.","Two-factor auth is on!"],"prefs":{"theme":"dark","language":"en-GB","time_zone":"Europe/London"}}`), nil, nil
}

// Every Decode destination refuses what checkJSON refuses, with ErrInvalid,
// and leaves dst as it was; the same payloads open when they are strict.
func TestDecodeStrictOnEveryPath(t *testing.T) {
	c := newTestCodec(t, newClock(t0), newSecrets(1)...)
	type flash struct {
		A int `json:"a"`
	}
	refused := map[string]string{
		"duplicate names":   `{"a":1,"a":2}`,
		"invalid UTF-8":     "{\"a\":\"\xff\"}",
		"lone surrogate":    `{"a":"\ud800"}`,
		"1e400":             `{"a":1e400}`,
		"too deep":          `{"a":` + strings.Repeat("[", 512) + strings.Repeat("]", 512) + `}`,
		"BOM":               "\uFEFF{\"a\":1}",
		"raw control":       "{\"a\":\"\x01\"}",
		"trailing value":    `{"a":1} {}`,
		"duplicate escaped": `{"a":1,"\u0061":2}`,
	}
	dsts := map[string]func() (any, func() any){
		"*json.RawMessage": func() (any, func() any) {
			d := json.RawMessage("untouched")
			return &d, func() any { return string(d) }
		},
		"*any": func() (any, func() any) {
			var d any = "untouched"
			return &d, func() any { return d }
		},
		"*map[any]any": func() (any, func() any) {
			d := map[any]any{"untouched": true}
			return &d, func() any { return d }
		},
		"*map[string]any": func() (any, func() any) {
			d := map[string]any{"untouched": true}
			return &d, func() any { return d }
		},
		"*struct": func() (any, func() any) {
			d := flash{A: 7}
			return &d, func() any { return d }
		},
	}
	for name, payload := range refused {
		cookie := sealRaw(t, c, "s", 0, t0.Unix(), []byte(payload))
		zipped := sealRaw(t, c, "s", flagDeflate, t0.Unix(), deflate(nil, []byte(payload)))
		for dname, mk := range dsts {
			for _, ck := range []string{cookie, zipped} {
				dst, get := mk()
				before := fmt.Sprint(get())
				requireClass(t, c.Decode("s", ck, dst), ErrInvalid)
				assert.Equal(t, before, fmt.Sprint(get()), "%s into %s", name, dname)
			}
		}
	}
	// The Cookies helpers decode through the codec too.
	s := newTestCookies(t, Config{Now: newClock(t0).Now}, CookieOptions{})
	full, err := s.fullName("s")
	require.NoError(t, err)
	for _, p := range []string{`{"a":1,"a":2}`, `{"a":1}`} {
		req := httptest.NewRequest(http.MethodGet, "https://127.0.0.1/", nil)
		req.AddCookie(&http.Cookie{Name: full, Value: sealRaw(t, s.codec, full, 0, t0.Unix(), []byte(p))})
		var m map[string]any
		_, err = s.Read(req, "s", &m)
		if p == `{"a":1}` {
			assert.NoError(t, err)
		} else {
			requireClass(t, err, ErrInvalid)
		}
	}

	// A strict payload opens into each of them.
	ok := sealRaw(t, c, "s", 0, t0.Unix(), []byte(`{"a":1}`))
	for dname, mk := range dsts {
		dst, _ := mk()
		assert.NoError(t, c.Decode("s", ok, dst), dname)
	}
}

// A typed cookie opened as plain JSON is checked as typed values too.
func TestDecodeRawChecksTypedForm(t *testing.T) {
	c := newTestCodec(t, newClock(t0), newSecrets(1)...)
	for _, payload := range []string{
		`{"map":{"n":1.5}}`,          // a bare non-integer number
		`{"map":{"n":{"int8":300}}}`, // out of range
		`{"object":{}}`,              // not a map tag
		`[1]`,                        // not a tag at all
		`{"map":{"t":{"nope":1}}}`,
	} {
		cookie := sealRaw(t, c, "s", flagTyped, t0.Unix(), []byte(payload))
		raw := json.RawMessage("untouched")
		requireClass(t, c.Decode("s", cookie, &raw), ErrInvalid)
		assert.Equal(t, "untouched", string(raw), payload)
		var v any = "untouched"
		requireClass(t, c.Decode("s", cookie, &v), ErrInvalid)
		assert.Equal(t, "untouched", v, payload)
	}
	good := sealRaw(t, c, "s", flagTyped, t0.Unix(), []byte(`{"map":{"n":1}}`))
	var raw json.RawMessage
	require.NoError(t, c.Decode("s", good, &raw))
	assert.Equal(t, `{"map":{"n":1}}`, string(raw))
}

type rawMarshaler string

func (r rawMarshaler) MarshalJSON() ([]byte, error) { return []byte(r), nil }

// Encode refuses to seal what Decode would refuse.
func TestEncodeRefusesNonStrictJSON(t *testing.T) {
	c := newTestCodec(t, newClock(t0), newSecrets(1)...)
	for _, v := range []any{
		json.RawMessage(`{"a":1,"a":2}`),
		rawMarshaler(`{"a":"\ud800"}`),
		rawMarshaler(`1e400`),
		json.RawMessage(strings.Repeat("[", 513) + strings.Repeat("]", 513)),
		deepSlice(513),
	} {
		s, err := c.Encode("s", v)
		assert.Error(t, err, "%.40v", v)
		assert.Empty(t, s)
	}
	s, err := c.Encode("s", deepSlice(512))
	require.NoError(t, err)
	var back any
	require.NoError(t, c.Decode("s", s, &back))
}

// deepSlice is n nested []any, the innermost empty.
func deepSlice(n int) any {
	var v any = []any{}
	for range n - 1 {
		v = []any{v}
	}
	return v
}

// FuzzCheckJSON: checkJSON never panics, accepts only what encoding/json
// accepts, and accepts nothing with invalid UTF-8.
func FuzzCheckJSON(f *testing.F) {
	for _, tc := range strictJSONCases {
		if len(tc.json) < 2000 {
			f.Add([]byte(tc.json))
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		if checkJSON(data) != nil {
			return
		}
		if !json.Valid(data) {
			t.Fatalf("checkJSON accepted %q, which encoding/json refuses", data)
		}
		if !utf8.Valid(data) {
			t.Fatalf("checkJSON accepted invalid UTF-8 %q", data)
		}
	})
}

// BenchmarkCheckJSON is the strict check's own cost on the benchmarks'
// 279-byte session (BenchmarkCodec/size=small decodes it).
func BenchmarkCheckJSON(b *testing.B) {
	small, _, _ := benchValuesInternal()
	b.SetBytes(int64(len(small)))
	b.ReportAllocs()
	for b.Loop() {
		if err := checkJSON(small); err != nil {
			b.Fatal(err)
		}
	}
}

// compareNames orders names by the code points of their values, escaped or
// not, a prefix first: large objects find duplicates by sorting with it, so
// its sign matters as much as its zero.
func TestCompareNamesOrdersByCodePoint(t *testing.T) {
	name := func(lit string) ([]byte, jsonName) {
		end, escaped, err := scanString([]byte(lit), 0)
		require.NoError(t, err, lit)
		return []byte(lit), jsonName{1, int32(end - 1), escaped}
	}
	for _, tc := range []struct {
		a, b string
		want int
	}{
		{`"a"`, `"a"`, 0},
		{`"\u0061"`, `"a"`, 0},
		{`"\u0061"`, `"a!"`, -1}, // a prefix first, even before a byte below '"'
		{`"a!"`, `"\u0061"`, 1},
		{`"\u0061 "`, `"a"`, 1},
		{`"a"`, `"\u0061 "`, -1},
		{`"\u0061"`, `"b"`, -1},
		{`"b"`, `"\u0061"`, 1},
		{`"\n"`, `"\t"`, 1},
		{`"\t"`, `"\n"`, -1},
		{`"\uffff"`, `"\ud800\udc00"`, -1}, // U+FFFF < U+10000
		{`"\ud800\udc00"`, `"\uffff"`, 1},
		{`"\u00e9"`, "\"\u00e9\"", 0},
		{`"\u00e9"`, "\"\u00ea\"", -1},
	} {
		da, na := name(tc.a)
		db, nb := name(tc.b)
		data := append(da, db...)
		nb.start += int32(len(da))
		nb.end += int32(len(da))
		assert.Equal(t, tc.want, compareNames(data, na, nb), "%s vs %s", tc.a, tc.b)
	}
}
