package cookieseal

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestWithMaxAgeGovernsExpiry(t *testing.T) {
	clk := newClock(t0)
	c := newTestCodec(t, clk, newSecrets(1)...)
	week, err := c.WithMaxAge(7 * 24 * time.Hour)
	require.NoError(t, err)
	assert.Equal(t, 7*24*time.Hour, week.MaxAge())
	assert.Equal(t, DefaultMaxAge, c.MaxAge(), "c is unchanged")

	v, err := c.Encode("s", 1)
	require.NoError(t, err)
	clk.Add(25 * time.Hour)
	var n int
	requireClass(t, c.Decode("s", v, &n), ErrExpired)
	require.NoError(t, week.Decode("s", v, &n), "25 hours old, 7 days allowed")
	assert.Equal(t, 1, n)

	// The bound is exact to the second.
	clk.Add(7*24*time.Hour - 25*time.Hour)
	require.NoError(t, week.Decode("s", v, &n))
	clk.Add(time.Second)
	requireClass(t, week.Decode("s", v, &n), ErrExpired)

	// Shorter works too.
	hour, err := c.WithMaxAge(time.Hour)
	require.NoError(t, err)
	w, err := hour.Encode("s", 2)
	require.NoError(t, err)
	clk.Add(time.Hour)
	require.NoError(t, hour.Decode("s", w, &n))
	clk.Add(time.Second)
	requireClass(t, hour.Decode("s", w, &n), ErrExpired)
	require.NoError(t, c.Decode("s", w, &n))
}

func TestWithMaxAgeSharesTheKeyring(t *testing.T) {
	clk := newClock(t0)
	secrets := newSecrets(2)
	c := newTestCodec(t, clk, secrets[0])
	week, err := c.WithMaxAge(7 * 24 * time.Hour)
	require.NoError(t, err)
	old, err := week.Encode("s", 1)
	require.NoError(t, err)

	// Rotating on the original reaches the copy, both ways.
	require.NoError(t, c.SetSecrets([]string{secrets[1], secrets[0]}))
	assert.Equal(t, c.KeyIDs(), week.KeyIDs())
	fresh, err := week.Encode("s", 2)
	require.NoError(t, err)
	h, err := Inspect(fresh)
	require.NoError(t, err)
	assert.Equal(t, c.KeyIDs()[0], h.KeyID)
	info, err := week.DecodeInfo("s", old, new(int))
	require.NoError(t, err)
	assert.True(t, info.Reissue, "the old key no longer seals")

	require.NoError(t, week.SetSecrets([]string{secrets[1]}))
	requireClass(t, c.Decode("s", old, new(int)), ErrUnknownKey)

	// Both count opens on the same keys.
	require.NoError(t, c.Decode("s", fresh, new(int)))
	require.NoError(t, week.Decode("s", fresh, new(int)))
	usage := c.KeyUsage()
	require.Len(t, usage, 1)
	assert.EqualValues(t, 2, usage[0].Opened)
	assert.Equal(t, usage, week.KeyUsage())
}

func TestWithMaxAgeRefusals(t *testing.T) {
	c := newTestCodec(t, newClock(t0), newSecrets(1)...)
	for _, d := range []time.Duration{0, -time.Second} {
		_, err := c.WithMaxAge(d)
		assert.Error(t, err, "%v", d)
	}
	same, err := c.WithMaxAge(DefaultMaxAge)
	require.NoError(t, err)
	assert.Same(t, c, same)
	tiny, err := c.WithMaxAge(time.Nanosecond)
	require.NoError(t, err)
	assert.Equal(t, time.Second, tiny.MaxAge(), "rounded up to a whole second, as New does")

	r, err := New(Config{Secrets: newSecrets(1), RefreshAge: time.Hour})
	require.NoError(t, err)
	for _, d := range []time.Duration{time.Hour, time.Hour - time.Second} {
		_, err := r.WithMaxAge(d)
		assert.Error(t, err, "MaxAge %v with RefreshAge 1h", d)
	}
	longer, err := r.WithMaxAge(time.Hour + time.Second)
	require.NoError(t, err)
	assert.Equal(t, time.Hour+time.Second, longer.MaxAge())
}
