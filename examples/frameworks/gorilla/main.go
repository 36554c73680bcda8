// Command gorilla counts visits in a gorilla/sessions CookieStore whose
// codec is cookieseal: the session is sealed, not just signed, and the
// count stays an int from one request to the next.
package main

import (
	"flag"
	"fmt"
	"log"
	"net/http"
	"os"
	"time"

	"github.com/gorilla/securecookie"
	"github.com/gorilla/sessions"

	"github.com/cookieseal/cookieseal"
)

// newStore returns a CookieStore that seals with cookieseal. It sets the
// cookie attributes itself: a CookieStore made by sessions.NewCookieStore
// would add securecookie codecs and leave Secure and SameSite off.
func newStore(secrets []string) (*sessions.CookieStore, error) {
	codec, err := cookieseal.New(cookieseal.Config{Secrets: secrets})
	if err != nil {
		return nil, err
	}
	return &sessions.CookieStore{
		Codecs: []securecookie.Codec{codec},
		Options: &sessions.Options{
			Path:     "/",
			MaxAge:   int(codec.MaxAge() / time.Second),
			Secure:   true, // Go's cookie jar and browsers allow it on localhost
			HttpOnly: true,
			SameSite: http.SameSiteLaxMode,
		},
	}, nil
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
		w.Header().Set("Cache-Control", "no-store")
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
