// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: © 2017 LabStack and Echo contributors

// Copied from github.com/labstack/echo-contrib v0.17.4 (session/session_test.go;
// the same file in v0.50.1), under the license in LICENSE.echo-contrib.
// Changed: the store construction (newStore instead of
// sessions.NewCookieStore), and, since this file is outside package
// session, its names qualified and its unexported key repeated.

package echotest

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/labstack/echo-contrib/session"
	"github.com/labstack/echo/v4"
	"github.com/stretchr/testify/assert"
)

// key is package session's context key for the store.
const key = "_session_store"

func TestMiddleware(t *testing.T) {
	e := echo.New()
	req := httptest.NewRequest(echo.GET, "/", nil)
	rec := httptest.NewRecorder()
	c := e.NewContext(req, rec)
	handler := func(c echo.Context) error {
		sess, _ := session.Get("test", c)
		sess.Options.Domain = "labstack.com"
		sess.Values["foo"] = "bar"
		if err := sess.Save(c.Request(), c.Response()); err != nil {
			return err
		}
		return c.String(http.StatusOK, "test")
	}
	store := newStore(t)
	config := session.Config{
		Skipper: func(c echo.Context) bool {
			return true
		},
		Store: store,
	}

	// Skipper
	mw := session.MiddlewareWithConfig(config)
	h := mw(echo.NotFoundHandler)
	assert.Error(t, h(c)) // 404
	assert.Nil(t, c.Get(key))

	// Panic
	config.Skipper = nil
	config.Store = nil
	assert.Panics(t, func() {
		session.MiddlewareWithConfig(config)
	})

	// Core
	mw = session.Middleware(store)
	h = mw(handler)
	assert.NoError(t, h(c))
	assert.Contains(t, rec.Header().Get(echo.HeaderSetCookie), "labstack.com")

}

func TestGetSessionMissingStore(t *testing.T) {
	e := echo.New()
	req := httptest.NewRequest(echo.GET, "/", nil)
	rec := httptest.NewRecorder()
	c := e.NewContext(req, rec)
	_, err := session.Get("test", c)

	assert.EqualError(t, err, fmt.Sprintf("%q session store not found", key))
}
