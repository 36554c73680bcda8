//go:build !race

// The race detector makes sync.Pool drop items at random, so allocation
// counts are not stable under -race; this test runs in every other build.

package gorillastore_test

import (
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cookieseal/cookieseal"
	"github.com/cookieseal/cookieseal/gorillastore"
)

// TestStoreReadIsBounded: the store reads through cookieseal.Cookies, so a
// header of thousands of heads and 49 parts of 4 KB (257 KB, the finding)
// costs at most 6 times the allocations of reading a legitimate session of
// 50 parts.
func TestStoreReadIsBounded(t *testing.T) {
	codec, err := cookieseal.New(cookieseal.Config{Secrets: []string{cookieseal.GenerateSecret()}, MaxPayload: 256 << 10})
	require.NoError(t, err)
	store, err := gorillastore.New(codec)
	require.NoError(t, err)
	store.MaxParts(50)
	store.MaxLength(50 * 4096)
	r := request()
	s, err := store.Get(r, "s")
	require.NoError(t, err)
	s.Values["v"] = randomText(140 << 10)
	w := httptest.NewRecorder()
	require.NoError(t, s.Save(r, w))
	cookies := responseCookies(w)
	require.Len(t, cookies, 50)
	legit := requestWith(cookies)
	start := strings.TrimPrefix(cookies[0].Value, "50.")[:8]
	var b strings.Builder
	for i := range 2900 {
		b.WriteString("s=50." + start + strconv.Itoa(100000+i) + "; ")
	}
	for k := 1; k < 50; k++ {
		b.WriteString("s." + strconv.Itoa(k) + "=" + randomText(4090) + "; ")
	}
	attack := request()
	attack.Header.Set("Cookie", b.String())
	require.Greater(t, b.Len(), 250<<10)
	read := func(r *http.Request) error {
		_, err := store.New(r, "s")
		return err
	}
	require.NoError(t, read(legit))
	require.Error(t, read(attack))
	legitAllocs := testing.AllocsPerRun(3, func() { _ = read(legit) })
	attackAllocs := testing.AllocsPerRun(3, func() { _ = read(attack) })
	t.Logf("store.New: legitimate %.0f allocs, attack %.0f", legitAllocs, attackAllocs)
	assert.LessOrEqual(t, attackAllocs, 6*legitAllocs)
}
