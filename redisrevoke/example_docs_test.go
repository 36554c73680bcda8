package redisrevoke_test

import (
	"context"
	"net/http"

	"github.com/cookieseal/cookieseal"
	"github.com/cookieseal/cookieseal/redisrevoke"
	"github.com/redis/go-redis/v9"
)

// The Go snippet of docs/fleets.md on revocation, compiled here (the root
// module's TestDocSnippets checks that the guide quotes it verbatim). It has
// no output: it compiles, and does not run (it would need a Redis).
func Example_docsFleets() {
	codec, err := cookieseal.New(cookieseal.Config{Secrets: []string{cookieseal.GenerateSecret()}})
	if err != nil {
		panic(err)
	}
	addr := "127.0.0.1:6379"
	list := redisrevoke.New(redis.NewClient(&redis.Options{Addr: addr, ContextTimeoutEnabled: true}), redisrevoke.Options{})
	cookies, _ := cookieseal.NewCookies(codec, cookieseal.CookieOptions{HostPrefix: true, Revocations: list})
	// log out this device (after Read):   cookies.Revoke(ctx, info); cookies.Delete(w, r, "session")
	// log out everywhere / password change: cookies.RevokeSubject(ctx, info.Subject)
	http.HandleFunc("/logout", func(w http.ResponseWriter, r *http.Request) {
		var s struct{}
		info, err := cookies.Read(r, "session", &s)
		if err != nil {
			return
		}
		ctx := context.Background()
		_ = cookies.Revoke(ctx, info)
		_ = cookies.Delete(w, r, "session")
		_ = cookies.RevokeSubject(ctx, info.Subject)
	})
}
