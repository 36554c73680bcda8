// Package app is the session example's application: a login with
// RenewToken, a flash message with PopString, and a logout with Destroy, on
// cookieseal's session.Manager. The e2e test plays it in headless Chromium.
package app

import (
	"crypto/subtle"
	"html/template"
	"log"
	"net/http"
	"time"

	"github.com/cookieseal/cookieseal"
	"github.com/cookieseal/cookieseal/session"
)

// Config configures the application.
type Config struct {
	// Codec seals the sessions. Required.
	Codec *cookieseal.Codec
	// Users maps user names to passwords. The example compares plain
	// passwords; a real application compares password hashes.
	Users map[string]string
	// Insecure drops the Secure attribute and the __Host- prefix, for
	// plain-http development on hosts other than localhost.
	Insecure bool
}

var page = template.Must(template.New("page").Parse(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>cookieseal session example</title></head>
<body>
<h1>Sessions in a sealed cookie</h1>
{{with .Flash}}<p id="flash">{{.}}</p>{{end}}
{{if .User}}
<p>Signed in as <b id="user">{{.User}}</b>, {{.Visits}} pages seen in this session.</p>
<form method="post" action="/logout"><button id="logout" type="submit">Sign out</button></form>
{{else}}
<form method="post" action="/login">
<label>User <input id="username" name="username" autocomplete="username"></label>
<label>Password <input id="password" name="password" type="password" autocomplete="current-password"></label>
<button id="login" type="submit">Sign in</button>
</form>
{{end}}
</body></html>
`))

// New returns the application's handler, LoadAndSave included, and the
// session manager it uses.
func New(cfg Config) (http.Handler, *session.Manager) {
	sessions := session.New(cfg.Codec)      // was: scs.New()
	sessions.IdleTimeout = 30 * time.Minute // no request for 30 minutes ends a session
	sessions.Cookie.Secure = !cfg.Insecure
	sessions.BadCookieFunc = func(r *http.Request, err error) {
		log.Printf("session cookie refused: %v", err) // never holds the cookie's content
	}

	mux := http.NewServeMux()
	mux.HandleFunc("GET /{$}", func(w http.ResponseWriter, r *http.Request) {
		ctx := r.Context()
		data := struct {
			Flash, User string
			Visits      int
		}{Flash: sessions.PopString(ctx, "flash"), User: sessions.GetString(ctx, "user")}
		if data.User != "" {
			data.Visits = sessions.GetInt(ctx, "visits") + 1
			sessions.Put(ctx, "visits", data.Visits)
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		if err := page.Execute(w, data); err != nil {
			log.Print(err)
		}
	})
	mux.HandleFunc("POST /login", func(w http.ResponseWriter, r *http.Request) {
		ctx := r.Context()
		user, password := r.PostFormValue("username"), r.PostFormValue("password")
		want, ok := cfg.Users[user]
		if !ok || subtle.ConstantTimeCompare([]byte(password), []byte(want)) != 1 {
			sessions.Put(ctx, "flash", "Unknown user or wrong password.")
			http.Redirect(w, r, "/", http.StatusSeeOther)
			return
		}
		// A new session at every login: Lifetime counts from here, and
		// nothing of what a visitor held before signing in carries a
		// created-at from before it (session fixation has no token to fix).
		sessions.RenewToken(ctx)
		sessions.Put(ctx, "user", user)
		sessions.Put(ctx, "flash", "Welcome, "+user+".")
		http.Redirect(w, r, "/", http.StatusSeeOther)
	})
	mux.HandleFunc("POST /logout", func(w http.ResponseWriter, r *http.Request) {
		ctx := r.Context()
		sessions.Destroy(ctx)                     // deletes the cookie and every part of it
		sessions.Put(ctx, "flash", "Signed out.") // a new session that holds only the flash
		http.Redirect(w, r, "/", http.StatusSeeOther)
	})
	return sessions.LoadAndSave(mux), sessions
}
