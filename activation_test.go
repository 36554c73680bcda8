package cookieseal

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestReloaderActivates: a secret with an activate= time opens at once and
// starts to seal at that time on the next poll, without the file changing;
// a cookie sealed before it still opens after (nobody is logged out).
func TestReloaderActivates(t *testing.T) {
	oldS, newS := GenerateSecret(), GenerateSecret()
	at := time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)
	clock := at.Add(-time.Minute)
	path := filepath.Join(t.TempDir(), "secrets")
	require.NoError(t, os.WriteFile(path, []byte(newS+" #activate=2026-06-01T00:00:00Z\n"+oldS+"\n"), 0o600))
	codec, err := New(Config{Secrets: []string{oldS}, Now: func() time.Time { return clock }})
	require.NoError(t, err)
	r, err := NewReloader(codec, path)
	require.NoError(t, err)
	oldID, _, _ := deriveKey(oldS)
	newID, _, _ := deriveKey(newS)
	assert.Equal(t, []KeyID{oldID, newID}, codec.KeyIDs(), "before: the old key seals, the new one opens")
	before, err := codec.Encode("s", "v")
	require.NoError(t, err)

	changed, err := r.reload()
	require.NoError(t, err)
	assert.False(t, changed, "nothing to do before the time")
	clock = at
	changed, err = r.reload()
	require.NoError(t, err)
	assert.True(t, changed)
	assert.Equal(t, []KeyID{newID, oldID}, codec.KeyIDs(), "at the time: the new key seals")
	var v string
	info, err := codec.DecodeInfo("s", before, &v)
	require.NoError(t, err, "a cookie of the old key still opens")
	assert.True(t, info.Reissue, "and is re-issued under the new key")
	u := codec.KeyUsage()
	assert.True(t, u[1].RetireAfter.Equal(at.Add(codec.MaxAge()+MaxClockSkew)), "the old key retires max age after it stopped sealing: %v", u[1].RetireAfter)
}
