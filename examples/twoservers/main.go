// Command twoservers is the Go half of a session shared by a Go server and a
// Node server on two ports of one host (browsers share cookies across
// ports). Run both with the same secrets file:
//
//	go run ./cmd/cookieseal keygen > /tmp/secrets
//	go run ./examples/twoservers -secrets /tmp/secrets -addr 127.0.0.1:8001 &
//	(cd js && npm ci && npm run build)
//	SECRETS_FILE=/tmp/secrets PORT=8002 node examples/twoservers/node/server.mjs &
//
// then open http://127.0.0.1:8001/login?user=ada,
// http://127.0.0.1:8002/cart/add?item=book and http://127.0.0.1:8001/me.
// To rotate, put a new secret first in the file (keygen again): both servers
// re-issue old cookies under it as they come in.
package main

import (
	"flag"
	"log"
	"net/http"
	"time"

	"github.com/cookieseal/cookieseal/examples/twoservers/goserver"
)

func main() {
	secrets := flag.String("secrets", "", "the secrets file, one secret per line, the first seals")
	addr := flag.String("addr", "127.0.0.1:8001", "listen address")
	flag.Parse()
	h, err := goserver.New(*secrets)
	if err != nil {
		log.Fatal(err)
	}
	log.Printf("listening on http://%s", *addr)
	srv := &http.Server{Addr: *addr, Handler: h, ReadHeaderTimeout: 10 * time.Second}
	log.Fatal(srv.ListenAndServe())
}
