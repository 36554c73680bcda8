package cookieseal

import (
	"crypto/cipher"
	"errors"

	"golang.org/x/crypto/chacha20poly1305"
)

const (
	keySize   = chacha20poly1305.KeySize    // 32 bytes
	nonceSize = chacha20poly1305.NonceSizeX // 24 bytes
	tagSize   = chacha20poly1305.Overhead   // 16 bytes
)

var (
	errNonceSize = errors.New("wrong nonce size")
	errShort     = errors.New("ciphertext shorter than the tag")
	errOpen      = errors.New("message authentication failed")
)

// newAEAD returns XChaCha20-Poly1305 under key; the result holds no mutable
// state, so one value serves every goroutine.
func newAEAD(key []byte) (cipher.AEAD, error) {
	return chacha20poly1305.NewX(key)
}

// aeadSeal appends the sealed plaintext to dst. It checks the nonce length
// first because chacha20poly1305 panics on a wrong one.
func aeadSeal(a cipher.AEAD, dst, nonce, plaintext, ad []byte) ([]byte, error) {
	if len(nonce) != a.NonceSize() {
		return nil, errNonceSize
	}
	return a.Seal(dst, nonce, plaintext, ad), nil
}

// aeadOpen authenticates and decrypts ciphertext, appending to dst. It checks
// every length before the library sees the input, so bad input is an error,
// never a panic, and returns one error for every authentication failure.
func aeadOpen(a cipher.AEAD, dst, nonce, ciphertext, ad []byte) ([]byte, error) {
	if len(nonce) != a.NonceSize() {
		return nil, errNonceSize
	}
	if len(ciphertext) < a.Overhead() {
		return nil, errShort
	}
	out, err := a.Open(dst, nonce, ciphertext, ad)
	if err != nil {
		return nil, errOpen
	}
	return out, nil
}
