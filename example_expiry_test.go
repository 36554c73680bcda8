package cookieseal_test

import (
	"errors"
	"fmt"
	"log"
	"time"

	"github.com/cookieseal/cookieseal"
)

// Sliding expiry: a session lasts 8 hours from its last re-issue and is
// re-issued once half of that has gone, so a user who keeps coming back
// stays logged in and one who goes idle for 8 hours is logged out.
func Example_slidingExpiry() {
	start := time.Date(2026, 6, 1, 9, 0, 0, 0, time.UTC)
	now := start // the clock; a real server leaves Config.Now nil
	codec, err := cookieseal.New(cookieseal.Config{
		Secrets:    []string{cookieseal.GenerateSecret()},
		MaxAge:     8 * time.Hour,
		RefreshAge: 4 * time.Hour, // re-issue when half the lifetime is gone
		Now:        func() time.Time { return now },
	})
	if err != nil {
		log.Fatal(err)
	}
	cookie, err := codec.Encode("session", "alice")
	if err != nil {
		log.Fatal(err)
	}

	// The user's visits, in hours after logging in at 09:00. At 18:00 the
	// first cookie would have expired (09:00 + 8h); the re-issue at 14:30
	// keeps the session. After 19:00 the user is idle for 8.5 hours.
	for _, h := range []float64{1, 5.5, 9, 10, 18.5} {
		now = start.Add(time.Duration(h * float64(time.Hour)))
		var user string
		info, err := codec.DecodeInfo("session", cookie, &user)
		switch {
		case errors.Is(err, cookieseal.ErrExpired):
			fmt.Printf("%s expired: log in again\n", now.Format("15:04"))
		case err != nil:
			log.Fatal(err)
		case info.Reissue:
			// The handler has accepted the session; Reissue moves the
			// issued-at to now because RefreshAge has passed.
			if cookie, err = codec.Reissue("session", user, info); err != nil {
				log.Fatal(err)
			}
			fmt.Printf("%s %s, cookie from %s: re-issued\n", now.Format("15:04"), user, info.IssuedAt.Format("15:04"))
		default:
			fmt.Printf("%s %s, cookie from %s\n", now.Format("15:04"), user, info.IssuedAt.Format("15:04"))
		}
	}
	// Output:
	// 10:00 alice, cookie from 09:00
	// 14:30 alice, cookie from 09:00: re-issued
	// 18:00 alice, cookie from 14:30
	// 19:00 alice, cookie from 14:30: re-issued
	// 03:30 expired: log in again
}

// Absolute lifetime: sliding re-issue keeps an active session alive, and
// MaxLifetime ends it a fixed time after login however active the user is.
// Re-issues and refreshes keep the session's created-at (Info.CreatedAt),
// so none of them extends it.
func Example_absoluteLifetime() {
	start := time.Date(2026, 6, 1, 9, 0, 0, 0, time.UTC)
	now := start
	codec, err := cookieseal.New(cookieseal.Config{
		Secrets:     []string{cookieseal.GenerateSecret()},
		MaxAge:      4 * time.Hour, // idle timeout
		RefreshAge:  2 * time.Hour,
		MaxLifetime: 9 * time.Hour, // absolute: 9 hours after login
		Now:         func() time.Time { return now },
	})
	if err != nil {
		log.Fatal(err)
	}
	cookie, err := codec.Encode("session", "bob") // the login
	if err != nil {
		log.Fatal(err)
	}

	// A visit every 2.5 hours: never idle for 4 hours, so only the
	// lifetime since login ends the session.
	for _, h := range []float64{2.5, 5, 7.5, 10} {
		now = start.Add(time.Duration(h * float64(time.Hour)))
		var user string
		info, err := codec.DecodeInfo("session", cookie, &user)
		if errors.Is(err, cookieseal.ErrExpired) {
			fmt.Printf("%s %v: log in again\n", now.Format("15:04"), err)
			continue
		}
		if err != nil {
			log.Fatal(err)
		}
		if info.Reissue {
			if cookie, err = codec.Reissue("session", user, info); err != nil {
				log.Fatal(err)
			}
		}
		fmt.Printf("%s %s logged in at %s: ok, re-issued %t\n", now.Format("15:04"), user, info.CreatedAt.UTC().Format("15:04"), info.Reissue)
	}
	// Output:
	// 11:30 bob logged in at 09:00: ok, re-issued true
	// 14:00 bob logged in at 09:00: ok, re-issued true
	// 16:30 bob logged in at 09:00: ok, re-issued true
	// 19:00 cookieseal: cookie expired: session older than its max lifetime: log in again
}
