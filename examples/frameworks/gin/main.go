// Command gin counts visits with gin and gin-contrib/sessions over a
// gorilla CookieStore whose codec is cookieseal, through a small adapter.
package main

import (
	"flag"
	"log"
	"net/http"
	"os"
	"time"

	ginsessions "github.com/gin-contrib/sessions"
	"github.com/gin-gonic/gin"
	"github.com/gorilla/securecookie"
	"github.com/gorilla/sessions"

	"github.com/cookieseal/cookieseal"
)

// store adapts a gorilla CookieStore to gin-contrib/sessions' Store, whose
// own cookie store cannot take another codec.
type store struct {
	*sessions.CookieStore
}

// Options sets the cookie attributes, as gin-contrib/sessions' stores do.
func (s store) Options(o ginsessions.Options) {
	s.CookieStore.Options = o.ToGorillaOptions()
}

// newStore returns a gin-contrib/sessions Store that seals with cookieseal,
// with safe cookie attributes.
func newStore(secrets []string) (ginsessions.Store, error) {
	codec, err := cookieseal.New(cookieseal.Config{Secrets: secrets})
	if err != nil {
		return nil, err
	}
	s := store{&sessions.CookieStore{Codecs: []securecookie.Codec{codec}}}
	s.Options(ginsessions.Options{
		Path:     "/",
		MaxAge:   int(codec.MaxAge() / time.Second),
		Secure:   true,
		HttpOnly: true,
		SameSite: http.SameSiteLaxMode,
	})
	return s, nil
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
		c.Header("Cache-Control", "no-store")
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
