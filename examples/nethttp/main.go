// Command nethttp is cookieseal's quick start: a plain net/http server that
// keeps a shopping cart in a sealed cookie, split over several cookies when
// it outgrows one.
//
//	go run ./examples/nethttp
//	curl -i -d item=apple http://localhost:8000/add
package main

import (
	"errors"
	"flag"
	"fmt"
	"log"
	"net/http"
	"os"
	"time"

	"github.com/cookieseal/cookieseal"
)

type cart struct {
	Items []string `json:"items"`
}

func newHandler(cookies *cookieseal.Cookies) http.Handler {
	// load reads the cart; a missing cookie is an empty cart, and so is a
	// bad one (tampered, expired, from an old key that was removed). It
	// writes nothing: an app with sessions would judge info here (revoked?
	// issued before the last password change?) before any re-issue.
	load := func(r *http.Request) (cart, cookieseal.Info) {
		var c cart
		info, err := cookies.Read(r, "cart", &c)
		if err != nil && !errors.Is(err, http.ErrNoCookie) {
			log.Printf("cart cookie refused: %v", err)
		}
		return c, info
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /{$}", func(w http.ResponseWriter, r *http.Request) {
		c, info := load(r)
		// The cart is accepted: re-issue it if its key rotated out.
		if err := cookies.Reissue(w, r, "cart", c, info); err != nil {
			log.Printf("re-issuing the cart: %v", err)
		}
		fmt.Fprintf(w, "cart: %q\n", c.Items)
	})
	mux.HandleFunc("POST /add", func(w http.ResponseWriter, r *http.Request) {
		c, info := load(r)
		c.Items = append(c.Items, r.FormValue("item"))
		// Refresh keeps the cart's created-at (Write would start anew).
		if err := cookies.Refresh(w, r, "cart", c, info); err != nil {
			// ErrTooLarge: the cart no longer fits the cookie budget.
			http.Error(w, "cart too large", http.StatusRequestEntityTooLarge)
			return
		}
		fmt.Fprintf(w, "cart: %d items\n", len(c.Items))
	})
	mux.HandleFunc("POST /clear", func(w http.ResponseWriter, r *http.Request) {
		if err := cookies.Delete(w, r, "cart"); err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		fmt.Fprintln(w, "cart: cleared")
	})
	return mux
}

func main() {
	addr := flag.String("addr", "localhost:8000", "address to listen on")
	flag.Parse()

	// Secrets come from the environment; without them, a new one per run.
	secrets := cookieseal.SecretsFromEnv(os.Getenv("COOKIESEAL_SECRETS"))
	if len(secrets) == 0 {
		secrets = []string{cookieseal.GenerateSecret()}
		log.Print("COOKIESEAL_SECRETS is unset: generated a secret; carts end with this process")
	}
	codec, err := cookieseal.New(cookieseal.Config{Secrets: secrets})
	if err != nil {
		log.Fatal(err)
	}
	cookies, err := cookieseal.NewCookies(codec, cookieseal.CookieOptions{HostPrefix: true})
	if err != nil {
		log.Fatal(err)
	}

	srv := &http.Server{Addr: *addr, Handler: newHandler(cookies), ReadHeaderTimeout: 10 * time.Second}
	log.Printf("serving on http://%s", *addr)
	log.Fatal(srv.ListenAndServe())
}
