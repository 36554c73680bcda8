package cookieseal

import (
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
