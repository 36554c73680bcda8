package redisrevoke_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/cookieseal/cookieseal"
	"github.com/cookieseal/cookieseal/redisrevoke"
	"github.com/cookieseal/cookieseal/redisrevoke/redistest"
	"github.com/redis/go-redis/v9"
)

// clock is a settable clock for the lists' caches.
type clock struct{ t atomic.Int64 }

func (c *clock) now() time.Time      { return time.Unix(0, c.t.Load()) }
func (c *clock) add(d time.Duration) { c.t.Add(int64(d)) }
func newClock() *clock               { c := &clock{}; c.t.Store(time.Now().UnixNano()); return c }
func client(s *redistest.Server) *redis.Client {
	return redis.NewClient(&redis.Options{Addr: s.Addr, MaxRetries: -1, DialTimeout: 200 * time.Millisecond, ContextTimeoutEnabled: true})
}

func info(sid, subject string, created time.Time) cookieseal.Info {
	return cookieseal.Info{SessionID: sid, Subject: subject, CreatedAt: created.Truncate(time.Second)}
}

const sidA, sidB = "a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1", "b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2"

func TestSessionRevokedOnAnotherServer(t *testing.T) {
	s := redistest.Start(t)
	ctx := context.Background()
	c := newClock()
	one := redisrevoke.New(client(s), redisrevoke.Options{Now: c.now})
	two := redisrevoke.New(client(s), redisrevoke.Options{Now: c.now})
	now := time.Now()
	a, b := info(sidA, "alice", now), info(sidB, "alice", now)
	for _, l := range []*redisrevoke.List{one, two} {
		if revoked, err := l.Revoked(ctx, a); err != nil || revoked {
			t.Fatalf("before: %v %v", revoked, err)
		}
	}
	if err := one.RevokeSession(ctx, sidA, now.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	if revoked, _ := one.Revoked(ctx, a); !revoked {
		t.Error("the writer does not see its own revocation at once")
	}
	if revoked, _ := two.Revoked(ctx, a); revoked {
		t.Error("the other server answered from Redis within its cache time; want its cached answer")
	}
	c.add(redisrevoke.DefaultCacheTTL)
	if revoked, _ := two.Revoked(ctx, a); !revoked {
		t.Error("the other server does not see the revocation after its cache time")
	}
	if revoked, _ := two.Revoked(ctx, b); revoked {
		t.Error("another session of the same subject is revoked")
	}
}

func TestSubjectRevokedBeforeATime(t *testing.T) {
	s := redistest.Start(t)
	ctx := context.Background()
	l := redisrevoke.New(client(s), redisrevoke.Options{CacheTTL: -1})
	now := time.Now().Truncate(time.Second)
	if err := l.RevokeSubject(ctx, "alice", now, now.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	for _, k := range []struct {
		info cookieseal.Info
		want bool
	}{
		{info(sidA, "alice", now.Add(-time.Second)), true},
		{info(sidA, "alice", now), false}, // created in the second of the revocation
		{info(sidB, "bob", now.Add(-time.Hour)), false},
		{info(sidB, "", now.Add(-time.Hour)), false},
	} {
		if got, err := l.Revoked(ctx, k.info); err != nil || got != k.want {
			t.Errorf("%+v: revoked %v (%v), want %v", k.info, got, err, k.want)
		}
	}
	// An earlier "before" written later does not shorten the entry.
	if err := l.RevokeSubject(ctx, "alice", now.Add(-time.Hour), now.Add(time.Minute)); err != nil {
		t.Fatal(err)
	}
	if got, _ := l.Revoked(ctx, info(sidA, "alice", now.Add(-time.Second))); !got {
		t.Error("a later write with an earlier before shortened the entry")
	}
}

// TestKeyLayout checks the keys, values and expiries of SESSIONS.md S9.5,
// read back with plain Redis commands, as another language reads them.
func TestKeyLayout(t *testing.T) {
	s := redistest.Start(t)
	ctx := context.Background()
	rc := client(s)
	l := redisrevoke.New(rc, redisrevoke.Options{})
	until := time.Now().Add(time.Hour).Truncate(time.Second)
	if err := l.RevokeSession(ctx, sidA, until); err != nil {
		t.Fatal(err)
	}
	if err := l.RevokeSubject(ctx, "élise", until.Add(-time.Hour), until); err != nil {
		t.Fatal(err)
	}
	sidKey := "cookieseal:v1:revoked:sid:" + sidA
	subKey := "cookieseal:v1:revoked:sub:c3a96c697365" // "élise" in UTF-8, hex
	if v, err := rc.Get(ctx, sidKey).Result(); err != nil || v != "1" {
		t.Errorf("%s = %q (%v), want 1", sidKey, v, err)
	}
	if v, err := rc.Get(ctx, subKey).Result(); err != nil || v != fmt.Sprint(until.Add(-time.Hour).Unix()) {
		t.Errorf("%s = %q (%v)", subKey, v, err)
	}
	want := until.Add(redisrevoke.DefaultCacheTTL).Unix() + 1
	for _, k := range []string{sidKey, subKey} {
		if at, err := rc.ExpireTime(ctx, k).Result(); err != nil || int64(at/time.Second) != want {
			t.Errorf("%s expires at %v (%v), want %d: until + the cache time + 1 s", k, at, err, want)
		}
	}
}

// TestRedisDown stops Redis under two lists, one failing open and one
// closed, through Cookies as an application reads, then restarts it.
func TestRedisDown(t *testing.T) {
	s := redistest.Start(t)
	ctx := context.Background()
	c := newClock()
	var errs atomic.Int64
	open := redisrevoke.New(client(s), redisrevoke.Options{Now: c.now, OnError: func(error) { errs.Add(1) }})
	closed := redisrevoke.New(client(s), redisrevoke.Options{Now: c.now, FailClosed: true})
	now := time.Now()
	seen, revoked, unseen := info(sidA, "alice", now), info(sidB, "bob", now), info("c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3", "carol", now)
	if err := open.RevokeSession(ctx, sidB, now.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	for _, l := range []*redisrevoke.List{open, closed} {
		l.Revoked(ctx, seen)    // cached: not revoked
		l.Revoked(ctx, revoked) // cached: revoked
	}
	s.Stop()
	c.add(time.Hour) // every cached answer is stale
	for _, k := range []struct {
		name    string
		l       *redisrevoke.List
		info    cookieseal.Info
		want    bool
		wantErr bool
	}{
		{"open, seen", open, seen, false, false},
		{"open, revoked", open, revoked, true, false},
		{"open, unseen", open, unseen, false, false},
		{"closed, seen", closed, seen, false, false},
		{"closed, revoked", closed, revoked, true, false},
		{"closed, unseen", closed, unseen, false, true},
	} {
		got, err := k.l.Revoked(ctx, k.info)
		if got != k.want || (err != nil) != k.wantErr {
			t.Errorf("%s: revoked %v, error %v; want %v, error %v", k.name, got, err, k.want, k.wantErr)
		}
	}
	if errs.Load() == 0 {
		t.Error("OnError was not called")
	}
	// Through Cookies: fail closed is ErrRevoked.
	codec, _ := cookieseal.New(cookieseal.Config{Secrets: []string{cookieseal.GenerateSecret()}})
	for _, l := range []*redisrevoke.List{open, closed} {
		ck, err := cookieseal.NewCookies(codec, cookieseal.CookieOptions{Revocations: l, Insecure: true})
		if err != nil {
			t.Fatal(err)
		}
		w := httptest.NewRecorder()
		if err := ck.Login(w, nil, "s", map[string]any{"u": 1}, "dave"); err != nil {
			t.Fatal(err)
		}
		r := httptest.NewRequest(http.MethodGet, "http://127.0.0.1/", nil)
		for _, x := range w.Result().Cookies() {
			r.AddCookie(x)
		}
		var v map[string]any
		_, err = ck.Read(r, "s", &v)
		if l == open && err != nil || l == closed && !errors.Is(err, cookieseal.ErrRevoked) {
			t.Errorf("Read with Redis down: %v", err)
		}
	}
	if err := s.Restart(); err != nil {
		t.Fatal(err)
	}
	// The restarted Redis kept its data: the failure is over.
	if err := closed.RevokeSession(ctx, sidA, now.Add(time.Hour)); err != nil {
		t.Fatalf("after restart: %v", err)
	}
	if got, err := closed.Revoked(ctx, unseen); err != nil || got {
		t.Errorf("after restart: unseen revoked %v, %v", got, err)
	}
	if got, err := open.Revoked(ctx, seen); err != nil || !got {
		t.Errorf("after restart: a revocation written now is not seen: %v, %v", got, err)
	}
}

// TestSlowRedis pauses Redis (DEBUG SLEEP) longer than the timeout: the
// check gives up after Options.Timeout and applies the failure rule.
func TestSlowRedis(t *testing.T) {
	s := redistest.Start(t)
	ctx := context.Background()
	l := redisrevoke.New(client(s), redisrevoke.Options{Timeout: 50 * time.Millisecond, FailClosed: true})
	pause := client(s)
	done := make(chan error, 1)
	go func() { done <- pause.Do(ctx, "DEBUG", "SLEEP", "1").Err() }()
	// Wait until the pause has begun: a PING with a short deadline fails.
	for {
		pctx, cancel := context.WithTimeout(ctx, 20*time.Millisecond)
		err := client(s).Ping(pctx).Err()
		cancel()
		if err != nil {
			break
		}
	}
	_, err := l.Revoked(ctx, info(sidA, "alice", time.Now()))
	if err == nil {
		t.Error("a check against a paused Redis succeeded; want a timeout, failing closed")
	}
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if _, err := l.Revoked(ctx, info(sidA, "alice", time.Now())); err != nil {
		t.Errorf("after the pause: %v", err)
	}
}

// TestMemoryBound revokes 5000 sessions with entries that end 2 s later:
// Redis holds them until then and not after (a SCAN expires what it
// visits), and the process cache never holds more than CacheSize.
func TestMemoryBound(t *testing.T) {
	s := redistest.Start(t)
	ctx := context.Background()
	rc := client(s)
	l := redisrevoke.New(rc, redisrevoke.Options{CacheSize: 100, CacheTTL: time.Hour})
	until := time.Now().Add(time.Second)
	const n = 5000
	before := usedMemory(t, rc)
	for i := range n {
		if err := l.RevokeSession(ctx, fmt.Sprintf("%032x", i), until); err != nil {
			t.Fatal(err)
		}
	}
	if size, err := rc.DBSize(ctx).Result(); err != nil || size != n {
		t.Fatalf("DBSIZE %d (%v), want %d", size, err, n)
	}
	t.Logf("%d session entries: %d bytes of Redis memory (%d each)", n, usedMemory(t, rc)-before, (usedMemory(t, rc)-before)/n)
	for i := range 1000 {
		l.Revoked(ctx, info(fmt.Sprintf("%032x", n+i), "", time.Now()))
	}
	if st := l.Stats(); st.Cached > 100 {
		t.Errorf("the cache holds %d sessions, want at most 100", st.Cached)
	}
	// The entries end at until + the cache time + 1 s (an hour here, so
	// rewrite the expiry as a 1 s cache would have): wait past it.
	for i := range n {
		rc.ExpireAt(ctx, fmt.Sprintf("cookieseal:v1:revoked:sid:%032x", i), until.Add(time.Second))
	}
	time.Sleep(time.Until(until.Add(2 * time.Second)))
	var cursor uint64
	for {
		_, next, err := rc.Scan(ctx, cursor, "*", 1000).Result()
		if err != nil {
			t.Fatal(err)
		}
		if cursor = next; cursor == 0 {
			break
		}
	}
	if size, err := rc.DBSize(ctx).Result(); err != nil || size != 0 {
		t.Errorf("DBSIZE %d (%v) after every entry ended, want 0", size, err)
	}
}

// usedMemory is Redis's used_memory, in bytes.
func usedMemory(t *testing.T, rc *redis.Client) int64 {
	info, err := rc.Info(context.Background(), "memory").Result()
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(info, "\n") {
		if v, ok := strings.CutPrefix(strings.TrimSpace(line), "used_memory:"); ok {
			n, err := strconv.ParseInt(v, 10, 64)
			if err != nil {
				t.Fatal(err)
			}
			return n
		}
	}
	t.Fatal("no used_memory in INFO memory")
	return 0
}
