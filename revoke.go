package cookieseal

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"
)

// ErrRevoked is the fifth class of read failure, from the session layer
// rather than the codec: the cookie opened, but a Revocations list refuses
// its session, by its ID ("log out this device") or by its subject and
// created-at ("log out everywhere", "every session before the password
// change"); or the list could not be asked and is configured to fail
// closed. Cookies.Read returns it before dst changes (SESSIONS.md S9).
var ErrRevoked = errors.New("cookieseal: session revoked")

// Revocations records revoked sessions and answers, on every read, whether a
// session is revoked. Cookies asks it through CookieOptions.Revocations.
// MemoryRevocations serves one process; the nested module
// github.com/cookieseal/cookieseal/redisrevoke serves a fleet, in the Redis
// key layout of SESSIONS.md S9 that the JavaScript and Python packages share.
//
// Implementations are safe for concurrent use.
type Revocations interface {
	// Revoked reports whether the session that info describes is revoked:
	// its SessionID is on the list, or its Subject is, with a time after
	// its CreatedAt. A session without an ID or a subject is never revoked
	// on that count. An error means the answer is unknown: Cookies refuses
	// the session with ErrRevoked (an implementation that fails open
	// answers false, nil).
	Revoked(ctx context.Context, info Info) (bool, error)
	// RevokeSession revokes the session whose Info.SessionID is sessionID,
	// until (at least) until, when no cookie of it can open any more.
	RevokeSession(ctx context.Context, sessionID string, until time.Time) error
	// RevokeSubject revokes every session of subject created (Info.CreatedAt,
	// whole seconds) before before, until (at least) until. A later call
	// with an earlier before does not shorten it.
	RevokeSubject(ctx context.Context, subject string, before, until time.Time) error
}

// revokeCheck returns the check Cookies.Read runs on a cookie that opened.
func (s *Cookies) revokeCheck(ctx context.Context) func(Info) error {
	if s.revocations == nil {
		return nil
	}
	return func(info Info) error {
		if info.SessionID == "" && info.Subject == "" {
			return nil
		}
		revoked, err := s.revocations.Revoked(ctx, info)
		if err != nil {
			// Never the session ID or subject: they identify a user.
			return fmt.Errorf("%w: the revocation list could not be read: %w", ErrRevoked, err)
		}
		if revoked {
			return errRevoked
		}
		return nil
	}
}

var errRevoked = fmt.Errorf("%w: by the revocation list", ErrRevoked)

// revokeUntil is how long a revocation made now must be kept: a session
// refused from now on is never refreshed again, so its last issued-at is at
// most now (plus the clock skew a cookie may carry), and it stops opening
// MaxAge later; with a MaxLifetime, a session created at or before
// createdBound ends by createdBound + MaxLifetime.
func (s *Cookies) revokeUntil(now time.Time, createdBound time.Time) time.Time {
	until := now.Add(s.codec.maxAge + MaxClockSkew)
	if s.codec.maxLifetime > 0 && !createdBound.IsZero() {
		if end := createdBound.Add(s.codec.maxLifetime + MaxClockSkew); end.Before(until) {
			until = end
		}
	}
	return until.Truncate(time.Second).Add(time.Second)
}

// Revoke ends the session that info describes (what Read returned), on
// every server that shares the CookieOptions.Revocations list: "log out
// this device". The entry is kept until no cookie of the session can open.
// It needs a session ID (Config.SessionIDs, Login); it does not write a
// response: call Delete as well to clear the cookie from this browser.
func (s *Cookies) Revoke(ctx context.Context, info Info) error {
	if s.revocations == nil {
		return errors.New("cookieseal: Revoke needs CookieOptions.Revocations")
	}
	if info.SessionID == "" {
		return errors.New("cookieseal: the session has no ID to revoke (seal IDs with Config.SessionIDs or Login)")
	}
	return s.revocations.RevokeSession(ctx, info.SessionID, s.revokeUntil(s.codec.now(), info.CreatedAt))
}

// RevokeSubject ends every session of subject (the subject given to Login)
// created before now, on every server that shares the list: "log out
// everywhere", or "after the password change". A session created in the
// same second or later, such as the one a Login right after it starts,
// stays valid.
func (s *Cookies) RevokeSubject(ctx context.Context, subject string) error {
	if s.revocations == nil {
		return errors.New("cookieseal: RevokeSubject needs CookieOptions.Revocations")
	}
	if subject == "" {
		return errors.New("cookieseal: RevokeSubject needs a subject")
	}
	now := s.codec.now()
	before := now.Truncate(time.Second)
	return s.revocations.RevokeSubject(ctx, subject, before, s.revokeUntil(now, before))
}

// MemoryRevocations is a Revocations list in the memory of one process.
// Entries are dropped once their until has passed, so the list holds at
// most the revocations of the last MaxAge (about 100 bytes each). Use the
// Redis adapter for more than one process.
type MemoryRevocations struct {
	now func() time.Time

	mu       sync.Mutex
	sessions map[string]int64 // session ID -> until, Unix seconds
	subjects map[string]subjectEntry
	swept    int // entries after the last sweep
}

type subjectEntry struct{ before, until int64 }

// NewMemoryRevocations returns an empty list. now is its clock (nil:
// time.Now), for tests.
func NewMemoryRevocations(now func() time.Time) *MemoryRevocations {
	if now == nil {
		now = time.Now
	}
	return &MemoryRevocations{now: now, sessions: map[string]int64{}, subjects: map[string]subjectEntry{}}
}

// Revoked implements Revocations.
func (m *MemoryRevocations) Revoked(_ context.Context, info Info) (bool, error) {
	now := m.now().Unix()
	m.mu.Lock()
	defer m.mu.Unlock()
	if info.SessionID != "" {
		if until, ok := m.sessions[info.SessionID]; ok && until > now {
			return true, nil
		}
	}
	if info.Subject != "" {
		if e, ok := m.subjects[info.Subject]; ok && e.until > now && info.CreatedAt.Unix() < e.before {
			return true, nil
		}
	}
	return false, nil
}

// RevokeSession implements Revocations.
func (m *MemoryRevocations) RevokeSession(_ context.Context, sessionID string, until time.Time) error {
	if sessionID == "" {
		return errors.New("cookieseal: empty session ID")
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if u := until.Unix(); u > m.sessions[sessionID] {
		m.sessions[sessionID] = u
	}
	m.sweep()
	return nil
}

// RevokeSubject implements Revocations.
func (m *MemoryRevocations) RevokeSubject(_ context.Context, subject string, before, until time.Time) error {
	if subject == "" {
		return errors.New("cookieseal: empty subject")
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	e := m.subjects[subject]
	e.before = max(e.before, before.Unix())
	e.until = max(e.until, until.Unix())
	m.subjects[subject] = e
	m.sweep()
	return nil
}

// Len returns how many entries the list holds, expired ones not yet
// dropped included.
func (m *MemoryRevocations) Len() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return len(m.sessions) + len(m.subjects)
}

// sweep drops expired entries once the list has doubled since the last
// sweep, so that each write costs O(1) amortized and the list holds at most
// twice its live entries (plus a constant).
func (m *MemoryRevocations) sweep() {
	n := len(m.sessions) + len(m.subjects)
	if n < 2*m.swept+64 {
		return
	}
	now := m.now().Unix()
	for k, u := range m.sessions {
		if u <= now {
			delete(m.sessions, k)
		}
	}
	for k, e := range m.subjects {
		if e.until <= now {
			delete(m.subjects, k)
		}
	}
	m.swept = len(m.sessions) + len(m.subjects)
}
