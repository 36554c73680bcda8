package ginstore_test

import (
	"log"
	"net/http"
	"time"

	"github.com/cookieseal/cookieseal"
	"github.com/cookieseal/cookieseal/gorillastore"
	"github.com/cookieseal/cookieseal/gorillastore/ginstore"
)

// The Go snippets of docs/gorilla.md, compiled here (the root module's
// TestDocSnippets checks that the guide quotes them verbatim). These
// examples have no output: they compile, and do not run.

func Example_docsStores() {
	secrets := []string{cookieseal.GenerateSecret()}
	codec, err := cookieseal.New(cookieseal.Config{Secrets: secrets})
	if err != nil {
		log.Fatal(err)
	}
	// gorilla/sessions, and echo: e.Use(session.Middleware(store))
	store, err := gorillastore.NewFromConfig(cookieseal.Config{Secrets: secrets})

	// gin: r.Use(ginsessions.Sessions("session", ginStore))
	ginStore, err := ginstore.New(codec) // codec from cookieseal.New
	_, _, _ = store, ginStore, err
}

func Example_docsRenew() {
	store, err := gorillastore.NewFromConfig(cookieseal.Config{Secrets: []string{cookieseal.GenerateSecret()}})
	if err != nil {
		log.Fatal(err)
	}
	var user struct {
		ID                string
		PasswordChangedAt time.Time
	}
	http.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		session, _ := store.Get(r, "session")
		info, err := store.Info(r, "session")
		if err != nil || info.CreatedAt.Before(user.PasswordChangedAt.Truncate(time.Second)) {
			// not logged in, or logged in before the change: log in again
			http.Error(w, "log in again", http.StatusUnauthorized)
			return
		}
		// at login, once the password is checked:
		store.Renew(session)
		session.Values["user"] = user.ID
		err = session.Save(r, w)
		_ = err
	})
}
