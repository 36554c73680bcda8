package cookieseal

import (
	"bytes"
	"compress/flate"
	"errors"
	"testing"
	"time"
)

// bombPayload is the JSON that costs the most to decode into *any per byte
// of cookie: an array of zeros exactly n bytes long.
func bombPayload(n int) []byte {
	b := make([]byte, 0, n)
	b = append(b, '[')
	for len(b)+4 <= n {
		b = append(b, '0', ',')
	}
	b = append(b, '0')
	b = append(b, bytes.Repeat([]byte(" "), n-1-len(b))...)
	return append(b, ']')
}

// BenchmarkPayloadCap measures the adversarial case of the payload cap: an
// authentic cookie of about 450 bytes whose DEFLATE body inflates to exactly
// the cap, decoded into *any (BENCHMARKS.md, "Payload cap").
func BenchmarkPayloadCap(b *testing.B) {
	limit := benchPayloadCap
	c, err := New(Config{Secrets: []string{GenerateSecret()}, Now: func() time.Time { return time.Unix(1795700000, 0) }})
	if err != nil {
		b.Fatal(err)
	}
	cookie := sealRaw(b, c, "session", flagDeflate, 1795700000, deflateBest(bombPayload(limit)))
	var v any
	if err := c.Decode("session", cookie, &v); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		var v any
		if err := c.Decode("session", cookie, &v); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(len(cookie)), "cookie-bytes")
	b.ReportMetric(float64(limit), "payload-bytes")
}

// deflateBest is raw DEFLATE at level 9, which packs a bomb tighter than the
// level-1 writer Encode uses.
func deflateBest(src []byte) []byte {
	var buf bytes.Buffer
	w, _ := flate.NewWriter(&buf, flate.BestCompression)
	_, _ = w.Write(src)
	_ = w.Close()
	return buf.Bytes()
}

// benchPayloadCap is the cap BenchmarkPayloadCap fills: the default.
const benchPayloadCap = DefaultMaxPayload

// BenchmarkPayloadCapOversize is the cookie an attacker built for the old
// 256 KiB cap (about 450 bytes inflating to 262144) against today's default
// cap: refused as too large once inflating passes 65536 bytes.
func BenchmarkPayloadCapOversize(b *testing.B) {
	c, err := New(Config{Secrets: []string{GenerateSecret()}, Now: func() time.Time { return time.Unix(1795700000, 0) }})
	if err != nil {
		b.Fatal(err)
	}
	cookie := sealRaw(b, c, "session", flagDeflate, 1795700000, deflateBest(bombPayload(256<<10)))
	var v any
	if err := c.Decode("session", cookie, &v); !errors.Is(err, ErrTooLarge) {
		b.Fatalf("got %v, want ErrTooLarge", err)
	}
	b.ReportAllocs()
	for b.Loop() {
		var v any
		_ = c.Decode("session", cookie, &v)
	}
	b.ReportMetric(float64(len(cookie)), "cookie-bytes")
}
