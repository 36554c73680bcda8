package session

import (
	"context"
	"sort"
	"sync"
	"time"

	"github.com/cookieseal/cookieseal"
)

// state is one request's session.
type state struct {
	mu      sync.Mutex
	values  map[string]any
	status  Status
	info    cookieseal.Info // of the cookie read, if read
	read    bool            // a cookie opened
	readErr error           // why it did not open
	renew   bool            // RenewToken or Destroy: the next write starts a session
	refused bool            // Refuse
	subject string          // RenewTokenFor's
}

// get returns the session in ctx, and panics, as scs does, when ctx has
// none: the handler is not wrapped in this Manager's LoadAndSave.
func (m *Manager) get(ctx context.Context) *state {
	st, ok := ctx.Value(ctxKey{m}).(*state)
	if !ok {
		panic("session: no session in the context: wrap the handler with this Manager's LoadAndSave")
	}
	return st
}

// Put sets the value of key, replacing any, and marks the session
// Modified. The value must be one the typed form carries (cookieseal's
// session values: nil, bool, string, ints and uints of every size, float32,
// float64, []byte, []string, []int, []float64, time.Time, time.Duration,
// []any, map[string]any, map[any]any, map[string]string, map[string]int,
// and types given to cookieseal.Register); another fails at save, through
// ErrorFunc. Call it before the response's first byte: LoadAndSave saves
// the session then.
func (m *Manager) Put(ctx context.Context, key string, val any) {
	st := m.get(ctx)
	st.mu.Lock()
	st.values[key] = val
	st.status = Modified
	st.mu.Unlock()
}

// Get returns the value of key, or nil.
func (m *Manager) Get(ctx context.Context, key string) any {
	st := m.get(ctx)
	st.mu.Lock()
	defer st.mu.Unlock()
	return st.values[key]
}

// Pop returns the value of key, or nil, and removes it; the session is
// then Modified if the key was there.
func (m *Manager) Pop(ctx context.Context, key string) any {
	st := m.get(ctx)
	st.mu.Lock()
	defer st.mu.Unlock()
	val, ok := st.values[key]
	if !ok {
		return nil
	}
	delete(st.values, key)
	st.status = Modified
	return val
}

// Remove removes key; the session is then Modified if the key was there.
func (m *Manager) Remove(ctx context.Context, key string) {
	st := m.get(ctx)
	st.mu.Lock()
	defer st.mu.Unlock()
	if _, ok := st.values[key]; ok {
		delete(st.values, key)
		st.status = Modified
	}
}

// Clear removes every key; the session is then Modified if it had any (and
// its cookie is deleted at save, as an empty session is). The error is
// always nil; it is there for scs's signature.
func (m *Manager) Clear(ctx context.Context) error {
	st := m.get(ctx)
	st.mu.Lock()
	defer st.mu.Unlock()
	if len(st.values) > 0 {
		clear(st.values)
		st.status = Modified
	}
	return nil
}

// Exists reports whether key is in the session.
func (m *Manager) Exists(ctx context.Context, key string) bool {
	st := m.get(ctx)
	st.mu.Lock()
	defer st.mu.Unlock()
	_, ok := st.values[key]
	return ok
}

// Keys returns the session's keys, sorted; an empty slice for none.
func (m *Manager) Keys(ctx context.Context) []string {
	st := m.get(ctx)
	st.mu.Lock()
	keys := make([]string, 0, len(st.values))
	for k := range st.values {
		keys = append(keys, k)
	}
	st.mu.Unlock()
	sort.Strings(keys)
	return keys
}

// Destroy empties the session and marks it Destroyed: the response
// deletes its cookie, every part of it, and the cookie under every
// Cookie.LegacyScopes (logout, SESSIONS.md S6.8). A Put afterwards starts
// a new session. The error is always nil; it is there for scs's signature.
func (m *Manager) Destroy(ctx context.Context) error {
	st := m.get(ctx)
	st.mu.Lock()
	defer st.mu.Unlock()
	clear(st.values)
	st.status = Destroyed
	st.renew = true
	return nil
}

// RenewToken starts a new session that keeps the current values: the
// cookie written is sealed with issued-at and created-at now, so Lifetime
// counts from here, and a check such as "created before the last password
// change" passes. Call it at login, before putting the user's ID
// (SESSIONS.md S6.5). With no server-side token there is nothing to
// rotate: a sealed cookie is already new at every write. The error is
// always nil; it is there for scs's signature.
func (m *Manager) RenewToken(ctx context.Context) error {
	st := m.get(ctx)
	st.mu.Lock()
	defer st.mu.Unlock()
	st.renew = true
	st.status = Modified
	return nil
}

// RenewTokenFor is RenewToken for a login that names the user: the new
// session carries a new session ID and subject (the user ID) that a
// Revocations list can name (cookieseal.Cookies.Login, SESSIONS.md S9).
func (m *Manager) RenewTokenFor(ctx context.Context, subject string) error {
	st := m.get(ctx)
	st.mu.Lock()
	defer st.mu.Unlock()
	st.renew, st.subject = true, subject
	st.status = Modified
	return nil
}

// Refuse marks the session refused: a re-issue or refresh that is due is
// not written (SESSIONS.md S6.7). Call it when the handler judges the
// session unacceptable (revoked, issued before the last password change)
// but answers with a status below 400; a status of 400 or more refuses on
// its own. Changes made by Put, Destroy and the like are still written.
func (m *Manager) Refuse(ctx context.Context) {
	st := m.get(ctx)
	st.mu.Lock()
	st.refused = true
	st.mu.Unlock()
}

// Status returns whether the handler changed the session.
func (m *Manager) Status(ctx context.Context) Status {
	st := m.get(ctx)
	st.mu.Lock()
	defer st.mu.Unlock()
	return st.status
}

// Info returns what the cookie read for this request told besides its
// values: when it was issued and created, which key sealed it, whether a
// re-issue is due. It is the zero Info when no cookie opened. Judge the
// session with it ("issued before the last password change?") and call
// Refuse, or answer 401, to keep a due re-issue from being written.
func (m *Manager) Info(ctx context.Context) cookieseal.Info {
	st := m.get(ctx)
	st.mu.Lock()
	defer st.mu.Unlock()
	return st.info
}

// ReadError returns why the request's cookie did not open (errors.Is
// matches cookieseal.ErrInvalid, ErrExpired, ErrUnknownKey or
// ErrTooLarge), or nil when it opened or there was none. The handler then
// has an empty session.
func (m *Manager) ReadError(ctx context.Context) error {
	st := m.get(ctx)
	st.mu.Lock()
	defer st.mu.Unlock()
	return st.readErr
}

// GetString returns the string value of key, or "" if there is none or it
// is not a string.
func (m *Manager) GetString(ctx context.Context, key string) string {
	v, _ := m.Get(ctx, key).(string)
	return v
}

// GetBool returns the bool value of key, or false.
func (m *Manager) GetBool(ctx context.Context, key string) bool {
	v, _ := m.Get(ctx, key).(bool)
	return v
}

// GetInt returns the int value of key, or 0. Values keep their Go type
// through the cookie: an int64 is not an int.
func (m *Manager) GetInt(ctx context.Context, key string) int {
	v, _ := m.Get(ctx, key).(int)
	return v
}

// GetInt64 returns the int64 value of key, or 0.
func (m *Manager) GetInt64(ctx context.Context, key string) int64 {
	v, _ := m.Get(ctx, key).(int64)
	return v
}

// GetInt32 returns the int32 value of key, or 0.
func (m *Manager) GetInt32(ctx context.Context, key string) int32 {
	v, _ := m.Get(ctx, key).(int32)
	return v
}

// GetFloat returns the float64 value of key, or 0.
func (m *Manager) GetFloat(ctx context.Context, key string) float64 {
	v, _ := m.Get(ctx, key).(float64)
	return v
}

// GetBytes returns the []byte value of key, or nil.
func (m *Manager) GetBytes(ctx context.Context, key string) []byte {
	v, _ := m.Get(ctx, key).([]byte)
	return v
}

// GetTime returns the time.Time value of key, or the zero time. A time
// read from a cookie has its offset, as a fixed zone (or UTC), and no
// monotonic reading: compare times with Equal.
func (m *Manager) GetTime(ctx context.Context, key string) time.Time {
	v, _ := m.Get(ctx, key).(time.Time)
	return v
}

// PopString returns the string value of key, or "", and removes the key
// (whatever its value's type). A flash message is PopString.
func (m *Manager) PopString(ctx context.Context, key string) string {
	v, _ := m.Pop(ctx, key).(string)
	return v
}

// PopBool returns the bool value of key, or false, and removes the key.
func (m *Manager) PopBool(ctx context.Context, key string) bool {
	v, _ := m.Pop(ctx, key).(bool)
	return v
}

// PopInt returns the int value of key, or 0, and removes the key.
func (m *Manager) PopInt(ctx context.Context, key string) int {
	v, _ := m.Pop(ctx, key).(int)
	return v
}

// PopFloat returns the float64 value of key, or 0, and removes the key.
func (m *Manager) PopFloat(ctx context.Context, key string) float64 {
	v, _ := m.Pop(ctx, key).(float64)
	return v
}

// PopBytes returns the []byte value of key, or nil, and removes the key.
func (m *Manager) PopBytes(ctx context.Context, key string) []byte {
	v, _ := m.Pop(ctx, key).([]byte)
	return v
}

// PopTime returns the time.Time value of key, or the zero time, and
// removes the key.
func (m *Manager) PopTime(ctx context.Context, key string) time.Time {
	v, _ := m.Pop(ctx, key).(time.Time)
	return v
}
