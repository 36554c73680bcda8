package cookieseal

import (
	"encoding/json"
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// countingJSON is encoding/json behind Config.JSON, counting its calls.
type countingJSON struct{ marshals, unmarshals int }

func (j *countingJSON) config() JSON {
	return JSON{
		Marshal: func(v any) ([]byte, error) {
			j.marshals++
			return json.Marshal(v)
		},
		Unmarshal: func(data []byte, v any) error {
			j.unmarshals++
			return json.Unmarshal(data, v)
		},
	}
}

type plugged struct {
	A string `json:"a"`
	N int    `json:"n"`
}

func newPluggedCodec(t *testing.T, j JSON) *Codec {
	t.Helper()
	c, err := New(Config{Secrets: newSecrets(1), JSON: j})
	require.NoError(t, err)
	return c
}

func TestPluggedJSONEncodesAndDecodesPlainValues(t *testing.T) {
	var n countingJSON
	secrets := newSecrets(1)
	c, err := New(Config{Secrets: secrets, JSON: n.config()})
	require.NoError(t, err)
	cookie, err := c.Encode("s", plugged{"x", 7})
	require.NoError(t, err)
	assert.Equal(t, 1, n.marshals)
	var got plugged
	require.NoError(t, c.Decode("s", cookie, &got))
	assert.Equal(t, 1, n.unmarshals)
	assert.Equal(t, plugged{"x", 7}, got)

	// A cookie sealed with the plugged JSON opens with the default one and
	// back: the wire is the same.
	def, err := New(Config{Secrets: secrets})
	require.NoError(t, err)
	got = plugged{}
	require.NoError(t, def.Decode("s", cookie, &got))
	assert.Equal(t, plugged{"x", 7}, got)
}

func TestPluggedJSONLeavesSessionValuesAndRawMessageAlone(t *testing.T) {
	var n countingJSON
	c := newPluggedCodec(t, n.config())
	cookie, err := c.Encode("s", map[any]any{"a": 1})
	require.NoError(t, err)
	var m map[any]any
	require.NoError(t, c.Decode("s", cookie, &m))
	assert.Equal(t, map[any]any{"a": 1}, m)
	var raw json.RawMessage
	plain, err := c.Encode("s", plugged{"x", 1})
	require.NoError(t, err)
	require.NoError(t, c.Decode("s", plain, &raw))
	assert.JSONEq(t, `{"a":"x","n":1}`, string(raw))
	assert.Equal(t, 1, n.marshals, "only the plain value")
	assert.Equal(t, 0, n.unmarshals)
}

func TestPluggedJSONHalvesDefault(t *testing.T) {
	var n countingJSON
	onlyUnmarshal := n.config()
	onlyUnmarshal.Marshal = nil
	c := newPluggedCodec(t, onlyUnmarshal)
	cookie, err := c.Encode("s", plugged{"x", 1})
	require.NoError(t, err)
	var got plugged
	require.NoError(t, c.Decode("s", cookie, &got))
	assert.Equal(t, 0, n.marshals)
	assert.Equal(t, 1, n.unmarshals)

	onlyMarshal := n.config()
	onlyMarshal.Unmarshal = nil
	c = newPluggedCodec(t, onlyMarshal)
	cookie, err = c.Encode("s", plugged{"y", 2})
	require.NoError(t, err)
	require.NoError(t, c.Decode("s", cookie, &got))
	assert.Equal(t, plugged{"y", 2}, got)
	assert.Equal(t, 1, n.marshals)
	assert.Equal(t, 1, n.unmarshals, "the default decoded the second cookie")
}

// What a plugged Marshal writes is checked before it is sealed, and its
// buffer is cleared once copied.
func TestPluggedMarshalOutputIsChecked(t *testing.T) {
	for name, out := range map[string]string{
		"trailing data": `{"a":1} 2`,
		"invalid UTF-8": "\"\xff\"",
		"not JSON":      `{a:1}`,
		"empty":         ``,
	} {
		c := newPluggedCodec(t, JSON{Marshal: func(any) ([]byte, error) { return []byte(out), nil }})
		_, err := c.Encode("s", 1)
		assert.ErrorIs(t, err, errNotJSON, name)
	}
	boom := errors.New("boom")
	c := newPluggedCodec(t, JSON{Marshal: func(any) ([]byte, error) { return nil, boom }})
	_, err := c.Encode("s", 1)
	assert.ErrorIs(t, err, boom)

	var kept []byte
	c = newPluggedCodec(t, JSON{Marshal: func(v any) ([]byte, error) {
		b, err := json.Marshal(v)
		kept = b
		return b, err
	}})
	cookie, err := c.Encode("s", plugged{"secret", 1})
	require.NoError(t, err)
	assert.Equal(t, make([]byte, len(kept)), kept, "Marshal's buffer was not cleared")
	var got plugged
	require.NoError(t, c.Decode("s", cookie, &got))
	assert.Equal(t, plugged{"secret", 1}, got)
}

// A plugged Unmarshal sees only payloads that passed cookieseal's check,
// whatever it would accept itself; its errors are ErrInvalid and leave dst
// as it was.
func TestPluggedUnmarshalSeesOnlyCheckedPayloads(t *testing.T) {
	called := 0
	lenient := func([]byte, any) error { called++; return nil } // accepts anything
	c := newPluggedCodec(t, JSON{Unmarshal: lenient})
	for name, payload := range map[string]string{
		"trailing data": `{"a":1} 2`,
		"invalid UTF-8": "\"\xff\"",
		"not JSON":      `{a:1}`,
		"two values":    `1 2`,
	} {
		cookie := sealRaw(t, c, "s", 0, c.now().Unix(), []byte(payload))
		var got plugged
		err := c.Decode("s", cookie, &got)
		requireClass(t, err, ErrInvalid)
		assert.Zero(t, called, name)
	}

	boom := errors.New("boom")
	c = newPluggedCodec(t, JSON{Unmarshal: func(_ []byte, v any) error {
		v.(*plugged).A = "partly filled"
		return boom
	}})
	cookie, err := c.Encode("s", plugged{"x", 1})
	require.NoError(t, err)
	dst := plugged{"untouched", 9}
	err = c.Decode("s", cookie, &dst)
	requireClass(t, err, ErrInvalid)
	assert.ErrorIs(t, err, boom)
	assert.Equal(t, plugged{"untouched", 9}, dst)
}

// A plugged Marshal's output is copied where sealing can append the tag in
// place: with room for exactly tagSize more bytes at least, so no second
// copy of the plaintext is made (and left unzeroed) when the tag goes on.
func TestAppendMarshaledLeavesRoomForTheTag(t *testing.T) {
	marshal := func(any) ([]byte, error) { return []byte(`{"k":"value"}`), nil }
	for _, dst := range [][]byte{nil, []byte("prefix"), make([]byte, 3, 3+13)} {
		want := string(dst) + `{"k":"value"}` // withRoom clears dst when it moves it
		out, err := appendMarshaled(dst, nil, marshal)
		require.NoError(t, err)
		assert.Equal(t, want, string(out))
		assert.GreaterOrEqual(t, cap(out)-len(out), tagSize, "room after %d bytes", len(want))
	}
}
