package cookieseal

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// gobFlash is registered as a value, as gorilla users gob.Register theirs.
type gobFlash struct {
	Type    int
	Message string
}

// gobFlashPtr is registered as a pointer.
type gobFlashPtr struct{ N int }

func init() {
	Register("cookieseal.test.gobFlash", gobFlash{})
	Register("cookieseal.test.gobFlashPtr", &gobFlashPtr{})
}

// As gob does, a pointer to a registered type is flattened: gorilla's
// TestFlashes adds &FlashMessage{} and reads back a FlashMessage.
func TestRegisteredValueTypeTakesPointers(t *testing.T) {
	c := newTestCodec(t, newClock(t0), newSecrets(1)...)
	in := map[any]any{"_flash": []any{&gobFlash{42, "foo"}, gobFlash{7, "bar"}}}
	v, err := c.Encode("s", in)
	require.NoError(t, err)
	var out map[any]any
	require.NoError(t, c.Decode("s", v, &out))
	assert.Equal(t, map[any]any{"_flash": []any{gobFlash{42, "foo"}, gobFlash{7, "bar"}}}, out)

	// A nil pointer is refused, as gob refuses it.
	_, err = c.Encode("s", map[any]any{"f": (*gobFlash)(nil)})
	var unsupported *UnsupportedTypeError
	assert.ErrorAs(t, err, &unsupported)
	// A pointer to a pointer is not flattened twice.
	p := &gobFlash{1, "x"}
	_, err = c.Encode("s", map[any]any{"f": &p})
	assert.ErrorAs(t, err, &unsupported)

	// A type registered as a pointer still comes back a pointer, and its
	// value form is not accepted.
	v, err = c.Encode("s", map[any]any{"p": &gobFlashPtr{3}})
	require.NoError(t, err)
	require.NoError(t, c.Decode("s", v, &out))
	assert.Equal(t, map[any]any{"p": &gobFlashPtr{3}}, out)
	_, err = c.Encode("s", map[any]any{"p": gobFlashPtr{3}})
	assert.ErrorAs(t, err, &unsupported)
}
