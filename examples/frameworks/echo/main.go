// Command echo counts visits with echo and echo-contrib/session over
// cookieseal's gorillastore.
package main

import (
	"flag"
	"fmt"
	"log"
	"net/http"
	"os"

	"github.com/gorilla/sessions"
	"github.com/labstack/echo-contrib/session"
	"github.com/labstack/echo/v4"

	"github.com/cookieseal/cookieseal"
	"github.com/cookieseal/cookieseal/gorillastore"
)

// newStore returns a gorilla/sessions Store that seals with cookieseal,
// with safe cookie attributes; echo-contrib/session takes it as it is.
func newStore(secrets []string) (*gorillastore.Store, error) {
	return gorillastore.NewFromConfig(cookieseal.Config{Secrets: secrets})
}

// newServer returns the echo app: GET / counts visits.
func newServer(store sessions.Store) *echo.Echo {
	e := echo.New()
	e.HideBanner = true
	e.Use(session.Middleware(store))
	e.GET("/", func(c echo.Context) error {
		sess, _ := session.Get("session", c) // a bad cookie gives a new session
		visits, ok := sess.Values["visits"].(int)
		if !ok && sess.Values["visits"] != nil {
			return echo.NewHTTPError(http.StatusInternalServerError, fmt.Sprintf("visits came back as %T", sess.Values["visits"]))
		}
		sess.Values["visits"] = visits + 1
		if err := sess.Save(c.Request(), c.Response()); err != nil {
			return err
		}
		return c.String(http.StatusOK, fmt.Sprintf("visits: %d\n", visits+1))
	})
	return e
}

func main() {
	addr := flag.String("addr", "localhost:8082", "address to listen on")
	flag.Parse()
	secrets := cookieseal.SecretsFromEnv(os.Getenv("COOKIESEAL_SECRETS"))
	if len(secrets) == 0 {
		secrets = []string{cookieseal.GenerateSecret()} // sessions end with the process
	}
	store, err := newStore(secrets)
	if err != nil {
		log.Fatal(err)
	}
	log.Fatal(newServer(store).Start(*addr))
}
