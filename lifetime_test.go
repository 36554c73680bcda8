package cookieseal

import (
	"encoding/binary"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Issue 9: the created-at (flag bit 2), MaxLifetime, and re-sealing that
// keeps a session's times.

// flagsOf returns the flags byte of a cookie.
func flagsOf(t *testing.T, cookie string) byte {
	t.Helper()
	return rawBytes(t, cookie)[5]
}

func TestNewRefusesRefreshAgeAtOrPastMaxAge(t *testing.T) {
	secrets := newSecrets(1)
	for _, cfg := range []Config{
		{Secrets: secrets, MaxAge: time.Hour, RefreshAge: time.Hour},
		{Secrets: secrets, MaxAge: time.Hour, RefreshAge: 2 * time.Hour},
		{Secrets: secrets, RefreshAge: DefaultMaxAge}, // against the default MaxAge
		{Secrets: secrets, MaxLifetime: -time.Second},
	} {
		_, err := New(cfg)
		assert.Error(t, err, "%v", cfg)
	}
	_, err := New(Config{Secrets: secrets, MaxAge: time.Hour, RefreshAge: time.Hour - time.Nanosecond})
	assert.NoError(t, err, "RefreshAge just under MaxAge")
	_, err = New(Config{Secrets: secrets, RefreshAge: DefaultMaxAge - time.Second})
	assert.NoError(t, err, "RefreshAge just under the default MaxAge")
}

func TestEncodeWritesNoCreatedAt(t *testing.T) {
	c := newTestCodec(t, newClock(t0), newSecrets(1)...)
	s, err := c.Encode("s", "v")
	require.NoError(t, err)
	assert.Zero(t, flagsOf(t, s)&flagCreated, "a new session has created-at = issued-at: no flag")
	assert.Len(t, rawBytes(t, s), sealedLen(issuedAtSize+len(`"v"`)), "no created-at bytes")
}

// TestRefreshKeepsCreatedAt refreshes a session twice and checks the wire
// form: flag bit 2 and 8 more bytes once the times differ, and Info.
func TestRefreshKeepsCreatedAt(t *testing.T) {
	clk := newClock(t0)
	c, err := New(Config{Secrets: newSecrets(1), Now: clk.Now, MaxAge: time.Hour, RefreshAge: 30 * time.Minute})
	require.NoError(t, err)
	s, err := c.Encode("s", "v")
	require.NoError(t, err)
	var v string
	info, err := c.DecodeInfo("s", s, &v)
	require.NoError(t, err)
	assert.True(t, info.CreatedAt.Equal(t0) && info.IssuedAt.Equal(t0), "new session: %+v", info)

	clk.Add(40 * time.Minute)
	s, err = c.Refresh("s", v, info)
	require.NoError(t, err)
	assert.Equal(t, byte(flagCreated), flagsOf(t, s)&flagCreated)
	assert.Len(t, rawBytes(t, s), sealedLen(issuedAtSize+createdAtSize+len(`"v"`)))
	info, err = c.DecodeInfo("s", s, &v)
	require.NoError(t, err)
	assert.True(t, info.IssuedAt.Equal(t0.Add(40*time.Minute)), "issued-at moved: %v", info.IssuedAt)
	assert.True(t, info.CreatedAt.Equal(t0), "created-at kept: %v", info.CreatedAt)
	assert.False(t, info.Reissue)

	clk.Add(40 * time.Minute) // RefreshAge past: Reissue moves issued-at
	info, err = c.DecodeInfo("s", s, &v)
	require.NoError(t, err)
	require.True(t, info.Reissue)
	s, err = c.Reissue("s", v, info)
	require.NoError(t, err)
	info, err = c.DecodeInfo("s", s, &v)
	require.NoError(t, err)
	assert.True(t, info.IssuedAt.Equal(t0.Add(80*time.Minute)), "issued-at moved: %v", info.IssuedAt)
	assert.True(t, info.CreatedAt.Equal(t0), "created-at kept: %v", info.CreatedAt)
}

// TestReissueForRotationKeepsBothTimes: a cookie re-issued only because its
// key no longer seals keeps its issued-at and created-at, so it expires when
// the old one would have.
// TestReissueAtRefreshAge: the issued-at moves at exactly RefreshAge, not a
// second before.
func TestReissueAtRefreshAge(t *testing.T) {
	clk := newClock(t0)
	c, err := New(Config{Secrets: newSecrets(1), Now: clk.Now, MaxAge: time.Hour, RefreshAge: 30 * time.Minute})
	require.NoError(t, err)
	info := Info{IssuedAt: t0, CreatedAt: t0}
	for _, tc := range []struct {
		at   time.Duration
		want time.Time
	}{
		{30*time.Minute - time.Second, t0},
		{30 * time.Minute, t0.Add(30 * time.Minute)},
	} {
		clk.ns.Store(t0.Add(tc.at).UnixNano())
		s, err := c.Reissue("s", "v", info)
		require.NoError(t, err)
		var v string
		got, err := c.DecodeInfo("s", s, &v)
		require.NoError(t, err)
		assert.True(t, got.IssuedAt.Equal(tc.want), "at %v: issued %v, want %v", tc.at, got.IssuedAt, tc.want)
		assert.True(t, got.CreatedAt.Equal(t0), "at %v: created %v", tc.at, got.CreatedAt)
	}
}

func TestReissueForRotationKeepsBothTimes(t *testing.T) {
	clk := newClock(t0)
	secrets := newSecrets(2)
	old, err := New(Config{Secrets: secrets[1:], Now: clk.Now, MaxAge: time.Hour})
	require.NoError(t, err)
	c, err := New(Config{Secrets: secrets, Now: clk.Now, MaxAge: time.Hour})
	require.NoError(t, err)
	s, err := old.Encode("s", "v")
	require.NoError(t, err)
	clk.Add(50 * time.Minute)
	var v string
	info, err := c.DecodeInfo("s", s, &v)
	require.NoError(t, err)
	require.True(t, info.Reissue)
	s, err = c.Reissue("s", v, info)
	require.NoError(t, err)
	assert.Zero(t, flagsOf(t, s)&flagCreated)
	info, err = c.DecodeInfo("s", s, &v)
	require.NoError(t, err)
	assert.True(t, info.IssuedAt.Equal(t0) && info.CreatedAt.Equal(t0), "times kept: %+v", info)
	assert.Equal(t, c.KeyIDs()[0], info.KeyID, "sealed with the new key")
	assert.False(t, info.Reissue)
	clk.Add(10*time.Minute + time.Second)
	requireClass(t, c.Decode("s", s, &v), ErrExpired)
}

func TestReissueOfLegacyOrZeroInfoStartsNow(t *testing.T) {
	clk := newClock(t0)
	c, err := New(Config{Secrets: newSecrets(1), Now: clk.Now, MaxAge: time.Hour})
	require.NoError(t, err)
	for name, info := range map[string]Info{"legacy": {Legacy: true, Reissue: true}, "zero": {}} {
		for _, seal := range []func(string, any, Info) (string, error){c.Reissue, c.Refresh} {
			s, err := seal("s", "v", info)
			require.NoError(t, err, name)
			var v string
			got, err := c.DecodeInfo("s", s, &v)
			require.NoError(t, err, name)
			assert.True(t, got.IssuedAt.Equal(t0) && got.CreatedAt.Equal(t0), "%s: %+v", name, got)
		}
	}
}

// TestReissueClampsCreatedAt: a cookie from a clock ahead of ours, refreshed
// now, would have created-at after issued-at; the sealer clamps it rather
// than seal what Decode refuses.
func TestReissueClampsCreatedAt(t *testing.T) {
	clk := newClock(t0)
	c, err := New(Config{Secrets: newSecrets(1), Now: clk.Now})
	require.NoError(t, err)
	ahead := t0.Add(30 * time.Second)
	s, err := c.Refresh("s", "v", Info{IssuedAt: ahead, CreatedAt: ahead})
	require.NoError(t, err)
	var v string
	info, err := c.DecodeInfo("s", s, &v)
	require.NoError(t, err)
	assert.True(t, info.IssuedAt.Equal(t0) && info.CreatedAt.Equal(t0), "%+v", info)
	_, err = c.encode("s", "v", c.maxLength, sealTimes{issued: 10, created: 11})
	assert.ErrorContains(t, err, "created-at after issued-at")
}

func TestMaxLifetime(t *testing.T) {
	clk := newClock(t0)
	secrets := newSecrets(1)
	c, err := New(Config{Secrets: secrets, Now: clk.Now, MaxAge: time.Hour, RefreshAge: 30 * time.Minute, MaxLifetime: 2 * time.Hour})
	require.NoError(t, err)
	s, err := c.Encode("s", "v")
	require.NoError(t, err)
	var v string
	// Refresh every 40 minutes: never idle, so only MaxLifetime ends it.
	for range 3 {
		clk.Add(40 * time.Minute)
		info, err := c.DecodeInfo("s", s, &v)
		require.NoError(t, err)
		s, err = c.Reissue("s", v, info)
		require.NoError(t, err)
	}
	// t0+2h exactly: valid; one second later: expired.
	_, err = c.DecodeInfo("s", s, &v)
	require.NoError(t, err, "at exactly MaxLifetime")
	clk.Add(time.Second)
	err = c.Decode("s", s, &v)
	requireClass(t, err, ErrExpired)
	assert.Equal(t, "cookieseal: cookie expired: session older than its max lifetime", err.Error())

	// Without MaxLifetime the same cookie is fine: it was issued 1s ago.
	unbounded, err := New(Config{Secrets: secrets, Now: clk.Now, MaxAge: time.Hour})
	require.NoError(t, err)
	require.NoError(t, unbounded.Decode("s", s, &v))
}

// TestCreatedAtChecks reaches the created-at checks with authentic cookies
// that Encode never writes.
func TestCreatedAtChecks(t *testing.T) {
	clk := newClock(t0)
	c, err := New(Config{Secrets: newSecrets(1), Now: clk.Now, MaxLifetime: time.Hour})
	require.NoError(t, err)
	now := t0.Unix()
	at := func(created int64, body string) []byte {
		return append(binary.BigEndian.AppendUint64(nil, uint64(created)), body...)
	}
	for _, tc := range []struct {
		name    string
		flags   byte
		issued  int64
		payload []byte
		want    error
	}{
		{"created-at before issued-at", flagCreated, now, at(now-60, `"v"`), nil},
		{"created-at equal to issued-at", flagCreated, now, at(now, `"v"`), nil}, // sealers omit it; openers accept it
		{"created-at after issued-at", flagCreated, now, at(now+1, `"v"`), ErrInvalid},
		{"flag with 7 bytes", flagCreated, now, at(now, "")[:7], ErrInvalid},
		{"flag with 8 bytes and no body", flagCreated, now, at(now, ""), ErrInvalid},
		{"created-at at MaxLifetime", flagCreated, now, at(now-3600, `"v"`), nil},
		{"created-at past MaxLifetime", flagCreated, now, at(now-3601, `"v"`), ErrExpired},
		{"created-at at the int64 minimum", flagCreated, now, at(-1<<63, `"v"`), ErrExpired},
		{"no flag: the 8 bytes are the body", 0, now, at(now, `"v"`), ErrInvalid},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dst := "untouched"
			info, err := c.DecodeInfo("s", sealRaw(t, c, "s", tc.flags, tc.issued, tc.payload), &dst)
			if tc.want != nil {
				requireClass(t, err, tc.want)
				assert.Equal(t, "untouched", dst)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, "v", dst)
			assert.Equal(t, int64(binary.BigEndian.Uint64(tc.payload)), info.CreatedAt.Unix())
		})
	}
}

// TestExpiredErrorsHideTheAge: the messages name the limit, never the age,
// which would reveal the hidden issue time to anyone who sees the error.
func TestExpiredErrorsHideTheAge(t *testing.T) {
	clk := newClock(t0)
	c, err := New(Config{Secrets: newSecrets(1), Now: clk.Now, MaxAge: time.Hour})
	require.NoError(t, err)
	s, err := c.Encode("s", "v")
	require.NoError(t, err)
	clk.Add(97*time.Minute + 13*time.Second)
	var v string
	err = c.Decode("s", s, &v)
	requireClass(t, err, ErrExpired)
	for _, leak := range []string{"1h37m13s", "97", "5833", "ago"} {
		assert.False(t, strings.Contains(err.Error(), leak), "error %q reveals the age", err)
	}
}

// TestCreatedAtWithCompression: the created-at sits before the DEFLATE
// stream, outside it.
func TestCreatedAtWithCompression(t *testing.T) {
	clk := newClock(t0)
	c, err := New(Config{Secrets: newSecrets(1), Now: clk.Now})
	require.NoError(t, err)
	c.compress = true // whatever the default, this test needs DEFLATE
	value := strings.Repeat("compressible ", 200)
	clk.Add(time.Minute)
	s, err := c.Refresh("s", value, Info{IssuedAt: t0, CreatedAt: t0.Add(-time.Hour)})
	require.NoError(t, err)
	raw := rawBytes(t, s)
	require.Equal(t, byte(flagCreated|flagDeflate), raw[5])
	var got string
	info, err := c.DecodeInfo("s", s, &got)
	require.NoError(t, err)
	assert.Equal(t, value, got)
	assert.True(t, info.CreatedAt.Equal(t0.Add(-time.Hour)) && info.IssuedAt.Equal(t0.Add(time.Minute)), "%+v", info)
}
