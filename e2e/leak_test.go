package e2e

import (
	"bytes"
	"compress/zlib"
	"crypto/rand"
	"encoding/base64"
	"testing"

	"github.com/cookieseal/cookieseal"
)

// flaskCookie builds a cookie the way Flask's SecureCookieSessionInterface
// does (itsdangerous: base64url payload, "." prefix when zlib-compressed,
// then a timestamp and a signature, faked here).
func flaskCookie(payload string, compressed bool) string {
	b := []byte(payload)
	prefix := ""
	if compressed {
		var z bytes.Buffer
		w := zlib.NewWriter(&z)
		w.Write(b)
		w.Close()
		b, prefix = z.Bytes(), "."
	}
	return prefix + base64.RawURLEncoding.EncodeToString(b) + ".aWxYzA.c2lnbmF0dXJlLW5vdC1jaGVja2Vk"
}

// TestReadableCatchesFlask shows the detector finds what the Flask trick
// finds, so that its silence on cookieseal cookies means something.
func TestReadableCatchesFlask(t *testing.T) {
	for _, c := range []string{
		flaskCookie(`{"answer":7,"tries":0}`, false),
		flaskCookie(`{"answer":7,"tries":0}`, true),
		flaskCookie(`{"x":"`+string(bytes.Repeat([]byte("y"), 300))+`","answer":7}`, true),
		base64.StdEncoding.EncodeToString([]byte(`{"g":7}`)),
	} {
		if leaks := readable(c); len(leaks) == 0 {
			t.Errorf("readable(%q) found nothing", c)
		}
	}
}

func TestReadableQuietOnSealed(t *testing.T) {
	// Compress, so that the second value is sealed compressed.
	codec, err := cookieseal.New(cookieseal.Config{Secrets: []string{cookieseal.GenerateSecret()}, Compress: true})
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range []any{
		map[string]int{"answer": 7},
		map[string]string{"answer": string(bytes.Repeat([]byte("7"), 1000))}, // compressed
	} {
		c, err := codec.Encode("guess", v)
		if err != nil {
			t.Fatal(err)
		}
		if leaks := readable(c); len(leaks) != 0 {
			t.Errorf("sealed cookie reads: %v", leaks)
		}
	}
	random := make([]byte, 200)
	rand.Read(random)
	if leaks := readable(base64.RawURLEncoding.EncodeToString(random)); len(leaks) != 0 {
		t.Errorf("random bytes read: %v", leaks)
	}
}
