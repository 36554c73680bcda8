package cookieseal

import (
	"encoding/base64"
	"encoding/binary"
	"errors"
	"fmt"
	"slices"
)

// Header is what anyone can read from a cookie without a secret. None of it
// is authenticated until the cookie is opened with the right key.
type Header struct {
	Version    int   // format version, 1
	KeyID      KeyID // the key that sealed it
	Compressed bool  // the payload is DEFLATE-compressed
	Typed      bool  // the payload is in the typed session-values form
	Sealed     int   // bytes of ciphertext, the 8-byte issued-at and the tag included
}

// Inspect parses the clear header of a cookie value without any secret.
// It fails with ErrInvalid on anything that is not a v1 cookie.
func Inspect(value string) (Header, error) {
	raw, err := decodeBase64(value)
	if err != nil {
		return Header{}, fmt.Errorf("%w: %w", ErrInvalid, err)
	}
	h, err := parseHeader(raw)
	if err != nil {
		return Header{}, fmt.Errorf("%w: %w", ErrInvalid, err)
	}
	return h, nil
}

// parseHeader checks the size, version and flags of a decoded cookie.
func parseHeader(raw []byte) (Header, error) {
	if len(raw) < overhead {
		return Header{}, fmt.Errorf("%d bytes, a cookie has at least %d", len(raw), overhead)
	}
	if raw[0] != version1 {
		return Header{}, fmt.Errorf("unknown format version %d", raw[0])
	}
	flags := raw[5]
	if flags&^flagsKnown != 0 {
		return Header{}, fmt.Errorf("unknown flags %#02x", flags)
	}
	return Header{
		Version:    int(raw[0]),
		KeyID:      KeyID(binary.BigEndian.Uint32(raw[1:5])),
		Compressed: flags&flagDeflate != 0,
		Typed:      flags&flagTyped != 0,
		Sealed:     len(raw) - headerSize - nonceSize,
	}, nil
}

var errAlphabet = errors.New("character outside the base64url alphabet")

// decodeBase64 decodes unpadded base64url strictly: one spelling per byte
// string. It rejects everything outside the alphabet, including the CR and
// LF that the standard decoder skips and the padding it would accept, and
// non-zero unused bits in the last character.
func decodeBase64(s string) ([]byte, error) {
	return appendBase64(nil, s)
}

// appendBase64 is decodeBase64 appending to dst. The fast path decodes in
// one pass with a table; any input it refuses goes through the standard
// library's strict decoder, so the errors are the standard ones.
func appendBase64(dst []byte, s string) ([]byte, error) {
	if out, ok := appendBase64Fast(dst, s); ok {
		return out, nil
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '-' || c == '_') {
			return nil, fmt.Errorf("%w at offset %d", errAlphabet, i)
		}
	}
	return base64.RawURLEncoding.Strict().AppendDecode(dst, []byte(s))
}

// base64URLValues maps a base64url character to its 6-bit value, and every
// other byte to 0xff.
var base64URLValues = func() (t [256]byte) {
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
	for i := range t {
		t[i] = 0xff
	}
	for i := 0; i < len(alphabet); i++ {
		t[alphabet[i]] = byte(i)
	}
	return t
}()

// appendBase64Fast decodes s, unpadded base64url, onto dst. It reports false
// for any character outside the alphabet, a length that is 1 mod 4, and
// unused bits that are not zero: exactly what the strict decoder refuses.
func appendBase64Fast(dst []byte, s string) ([]byte, bool) {
	if len(s)%4 == 1 {
		return nil, false
	}
	n := len(dst)
	size := len(s) / 4 * 3
	if r := len(s) % 4; r != 0 {
		size += r - 1
	}
	dst = slices.Grow(dst, size+2)[:n+size+2] // two spare bytes for 8-byte stores
	out := dst[n:]
	t := &base64URLValues
	// Eight characters make six bytes, stored with one 8-byte write.
	for len(s) >= 8 {
		a, b, c, d, e, f, g, h := t[s[0]], t[s[1]], t[s[2]], t[s[3]], t[s[4]], t[s[5]], t[s[6]], t[s[7]]
		if (a|b|c|d|e|f|g|h)&0xc0 != 0 {
			return nil, false
		}
		v := uint64(a)<<58 | uint64(b)<<52 | uint64(c)<<46 | uint64(d)<<40 | uint64(e)<<34 | uint64(f)<<28 | uint64(g)<<22 | uint64(h)<<16
		binary.BigEndian.PutUint64(out, v)
		out, s = out[6:], s[8:]
	}
	if len(s) >= 4 {
		a, b, c, d := t[s[0]], t[s[1]], t[s[2]], t[s[3]]
		if (a|b|c|d)&0xc0 != 0 {
			return nil, false
		}
		out[0], out[1], out[2] = a<<2|b>>4, b<<4|c>>2, c<<6|d
		out, s = out[3:], s[4:]
	}
	switch len(s) {
	case 2:
		a, b := t[s[0]], t[s[1]]
		if (a|b)&0xc0 != 0 || b&0x0f != 0 {
			return nil, false
		}
		out[0] = a<<2 | b>>4
	case 3:
		a, b, c := t[s[0]], t[s[1]], t[s[2]]
		if (a|b|c)&0xc0 != 0 || c&0x03 != 0 {
			return nil, false
		}
		out[0], out[1] = a<<2|b>>4, b<<4|c>>2
	}
	return dst[:n+size], true
}
