package gorillastore_test

import (
	"fmt"
	"log"
	"net/http"
	"net/http/httptest"

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
