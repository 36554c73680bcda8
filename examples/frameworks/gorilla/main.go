// Command gorilla counts visits in gorilla/sessions with cookieseal's
// gorillastore: the session is sealed, not just signed, and the count stays
// an int from one request to the next.
package main

import (
	"flag"
	"fmt"
	"log"
	"net/http"
	"os"
	"time"

	"github.com/gorilla/sessions"

	"github.com/cookieseal/cookieseal"
	"github.com/cookieseal/cookieseal/gorillastore"
)

// newStore returns a gorilla/sessions Store that seals with cookieseal. Its
// defaults are safe: HttpOnly, Secure (Go's cookie jar and browsers allow
// it on localhost), SameSite=Lax, Path=/, Max-Age equal to the codec's
// MaxAge, and Cache-Control: no-store on every response that sets the
// cookie.
func newStore(secrets []string) (*gorillastore.Store, error) {
	return gorillastore.NewFromConfig(cookieseal.Config{Secrets: secrets})
}

// newHandler counts the visits of each browser in its session.
func newHandler(store sessions.Store) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// A bad or missing cookie gives a new, empty session and an error
		// that needs no answer: the visitor starts again at 0.
		session, _ := store.Get(r, "session")
		visits, ok := session.Values["visits"].(int)
		if !ok && session.Values["visits"] != nil {
			http.Error(w, fmt.Sprintf("visits came back as %T", session.Values["visits"]), http.StatusInternalServerError)
			return
		}
		session.Values["visits"] = visits + 1
		if err := session.Save(r, w); err != nil {
			http.Error(w, "could not save the session", http.StatusInternalServerError)
			return
		}
		fmt.Fprintf(w, "visits: %d\n", visits+1)
	})
}

func main() {
	addr := flag.String("addr", "localhost:8081", "address to listen on")
	flag.Parse()
	secrets := cookieseal.SecretsFromEnv(os.Getenv("COOKIESEAL_SECRETS"))
	if len(secrets) == 0 {
		secrets = []string{cookieseal.GenerateSecret()} // sessions end with the process
	}
	store, err := newStore(secrets)
	if err != nil {
		log.Fatal(err)
	}
	srv := &http.Server{Addr: *addr, Handler: newHandler(store), ReadHeaderTimeout: 10 * time.Second}
	log.Printf("serving on http://%s", *addr)
	log.Fatal(srv.ListenAndServe())
}
