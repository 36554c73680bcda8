package session_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"time"

	"github.com/cookieseal/cookieseal"
	"github.com/cookieseal/cookieseal/session"
)

// send runs one request through h with the cookies of the last response's
// Set-Cookie lines (a two-line browser) and returns its body.
func send(h http.Handler, method, path string, jar map[string]string) string {
	r := httptest.NewRequest(method, path, nil)
	for name, value := range jar {
		r.AddCookie(&http.Cookie{Name: name, Value: value})
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	for _, c := range w.Result().Cookies() {
		if c.MaxAge < 0 {
			delete(jar, c.Name)
		} else {
			jar[c.Name] = c.Value
		}
	}
	return strings.TrimSpace(w.Body.String())
}

// An application moves from scs by changing its constructor: the session
// is sealed into the cookie, with no store.
func Example() {
	// The secrets come from the environment (never a default); a test
	// generates one.
	secrets := cookieseal.SecretsFromEnv("")
	if len(secrets) == 0 {
		secrets = []string{cookieseal.GenerateSecret()}
	}
	codec, err := cookieseal.New(cookieseal.Config{Secrets: secrets})
	if err != nil {
		panic(err)
	}
	sessions := session.New(codec) // was: scs.New()
	sessions.Lifetime = 12 * time.Hour
	sessions.IdleTimeout = 30 * time.Minute

	mux := http.NewServeMux()
	mux.HandleFunc("POST /login", func(w http.ResponseWriter, r *http.Request) {
		// ... check the password ...
		sessions.RenewToken(r.Context()) // a new session: Lifetime counts from here
		sessions.Put(r.Context(), "user", 42)
	})
	mux.HandleFunc("GET /{$}", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintln(w, "user", sessions.GetInt(r.Context(), "user"))
	})
	mux.HandleFunc("POST /logout", func(w http.ResponseWriter, r *http.Request) {
		sessions.Destroy(r.Context()) // deletes the cookie and every part of it
	})
	h := sessions.LoadAndSave(mux)

	jar := map[string]string{}
	send(h, "POST", "/login", jar)
	fmt.Println(send(h, "GET", "/", jar), "| cookies:", len(jar))
	send(h, "POST", "/logout", jar)
	fmt.Println(send(h, "GET", "/", jar), "| cookies:", len(jar))
	// Output:
	// user 42 | cookies: 1
	// user 0 | cookies: 0
}

// A flash message is a value put before a redirect and popped by the next
// page: PopString shows it once, and a session left empty is deleted.
func ExampleManager_PopString() {
	codec, err := cookieseal.New(cookieseal.Config{Secrets: []string{cookieseal.GenerateSecret()}})
	if err != nil {
		panic(err)
	}
	sessions := session.New(codec)
	mux := http.NewServeMux()
	mux.HandleFunc("POST /save", func(w http.ResponseWriter, r *http.Request) {
		sessions.Put(r.Context(), "flash", "Saved.")
		http.Redirect(w, r, "/", http.StatusSeeOther)
	})
	mux.HandleFunc("GET /{$}", func(w http.ResponseWriter, r *http.Request) {
		if flash := sessions.PopString(r.Context(), "flash"); flash != "" {
			fmt.Fprintf(w, "[%s] ", flash)
		}
		fmt.Fprint(w, "page")
	})
	h := sessions.LoadAndSave(mux)

	jar := map[string]string{}
	send(h, "POST", "/save", jar)
	fmt.Println(send(h, "GET", "/", jar), "| cookies:", len(jar))
	fmt.Println(send(h, "GET", "/", jar), "| cookies:", len(jar))
	// Output:
	// [Saved.] page | cookies: 0
	// page | cookies: 0
}

// Refuse keeps a due re-issue (a key rotation, an IdleTimeout refresh) from
// being written for a session the handler does not accept, when it answers
// with a status below 400 (a status of 400 or more refuses on its own).
func ExampleManager_Refuse() {
	codec, err := cookieseal.New(cookieseal.Config{Secrets: []string{cookieseal.GenerateSecret()}})
	if err != nil {
		panic(err)
	}
	sessions := session.New(codec)
	var revokedBefore int64 // e.g. the user's last password change, Unix seconds
	h := sessions.LoadAndSave(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		info := sessions.Info(r.Context())
		if sessions.Exists(r.Context(), "user") && info.CreatedAt.Unix() < revokedBefore {
			sessions.Refuse(r.Context())
			http.Redirect(w, r, "/login", http.StatusSeeOther)
			return
		}
		fmt.Fprint(w, "welcome")
	}))
	fmt.Println(send(h, "GET", "/", map[string]string{}))
	// Output: welcome
}
