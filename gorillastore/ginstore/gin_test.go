package ginstore_test

import (
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	ginsessions "github.com/gin-contrib/sessions"
	"github.com/gin-gonic/gin"
	"github.com/gorilla/securecookie"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cookieseal/cookieseal"
	"github.com/cookieseal/cookieseal/gorillastore/ginstore"
)

func init() { gin.SetMode(gin.TestMode) }

// clock is a settable time source for Config.Now.
type clock struct{ ns atomic.Int64 }

func (c *clock) Now() time.Time      { return time.Unix(0, c.ns.Load()) }
func (c *clock) Add(d time.Duration) { c.ns.Add(int64(d)) }

func newCodecClock(t *testing.T, secrets ...string) (*cookieseal.Codec, *clock) {
	t.Helper()
	clk := &clock{}
	clk.ns.Store(time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC).UnixNano())
	if len(secrets) == 0 {
		secrets = []string{cookieseal.GenerateSecret()}
	}
	codec, err := cookieseal.New(cookieseal.Config{Secrets: secrets, Now: clk.Now})
	require.NoError(t, err)
	return codec, clk
}

func newCodec(t *testing.T) *cookieseal.Codec {
	codec, _ := newCodecClock(t)
	return codec
}

func randomText(n int) string {
	b := make([]byte, n)
	rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)[:n]
}

// newRouter is a gin app over store: /set saves typed values (and a string
// of ?big= bytes), /get reports what came back and what Get said, /delete
// deletes the session, /reissue re-issues it.
func newRouter(store *ginstore.Store) *gin.Engine {
	r := gin.New()
	r.Use(ginsessions.Sessions("session", store))
	errHeaders := func(c *gin.Context, err error) {
		var ge securecookie.Error
		c.Header("X-Decode", strconv.FormatBool(errors.As(err, &ge) && ge.IsDecode()))
		c.Header("X-Invalid", strconv.FormatBool(errors.Is(err, cookieseal.ErrInvalid)))
		c.Header("X-Expired", strconv.FormatBool(errors.Is(err, cookieseal.ErrExpired)))
		c.Header("X-Too-Large", strconv.FormatBool(errors.Is(err, cookieseal.ErrTooLarge)))
	}
	r.GET("/set", func(c *gin.Context) {
		s := ginsessions.Default(c)
		s.Set("int", 7)
		s.Set("time", time.Unix(1700000000, 0).UTC())
		s.Set("float", 0.5)
		s.Set("bytes", []byte("b"))
		if n, _ := strconv.Atoi(c.Query("big")); n > 0 {
			s.Set("big", randomText(n))
		}
		if err := s.Save(); err != nil {
			errHeaders(c, err)
			c.String(http.StatusInternalServerError, "save failed")
			return
		}
		c.String(http.StatusOK, "ok")
	})
	r.GET("/get", func(c *gin.Context) {
		// gin's session hides Get's error: ask the store, which returns
		// the same session from the request's registry.
		gs, err := store.Get(c.Request, "session")
		errHeaders(c, err)
		s := ginsessions.Default(c)
		big, _ := s.Get("big").(string)
		c.Header("X-New", strconv.FormatBool(gs.IsNew))
		c.Header("X-Big", strconv.Itoa(len(big)))
		c.String(http.StatusOK, "%T %T %T %T", s.Get("int"), s.Get("time"), s.Get("float"), s.Get("bytes"))
	})
	r.GET("/delete", func(c *gin.Context) {
		s := ginsessions.Default(c)
		s.Options(ginsessions.Options{Path: "/", MaxAge: -1})
		if err := s.Save(); err != nil {
			c.String(http.StatusInternalServerError, "save failed")
		}
	})
	r.GET("/reissue", func(c *gin.Context) {
		if ok, err := store.Reissue(c.Request, c.Writer, "session"); err != nil || !ok {
			c.String(http.StatusInternalServerError, "no re-issue: %v", err)
		}
	})
	return r
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

func TestGinTypedValuesKeepTheirTypes(t *testing.T) {
	store, err := ginstore.New(newCodec(t))
	require.NoError(t, err)
	h := newRouter(store)
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

func TestGinTamperedIsDecode(t *testing.T) {
	store, err := ginstore.New(newCodec(t))
	require.NoError(t, err)
	h := newRouter(store)
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

func TestGinOversize(t *testing.T) {
	store, err := ginstore.New(newCodec(t))
	require.NoError(t, err)
	set := do(newRouter(store), "/set?big=5000", nil)
	assert.Equal(t, http.StatusInternalServerError, set.Code)
	assert.Equal(t, "true", set.Header().Get("X-Too-Large"))
	assert.Empty(t, set.Header().Values("Set-Cookie"))
}

func TestGinMaxAgeGovernsBrowserAndCodec(t *testing.T) {
	codec, clk := newCodecClock(t)
	store, err := ginstore.New(codec)
	require.NoError(t, err)
	store.Options(ginsessions.Options{Path: "/", MaxAge: 7 * 24 * 3600, HttpOnly: true, Secure: true})
	h := newRouter(store)
	set := do(h, "/set", nil)
	assert.Contains(t, set.Header().Get("Set-Cookie"), "Max-Age=604800")
	clk.Add(25 * time.Hour)
	get := do(h, "/get", set)
	assert.Equal(t, "false", get.Header().Get("X-New"), "25 hours old under a 7-day store")
	assert.Equal(t, "int time.Time float64 []uint8", get.Body.String())
	clk.Add(6 * 24 * time.Hour)
	get = do(h, "/get", set)
	assert.Equal(t, "true", get.Header().Get("X-Expired"))
}

func TestGinKeyRotationReissues(t *testing.T) {
	oldSecret, newSecret := cookieseal.GenerateSecret(), cookieseal.GenerateSecret()
	codec, _ := newCodecClock(t, oldSecret)
	store, err := ginstore.New(codec)
	require.NoError(t, err)
	h := newRouter(store)
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

func TestGinLargeSessionInPartsAndDelete(t *testing.T) {
	store, err := ginstore.New(newCodec(t))
	require.NoError(t, err)
	store.MaxLength(20 << 10)
	h := newRouter(store)
	set := do(h, "/set?big=10240", nil)
	require.Equal(t, http.StatusOK, set.Code)
	// The request showed no cookie: the part the budget allows beyond the
	// four used is expired, so that no stale part survives.
	assert.Equal(t, []string{"session:86400", "session.1:86400", "session.2:86400", "session.3:86400", "session.4:-1"}, cookieNames(set))
	get := do(h, "/get", set)
	assert.Equal(t, "10240", get.Header().Get("X-Big"))
	del := do(h, "/delete", set)
	assert.Equal(t, []string{"session:-1", "session.1:-1", "session.2:-1", "session.3:-1"}, cookieNames(del))
	assert.Equal(t, "no-store", del.Header().Get("Cache-Control"))
	for _, l := range del.Header().Values("Set-Cookie") {
		assert.True(t, strings.Contains(l, "Max-Age=0"), l)
	}
}
