package cookieseal

import "strings"

import "testing"

// sessRevokeCases are the cases of testdata/sessions/extra-revoke.json:
// session identity and revocation (SESSIONS.md S9). Generated with the
// other files (go test -run TestSessionsSuite -update .), checked by the
// reference in sessions_suite_test.go.
func sessRevokeCases(t *testing.T) sessFile {
	g := newSessGen(t, "Session identity and revocation (SESSIONS.md S9): a revoked session ID, every session of a "+
		"subject created before a time, the identity kept by refresh and re-issue, a new one at login, and a revoked "+
		"read that writes nothing."+sessDescriptionTail)
	s1, s2 := sessSecrets[0], sessSecrets[1]
	k1 := g.kid(s1)
	const N = sessNow
	sidA := strings.Repeat("a1", sessionIDSize)
	sidB := strings.Repeat("b2", sessionIDSize)
	sidC := strings.Repeat("c3", sessionIDSize)
	alice := sessObj{"user": "alice"}
	bob := sessObj{"user": "bob"}
	type rc struct {
		id, spec, desc string
		config         func(c *sessConfig)
		header         func() string
		action         string
		values         sessObj
		subject        string
		expect         sessExpect
	}
	withList := func(sessions []string, subjects ...sessSubjectRev) func(c *sessConfig) {
		return func(c *sessConfig) {
			c.Revocations = &sessRevocations{Sessions: sessions, Subjects: subjects}
			if c.Revocations.Sessions == nil {
				c.Revocations.Sessions = []string{}
			}
			if c.Revocations.Subjects == nil {
				c.Revocations.Subjects = []sessSubjectRev{}
			}
		}
	}
	add := func(k rc) {
		id := g.start("revoke/" + k.id)
		c := sessConfigDefault()
		if k.config != nil {
			k.config(&c)
		}
		h := ""
		if k.header != nil {
			h = k.header()
		}
		g.add(sessCase{ID: id, Spec: k.spec, Description: k.desc, Config: c, Header: sessHdr(h), Action: k.action, Values: k.values, Subject: k.subject, Expect: k.expect})
	}
	cookie := func(secret string, v sessObj, issued, created int64, sid, subject string) func() string {
		return func() string { return "session=" + g.sealID("session", secret, v, issued, created, sid, subject) }
	}
	readOK := func(v sessObj, issued, created int64, kid, sid, subject string) sessExpect {
		e := sessReadOK(v, issued, created, kid)
		e.SessionID, e.Subject = sid, subject
		return e
	}
	sealed := func(e sessExpect, v sessObj, issued, created int64, sid, subject string, cookies ...sessSetCookie) sessExpect {
		e = e.sealed(v, issued, created, k1, 1, cookies...)
		e.Sealed.SessionID, e.Sealed.Subject = sid, subject
		return e
	}
	set := sessSetC("session")

	add(rc{id: "identity-read", spec: "S9.1", desc: "a session with an ID and a subject, no revocation list: the read reports both",
		header: cookie(s1, alice, N-10, N-10, sidA, "alice"), action: "keep",
		expect: readOK(alice, N-10, N-10, k1, sidA, "alice").nothing()})
	add(rc{id: "identity-kept-by-set", spec: "S9.1", desc: "a change keeps the session ID and the subject; issued-at moves to now",
		header: cookie(s1, alice, N-100, N-200, sidA, "alice"), action: "set", values: sessObj{"n": 1},
		expect: sealed(readOK(alice, N-100, N-200, k1, sidA, "alice"), sessObj{"user": "alice", "n": 1}, N, N-200, sidA, "alice", set)})
	add(rc{id: "identity-kept-by-rotation", spec: "S9.1", desc: "a re-issue for a rotated key keeps the session ID, the subject and the times",
		header: cookie(s2, alice, N-100, N-200, sidA, "alice"), action: "keep",
		expect: sealed(readOK(alice, N-100, N-200, g.kid(s2), sidA, "alice"), alice, N-100, N-200, sidA, "alice", set)})
	add(rc{id: "identity-kept-by-refresh", spec: "S9.1", desc: "a refresh (refresh_age passed) keeps the session ID and the subject",
		config: func(c *sessConfig) { c.RefreshAge = 60 }, header: cookie(s1, alice, N-100, N-200, sidA, "alice"), action: "keep",
		expect: sealed(readOK(alice, N-100, N-200, k1, sidA, "alice"), alice, N, N-200, sidA, "alice", set)})
	add(rc{id: "login-with-subject", spec: "S9.1", desc: "a login with a subject, no revocation list: a new session ID and the subject",
		header: cookie(s1, bob, N-10, N-10, sidB, "bob"), action: "login", values: alice, subject: "alice",
		expect: sealed(readOK(bob, N-10, N-10, k1, sidB, "bob"), alice, N, N, "new", "alice", set)})
	add(rc{id: "session-revoked", spec: "S9.2", desc: "the session ID is on the list: revoked, an empty session, nothing written",
		config: withList([]string{sidA}), header: cookie(s1, alice, N-10, N-10, sidA, "alice"), action: "keep",
		expect: sessReadAs("revoked").nothing()})
	add(rc{id: "other-session-of-subject", spec: "S9.2", desc: "another session ID of the same subject is on the list: this one is not revoked (log out this device)",
		config: withList([]string{sidB}), header: cookie(s1, alice, N-10, N-10, sidA, "alice"), action: "keep",
		expect: readOK(alice, N-10, N-10, k1, sidA, "alice").nothing()})
	add(rc{id: "subject-before", spec: "S9.2", desc: "the subject is on the list with a time after the session's created-at: revoked (log out everywhere)",
		config: withList(nil, sessSubjectRev{"alice", N - 50}), header: cookie(s1, alice, N-10, N-100, sidA, "alice"), action: "keep",
		expect: sessReadAs("revoked").nothing()})
	add(rc{id: "subject-created-at-before", spec: "S9.2", desc: "created-at equal to the subject entry's time: not revoked (a login in the second of the revocation)",
		config: withList(nil, sessSubjectRev{"alice", N - 50}), header: cookie(s1, alice, N-10, N-50, sidA, "alice"), action: "keep",
		expect: readOK(alice, N-10, N-50, k1, sidA, "alice").nothing()})
	add(rc{id: "subject-other-user", spec: "S9.2", desc: "another subject is on the list: bob's session is not revoked",
		config: withList(nil, sessSubjectRev{"alice", N}), header: cookie(s1, bob, N-10, N-100, sidB, "bob"), action: "keep",
		expect: readOK(bob, N-10, N-100, k1, sidB, "bob").nothing()})
	add(rc{id: "revoked-not-reissued", spec: "S9.3", desc: "a revoked session sealed with a rotated key: refused before any re-issue, nothing written",
		config: withList([]string{sidA}), header: cookie(s2, alice, N-10, N-10, sidA, "alice"), action: "keep",
		expect: sessReadAs("revoked").nothing()})
	add(rc{id: "revoked-not-refreshed", spec: "S9.3", desc: "a revoked session due a refresh: nothing written",
		config: func(c *sessConfig) { withList(nil, sessSubjectRev{"alice", N})(c); c.RefreshAge = 60 },
		header: cookie(s1, alice, N-100, N-100, sidA, "alice"), action: "keep",
		expect: sessReadAs("revoked").nothing()})
	add(rc{id: "revoked-set-starts-new", spec: "S9.3", desc: "a handler that sets values after a revoked read gets a new session: new ID, created now, no subject",
		config: withList([]string{sidA}), header: cookie(s1, alice, N-10, N-10, sidA, "alice"), action: "set", values: sessObj{"n": 1},
		expect: sealed(sessReadAs("revoked"), sessObj{"n": 1}, N, N, "new", "", set)})
	add(rc{id: "revoked-then-login", spec: "S9.3", desc: "a login after a revoked read: a new session ID, the subject, created now, not revoked by the entry before now",
		config: withList(nil, sessSubjectRev{"alice", N}), header: cookie(s1, alice, N-10, N-10, sidA, "alice"), action: "login", values: alice, subject: "alice",
		expect: sealed(sessReadAs("revoked"), alice, N, N, "new", "alice", set)})
	add(rc{id: "revoked-logout", spec: "S9.3", desc: "logout after a revoked read deletes the cookie",
		config: withList([]string{sidA}), header: cookie(s1, alice, N-10, N-10, sidA, "alice"), action: "logout",
		expect: sessReadAs("revoked").deleted(sessExpireC("session"))})
	add(rc{id: "revoked-refuse", spec: "S9.3", desc: "refuse after a revoked read writes nothing",
		config: withList([]string{sidA}), header: cookie(s1, alice, N-10, N-10, sidA, "alice"), action: "refuse",
		expect: sessReadAs("revoked").nothing()})
	add(rc{id: "revoked-head-then-good-head", spec: "S9.3", desc: "two heads: the first revoked, the second not: the second is the session",
		config: withList([]string{sidA}),
		header: func() string {
			return cookie(s1, alice, N-10, N-10, sidA, "alice")() + "; " + cookie(s1, bob, N-20, N-20, sidC, "bob")()
		},
		action: "keep", expect: readOK(bob, N-20, N-20, k1, sidC, "bob").nothing()})
	add(rc{id: "no-identity-not-revoked", spec: "S9.2", desc: "a session sealed without an ID or subject is never revoked; a change gives it a new ID",
		config: withList([]string{sidA}, sessSubjectRev{"alice", N}), header: func() string { return "session=" + g.seal("session", s1, alice, N-10, N-10) },
		action: "set", values: sessObj{"n": 2},
		expect: sealed(sessReadOK(alice, N-10, N-10, k1), sessObj{"user": "alice", "n": 2}, N, N-10, "new", "", set)})
	add(rc{id: "no-list-no-new-id", spec: "S9.1", desc: "without a revocation list a change of a session without an ID seals none",
		header: func() string { return "session=" + g.seal("session", s1, alice, N-10, N-10) }, action: "set", values: sessObj{"n": 2},
		expect: sealed(sessReadOK(alice, N-10, N-10, k1), sessObj{"user": "alice", "n": 2}, N, N-10, "", "", set)})
	return g.file
}
