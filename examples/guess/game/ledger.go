package game

import (
	"sync"
	"time"
)

// ledger remembers, on the server, how many tries each game has used. The
// sealed cookie says the same, but a player can send an old cookie again;
// a stateless cookie cannot stop that replay, the ledger does. It holds at
// most max games and forgets each after ttl; a forgotten game is refused,
// never restarted, so forgetting never grants a try.
type ledger struct {
	mu    sync.Mutex
	games map[string]*record
	order []string // game IDs by start time, oldest first
	max   int
	ttl   time.Duration
	now   func() time.Time
}

type record struct {
	tries   int
	over    bool
	started time.Time
}

func newLedger(max int, ttl time.Duration, now func() time.Time) *ledger {
	return &ledger{games: map[string]*record{}, max: max, ttl: ttl, now: now}
}

// start records a new game.
func (l *ledger) start(id string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	for len(l.order) > 0 {
		oldest := l.order[0]
		r := l.games[oldest]
		if r != nil && len(l.games) < l.max && now.Sub(r.started) < l.ttl {
			break
		}
		delete(l.games, oldest)
		l.order = l.order[1:]
	}
	l.games[id] = &record{started: now}
	l.order = append(l.order, id)
}

// take uses one try of game id, whose cookie says tries were used before,
// and ends the game if over. It fails if the game is unknown or over, or if
// the cookie is not the game's latest.
func (l *ledger) take(id string, tries int, over bool) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	r := l.games[id]
	switch {
	case r == nil || l.now().Sub(r.started) >= l.ttl:
		return errUnknownGame
	case r.over:
		return errGameOver
	case r.tries != tries:
		return errReplayed
	}
	r.tries++
	r.over = over
	return nil
}
