package cookieseal

import (
	"bytes"
	"compress/flate"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"io"
	"reflect"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Tests of issue 10 item 7: what buffer.go says cookieseal clears, it clears.

// marker returns a random string no test data contains by chance.
func marker(t *testing.T) string {
	b := make([]byte, 12)
	rand.Read(b)
	return "MARK" + hex.EncodeToString(b)
}

// holds reports whether any memory reachable from v (structs, pointers,
// interfaces, arrays, slices up to their capacity) contains needle, read as
// bytes or as the low bytes of a run of integers (DEFLATE tokens keep a
// literal's byte that way). It reads unexported fields: the test hook into
// compress/flate's state.
func holds(v reflect.Value, needle []byte) bool {
	seen := map[uintptr]bool{}
	var walk func(v reflect.Value) bool
	walk = func(v reflect.Value) bool {
		switch v.Kind() {
		case reflect.Pointer:
			if v.IsNil() || seen[v.Pointer()] {
				return false
			}
			seen[v.Pointer()] = true
			return walk(v.Elem())
		case reflect.Interface:
			return !v.IsNil() && walk(v.Elem())
		case reflect.Struct:
			for i := range v.NumField() {
				if walk(v.Field(i)) {
					return true
				}
			}
		case reflect.Slice:
			if v.IsNil() {
				return false
			}
			return walkSeq(v.Slice3(0, v.Cap(), v.Cap()), walk, needle)
		case reflect.Array:
			return walkSeq(v, walk, needle)
		}
		return false
	}
	return walk(v)
}

// walkSeq searches the elements of an array or slice: integers as a run of
// low bytes, anything else one by one.
func walkSeq(v reflect.Value, walk func(reflect.Value) bool, needle []byte) bool {
	switch v.Type().Elem().Kind() {
	case reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uint:
		b := make([]byte, v.Len())
		for i := range b {
			b[i] = byte(v.Index(i).Uint())
		}
		return bytes.Contains(b, needle)
	case reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64, reflect.Int:
		b := make([]byte, v.Len())
		for i := range b {
			b[i] = byte(v.Index(i).Int())
		}
		return bytes.Contains(b, needle)
	}
	for i := range v.Len() {
		if walk(v.Index(i)) {
			return true
		}
	}
	return false
}

// compressibleWith returns JSON of about 3 KB that holds m several times.
func compressibleWith(m string) map[string]string {
	v := map[string]string{}
	for i := range 40 {
		v[strings.Repeat("k", i+1)] = "value " + m + " of the session"
	}
	return v
}

// The detector finds plaintext in a flate reader that inflated it and was
// not wiped, so the tests below that find none can fail.
func TestHoldsFindsPlaintextInAnUnwipedReader(t *testing.T) {
	m := marker(t)
	z := deflate(nil, []byte(strings.Repeat(m+" ", 50)))
	r := flate.NewReader(bytes.NewReader(z))
	_, err := io.ReadAll(r)
	require.NoError(t, err)
	assert.True(t, holds(reflect.ValueOf(r), []byte(m)))
	assert.False(t, holds(reflect.ValueOf(r), []byte(marker(t))))
}

// After a compressed Decode, the reader back in the pool holds none of the
// plaintext: its window was reset to zeros.
func TestPooledInflaterKeepsNoPlaintext(t *testing.T) {
	m := marker(t)
	c, err := New(Config{Secrets: newSecrets(1)})
	require.NoError(t, err)
	c.compress = true
	cookie, err := c.Encode("session", compressibleWith(m))
	require.NoError(t, err)
	h, err := Inspect(cookie)
	require.NoError(t, err)
	require.True(t, h.Compressed, "the test needs a compressed cookie")

	var got map[string]string
	require.NoError(t, c.Decode("session", cookie, &got))
	require.Equal(t, compressibleWith(m), got)
	f := inflaters.spare.Load()
	require.NotNil(t, f, "Decode puts its inflater in the spare slot")
	assert.False(t, holds(reflect.ValueOf(f), []byte(m)), "the pooled inflater holds the plaintext")
}

// The wipe covers the whole window when the output is longer than it.
func TestInflateWipesAFullWindow(t *testing.T) {
	m := marker(t)
	text := []byte(strings.Repeat(m, 3*windowSize/len(m)))
	z := deflate(nil, text)
	out, err := appendInflate(nil, z, len(text))
	require.NoError(t, err)
	require.Equal(t, text, out)
	f := inflaters.spare.Load()
	require.NotNil(t, f)
	assert.False(t, holds(reflect.ValueOf(f), []byte(m)))
}

// A failed inflate clears what it produced, and its reader keeps nothing.
func TestFailedInflateKeepsNoPlaintext(t *testing.T) {
	m := marker(t)
	text := []byte(strings.Repeat(m+" ", 100))
	z := deflate(nil, text)
	dst := make([]byte, 0, 8*len(text))
	_, err := appendInflate(dst, z, len(text)/2)
	require.Error(t, err, "over the limit")
	assert.False(t, bytes.Contains(dst[:cap(dst)], []byte(m)), "the output was left in dst's array")
	f := inflaters.spare.Load()
	require.NotNil(t, f)
	assert.False(t, holds(reflect.ValueOf(f), []byte(m)))
}

// Arrays outgrown while inflating are cleared before they are dropped.
func TestInflateClearsOutgrownArrays(t *testing.T) {
	m := marker(t)
	text := []byte(strings.Repeat(m+" ", 100))
	small := make([]byte, 0, 64)
	out, err := appendInflate(small, deflate(nil, text), len(text))
	require.NoError(t, err)
	require.Equal(t, text, out)
	assert.Equal(t, make([]byte, 64), small[:64], "the first array was left with plaintext")
}

// readCapped stops one byte past the limit and keeps dst's own bytes.
func TestReadCappedBounds(t *testing.T) {
	out, err := readCapped(strings.NewReader("abcdef"), []byte("xy"), 6)
	require.NoError(t, err)
	assert.Equal(t, "xyabcdef", string(out))
	out, err = readCapped(strings.NewReader("abcdefgh"), []byte("xy"), 6)
	var lim errInflateLimit
	require.ErrorAs(t, err, &lim)
	assert.Equal(t, "xyabcdefg", string(out), "reads exactly one byte past the limit")
}

// Scratch buffers are cleared when put, also when they are too big to keep.
func TestScratchPutClears(t *testing.T) {
	m := marker(t)
	for _, size := range []int{64, scratchMaxCap + 1} {
		s := getScratch()
		plain := append(make([]byte, 0, size), m...)
		zip := append(make([]byte, 0, size), m...)
		s.plain, s.zip = plain, zip
		s.put()
		assert.Equal(t, make([]byte, len(m)), plain[:len(m)], "plain, cap %d", size)
		assert.Equal(t, make([]byte, len(m)), zip[:len(m)], "zip, cap %d", size)
	}
}

// appendWriter clears the array it outgrows.
func TestAppendWriterClearsOutgrownArray(t *testing.T) {
	m := marker(t)
	old := append(make([]byte, 0, len(m)+1), m...)
	w := appendWriter{b: old}
	_, err := w.Write([]byte("more than fits"))
	require.NoError(t, err)
	assert.Equal(t, m+"more than fits", string(w.b))
	assert.Equal(t, make([]byte, len(m)), old, "the outgrown array keeps plaintext")

	fits := make([]byte, 0, len(m))
	w = appendWriter{b: fits}
	_, _ = w.Write([]byte(m))
	assert.Equal(t, m, string(fits[:len(m)]), "a write that fits exactly stays in place")
}

// withRoom keeps a slice with room, and clears the array it leaves.
func TestWithRoom(t *testing.T) {
	m := marker(t)
	roomy := append(make([]byte, 0, len(m)+tagSize), m...)
	assert.Equal(t, &roomy[0], &withRoom(roomy, tagSize)[0], "enough room: same array")
	tight := append(make([]byte, 0, len(m)+tagSize-1), m...)
	got := withRoom(tight, tagSize)
	assert.Equal(t, m, string(got))
	assert.GreaterOrEqual(t, cap(got)-len(got), tagSize)
	assert.Equal(t, make([]byte, len(m)), tight, "the array left behind keeps plaintext")
}

// Encode leaves room for the tag after the JSON, so sealing in place never
// moves the plaintext to a new array (which would leave it in the old one).
func TestMarshalAppendLeavesRoomForTheTag(t *testing.T) {
	s := getScratch()
	defer s.put()
	plugged := func(v any) ([]byte, error) { return json.Marshal(v) }
	for _, v := range []any{compressibleWith("x"), map[any]any{"a": 1}} {
		for _, marshal := range []func(any) ([]byte, error){nil, plugged} {
			for n := range 80 {
				dst := make([]byte, 0, n)
				b, _, err := s.marshalAppend(dst, v, marshal)
				require.NoError(t, err)
				assert.GreaterOrEqual(t, cap(b)-len(b), tagSize, "%T, dst cap %d", v, n)
			}
		}
	}
	z, ok := compressIfShorter(nil, []byte(strings.Repeat("abc", 1000)))
	require.True(t, ok)
	assert.GreaterOrEqual(t, cap(z)-len(z), tagSize)
}

// buffer.go says the pooled compress/flate writer keeps the last payload it
// compressed and that flate offers no way to clear it. This pins that
// statement: if it fails, flate started clearing its state on Reset, and
// buffer.go's comment (and BENCHMARKS.md) should say the writer is clean.
func TestPooledDeflaterStillHoldsPlaintext(t *testing.T) {
	m := marker(t)
	z := deflate(nil, []byte(strings.Repeat(m+" ", 50)))
	require.NotEmpty(t, z)
	w := deflaters.spare.Load()
	require.NotNil(t, w, "deflate puts its writer in the spare slot")
	assert.True(t, holds(reflect.ValueOf(w), []byte(m)), "the pooled writer no longer holds plaintext: update buffer.go")
}
