package gorillastore_test

import (
	"fmt"
	"log"
	"net/http"
	"net/http/httptest"
	"time"

	"github.com/cookieseal/cookieseal"
	"github.com/cookieseal/cookieseal/gorillastore"
)

// A handler reads the session, judges it, and only then saves or
// re-issues it.
func Example() {
	// Real programs read their secrets from the environment or a file.
	store, err := gorillastore.NewFromConfig(cookieseal.Config{Secrets: []string{cookieseal.GenerateSecret()}})
	if err != nil {
		log.Fatal(err)
	}
	store.MaxAge(7 * 24 * 3600) // the browser's Max-Age and what the codec accepts

	visit := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		session, err := store.Get(r, "session")
		if err != nil {
			// A cookie that does not open: session is a new one.
			log.Printf("session: %v", err)
		}
		n, _ := session.Values["visits"].(int)
		session.Values["visits"] = n + 1
		if err := session.Save(r, w); err != nil {
			http.Error(w, "could not save the session", http.StatusInternalServerError)
			return
		}
		fmt.Fprintf(w, "visits: %d", n+1)
	})

	rec := httptest.NewRecorder()
	visit.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/", nil))
	r := httptest.NewRequest(http.MethodGet, "/", nil)
	for _, c := range rec.Result().Cookies() {
		r.AddCookie(c)
	}
	rec = httptest.NewRecorder()
	visit.ServeHTTP(rec, r)
	fmt.Println(rec.Body.String())
	fmt.Println(rec.Header().Get("Cache-Control"))
	// Output:
	// visits: 2
	// no-store
}

// At login, Renew starts a new session: its values are emptied and the
// next Save seals issued-at = created-at = now, whatever cookie the request
// carried. A "created before the last password change" check then passes
// for the new session only (CreatedAt is whole seconds: truncate the time
// of the change too), and never sends the user round a login loop.
func ExampleStore_Renew() {
	now := time.Date(2026, 6, 1, 9, 0, 0, 0, time.UTC)
	store, err := gorillastore.NewFromConfig(cookieseal.Config{Secrets: []string{cookieseal.GenerateSecret()}, Now: func() time.Time { return now }})
	if err != nil {
		log.Fatal(err)
	}
	user := struct {
		ID                string
		PasswordChangedAt time.Time
	}{"alice", now.Add(time.Hour + 300*time.Millisecond)}

	app := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		session, _ := store.Get(r, "session")
		if r.URL.Path == "/login" { // once the password is checked
			store.Renew(session)
			session.Values["user"] = user.ID
			if err := session.Save(r, w); err != nil {
				http.Error(w, "could not save the session", http.StatusInternalServerError)
			}
			return
		}
		info, err := store.Info(r, "session")
		if err != nil || info.CreatedAt.Before(user.PasswordChangedAt.Truncate(time.Second)) {
			http.Error(w, "log in again", http.StatusUnauthorized)
			return
		}
		fmt.Fprint(w, "welcome ", session.Values["user"])
	})
	serve := func(path string, cookies []*http.Cookie) *httptest.ResponseRecorder {
		r := httptest.NewRequest(http.MethodGet, path, nil)
		for _, c := range cookies {
			r.AddCookie(c)
		}
		rec := httptest.NewRecorder()
		app.ServeHTTP(rec, r)
		return rec
	}

	old := serve("/login", nil).Result().Cookies() // 09:00
	now = user.PasswordChangedAt.Add(200 * time.Millisecond)
	fmt.Println(serve("/", old).Code)                  // logged in before the change
	renewed := serve("/login", old).Result().Cookies() // 10:00:00.5, same second as the change
	fmt.Println(serve("/", renewed).Body.String())
	// Output:
	// 401
	// welcome alice
}
