package cookieseal

import (
	"encoding/base64"
	"encoding/binary"
	"errors"
	"fmt"
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
// string. It rejects everything outside the alphabet first, including the CR
// and LF that the standard decoder skips and the padding it would accept.
func decodeBase64(s string) ([]byte, error) {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '-' || c == '_') {
			return nil, fmt.Errorf("%w at offset %d", errAlphabet, i)
		}
	}
	return base64.RawURLEncoding.Strict().DecodeString(s)
}
