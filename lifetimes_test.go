package cookieseal

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func TestWithLifetimes(t *testing.T) {
	now := time.Unix(1_800_000_000, 0)
	c, err := New(Config{Secrets: []string{GenerateSecret()}, Now: func() time.Time { return now }})
	require.NoError(t, err)
	d, err := c.WithLifetimes(1500*time.Millisecond, time.Second, time.Hour)
	require.NoError(t, err)
	require.Equal(t, 2*time.Second, d.MaxAge(), "rounded up to whole seconds")
	require.Equal(t, time.Second, d.RefreshAge())
	require.Equal(t, time.Hour, d.MaxLifetime())
	require.Equal(t, DefaultMaxAge, c.MaxAge(), "c itself is unchanged")
	require.Zero(t, c.RefreshAge())

	v, err := d.Encode("s", "x")
	require.NoError(t, err)
	now = now.Add(3 * time.Second)
	var s string
	require.ErrorIs(t, d.Decode("s", v, &s), ErrExpired, "the new MaxAge applies, on the shared clock")
	require.NoError(t, c.Decode("s", v, &s), "the old codec keeps its MaxAge")

	require.NoError(t, c.SetSecrets([]string{GenerateSecret(), GenerateSecret()}))
	require.Equal(t, c.KeyIDs(), d.KeyIDs(), "the keyring is shared")

	for _, bad := range [][3]time.Duration{
		{0, 0, 0}, {-time.Second, 0, 0}, {time.Second, -1, 0}, {time.Second, 0, -1},
		{time.Second, time.Second, 0}, {1500 * time.Millisecond, 2 * time.Second, 0},
	} {
		_, err := c.WithLifetimes(bad[0], bad[1], bad[2])
		require.Error(t, err, "%v", bad)
	}
	_, err = c.WithLifetimes(1500*time.Millisecond, 1900*time.Millisecond, 0)
	require.NoError(t, err, "RefreshAge is compared with the rounded MaxAge, as New does")
}
