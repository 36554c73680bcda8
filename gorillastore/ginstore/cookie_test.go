// Copied from github.com/gin-contrib/sessions v1.0.4 (cookie/cookie_test.go),
// under the license in LICENSE.gin-contrib-sessions. Changed: the store
// construction (newStore), and the package name.

package ginstore_test

import (
	"testing"

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
	tester.Many(t, newStore)
}
