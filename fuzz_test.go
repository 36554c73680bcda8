package cookieseal

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"math"
	"reflect"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/stretchr/testify/require"
)

// seedCookies returns the cookies of the conformance suite. It fails when
// there are few, so that a fuzz target never runs on an empty corpus.
func seedCookies(f *testing.F) []struct{ name, cookie string } {
	f.Helper()
	var seeds []struct{ name, cookie string }
	for _, c := range conformanceCookies(f) {
		seeds = append(seeds, struct{ name, cookie string }{c[0], c[1]})
	}
	if len(seeds) < 10 {
		f.Fatalf("only %d seed cookies in %s", len(seeds), conformanceDir)
	}
	return seeds
}

// fuzzCodec opens every vector: all vector secrets, the vectors' clock.
func fuzzCodec(f *testing.F) *Codec {
	c, err := New(Config{Secrets: vectorSecrets, Now: func() time.Time { return time.Unix(vectorNow, 0) }})
	require.NoError(f, err)
	return c
}

// FuzzDecode: Decode never panics, every error matches exactly one sentinel
// and leaves dst untouched, and only the one canonical spelling of a cookie
// is accepted.
func FuzzDecode(f *testing.F) {
	for _, s := range seedCookies(f) {
		f.Add(s.name, s.cookie)
	}
	c := fuzzCodec(f)
	f.Fuzz(func(t *testing.T, name, value string) {
		raw := json.RawMessage("untouched")
		err := c.Decode(name, value, &raw)
		var m map[any]any
		errValues := c.Decode(name, value, &m)
		if err != nil {
			checkOneClass(t, err)
			if string(raw) != "untouched" {
				t.Fatalf("dst changed on error %v", err)
			}
			if errValues == nil {
				t.Fatalf("raw JSON refused (%v), session values accepted", err)
			}
		}
		if errValues != nil {
			checkOneClass(t, errValues)
			if m != nil {
				t.Fatalf("dst changed on error %v", errValues)
			}
		}
		if err == nil {
			b, derr := base64.RawURLEncoding.DecodeString(value)
			if derr != nil || base64.RawURLEncoding.EncodeToString(b) != value {
				t.Fatalf("accepted a non-canonical spelling %q", value)
			}
		}
	})
}

func checkOneClass(t *testing.T, err error) {
	t.Helper()
	n := 0
	for _, s := range sentinels {
		if errors.Is(err, s) {
			n++
		}
	}
	if n != 1 {
		t.Fatalf("error %q matches %d sentinels, want 1", err, n)
	}
}

// FuzzAuthenticPayload seals arbitrary plaintext under a real key, so that
// the parsers behind the tag (issued-at, inflate, JSON, typed values) are
// fuzzed too: they must refuse, never panic.
func FuzzAuthenticPayload(f *testing.F) {
	f.Add(byte(0), int64(vectorNow), []byte(`{"a":1}`))
	f.Add(byte(flagTyped), int64(vectorNow), []byte(`{"map":[[1,{"int8":2}],["k",{"time":"2026-01-02T03:04:05Z"}]]}`))
	f.Add(byte(flagTyped|flagDeflate), int64(vectorNow), deflate(nil, []byte(`{"map":{"a":{"bytes":"AAE="}}}`)))
	f.Add(byte(flagDeflate), int64(0), deflate(nil, []byte(`"x"`)))
	f.Add(byte(flagTyped), int64(vectorNow), []byte(`{"map":[[{"time":"2026-01-01T00:00:00.5+05:30"},{"duration":-1}],[{"float32":0.1},{"named":["x",{"a":[1e2]}]}]]}`))
	f.Add(byte(flagTyped), int64(vectorNow), []byte(`{"map":{"a":{"stringmap":{"k":"v"}},"b":{"intmap":null},"c":{"float64s":[1e21,-0]},"d":{"array":null},"e":{"bytes":null}}}`))
	c := fuzzCodec(f)
	f.Fuzz(func(t *testing.T, flags byte, iat int64, payload []byte) {
		s := sealRaw(t, c, "n", flags, iat, payload)
		var m map[any]any
		if err := c.Decode("n", s, &m); err != nil {
			checkOneClass(t, err)
		}
		var v any
		if err := c.Decode("n", s, &v); err != nil {
			checkOneClass(t, err)
		}
	})
}

// FuzzRoundTrip: what Encode accepts, Decode gives back with its types,
// nil forms and time offsets (issue 10): the decoded values re-encode to
// the same bytes, and every entry keeps its Go type. What Encode refuses,
// it refuses for a reason the inputs explain.
func FuzzRoundTrip(f *testing.F) {
	f.Add("session", "hello", int64(42), []byte{1, 2}, 1.5, true, int64(1795700000), uint32(5), int32(3600), uint16(0))
	f.Add("", "", int64(math.MinInt64), []byte(nil), math.Inf(1), false, int64(-62167219200), uint32(999999999), int32(-(23*3600 + 59*60)), uint16(0xffff))
	f.Add("x", "\xff", int64(0), []byte{}, 0.0, false, int64(253402300799), uint32(0), int32(24*3600), uint16(0x5555))
	f.Add("y", "é", int64(1), []byte{0}, math.Copysign(0, -1), true, int64(0), uint32(1), int32(-17762), uint16(0xaaaa))
	c := fuzzCodec(f)
	f.Fuzz(func(t *testing.T, name, s string, n int64, b []byte, fl float64, ok bool, sec int64, nsec uint32, off int32, nils uint16) {
		tm := time.Unix(sec%400000000000, int64(nsec%1000000000)).In(time.FixedZone("", int(off%(25*3600))))
		if ok {
			tm = tm.UTC()
		}
		isNil := func(i int) bool { return nils&(1<<i) != 0 }
		pick := func(i int, v, nilV any) any {
			if isNil(i) {
				return nilV
			}
			return v
		}
		in := map[any]any{"s": s, "n": n, "i": int(n), "b": b, "f": fl, "ok": ok, "k:" + s: []any{s, int8(n)},
			"t": tm, "d": time.Duration(n), "f32": float32(fl), "flash": &flashMessage{Type: "t", Message: s},
			"bytes":     pick(0, b, []byte(nil)),
			"strings":   pick(1, []string{s}, []string(nil)),
			"ints":      pick(2, []int{int(n)}, []int(nil)),
			"floats":    pick(3, []float64{fl}, []float64(nil)),
			"stringmap": pick(4, map[string]string{s: s}, map[string]string(nil)),
			"intmap":    pick(5, map[string]int{s: int(n)}, map[string]int(nil)),
			"object":    pick(6, map[string]any{s: n}, map[string]any(nil)),
			"map":       pick(7, map[any]any{tm: s, time.Duration(n): 1, float32(fl): 2}, map[any]any(nil)),
			"list":      pick(8, []any{}, []any(nil)),
			"nilflash":  pick(9, (*flashMessage)(nil), &flashMessage{}),
		}
		cookie, err := c.Encode(name, in)
		if err != nil {
			float32Inf := math.Abs(fl) >= float32Overflow
			switch {
			case !utf8.ValidString(s) && errors.Is(err, errBadUTF8):
			case (math.IsNaN(fl) || math.IsInf(fl, 0) || float32Inf) && strings.Contains(err.Error(), "cannot encode"):
			case checkTime(tm) != nil && strings.Contains(err.Error(), "time.Time"):
			case errors.Is(err, ErrTooLarge):
			default:
				t.Fatalf("Encode: %v", err)
			}
			return
		}
		require.NoError(t, checkTime(tm), "Encode took a time it must refuse")
		var out map[any]any
		if err := c.Decode(name, cookie, &out); err != nil {
			t.Fatalf("Decode of what Encode wrote: %v", err)
		}
		want, err := appendMap(nil, in)
		require.NoError(t, err)
		got, err := appendMap(nil, out)
		require.NoError(t, err)
		require.Equal(t, string(want), string(got))
		for k, v := range in {
			require.IsType(t, v, out[k], "%v", k)
			if rv := reflect.ValueOf(v); rv.Kind() == reflect.Slice || rv.Kind() == reflect.Map || rv.Kind() == reflect.Pointer {
				require.Equal(t, rv.IsNil(), reflect.ValueOf(out[k]).IsNil(), "%v: nil-ness", k)
			}
		}
		gt := out["t"].(time.Time)
		_, wantOff := tm.Zone()
		_, gotOff := gt.Zone()
		require.True(t, gt.Equal(tm) && gotOff == wantOff, "time %v came back as %v", tm, gt)
	})
}
