// Command guess serves "Guess the number" with its session sealed by
// cookieseal: go run ./examples/guess, then open http://localhost:8080.
//
// The secret comes from COOKIESEAL_SECRETS (comma-separated, the first one
// seals) or, when that is unset, is generated at start, so that sessions end
// when the server stops. There is no default secret.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"net/http"
	"os"
	"time"

	"github.com/cookieseal/cookieseal"
	"github.com/cookieseal/cookieseal/examples/guess/game"
)

func main() {
	os.Exit(run(os.Args[1:], os.Getenv, os.Stderr, listenAndServe))
}

// run parses args, builds the game and serves it with listen, which tests
// replace.
func run(args []string, getenv func(string) string, stderr io.Writer, listen func(string, http.Handler) error) int {
	fs := flag.NewFlagSet("guess", flag.ContinueOnError)
	fs.SetOutput(stderr)
	addr := fs.String("addr", "localhost:8080", "address to listen on")
	insecure := fs.Bool("insecure", false, "drop Secure and the __Host- prefix, for plain http on a host other than localhost")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	logger := log.New(stderr, "guess: ", 0)
	secrets := cookieseal.SecretsFromEnv(getenv("COOKIESEAL_SECRETS"))
	if len(secrets) == 0 {
		secrets = []string{cookieseal.GenerateSecret()}
		logger.Print("COOKIESEAL_SECRETS is unset: generated a secret for this run; games end when the server stops")
	}
	h, err := newServer(secrets, *insecure)
	if err != nil {
		logger.Print(err)
		return 1
	}
	logger.Printf("serving on http://%s", *addr)
	if err := listen(*addr, h); err != nil && !errors.Is(err, http.ErrServerClosed) {
		logger.Print(err)
		return 1
	}
	return 0
}

// newServer returns the game's handler.
func newServer(secrets []string, insecure bool) (http.Handler, error) {
	g, err := game.New(game.Config{Secrets: secrets, Insecure: insecure})
	if err != nil {
		return nil, fmt.Errorf("guess: %w", err)
	}
	return g, nil
}

// listenAndServe is http.ListenAndServe with timeouts.
func listenAndServe(addr string, h http.Handler) error {
	srv := &http.Server{Addr: addr, Handler: h, ReadHeaderTimeout: 10 * time.Second}
	return srv.ListenAndServe()
}
