package cookieseal

import (
	"encoding/base64"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestInspect(t *testing.T) {
	c := newTestCodec(t, newClock(t0), newSecrets(1)...)
	s, err := c.Encode("session", "value")
	require.NoError(t, err)
	h, err := Inspect(s)
	require.NoError(t, err)
	raw := rawBytes(t, s)
	assert.Equal(t, Header{Version: 1, KeyID: c.KeyIDs()[0], Sealed: len(raw) - headerSize - nonceSize}, h)
	assert.Equal(t, sealedLen(issuedAtSize+len(`"value"`))-headerSize-nonceSize, h.Sealed)
}

func TestParseHeaderSizes(t *testing.T) {
	raw := make([]byte, overhead)
	raw[0] = version1
	raw[5] = flagDeflate | flagTyped
	h, err := parseHeader(raw)
	require.NoError(t, err, "the smallest cookie has an empty payload")
	assert.Equal(t, Header{Version: 1, Compressed: true, Typed: true, Sealed: issuedAtSize + tagSize}, h)

	_, err = parseHeader(raw[:overhead-1])
	assert.ErrorContains(t, err, "53 bytes, a cookie has at least 54")

	_, err = Inspect(base64.RawURLEncoding.EncodeToString(raw[:overhead-1]))
	requireClass(t, err, ErrInvalid)
	_, err = Inspect("a=")
	requireClass(t, err, ErrInvalid)
}
