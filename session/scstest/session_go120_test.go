// Copied from the Go module github.com/alexedwards/scs/v2 v2.9.0 (as the module
// proxy serves it: go mod download github.com/alexedwards/scs/v2@v2.9.0), file session_go120_test.go.
// The copy is byte for byte the same but for this header and the removed tests.
// Copyright (c) 2016 Alex Edwards. MIT License: see LICENSE beside this file.
//
// Run against github.com/cookieseal/cookieseal/session with only the
// construction changed: New, newSessionData, addSessionDataToContext and
// getSessionDataFromContext are defined in construction_test.go. The tests
// that cannot apply to a cookie store are removed from this copy (with the
// imports only they used); README.md lists each and why:
//   (none)

//go:build go1.20
// +build go1.20

package scs

import (
	"fmt"
	"net/http"
	"testing"
	"time"
)

func TestFlusher(t *testing.T) {
	t.Parallel()

	sessionManager := New()
	sessionManager.Lifetime = 500 * time.Millisecond

	mux := http.NewServeMux()

	mux.HandleFunc("/get", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, ok := w.(http.Flusher)

		fmt.Fprint(w, ok)
	}))

	ts := newTestServer(t, sessionManager.LoadAndSave(mux))
	defer ts.Close()

	ts.execute(t, "/put")

	_, body := ts.execute(t, "/get")
	if body != "true" {
		t.Errorf("want %q; got %q", "true", body)
	}
}

func TestHijacker(t *testing.T) {
	t.Parallel()

	sessionManager := New()
	sessionManager.Lifetime = 500 * time.Millisecond

	mux := http.NewServeMux()

	mux.HandleFunc("/get", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, ok := w.(http.Hijacker)

		fmt.Fprint(w, ok)
	}))

	ts := newTestServer(t, sessionManager.LoadAndSave(mux))
	defer ts.Close()

	ts.execute(t, "/put")

	_, body := ts.execute(t, "/get")
	if body != "true" {
		t.Errorf("want %q; got %q", "true", body)
	}
}
