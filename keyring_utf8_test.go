package cookieseal

import (
	"testing"

	"github.com/stretchr/testify/require"
)

// A secret that is not valid UTF-8 cannot be held by JS or Python (SPEC.md
// section 1.3), so no ring accepts it; one valid byte more or less does not
// change that it is refused, and the error quotes no byte of it.
func TestSecretNotUTF8IsRefused(t *testing.T) {
	valid := "0123456789abcdefghijklmnopqrstuvwxyz-\u00e9"
	_, err := New(Config{Secrets: []string{valid}})
	require.NoError(t, err)
	for _, bad := range []string{
		"0123456789abcdefghijklmnopqrstuvwxyz-\xff",
		"\xc3" + "0123456789abcdefghijklmnopqrstuvwxyz",
		"0123456789abcdefghijklmnopqrstuvwxyz-\xed\xa0\x80", // a UTF-8-encoded surrogate
	} {
		_, err := New(Config{Secrets: []string{valid, bad}})
		require.ErrorContains(t, err, "secret 2 of 2 is not valid UTF-8")
		require.NotContains(t, err.Error(), "0123456789")
	}
}
