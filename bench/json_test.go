package bench

import (
	"crypto/hkdf"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"fmt"
	"golang.org/x/crypto/chacha20poly1305"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/bytedance/sonic"
	"github.com/cookieseal/cookieseal"
	gojson "github.com/goccy/go-json"
	segjson "github.com/segmentio/encoding/json"
)

// jsonLib is a JSON library plugged into cookieseal through Config.JSON.
type jsonLib struct {
	name string
	json cookieseal.JSON
}

// jsonLibs are the JSON libraries issue 15 names; json_v2_test.go adds
// encoding/json/v2 when built with GOEXPERIMENT=jsonv2.
func jsonLibs() []jsonLib {
	return append([]jsonLib{
		{"encoding-json", cookieseal.JSON{}},
		{"sonic", cookieseal.JSON{Marshal: sonic.Marshal, Unmarshal: sonic.Unmarshal}},
		{"goccy", cookieseal.JSON{Marshal: gojson.Marshal, Unmarshal: gojson.Unmarshal}},
		{"segmentio", cookieseal.JSON{Marshal: segjson.Marshal, Unmarshal: segjson.Unmarshal}},
	}, experimentJSON...)
}

// experimentJSON is filled by json_v2_test.go under GOEXPERIMENT=jsonv2.
var experimentJSON []jsonLib

func newCookiesealJSON(tb testing.TB, secret string, j cookieseal.JSON) *cookieseal.Codec {
	tb.Helper()
	c, err := cookieseal.New(cookieseal.Config{Secrets: []string{secret}, JSON: j})
	if err != nil {
		tb.Fatal(err)
	}
	return c
}

// sealPayload builds an authentic cookie around any payload from SPEC.md
// alone (HKDF-SHA256 key and key ID, header, XChaCha20-Poly1305 with the
// header and the length-prefixed name as associated data), so that the tests
// can hand every codec JSON that cookieseal itself would never seal.
func sealPayload(tb testing.TB, secret, name string, payload []byte) string {
	tb.Helper()
	const salt = "cookieseal/v1"
	key, err := hkdf.Key(sha256.New, []byte(secret), []byte(salt), "cookieseal/v1 XChaCha20-Poly1305 key", 32)
	if err != nil {
		tb.Fatal(err)
	}
	id, err := hkdf.Key(sha256.New, []byte(secret), []byte(salt), "cookieseal/v1 key id", 4)
	if err != nil {
		tb.Fatal(err)
	}
	aead, err := chacha20poly1305.NewX(key)
	if err != nil {
		tb.Fatal(err)
	}
	hdr := append([]byte{1}, id...)
	hdr = append(hdr, 0) // flags: plain JSON, uncompressed
	nonce := make([]byte, chacha20poly1305.NonceSizeX)
	rand.Read(nonce)
	pt := binary.BigEndian.AppendUint64(nil, uint64(time.Now().Unix()))
	pt = append(pt, payload...)
	ad := binary.BigEndian.AppendUint32(append([]byte(nil), hdr...), uint32(len(name)))
	ad = append(ad, name...)
	out := append(append(hdr, nonce...), aead.Seal(nil, nonce, pt, ad)...)
	return base64.RawURLEncoding.EncodeToString(out)
}

// strictnessCases are payloads SPEC.md's JSON rules refuse, one per rule.
// enforcedNow marks those this cookieseal refuses before H1's strict
// validator (json.go) is merged; the others are checked only once the
// default codec refuses them.
var strictnessCases = []struct {
	name        string
	payload     string
	enforcedNow bool
}{
	{"trailing data", `{"user_id":1} {"user_id":2}`, true},
	{"trailing garbage", `{"user_id":1}x`, true},
	{"invalid UTF-8 in a string", "{\"email\":\"a\xffb\"}", false},
	{"BOM", "\ufeff{\"user_id\":1}", true},
	{"not JSON", `{user_id:1}`, true},
	{"NaN", `{"user_id":NaN}`, true},
	{"leading zero", `{"user_id":01}`, true},
	{"unescaped control character", "{\"email\":\"a\x01b\"}", true},
	{"duplicate member", `{"user_id":1,"user_id":2}`, false},
	{"duplicate member after unescaping", `{"email":"a","em\u0061il":"b"}`, false},
	{"lone surrogate escape", `{"email":"\ud800"}`, false},
	{"reversed surrogate pair", `{"email":"\udc00\ud800"}`, false},
	{"number overflows binary64", `{"user_id":1,"x":1e400}`, false},
	{"nesting 513 deep", `{"x":` + strings.Repeat("[", 512) + strings.Repeat("]", 512) + `}`, false},
}

// TestPluggedJSONStrictness: whatever JSON is plugged in, a cookie the
// default codec refuses is refused, as ErrInvalid, because cookieseal checks
// the JSON before the plugged Unmarshal sees it: a lenient library cannot
// widen what opens. Rules enforced today are refused outright; the others
// are held to the default as soon as it refuses them (H1's validator).
// (Today a plugged codec is stricter than the default on invalid UTF-8,
// which encoding/json replaces with U+FFFD.)
func TestPluggedJSONStrictness(t *testing.T) {
	secret := cookieseal.GenerateSecret()
	def := newCookiesealJSON(t, secret, cookieseal.JSON{})
	for _, tc := range strictnessCases {
		cookie := sealPayload(t, secret, cookieName, []byte(tc.payload))
		var s Session
		defErr := def.Decode(cookieName, cookie, &s)
		if tc.enforcedNow && !errors.Is(defErr, cookieseal.ErrInvalid) {
			t.Errorf("%s: the default codec gave %v, want ErrInvalid", tc.name, defErr)
		}
		for _, lib := range jsonLibs() {
			c := newCookiesealJSON(t, secret, lib.json)
			var s Session
			err := c.Decode(cookieName, cookie, &s)
			if defErr != nil && !errors.Is(err, cookieseal.ErrInvalid) {
				t.Errorf("%s with %s: Decode gave %v where the default refuses (%v)", tc.name, lib.name, err, defErr)
			}
		}
	}
}

// TestPluggedJSONRoundTrips: every library seals and opens the benchmark
// values, a cookie sealed with one opens with every other, and a payload of
// odd but valid JSON opens with every library to the same value.
func TestPluggedJSONRoundTrips(t *testing.T) {
	secret := cookieseal.GenerateSecret()
	values := []struct {
		value  any
		newDst func() any
	}{
		{smallSession(), func() any { return new(Session) }},
		{cart(), func() any { return new(Cart) }},
	}
	libs := jsonLibs()
	for _, from := range libs {
		enc := newCookiesealJSON(t, secret, from.json)
		for _, v := range values {
			cookie, err := enc.Encode(cookieName, v.value)
			if err != nil {
				t.Fatalf("%s: Encode: %v", from.name, err)
			}
			for _, to := range libs {
				dst := v.newDst()
				if err := newCookiesealJSON(t, secret, to.json).Decode(cookieName, cookie, dst); err != nil {
					t.Fatalf("%s -> %s: %v", from.name, to.name, err)
				}
				if got := reflect.ValueOf(dst).Elem().Interface(); !reflect.DeepEqual(got, v.value) {
					t.Errorf("%s -> %s: got %#v", from.name, to.name, got)
				}
			}
		}
	}
	odd := " \t\r\n{\"email\":\"\\u00e9\\ud83d\\ude00 \\\"q\\\" \\/\",\"user_id\":-0,\"roles\":[\"a\\nb\"]} \n"
	cookie := sealPayload(t, secret, cookieName, []byte(odd))
	want := Session{Email: "é😀 \"q\" /", Roles: []string{"a\nb"}}
	for _, lib := range libs {
		var got Session
		if err := newCookiesealJSON(t, secret, lib.json).Decode(cookieName, cookie, &got); err != nil {
			t.Errorf("%s: %v", lib.name, err)
		} else if !reflect.DeepEqual(got, want) {
			t.Errorf("%s: got %#v", lib.name, got)
		}
	}
}

// BenchmarkJSON is Encode and Decode of the small session and the cart with
// each JSON library plugged in, against the encoding/json floor, in one run.
func BenchmarkJSON(b *testing.B) {
	secret := cookieseal.GenerateSecret()
	for _, v := range []struct {
		name   string
		value  any
		newDst func() any
	}{
		{"small", smallSession(), func() any { return new(Session) }},
		{"cart", cart(), func() any { return new(Cart) }},
	} {
		impls := []namedImpl{{"floor", newFloor(false)}}
		for _, lib := range jsonLibs() {
			impls = append(impls, namedImpl{"cookieseal-" + lib.name, newCookiesealJSON(b, secret, lib.json)})
		}
		b.Run(fmt.Sprintf("value=%s", v.name), func(b *testing.B) {
			benchPair(b, v.value, v.newDst, impls)
		})
	}
}
