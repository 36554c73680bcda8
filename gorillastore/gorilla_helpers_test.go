package gorillastore_test

import (
	"net/http"
	"testing"

	"github.com/gorilla/sessions"

	"github.com/cookieseal/cookieseal"
	"github.com/cookieseal/cookieseal/gorillastore"
)

// newStore returns a Store over a new codec with a fresh secret (and no
// compression, the default, so that sizes are what the value makes them).
func newStore(t *testing.T) *gorillastore.Store {
	t.Helper()
	store, err := gorillastore.NewFromConfig(cookieseal.Config{
		Secrets: []string{cookieseal.GenerateSecret()},
	})
	if err != nil {
		t.Fatal(err)
	}
	return store
}

// newCookieStore stands in for sessions.NewCookieStore in gorilla's tests:
// a Store with the Options that NewCookieStore sets, which TestFlashes
// checks (SameSite=None, Secure, 30 days).
func newCookieStore(t *testing.T) *gorillastore.Store {
	t.Helper()
	store := newStore(t)
	store.Options = &sessions.Options{Path: "/", SameSite: http.SameSiteNoneMode, Secure: true}
	store.MaxAge(86400 * 30)
	return store
}

// newFilesystemStore stands in for sessions.NewFilesystemStore in gorilla's
// tests: a Store with the Options that NewFilesystemStore sets.
func newFilesystemStore(t *testing.T) *gorillastore.Store {
	t.Helper()
	store := newStore(t)
	store.Options = &sessions.Options{Path: "/"}
	store.MaxAge(86400 * 30)
	return store
}
