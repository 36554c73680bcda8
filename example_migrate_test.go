package cookieseal_test

import (
	"fmt"
	"log"
	"net/http"
	"net/http/httptest"
	"time"

	"github.com/cookieseal/cookieseal"
	"github.com/gorilla/securecookie"
	"github.com/gorilla/sessions"
)

// Migrating a gorilla/sessions application from securecookie: the old
// codecs become Legacy decoders, so users keep their sessions, and every
// response that saves the session carries a cookieseal cookie.
func Example_migrateFromGorilla() {
	// The key pairs the application already has (hash key, block key, ...);
	// here generated, in production read from where they are kept today.
	oldKeyPairs := [][]byte{securecookie.GenerateRandomKey(64), securecookie.GenerateRandomKey(32)}
	oldStore := sessions.NewCookieStore(oldKeyPairs...) // before the switch

	var legacy []cookieseal.Decoder
	for _, c := range securecookie.CodecsFromPairs(oldKeyPairs...) {
		legacy = append(legacy, c)
	}
	codec, err := cookieseal.New(cookieseal.Config{
		Secrets: []string{cookieseal.GenerateSecret()}, // in production: cookieseal.SecretsFromEnv(os.Getenv("COOKIESEAL_SECRETS"))
		MaxAge:  30 * 24 * time.Hour,                   // gorilla/sessions' default cookie lifetime
		Legacy:  legacy,
	})
	if err != nil {
		log.Fatal(err)
	}
	store := sessions.NewCookieStore()
	store.Codecs = []securecookie.Codec{codec}

	// A user who logged in before the switch ...
	req := httptest.NewRequest(http.MethodGet, "/", nil)
	rec := httptest.NewRecorder()
	s, _ := oldStore.Get(req, "session")
	s.Values["user"] = "alice"
	if err := s.Save(req, rec); err != nil {
		log.Fatal(err)
	}
	oldCookie := rec.Result().Cookies()[0]

	// ... comes back after it.
	req = httptest.NewRequest(http.MethodGet, "/", nil)
	req.AddCookie(oldCookie)
	rec = httptest.NewRecorder()
	s, err = store.Get(req, "session")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("user:", s.Values["user"], "new session:", s.IsNew)

	// DecodeInfo tells which cookies still need re-issuing, for code that
	// reads cookies itself; with gorilla/sessions, save the session.
	var values map[interface{}]interface{}
	info, err := codec.DecodeInfo("session", oldCookie.Value, &values)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("legacy:", info.Legacy, "re-issue:", info.Reissue)
	if err := s.Save(req, rec); err != nil {
		log.Fatal(err)
	}
	h, err := cookieseal.Inspect(rec.Result().Cookies()[0].Value)
	fmt.Println("new cookie is cookieseal version", h.Version, err)
	// Output:
	// user: alice new session: false
	// legacy: true re-issue: true
	// new cookie is cookieseal version 1 <nil>
}
