package cookieseal

import (
	"errors"
	"fmt"
	"maps"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"testing"
	"time"

	"github.com/cookieseal/cookieseal/internal/sessionsuite"
)

// The session scenario suite (SESSIONS.md S8), run against Cookies the way
// an application uses it: a handler that reads the session, judges it and
// does the case's action, served a real http.Request through an
// httptest.ResponseRecorder. Every case of every file in
// testdata/sessions/ runs unchanged. COOKIESEAL_SESSIONS_DIR names another
// directory of the same files (a work-in-progress suite).

// The types, the loading and the checks are those of
// internal/sessionsuite, shared by every Go runner.

// scnList is the case's revocation list as a MemoryRevocations, its
// entries kept past the case's clocks.
func scnList(t *testing.T, r *sessionsuite.Revocations) Revocations {
	if r == nil {
		return nil
	}
	m := NewMemoryRevocations(nil)
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
	case errors.Is(err, ErrInvalid):
		return "invalid"
	case errors.Is(err, ErrExpired):
		return "expired"
	case errors.Is(err, ErrUnknownKey):
		return "unknown_key"
	case errors.Is(err, ErrTooLarge):
		return "too_large"
	case errors.Is(err, ErrRevoked):
		return "revoked"
	}
	return fmt.Sprintf("unclassified (%v)", err)
}

// scnRead is what a read learnt, as the suite's check takes it.
func scnRead(err error, session any, info Info) sessionsuite.Read {
	return sessionsuite.Read{
		Outcome: scnClass(err), Session: session,
		IssuedAt: info.IssuedAt.Unix(), CreatedAt: info.CreatedAt.Unix(), KeyID: info.KeyID.String(),
		SessionID: info.SessionID, Subject: info.Subject,
	}
}

// TestSessionsScenariosCookies runs the scenario suite against Cookies.
func TestSessionsScenariosCookies(t *testing.T) {
	sessionsuite.Run(t, filepath.Join("testdata", "sessions"), runCookiesScenario)
}

func runCookiesScenario(t *testing.T, k sessionsuite.Case) {
	c := k.Config
	c.Defaults(DefaultMaxChunks, DefaultMaxHeaderBytes)
	k.Config = c
	var clock time.Time
	codec, err := New(Config{
		Secrets:     c.Secrets,
		MaxAge:      time.Duration(c.MaxAge) * time.Second,
		MaxLifetime: time.Duration(c.MaxLifetime) * time.Second,
		RefreshAge:  time.Duration(c.RefreshAge) * time.Second,
		Now:         func() time.Time { return clock },
	})
	if err != nil {
		t.Fatal(err)
	}
	opts := CookieOptions{MaxChunks: c.MaxParts, MaxHeaderBytes: c.MaxHeaderBytes, Insecure: c.Insecure, Revocations: scnList(t, c.Revocations)}
	switch c.Prefix {
	case "":
	case hostPrefix:
		opts.HostPrefix = true
	case securePrefix:
		opts.SecurePrefix = true
	default:
		t.Fatalf("unknown prefix %q", c.Prefix)
	}
	for _, l := range c.LegacyScopes {
		opts.LegacyScopes = append(opts.LegacyScopes, CookieScope(l))
	}
	cookies, err := NewCookies(codec, opts)
	if err != nil {
		t.Fatal(err)
	}
	header, err := sessionsuite.Header(k)
	if err != nil {
		t.Fatal(err)
	}
	writeNow := k.WriteClock()

	// The application: read, judge, act.
	var resp sessionsuite.Observed
	handler := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var session map[string]any
		info, err := cookies.Read(r, c.Name, &session)
		resp.Read = scnRead(err, maps.Clone(session), info)
		if err != nil {
			session, info = nil, Info{} // a bad cookie is an empty session (S6.2)
		}
		clock = time.Unix(writeNow, 0) // the handler ran until now
		switch k.Action {
		case "keep": // accepted: re-issue if due (S6.3)
			if err == nil {
				resp.WriteErr = cookies.Reissue(w, r, c.Name, session, info)
			}
		case "refuse": // judged and refused: nothing is written
			http.Error(w, "log in again", http.StatusUnauthorized)
			return
		case "set": // a changed session: issued-at now, created-at kept (S6.4)
			if session == nil {
				session = map[string]any{}
			}
			for name, v := range k.Values {
				session[name] = v
			}
			resp.WriteErr = cookies.Refresh(w, r, c.Name, session, info)
		case "login": // a new session whatever was read (S6.5)
			if k.Subject != "" {
				resp.WriteErr = cookies.Login(w, r, c.Name, k.Values, k.Subject)
			} else {
				resp.WriteErr = cookies.Write(w, r, c.Name, k.Values)
			}
		case "logout": // S6.8
			resp.WriteErr = cookies.Delete(w, r, c.Name)
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

	isPart := func(full, cookie string) bool { return chunkIndex(full, cookie) != 0 }
	sessionsuite.Check(t, k, sessionsuite.Runner{Full: c.Prefix + c.Name, IsPart: isPart, Class: scnClass, Reopen: func(header string) (sessionsuite.Read, error) {
		clock = time.Unix(writeNow, 0)
		back := httptest.NewRequest(http.MethodGet, "https://127.0.0.1/", nil)
		back.Header.Set("Cookie", header)
		var session map[string]any
		info, err := cookies.Read(back, c.Name, &session)
		return scnRead(err, session, info), err
	}}, resp)
}
