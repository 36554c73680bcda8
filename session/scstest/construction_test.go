// The construction of scs's tests, for cookieseal's session.Manager. This
// file is not scs's: it gives the copied tests what they construct by hand
// (scs's New, and the session data that data_test.go builds inside scs) and
// nothing else. Everything the tests assert goes through session.Manager.

package scs

import (
	"context"
	"time"

	"github.com/cookieseal/cookieseal"
	"github.com/cookieseal/cookieseal/session"
	"github.com/cookieseal/cookieseal/session/internal/scshook"
)

// Status and its values are session's.
type Status = session.Status

const (
	Unmodified = session.Unmodified
	Modified   = session.Modified
	Destroyed  = session.Destroyed
)

// SessionManager is a session.Manager, with the unexported helpers that
// scs's own tests call.
type SessionManager struct {
	*session.Manager
}

// New is scs.New, constructed as an application moving from scs would: a
// codec with a secret generated at start, and session.New's defaults.
func New() *SessionManager {
	codec, err := cookieseal.New(cookieseal.Config{Secrets: []string{cookieseal.GenerateSecret()}})
	if err != nil {
		panic(err)
	}
	return &SessionManager{session.New(codec)}
}

// sessionData is what scs's data tests build and inspect: values is the
// very map the Manager's session holds; status is the Manager's Status,
// copied after every call that can change it (below).
type sessionData struct {
	values map[string]interface{}
	status Status
}

func newSessionData(lifetime time.Duration) *sessionData {
	return &sessionData{values: make(map[string]interface{}), status: Unmodified}
}

type dataKey struct{}

// addSessionDataToContext returns ctx with a session of s that holds
// sd.values, Unmodified, as if read from a cookie.
func (s *SessionManager) addSessionDataToContext(ctx context.Context, sd *sessionData) context.Context {
	ctx = scshook.NewContext(s.Manager, ctx, sd.values)
	return context.WithValue(ctx, dataKey{}, sd)
}

// getSessionDataFromContext panics, as scs's does, when ctx holds no
// session of s.
func (s *SessionManager) getSessionDataFromContext(ctx context.Context) *sessionData {
	s.Manager.Status(ctx) // panics without a session
	sd, _ := ctx.Value(dataKey{}).(*sessionData)
	return sd
}

// synced copies the Manager's status into the sessionData of ctx.
func (s *SessionManager) synced(ctx context.Context) {
	if sd, ok := ctx.Value(dataKey{}).(*sessionData); ok {
		sd.status = s.Manager.Status(ctx)
	}
}

func (s *SessionManager) Put(ctx context.Context, key string, val interface{}) {
	s.Manager.Put(ctx, key, val)
	s.synced(ctx)
}

func (s *SessionManager) Pop(ctx context.Context, key string) interface{} {
	defer s.synced(ctx)
	return s.Manager.Pop(ctx, key)
}

func (s *SessionManager) Remove(ctx context.Context, key string) {
	s.Manager.Remove(ctx, key)
	s.synced(ctx)
}

func (s *SessionManager) Clear(ctx context.Context) error {
	defer s.synced(ctx)
	return s.Manager.Clear(ctx)
}

func (s *SessionManager) Destroy(ctx context.Context) error {
	defer s.synced(ctx)
	return s.Manager.Destroy(ctx)
}

func (s *SessionManager) RenewToken(ctx context.Context) error {
	defer s.synced(ctx)
	return s.Manager.RenewToken(ctx)
}

func (s *SessionManager) PopString(ctx context.Context, key string) string {
	defer s.synced(ctx)
	return s.Manager.PopString(ctx, key)
}

func (s *SessionManager) PopBool(ctx context.Context, key string) bool {
	defer s.synced(ctx)
	return s.Manager.PopBool(ctx, key)
}

func (s *SessionManager) PopInt(ctx context.Context, key string) int {
	defer s.synced(ctx)
	return s.Manager.PopInt(ctx, key)
}

func (s *SessionManager) PopFloat(ctx context.Context, key string) float64 {
	defer s.synced(ctx)
	return s.Manager.PopFloat(ctx, key)
}

func (s *SessionManager) PopBytes(ctx context.Context, key string) []byte {
	defer s.synced(ctx)
	return s.Manager.PopBytes(ctx, key)
}

func (s *SessionManager) PopTime(ctx context.Context, key string) time.Time {
	defer s.synced(ctx)
	return s.Manager.PopTime(ctx, key)
}
