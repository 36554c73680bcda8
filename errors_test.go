package cookieseal

import (
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/securecookie"
	"github.com/gorilla/sessions"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// requireGorillaKind fails unless err is a securecookie.Error with exactly
// the one kind asked for, and Cause is what errors.Is looks into.
func requireGorillaKind(t *testing.T, err error, usage, decode, internal bool) {
	t.Helper()
	ge, ok := err.(securecookie.Error)
	require.True(t, ok, "%T is not a securecookie.Error", err)
	assert.Equal(t, usage, ge.IsUsage(), "IsUsage of %v", err)
	assert.Equal(t, decode, ge.IsDecode(), "IsDecode of %v", err)
	assert.Equal(t, internal, ge.IsInternal(), "IsInternal of %v", err)
	require.Error(t, ge.Cause())
	assert.Equal(t, err.Error(), ge.Cause().Error())
}

// Every class of Decode failure is a gorilla decode error and still
// matches exactly one sentinel, through Decode and DecodeInfo.
func TestDecodeErrorsAnswerGorillasInterface(t *testing.T) {
	clk := newClock(t0)
	secrets := newSecrets(2)
	c := newTestCodec(t, clk, secrets[0])
	other := newTestCodec(t, clk, secrets[1])
	good, err := c.Encode("s", map[any]any{"n": 1})
	require.NoError(t, err)
	foreign, err := other.Encode("s", 1)
	require.NoError(t, err)
	tampered := []byte(good)
	tampered[len(tampered)-3] ^= 1

	cases := []struct {
		name, value string
		want        error
		clock       time.Duration
	}{
		{"tampered", string(tampered), ErrInvalid, 0},
		{"not base64", "!!!" + good, ErrInvalid, 0},
		{"another name", good, ErrInvalid, 0},
		{"unknown key", foreign, ErrUnknownKey, 0},
		{"too long", strings.Repeat("A", 5000), ErrTooLarge, 0},
		{"expired", good, ErrExpired, DefaultMaxAge + time.Second},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			clk.Add(tc.clock)
			defer clk.Add(-tc.clock)
			name := "s"
			if tc.name == "another name" {
				name = "t"
			}
			var dst map[any]any
			err := c.Decode(name, tc.value, &dst)
			requireClass(t, err, tc.want)
			requireGorillaKind(t, err, false, true, false)
			_, err = c.DecodeInfo(name, tc.value, &dst)
			requireClass(t, err, tc.want)
			requireGorillaKind(t, err, false, true, false)
			assert.Nil(t, dst)
		})
	}
}

// A dst that is not a non-nil pointer is the caller's mistake, and still
// ErrInvalid as Decode has always said.
func TestDecodeBadDstIsUsage(t *testing.T) {
	c := newTestCodec(t, newClock(t0), newSecrets(1)...)
	v, err := c.Encode("s", 1)
	require.NoError(t, err)
	var m map[any]any
	for _, dst := range []any{nil, m, (*map[any]any)(nil)} {
		err := c.Decode("s", v, dst)
		requireClass(t, err, ErrInvalid)
		requireGorillaKind(t, err, true, false, false)
	}
	// A pointer that does not fit the cookie is a decode error.
	var n string
	err = c.Decode("s", v, &n)
	requireClass(t, err, ErrInvalid)
	requireGorillaKind(t, err, false, true, false)
}

func TestEncodeErrorsAnswerGorillasInterface(t *testing.T) {
	c := newTestCodec(t, newClock(t0), newSecrets(1)...)
	_, err := c.Encode("s", strings.Join(newSecrets(100), "")) // does not compress
	assert.ErrorIs(t, err, ErrTooLarge)
	requireGorillaKind(t, err, true, false, false)

	_, err = c.Encode("s", make(chan int))
	var unsupported *json.UnsupportedTypeError
	assert.ErrorAs(t, err, &unsupported)
	requireGorillaKind(t, err, true, false, false)

	// Reissue and Refresh are Encode for a session that a cookie carries.
	for _, seal := range []func(string, any, Info) (string, error){c.Reissue, c.Refresh} {
		_, err = seal("s", make(chan int), Info{})
		requireGorillaKind(t, err, true, false, false)
	}

	c.rand = failingReader{}
	_, err = c.Encode("s", 1)
	require.Error(t, err)
	requireGorillaKind(t, err, false, false, true)
	_, err = c.Refresh("s", 1, Info{})
	requireGorillaKind(t, err, false, false, true)
}

// Wrapping the error of a forged cookie costs no allocation.
func TestTamperedNeedsNoAllocation(t *testing.T) {
	c := newTestCodec(t, newClock(t0), newSecrets(1)...)
	v, err := c.Encode("s", "value")
	require.NoError(t, err)
	b := []byte(v)
	i := len(b) - 10 // inside the ciphertext: fails authentication
	if b[i] == 'A' {
		b[i] = 'B'
	} else {
		b[i] = 'A'
	}
	forged := string(b)
	var dst json.RawMessage
	_, err = c.decode("s", forged, &dst, c.maxLength)
	require.Equal(t, errTampered, err)
	requireGorillaKind(t, c.Decode("s", forged, &dst), false, true, false)
	// Measured on the wrapping alone: the decode path's pooled buffers make
	// its own count vary under -race.
	allocs := testing.AllocsPerRun(100, func() { _ = decodeError(errTampered, &dst) })
	assert.Zero(t, allocs)
}

// Through a plain gorilla CookieStore, whose MultiError has no Unwrap,
// gorilla's own interface still says "decode error" for a tampered cookie.
func TestCookieStoreCodecsTamperedIsDecode(t *testing.T) {
	c := newTestCodec(t, newClock(t0), newSecrets(1)...)
	store := &sessions.CookieStore{Codecs: []securecookie.Codec{c}, Options: &sessions.Options{Path: "/", MaxAge: 3600}}
	v, err := c.Encode("session", map[any]any{"n": 1})
	require.NoError(t, err)
	b := []byte(v)
	b[10] ^= 1
	r, _ := http.NewRequest(http.MethodGet, "http://127.0.0.1/", nil)
	r.AddCookie(&http.Cookie{Name: "session", Value: string(b)})
	_, err = store.New(r, "session")
	require.Error(t, err)
	ge, ok := err.(securecookie.Error)
	require.True(t, ok, "%T", err)
	assert.True(t, ge.IsDecode())
	assert.False(t, ge.IsUsage())
	var multi securecookie.MultiError
	require.True(t, errors.As(err, &multi))
	assert.ErrorIs(t, multi[0], ErrInvalid)
}
