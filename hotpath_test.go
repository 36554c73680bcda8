package cookieseal

import (
	"bytes"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

// These tests pin the bytes Encode produces for a fixed secret, nonce, clock
// and value, so that work on the hot paths cannot change the wire format, and
// check that Decode keeps its error classes and leaves dst alone on failure.

// hotpathNow is the fixed clock of these tests.
var hotpathNow = time.Unix(1_700_000_000, 0)

// countingReader is a deterministic nonce source: 0, 1, 2, ... per Codec.
type countingReader struct{ next byte }

func (r *countingReader) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = r.next
		r.next++
	}
	return len(p), nil
}

// hotpathSecret is a fixed test-only secret; it is never used outside tests.
func hotpathSecret(i int) string {
	return fmt.Sprintf("test-only secret %02d for golden cookies, never deploy", i)
}

func newHotpathCodec(t testing.TB, keys int, cfg Config) *Codec {
	t.Helper()
	for i := 0; i < keys; i++ {
		cfg.Secrets = append(cfg.Secrets, hotpathSecret(i))
	}
	cfg.Now = func() time.Time { return hotpathNow }
	c, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	c.rand = &countingReader{}
	return c
}

type hotpathSession struct {
	UserID int               `json:"uid"`
	Email  string            `json:"email"`
	Roles  []string          `json:"roles"`
	CSRF   string            `json:"csrf"`
	Flash  []string          `json:"flash"`
	Prefs  map[string]string `json:"prefs"`
}

type hotpathItem struct {
	SKU   string `json:"sku"`
	Name  string `json:"name"`
	Qty   int    `json:"qty"`
	Price int64  `json:"price"`
}

func hotpathCart() []hotpathItem {
	items := make([]hotpathItem, 30)
	for i := range items {
		items[i] = hotpathItem{SKU: fmt.Sprintf("SKU-%06d", 100000+i*7), Name: fmt.Sprintf("Organic cotton T-shirt, size %d", i%5), Qty: 1 + i%3, Price: int64(1999 + i*100)}
	}
	return items
}

var hotpathCases = []struct {
	name   string
	cookie string
	value  any
	dst    func() any // a fresh pointer to decode into
	want   string     // base64url of the cookie for nonce 0..23 and hotpathNow
}{
	{
		name:   "struct",
		cookie: "session",
		value: hotpathSession{UserID: 42, Email: "ada@example.com", Roles: []string{"admin", "editor"}, CSRF: "dGhpcyBpcyBhIGNzcmYgdG9rZW4",
			Flash: []string{"Saved.", "Welcome back!"}, Prefs: map[string]string{"theme": "dark", "lang": "en", "tz": "Europe/Paris"}},
		dst:  func() any { return new(hotpathSession) },
		want: "ARgFJL8AAAECAwQFBgcICQoLDA0ODxAREhMUFRYX0CiEcFniqyJcM_48g8440VY91TmKZJIPYlzPhbeeqVb1OCUcdtQNTnm281bhILThcznQFkMtw3kRcz0bf7UjWx5xz1rPN37hf5-Hfo9_ishhtJ6xKHdsO8HaagtwxvPkiupAtWPJqhaNiZyNidvdzIkNVqv_VTaysOLRCtcp9Z9hnuZoQy3C1XN4JkVuzvKfS0-lpLAj2A839wKufAHVhEtrblQL8cKwz7XluXA02kGdVllTQGDUBnKjwQAufX6uj2Hrb9kUJAzl5qrjpWzzLSxagsrj0cjnnjNBsvHixuhHgheYCX0epbCJe5m3nJEY",
	},
	{
		name:   "cart compressed",
		cookie: "cart",
		value:  hotpathCart(),
		dst:    func() any { return new([]hotpathItem) },
		want:   "ARgFJL8BAAECAwQFBgcICQoLDA0ODxAREhMUFRYX0CiEcFniqyKzhTYbJNwWozs0BcCtvE2Qo9rv59DPyLUn82gurmGlLEYEzAeCH3VPIRaFmlZzTOiV-dwC7On84arYnERJqJ1W8lyIwxabdTK4a2mzBtmSu8CkFrWse0L3_XjF7Vgf09AhpQH9hBjKkvfeyXqB0hH6OZbuB6RZLo_wwVRQomAz_-ZMLzzEUVaj5IuYRehwU4KLiVgjBsLda39cSz4lMDvtzZaexBTcI7wzbqbo2rJaVxqqckmjxgjQhjcVXp1wu83co1fx589AG-cDkSB5kizRraRx47-vq1NFPFUG8qoutohw9aHUEGgRlxf4bWh5vmdc2TDQNfTZEgW4jCttewp0fYB4lmzWur4p5IBxO5Nt6rSkVVwy1Bhp_4KPuJxnG6ssi6KGmwJhLCYyjxM4ViOSeJicRpqbsG1T4abDZ4RuqrIRtCfcauM1NBK9M2d2lfA45aSM25434x6yL3q3SlHNZYGA5n8RcE7ijh0gKoecZNoZLZdbMp3LTnqZXykvuE2EDUe8SUN5-vgUcHfAcVI5Fxy-VqC88h6R",
	},
	{
		name:   "values object",
		cookie: "s",
		value:  map[any]any{"uid": 7, "name": "Ada", "admin": true, "ratio": 0.5, "big": int64(1 << 40), "tags": []string{"a", "b"}, "raw": []byte{0, 1, 255}, "at": hotpathNow.UTC(), "nested": map[string]any{"x": []any{1, "y", nil}}, "u8": uint8(3), "esc": "q\"\\\n\t\x01é"},
		dst:    func() any { return new(map[any]any) },
		want:   "ARgFJL8CAAECAwQFBgcICQoLDA0ODxAREhMUFRYX0CiEcFniqyJcM-Y0l844nkZwkzGOa9lZNBSYgf_diEevYzNObthOSDTh80jzYOigJ3vfHSxbkC9GK2ADYaccHQopgkqEDXD5Z86cdtlznI4c7d7raAAtaY6qNXUAvvSrxdZUsgbK-j2Gn-L999Pt2aYQRKGURqZ65KuXSpRosuo-0MRjT2rOlXx-PhAp9_yHQB-voKlkgQA3oRjiYwHV_R8pbgELqcSgzrya_i98mUGXABweFiCNHjaK2xM1Oy-j5TC3M9caewOksaj5_m6xdHgf0cj506mG9jxD7_3gkqlL_OxlJYswZHmUfkhUVESh9e2TOV8NvtycRxwRlEI-5ZWrKA2MnqT8KDDc1CeptdB0vjCWCnojjM03E7h1w5vlIu2oxW7lOx5D3Eqo82hYqw",
	},
	{
		name:   "values pairs",
		cookie: "s",
		value:  map[any]any{1: "one", "two": 2, true: []int{1, 2}, int64(-5): float32(1.5), uint16(9): map[any]any{"k": "v"}},
		dst:    func() any { return new(map[any]any) },
		want:   "ARgFJL8CAAECAwQFBgcICQoLDA0ODxAREhMUFRYX0CiEcFniqyJcM-Y0l844vj8zgyuIJ9dRHUq21f_dhl3oexVAQcVRWHP3qliqPK_-NHCpHTQ9_2AhNghCcf4oS0ExghLAXy_vZ86TdMIk3J8U_tTjfwBhBZTDeWBC4efz1oUF6x2N9Df40N_RiYfKj5FHTrPSVRium9rIBNUl9-iRUYSWjlDK7xgXFnu8-RTf",
	},
	{
		name:   "values pointer",
		cookie: "s",
		value:  &map[any]any{"n": 1},
		dst:    func() any { return new(any) },
		want:   "ARgFJL8CAAECAwQFBgcICQoLDA0ODxAREhMUFRYX0CiEcFniqyJcM-Y0l844nkZ_1WbWeIZDYEbNxPPfyROSTonviudOnXadsnueKjwr",
	},
	{
		name:   "raw",
		cookie: "s",
		value:  json.RawMessage(`{"a":[1,2,3]}`),
		dst:    func() any { return new(json.RawMessage) },
		want:   "ARgFJL8AAAECAwQFBgcICQoLDA0ODxAREhMUFRYX0CiEcFniqyJcM-p33bczyVY9xAGaJdtDYEbNxPPfyRPpgD-S2GraFcbdFGUJ96OZ",
	},
	{
		name:   "string",
		cookie: "a-rather-long-cookie-name",
		value:  strings.Repeat("x", 300),
		dst:    func() any { return new(string) },
		want:   "ARgFJL8AAAECAwQFBgcICQoLDA0ODxAREhMUFRYX0CiEcFniqyIFafMtn5R6nRxpjySffYMbOB6VnKuHkUv1ITAUYslbVW6jqQK7KqP1bjKKVGB32mUEYitBK-8-Rw992FCVEiq7ZJSNYNU90NRepJaqKU1kIMDgejpP8PH_n8tfqVyIoDSixcbZ08XJ1YIdDOncDx2rvv_NXI19r7B8iv1_VjCaz2pjNRw066bFQ0W4urt5mgxt4xu4Y1uX3lZ9NABR_dKt2qi_-yoow0uODA0JTGKORCiezAo5dWP5p3jhftJOIQm9vvK7_TSrdXQC2pK7iZC_xmsZ6qm6nrBU97YnJtE7aHOFaFdfDgaCr_TJbQUX5PmZE0Yc1Bh85s-mORuA3v6-YzWIjiq4qYo28TWTUiJ71JVvS-Atm8O93snlcKeUVo2NKUDLwGs0DNZywHrVQWj0Os6P7c_fXQUc6lQhNAmTXftVtSp2dC_h",
	},
}

func TestHotpathGolden(t *testing.T) {
	for _, tc := range hotpathCases {
		t.Run(tc.name, func(t *testing.T) {
			// Compress: the cart case is the compressed path; the others are
			// under the 1024-byte threshold and seal the same either way.
			c := newHotpathCodec(t, 1, Config{Compress: true})
			got, err := c.Encode(tc.cookie, tc.value)
			if err != nil {
				t.Fatal(err)
			}
			if got != tc.want {
				t.Errorf("Encode(%q) = %q, want %q", tc.cookie, got, tc.want)
			}
		})
	}
}

// wantDecoded is what decoding a hotpathCase gives back.
func wantDecoded(v any) any {
	switch x := v.(type) {
	case *map[any]any:
		return *x
	case []hotpathItem:
		return x
	}
	return v
}

func TestHotpathGoldenDecode(t *testing.T) {
	for _, tc := range hotpathCases {
		t.Run(tc.name, func(t *testing.T) {
			c := newHotpathCodec(t, 1, Config{})
			dst := tc.dst()
			info, err := c.DecodeInfo(tc.cookie, tc.want, dst)
			if err != nil {
				t.Fatal(err)
			}
			got := hotpathGot(dst)
			if want := wantDecoded(tc.value); !reflect.DeepEqual(got, want) {
				t.Errorf("Decode = %#v, want %#v", got, want)
			}
			if !info.IssuedAt.Equal(hotpathNow) || info.KeyID != c.KeyIDs()[0] || info.Reissue || info.Legacy {
				t.Errorf("Info = %+v, want IssuedAt %v, KeyID %v", info, hotpathNow, c.KeyIDs()[0])
			}
		})
	}
}

// A plain JSON object decodes into session values with ints kept.
func TestHotpathPlainIntoValues(t *testing.T) {
	c := newHotpathCodec(t, 1, Config{})
	var m map[any]any
	if err := c.Decode("session", hotpathCases[0].want, &m); err != nil {
		t.Fatal(err)
	}
	want := map[any]any{"uid": 42, "email": "ada@example.com", "roles": []any{"admin", "editor"}, "csrf": "dGhpcyBpcyBhIGNzcmYgdG9rZW4",
		"flash": []any{"Saved.", "Welcome back!"}, "prefs": map[string]any{"theme": "dark", "lang": "en", "tz": "Europe/Paris"}}
	if !reflect.DeepEqual(m, want) {
		t.Errorf("got %#v, want %#v", m, want)
	}
}

// sealByHand seals payload with flags the way encode does, so tests can hand
// Decode authentic cookies with any payload.
func sealByHand(t testing.TB, c *Codec, name string, flags byte, payload []byte) string {
	t.Helper()
	k := c.ring.Load().keys[0]
	buf := make([]byte, headerSize+nonceSize, overhead+len(payload))
	buf[0] = version1
	buf[1], buf[2], buf[3], buf[4] = byte(k.id>>24), byte(k.id>>16), byte(k.id>>8), byte(k.id)
	buf[5] = flags
	if _, err := io.ReadFull(c.rand, buf[headerSize:]); err != nil {
		t.Fatal(err)
	}
	body := make([]byte, issuedAtSize, issuedAtSize+len(payload))
	u := uint64(hotpathNow.Unix())
	for i := 0; i < 8; i++ {
		body[i] = byte(u >> (56 - 8*i))
	}
	body = append(body, payload...)
	ad := append(append([]byte(nil), buf[:headerSize]...), byte(len(name)>>24), byte(len(name)>>16), byte(len(name)>>8), byte(len(name)))
	ad = append(ad, name...)
	out := k.aead.Seal(buf, buf[headerSize:headerSize+nonceSize], body, ad)
	return encodeBase64(out)
}

func encodeBase64(b []byte) string {
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
	var sb strings.Builder
	for i := 0; i < len(b); i += 3 {
		var n uint32
		k := min(3, len(b)-i)
		for j := 0; j < k; j++ {
			n |= uint32(b[i+j]) << (16 - 8*j)
		}
		for j := 0; j <= k; j++ {
			sb.WriteByte(alphabet[n>>(18-6*j)&63])
		}
	}
	return sb.String()
}

func TestHotpathSealRawMatchesEncode(t *testing.T) {
	c := newHotpathCodec(t, 1, Config{})
	want, err := c.Encode("raw", json.RawMessage(`{"a":[1,2,3]}`))
	if err != nil {
		t.Fatal(err)
	}
	c.rand = &countingReader{}
	body := []byte(`{"a":[1,2,3]}`)
	body = append(body, spaces[:padLen(issuedAtSize, len(body), DefaultMaxPayload, DefaultMaxLength-len("raw="))]...) // SPEC.md 5.4
	if got := sealByHand(t, c, "raw", 0, body); got != want {
		t.Errorf("sealRaw = %q, want Encode's %q", got, want)
	}
}

// decodeFails checks that Decode fails with exactly the sentinel want and
// leaves dst as it was.
func decodeFails(t *testing.T, c *Codec, name, value string, want error) {
	t.Helper()
	decodeFailsInto(t, c, name, value, want, true)
}

// decodeFailsInto is decodeFails; withRaw adds *json.RawMessage to the dsts
// tried, which accepts any authentic cookie whose payload is JSON.
func decodeFailsInto(t *testing.T, c *Codec, name, value string, want error, withRaw bool) {
	t.Helper()
	dst := map[any]any{"keep": 1}
	var s hotpathSession
	s.UserID = 99
	var raw json.RawMessage = json.RawMessage("keep")
	dsts := []any{&dst, &s}
	if withRaw {
		dsts = append(dsts, &raw)
	}
	for _, d := range dsts {
		err := c.Decode(name, value, d)
		if err == nil {
			t.Fatalf("Decode(%q, %.40q...) into %T: no error, want %v", name, value, d, want)
		}
		n := 0
		for _, e := range []error{ErrInvalid, ErrExpired, ErrUnknownKey, ErrTooLarge} {
			if errors.Is(err, e) {
				n++
			}
		}
		if !errors.Is(err, want) || n != 1 {
			t.Errorf("Decode into %T: error %v, want exactly %v", d, err, want)
		}
	}
	if !reflect.DeepEqual(dst, map[any]any{"keep": 1}) || s.UserID != 99 || s.Email != "" || string(raw) != "keep" {
		t.Errorf("dst changed on failure: %v %+v %q", dst, s, raw)
	}
}

func TestHotpathDecodeErrors(t *testing.T) {
	c := newHotpathCodec(t, 2, Config{})
	good := hotpathCases[0].want
	raw, err := decodeBase64(good)
	if err != nil {
		t.Fatal(err)
	}
	t.Run("every byte flipped", func(t *testing.T) {
		for i := range raw {
			b := bytes.Clone(raw)
			b[i] ^= 0x01
			want := ErrInvalid
			if 1 <= i && i <= 4 {
				want = ErrUnknownKey
			}
			decodeFails(t, c, "session", encodeBase64(b), want)
		}
	})
	t.Run("every truncation", func(t *testing.T) {
		for n := 0; n < len(raw); n++ {
			decodeFails(t, c, "session", encodeBase64(raw[:n]), ErrInvalid)
		}
		for n := 0; n < len(good); n++ {
			decodeFails(t, c, "session", good[:n], ErrInvalid)
		}
	})
	t.Run("spelling", func(t *testing.T) {
		for _, v := range []string{good + "=", good[:10] + "\n" + good[10:], good[:10] + "\r" + good[10:], good + " ", "+" + good[1:], good[:len(good)-1] + "/"} {
			decodeFails(t, c, "session", v, ErrInvalid)
		}
		// A non-canonical last character: one with unused low bits set.
		for _, tc := range hotpathCases {
			v := tc.want
			spare := map[int]int{2: 0xf, 3: 0x3}[len(v)%4]
			if spare == 0 {
				continue
			}
			const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
			last := strings.IndexByte(alphabet, v[len(v)-1])
			if last&spare != 0 {
				t.Fatalf("%s: canonical cookie has spare bits set", tc.name)
			}
			decodeFails(t, c, tc.cookie, v[:len(v)-1]+string(alphabet[last|1]), ErrInvalid)
		}
	})
	t.Run("other name", func(t *testing.T) {
		decodeFails(t, c, "session2", good, ErrInvalid)
		decodeFails(t, c, "sessio", good, ErrInvalid)
	})
	t.Run("too long", func(t *testing.T) {
		decodeFails(t, c, "session", strings.Repeat("A", DefaultMaxLength), ErrTooLarge)
	})
	t.Run("unknown key", func(t *testing.T) {
		other := newHotpathCodec(t, 0, Config{Secrets: []string{hotpathSecret(7)}})
		v, err := other.Encode("session", 1)
		if err != nil {
			t.Fatal(err)
		}
		decodeFails(t, c, "session", v, ErrUnknownKey)
	})
	t.Run("expired and future", func(t *testing.T) {
		late := newHotpathCodec(t, 1, Config{})
		late.now = func() time.Time { return hotpathNow.Add(DefaultMaxAge + time.Second) }
		decodeFails(t, late, "session", good, ErrExpired)
		early := newHotpathCodec(t, 1, Config{})
		early.now = func() time.Time { return hotpathNow.Add(-MaxClockSkew - time.Second) }
		decodeFails(t, early, "session", good, ErrInvalid)
	})
	t.Run("payloads", func(t *testing.T) {
		// Authentic cookies whose payload no dst accepts.
		for _, p := range []struct {
			flags   byte
			payload string
		}{
			{0, ``}, {0, `{`}, {0, `{} {}`}, {0, `{}x`}, {0, "\xff"}, {0, `{"a":1,}`},
			{flagTyped, `{}`}, {flagTyped, `{"map":{"a":1}} 1`}, {flagTyped, `{"map":{"a":1.5}}`}, {flagTyped, `{"map":{"a":{"nope":1}}}`},
			{flagTyped, `{"map":[[1]]}`}, {flagTyped, `{"map":[[[1],2]]}`}, {flagTyped, `{"map":[[1,2],[1,3]]}`}, {flagTyped, `{"map":{"a":{"int8":300}}}`},
			{flagTyped, `{"map":{"a":{"int8":1,"int16":2}}}`}, {flagTyped, `{"map":{"a":{"bytes":"AA="}}}`}, {flagTyped, `{"map":{"a":{"time":"x"}}}`},
			{flagTyped, `{"map":{"a":{"strings":[1]}}}`}, {flagTyped, `{"map":{"a":{"ints":["1"]}}}`}, {flagTyped, `{"map":{"a":{"float64":"1"}}}`},
			{flagTyped, `[1]`}, {flagTyped, `{"map":{"a":99999999999999999999}}`}, {flagTyped, `{"map":{"a":1e3}}`}, {flagTyped, `{"map":{"a":"x"}} x`},
			{flagTyped, `{"map":{"a":{"map":{"b":{"uint8":-1}}}}}`}, {flagTyped, `{"map":[[{"ints":[1]},1]]}`}, {flagTyped, `{"strings":["a"]}`},
			{flagDeflate, "\x01\x02"}, {flagDeflate, ""},
		} {
			v := sealByHand(t, c, "p", p.flags, []byte(p.payload))
			// Every path refuses them, *json.RawMessage included: a typed
			// payload must be well-formed typed values (SPEC.md 6).
			decodeFailsInto(t, c, "p", v, ErrInvalid, true)
		}
		// Valid JSON that does not fit session values or a session struct.
		for _, p := range []string{`[1]`, `"s"`, `true`} {
			v := sealByHand(t, c, "p", 0, []byte(p))
			decodeFailsInto(t, c, "p", v, ErrInvalid, false)
		}
		v := sealByHand(t, c, "p", 0, []byte(`{"uid":"x"}`))
		s := hotpathSession{UserID: 99}
		if err := c.Decode("p", v, &s); !errors.Is(err, ErrInvalid) || s.UserID != 99 {
			t.Errorf("uid string into struct: %v, dst %+v; want ErrInvalid and dst untouched", err, s)
		}
	})
}

// Encode and Decode share pooled buffers; under -race this checks that no
// goroutine sees another's.
func TestHotpathConcurrent(t *testing.T) {
	c := newHotpathCodec(t, 1, Config{Compress: true}) // the cart takes the pooled DEFLATE path
	c.rand = cryptoReader{}
	var wg sync.WaitGroup
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			for i := 0; i < 50; i++ {
				tc := hotpathCases[(g+i)%len(hotpathCases)]
				v, err := c.Encode(tc.cookie, tc.value)
				if err != nil {
					t.Error(err)
					return
				}
				dst := tc.dst()
				if err := c.Decode(tc.cookie, v, dst); err != nil {
					t.Error(err)
					return
				}
				if got, want := hotpathGot(dst), wantDecoded(tc.value); !reflect.DeepEqual(got, want) {
					t.Errorf("%s: got %#v, want %#v", tc.name, got, want)
					return
				}
			}
		}(g)
	}
	wg.Wait()
}

type cryptoReader struct{}

func (cryptoReader) Read(p []byte) (int, error) { return rand.Read(p) }

// referenceBase64 is decodeBase64 as it was before the fast path: an
// alphabet check, then the standard strict decoder.
func referenceBase64(s string) ([]byte, error) {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '-' || c == '_') {
			return nil, fmt.Errorf("%w at offset %d", errAlphabet, i)
		}
	}
	return base64.RawURLEncoding.Strict().DecodeString(s)
}

func checkBase64(t *testing.T, s string) {
	t.Helper()
	want, wantErr := referenceBase64(s)
	got, err := appendBase64([]byte("prefix"), s)
	if (err == nil) != (wantErr == nil) || err != nil && err.Error() != wantErr.Error() {
		t.Fatalf("appendBase64(%q): error %v, want %v", s, err, wantErr)
	}
	if err == nil && (string(got[:6]) != "prefix" || !bytes.Equal(got[6:], want)) {
		t.Fatalf("appendBase64(%q) = %q, want prefix + %q", s, got, want)
	}
}

// Every string of up to 3 characters over a set that has each class of
// character (alphabet edges, CR, LF, padding, standard-alphabet extras), and
// every cookie of the golden set with each character replaced.
func TestHotpathBase64MatchesStrict(t *testing.T) {
	chars := "AB_-zZ09aQgw=+/\r\n \x00\xff"
	var rec func(prefix string, n int)
	rec = func(prefix string, n int) {
		checkBase64(t, prefix)
		if n == 0 {
			return
		}
		for i := 0; i < len(chars); i++ {
			rec(prefix+chars[i:i+1], n-1)
		}
	}
	rec("", 3)
	for _, tc := range hotpathCases {
		for _, end := range []int{len(tc.want), len(tc.want) - 1, len(tc.want) - 2} {
			v := tc.want[:end]
			checkBase64(t, v)
			for i := 0; i < len(v); i += 7 {
				for j := 0; j < len(chars); j++ {
					checkBase64(t, v[:i]+chars[j:j+1]+v[i+1:])
				}
			}
		}
	}
}

func FuzzHotpathBase64(f *testing.F) {
	for _, tc := range hotpathCases {
		f.Add(tc.want)
	}
	f.Add("AA=")
	f.Fuzz(func(t *testing.T, s string) { checkBase64(t, s) })
}

// The unknown-key error keeps the message fmt.Errorf gave it.
func TestHotpathUnknownKeyMessage(t *testing.T) {
	c := newHotpathCodec(t, 1, Config{})
	other := newHotpathCodec(t, 0, Config{Secrets: []string{hotpathSecret(9)}})
	v, err := other.Encode("s", 1)
	if err != nil {
		t.Fatal(err)
	}
	err = c.Decode("s", v, new(int))
	want := fmt.Errorf("%w: key ID %s", ErrUnknownKey, other.KeyIDs()[0]).Error()
	if err == nil || err.Error() != want || !errors.Is(err, ErrUnknownKey) {
		t.Errorf("Decode error %v, want %q matching ErrUnknownKey", err, want)
	}
}

// Decompression errors keep their classes: a stream past DefaultMaxPayload is
// ErrTooLarge; truncated or trailing data is ErrInvalid.
func TestHotpathInflateErrors(t *testing.T) {
	c := newHotpathCodec(t, 1, Config{})
	zip := func(p []byte) []byte { return deflate(nil, p) }
	big := zip(bytes.Repeat([]byte("a"), DefaultMaxPayload+1))
	decodeFailsInto(t, c, "z", sealByHand(t, c, "z", flagDeflate, big), ErrTooLarge, true)
	ok := zip([]byte(`{"uid":1}`))
	decodeFailsInto(t, c, "z", sealByHand(t, c, "z", flagDeflate, ok[:len(ok)-1]), ErrInvalid, true)
	decodeFailsInto(t, c, "z", sealByHand(t, c, "z", flagDeflate, append(bytes.Clone(ok), 0)), ErrInvalid, true)
	var s hotpathSession
	if err := c.Decode("z", sealByHand(t, c, "z", flagDeflate, ok), &s); err != nil || s.UserID != 1 {
		t.Errorf("Decode of a compressed cookie: %v, %+v", err, s)
	}
	exact := zip(append([]byte("1"), bytes.Repeat([]byte(" "), DefaultMaxPayload-1)...))
	var raw json.RawMessage
	if err := c.Decode("z", sealByHand(t, c, "z", flagDeflate, exact), &raw); err != nil || len(raw) != DefaultMaxPayload {
		t.Errorf("Decode of exactly DefaultMaxPayload bytes: %v", err)
	}
}

func checkDecodeJSON(t *testing.T, data []byte) {
	t.Helper()
	want, wantErr := decodeJSONStd(data)
	got, err := decodeJSON(data)
	if (err == nil) != (wantErr == nil) || err != nil && err.Error() != wantErr.Error() {
		t.Fatalf("decodeJSON(%q): error %v, want %v", data, err, wantErr)
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("decodeJSON(%q) = %#v, want %#v", data, got, want)
	}
}

// hotpathJSONSeeds are JSON texts that exercise every branch of the direct
// parser and every way encoding/json treats strings and numbers.
var hotpathJSONSeeds = []string{
	`{"map":{"uid":7,"name":"Ada","ok":true,"no":false,"nil":null,"f":{"float64":0.5}}}`,
	`{"map":[[1,"one"],[{"int64":-5},{"float32":1.5}],[true,{"ints":[1,2]}]]}`,
	` { "a" : [ 1 , -2.5e+10 , 0 , -0 , 1E3 , 2e-3 ] , "b" : { } , "c" : [ ] } `,
	"\t\r\n[null,true,false,\"\",{}]\n",
	`"\u00e9\ud83d\ude00 \ud800 \udc00x \\ \/ \b\f\n\r\t \" \u0000"`,
	"\"caf\xc3\xa9 \xff\xfe bad \xed\xa0\x80 surrogate \xef\xbf\xbd\"",
	`{"k":1,"k":2,"k":{"x":[]}}`,
	`{"\u006b":"v","k\"q":"w"}`,
	`[[[[[[[[[[[]]]]]]]]]]]`, `0`, `-1`, `1.5`, `true`, `null`, `"s"`, `[1,]`, `{"a":1,}`, `{"a" 1}`,
	`01`, `1.`, `.5`, `+1`, `"\x"`, "\"a\x01b\"", `{} {}`, `[1] x`, ``, ` `, `{`, `"`, `nul`, `[1 2]`,
	`{"a":1 "b":2}`, `{1:2}`, `[` + strings.Repeat(`[`, 10001) + strings.Repeat(`]`, 10002),
}

func TestHotpathDecodeJSONMatchesStd(t *testing.T) {
	for _, s := range hotpathJSONSeeds {
		checkDecodeJSON(t, []byte(s))
	}
	c := newHotpathCodec(t, 1, Config{})
	for _, tc := range hotpathCases {
		v, err := c.Encode(tc.cookie, tc.value)
		if err != nil {
			t.Fatal(err)
		}
		var raw json.RawMessage
		if err := c.Decode(tc.cookie, v, &raw); err != nil {
			t.Fatal(err)
		}
		// Every prefix and every third byte of the small payloads; a sample
		// of the 2.9 KB cart's, to keep the test quick under -race.
		step := 1 + len(raw)/512
		for n := 0; n <= len(raw); n += step {
			checkDecodeJSON(t, raw[:n])
		}
		for i := 0; i < len(raw); i += 3 * step {
			for _, b := range []byte(`{}[]",:0-e.tn\ ` + "\xff") {
				m := bytes.Clone(raw)
				m[i] = b
				checkDecodeJSON(t, m)
			}
		}
	}
}

func FuzzHotpathDecodeJSON(f *testing.F) {
	for _, s := range hotpathJSONSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) { checkDecodeJSON(t, data) })
}

// lookup finds every key of a long ring by its ID, and nothing else.
func TestHotpathLookup(t *testing.T) {
	c := newHotpathCodec(t, 32, Config{})
	r := c.ring.Load()
	for i, id := range c.KeyIDs() {
		if k := r.lookup(id); k != r.keys[i] {
			t.Errorf("lookup(%s) = %v, want key %d", id, k, i)
		}
	}
	absent := KeyID(0)
	for slices.Contains(c.KeyIDs(), absent) {
		absent++
	}
	if k := r.lookup(absent); k != nil {
		t.Errorf("lookup(%s) = key %s, want nil", absent, k.id)
	}
}

// Pooled buffers that held plaintext are zeroed before reuse, and oversized
// ones are dropped rather than pinned.
func TestHotpathReuseZeroes(t *testing.T) {
	b := append(make([]byte, 0, 64), "session plaintext"...)
	got := reuse(b)
	if len(got) != 0 || cap(got) != 64 {
		t.Errorf("reuse gave len %d cap %d, want 0 and 64", len(got), cap(got))
	}
	if !bytes.Equal(b, make([]byte, len(b))) {
		t.Errorf("reuse left %q in the buffer", b)
	}
	if got := reuse(make([]byte, 1, scratchMaxCap+1)); got != nil {
		t.Errorf("reuse kept a buffer of cap %d, over scratchMaxCap %d", cap(got), scratchMaxCap)
	}
	if got := reuse(make([]byte, 1, scratchMaxCap)); got == nil {
		t.Errorf("reuse dropped a buffer of cap scratchMaxCap")
	}
}

// The fast path works in 8-, then 4-character steps, then 2 or 3: every
// length from 0 to 40 (each remainder after each step), as encodings of
// real bytes and as arbitrary alphabet strings, decodes as the strict
// decoder does.
func TestHotpathBase64EveryLengthMatchesStrict(t *testing.T) {
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
	for n := 0; n <= 40; n++ {
		b := make([]byte, n)
		for i := range b {
			b[i] = byte(0xa5 ^ i*37)
		}
		checkBase64(t, base64.RawURLEncoding.EncodeToString(b))
		s := make([]byte, n)
		for i := range s {
			s[i] = alphabet[(i*29+n)%len(alphabet)]
		}
		checkBase64(t, string(s))
		if n > 0 {
			s[n-1] = '='
			checkBase64(t, string(s))
		}
	}
}

// hotpathGot is what Decode put in dst, a raw payload without the padding
// of length hiding (SPEC.md section 5.4).
func hotpathGot(dst any) any {
	if raw, ok := dst.(*json.RawMessage); ok {
		return json.RawMessage(unpadded(*raw))
	}
	return reflect.ValueOf(dst).Elem().Interface()
}
