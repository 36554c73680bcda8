package cookieseal

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/require"
)

// testdata/conformance/values.json: the typed-values cases of the
// conformance suite (SPEC.md section 6). Regenerate with
//
//	go test -run TestConformanceValues -update .
//
// Every case is an authentic cookie sealed by a test-only sealer of
// arbitrary bodies, so each invalid case fails for the typed-form reason it
// names, not at authentication.

const (
	confValuesSecret = "cookieseal-conformance-values-secret-PUBLIC-never-use"
	confValuesName   = "session"
	confValuesNow    = 1795700000
	confValuesPath   = "testdata/conformance/values.json"
)

type valuesConfFile struct {
	Suite       string           `json:"suite"`
	Format      int              `json:"format"`
	Description string           `json:"description"`
	Cases       []valuesConfCase `json:"cases"`
}

type valuesConfSeal struct {
	IssuedAt  int64  `json:"issued_at"`
	CreatedAt int64  `json:"created_at"`
	Flags     byte   `json:"flags"`
	Nonce     string `json:"nonce"`
	Body      string `json:"body"`
}

type valuesConfCase struct {
	ID          string          `json:"id"`
	Spec        string          `json:"spec"`
	Description string          `json:"description"`
	Secrets     []string        `json:"secrets"`
	Name        string          `json:"name"`
	Now         int64           `json:"now"`
	OpenAs      string          `json:"open_as"`
	Cookie      string          `json:"cookie"`
	Result      string          `json:"result"`
	Payload     *string         `json:"payload,omitempty"`
	IssuedAt    *int64          `json:"issued_at,omitempty"`
	CreatedAt   *int64          `json:"created_at,omitempty"`
	KeyID       string          `json:"key_id,omitempty"`
	Flags       *byte           `json:"flags,omitempty"`
	Values      *string         `json:"values,omitempty"`
	Seal        *valuesConfSeal `json:"seal,omitempty"`
}

// sealBody is the test-only low-level sealer: any flags, any body (the
// bytes after the issued-at, DEFLATE bytes when flag 0x01 is set).
func sealBody(t testing.TB, secret, name string, flags byte, nonce []byte, issuedAt int64, body []byte) string {
	t.Helper()
	r, err := newKeyring([]string{secret}, nil)
	require.NoError(t, err)
	k := r.keys[0]
	hdr := []byte{version1, 0, 0, 0, 0, flags}
	binary.BigEndian.PutUint32(hdr[1:5], uint32(k.id))
	pt := binary.BigEndian.AppendUint64(nil, uint64(issuedAt))
	pt = append(pt, body...)
	out := append(append(hdr[:headerSize:headerSize], nonce...), k.aead.Seal(nil, nonce, pt, appendAdditionalData(nil, hdr, name))...)
	return base64.RawURLEncoding.EncodeToString(out)
}

type valuesCase struct {
	id, spec, desc string
	flags          byte   // flagTyped unless a plain case
	payload        string // the JSON sealed
	want           string // ok: the canonical values; "" for invalid
	asJSON         bool   // invalid typed: also a case opened as JSON
}

func valuesCases() []valuesCase {
	var cs []valuesCase
	ok := func(id, spec, desc, payload, want string) {
		cs = append(cs, valuesCase{id: "values/ok/" + id, spec: spec, desc: desc, flags: flagTyped, payload: payload, want: want})
	}
	bad := func(id, spec, desc, payload string) {
		cs = append(cs, valuesCase{id: "values/invalid/" + id, spec: spec, desc: desc, flags: flagTyped, payload: payload, asJSON: true})
	}
	m := func(body string) string { return `{"map":{"v":` + body + `}}` }

	// 6.1 structure, scalars, canonical form.
	ok("scalars", "6.1", "bare null, booleans, strings and ints; members sorted",
		`{"map":{"z":null,"t":true,"f":false,"s":"x","n":-42,"0":0}}`, `{"map":{"0":0,"f":false,"n":-42,"s":"x","t":true,"z":null}}`)
	ok("white-space", "6.8", "white space between tokens is allowed and not kept",
		" \t{ \"map\" :\n{ \"a\" : [ 1 , { \"int8\" : -1 } ] }\r} ", `{"map":{"a":[1,{"int8":-1}]}}`)
	ok("int-bounds", "6.1", "a bare int is 64-bit", m(`[9223372036854775807,-9223372036854775808]`), m(`[9223372036854775807,-9223372036854775808]`))
	ok("sized-int-bounds", "6.3", "every sized integer at its bounds",
		m(`[{"int8":-128},{"int8":127},{"int16":-32768},{"int16":32767},{"int32":-2147483648},{"int32":2147483647},{"int64":-9223372036854775808},{"int64":9223372036854775807},`+
			`{"uint":0},{"uint":18446744073709551615},{"uint8":255},{"uint16":65535},{"uint32":4294967295},{"uint64":18446744073709551615}]`),
		m(`[{"int8":-128},{"int8":127},{"int16":-32768},{"int16":32767},{"int32":-2147483648},{"int32":2147483647},{"int64":-9223372036854775808},{"int64":9223372036854775807},`+
			`{"uint":0},{"uint":18446744073709551615},{"uint8":255},{"uint16":65535},{"uint32":4294967295},{"uint64":18446744073709551615}]`))
	ok("whole-payload-nil-map", "6.6", "the whole payload may be the nil map", `{"map":null}`, `{"map":null}`)
	ok("empty-map-pair-form", "6.4", "an empty pair form is the empty map, written in the object form", `{"map":[]}`, `{"map":{}}`)

	// 6.2 floats: parse then canonical spelling.
	for _, f := range [][3]string{
		{"one", "1", "1"}, {"one-point-zero", "1.0", "1"}, {"neg-zero", "-0", "-0"}, {"neg-zero-fraction", "-0.0", "-0"}, {"zero-exp", "0e5", "0"},
		{"tenth", "0.1", "0.1"}, {"hundred", "1E2", "100"}, {"1e20", "1e20", "100000000000000000000"}, {"1e21", "1e21", "1e+21"},
		{"1.5e21", "15e20", "1.5e+21"}, {"big-int-digits", "123456789012345678901", "123456789012345680000"},
		{"1e-6", "1e-6", "0.000001"}, {"1.5e-6", "0.0000015", "0.0000015"}, {"1e-7", "0.0000001", "1e-7"}, {"neg-1.25e-7", "-1.25E-7", "-1.25e-7"},
		{"min-subnormal", "5e-324", "5e-324"}, {"min-subnormal-long", "4.9406564584124654e-324", "5e-324"}, {"underflow", "1e-400", "0"}, {"neg-underflow", "-1e-400", "-0"},
		{"max", "1.7976931348623157e308", "1.7976931348623157e+308"}, {"min-normal", "2.2250738585072014E-308", "2.2250738585072014e-308"},
		{"2^53+1", "9007199254740993", "9007199254740992"}, {"point-three", "0.30000000000000004", "0.30000000000000004"},
		{"tie-even-down", "562949953421312.25", "562949953421312.2"}, {"tie-even-up", "562949953421312.75", "562949953421312.8"},
		{"1e300", "1e+300", "1e+300"}, {"123e-20", "123e-20", "1.23e-18"},
	} {
		ok("float64/"+f[0], "6.2", "float64 "+f[1]+" is written "+f[2], m(`{"float64":`+f[1]+`}`), m(`{"float64":`+f[2]+`}`))
	}
	for _, f := range [][3]string{
		{"tenth", "0.1", "0.1"}, {"max", "3.4028235e38", "3.4028235e+38"}, {"below-overflow", "3.4028235677973362e38", "3.4028235e+38"},
		{"min-subnormal", "1e-45", "1e-45"}, {"rounds-to-min-subnormal", "8e-46", "1e-45"}, {"rounds-to-zero", "7e-46", "0"},
		{"tie-even", "0.000244140625", "0.00024414062"}, {"2^24+1", "16777217", "16777216"}, {"1e10", "1e10", "10000000000"},
		{"double-rounding", "1.0000000596046447753906250000000000001", "1"}, {"above-midpoint", "1.00000006", "1.0000001"},
		{"neg-zero", "-0", "-0"}, {"1e-7", "1e-7", "1e-7"}, {"min-normal", "1.17549435e-38", "1.1754944e-38"},
	} {
		ok("float32/"+f[0], "6.2", "float32 "+f[1]+" is written "+f[2], m(`{"float32":`+f[1]+`}`), m(`{"float32":`+f[2]+`}`))
	}
	ok("float64s", "6.3", "a float64 list", m(`{"float64s":[1.0,-0,1e21,0.1]}`), m(`{"float64s":[1,-0,1e+21,0.1]}`))

	// 6.2 strings.
	ok("string-escapes", "6.2", "escapes are undone and written canonically",
		m(`"\u0041\/\"\\\b\f\n\r\t\u0001\u001F\u007f\u2028\u00e9\ud83d\ude00`+"\u007f\u2028é😀"+`"`),
		m(`"A/\"\\\b\f\n\r\t\u0001\u001f`+"\u007f\u2028é😀\u007f\u2028é😀"+`"`))
	ok("sorted-non-ascii", "6.4", "object-form keys sorted by UTF-8 bytes (U+E000 before U+1F600, unlike UTF-16)",
		`{"map":{"😀":1,"\ue000":2,"é":3,"b":4,"aa":5,"a":6,"A":7,"":8,"\u007f":9}}`,
		`{"map":{"":8,"A":7,"a":6,"aa":5,"b":4,"`+"\u007f"+`":9,"é":3,"`+"\ue000"+`":2,"😀":1}}`)
	ok("object-sorted", "6.8", "object, stringmap and intmap members sorted too",
		m(`[{"object":{"b":1,"a":{"object":{"d":2,"c":3}}}},{"stringmap":{"y":"1","x":"2"}},{"intmap":{"q":1,"p":-2}}]`),
		m(`[{"object":{"a":{"object":{"c":3,"d":2}},"b":1}},{"stringmap":{"x":"2","y":"1"}},{"intmap":{"p":-2,"q":1}}]`))

	// 6.4 pair form.
	ok("pair-keys", "6.4", "a key of every scalar type; pairs sorted by the bytes of the canonical key",
		`{"map":[[{"time":"2026-01-01T00:00:00.000+00:00"},"time"],[{"duration":-5},"duration"],[{"float32":0.5},"float32"],[{"float64":1.0},"float64"],`+
			`[{"uint64":18446744073709551615},"uint64"],[{"uint32":7},"uint32"],[{"uint16":7},"uint16"],[{"uint8":7},"uint8"],[{"uint":7},"uint"],`+
			`[{"int64":-7},"int64"],[{"int32":-7},"int32"],[{"int16":-7},"int16"],[{"int8":-7},"int8"],[-1,"neg"],[10,"ten"],[2,"two"],["s","string"],["","empty"],[true,"true"],[false,"false"],[null,"null"]]}`,
		`{"map":[["","empty"],["s","string"],[-1,"neg"],[10,"ten"],[2,"two"],[false,"false"],[null,"null"],[true,"true"],[{"duration":-5},"duration"],[{"float32":0.5},"float32"],[{"float64":1},"float64"],`+
			`[{"int16":-7},"int16"],[{"int32":-7},"int32"],[{"int64":-7},"int64"],[{"int8":-7},"int8"],[{"time":"2026-01-01T00:00:00Z"},"time"],`+
			`[{"uint":7},"uint"],[{"uint16":7},"uint16"],[{"uint32":7},"uint32"],[{"uint64":18446744073709551615},"uint64"],[{"uint8":7},"uint8"]]}`)
	ok("pair-form-string-keys", "6.4", "a pair form whose keys are all strings is written in the object form",
		`{"map":[["b",1],["a",2]]}`, `{"map":{"a":2,"b":1}}`)
	ok("pair-distinct-types", "6.4", "1, int64 1, uint 1, float64 1, float32 1 and duration 1 are six different keys",
		`{"map":[[1,"a"],[{"int64":1},"b"],[{"uint":1},"c"],[{"float64":1},"d"],[{"float32":1},"e"],[{"duration":1},"f"]]}`,
		`{"map":[[1,"a"],[{"duration":1},"f"],[{"float32":1},"e"],[{"float64":1},"d"],[{"int64":1},"b"],[{"uint":1},"c"]]}`)
	ok("pair-time-year-0-leap-day", "6.4", "0000-02-29 and 0000-03-01 are two instants, so two keys (year 0000 is a leap year; JavaScript's Date.UTC maps year 0 to 1900, which is not)",
		`{"map":[[{"time":"0000-03-01T00:00:00Z"},2],[{"time":"0000-02-29T00:00:00Z"},1]]}`,
		`{"map":[[{"time":"0000-02-29T00:00:00Z"},1],[{"time":"0000-03-01T00:00:00Z"},2]]}`)
	ok("pair-time-offsets", "6.4", "one instant at two offsets is two keys",
		`{"map":[[{"time":"2026-01-01T01:00:00+01:00"},1],[{"time":"2026-01-01T00:00:00Z"},2]]}`,
		`{"map":[[{"time":"2026-01-01T00:00:00Z"},2],[{"time":"2026-01-01T01:00:00+01:00"},1]]}`)
	ok("nested-maps", "6.4", "maps inside lists inside maps",
		`{"map":{"l":[{"map":[[1,{"map":{"x":[]}}]]},{"map":{}}]}}`, `{"map":{"l":[{"map":[[1,{"map":{"x":[]}}]]},{"map":{}}]}}`)

	// 6.5 time.
	for _, tc := range [][3]string{
		{"utc", "2026-11-27T17:00:00Z", "2026-11-27T17:00:00Z"},
		{"plus-zero", "2026-11-27T17:00:00+00:00", "2026-11-27T17:00:00Z"},
		{"minus-zero", "2026-11-27T17:00:00-00:00", "2026-11-27T17:00:00Z"},
		{"fraction-trimmed", "2026-11-27T17:00:00.500000000+05:30", "2026-11-27T17:00:00.5+05:30"},
		{"fraction-zero", "2026-11-27T17:00:00.0-08:00", "2026-11-27T17:00:00-08:00"},
		{"nanosecond", "2026-11-27T17:00:00.000000001Z", "2026-11-27T17:00:00.000000001Z"},
		{"year-0-max-offset", "0000-01-01T00:00:00+23:59", "0000-01-01T00:00:00+23:59"},
		{"year-9999-min-offset", "9999-12-31T23:59:59.999999999-23:59", "9999-12-31T23:59:59.999999999-23:59"},
		{"leap-day-2024", "2024-02-29T12:00:00Z", "2024-02-29T12:00:00Z"},
		{"leap-day-2000", "2000-02-29T12:00:00Z", "2000-02-29T12:00:00Z"},
		{"leap-day-year-0", "0000-02-29T00:00:00Z", "0000-02-29T00:00:00Z"},
		{"month-ends", "2026-02-28T23:59:59Z", "2026-02-28T23:59:59Z"},
		{"january-31", "2026-01-31T00:00:00+00:01", "2026-01-31T00:00:00+00:01"},
		{"september-30", "2026-09-30T00:00:00-00:01", "2026-09-30T00:00:00-00:01"},
	} {
		ok("time/"+tc[0], "6.5", "time "+tc[1], m(`{"time":"`+tc[1]+`"}`), m(`{"time":"`+tc[2]+`"}`))
	}

	// 6.3 other tags.
	ok("bytes", "6.3", "bytes: empty, one, two, three bytes, + and /",
		m(`[{"bytes":""},{"bytes":"AA=="},{"bytes":"AAE="},{"bytes":"AAEC"},{"bytes":"+/+/"}]`), m(`[{"bytes":""},{"bytes":"AA=="},{"bytes":"AAE="},{"bytes":"AAEC"},{"bytes":"+/+/"}]`))
	ok("duration", "6.3", "durations at their bounds", m(`[{"duration":0},{"duration":-1},{"duration":9223372036854775807},{"duration":-9223372036854775808}]`),
		m(`[{"duration":0},{"duration":-1},{"duration":9223372036854775807},{"duration":-9223372036854775808}]`))
	ok("lists", "6.3", "strings and ints", m(`[{"strings":["a",""]},{"ints":[1,-9223372036854775808]},{"strings":[]},{"ints":[]}]`),
		m(`[{"strings":["a",""]},{"ints":[1,-9223372036854775808]},{"strings":[]},{"ints":[]}]`))

	// 6.6 nil forms.
	ok("nil-forms", "6.6", "every null body",
		m(`[{"map":null},{"object":null},{"array":null},{"strings":null},{"ints":null},{"float64s":null},{"stringmap":null},{"intmap":null},{"bytes":null},null]`),
		m(`[{"map":null},{"object":null},{"array":null},{"strings":null},{"ints":null},{"float64s":null},{"stringmap":null},{"intmap":null},{"bytes":null},null]`))
	ok("empty-forms", "6.6", "empty values are not nil",
		m(`[[],{"map":{}},{"object":{}},{"strings":[]},{"ints":[]},{"float64s":[]},{"stringmap":{}},{"intmap":{}},{"bytes":""}]`),
		m(`[[],{"map":{}},{"object":{}},{"strings":[]},{"ints":[]},{"float64s":[]},{"stringmap":{}},{"intmap":{}},{"bytes":""}]`))

	// 6.7 named.
	ok("named", "6.7", "a named value's JSON is kept as written, without white space",
		m(`{"named":["main.Flash", { "type" : "info", "message":"\u003chi\u003e", "n": 1.50, "big": 123456789012345678901234567890 } ]}`),
		m(`{"named":["main.Flash",{"type":"info","message":"\u003chi\u003e","n":1.50,"big":123456789012345678901234567890}]}`))
	ok("named-null", "6.7", "a named nil pointer", m(`{"named":["main.Flash",null]}`), m(`{"named":["main.Flash",null]}`))
	ok("named-name-canonical", "6.7", "a named value's name, and the tag itself, written with escapes: the name is re-encoded as section 6.2 writes strings, the value's text is kept",
		m(`{"na\u006ded":["main.\u0046lash\u00e9\/",{"a\u0062":"\u0063"}]}`), m(`{"named":["main.Flashé/",{"a\u0062":"\u0063"}]}`))

	// 6.1 depth.
	ok("depth-512", "6.1", "512 levels: the tag, its body and a list 510 deep",
		m(strings.Repeat("[", 510)+strings.Repeat("]", 510)), m(strings.Repeat("[", 510)+strings.Repeat("]", 510)))

	// Invalid forms.
	for _, b := range [][2]string{
		{"object-top", `{"object":{}}`}, {"list-top", `[{"map":{}}]`}, {"string-top", `"s"`}, {"int-top", `1`}, {"null-top", `null`},
		{"empty-object-top", `{}`}, {"two-members-top", `{"map":{},"x":1}`}, {"trailing-data", `{"map":{}} x`}, {"second-value", `{"map":{}}{}`},
		{"map-tag-case", `{"Map":{}}`},
	} {
		bad("top/"+b[0], "6.1", "the payload must be exactly one map tag", b[1])
	}
	for _, b := range [][2]string{
		{"unknown-tag", `{"nope":1}`}, {"empty-tag-object", `{}`}, {"two-member-tag-object", `{"int8":1,"int16":2}`},
		{"bare-float", `1.5`}, {"bare-exponent", `1e3`}, {"bare-neg-zero", `-0`}, {"bare-one-point-zero", `1.0`},
		{"bare-int-over", `9223372036854775808`}, {"bare-int-under", `-9223372036854775809`},
		{"int8-over", `{"int8":128}`}, {"int8-under", `{"int8":-129}`}, {"int16-over", `{"int16":32768}`}, {"int32-over", `{"int32":2147483648}`},
		{"int64-over", `{"int64":9223372036854775808}`}, {"uint-negative", `{"uint":-1}`}, {"uint8-over", `{"uint8":256}`}, {"uint8-negative", `{"uint8":-1}`},
		{"uint16-over", `{"uint16":65536}`}, {"uint32-over", `{"uint32":4294967296}`}, {"uint64-over", `{"uint64":18446744073709551616}`}, {"uint-over", `{"uint":18446744073709551616}`},
		{"int8-fraction", `{"int8":1.0}`}, {"int8-exponent", `{"int8":1e0}`}, {"int64-neg-zero", `{"int64":-0}`}, {"int64-string", `{"int64":"1"}`},
		{"duration-fraction", `{"duration":1.5}`}, {"duration-over", `{"duration":9223372036854775808}`}, {"duration-null", `{"duration":null}`},
		{"float64-string", `{"float64":"1"}`}, {"float64-overflow", `{"float64":1e400}`}, {"float64-neg-overflow", `{"float64":-1e400}`},
		{"float32-overflow-bound", `{"float32":3.4028235677973366e38}`}, {"float32-overflow", `{"float32":1e39}`}, {"float64-null", `{"float64":null}`}, {"float32-bool", `{"float32":true}`},
		{"strings-int", `{"strings":[1]}`}, {"strings-string", `{"strings":"x"}`}, {"strings-null-element", `{"strings":[null]}`},
		{"ints-float", `{"ints":[1.5]}`}, {"ints-string", `{"ints":["1"]}`}, {"ints-neg-zero", `{"ints":[-0]}`},
		{"float64s-string", `{"float64s":["1"]}`}, {"float64s-overflow", `{"float64s":[1e400]}`},
		{"stringmap-int", `{"stringmap":{"a":1}}`}, {"stringmap-array", `{"stringmap":[]}`}, {"intmap-string", `{"intmap":{"a":"1"}}`}, {"intmap-float", `{"intmap":{"a":1.5}}`},
		{"object-array", `{"object":[]}`}, {"object-bare-float", `{"object":{"a":1.5}}`}, {"object-duplicate", `{"object":{"a":1,"a":2}}`},
		{"array-empty-body", `{"array":[]}`}, {"array-list-body", `{"array":[1]}`}, {"map-int-body", `{"map":1}`}, {"map-string-body", `{"map":"x"}`},
		{"bytes-short-padding", `{"bytes":"AA="}`}, {"bytes-trailing-bits", `{"bytes":"AB=="}`}, {"bytes-no-padding", `{"bytes":"AA"}`}, {"bytes-three-pad", `{"bytes":"A==="}`},
		{"bytes-inner-padding", `{"bytes":"AA==AA=="}`}, {"bytes-url-safe", `{"bytes":"-_8="}`}, {"bytes-line-break", `{"bytes":"AA\n=="}`}, {"bytes-crlf-after", `{"bytes":"AAE=\r\n"}`},
		{"bytes-space", `{"bytes":" AA=="}`}, {"bytes-int", `{"bytes":1}`},
		{"named-one-element", `{"named":["x"]}`}, {"named-three-elements", `{"named":["x",1,2]}`}, {"named-int-name", `{"named":[1,1]}`}, {"named-string", `{"named":"x"}`},
		{"named-object", `{"named":{"x":1}}`}, {"named-duplicate-member", `{"named":["x",{"a":1,"a":2}]}`}, {"named-overflow", `{"named":["x",1e400]}`}, {"named-empty", `{"named":[]}`},
		{"leading-zero", `{"int64":01}`}, {"bare-leading-zero", `01`}, {"minus-alone", `-`}, {"plus-sign", `{"int64":+1}`},
		{"float-trailing-dot", `{"float64":1.}`}, {"float-leading-dot", `{"float64":.5}`}, {"float-bare-exponent", `{"float64":1e}`},
		{"float-exponent-sign-only", `{"float64":1e+}`}, {"float-nan", `{"float64":NaN}`}, {"float-infinity", `{"float64":Infinity}`},
		{"string-lone-surrogate", `"\ud800"`}, {"string-reversed-surrogates", `"\udc00\ud800"`}, {"string-raw-control", "\"a\x01\""},
	} {
		bad("value/"+b[0], "6.3", "invalid typed value "+b[1], m(b[1]))
	}
	bad("value/string-invalid-utf8", "6.2", "a string that is not UTF-8", m("\"\xff\""))
	for _, tm := range [][2]string{
		{"lowercase-t", "2026-11-27t17:00:00Z"}, {"lowercase-z", "2026-11-27T17:00:00z"}, {"space", "2026-11-27 17:00:00Z"}, {"no-offset", "2026-11-27T17:00:00"},
		{"offset-no-colon", "2026-11-27T17:00:00+0100"}, {"offset-seconds", "2026-11-27T17:00:00+01:00:30"}, {"offset-24h", "2026-11-27T17:00:00+24:00"},
		{"offset-minus-24h", "2026-11-27T17:00:00-24:00"}, {"offset-minute-60", "2026-11-27T17:00:00+23:60"}, {"hour-24", "2026-11-27T24:00:00Z"},
		{"minute-60", "2026-11-27T17:60:00Z"}, {"leap-second", "2016-12-31T23:59:60Z"}, {"feb-29-2026", "2026-02-29T00:00:00Z"}, {"feb-29-1900", "1900-02-29T00:00:00Z"},
		{"april-31", "2026-04-31T00:00:00Z"}, {"month-13", "2026-13-01T00:00:00Z"}, {"month-0", "2026-00-10T00:00:00Z"}, {"day-0", "2026-01-00T00:00:00Z"},
		{"ten-fraction-digits", "2026-11-27T17:00:00.0000000001Z"}, {"empty-fraction", "2026-11-27T17:00:00.Z"}, {"comma-fraction", "2026-11-27T17:00:00,5Z"},
		{"year-10000", "10000-01-01T00:00:00Z"}, {"negative-year", "-0001-01-01T00:00:00Z"}, {"short-month", "2026-1-01T00:00:00Z"}, {"no-seconds", "2026-11-27T17:00Z"},
		{"trailing-space", "2026-11-27T17:00:00Z "}, {"empty", ""},
	} {
		bad("time/"+tm[0], "6.5", "time "+tm[1], m(`{"time":"`+tm[1]+`"}`))
	}
	bad("time/number", "6.5", "a time that is not a string", m(`{"time":1795700000}`))
	bad("time/null", "6.5", "a time has no null body", m(`{"time":null}`))
	for _, b := range [][2]string{
		{"one-element", `[[1]]`}, {"three-elements", `[[1,2,3]]`}, {"not-a-pair", `[1]`}, {"list-key", `[[[],1]]`}, {"bytes-key", `[[{"bytes":"AA=="},1]]`},
		{"map-key", `[[{"map":{}},1]]`}, {"named-key", `[[{"named":["x",1]},1]]`}, {"strings-key", `[[{"strings":[]},1]]`}, {"object-key", `[[{"object":{}},1]]`},
		{"bare-float-key", `[[1.5,1]]`}, {"dup-int", `[[1,1],[1,2]]`}, {"dup-null", `[[null,1],[null,2]]`}, {"dup-string-escaped", `[["a",1],["\u0061",2]]`},
		{"dup-float-zero", `[[{"float64":0},1],[{"float64":-0},2]]`}, {"dup-float-spelling", `[[{"float64":1},1],[{"float64":1.0},2]]`},
		{"dup-time-offset-zero", `[[{"time":"2026-01-01T00:00:00Z"},1],[{"time":"2026-01-01T00:00:00+00:00"},2]]`},
		{"dup-time-fraction", `[[{"time":"2026-01-01T01:00:00+01:00"},1],[{"time":"2026-01-01T01:00:00.000+01:00"},2]]`},
		{"dup-duration", `[[{"duration":1},1],[{"duration":1},2]]`},
	} {
		bad("pairs/"+b[0], "6.4", "map pair form "+b[1], `{"map":`+b[1]+`}`)
	}
	bad("map/duplicate-member", "6.4", "duplicate keys in the object form", `{"map":{"a":1,"a":2}}`)
	bad("map/duplicate-escaped-member", "6.4", "duplicate keys in the object form after unescaping", `{"map":{"a":1,"\u0061":2}}`)
	bad("depth-513", "6.1", "513 levels", m(strings.Repeat("[", 511)+strings.Repeat("]", 511)))
	bad("named-depth-513", "6.7", "a named value's JSON counts towards the 512 levels", m(`{"named":["x",`+strings.Repeat("[", 509)+strings.Repeat("]", 509)+`]}`))
	ok("named-depth-512", "6.7", "a named value's JSON up to the 512th level", m(`{"named":["x",`+strings.Repeat("[", 508)+strings.Repeat("]", 508)+`]}`),
		m(`{"named":["x",`+strings.Repeat("[", 508)+strings.Repeat("]", 508)+`]}`))

	// 6.10 plain payloads opened as session values.
	cs = append(cs,
		valuesCase{id: "values/ok/plain-object", spec: "6.10", desc: "a plain object opens as session values: integers as int, other numbers as float64",
			payload: `{"n":1,"f":1.5,"big":123456789012345678901,"neg0":-0,"e":1e2,"o":{"k":[1,2.5,"s",null,true]}}`,
			want:    `{"map":{"big":{"float64":123456789012345680000},"e":{"float64":100},"f":{"float64":1.5},"n":1,"neg0":{"float64":-0},"o":{"object":{"k":[1,{"float64":2.5},"s",null,true]}}}}`},
		valuesCase{id: "values/invalid/plain-array", spec: "6.10", desc: "a plain payload opened as session values must be an object", payload: `[1]`},
		valuesCase{id: "values/invalid/plain-string", spec: "6.10", desc: "a plain payload opened as session values must be an object", payload: `"s"`},
		valuesCase{id: "values/ok/compressed", spec: "6.8", desc: "a typed payload in DEFLATE (flags 0x03)", flags: flagTyped | flagDeflate,
			payload: `{"map":{"flashes":["welcome","welcome","welcome","welcome"],"n":{"int64":9007199254740993}}}`,
			want:    `{"map":{"flashes":["welcome","welcome","welcome","welcome"],"n":{"int64":9007199254740993}}}`},
	)
	return cs
}

func confNonce(id string) []byte {
	sum := sha256.Sum256([]byte("cookieseal conformance nonce " + id))
	return sum[:nonceSize]
}

func buildValuesFile(t *testing.T) valuesConfFile {
	f := valuesConfFile{
		Suite:  "cookieseal conformance",
		Format: 1,
		Description: "Typed session values (SPEC.md section 6). open_as \"values\": open into session values; on ok, `values` is the canonical typed " +
			"encoding (6.8) of what was opened. Invalid typed forms are authentic cookies with flag 0x02 and are also given opened as \"json\": " +
			"a typed payload must be well-formed on every path. The secret is a public test value: never use it.",
	}
	for _, vc := range valuesCases() {
		body := []byte(vc.payload)
		if vc.flags&flagDeflate != 0 {
			body = deflate(nil, body)
		}
		nonce := confNonce(vc.id)
		cookie := sealBody(t, confValuesSecret, confValuesName, vc.flags, nonce, confValuesNow, body)
		desc := vc.desc
		if utf8.ValidString(vc.payload) && len(vc.payload) < 200 && vc.want == "" {
			desc += ": " + vc.payload
		}
		c := valuesConfCase{ID: vc.id, Spec: vc.spec, Description: desc, Secrets: []string{confValuesSecret}, Name: confValuesName,
			Now: confValuesNow, OpenAs: "values", Cookie: cookie, Result: "invalid"}
		if vc.want != "" {
			iat, fl, payload, values := int64(confValuesNow), vc.flags, vc.payload, vc.want
			r, err := newKeyring([]string{confValuesSecret}, nil)
			require.NoError(t, err)
			c.Result, c.Payload, c.IssuedAt, c.CreatedAt, c.Flags, c.Values = "ok", &payload, &iat, &iat, &fl, &values
			c.KeyID = r.keys[0].id.String()
			c.Seal = &valuesConfSeal{IssuedAt: iat, CreatedAt: iat, Flags: fl, Nonce: hex.EncodeToString(nonce), Body: hex.EncodeToString(body)}
		}
		f.Cases = append(f.Cases, c)
		if vc.asJSON {
			j := c
			j.ID += "/json"
			j.OpenAs = "json"
			j.Description = "opened as JSON: " + c.Description
			j.Cookie = sealBody(t, confValuesSecret, confValuesName, vc.flags, confNonce(j.ID), confValuesNow, body)
			f.Cases = append(f.Cases, j)
		}
	}
	return f
}

// TestConformanceValues regenerates values.json (with -update) or checks that
// the committed file is what the generator makes. TestConformance runs its
// cases, as every other implementation does.
func TestConformanceValues(t *testing.T) {
	f := buildValuesFile(t)
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	require.NoError(t, enc.Encode(f))
	if *update {
		require.NoError(t, os.MkdirAll(filepath.Dir(confValuesPath), 0o755))
		require.NoError(t, os.WriteFile(confValuesPath, buf.Bytes(), 0o644))
	}
	b, err := os.ReadFile(confValuesPath)
	require.NoError(t, err)
	require.Equal(t, buf.String(), string(b), "values.json is stale: go test -run TestConformanceValues -update .")
}
