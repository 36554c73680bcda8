package cookieseal

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"math"
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

// FuzzRoundTrip: what Encode accepts, Decode gives back with its types.
func FuzzRoundTrip(f *testing.F) {
	f.Add("session", "hello", int64(42), []byte{1, 2}, 1.5, true)
	f.Add("", "", int64(math.MinInt64), []byte(nil), math.Inf(1), false)
	f.Add("x", "\xff", int64(0), []byte{}, 0.0, false)
	c := fuzzCodec(f)
	f.Fuzz(func(t *testing.T, name, s string, n int64, b []byte, fl float64, ok bool) {
		in := map[any]any{"s": s, "n": n, "i": int(n), "b": b, "f": fl, "ok": ok, "k:" + s: []any{s, int8(n)}}
		cookie, err := c.Encode(name, in)
		if err != nil {
			switch {
			case !utf8.ValidString(s) && errors.Is(err, errBadUTF8):
			case (math.IsNaN(fl) || math.IsInf(fl, 0)) && err != nil:
			case errors.Is(err, ErrTooLarge):
			default:
				t.Fatalf("Encode: %v", err)
			}
			return
		}
		var out map[any]any
		if err := c.Decode(name, cookie, &out); err != nil {
			t.Fatalf("Decode of what Encode wrote: %v", err)
		}
		if b == nil {
			b = []byte{} // the typed form does not tell nil from empty
		}
		in["b"] = b
		require.Equal(t, in, out)
	})
}
