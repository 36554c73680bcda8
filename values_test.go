package cookieseal

import (
	"encoding/base64"
	"testing"

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
