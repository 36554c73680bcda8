// Copied from github.com/gin-contrib/sessions v1.0.4 (cookie/cookie_test.go),
// under the license in LICENSE.gin-contrib-sessions. Changed: the store
// construction (newStore), the package name, and TestCookie_SessionMany,
// which runs manyJoinedWithSemicolons, a copy of tester.Many whose second
// request joins the first response's cookies with "; " instead of "; \n".
// A Cookie header cannot hold a LF on the wire (net/textproto folds a
// continuation line into a space), and SESSIONS.md S2 trims only SP and
// HTAB around a cookie name, so the store reads "\nb" as a cookie named
// "\nb", not "b", where net/http's own parser trims any ASCII space.

package ginstore_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/gin-gonic/gin"

	"github.com/gin-contrib/sessions"
	"github.com/gin-contrib/sessions/tester"

	"github.com/cookieseal/cookieseal/gorillastore/ginstore"
)

var newStore = func(t *testing.T) sessions.Store {
	store, err := ginstore.New(newCodec(t))
	if err != nil {
		t.Fatal(err)
	}
	return store
}

func TestCookie_SessionGetSet(t *testing.T) {
	tester.GetSet(t, newStore)
}

func TestCookie_SessionDeleteKey(t *testing.T) {
	tester.DeleteKey(t, newStore)
}

func TestCookie_SessionFlashes(t *testing.T) {
	tester.Flashes(t, newStore)
}

func TestCookie_SessionClear(t *testing.T) {
	tester.Clear(t, newStore)
}

func TestCookie_SessionOptions(t *testing.T) {
	tester.Options(t, newStore)
}

func TestCookie_SessionMany(t *testing.T) {
	manyJoinedWithSemicolons(t, newStore)
}

// manyJoinedWithSemicolons is tester.Many of gin-contrib/sessions v1.0.4,
// with the cookies of the second request joined by "; " (see above).
func manyJoinedWithSemicolons(t *testing.T, newStore func(*testing.T) sessions.Store) {
	r := gin.Default()
	sessionNames := []string{"a", "b"}

	r.Use(sessions.SessionsMany(sessionNames, newStore(t)))

	r.GET("/set", func(c *gin.Context) {
		sessionA := sessions.DefaultMany(c, "a")
		sessionA.Set("hello", "world")
		_ = sessionA.Save()

		sessionB := sessions.DefaultMany(c, "b")
		sessionB.Set("foo", "bar")
		_ = sessionB.Save()
		c.String(http.StatusOK, "ok")
	})

	r.GET("/get", func(c *gin.Context) {
		sessionA := sessions.DefaultMany(c, "a")
		if sessionA.Get("hello") != "world" {
			t.Error("Session writing failed")
		}
		_ = sessionA.Save()

		sessionB := sessions.DefaultMany(c, "b")
		if sessionB.Get("foo") != "bar" {
			t.Error("Session writing failed")
		}
		_ = sessionB.Save()
		c.String(http.StatusOK, "ok")
	})

	res1 := httptest.NewRecorder()
	req1, _ := http.NewRequestWithContext(context.Background(), http.MethodGet, "/set", nil)
	r.ServeHTTP(res1, req1)

	res2 := httptest.NewRecorder()
	req2, _ := http.NewRequestWithContext(context.Background(), http.MethodGet, "/get", nil)
	header := ""
	for _, x := range res1.Header()["Set-Cookie"] {
		header += strings.Split(x, ";")[0] + "; "
	}
	req2.Header.Set("Cookie", header)
	r.ServeHTTP(res2, req2)
}
