package cookieseal

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/stretchr/testify/require"
)

// Every response that sets or deletes a session cookie varies on the
// request's cookies (SESSIONS.md S5.7), once, whatever the handler set.
func TestCookiesAddVaryCookieOnce(t *testing.T) {
	codec, err := New(Config{Secrets: []string{GenerateSecret()}})
	require.NoError(t, err)
	ck, err := NewCookies(codec, CookieOptions{})
	require.NoError(t, err)
	r := httptest.NewRequest(http.MethodGet, "http://127.0.0.1/", nil)

	w := httptest.NewRecorder()
	require.NoError(t, ck.Write(w, r, "s", map[string]any{"a": 1}))
	require.NoError(t, ck.Write(w, r, "s", map[string]any{"a": 2}))
	require.Equal(t, []string{"Cookie"}, w.Header().Values("Vary"))

	w = httptest.NewRecorder()
	w.Header().Set("Vary", "Accept-Encoding, cookie")
	require.NoError(t, ck.Delete(w, r, "s"))
	require.Equal(t, []string{"Accept-Encoding, cookie"}, w.Header().Values("Vary"))

	w = httptest.NewRecorder()
	w.Header().Set("Vary", "Accept-Encoding")
	require.NoError(t, ck.Delete(w, r, "s"))
	require.Equal(t, []string{"Accept-Encoding", "Cookie"}, w.Header().Values("Vary"))
}
