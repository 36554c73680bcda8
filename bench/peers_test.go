package bench

import (
	"crypto/rand"
	"encoding/binary"
	"encoding/json"
	"errors"
	"math/big"
	"strings"
	"time"

	"aidanwoods.dev/go-paseto"
	"github.com/go-jose/go-jose/v4"
	"golang.org/x/crypto/chacha20poly1305"
)

// The peers a user would weigh for a sealed session cookie (issue 15), each
// set up the way its documentation shows, the value marshaled with
// encoding/json, and Decode checking what the library checks by default.

// pasetoV4 is PASETO v4.local (XChaCha20 + BLAKE2b-MAC) by
// aidanwoods.dev/go-paseto: the value under the claim "data", with iat and
// exp; the default parser checks exp.
type pasetoV4 struct {
	key    paseto.V4SymmetricKey
	parser paseto.Parser
}

func newPaseto() *pasetoV4 {
	return &pasetoV4{key: paseto.NewV4SymmetricKey(), parser: paseto.NewParser()}
}

func (p *pasetoV4) Encode(_ string, value any) (string, error) {
	t := paseto.NewToken()
	now := time.Now()
	t.SetIssuedAt(now)
	t.SetExpiration(now.Add(24 * time.Hour))
	if err := t.Set("data", value); err != nil {
		return "", err
	}
	return t.V4Encrypt(p.key, nil), nil
}

func (p *pasetoV4) Decode(_, value string, dst any) error {
	t, err := p.parser.ParseV4Local(p.key, value, nil)
	if err != nil {
		return err
	}
	return t.Get("data", dst)
}

// jwe is go-jose v4's JWE in compact form with "dir" and the given content
// encryption: A256GCM, or A256CBC-HS512 (what Auth.js session cookies use).
// go-jose checks no expiry on a bare JWE.
type jwe struct {
	key []byte
	enc jose.ContentEncryption
	e   jose.Encrypter
}

func newJWE(enc jose.ContentEncryption) *jwe {
	n := 32
	if enc == jose.A256CBC_HS512 {
		n = 64
	}
	key := randomKey(n)
	e, err := jose.NewEncrypter(enc, jose.Recipient{Algorithm: jose.DIRECT, Key: key}, nil)
	if err != nil {
		panic(err)
	}
	return &jwe{key: key, enc: enc, e: e}
}

func (j *jwe) Encode(_ string, value any) (string, error) {
	p, err := json.Marshal(value)
	if err != nil {
		return "", err
	}
	obj, err := j.e.Encrypt(p)
	if err != nil {
		return "", err
	}
	return obj.CompactSerialize()
}

func (j *jwe) Decode(_, value string, dst any) error {
	obj, err := jose.ParseEncryptedCompact(value, []jose.KeyAlgorithm{jose.DIRECT}, []jose.ContentEncryption{j.enc})
	if err != nil {
		return err
	}
	p, err := obj.Decrypt(j.key)
	if err != nil {
		return err
	}
	return json.Unmarshal(p, dst)
}

// branca is the Branca token format (XChaCha20-Poly1305, the 29-byte header
// as associated data, base62), implemented here from its specification: the
// Go module proxy refuses github.com/essentialkaos/branca/v2 (403, "not
// available") on this machine. Base62 goes through math/big, which converts a
// word at a time; essentialkaos converts a byte at a time, so this is at
// least as fast as the library would be. A TTL of 24 hours is checked.
type branca struct {
	aead interface {
		Seal(dst, nonce, plaintext, ad []byte) []byte
		Open(dst, nonce, ciphertext, ad []byte) ([]byte, error)
	}
	ttl uint32
}

const brancaVersion = 0xBA

func newBranca() *branca {
	a, err := chacha20poly1305.NewX(randomKey(chacha20poly1305.KeySize))
	if err != nil {
		panic(err)
	}
	return &branca{aead: a, ttl: 24 * 3600}
}

func (b *branca) Encode(_ string, value any) (string, error) {
	p, err := json.Marshal(value)
	if err != nil {
		return "", err
	}
	tok := make([]byte, 29, 29+len(p)+chacha20poly1305.Overhead)
	tok[0] = brancaVersion
	binary.BigEndian.PutUint32(tok[1:5], uint32(time.Now().Unix()))
	rand.Read(tok[5:29])
	tok = b.aead.Seal(tok, tok[5:29], p, tok[:29])
	return base62Encode(tok), nil
}

var errBranca = errors.New("branca: invalid token")

func (b *branca) Decode(_, value string, dst any) error {
	tok, err := base62Decode(value)
	if err != nil {
		return err
	}
	if len(tok) < 29+chacha20poly1305.Overhead || tok[0] != brancaVersion {
		return errBranca
	}
	p, err := b.aead.Open(nil, tok[5:29], tok[29:], tok[:29])
	if err != nil {
		return err
	}
	if ts := binary.BigEndian.Uint32(tok[1:5]); uint32(time.Now().Unix()) > ts+b.ttl {
		return errors.New("branca: expired")
	}
	return json.Unmarshal(p, dst)
}

// Branca's base62 alphabet is 0-9A-Za-z; math/big's is 0-9a-zA-Z, so the
// case of letters is swapped on the way. A Branca token starts with 0xBA, so
// it has no leading zero bytes to keep.
func swapCase(r rune) rune {
	switch {
	case 'a' <= r && r <= 'z':
		return r - 'a' + 'A'
	case 'A' <= r && r <= 'Z':
		return r - 'A' + 'a'
	}
	return r
}

func base62Encode(b []byte) string {
	return strings.Map(swapCase, new(big.Int).SetBytes(b).Text(62))
}

func base62Decode(s string) ([]byte, error) {
	if strings.ContainsAny(s, "+-_") { // math/big would take a sign
		return nil, errBranca
	}
	n, ok := new(big.Int).SetString(strings.Map(swapCase, s), 62)
	if !ok {
		return nil, errBranca
	}
	return n.Bytes(), nil
}
