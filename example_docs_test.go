package cookieseal_test

import (
	"log"
	"net/http"
	"time"

	"github.com/cookieseal/cookieseal"
)

// The Go snippets of docs/nethttp.md and docs/migration.md that no other
// example holds, compiled here (TestDocSnippets checks that the docs quote
// them verbatim). These examples have no output: they compile, and do not run.

func Example_docsNethttpJudge() {
	codec, err := cookieseal.New(cookieseal.Config{Secrets: []string{cookieseal.GenerateSecret()}})
	if err != nil {
		log.Fatal(err)
	}
	cookies, err := cookieseal.NewCookies(codec, cookieseal.CookieOptions{})
	if err != nil {
		log.Fatal(err)
	}
	var user struct{ PasswordChangedAt time.Time }
	http.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		var s struct{ User string }
		info, err := cookies.Read(r, "session", &s)
		// IssuedAt is whole seconds: truncate the change to seconds too, or a login in the same
		// second as the change is refused, again and again.
		if err != nil || info.IssuedAt.Before(user.PasswordChangedAt.Truncate(time.Second)) { // revoked: nothing is written
			http.Error(w, "log in again", http.StatusUnauthorized)
			return
		}
		if err := cookies.Reissue(w, r, "session", s, info); err != nil { // before the body
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
	})
}

func Example_docsNethttpLifetimes() {
	secrets := []string{cookieseal.GenerateSecret()}
	codec, err := cookieseal.New(cookieseal.Config{
		Secrets:     secrets,
		MaxAge:      30 * time.Minute,    // idle timeout
		RefreshAge:  10 * time.Minute,    // re-issue after 10 minutes; must be less than MaxAge
		MaxLifetime: 30 * 24 * time.Hour, // ends 30 days after login, however active
	})
	if err != nil {
		log.Fatal(err)
	}
	_ = codec
}

func Example_docsMigrationDecodeInfo() {
	codec, err := cookieseal.New(cookieseal.Config{Secrets: []string{cookieseal.GenerateSecret()}})
	if err != nil {
		log.Fatal(err)
	}
	oldCookie := &http.Cookie{Name: "session"}
	var values map[interface{}]interface{}
	info, err := codec.DecodeInfo("session", oldCookie.Value, &values)
	// info.Legacy and info.Reissue are true; once the handler accepts the
	// session: cookie, err := codec.Reissue("session", values, info)
	_, _ = info, err
}
