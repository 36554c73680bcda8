package main

// Cookies of other libraries that inspect recognises. Nothing here is about
// cookieseal's own format, which only the package parses.

import (
	"bytes"
	"compress/zlib"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf16"
	"unicode/utf8"
)

// maxForeign caps what a foreign cookie may inflate to, in bytes: zlib
// reaches about 1000:1, and a 4 KB cookie must not become gigabytes.
const maxForeign = 1 << 20

// describeForeign prints what anyone can learn from a Flask/itsdangerous or
// gorilla/securecookie cookie, and reports whether v is one.
func describeForeign(w io.Writer, v string, now time.Time) bool {
	if f, ok := parseFlask(v); ok {
		f.describe(w, now)
		return true
	}
	if g, ok := parseGorilla(v); ok {
		g.describe(w, now)
		return true
	}
	return false
}

// flaskCookie is an itsdangerous token as Flask's default session uses it:
// payload.timestamp.signature, each part base64url without padding, the
// payload JSON, or zlib-compressed JSON when the token starts with '.'.
type flaskCookie struct {
	compressed bool
	content    []byte    // the JSON, decompressed
	timestamp  time.Time // zero for an untimed token (payload.signature)
	legacyTime bool      // the timestamp counts from 2011, as before itsdangerous 1.0
	sigLen     int       // bytes
}

// itsdangerousEpoch is where timestamps counted from before itsdangerous
// 1.0: 2011-01-01 UTC.
const itsdangerousEpoch = 1293840000

func parseFlask(v string) (flaskCookie, bool) {
	var f flaskCookie
	s, compressed := strings.CutPrefix(v, ".")
	f.compressed = compressed
	parts := strings.Split(s, ".")
	if len(parts) != 2 && len(parts) != 3 {
		return f, false
	}
	payload, err := decodeB64URL(parts[0])
	if err != nil || len(payload) == 0 {
		return f, false
	}
	sig, err := decodeB64URL(parts[len(parts)-1])
	if err != nil || len(sig) < 16 {
		return f, false
	}
	f.sigLen = len(sig)
	if len(parts) == 3 {
		ts, err := decodeB64URL(parts[1])
		if err != nil || len(ts) == 0 || len(ts) > 8 {
			return f, false
		}
		var b [8]byte
		copy(b[8-len(ts):], ts)
		sec := int64(binary.BigEndian.Uint64(b[:]))
		if sec < 0 {
			return f, false
		}
		if sec < itsdangerousEpoch {
			sec += itsdangerousEpoch
			f.legacyTime = true
		}
		f.timestamp = time.Unix(sec, 0)
	}
	if f.compressed {
		r, err := zlib.NewReader(bytes.NewReader(payload))
		if err != nil {
			return f, false
		}
		payload, err = io.ReadAll(io.LimitReader(r, maxForeign+1))
		if err != nil || len(payload) > maxForeign {
			return f, false
		}
	}
	if !json.Valid(payload) {
		return f, false
	}
	f.content = payload
	return f, true
}

func (f flaskCookie) describe(w io.Writer, now time.Time) {
	fmt.Fprintln(w, "format:     Flask/itsdangerous session cookie: signed, NOT encrypted")
	if f.compressed {
		fmt.Fprintln(w, "compressed: yes (zlib)")
	} else {
		fmt.Fprintln(w, "compressed: no")
	}
	if !f.timestamp.IsZero() {
		note := ""
		if f.legacyTime {
			note = ", counted from 2011 as before itsdangerous 1.0"
		}
		fmt.Fprintf(w, "timestamp:  %s (%s%s)\n", formatTime(f.timestamp), formatAgo(f.timestamp, now), note)
	}
	fmt.Fprintf(w, "signature:  %d bytes (%s)\n", f.sigLen, macName(f.sigLen, 20))
	fmt.Fprintf(w, "content:    %s\n", terminalSafe(f.content))
	fmt.Fprintln(w, "readable:   yes: anyone holding this cookie reads the content above; no key was used")
}

// gorillaCookie is a gorilla/securecookie value: base64url with padding of
// "timestamp|value|mac", where value is itself base64url of the serialized
// value (gob by default, or JSON), encrypted with AES-CTR if the app set a
// block key.
type gorillaCookie struct {
	timestamp time.Time
	macLen    int    // bytes
	value     []byte // serialized, possibly encrypted
}

func parseGorilla(v string) (gorillaCookie, bool) {
	var g gorillaCookie
	b, err := base64.URLEncoding.DecodeString(v)
	if err != nil {
		return g, false
	}
	parts := bytes.SplitN(b, []byte("|"), 3)
	if len(parts) != 3 {
		return g, false
	}
	sec, err := strconv.ParseInt(string(parts[0]), 10, 64)
	if err != nil || sec <= 0 {
		return g, false
	}
	value, err := base64.URLEncoding.DecodeString(string(parts[1]))
	if err != nil || len(parts[2]) < 16 {
		return g, false
	}
	g.timestamp = time.Unix(sec, 0)
	g.macLen = len(parts[2])
	g.value = value
	return g, true
}

func (g gorillaCookie) describe(w io.Writer, now time.Time) {
	fmt.Fprintln(w, "format:     gorilla/securecookie: signed, encrypted only if the app set a block key")
	fmt.Fprintf(w, "timestamp:  %s (%s)\n", formatTime(g.timestamp), formatAgo(g.timestamp, now))
	fmt.Fprintf(w, "mac:        %d bytes (%s)\n", g.macLen, macName(g.macLen, 32))
	switch {
	case json.Valid(g.value):
		fmt.Fprintln(w, "value:      JSON, NOT encrypted: anyone holding this cookie reads it")
		fmt.Fprintf(w, "content:    %s\n", terminalSafe(bytes.TrimSpace(g.value)))
	case looksLikeGob(g.value):
		fmt.Fprintln(w, "value:      gob, NOT encrypted: anyone holding this cookie can decode it")
		fmt.Fprintf(w, "strings:    %s\n", strings.Join(quoteAll(printableRuns(g.value, 3, 32)), " "))
	default:
		fmt.Fprintf(w, "value:      %d bytes, neither JSON nor gob as gorilla/sessions writes it: probably encrypted (AES-CTR by default), unreadable without the block key\n", len(g.value))
	}
}

// macName names the HMAC that gives n-byte tags; def is the library's
// default size.
func macName(n, def int) string {
	name := map[int]string{16: "HMAC-MD5", 20: "HMAC-SHA1", 28: "HMAC-SHA224", 32: "HMAC-SHA256", 48: "HMAC-SHA384", 64: "HMAC-SHA512"}[n]
	switch {
	case name == "":
		return "unknown MAC"
	case n == def:
		return name + ", the library's default"
	}
	return name
}

// decodeB64URL decodes base64url with or without padding, as itsdangerous
// writes it.
func decodeB64URL(s string) ([]byte, error) {
	return base64.RawURLEncoding.DecodeString(strings.TrimRight(s, "="))
}

// looksLikeGob reports whether b is framed as the gob stream of a composite
// value, such as gorilla/sessions' map: messages, each preceded by its byte
// count and ending exactly at the end of b, that define types (negative type
// IDs) followed by one value of a type defined before it. It decodes nothing
// further: encoding/gob is not hardened against hostile input. Random bytes,
// such as an encrypted value, pass all of these checks very rarely.
func looksLikeGob(b []byte) bool {
	defined := map[int64]bool{}
	for len(b) > 0 {
		n, size, ok := gobUint(b)
		if !ok || n == 0 || n > uint64(len(b)-size) {
			return false
		}
		msg := b[size : size+int(n)]
		b = b[size+int(n):]
		u, _, ok := gobUint(msg)
		if !ok {
			return false
		}
		if id := gobInt(u); id < 0 {
			defined[-id] = true
		} else {
			return len(b) == 0 && defined[id]
		}
	}
	return false
}

// gobInt decodes a signed integer from gob's unsigned form: the low bit is
// the sign, set for a complemented value.
func gobInt(u uint64) int64 {
	if u&1 != 0 {
		return ^int64(u >> 1)
	}
	return int64(u >> 1)
}

// gobUint reads one unsigned integer in gob's encoding: a byte below 0x80
// is the value; otherwise the byte is the negated count of big-endian bytes
// that follow.
func gobUint(b []byte) (uint64, int, bool) {
	if len(b) == 0 {
		return 0, 0, false
	}
	if b[0] < 0x80 {
		return uint64(b[0]), 1, true
	}
	n := -int(int8(b[0]))
	if n > 8 || len(b) < 1+n {
		return 0, 0, false
	}
	var x uint64
	for _, c := range b[1 : 1+n] {
		x = x<<8 | uint64(c)
	}
	return x, 1 + n, true
}

// printableRuns returns up to maxRuns runs of at least minLen printable ASCII bytes.
func printableRuns(b []byte, minLen, maxRuns int) []string {
	var runs []string
	start := -1
	for i := 0; i <= len(b); i++ {
		if i < len(b) && b[i] >= 0x20 && b[i] < 0x7f {
			if start < 0 {
				start = i
			}
			continue
		}
		if start >= 0 && i-start >= minLen {
			runs = append(runs, string(b[start:i]))
			if len(runs) == maxRuns {
				break
			}
		}
		start = -1
	}
	return runs
}

// terminalSafe returns valid JSON from an untrusted cookie compacted, and
// with every rune that is not printable, or not UTF-8, written as a \u
// escape, so that the content cannot drive the operator's terminal. Once
// compacted, JSON holds such runes only inside strings, where the escape
// keeps it valid JSON; bytes that are not UTF-8 become \ufffd.
func terminalSafe(src []byte) string {
	var compact bytes.Buffer
	if err := json.Compact(&compact, src); err != nil {
		return "(not JSON)" // unreachable: callers pass valid JSON
	}
	b := compact.Bytes()
	var sb strings.Builder
	for len(b) > 0 {
		r, size := utf8.DecodeRune(b)
		b = b[size:]
		if unicode.IsPrint(r) && r != utf8.RuneError || r == ' ' {
			sb.WriteRune(r)
			continue
		}
		if r > 0xffff {
			r1, r2 := utf16.EncodeRune(r)
			fmt.Fprintf(&sb, "\\u%04x\\u%04x", r1, r2)
			continue
		}
		fmt.Fprintf(&sb, "\\u%04x", r)
	}
	return sb.String()
}

func quoteAll(s []string) []string {
	q := make([]string, len(s))
	for i, x := range s {
		q[i] = strconv.Quote(x)
	}
	return q
}
