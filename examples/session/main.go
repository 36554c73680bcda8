// Command session is the session manager's example: sign in (RenewToken),
// a flash message (PopString), sign out (Destroy), on a plain net/http
// server whose sessions live in a sealed cookie.
//
//	go run ./examples/session
//
// then open http://localhost:8000 and sign in as the user and password it
// prints. Secrets come from COOKIESEAL_SECRETS; without it, one is generated
// per run and sessions end with the process. There is no default secret,
// and no default password.
package main

import (
	"flag"
	"log"
	"net/http"
	"os"
	"time"

	"github.com/cookieseal/cookieseal"
	"github.com/cookieseal/cookieseal/examples/session/app"
)

func main() {
	addr := flag.String("addr", "localhost:8000", "address to listen on")
	insecure := flag.Bool("insecure", false, "no Secure attribute: for plain http on hosts other than localhost, never in production")
	flag.Parse()

	secrets := cookieseal.SecretsFromEnv(os.Getenv("COOKIESEAL_SECRETS"))
	if len(secrets) == 0 {
		secrets = []string{cookieseal.GenerateSecret()}
		log.Print("COOKIESEAL_SECRETS is unset: generated a secret; sessions end with this process")
	}
	codec, err := cookieseal.New(cookieseal.Config{Secrets: secrets, MaxLifetime: 12 * time.Hour})
	if err != nil {
		log.Fatal(err)
	}
	password := cookieseal.GenerateSecret()[:16] // a new one per run, never a default
	log.Printf("sign in as ada, password %s", password)
	handler, _ := app.New(app.Config{Codec: codec, Users: map[string]string{"ada": password}, Insecure: *insecure})

	srv := &http.Server{Addr: *addr, Handler: handler, ReadHeaderTimeout: 10 * time.Second}
	log.Printf("serving on http://%s", *addr)
	log.Fatal(srv.ListenAndServe())
}
