package cookieseal

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/securecookie"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// *Codec must satisfy gorilla's securecookie.Codec.
var _ securecookie.Codec = (*Codec)(nil)

type profile struct {
	UserID int      `json:"user_id"`
	Email  string   `json:"email"`
	Roles  []string `json:"roles"`
	Admin  bool     `json:"admin"`
}

func TestRoundTripStruct(t *testing.T) {
	c := newTestCodec(t, newClock(t0), newSecrets(1)...)
	in := profile{UserID: 42, Email: "ada@example.org", Roles: []string{"admin", "dev"}, Admin: true}
	s, err := c.Encode("session", in)
	require.NoError(t, err)
	var out profile
	require.NoError(t, c.Decode("session", s, &out))
	assert.Equal(t, in, out)
}

func TestRoundTripMap(t *testing.T) {
	c := newTestCodec(t, newClock(t0), newSecrets(1)...)
	in := map[string]any{"a": "x", "n": 1.5, "list": []any{"p", true}}
	s, err := c.Encode("session", in)
	require.NoError(t, err)
	var out map[string]any
	require.NoError(t, c.Decode("session", s, &out))
	assert.Equal(t, in, out)
}

// allTypes holds one value of every type the typed form supports.
func allTypes() map[any]any {
	return map[any]any{
		"nil": nil, "bool": true, "string": "héllo \"quoted\" \\ \n\t\x01", "int": -42,
		"int8": int8(-8), "int16": int16(-16), "int32": int32(-32), "int64": int64(math.MinInt64),
		"uint": uint(7), "uint8": uint8(255), "uint16": uint16(65535), "uint32": uint32(math.MaxUint32),
		"uint64": uint64(math.MaxUint64), "float64": 1.5, "float64int": 3.0, "float32": float32(0.1),
		"bytes": []byte{0, 1, 2, 255}, "strings": []string{"a", ""}, "ints": []int{1, -2, 3},
		"time":   time.Date(2026, 1, 2, 3, 4, 5, 6, time.FixedZone("X", 3600)),
		"slice":  []any{1, "two", 3.0, nil, []any{int64(4)}},
		"object": map[string]any{"n": 1, "f": 2.5, "deep": map[string]any{"x": uint8(1)}},
		"map":    map[any]any{1: "one", true: "yes", "s": map[any]any{int64(2): "two"}},
		7:        "int key",
		false:    "bool key",
	}
}

func TestRoundTripSessionValuesKeepTypes(t *testing.T) {
	c := newTestCodec(t, newClock(t0), newSecrets(1)...)
	in := allTypes()
	s, err := c.Encode("session", in)
	require.NoError(t, err)
	var out map[any]any
	require.NoError(t, c.Decode("session", s, &out))
	// time.Time keeps the instant and offset, not the zone name: compare it apart.
	wantTime := in["time"].(time.Time)
	gotTime, ok := out["time"].(time.Time)
	require.True(t, ok, "time: got %T", out["time"])
	assert.True(t, wantTime.Equal(gotTime), "time: got %v, want %v", gotTime, wantTime)
	delete(in, "time")
	delete(out, "time")
	assert.Equal(t, in, out)
	for k, v := range in {
		assert.IsType(t, v, out[k], "key %v", k)
	}
}

func TestSessionValuesPointerEncodes(t *testing.T) {
	c := newTestCodec(t, newClock(t0), newSecrets(1)...)
	in := map[any]any{"n": 1}
	s, err := c.Encode("s", &in)
	require.NoError(t, err)
	h, err := Inspect(s)
	require.NoError(t, err)
	assert.True(t, h.Typed)
	var out map[any]any
	require.NoError(t, c.Decode("s", s, &out))
	assert.Equal(t, in, out)
}

func TestDecodeSessionValuesIntoInterface(t *testing.T) {
	c := newTestCodec(t, newClock(t0), newSecrets(1)...)
	s, err := c.Encode("s", map[any]any{"n": 1, "f": 2.0})
	require.NoError(t, err)
	var out any
	require.NoError(t, c.Decode("s", s, &out))
	assert.Equal(t, map[any]any{"n": 1, "f": 2.0}, out)
}

func TestDecodePlainJSONIntoSessionValues(t *testing.T) {
	c := newTestCodec(t, newClock(t0), newSecrets(1)...)
	s, err := c.Encode("s", map[string]any{"n": 3, "f": 1.25, "big": 1e300, "list": []any{1, "x"}, "o": map[string]any{"k": 2}})
	require.NoError(t, err)
	var out map[any]any
	require.NoError(t, c.Decode("s", s, &out))
	assert.Equal(t, map[any]any{"n": 3, "f": 1.25, "big": 1e300, "list": []any{1, "x"}, "o": map[string]any{"k": 2}}, out)

	s, err = c.Encode("s", []int{1})
	require.NoError(t, err)
	out = map[any]any{"keep": true}
	requireClass(t, c.Decode("s", s, &out), ErrInvalid)
	assert.Equal(t, map[any]any{"keep": true}, out, "dst changed on failure")
}

func TestTypedValuesIntoOtherDstIsInvalid(t *testing.T) {
	c := newTestCodec(t, newClock(t0), newSecrets(1)...)
	s, err := c.Encode("s", map[any]any{"n": 1})
	require.NoError(t, err)
	out := map[string]any{"keep": 1}
	err = c.Decode("s", s, &out)
	requireClass(t, err, ErrInvalid)
	assert.Contains(t, err.Error(), "*map[interface{}]interface{}")
	assert.Equal(t, map[string]any{"keep": 1}, out)
}

func TestRawMessageGetsPayload(t *testing.T) {
	c := newTestCodec(t, newClock(t0), newSecrets(1)...)
	s, err := c.Encode("s", map[any]any{"n": 1, "f": 0.5})
	require.NoError(t, err)
	var raw json.RawMessage
	require.NoError(t, c.Decode("s", s, &raw))
	assert.Equal(t, `{"map":{"f":{"float64":0.5},"n":1}}`, unpadded(raw))
}

func TestEncodeUnsupportedSessionValue(t *testing.T) {
	c := newTestCodec(t, newClock(t0), newSecrets(1)...)
	for name, v := range map[string]any{
		"struct":       struct{ A int }{1},
		"nested slice": []any{struct{}{}},
		"map value":    map[string]any{"x": complex(1, 2)},
		"pair key":     map[any]any{1: struct{}{}},
		"pair key2":    map[any]any{struct{ A int }{1}: 1},
		"pair key3":    map[any]any{1: 1, "x": []string{"\xff"}},
	} {
		_, err := c.Encode("s", map[any]any{"v": v})
		var ute *UnsupportedTypeError
		if name == "pair key3" {
			assert.ErrorIs(t, err, errBadUTF8, name)
			continue
		}
		assert.ErrorAs(t, err, &ute, name)
	}
	_, err := c.Encode("s", map[any]any{"s": "bad \xff utf8"})
	assert.ErrorIs(t, err, errBadUTF8)
	_, err = c.Encode("s", map[any]any{"\xff": 1})
	assert.ErrorIs(t, err, errBadUTF8)
	_, err = c.Encode("s", map[any]any{"f": math.NaN()})
	assert.ErrorContains(t, err, "NaN")
	_, err = c.Encode("s", map[any]any{"f": float32(math.Inf(1))})
	assert.ErrorContains(t, err, "Inf")
	_, err = c.Encode("s", map[string]any{"c": make(chan int)})
	assert.ErrorContains(t, err, "encoding value")
}

// A nil *map[interface{}]interface{} is refused: its JSON, null, would not
// open as session values (issue 10 item 4). A nil map itself round-trips.
func TestNilSessionValuesPointerIsRefused(t *testing.T) {
	c := newTestCodec(t, newClock(t0), newSecrets(1)...)
	var p *map[any]any
	_, err := c.Encode("s", p)
	require.ErrorContains(t, err, "nil *map[interface{}]interface{}")
}

func TestCookieNameIsBound(t *testing.T) {
	c := newTestCodec(t, newClock(t0), newSecrets(1)...)
	for _, pair := range [][2]string{{"session", "other"}, {"ab", "a"}, {"", "x"}, {"a", "A"}} {
		s, err := c.Encode(pair[0], "v")
		require.NoError(t, err)
		var out string
		requireClass(t, c.Decode(pair[1], s, &out), ErrInvalid)
		require.NoError(t, c.Decode(pair[0], s, &out))
	}
}

func TestAdditionalDataIsUnambiguous(t *testing.T) {
	h := []byte{1, 2, 3, 4, 5, 6}
	assert.NotEqual(t, appendAdditionalData(nil, h, "ab"), appendAdditionalData(nil, h, "a"))
	assert.Equal(t, []byte{1, 2, 3, 4, 5, 6, 0, 0, 0, 2, 'a', 'b'}, appendAdditionalData(nil, h, "ab"))
}

func TestEveryByteFlipIsRejected(t *testing.T) {
	c := newTestCodec(t, newClock(t0), newSecrets(1)...)
	s, err := c.Encode("session", profile{UserID: 1, Email: "e"})
	require.NoError(t, err)
	raw := rawBytes(t, s)
	opens := countOpens(c)
	for i := range raw {
		for _, bit := range []byte{0x01, 0x80} {
			b := bytes.Clone(raw)
			b[i] ^= bit
			var out profile
			err := c.Decode("session", base64.RawURLEncoding.EncodeToString(b), &out)
			want := ErrInvalid
			if i >= 1 && i <= 4 {
				want = ErrUnknownKey // the key ID names no key now
			}
			requireClass(t, err, want)
			require.Equal(t, profile{}, out)
		}
	}
	// Only flips past the header reach the AEAD: version, key ID and
	// unknown flag bits are refused before any decryption.
	assert.Equal(t, int64(2*(len(raw)-headerSize)+1), totalOpens(opens), "Open calls")
}

func TestEveryTruncationIsRejected(t *testing.T) {
	c := newTestCodec(t, newClock(t0), newSecrets(1)...)
	s, err := c.Encode("session", "value")
	require.NoError(t, err)
	for i := 0; i < len(s); i++ {
		var out string
		requireClass(t, c.Decode("session", s[:i], &out), ErrInvalid)
		require.Empty(t, out)
	}
	// Appending is no better than cutting.
	var out string
	requireClass(t, c.Decode("session", s+"A", &out), ErrInvalid)
	requireClass(t, c.Decode("session", s+"AAAA", &out), ErrInvalid)
}

func TestStrictBase64(t *testing.T) {
	c := newTestCodec(t, newClock(t0), newSecrets(1)...)
	s, err := c.Encode("session", "value")
	require.NoError(t, err)
	var out string
	require.NoError(t, c.Decode("session", s, &out))

	// The raw length is 50 + len(`"value"`) = 57 bytes: 57 % 3 == 0, so pick
	// a value whose encoding ends in a partial group to test trailing bits.
	s2, err := c.Encode("session", strings.Repeat("v", 60)) // 70 bytes of plaintext, padded to 96
	require.NoError(t, err)
	require.NotZero(t, len(s2)%4, "want a partial final group")
	last := strings.IndexByte(base64URL, s2[len(s2)-1])
	nonCanonical := s2[:len(s2)-1] + string(base64URL[last|1])
	if nonCanonical == s2 {
		nonCanonical = s2[:len(s2)-1] + string(base64URL[last+1])
	}

	cases := map[string]string{
		"padding":             s2 + strings.Repeat("=", 4-len(s2)%4),
		"LF inside":           s[:10] + "\n" + s[10:],
		"CR inside":           s[:10] + "\r" + s[10:],
		"CRLF at end":         s + "\r\n",
		"space":               s[:5] + " " + s[5:],
		"standard alphabet +": strings.Replace(s, s[3:4], "+", 1),
		"standard alphabet /": strings.Replace(s, s[3:4], "/", 1),
		"non-canonical bits":  nonCanonical,
		"quoted":              `"` + s + `"`,
		"empty":               "",
		"non-ASCII":           s[:4] + "é" + s[4:],
	}
	for name, v := range cases {
		t.Run(name, func(t *testing.T) {
			requireClass(t, c.Decode("session", v, &out), ErrInvalid)
		})
	}
}

const base64URL = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"

func TestDecodeBase64AcceptsExactlyTheAlphabet(t *testing.T) {
	for c := 0; c < 256; c++ {
		_, err := decodeBase64(string([]byte{'A', 'A', 'A', byte(c)}))
		if strings.IndexByte(base64URL, byte(c)) >= 0 {
			assert.NoError(t, err, "byte %q", c)
		} else {
			assert.ErrorIs(t, err, errAlphabet, "byte %q", c)
		}
	}
}

func TestRotation(t *testing.T) {
	clk := newClock(t0)
	old, next := GenerateSecret(), GenerateSecret()
	c := newTestCodec(t, clk, old)
	oldCookie, err := c.Encode("s", "from old")
	require.NoError(t, err)

	// Step 1: the new secret goes second everywhere: nothing changes for users.
	require.NoError(t, c.SetSecrets([]string{old, next}))
	var out string
	info, err := c.DecodeInfo("s", oldCookie, &out)
	require.NoError(t, err)
	assert.Equal(t, "from old", out)
	assert.False(t, info.Reissue)

	// Step 2: the new secret moves first: it seals, the old one still opens
	// and asks for a re-issue.
	require.NoError(t, c.SetSecrets([]string{next, old}))
	newCookie, err := c.Encode("s", "from new")
	require.NoError(t, err)
	h, err := Inspect(newCookie)
	require.NoError(t, err)
	assert.Equal(t, c.KeyIDs()[0], h.KeyID)
	info, err = c.DecodeInfo("s", oldCookie, &out)
	require.NoError(t, err)
	assert.Equal(t, "from old", out)
	assert.True(t, info.Reissue)
	assert.Equal(t, c.KeyIDs()[1], info.KeyID)

	// Rolling back is the same move the other way.
	require.NoError(t, c.SetSecrets([]string{old, next}))
	require.NoError(t, c.Decode("s", newCookie, &out))
	assert.Equal(t, "from new", out)

	// Step 3: the old secret goes: its cookies name an unknown key.
	require.NoError(t, c.SetSecrets([]string{next}))
	out = "untouched"
	requireClass(t, c.Decode("s", oldCookie, &out), ErrUnknownKey)
	assert.Equal(t, "untouched", out)
	require.NoError(t, c.Decode("s", newCookie, &out))
}

func TestUnknownKeyIsRejectedWithoutDecryption(t *testing.T) {
	clk := newClock(t0)
	other := newTestCodec(t, clk, newSecrets(1)...)
	s, err := other.Encode("s", "v")
	require.NoError(t, err)
	c := newTestCodec(t, clk, newSecrets(32)...)
	opens := countOpens(c)
	var out string
	err = c.Decode("s", s, &out)
	requireClass(t, err, ErrUnknownKey)
	assert.Contains(t, err.Error(), other.KeyIDs()[0].String())
	assert.Zero(t, totalOpens(opens))
}

func TestExactlyOneKeyIsTried(t *testing.T) {
	clk := newClock(t0)
	secrets := newSecrets(8)
	c := newTestCodec(t, clk, secrets...)
	sealer := newTestCodec(t, clk, secrets[5])
	s, err := sealer.Encode("s", "v")
	require.NoError(t, err)
	opens := countOpens(c)
	var out string
	require.NoError(t, c.Decode("s", s, &out))
	for i, o := range opens {
		want := int64(0)
		if i == 5 {
			want = 1
		}
		assert.Equal(t, want, o.opens.Load(), "key %d", i)
	}
}

func TestOversizeIsRejectedBeforeDecoding(t *testing.T) {
	c := newTestCodec(t, newClock(t0), newSecrets(1)...)
	opens := countOpens(c)
	var out string
	// Not even base64: only the size check can have produced ErrTooLarge.
	junk := strings.Repeat("!", DefaultMaxLength-len("session"))
	err := c.Decode("session", junk, &out)
	requireClass(t, err, ErrTooLarge)
	assert.Contains(t, err.Error(), fmt.Sprintf("%d bytes", DefaultMaxLength+1))
	assert.Contains(t, err.Error(), fmt.Sprintf("limit %d", DefaultMaxLength))
	assert.Zero(t, totalOpens(opens))
	// One byte less is decoded, and fails as what it is.
	requireClass(t, c.Decode("session", junk[1:], &out), ErrInvalid)
}

func TestMaxLengthIsInclusive(t *testing.T) {
	c := newTestCodec(t, newClock(t0), newSecrets(1)...)
	s, err := c.Encode("name", "value")
	require.NoError(t, err)
	// Padding (SPEC.md 5.4) never takes a cookie past MaxLength: at the
	// unpadded size the cookie is sealed without it.
	size := len("name") + 1 + base64.RawURLEncoding.EncodedLen(overhead+len(`"value"`))
	require.Greater(t, len("name")+1+len(s), size, "padded by default")
	exact, err := New(Config{Secrets: newSecrets(1), MaxLength: size})
	require.NoError(t, err)
	s, err = exact.Encode("name", "value")
	require.NoError(t, err, "a cookie of exactly MaxLength fits")
	require.Equal(t, size, len("name")+1+len(s), "padded only as far as MaxLength allows")
	var out string
	require.NoError(t, exact.Decode("name", s, &out))
	under, err := New(Config{Secrets: newSecrets(1), MaxLength: size - 1})
	require.NoError(t, err)
	_, err = under.Encode("name", "value")
	requireClass(t, err, ErrTooLarge)
	assert.Contains(t, err.Error(), fmt.Sprintf("%d bytes with the name, limit %d", size, size-1))
}

func TestMaxLengthCountsTheName(t *testing.T) {
	c, err := New(Config{Secrets: newSecrets(1), MaxLength: 200})
	require.NoError(t, err)
	// Find the largest string value that fits with a 5-byte name.
	var fit string
	for n := 0; n < 200; n++ {
		v := strings.Repeat("x", n)
		if _, err := c.Encode("abcde", v); err != nil {
			requireClass(t, err, ErrTooLarge)
			break
		}
		fit = v
	}
	s, err := c.Encode("abcde", fit)
	require.NoError(t, err)
	assert.LessOrEqual(t, len("abcde")+1+len(s), 200)
	// The same value with a longer name no longer fits, and says so.
	_, err = c.Encode("abcdefgh", fit)
	requireClass(t, err, ErrTooLarge)
	assert.Contains(t, err.Error(), "limit 200")
	// Decode applies the same budget.
	var out string
	require.NoError(t, c.Decode("abcde", s, &out))
	requireClass(t, c.Decode("abcdefghijklmnop", s, &out), ErrTooLarge)
}

func TestExpiryBoundary(t *testing.T) {
	clk := newClock(t0)
	c, err := New(Config{Secrets: newSecrets(1), Now: clk.Now, MaxAge: time.Hour})
	require.NoError(t, err)
	s, err := c.Encode("s", "v")
	require.NoError(t, err)
	var out string
	clk.Add(time.Hour)
	require.NoError(t, c.Decode("s", s, &out), "valid at exactly MaxAge")
	clk.Add(time.Second - time.Nanosecond)
	require.NoError(t, c.Decode("s", s, &out), "whole seconds: valid until the next second starts")
	clk.Add(time.Nanosecond)
	err = c.Decode("s", s, &out)
	requireClass(t, err, ErrExpired)
	// The message names the limit, never the age, which would reveal the
	// hidden issue time to whoever sees the error.
	assert.Equal(t, "cookieseal: cookie expired: older than its max age", err.Error())
}

// A clock with a fraction of a second counts whole seconds: a cookie issued
// at t0+0.9s (issued-at t0) is valid until t0+MaxAge+1s, not 0.9 s less.
func TestExpiryIgnoresSubSecondClock(t *testing.T) {
	clk := newClock(t0.Add(900 * time.Millisecond))
	c, err := New(Config{Secrets: newSecrets(1), Now: clk.Now, MaxAge: time.Hour})
	require.NoError(t, err)
	s, err := c.Encode("s", "v")
	require.NoError(t, err)
	var out string
	clk.Add(time.Hour) // t0 + 1h + 0.9s: 3600 whole seconds after the issued-at
	require.NoError(t, c.Decode("s", s, &out))
	clk.Add(100 * time.Millisecond) // t0 + 1h + 1s
	requireClass(t, c.Decode("s", s, &out), ErrExpired)
}

func TestSubSecondMaxAge(t *testing.T) {
	clk := newClock(t0)
	c, err := New(Config{Secrets: newSecrets(1), Now: clk.Now, MaxAge: 500 * time.Millisecond})
	require.NoError(t, err)
	s, err := c.Encode("s", "v")
	require.NoError(t, err)
	var out string
	assert.Equal(t, time.Second, c.MaxAge(), "rounded up to whole seconds")
	clk.Add(2*time.Second - time.Nanosecond) // one whole second after the issued-at
	require.NoError(t, c.Decode("s", s, &out))
	clk.Add(time.Nanosecond) // two
	requireClass(t, c.Decode("s", s, &out), ErrExpired)
}

func TestAgeWithinTheSkew(t *testing.T) {
	clk := newClock(t0.Add(30 * time.Second))
	c := newTestCodec(t, clk, newSecrets(1)...)
	s, err := c.Encode("s", "v")
	require.NoError(t, err)
	clk.Add(-30*time.Second - 250*time.Millisecond) // the reader's clock is behind
	var out string
	info, err := c.DecodeInfo("s", s, &out)
	require.NoError(t, err)
	assert.True(t, info.IssuedAt.Equal(t0.Add(30*time.Second)))
}

func TestIssuedAtIsTruncatedToSeconds(t *testing.T) {
	clk := newClock(t0.Add(999 * time.Millisecond))
	c := newTestCodec(t, clk, newSecrets(1)...)
	s, err := c.Encode("s", "v")
	require.NoError(t, err)
	var out string
	info, err := c.DecodeInfo("s", s, &out)
	require.NoError(t, err)
	assert.True(t, info.IssuedAt.Equal(t0), "got %v", info.IssuedAt)
}

func TestDefaultMaxAge(t *testing.T) {
	clk := newClock(t0)
	c := newTestCodec(t, clk, newSecrets(1)...)
	assert.Equal(t, DefaultMaxAge, c.MaxAge())
	s, err := c.Encode("s", "v")
	require.NoError(t, err)
	var out string
	clk.Add(DefaultMaxAge)
	require.NoError(t, c.Decode("s", s, &out))
	clk.Add(time.Second)
	requireClass(t, c.Decode("s", s, &out), ErrExpired)
}

func TestFutureIssuedAt(t *testing.T) {
	clk := newClock(t0)
	c := newTestCodec(t, clk, newSecrets(1)...)
	var out string
	for _, tc := range []struct {
		name string
		iat  int64
		want error
	}{
		{"at the skew limit", t0.Add(MaxClockSkew).Unix(), nil},
		{"past the skew limit", t0.Add(MaxClockSkew).Unix() + 1, ErrInvalid},
		{"far future", math.MaxInt64, ErrInvalid},
		{"far past", math.MinInt64, ErrExpired},
		{"epoch", 0, ErrExpired},
	} {
		s := sealRaw(t, c, "s", 0, tc.iat, []byte(`"v"`))
		err := c.Decode("s", s, &out)
		if tc.want == nil {
			assert.NoError(t, err, tc.name)
		} else {
			requireClass(t, err, tc.want)
		}
	}
}

func TestNewRefusesBadConfig(t *testing.T) {
	good := GenerateSecret()
	short := strings.Repeat("s", MinSecretSize-1)
	for name, cfg := range map[string]Config{
		"no secrets":         {},
		"empty list":         {Secrets: []string{}},
		"short secret":       {Secrets: []string{good, short}},
		"empty secret":       {Secrets: []string{""}},
		"duplicate":          {Secrets: []string{good, GenerateSecret(), good}},
		"negative MaxAge":    {Secrets: []string{good}, MaxAge: -time.Second},
		"negative Refresh":   {Secrets: []string{good}, RefreshAge: -time.Second},
		"negative MaxLength": {Secrets: []string{good}, MaxLength: -1},
		"nil legacy decoder": {Secrets: []string{good}, Legacy: []Decoder{nil}},
		"key ID collision":   {Secrets: []string{collisionA, collisionB}},
	} {
		c, err := New(cfg)
		assert.Error(t, err, name)
		assert.Nil(t, c, name)
		if err != nil {
			assert.NotContains(t, err.Error(), good, name)
			assert.NotContains(t, err.Error(), short, name)
		}
	}
	// Exactly MinSecretSize is enough.
	_, err := New(Config{Secrets: []string{strings.Repeat("k", MinSecretSize)}})
	assert.NoError(t, err)
}

// Two secrets whose key IDs collide, found by a birthday search over
// "key-id-collision-test-only-%012d". They exist only to test the check.
const (
	collisionA = "key-id-collision-test-only-000000064166"
	collisionB = "key-id-collision-test-only-000000076816"
)

func TestNewErrorsNamePositions(t *testing.T) {
	a, b := GenerateSecret(), GenerateSecret()
	_, err := New(Config{Secrets: []string{a, b, "short"}})
	assert.EqualError(t, err, "cookieseal: secret 3 of 3 is 5 bytes, need at least 32 (see GenerateSecret)")
	_, err = New(Config{Secrets: []string{a, b, a}})
	assert.EqualError(t, err, "cookieseal: secrets 1 and 3 are identical")
	_, err = New(Config{Secrets: []string{a, collisionA, collisionB}})
	id, _, _ := deriveKey(collisionA)
	assert.EqualError(t, err, "cookieseal: secrets 2 and 3 derive the same key ID "+id.String()+"; replace one with a new secret")
}

func TestCollisionFixtureCollides(t *testing.T) {
	a, _, err := deriveKey(collisionA)
	require.NoError(t, err)
	b, _, err := deriveKey(collisionB)
	require.NoError(t, err)
	require.Equal(t, a, b)
	_, err = New(Config{Secrets: []string{collisionA, collisionB}})
	assert.ErrorContains(t, err, "derive the same key ID "+a.String())
}

func TestRefusedSetSecretsKeepsTheRing(t *testing.T) {
	clk := newClock(t0)
	secrets := newSecrets(2)
	c := newTestCodec(t, clk, secrets...)
	before := c.KeyIDs()
	s, err := c.Encode("s", "v")
	require.NoError(t, err)
	for name, bad := range map[string][]string{
		"none":      nil,
		"short":     {GenerateSecret(), "short"},
		"duplicate": {secrets[1], secrets[1]},
		"collision": {collisionA, collisionB},
	} {
		assert.Error(t, c.SetSecrets(bad), name)
		assert.Equal(t, before, c.KeyIDs(), name)
	}
	var out string
	require.NoError(t, c.Decode("s", s, &out))
	s2, err := c.Encode("s", "v")
	require.NoError(t, err)
	h, err := Inspect(s2)
	require.NoError(t, err)
	assert.Equal(t, before[0], h.KeyID)
}

func TestSetSecretsCopiesNothingItShouldNot(t *testing.T) {
	secrets := newSecrets(2)
	c := newTestCodec(t, newClock(t0), secrets...)
	ids := c.KeyIDs()
	secrets[0] = GenerateSecret() // the caller's slice is not the ring
	assert.Equal(t, ids, c.KeyIDs())
}

func TestNoSecretInFormatting(t *testing.T) {
	secrets := newSecrets(2)
	cfg := Config{Secrets: secrets, Legacy: []Decoder{securecookie.New([]byte(secrets[1]), nil)}}
	c, err := New(cfg)
	require.NoError(t, err)
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x", "%X", "%d"} {
		for what, v := range map[string]any{"codec": c, "config": cfg, "config pointer": &cfg} {
			out := fmt.Sprintf(verb, v)
			for _, s := range secrets {
				assert.NotContains(t, out, s, "%s %s", what, verb)
				assert.NotContains(t, out, fmt.Sprintf("%x", s), "%s %s", what, verb)
			}
			assert.Contains(t, out, "cookieseal.", "%s %s: %s", what, verb, out)
		}
	}
	assert.Contains(t, fmt.Sprint(c), c.KeyIDs()[0].String())
	assert.Contains(t, fmt.Sprint(cfg), "2 redacted")
	assert.Contains(t, fmt.Sprint(cfg), "Legacy: [1 decoders]")
	assert.Contains(t, fmt.Sprint(cfg), "Compress: false")
	assert.Contains(t, fmt.Sprint(Config{Compress: true}), "Compress: true")
}

func TestDecodeNeedsAPointer(t *testing.T) {
	c := newTestCodec(t, newClock(t0), newSecrets(1)...)
	s, err := c.Encode("s", "v")
	require.NoError(t, err)
	var nilPtr *string
	for _, dst := range []any{nil, "string", nilPtr, 3} {
		requireClass(t, c.Decode("s", s, dst), ErrInvalid)
	}
}

func TestFailedDecodeLeavesDstUntouched(t *testing.T) {
	c := newTestCodec(t, newClock(t0), newSecrets(1)...)
	// JSON that fits profile's first field but not its second: json.Unmarshal
	// would leave UserID set before failing on Email.
	s, err := c.Encode("s", map[string]any{"user_id": 9, "email": 5})
	require.NoError(t, err)
	dst := profile{UserID: 1, Email: "keep"}
	requireClass(t, c.Decode("s", s, &dst), ErrInvalid)
	assert.Equal(t, profile{UserID: 1, Email: "keep"}, dst)
}

func TestDecodeReplacesDst(t *testing.T) {
	c := newTestCodec(t, newClock(t0), newSecrets(1)...)
	s, err := c.Encode("s", map[string]any{"email": "new"})
	require.NoError(t, err)
	dst := profile{UserID: 1, Email: "old"}
	require.NoError(t, c.Decode("s", s, &dst))
	assert.Equal(t, profile{Email: "new"}, dst)
}

func TestCompression(t *testing.T) {
	compressible := strings.Repeat("abcdefgh", 200)
	clk := newClock(t0)
	secrets := newSecrets(1)
	off := newTestCodec(t, clk, secrets...) // the zero Config
	on, err := New(Config{Secrets: secrets, Compress: true, Now: clk.Now})
	require.NoError(t, err)

	for _, tc := range []struct {
		name  string
		c     *Codec
		value string
		want  bool
	}{
		{"compressible", on, compressible, true},
		{"below the threshold", on, strings.Repeat("a", compressMin-3), false},
		{"at the threshold", on, strings.Repeat("a", compressMin-2), true},
		{"off by default", off, compressible, false},
	} {
		s, err := tc.c.Encode("s", tc.value)
		require.NoError(t, err, tc.name)
		h, err := Inspect(s)
		require.NoError(t, err, tc.name)
		assert.Equal(t, tc.want, h.Compressed, tc.name)
		// Either codec opens either kind.
		for _, d := range []*Codec{on, off} {
			var out string
			require.NoError(t, d.Decode("s", s, &out), tc.name)
			assert.Equal(t, tc.value, out, tc.name)
		}
		if tc.want {
			assert.Less(t, len(s), base64.RawURLEncoding.EncodedLen(overhead+len(tc.value)+2), tc.name)
		} else {
			assert.Equal(t, base64.RawURLEncoding.EncodedLen(sealedLen(issuedAtSize+len(tc.value)+2)), len(s), tc.name)
		}
	}
}

// A zero Config never compresses: a 2 KB value that DEFLATE would shrink
// tenfold is sealed as it is (issue 9: compression is a length oracle).
func TestZeroConfigSealsUncompressed(t *testing.T) {
	value := strings.Repeat(`{"sku":"sku-0001","qty":1},`, 80) // 2160 bytes, compressible
	require.Greater(t, len(value), 2000)
	c, err := New(Config{Secrets: newSecrets(1)})
	require.NoError(t, err)
	s, err := c.Encode("s", value)
	require.NoError(t, err)
	h, err := Inspect(s)
	require.NoError(t, err)
	assert.False(t, h.Compressed, "a zero Config compressed")

	c, err = New(Config{Secrets: newSecrets(1), Compress: true})
	require.NoError(t, err)
	s, err = c.Encode("s", value)
	require.NoError(t, err)
	h, err = Inspect(s)
	require.NoError(t, err)
	assert.True(t, h.Compressed, "Compress: true did not compress")
}

// Encode writes JSON as JSON, not as HTML: a json.RawMessage comes back as
// given (compacted), and "<", ">", "&" stay themselves in any value.
func TestEncodeDoesNotEscapeHTML(t *testing.T) {
	c := newTestCodec(t, newClock(t0), newSecrets(1)...)
	in := json.RawMessage(`{"a": "<b>&amp;</b>"}`)
	s, err := c.Encode("s", in)
	require.NoError(t, err)
	var raw json.RawMessage
	require.NoError(t, c.Decode("s", s, &raw))
	assert.Equal(t, `{"a":"<b>&amp;</b>"}`, unpadded(raw))

	s, err = c.Encode("s", map[string]string{"a": "<&>"})
	require.NoError(t, err)
	require.NoError(t, c.Decode("s", s, &raw))
	assert.Equal(t, `{"a":"<&>"}`, unpadded(raw))
}
