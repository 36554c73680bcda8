package cookieseal

import (
	"crypto/hkdf"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"fmt"
	"slices"
	"unicode/utf8"
)

// The cookieseal v1 wire format. The sections of this file follow SPEC.md's,
// so that the spec and the code can be read side by side; Codec (codec.go)
// is the API on top. Other parts of the format live in their own files:
// the ring rules of section 1.3 in keyring.go (newKeyring), the age checks of
// section 4 step 7 in codec.go (checkAge, checkLifetime), the DEFLATE mechanics of section
// 5.2 in compress.go (appendInflate), the strict JSON of section 5.3 in
// json.go (checkJSON), and the typed values of section 6 in values.go.

// ---------------------------------------------------------------------------
// Section 1.2: key derivation.

// HKDF inputs of the v1 format (SPEC.md section 1.2). Changing any of them
// changes every key and key ID, so they are part of the wire format.
const (
	hkdfSalt      = "cookieseal/v1"
	hkdfInfoKey   = "cookieseal/v1 XChaCha20-Poly1305 key"
	hkdfInfoKeyID = "cookieseal/v1 key id"
)

// hkdfSHA256 is HKDF-SHA256 (RFC 5869): extract with salt, expand with info.
func hkdfSHA256(secret, salt []byte, info string, n int) ([]byte, error) {
	return hkdf.Key(sha256.New, secret, salt, info, n)
}

// deriveKey derives the AEAD key and the key ID of one secret. Both come from
// the same HKDF extraction with different info labels, so the public ID says
// nothing about the key. It goes through hkdfSHA256, the seam the Wycheproof
// vectors test; the extraction is repeated, once per secret per ring.
func deriveKey(secret string) (KeyID, []byte, error) {
	k, err := hkdfSHA256([]byte(secret), []byte(hkdfSalt), hkdfInfoKey, keySize)
	if err != nil {
		return 0, nil, err
	}
	id, err := hkdfSHA256([]byte(secret), []byte(hkdfSalt), hkdfInfoKeyID, 4)
	if err != nil {
		return 0, nil, err
	}
	return KeyID(binary.BigEndian.Uint32(id)), k, nil
}

// ---------------------------------------------------------------------------
// Sections 2.1-2.3: layout, flags and sizes.

// Wire format v1: the version byte, the flag bits and the sizes of the
// fixed fields, in bytes.
const (
	version1     = 0x01
	flagDeflate  = 1 << 0                                               // the payload is raw DEFLATE
	flagTyped    = 1 << 1                                               // the payload is in the typed session-values form
	flagCreated  = 1 << 2                                               // a created-at follows the issued-at
	flagIdentity = 1 << 3                                               // a session ID and a subject follow the times
	flagsKnown   = flagDeflate | flagTyped | flagCreated | flagIdentity // bits 4-7 MUST be zero

	headerSize    = 1 + 4 + 1                                       // version, key ID, flags
	issuedAtSize  = 8                                               // bytes, big-endian Unix seconds
	createdAtSize = 8                                               // bytes, big-endian Unix seconds, with flagCreated
	sessionIDSize = 16                                              // bytes of random session ID, with flagIdentity
	maxSubject    = 255                                             // bytes of UTF-8 subject, with flagIdentity
	overhead      = headerSize + nonceSize + issuedAtSize + tagSize // 54: the smallest cookie
)

// ---------------------------------------------------------------------------
// Section 3.1: the header and the associated data.

// putHeader writes the 6-byte header into b.
func putHeader(b []byte, id KeyID, flags byte) {
	b[0] = version1
	binary.BigEndian.PutUint32(b[1:5], uint32(id))
	b[5] = flags
}

// appendAdditionalData appends what the AEAD authenticates besides the
// plaintext: the header, then the cookie name prefixed by its length, so that
// no two (name, value) pairs share associated data.
func appendAdditionalData(ad, header []byte, name string) []byte {
	ad = append(ad, header...)
	ad = binary.BigEndian.AppendUint32(ad, uint32(len(name)))
	return append(ad, name...)
}

// ---------------------------------------------------------------------------
// Section 4, steps 2 and 3: strict base64url, then the header.

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

// parseHeader checks the size, version and flags of a decoded cookie
// (section 4, step 3), before any key is looked up.
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

// ---------------------------------------------------------------------------
// Section 4, step 6: the times at the start of the plaintext.

// readTimes reads the signed issued-at of an opened plaintext, which is at
// least issuedAtSize bytes long (parseHeader saw to that), and with flag
// 0x04 the created-at after it, and returns them with the body. The
// created-at is the issued-at when the flag is clear; a created-at after the
// issued-at, or a flag without one, is invalid.
func readTimes(plaintext []byte, flags byte) (issued, created int64, body []byte, err error) {
	issued = int64(binary.BigEndian.Uint64(plaintext))
	body = plaintext[issuedAtSize:]
	if flags&flagCreated == 0 {
		return issued, issued, body, nil
	}
	if len(body) < createdAtSize {
		return 0, 0, nil, fmt.Errorf("%w: created-at flag set, but no created-at", ErrInvalid)
	}
	created = int64(binary.BigEndian.Uint64(body))
	if created > issued {
		return 0, 0, nil, fmt.Errorf("%w: created after it was issued", ErrInvalid)
	}
	return issued, created, body[createdAtSize:], nil
}

// readIdentity reads, with flag 0x08, the session identity that follows
// the times (SPEC.md section 3.1): a 16-byte session ID, a length byte and
// that many bytes of UTF-8 subject. It returns them with the body after
// them; without the flag, no ID, no subject and the body as it is.
func readIdentity(rest []byte, flags byte) (sid []byte, subject string, body []byte, err error) {
	if flags&flagIdentity == 0 {
		return nil, "", rest, nil
	}
	if len(rest) < sessionIDSize+1 {
		return nil, "", nil, fmt.Errorf("%w: identity flag set, but no session ID", ErrInvalid)
	}
	n := int(rest[sessionIDSize])
	if len(rest) < sessionIDSize+1+n {
		return nil, "", nil, fmt.Errorf("%w: subject longer than the plaintext", ErrInvalid)
	}
	sub := rest[sessionIDSize+1 : sessionIDSize+1+n]
	if !utf8.Valid(sub) {
		return nil, "", nil, fmt.Errorf("%w: subject is not UTF-8", ErrInvalid)
	}
	return rest[:sessionIDSize], string(sub), rest[sessionIDSize+1+n:], nil
}

// ---------------------------------------------------------------------------
// Section 4, step 8, and sections 5.1-5.2: the payload and its cap.

// openPayload returns the JSON payload of a body: the body itself, or, for
// a compressed one, its inflation appended to dst. Over limit bytes it fails
// with ErrTooLarge (checked as output is produced, so a stream that passes
// the cap is too large even if it would later turn out truncated or
// corrupt); a truncated or corrupt stream or bytes after the final block
// fail with ErrInvalid. On failure dst may hold partial output: the caller
// clears it.
func openPayload(dst, body []byte, compressed bool, limit int) ([]byte, error) {
	if !compressed {
		if len(body) > limit {
			return nil, fmt.Errorf("%w: value is %d bytes of JSON, limit %d", ErrTooLarge, len(body), limit)
		}
		return body, nil
	}
	payload, err := appendInflate(dst, body, limit)
	if err != nil {
		var big errInflateLimit
		if errors.As(err, &big) {
			return nil, fmt.Errorf("%w: value inflates past %d bytes", ErrTooLarge, limit)
		}
		return nil, fmt.Errorf("%w: decompressing: %w", ErrInvalid, err)
	}
	return payload, nil
}
