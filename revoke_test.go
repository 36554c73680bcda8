package cookieseal

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// revokeFixture is a Cookies with a MemoryRevocations list and a clock.
type revokeFixture struct {
	clock   time.Time
	list    *MemoryRevocations
	cookies *Cookies
}

func newRevokeFixture(t *testing.T) *revokeFixture {
	f := &revokeFixture{clock: time.Unix(1_800_000_000, 0)}
	now := func() time.Time { return f.clock }
	codec, err := New(Config{Secrets: []string{GenerateSecret()}, MaxAge: time.Hour, Now: now})
	require.NoError(t, err)
	f.list = NewMemoryRevocations(now)
	f.cookies, err = NewCookies(codec, CookieOptions{Revocations: f.list})
	require.NoError(t, err)
	return f
}

// login starts a session for subject and returns the request that carries it.
func (f *revokeFixture) login(t *testing.T, subject string) *http.Request {
	w := httptest.NewRecorder()
	require.NoError(t, f.cookies.Login(w, nil, "s", map[string]any{"user": subject}, subject))
	r := httptest.NewRequest(http.MethodGet, "https://127.0.0.1/", nil)
	for _, c := range w.Result().Cookies() {
		r.AddCookie(c)
	}
	return r
}

func (f *revokeFixture) read(t *testing.T, r *http.Request) (Info, error) {
	dst := map[string]any{"untouched": true}
	info, err := f.cookies.Read(r, "s", &dst)
	if err != nil {
		assert.Equal(t, map[string]any{"untouched": true}, dst, "dst untouched on error")
	}
	return info, err
}

func TestRevokeThisDeviceOnly(t *testing.T) {
	f := newRevokeFixture(t)
	phone, laptop := f.login(t, "alice"), f.login(t, "alice")
	info, err := f.read(t, phone)
	require.NoError(t, err)
	require.Len(t, info.SessionID, 32)
	assert.Equal(t, "alice", info.Subject)
	require.NoError(t, f.cookies.Revoke(context.Background(), info))
	_, err = f.read(t, phone)
	assert.ErrorIs(t, err, ErrRevoked)
	_, err = f.read(t, laptop)
	assert.NoError(t, err, "another session of the same user")
}

func TestRevokeSubjectEverywhere(t *testing.T) {
	f := newRevokeFixture(t)
	phone, laptop, bob := f.login(t, "alice"), f.login(t, "alice"), f.login(t, "bob")
	f.clock = f.clock.Add(10 * time.Second)
	require.NoError(t, f.cookies.RevokeSubject(context.Background(), "alice"))
	for _, r := range []*http.Request{phone, laptop} {
		_, err := f.read(t, r)
		assert.ErrorIs(t, err, ErrRevoked)
	}
	_, err := f.read(t, bob)
	assert.NoError(t, err, "another user")
	again := f.login(t, "alice") // the login right after it, in the same second
	_, err = f.read(t, again)
	assert.NoError(t, err, "a session created in the second of the revocation")
}

// failingList is a Revocations whose reads fail.
type failingList struct{ *MemoryRevocations }

func (*failingList) Revoked(context.Context, Info) (bool, error) {
	return false, errors.New("connection refused")
}

func TestRevokeListErrorFailsClosed(t *testing.T) {
	f := newRevokeFixture(t)
	r := f.login(t, "alice")
	f.cookies.revocations = &failingList{f.list}
	_, err := f.read(t, r)
	require.ErrorIs(t, err, ErrRevoked)
	assert.NotContains(t, err.Error(), "alice", "no subject in the error")
}

func TestRevokeNeedsAList(t *testing.T) {
	codec, err := New(Config{Secrets: []string{GenerateSecret()}})
	require.NoError(t, err)
	cookies, err := NewCookies(codec, CookieOptions{})
	require.NoError(t, err)
	assert.Error(t, cookies.RevokeSubject(context.Background(), "alice"))
	assert.Error(t, cookies.Revoke(context.Background(), Info{SessionID: strings.Repeat("0", 32)}))
}

func TestLoginRefusesALongSubject(t *testing.T) {
	f := newRevokeFixture(t)
	w := httptest.NewRecorder()
	assert.Error(t, f.cookies.Login(w, nil, "s", map[string]any{}, strings.Repeat("x", 256)))
	assert.Error(t, f.cookies.Login(w, nil, "s", map[string]any{}, "\xff"))
	assert.Empty(t, w.Header().Values("Set-Cookie"))
}

// TestMemoryRevocationsBound revokes 5000 sessions, one a second, with a
// lifetime of 100 s: the list never holds more than twice the live entries
// plus the sweep's slack.
func TestMemoryRevocationsBound(t *testing.T) {
	clock := time.Unix(1_800_000_000, 0)
	m := NewMemoryRevocations(func() time.Time { return clock })
	most := 0
	for i := range 5000 {
		id := fmt.Sprintf("%032x", i)
		require.NoError(t, m.RevokeSession(context.Background(), id, clock.Add(100*time.Second)))
		most = max(most, m.Len())
		clock = clock.Add(time.Second)
	}
	assert.LessOrEqual(t, most, 2*100+64, "at most twice the live entries plus slack")
}

func TestSessionIDKeptByRefreshAndNewAtLogin(t *testing.T) {
	f := newRevokeFixture(t)
	r := f.login(t, "alice")
	var v map[string]any
	info, err := f.cookies.Read(r, "s", &v)
	require.NoError(t, err)
	w := httptest.NewRecorder()
	require.NoError(t, f.cookies.Refresh(w, r, "s", v, info))
	r2 := httptest.NewRequest(http.MethodGet, "https://127.0.0.1/", nil)
	for _, c := range w.Result().Cookies() {
		r2.AddCookie(c)
	}
	info2, err := f.cookies.Read(r2, "s", &v)
	require.NoError(t, err)
	assert.Equal(t, info.SessionID, info2.SessionID)
	assert.Equal(t, "alice", info2.Subject)
	other := f.login(t, "alice")
	info3, err := f.cookies.Read(other, "s", &v)
	require.NoError(t, err)
	assert.NotEqual(t, info.SessionID, info3.SessionID)
}
