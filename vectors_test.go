package cookieseal

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var update = flag.Bool("update", false, "rewrite testdata/vectors.json from the generator (never golden.json)")

// vectorFile is the layout of testdata/vectors.json, described in SPEC.md.
type vectorFile struct {
	Comment string          `json:"comment"`
	Valid   []validVector   `json:"valid"`
	Invalid []invalidVector `json:"invalid"`
}

type validVector struct {
	Description string   `json:"description"`
	Secrets     []string `json:"secrets"`
	Name        string   `json:"name"`
	Now         int64    `json:"now"` // Unix seconds: the issued-at, and the decoding time
	Nonce       string   `json:"nonce"`
	Kind        string   `json:"kind"`    // "json", or "values" for a map[interface{}]interface{}
	Payload     string   `json:"payload"` // the JSON that is sealed
	Compressed  bool     `json:"compressed"`
	Cookie      string   `json:"cookie"`
}

type invalidVector struct {
	Description string   `json:"description"`
	Secrets     []string `json:"secrets"`
	Name        string   `json:"name"`
	Now         int64    `json:"now"`
	MaxAge      int64    `json:"max_age"` // seconds; 0 means the default
	Cookie      string   `json:"cookie"`
	Kind        string   `json:"kind"`  // what it decodes into: "json" (raw JSON) or "values"
	Error       string   `json:"error"` // "invalid", "expired", "unknown key" or "too large"
}

var errorNames = map[string]error{"invalid": ErrInvalid, "expired": ErrExpired, "unknown key": ErrUnknownKey, "too large": ErrTooLarge}

// vectorCodec builds the codec a vector describes, with its clock and nonce.
func vectorCodec(t testing.TB, secrets []string, now, maxAge int64, nonce []byte) *Codec {
	t.Helper()
	c, err := New(Config{Secrets: secrets, Now: func() time.Time { return time.Unix(now, 0) }, MaxAge: time.Duration(maxAge) * time.Second})
	require.NoError(t, err)
	if nonce != nil {
		c.rand = bytes.NewReader(nonce)
	}
	return c
}

func TestVectors(t *testing.T) {
	if *update {
		writeVectors(t)
	}
	b, err := os.ReadFile(filepath.Join("testdata", "vectors.json"))
	require.NoError(t, err)
	var f vectorFile
	require.NoError(t, json.Unmarshal(b, &f))
	require.NotEmpty(t, f.Valid)
	require.NotEmpty(t, f.Invalid)

	for _, v := range f.Valid {
		t.Run("valid/"+v.Description, func(t *testing.T) {
			nonce, err := hexDecode(v.Nonce)
			require.NoError(t, err)
			c := vectorCodec(t, v.Secrets, v.Now, 0, nonce)
			var raw json.RawMessage
			info, err := c.DecodeInfo(v.Name, v.Cookie, &raw)
			require.NoError(t, err)
			assert.Equal(t, v.Payload, string(raw))
			assert.Equal(t, v.Now, info.IssuedAt.Unix())
			h, err := Inspect(v.Cookie)
			require.NoError(t, err)
			assert.Equal(t, v.Compressed, h.Compressed)
			assert.Equal(t, v.Kind == "values", h.Typed)

			// And Encode, given the same nonce and clock, writes the same cookie
			// (compressing only where the vector is compressed).
			c.compress = v.Compressed
			var value any = json.RawMessage(v.Payload)
			if v.Kind == "values" {
				var m map[any]any
				require.NoError(t, c.Decode(v.Name, v.Cookie, &m))
				value = m
			}
			got, err := c.Encode(v.Name, value)
			require.NoError(t, err)
			assert.Equal(t, v.Cookie, got)
		})
	}
	for _, v := range f.Invalid {
		t.Run("invalid/"+v.Description, func(t *testing.T) {
			want, ok := errorNames[v.Error]
			require.True(t, ok, "error %q", v.Error)
			c := vectorCodec(t, v.Secrets, v.Now, v.MaxAge, nil)
			if v.Kind == "values" {
				m := map[any]any{"untouched": true}
				requireClass(t, c.Decode(v.Name, v.Cookie, &m), want)
				assert.Equal(t, map[any]any{"untouched": true}, m)
				return
			}
			raw := json.RawMessage("untouched")
			requireClass(t, c.Decode(v.Name, v.Cookie, &raw), want)
			assert.Equal(t, "untouched", string(raw))
		})
	}
}

func hexDecode(s string) ([]byte, error) {
	var b []byte
	_, err := fmt.Sscanf(s, "%x", &b)
	return b, err
}

// Secrets of the vectors: public by design, for tests only.
var vectorSecrets = []string{
	"cookieseal-test-vector-secret-1-PUBLIC-never-use",
	"cookieseal-test-vector-secret-2-PUBLIC-never-use",
	"cookieseal-test-vector-secret-3-PUBLIC-never-use",
}

const vectorNow = 1795700000 // 2026-11-25T...Z, Unix seconds

// vectorNonce is a fixed nonce per description, so the file regenerates to
// the same bytes.
func vectorNonce(desc string) []byte {
	sum := sha256.Sum256([]byte("nonce " + desc))
	return sum[:nonceSize]
}

func writeVectors(t *testing.T) {
	t.Helper()
	f := vectorFile{Comment: "cookieseal v1 test vectors; see SPEC.md. The secrets are public test values: never use them."}
	add := func(desc string, secrets []string, name string, kind string, value any) validVector {
		nonce := vectorNonce(desc)
		c := vectorCodec(t, secrets, vectorNow, 0, nonce)
		c.compress = true // compressing only where it pays: the cart
		cookie, err := c.Encode(name, value)
		require.NoError(t, err)
		var raw json.RawMessage
		require.NoError(t, c.Decode(name, cookie, &raw))
		h, err := Inspect(cookie)
		require.NoError(t, err)
		v := validVector{Description: desc, Secrets: secrets, Name: name, Now: vectorNow, Nonce: fmt.Sprintf("%x", nonce),
			Kind: kind, Payload: string(raw), Compressed: h.Compressed, Cookie: cookie}
		f.Valid = append(f.Valid, v)
		return v
	}
	one := vectorSecrets[:1]
	str := add("a JSON string", one, "session", "json", "hello")
	obj := add("a JSON object", one, "session", "json", map[string]any{"user_id": 42, "email": "ada@example.org", "roles": []string{"admin"}})
	add("an empty cookie name", one, "", "json", true)
	add("a UTF-8 cookie name", one, "sessión", "json", []int{1, 2, 3})
	add("sealed by the first of two secrets", vectorSecrets[1:], "session", "json", "rotated")
	comp := add("a compressed cart", one, "cart", "json", cart(30))
	vals := add("gorilla session values", one, "app", "values", map[any]any{
		"count": 41, "name": "ada", "admin": true, "ratio": 0.5, "big": int64(1) << 40, 7: "int key",
		"flashes": []any{"saved"}, "tags": []string{"a", "b"},
	})
	require.True(t, comp.Compressed, "the cart vector must be compressed")

	bad := func(desc string, secrets []string, name string, now, maxAge int64, cookie, errName string) {
		kind := "json"
		if strings.Contains(desc, "typed") {
			kind = "values"
		}
		f.Invalid = append(f.Invalid, invalidVector{desc, secrets, name, now, maxAge, cookie, kind, errName})
	}
	raw := func(cookie string) []byte {
		b, err := base64.RawURLEncoding.DecodeString(cookie)
		require.NoError(t, err)
		return b
	}
	enc := base64.RawURLEncoding.EncodeToString
	flip := func(cookie string, i int) string { b := raw(cookie); b[i] ^= 1; return enc(b) }
	c := vectorCodec(t, one, vectorNow, 0, nil)
	reseal := func(flags byte, iat int64, payload string) string {
		return sealRaw(t, c, "session", flags, iat, []byte(payload))
	}

	bad("wrong cookie name", one, "Session", vectorNow, 0, obj.Cookie, "invalid")
	bad("name moved into the value", one, "sessio", vectorNow, 0, obj.Cookie, "invalid")
	bad("flipped bit in the tag", one, "session", vectorNow, 0, flip(obj.Cookie, len(raw(obj.Cookie))-1), "invalid")
	bad("flipped bit in the ciphertext", one, "session", vectorNow, 0, flip(obj.Cookie, overhead-tagSize+2), "invalid")
	bad("flipped bit in the nonce", one, "session", vectorNow, 0, flip(obj.Cookie, headerSize+3), "invalid")
	bad("compressed flag cleared", one, "cart", vectorNow, 0, flip(comp.Cookie, 5), "invalid")
	bad("typed flag set", one, "session", vectorNow, 0, enc(func() []byte { b := raw(obj.Cookie); b[5] |= flagTyped; return b }()), "invalid")
	bad("unknown flag bit", one, "session", vectorNow, 0, enc(func() []byte { b := raw(obj.Cookie); b[5] |= 0x80; return b }()), "invalid")
	bad("unknown version", one, "session", vectorNow, 0, enc(func() []byte { b := raw(obj.Cookie); b[0] = 2; return b }()), "invalid")
	bad("key not in the ring", vectorSecrets[1:2], "session", vectorNow, 0, obj.Cookie, "unknown key")
	bad("key removed after rotation", vectorSecrets[2:], "session", vectorNow, 0, obj.Cookie, "unknown key")
	bad("expired by one second", one, "session", vectorNow+3601, 3600, obj.Cookie, "expired")
	bad("expired under the default max age", one, "session", vectorNow+86401, 0, obj.Cookie, "expired")
	bad("issued beyond the clock skew", one, "session", vectorNow, 0, reseal(0, vectorNow+61, `"v"`), "invalid")
	bad("padded base64", one, "session", vectorNow, 0, str.Cookie+strings.Repeat("=", (4-len(str.Cookie)%4)%4), "invalid")
	bad("base64 with a line break", one, "session", vectorNow, 0, str.Cookie[:20]+"\r\n"+str.Cookie[20:], "invalid")
	bad("standard base64 alphabet", one, "session", vectorNow, 0, strings.NewReplacer("-", "+", "_", "/").Replace(obj.Cookie+"-_"), "invalid")
	bad("truncated by one character", one, "session", vectorNow, 0, obj.Cookie[:len(obj.Cookie)-1], "invalid")
	bad("shorter than the minimum", one, "session", vectorNow, 0, enc(raw(obj.Cookie)[:overhead-1]), "invalid")
	bad("empty value", one, "session", vectorNow, 0, "", "invalid")
	bad("authentic, DEFLATE with trailing bytes", one, "session", vectorNow, 0, reseal(flagDeflate, vectorNow, string(append(deflate(nil, []byte(`"vvvvvvvvvvvvvvvv"`)), 0))), "invalid")
	bad("authentic, JSON with trailing data", one, "session", vectorNow, 0, reseal(0, vectorNow, `"v" "w"`), "invalid")
	bad("authentic, typed float without a tag", one, "session", vectorNow, 0, reseal(flagTyped, vectorNow, `{"map":{"n":1.5}}`), "invalid")
	bad("authentic, inflates past 256 KiB", one, "session", vectorNow, 0, reseal(flagDeflate, vectorNow, string(deflate(nil, []byte(`"`+strings.Repeat("a", MaxPayloadSize)+`"`)))), "too large")
	bad("over 4096 bytes with the name", one, "session", vectorNow, 0, vals.Cookie+strings.Repeat("A", 4096-len("session=")-len(vals.Cookie)+1), "too large")

	b, err := json.MarshalIndent(f, "", "  ")
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(filepath.Join("testdata", "vectors.json"), append(b, '\n'), 0o644))
}

type cartItem struct {
	SKU   string  `json:"sku"`
	Name  string  `json:"name"`
	Qty   int     `json:"qty"`
	Price float64 `json:"price"`
}

func cart(n int) []cartItem {
	items := make([]cartItem, n)
	for i := range items {
		items[i] = cartItem{SKU: fmt.Sprintf("SKU-%06d", 100000+i*37), Name: fmt.Sprintf("Item number %d, blue", i), Qty: 1 + i%4, Price: 9.99 + float64(i)}
	}
	return items
}

// golden.json holds cookies sealed by earlier releases. They must open in
// every later one: never regenerate this file, only add to it.
func TestGoldenCookies(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("testdata", "golden.json"))
	require.NoError(t, err)
	var golden []struct {
		Description string   `json:"description"`
		Release     string   `json:"release"`
		Secrets     []string `json:"secrets"`
		Name        string   `json:"name"`
		IssuedAt    int64    `json:"issued_at"`
		Kind        string   `json:"kind"`
		Payload     string   `json:"payload"`
		Cookie      string   `json:"cookie"`
	}
	require.NoError(t, json.Unmarshal(b, &golden))
	require.NotEmpty(t, golden)
	for _, g := range golden {
		t.Run(g.Description, func(t *testing.T) {
			c := vectorCodec(t, g.Secrets, g.IssuedAt+60, 0, nil)
			var raw json.RawMessage
			require.NoError(t, c.Decode(g.Name, g.Cookie, &raw))
			assert.Equal(t, g.Payload, string(raw))
			if g.Kind == "values" {
				var m map[any]any
				require.NoError(t, c.Decode(g.Name, g.Cookie, &m))
				assert.IsType(t, 0, m["count"], "an int stays an int")
			}
		})
	}
}
