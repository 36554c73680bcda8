// Command gin counts visits with gin and gin-contrib/sessions over
// cookieseal's gorillastore/ginstore.
package main

import (
	"flag"
	"log"
	"net/http"
	"os"
	"time"

	ginsessions "github.com/gin-contrib/sessions"
	"github.com/gin-gonic/gin"

	"github.com/cookieseal/cookieseal"
	"github.com/cookieseal/cookieseal/gorillastore/ginstore"
)

// newStore returns a gin-contrib/sessions Store that seals with cookieseal,
// with safe cookie attributes.
func newStore(secrets []string) (*ginstore.Store, error) {
	codec, err := cookieseal.New(cookieseal.Config{Secrets: secrets})
	if err != nil {
		return nil, err
	}
	return ginstore.New(codec)
}

// newRouter returns the gin app: GET / counts visits.
func newRouter(s ginsessions.Store) *gin.Engine {
	r := gin.New()
	r.Use(ginsessions.Sessions("session", s))
	r.GET("/", func(c *gin.Context) {
		sess := ginsessions.Default(c)
		visits, ok := sess.Get("visits").(int)
		if !ok && sess.Get("visits") != nil {
			c.String(http.StatusInternalServerError, "visits came back as %T", sess.Get("visits"))
			return
		}
		sess.Set("visits", visits+1)
		if err := sess.Save(); err != nil {
			c.String(http.StatusInternalServerError, "could not save the session")
			return
		}
		c.String(http.StatusOK, "visits: %d\n", visits+1)
	})
	return r
}

func main() {
	addr := flag.String("addr", "localhost:8083", "address to listen on")
	flag.Parse()
	secrets := cookieseal.SecretsFromEnv(os.Getenv("COOKIESEAL_SECRETS"))
	if len(secrets) == 0 {
		secrets = []string{cookieseal.GenerateSecret()} // sessions end with the process
	}
	s, err := newStore(secrets)
	if err != nil {
		log.Fatal(err)
	}
	srv := &http.Server{Addr: *addr, Handler: newRouter(s), ReadHeaderTimeout: 10 * time.Second}
	log.Printf("serving on http://%s", *addr)
	log.Fatal(srv.ListenAndServe())
}
