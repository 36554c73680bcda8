// Package redisrevoke is a cookieseal.Revocations list in Redis, for a fleet
// of servers in any of cookieseal's languages: a revocation written by one
// service (Go, Node or Python) is honoured by all, in the key layout of
// SESSIONS.md S9.5.
//
//	list := redisrevoke.New(redis.NewClient(&redis.Options{Addr: "127.0.0.1:6379"}), redisrevoke.Options{})
//	cookies, err := cookieseal.NewCookies(codec, cookieseal.CookieOptions{Revocations: list})
//
// Every check is one MGET, cached in the process for Options.CacheTTL
// (default 1 s) in a cache of at most Options.CacheSize sessions. When
// Redis does not answer within Options.Timeout (default 100 ms), the last
// answer cached for that session is used however old it is, and a session
// the cache does not know is accepted (fail open, the default) or refused
// with cookieseal.ErrRevoked (Options.FailClosed); every failure goes to
// Options.OnError. Entries expire in Redis with the sessions they name.
//
// Create the client with ContextTimeoutEnabled (go-redis ignores context
// deadlines without it), or with read and write timeouts no longer than
// Options.Timeout: otherwise a stalled Redis stalls every request.
//
// It is a separate module so that cookieseal's own go.mod stays as small as
// it is. The client is github.com/redis/go-redis/v9, Redis's own Go client.
package redisrevoke

import (
	"context"
	"encoding/hex"
	"errors"
	"fmt"
	"strconv"
	"sync"
	"time"

	"github.com/cookieseal/cookieseal"
	"github.com/redis/go-redis/v9"
)

// Defaults of Options.
const (
	DefaultPrefix    = "cookieseal:v1:"
	DefaultCacheTTL  = time.Second
	DefaultCacheSize = 100_000
	DefaultTimeout   = 100 * time.Millisecond
)

// Options configures a List. The zero value is the default.
type Options struct {
	// Prefix starts every key; every service of one application uses the
	// same. Empty means DefaultPrefix.
	Prefix string
	// CacheTTL is how long an answer is reused without asking Redis: the
	// longest a revocation takes to reach this process. Zero means
	// DefaultCacheTTL; negative means no cache (every check asks Redis,
	// and nothing is left to fall back on when Redis is down).
	CacheTTL time.Duration
	// CacheSize bounds the sessions the cache keeps. Zero means
	// DefaultCacheSize.
	CacheSize int
	// Timeout bounds each Redis call. Zero means DefaultTimeout.
	Timeout time.Duration
	// FailClosed refuses (cookieseal.ErrRevoked) a session whose status
	// Redis cannot give and the cache does not know. The default, false,
	// accepts it: see the README ("Revocation across a fleet").
	FailClosed bool
	// OnError is called with every Redis failure (never a session ID or
	// subject). Nil: none.
	OnError func(error)
	// Now is the clock; nil means time.Now.
	Now func() time.Time
}

// List is a cookieseal.Revocations in Redis. It is safe for concurrent use.
type List struct {
	client redis.UniversalClient
	o      Options

	mu    sync.Mutex
	cache map[string]cached

	// Counters, for tests and metrics.
	checks, hits, misses, failures, stale uint64
}

type cached struct {
	revoked bool
	at      time.Time
}

var _ cookieseal.Revocations = (*List)(nil)

// New returns a List over client.
func New(client redis.UniversalClient, o Options) *List {
	if o.Prefix == "" {
		o.Prefix = DefaultPrefix
	}
	if o.CacheTTL == 0 {
		o.CacheTTL = DefaultCacheTTL
	}
	if o.CacheSize <= 0 {
		o.CacheSize = DefaultCacheSize
	}
	if o.Timeout <= 0 {
		o.Timeout = DefaultTimeout
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	return &List{client: client, o: o, cache: map[string]cached{}}
}

// SessionKey and SubjectKey are the Redis keys of SESSIONS.md S9.5.
func (l *List) SessionKey(sessionID string) string { return l.o.Prefix + "revoked:sid:" + sessionID }

// SubjectKey is the key of a subject entry: the subject's UTF-8 in hex.
func (l *List) SubjectKey(subject string) string {
	return l.o.Prefix + "revoked:sub:" + hex.EncodeToString([]byte(subject))
}

// revokeScript writes an entry keeping the later before and the later
// expiry (SESSIONS.md S9.5): KEYS[1], ARGV[1] before, ARGV[2] until.
var revokeScript = redis.NewScript(`local b = tonumber(redis.call('GET', KEYS[1]) or '0') or 0
if tonumber(ARGV[1]) > b then b = tonumber(ARGV[1]) end
local u = tonumber(ARGV[2])
local t = redis.call('EXPIRETIME', KEYS[1])
if t > u then u = t end
redis.call('SET', KEYS[1], tostring(b), 'EXAT', u)
return b`)

// Revoked implements cookieseal.Revocations.
func (l *List) Revoked(ctx context.Context, info cookieseal.Info) (bool, error) {
	if info.SessionID == "" && info.Subject == "" {
		return false, nil
	}
	key := info.SessionID + "\x00" + info.Subject + "\x00" + strconv.FormatInt(info.CreatedAt.Unix(), 10)
	now := l.o.Now()
	l.mu.Lock()
	l.checks++
	c, known := l.cache[key]
	if known && l.o.CacheTTL > 0 && now.Sub(c.at) < l.o.CacheTTL {
		l.hits++
		l.mu.Unlock()
		return c.revoked, nil
	}
	l.misses++
	l.mu.Unlock()

	revoked, err := l.ask(ctx, info)
	if err != nil {
		l.report(err)
		l.mu.Lock()
		l.failures++
		if known {
			l.stale++
		}
		l.mu.Unlock()
		switch {
		case known:
			return c.revoked, nil // stale, but the last word Redis gave
		case l.o.FailClosed:
			return false, err
		default:
			return false, nil
		}
	}
	if l.o.CacheTTL > 0 {
		l.mu.Lock()
		if len(l.cache) >= l.o.CacheSize {
			for k := range l.cache { // evict one, at random: O(1), bounded
				delete(l.cache, k)
				break
			}
		}
		l.cache[key] = cached{revoked: revoked, at: now}
		l.mu.Unlock()
	}
	return revoked, nil
}

// ask is one MGET of the session and subject keys.
func (l *List) ask(ctx context.Context, info cookieseal.Info) (bool, error) {
	ctx, cancel := context.WithTimeout(ctx, l.o.Timeout)
	defer cancel()
	keys := make([]string, 0, 2)
	if info.SessionID != "" {
		keys = append(keys, l.SessionKey(info.SessionID))
	}
	if info.Subject != "" {
		keys = append(keys, l.SubjectKey(info.Subject))
	}
	vals, err := l.client.MGet(ctx, keys...).Result()
	if err != nil {
		return false, fmt.Errorf("redisrevoke: reading the revocation list: %w", err)
	}
	if info.SessionID != "" {
		if vals[0] != nil {
			return true, nil
		}
		vals = vals[1:]
	}
	if info.Subject != "" && vals[0] != nil {
		s, _ := vals[0].(string)
		before, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			return false, errors.New("redisrevoke: a subject entry that is not a decimal time")
		}
		return info.CreatedAt.Unix() < before, nil
	}
	return false, nil
}

// RevokeSession implements cookieseal.Revocations: the entry expires at
// until plus the cache time (a reader may have cached "not revoked" and
// refreshed the session since).
func (l *List) RevokeSession(ctx context.Context, sessionID string, until time.Time) error {
	if sessionID == "" {
		return errors.New("redisrevoke: empty session ID")
	}
	return l.write(ctx, l.SessionKey(sessionID), 1, until)
}

// RevokeSubject implements cookieseal.Revocations.
func (l *List) RevokeSubject(ctx context.Context, subject string, before, until time.Time) error {
	if subject == "" {
		return errors.New("redisrevoke: empty subject")
	}
	return l.write(ctx, l.SubjectKey(subject), before.Unix(), until)
}

func (l *List) write(ctx context.Context, key string, before int64, until time.Time) error {
	ctx, cancel := context.WithTimeout(ctx, l.o.Timeout)
	defer cancel()
	exat := until.Add(max(l.o.CacheTTL, 0)).Unix() + 1
	if err := revokeScript.Run(ctx, l.client, []string{key}, before, exat).Err(); err != nil {
		return fmt.Errorf("redisrevoke: writing the revocation list: %w", err)
	}
	l.forget()
	return nil
}

// forget drops the cache, so that this process sees its own revocation at
// once.
func (l *List) forget() {
	l.mu.Lock()
	clear(l.cache)
	l.mu.Unlock()
}

func (l *List) report(err error) {
	if l.o.OnError != nil {
		l.o.OnError(err)
	}
}

// Stats are the list's counters since New.
type Stats struct {
	Checks   uint64 // calls of Revoked for a session with an ID or subject
	Hits     uint64 // answered from the cache
	Misses   uint64 // asked Redis
	Failures uint64 // Redis did not answer
	Stale    uint64 // failures answered from an expired cache entry
	Cached   int    // sessions in the cache now
}

// Stats returns the counters.
func (l *List) Stats() Stats {
	l.mu.Lock()
	defer l.mu.Unlock()
	return Stats{l.checks, l.hits, l.misses, l.failures, l.stale, len(l.cache)}
}
