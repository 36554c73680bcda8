package e2e

import (
	"bytes"
	"compress/flate"
	"compress/zlib"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"strings"
)

// readable tries what reads Flask's session cookie, base64 and zlib, on
// a cookie value and on each of its dot-separated parts, and reports every
// way one of them gives back JSON or the word "answer". Flask's cookie
// "eyJhbnN3ZXIiOjd9.<time>.<signature>" gives {"answer":7} at once.
func readable(value string) []string {
	var leaks []string
	if strings.Contains(strings.ToLower(value), "answer") {
		leaks = append(leaks, "the value itself names the answer")
	}
	parts := append([]string{value}, strings.Split(strings.TrimPrefix(value, "."), ".")...)
	encodings := map[string]*base64.Encoding{
		"base64url": base64.RawURLEncoding, "base64url padded": base64.URLEncoding,
		"base64": base64.RawStdEncoding, "base64 padded": base64.StdEncoding,
	}
	for i, p := range parts {
		for name, enc := range encodings {
			raw, err := enc.DecodeString(p)
			if err != nil || len(raw) == 0 {
				continue
			}
			where := fmt.Sprintf("part %d, %s", i, name)
			leaks = append(leaks, inspect(where, raw)...)
			if z, err := zlib.NewReader(bytes.NewReader(raw)); err == nil {
				leaks = append(leaks, inspect(where+", zlib", readCapped(z))...)
			}
			leaks = append(leaks, inspect(where+", raw deflate", readCapped(flate.NewReader(bytes.NewReader(raw))))...)
			// Skip the header bytes a format may put first.
			for skip := 1; skip <= 8 && skip < len(raw); skip++ {
				leaks = append(leaks, inspect(fmt.Sprintf("%s, deflate after %d bytes", where, skip), readCapped(flate.NewReader(bytes.NewReader(raw[skip:]))))...)
			}
		}
	}
	return leaks
}

// inspect reports a decoded blob that is JSON or names the answer.
func inspect(where string, b []byte) []string {
	var out []string
	if len(b) == 0 {
		return nil
	}
	if json.Valid(b) && bytes.ContainsAny(b, "{[\"") {
		out = append(out, where+": decodes to JSON "+quote(b))
	}
	if bytes.Contains(bytes.ToLower(b), []byte("answer")) {
		out = append(out, where+": decodes to text naming the answer "+quote(b))
	}
	return out
}

// readCapped reads at most 1 MiB, keeping what a truncated stream gave.
func readCapped(r io.Reader) []byte {
	b, _ := io.ReadAll(io.LimitReader(r, 1<<20))
	return b
}

func quote(b []byte) string {
	if len(b) > 80 {
		b = b[:80]
	}
	return fmt.Sprintf("%q", b)
}
