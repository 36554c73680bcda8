package gorillastore_test

import (
	"errors"
	"fmt"
	"maps"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"testing"
	"time"

	"github.com/cookieseal/cookieseal"
	"github.com/cookieseal/cookieseal/gorillastore"
	"github.com/cookieseal/cookieseal/internal/sessionsuite"
)

// The session scenario suite (SESSIONS.md S8), run against the store the
// way a gorilla/sessions application uses it: a handler that calls
// store.Get, judges the session and does the case's action through
// gorilla's API, served a real http.Request through an
// httptest.ResponseRecorder. Every case of every file in
// ../testdata/sessions/ runs unchanged; COOKIESEAL_SESSIONS_DIR names
// another directory of the same files. The actions map to the store as:
//
//   - keep: Get, then store.Reissue (writes only a due re-issue, S6.3);
//   - refuse: Get, answer 401, no Save. gorilla's store has no notion of a
//     status code and writes only when the application calls Save or
//     Reissue, so a refused session is one the handler does not save;
//   - set: Get, the values added to session.Values, session.Save;
//   - login: Get, store.Renew, the values, session.Save (S6.5);
//   - logout: Get, Options.MaxAge = -1, session.Save (S6.8).
//
// The session name is the full cookie name (prefix included), as gorilla
// names cookies. The types, the loading and the checks are those of the
// root module's internal/sessionsuite, shared by every Go runner.

// scnList is the case's revocation list as a MemoryRevocations, its
// entries kept past the case's clocks.
func scnList(t *testing.T, r *sessionsuite.Revocations) cookieseal.Revocations {
	if r == nil {
		return nil
	}
	m := cookieseal.NewMemoryRevocations(nil)
	forever := time.Now().Add(24 * time.Hour)
	for _, id := range r.Sessions {
		if err := m.RevokeSession(t.Context(), id, forever); err != nil {
			t.Fatal(err)
		}
	}
	for _, e := range r.Subjects {
		if err := m.RevokeSubject(t.Context(), e.Subject, time.Unix(e.Before, 0), forever); err != nil {
			t.Fatal(err)
		}
	}
	return m
}

// scnClass is the outcome class of a read or write error (S1).
func scnClass(err error) string {
	switch {
	case err == nil:
		return "ok"
	case errors.Is(err, http.ErrNoCookie):
		return "none"
	case errors.Is(err, cookieseal.ErrInvalid):
		return "invalid"
	case errors.Is(err, cookieseal.ErrExpired):
		return "expired"
	case errors.Is(err, cookieseal.ErrUnknownKey):
		return "unknown_key"
	case errors.Is(err, cookieseal.ErrTooLarge):
		return "too_large"
	case errors.Is(err, cookieseal.ErrRevoked):
		return "revoked"
	}
	return fmt.Sprintf("unclassified (%v)", err)
}

// scnRead is what a read learnt, as the suite's check takes it.
func scnRead(err error, session any, info cookieseal.Info) sessionsuite.Read {
	return sessionsuite.Read{
		Outcome: scnClass(err), Session: session,
		IssuedAt: info.IssuedAt.Unix(), CreatedAt: info.CreatedAt.Unix(), KeyID: info.KeyID.String(),
		SessionID: info.SessionID, Subject: info.Subject,
	}
}

// TestSessionsScenariosStore runs the scenario suite against the store.
func TestSessionsScenariosStore(t *testing.T) {
	sessionsuite.Run(t, filepath.Join("..", "testdata", "sessions"), runStoreScenario)
}

// scnValues turns the case's JSON values into session values: integers
// become int, as an application stores them.
func scnValues(t *testing.T, values map[string]any) map[any]any {
	out := map[any]any{}
	for k, v := range values {
		if f, ok := v.(float64); ok {
			if f != float64(int(f)) {
				t.Fatalf("value %s: %v is not an integer", k, f)
			}
			v = int(f)
		}
		out[k] = v
	}
	return out
}

// scnStringKeys returns session values as a JSON object, for comparing.
func scnStringKeys(values map[any]any) map[string]any {
	out := map[string]any{}
	for k, v := range values {
		out[fmt.Sprint(k)] = v
	}
	return out
}

func runStoreScenario(t *testing.T, k sessionsuite.Case) {
	c := k.Config
	c.Defaults(cookieseal.DefaultMaxChunks, cookieseal.DefaultMaxHeaderBytes)
	k.Config = c
	var clock time.Time
	codec, err := cookieseal.New(cookieseal.Config{
		Secrets:     c.Secrets,
		MaxAge:      time.Duration(c.MaxAge) * time.Second,
		MaxLifetime: time.Duration(c.MaxLifetime) * time.Second,
		RefreshAge:  time.Duration(c.RefreshAge) * time.Second,
		Now:         func() time.Time { return clock },
	})
	if err != nil {
		t.Fatal(err)
	}
	store, err := gorillastore.New(codec)
	if err != nil {
		t.Fatal(err)
	}
	store.MaxParts(c.MaxParts)
	store.MaxLength(c.MaxHeaderBytes)
	store.Options.Secure = !c.Insecure
	var scopes []cookieseal.CookieScope
	for _, l := range c.LegacyScopes {
		scopes = append(scopes, cookieseal.CookieScope{Domain: l.Domain, Path: l.Path})
	}
	if err := store.LegacyScopes(scopes...); err != nil {
		t.Fatal(err)
	}
	store.Revocations(scnList(t, c.Revocations))
	full := c.Prefix + c.Name
	header, err := sessionsuite.Header(k)
	if err != nil {
		t.Fatal(err)
	}
	writeNow := k.WriteClock()

	// The application: Get, judge, act.
	var resp sessionsuite.Observed
	handler := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		session, err := store.Get(r, full)
		read := scnRead(err, scnStringKeys(maps.Clone(session.Values)), cookieseal.Info{})
		if err == nil && session.IsNew {
			read.Outcome = "none"
		}
		if read.Outcome == "ok" {
			info, err := store.Info(r, full)
			if err != nil {
				t.Fatalf("Info after a good Get: %v", err)
			}
			read = scnRead(nil, read.Session, info)
		}
		resp.Read = read
		clock = time.Unix(writeNow, 0) // the handler ran until now
		switch k.Action {
		case "keep": // accepted: re-issue if due (S6.3)
			if read.Outcome == "ok" {
				_, resp.WriteErr = store.Reissue(r, w, full)
			}
		case "refuse": // judged and refused: no Save (see above)
			http.Error(w, "log in again", http.StatusUnauthorized)
			return
		case "set":
			for name, v := range scnValues(t, k.Values) {
				session.Values[name] = v
			}
			resp.WriteErr = session.Save(r, w)
		case "login":
			if k.Subject != "" {
				store.RenewSubject(session, k.Subject)
			} else {
				store.Renew(session)
			}
			for name, v := range scnValues(t, k.Values) {
				session.Values[name] = v
			}
			resp.WriteErr = session.Save(r, w)
		case "logout":
			session.Options.MaxAge = -1
			resp.WriteErr = session.Save(r, w)
		default:
			t.Fatalf("unknown action %q", k.Action)
		}
		if resp.WriteErr != nil {
			http.Error(w, "session not saved", http.StatusInternalServerError)
			return
		}
		fmt.Fprintln(w, "ok")
	})
	r := httptest.NewRequest(http.MethodGet, "https://127.0.0.1/", nil)
	if header != "" {
		r.Header["Cookie"] = []string{header}
	}
	clock = time.Unix(k.Now, 0)
	rec := httptest.NewRecorder()
	handler.ServeHTTP(rec, r)
	resp.Header = rec.Header()

	sessionsuite.Check(t, k, sessionsuite.Runner{Full: full, IsPart: sessionsuite.IsPart, Class: scnClass, Reopen: func(header string) (sessionsuite.Read, error) {
		clock = time.Unix(writeNow, 0)
		back := httptest.NewRequest(http.MethodGet, "https://127.0.0.1/", nil)
		back.Header.Set("Cookie", header)
		session, err := store.Get(back, full)
		if err != nil {
			return sessionsuite.Read{}, err
		}
		if session.IsNew {
			return sessionsuite.Read{}, http.ErrNoCookie
		}
		info, err := store.Info(back, full)
		return scnRead(err, scnStringKeys(session.Values), info), err
	}}, resp)
}
