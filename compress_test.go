package cookieseal

import (
	"bytes"
	"compress/flate"
	"crypto/rand"
	"io"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestCompressIfShorter(t *testing.T) {
	random := make([]byte, 2*compressMin)
	rand.Read(random)
	_, ok := compressIfShorter(nil, random)
	assert.False(t, ok, "random bytes do not shrink")

	text := bytes.Repeat([]byte("session "), compressMin/4)
	out, ok := compressIfShorter([]byte("pre"), text)
	require.True(t, ok)
	require.True(t, bytes.HasPrefix(out, []byte("pre")), "appends to dst")
	assert.Less(t, len(out)-3, len(text))
	back, err := appendInflate(nil, out[3:], len(text))
	require.NoError(t, err)
	assert.Equal(t, text, back)

	// The saving is measured against the payload alone, not dst.
	big := make([]byte, 10*len(text))
	out, ok = compressIfShorter(big, text)
	assert.True(t, ok, "a long dst does not count against the compressed form")
	assert.Len(t, out[:len(big)], len(big))

	short := bytes.Repeat([]byte("a"), compressMin-1)
	out, ok = compressIfShorter([]byte("dst"), short)
	assert.False(t, ok, "below compressMin is not tried")
	assert.Equal(t, "dst", string(out), "dst comes back as it was")
	_, ok = compressIfShorter(nil, nil)
	assert.False(t, ok)
	_, ok = compressIfShorter(nil, bytes.Repeat([]byte("a"), compressMin))
	assert.True(t, ok, "compressMin itself is tried")
}

func TestInflateLimit(t *testing.T) {
	text := []byte(strings.Repeat("z", 1000))
	z := deflate(nil, text)
	out, err := appendInflate(nil, z, 1000)
	require.NoError(t, err, "exactly the limit is fine")
	assert.Equal(t, text, out)
	_, err = appendInflate(nil, z, 999)
	var lim errInflateLimit
	require.ErrorAs(t, err, &lim)
	assert.Equal(t, 999, lim.limit)
	assert.Contains(t, err.Error(), "999")
}

func TestInflateLimitIgnoresDst(t *testing.T) {
	text := []byte(strings.Repeat("z", 1000))
	z := deflate(nil, text)
	out, err := appendInflate(make([]byte, 5000), z, 1000)
	require.NoError(t, err, "the limit counts the output, not dst")
	assert.Equal(t, text, out[5000:])
}

func TestInflateRejectsTrailingData(t *testing.T) {
	z := deflate(nil, []byte("hello hello hello"))
	_, err := appendInflate(nil, append(bytes.Clone(z), 0), 100)
	assert.ErrorIs(t, err, errTrailing)
	_, err = appendInflate(nil, append(bytes.Clone(z), z...), 100)
	assert.ErrorIs(t, err, errTrailing)
}

func TestInflateRejectsTruncation(t *testing.T) {
	z := deflate(nil, bytes.Repeat([]byte("truncate me "), 50))
	for i := 0; i < len(z); i++ {
		out, err := appendInflate(nil, z[:i], 10000)
		assert.Error(t, err, "cut at %d", i)
		assert.Nil(t, out, "partial output at %d", i)
	}
}

func TestInflateBomb(t *testing.T) {
	// 4 MiB of zeros deflates to about 4 KB: exactly what a cap is for.
	var buf bytes.Buffer
	w, err := flate.NewWriter(&buf, flate.BestCompression)
	require.NoError(t, err)
	_, err = io.Copy(w, io.LimitReader(zeroReader{}, 4<<20))
	require.NoError(t, err)
	require.NoError(t, w.Close())
	require.Less(t, buf.Len(), 4200)
	_, err = appendInflate(nil, buf.Bytes(), DefaultMaxPayload)
	var lim errInflateLimit
	assert.ErrorAs(t, err, &lim)
}

type zeroReader struct{}

func (zeroReader) Read(p []byte) (int, error) { clear(p); return len(p), nil }

func TestDeflateAppendsToDst(t *testing.T) {
	z := deflate([]byte("prefix"), []byte("body body body"))
	require.True(t, bytes.HasPrefix(z, []byte("prefix")))
	out, err := appendInflate(nil, z[len("prefix"):], 100)
	require.NoError(t, err)
	assert.Equal(t, "body body body", string(out))
}
