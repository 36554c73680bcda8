// Package session is a session manager with the method set of
// alexedwards/scs v2 whose store is the sealed cookie itself: no database,
// no token, and the session opens in Go, JavaScript and Python alike. An
// application moves from scs by changing its constructor.
//
// # Quick start
//
//	codec, err := cookieseal.New(cookieseal.Config{Secrets: secrets}) // e.g. cookieseal.SecretsFromEnv(os.Getenv("COOKIESEAL_SECRETS"))
//	if err != nil { ... }
//	sessions := session.New(codec) // was: scs.New()
//	sessions.Lifetime = 12 * time.Hour
//	sessions.IdleTimeout = 30 * time.Minute
//
//	mux.HandleFunc("POST /login", func(w http.ResponseWriter, r *http.Request) {
//		// ... check the password ...
//		sessions.RenewToken(r.Context()) // a new session: Lifetime counts from here
//		sessions.Put(r.Context(), "user", 42)
//		sessions.Put(r.Context(), "flash", "Welcome back")
//		http.Redirect(w, r, "/", http.StatusSeeOther)
//	})
//	mux.HandleFunc("GET /{$}", func(w http.ResponseWriter, r *http.Request) {
//		flash := sessions.PopString(r.Context(), "flash") // shown once
//		user := sessions.GetInt(r.Context(), "user")
//		...
//	})
//	mux.HandleFunc("POST /logout", func(w http.ResponseWriter, r *http.Request) {
//		sessions.Destroy(r.Context()) // deletes the cookie and every part of it
//		http.Redirect(w, r, "/", http.StatusSeeOther)
//	})
//	http.ListenAndServe(addr, sessions.LoadAndSave(mux))
//
// The cookie is "__Host-session": HttpOnly, Secure, SameSite=Lax, Path=/,
// host-only. Chromium and Go's cookiejar accept Secure cookies from
// http://localhost, so this works in local development unchanged; for other
// hosts over plain http set Cookie.Secure = false from a flag that
// production never sets.
//
// # What LoadAndSave does
//
// It reads the cookie once per request (cookieseal's Cookies.Read, which
// follows SESSIONS.md S4) and never writes because of a read. A cookie that
// does not open (tampered, expired, an unknown key, too large, or with
// values the manager cannot hold) gives the handler an empty session; the
// typed error goes to BadCookieFunc and ReadError, never to ErrorFunc, and
// the request goes on: a bad cookie is never a 500.
//
// Before the response's first byte (WriteHeader, Write or Flush; or after
// the handler returns, if it wrote nothing; a 1xx status is passed on and
// saves nothing) it saves the session:
//
//   - changed (Put, Pop, Remove, Clear, RenewToken): sealed and written. A
//     session read from the cookie keeps its created-at (Lifetime counts
//     from its start) and gets issued-at now; after RenewToken, or when
//     no session was read, both are now. Whatever the status: a flash put
//     on a 401 page is written.
//   - emptied (Destroy, or the last key removed): deleted, with every part
//     and every legacy scope, even when the request carried no cookie (a
//     logout: a cross-site request does not send SameSite=Lax cookies).
//   - unchanged: written only when a re-issue is due (the key that sealed
//     it no longer seals, or IdleTimeout's refresh point has passed,
//     cookieseal.Info.Reissue) and the handler did not refuse the session:
//     it did not call Refuse and answered with a status below 400. A
//     re-issue for a key rotation keeps the session's times.
//   - a change or re-issue for a session whose Lifetime (or, for a re-issue
//     that keeps its issued-at, whose max age) passed while the request ran
//     writes nothing and goes to ErrorFunc as cookieseal.ErrExpired
//     (SESSIONS.md S6.6).
//
// Every response gets "Vary: Cookie"; one that sets or deletes the cookie
// gets "Cache-Control: no-store".
//
// # IdleTimeout and Lifetime
//
// LoadAndSave maps them onto the codec it was given (Codec.WithLifetimes:
// same keyring and clock, other times):
//
//	Manager                 MaxAge                RefreshAge                             MaxLifetime
//	IdleTimeout I > 0       I                     the codec's if 0 < it < I, else I/10   the stricter of L and the codec's
//	IdleTimeout 0, L > 0    the stricter lifetime the codec's if below MaxAge, else none the stricter of L and the codec's
//	both 0                  the codec's           the codec's                            the codec's
//
// where L is Lifetime (0: none; a codec's MaxLifetime of 0 is none too).
// MaxAge is the cookie's life after it was sealed, and the Max-Age
// attribute; MaxLifetime is the absolute limit from the session's start (its sealed created-at),
// which no activity extends, so the stricter of the Manager's and the
// codec's applies. With an IdleTimeout, a request re-seals the session
// once a tenth of it has passed since the last seal (scs writes on every
// request), so a session ends between 90% and 100% of IdleTimeout after
// its last request; give the codec a RefreshAge to choose another point.
// Times are whole seconds (SPEC.md section 4), rounded up.
//
// # What does not carry over from scs
//
// The session lives in the cookie, so what needs a server-side store is not
// here, and code that uses it does not compile, which is the point:
//
//   - Store, Codec, HashTokenInStore, Iterate (there is no list of
//     sessions), Token, Load(ctx, token) and MergeSession (there is no
//     token: the cookie is the session), Commit and WriteSessionCookie
//     (LoadAndSave writes the cookie; nothing is committed elsewhere).
//   - Deadline and SetDeadline: the deadline is sealed in the cookie as its
//     created-at; Info(ctx) gives IssuedAt and CreatedAt to the handler, and
//     Lifetime is set for all sessions, not per session.
//   - Cookie.Persist, RememberMe and Cookie.Partitioned: every cookie
//     carries Max-Age (SESSIONS.md S5.2), and cookieseal's Cookies has no
//     Partitioned attribute.
//   - Destroy cannot end a session that a client kept a copy of: a sealed
//     cookie is valid until it expires, wherever it is replayed. Keep
//     IdleTimeout short, or keep a server-side "sessions revoked before"
//     time and compare Info(ctx).CreatedAt with it.
//
// Other differences: values keep their Go types through the cookie (an
// int comes back an int, an int64 an int64, []byte and time.Time as
// themselves; a JS or Python service sees them as cookieseal's typed
// values), but only types that the typed form carries (see Put); a time
// comes back without its monotonic reading. The session must fit the
// cookie budget (3072 bytes by default, Cookie.MaxHeaderBytes), or saving
// fails with cookieseal.ErrTooLarge through ErrorFunc. An emptied session
// is deleted rather than written empty. Clear, Destroy and RenewToken never
// fail. Secure and HostPrefix are on by default. The Manager's fields are
// read once, by LoadAndSave, which panics on an invalid setting (see
// Check). A handler not wrapped in LoadAndSave panics at the first method
// call, as with scs.
package session
