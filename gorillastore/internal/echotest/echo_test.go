package echotest

import (
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gorilla/securecookie"
	"github.com/gorilla/sessions"
	"github.com/labstack/echo-contrib/session"
	"github.com/labstack/echo/v4"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cookieseal/cookieseal"
	"github.com/cookieseal/cookieseal/gorillastore"
)

// clock is a settable time source for Config.Now.
type clock struct{ ns atomic.Int64 }

func (c *clock) Now() time.Time      { return time.Unix(0, c.ns.Load()) }
func (c *clock) Add(d time.Duration) { c.ns.Add(int64(d)) }

func newStoreClock(t *testing.T, secrets ...string) (*gorillastore.Store, *cookieseal.Codec, *clock) {
	t.Helper()
	clk := &clock{}
	clk.ns.Store(time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC).UnixNano())
	if len(secrets) == 0 {
		secrets = []string{cookieseal.GenerateSecret()}
	}
	codec, err := cookieseal.New(cookieseal.Config{Secrets: secrets, Now: clk.Now})
	require.NoError(t, err)
	store, err := gorillastore.New(codec)
	require.NoError(t, err)
	return store, codec, clk
}

// newStore is the store that echo-contrib's copied tests run against.
func newStore(t *testing.T) *gorillastore.Store {
	store, _, _ := newStoreClock(t)
	return store
}

func randomText(n int) string {
	b := make([]byte, n)
	rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)[:n]
}

// errHeaders reports what err matches in response headers.
func errHeaders(c echo.Context, err error) {
	var ge securecookie.Error
	h := c.Response().Header()
	h.Set("X-Decode", strconv.FormatBool(errors.As(err, &ge) && ge.IsDecode()))
	h.Set("X-Invalid", strconv.FormatBool(errors.Is(err, cookieseal.ErrInvalid)))
	h.Set("X-Expired", strconv.FormatBool(errors.Is(err, cookieseal.ErrExpired)))
	h.Set("X-Too-Large", strconv.FormatBool(errors.Is(err, cookieseal.ErrTooLarge)))
}

// newServer is an echo app over store: /set saves typed values (and a
// string of ?big= bytes), /get reports what came back and what Get said,
// /delete deletes the session, /reissue re-issues it.
func newServer(store *gorillastore.Store) *echo.Echo {
	e := echo.New()
	e.Use(session.Middleware(store))
	e.GET("/set", func(c echo.Context) error {
		s, _ := session.Get("session", c)
		s.Values["int"] = 7
		s.Values["time"] = time.Unix(1700000000, 0).UTC()
		s.Values["float"] = 0.5
		s.Values["bytes"] = []byte("b")
		if n, _ := strconv.Atoi(c.QueryParam("big")); n > 0 {
			s.Values["big"] = randomText(n)
		}
		if err := s.Save(c.Request(), c.Response()); err != nil {
			errHeaders(c, err)
			return c.String(http.StatusInternalServerError, "save failed")
		}
		return c.String(http.StatusOK, "ok")
	})
	e.GET("/get", func(c echo.Context) error {
		s, err := session.Get("session", c)
		errHeaders(c, err)
		big, _ := s.Values["big"].(string)
		c.Response().Header().Set("X-New", strconv.FormatBool(s.IsNew))
		c.Response().Header().Set("X-Big", strconv.Itoa(len(big)))
		v := s.Values
		return c.String(http.StatusOK, fmt.Sprintf("%T %T %T %T", v["int"], v["time"], v["float"], v["bytes"]))
	})
	e.GET("/delete", func(c echo.Context) error {
		s, _ := session.Get("session", c)
		s.Options.MaxAge = -1
		return s.Save(c.Request(), c.Response())
	})
	e.GET("/reissue", func(c echo.Context) error {
		ok, err := store.Reissue(c.Request(), c.Response(), "session")
		if err != nil || !ok {
			return c.String(http.StatusInternalServerError, fmt.Sprintf("no re-issue: %v", err))
		}
		return nil
	})
	return e
}

// do serves path with the cookies of an earlier response (name=value, as a
// browser sends them).
func do(h http.Handler, path string, from *httptest.ResponseRecorder) *httptest.ResponseRecorder {
	r := httptest.NewRequest(http.MethodGet, "https://127.0.0.1"+path, nil)
	if from != nil {
		for _, c := range from.Result().Cookies() {
			if c.MaxAge >= 0 {
				r.AddCookie(&http.Cookie{Name: c.Name, Value: c.Value})
			}
		}
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, r)
	return rec
}

func cookieNames(rec *httptest.ResponseRecorder) []string {
	var names []string
	for _, c := range rec.Result().Cookies() {
		names = append(names, fmt.Sprintf("%s:%d", c.Name, c.MaxAge))
	}
	return names
}

func TestEchoTypedValuesKeepTheirTypes(t *testing.T) {
	h := newServer(newStore(t))
	set := do(h, "/set", nil)
	require.Equal(t, http.StatusOK, set.Code)
	line := set.Header().Get("Set-Cookie")
	for _, attr := range []string{"session=", "Path=/", "Max-Age=86400", "HttpOnly", "Secure", "SameSite=Lax"} {
		assert.Contains(t, line, attr)
	}
	assert.Equal(t, "no-store", set.Header().Get("Cache-Control"))
	get := do(h, "/get", set)
	assert.Equal(t, "int time.Time float64 []uint8", get.Body.String())
	assert.Equal(t, "false", get.Header().Get("X-New"))
}

func TestEchoTamperedIsDecode(t *testing.T) {
	h := newServer(newStore(t))
	set := do(h, "/set", nil)
	c := set.Result().Cookies()[0]
	b := []byte(c.Value)
	b[30] ^= 1
	r := httptest.NewRequest(http.MethodGet, "/get", nil)
	r.AddCookie(&http.Cookie{Name: c.Name, Value: string(b)})
	get := httptest.NewRecorder()
	h.ServeHTTP(get, r)
	assert.Equal(t, "true", get.Header().Get("X-Decode"))
	assert.Equal(t, "true", get.Header().Get("X-Invalid"))
	assert.Equal(t, "true", get.Header().Get("X-New"))
	assert.Equal(t, "<nil> <nil> <nil> <nil>", get.Body.String())
}

func TestEchoOversize(t *testing.T) {
	set := do(newServer(newStore(t)), "/set?big=5000", nil)
	assert.Equal(t, http.StatusInternalServerError, set.Code)
	assert.Equal(t, "true", set.Header().Get("X-Too-Large"))
	assert.Empty(t, set.Header().Values("Set-Cookie"))
}

func TestEchoMaxAgeGovernsBrowserAndCodec(t *testing.T) {
	store, _, clk := newStoreClock(t)
	store.MaxAge(7 * 24 * 3600)
	h := newServer(store)
	set := do(h, "/set", nil)
	assert.Contains(t, set.Header().Get("Set-Cookie"), "Max-Age=604800")
	clk.Add(25 * time.Hour)
	get := do(h, "/get", set)
	assert.Equal(t, "false", get.Header().Get("X-New"), "25 hours old under a 7-day store")
	clk.Add(6 * 24 * time.Hour)
	get = do(h, "/get", set)
	assert.Equal(t, "true", get.Header().Get("X-Expired"))
}

func TestEchoKeyRotationReissues(t *testing.T) {
	oldSecret, newSecret := cookieseal.GenerateSecret(), cookieseal.GenerateSecret()
	store, codec, _ := newStoreClock(t, oldSecret)
	h := newServer(store)
	set := do(h, "/set", nil)
	require.NoError(t, codec.SetSecrets([]string{newSecret, oldSecret}))
	re := do(h, "/reissue", set)
	require.Equal(t, http.StatusOK, re.Code, re.Body.String())
	hdr, err := cookieseal.Inspect(re.Result().Cookies()[0].Value)
	require.NoError(t, err)
	assert.Equal(t, codec.KeyIDs()[0], hdr.KeyID)
	require.NoError(t, codec.SetSecrets([]string{newSecret}))
	assert.Equal(t, "int time.Time float64 []uint8", do(h, "/get", re).Body.String())
}

func TestEchoLargeSessionInPartsAndDelete(t *testing.T) {
	store := newStore(t)
	store.MaxLength(20 << 10)
	h := newServer(store)
	set := do(h, "/set?big=10240", nil)
	require.Equal(t, http.StatusOK, set.Code)
	// The request showed no cookie: the part the budget allows beyond the
	// four used is expired, so that no stale part survives.
	assert.Equal(t, []string{"session:86400", "session.1:86400", "session.2:86400", "session.3:86400", "session.4:-1"}, cookieNames(set))
	assert.Equal(t, "10240", do(h, "/get", set).Header().Get("X-Big"))
	del := do(h, "/delete", set)
	assert.Equal(t, []string{"session:-1", "session.1:-1", "session.2:-1", "session.3:-1"}, cookieNames(del))
	assert.Equal(t, "no-store", del.Header().Get("Cache-Control"))
}

var _ sessions.Store = (*gorillastore.Store)(nil)
