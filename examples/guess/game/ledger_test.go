package game

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/cookieseal/cookieseal"
)

func TestLedgerTake(t *testing.T) {
	now := time.Unix(1_800_000_000, 0)
	l := newLedger(10, time.Hour, func() time.Time { return now })
	l.start("g")
	steps := []struct {
		tries int
		over  bool
		want  error
	}{
		{0, false, nil},
		{0, false, errReplayed}, // the cookie of try 1 again
		{2, false, errReplayed}, // a cookie from the future
		{1, true, nil},
		{2, false, errGameOver},
	}
	for i, s := range steps {
		if err := l.take("g", s.tries, s.over); !errors.Is(err, s.want) {
			t.Errorf("step %d: got %v, want %v", i, err, s.want)
		}
	}
	if err := l.take("unknown", 0, false); !errors.Is(err, errUnknownGame) {
		t.Errorf("unknown game: got %v", err)
	}
	l.start("late")
	now = now.Add(time.Hour)
	if err := l.take("late", 0, false); !errors.Is(err, errUnknownGame) {
		t.Errorf("game past its lifetime: got %v, want errUnknownGame", err)
	}
}

func TestLedgerForgetsOldestWhenFull(t *testing.T) {
	now := time.Unix(1_800_000_000, 0)
	l := newLedger(3, time.Hour, func() time.Time { return now })
	for _, id := range []string{"a", "b", "c", "d"} {
		l.start(id)
		now = now.Add(time.Second)
	}
	if len(l.games) != 3 {
		t.Errorf("holds %d games, want 3", len(l.games))
	}
	if err := l.take("a", 0, false); !errors.Is(err, errUnknownGame) {
		t.Errorf("oldest game: got %v, want it forgotten", err)
	}
	if err := l.take("d", 0, false); err != nil {
		t.Errorf("newest game: %v", err)
	}

	now = now.Add(time.Hour - time.Second) // "d" is now exactly an hour old
	l.start("e")
	if len(l.games) != 1 || len(l.order) != 1 {
		t.Errorf("after the lifetime: %d games, %d in order; want only the new one", len(l.games), len(l.order))
	}
}

func TestInsecureDropsPrefixAndSecure(t *testing.T) {
	for _, insecure := range []bool{false, true} {
		g, err := New(Config{Secrets: []string{cookieseal.GenerateSecret()}, Insecure: insecure})
		if err != nil {
			t.Fatal(err)
		}
		rec := httptest.NewRecorder()
		g.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/", nil))
		line := rec.Header().Get("Set-Cookie")
		wantPrefix := !insecure
		if got := strings.HasPrefix(line, "__Host-guess="); got != wantPrefix {
			t.Errorf("insecure=%t: Set-Cookie %.40q..., __Host- prefix %t, want %t", insecure, line, got, wantPrefix)
		}
		if got := strings.Contains(line, "; Secure"); got != !insecure {
			t.Errorf("insecure=%t: Secure %t", insecure, got)
		}
		if got := rec.Header().Get("Cache-Control"); got != "no-store" {
			t.Errorf("Cache-Control %q, want no-store", got)
		}
	}
}

func TestNewRejectsBadSecrets(t *testing.T) {
	for _, secrets := range [][]string{nil, {"short"}} {
		if _, err := New(Config{Secrets: secrets}); err == nil {
			t.Errorf("New(%d secrets) accepted", len(secrets))
		}
	}
}

func TestRandomAnswerInRange(t *testing.T) {
	seen := map[int]bool{}
	for range 500 {
		n := randomAnswer()
		if n < Lowest || n > Highest {
			t.Fatalf("randomAnswer() = %d, out of range", n)
		}
		seen[n] = true
	}
	if len(seen) != Highest-Lowest+1 {
		t.Errorf("500 draws gave %d distinct answers, want all %d", len(seen), Highest-Lowest+1)
	}
}

func TestRestartedServerRefusesOldGame(t *testing.T) {
	secrets := []string{cookieseal.GenerateSecret()}
	before, err := New(Config{Secrets: secrets})
	if err != nil {
		t.Fatal(err)
	}
	rec := httptest.NewRecorder()
	before.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/", nil))
	after, err := New(Config{Secrets: secrets}) // same secret, empty ledger
	if err != nil {
		t.Fatal(err)
	}
	r := httptest.NewRequest(http.MethodGet, "/guess?guess=5", nil)
	for _, c := range rec.Result().Cookies() {
		r.AddCookie(c)
	}
	rec = httptest.NewRecorder()
	after.ServeHTTP(rec, r)
	if rec.Code != http.StatusConflict || !strings.Contains(rec.Body.String(), "unknown here") {
		t.Errorf("old game on a restarted server: %d, want 409 and a refusal", rec.Code)
	}
}
