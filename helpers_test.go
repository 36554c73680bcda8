package cookieseal

import (
	"bytes"
	"crypto/cipher"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// t0 is the fixed clock most tests start from.
var t0 = time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)

// clock is a movable clock for Config.Now.
type clock struct{ ns atomic.Int64 }

func newClock(t time.Time) *clock    { c := &clock{}; c.ns.Store(t.UnixNano()); return c }
func (c *clock) Now() time.Time      { return time.Unix(0, c.ns.Load()).UTC() }
func (c *clock) Add(d time.Duration) { c.ns.Add(int64(d)) }

// newSecrets returns n fresh secrets.
func newSecrets(n int) []string {
	s := make([]string, n)
	for i := range s {
		s[i] = GenerateSecret()
	}
	return s
}

// newTestCodec returns a codec over secrets with the clock clk.
func newTestCodec(t testing.TB, clk *clock, secrets ...string) *Codec {
	t.Helper()
	c, err := New(Config{Secrets: secrets, Now: clk.Now})
	require.NoError(t, err)
	return c
}

// sentinels are the four Decode error classes.
var sentinels = []error{ErrInvalid, ErrExpired, ErrUnknownKey, ErrTooLarge}

// requireClass fails unless err matches want and no other sentinel.
func requireClass(t testing.TB, err, want error) {
	t.Helper()
	require.Error(t, err)
	for _, s := range sentinels {
		if got := errors.Is(err, s); got != (s == want) {
			t.Fatalf("errors.Is(%q, %v) = %v, want %v", err, s, got, s == want)
		}
	}
}

// countingAEAD counts Open calls, to prove that a path never decrypts.
type countingAEAD struct {
	cipher.AEAD
	opens atomic.Int64
}

func (a *countingAEAD) Open(dst, nonce, ciphertext, ad []byte) ([]byte, error) {
	a.opens.Add(1)
	return a.AEAD.Open(dst, nonce, ciphertext, ad)
}

// countOpens wraps every key of c's ring and returns the counters.
func countOpens(c *Codec) []*countingAEAD {
	var out []*countingAEAD
	for _, k := range c.ring.Load().keys {
		ca := &countingAEAD{AEAD: k.aead}
		k.aead = ca
		out = append(out, ca)
	}
	return out
}

func totalOpens(cs []*countingAEAD) int64 {
	var n int64
	for _, c := range cs {
		n += c.opens.Load()
	}
	return n
}

// sealRaw builds an authentic cookie around any plaintext, so that tests can
// reach the checks that follow authentication: flags, issued-at and payload
// are whatever the test says.
func sealRaw(t testing.TB, c *Codec, name string, flags byte, issuedAt int64, payload []byte) string {
	t.Helper()
	k := c.ring.Load().keys[0]
	hdr := []byte{version1, 0, 0, 0, 0, flags}
	binary.BigEndian.PutUint32(hdr[1:5], uint32(k.id))
	nonce := bytes.Repeat([]byte{7}, nonceSize)
	pt := binary.BigEndian.AppendUint64(nil, uint64(issuedAt))
	pt = append(pt, payload...)
	out := append(append(hdr[:headerSize:headerSize], nonce...), k.aead.Seal(nil, nonce, pt, appendAdditionalData(nil, hdr, name))...)
	return base64.RawURLEncoding.EncodeToString(out)
}

// rawBytes decodes a cookie to its bytes.
func rawBytes(t testing.TB, s string) []byte {
	t.Helper()
	b, err := base64.RawURLEncoding.DecodeString(s)
	require.NoError(t, err)
	return b
}

// sealedLen is the length before base64url of a cookie sealed by Encode
// whose plaintext (times, identity and payload) is pt bytes: padded to a
// multiple of PadBucket (SPEC.md section 5.4), then header, nonce and tag.
func sealedLen(pt int) int {
	return headerSize + nonceSize + (pt+PadBucket-1)/PadBucket*PadBucket + tagSize
}

// unpadded is a payload opened raw without the trailing spaces of length
// hiding.
func unpadded(raw []byte) string { return strings.TrimRight(string(raw), " ") }
