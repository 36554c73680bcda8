// Package goserver is the Go half of the two-server example: a net/http
// handler that shares one session cookie with the Node server in
// ../node/server.mjs. Both read their secrets from the same secrets file
// (one per line, the first seals, '#' comments), with the same grammar
// (SESSIONS.md section 7: cookieseal.ReadSecretsFile and Reloader here,
// readSecretsFile and SecretsReloader there), so a rotation is one edit of
// that file.
package goserver

import (
	"encoding/json"
	"errors"
	"html"
	"log"
	"net/http"
	"slices"

	"github.com/cookieseal/cookieseal"
)

// Session is what both servers keep in the cookie "session".
type Session struct {
	User string   `json:"user"` // who logged in
	Cart []string `json:"cart"` // items added on either server
}

// view is what a page shows, in <pre id="session">, for tests to read.
type view struct {
	Server   string   `json:"server"`
	User     string   `json:"user"`
	Cart     []string `json:"cart"`
	KeyID    string   `json:"key_id,omitempty"`
	IssuedAt int64    `json:"issued_at,omitempty"`
	Error    string   `json:"error,omitempty"`
}

// New returns the Go server's handler, with the keyring from the secrets
// file at path, read again (if it changed) on every request.
func New(path string) (http.Handler, error) {
	secrets, err := cookieseal.ReadSecretsFile(path)
	if err != nil {
		return nil, err
	}
	codec, err := cookieseal.New(cookieseal.Config{Secrets: secrets})
	if err != nil {
		return nil, err
	}
	reloader, err := cookieseal.NewReloader(codec, path)
	if err != nil {
		return nil, err
	}
	cookies, err := cookieseal.NewCookies(codec, cookieseal.CookieOptions{})
	if err != nil {
		return nil, err
	}
	page := func(w http.ResponseWriter, v view) {
		v.Server = "go"
		b, _ := json.Marshal(v)
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		_, _ = w.Write([]byte(`<!doctype html><title>go</title><pre id="session">` + html.EscapeString(string(b)) + "</pre>\n"))
	}
	// read opens the session; when the key rotated it writes it again under
	// the key that now seals, after deciding to keep it.
	read := func(w http.ResponseWriter, r *http.Request) (Session, cookieseal.Info, error) {
		if err := reloader.Reload(); err != nil {
			log.Printf("secrets file: %v", err)
		}
		var s Session
		info, err := cookies.Read(r, "session", &s)
		if err != nil {
			return Session{}, info, err
		}
		// Judged and kept: re-issue (a no-op unless info.Reissue), keeping its times.
		if err := cookies.Reissue(w, r, "session", s, info); err != nil {
			return Session{}, info, err
		}
		return s, info, nil
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /login", func(w http.ResponseWriter, r *http.Request) {
		if err := reloader.Reload(); err != nil {
			log.Printf("secrets file: %v", err)
		}
		s := Session{User: r.URL.Query().Get("user"), Cart: []string{}}
		if err := cookies.Write(w, r, "session", s); err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		page(w, view{User: s.User, Cart: s.Cart})
	})
	mux.HandleFunc("GET /me", func(w http.ResponseWriter, r *http.Request) {
		s, info, err := read(w, r)
		if err != nil {
			if errors.Is(err, http.ErrNoCookie) {
				err = errors.New("no session")
			}
			page(w, view{Error: err.Error()})
			return
		}
		page(w, view{User: s.User, Cart: s.Cart, KeyID: info.KeyID.String(), IssuedAt: info.IssuedAt.Unix()})
	})
	mux.HandleFunc("GET /cart/add", func(w http.ResponseWriter, r *http.Request) {
		s, info, err := read(w, r)
		if err != nil {
			page(w, view{Error: err.Error()})
			return
		}
		s.Cart = append(slices.Clip(s.Cart), r.URL.Query().Get("item"))
		if err := cookies.Refresh(w, r, "session", s, info); err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		page(w, view{User: s.User, Cart: s.Cart})
	})
	return mux, nil
}
