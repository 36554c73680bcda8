package cookieseal

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Tests of the findings of issue 19 against Cookies: the session layer of
// SESSIONS.md. Each failed before its fix.

// sessionWith returns a request whose Cookie header is header.
func sessionWith(header ...string) *http.Request {
	r := httptest.NewRequest(http.MethodGet, "/", nil)
	for _, h := range header {
		r.Header.Add("Cookie", h)
	}
	return r
}

// TestCookieHeaderGrammar: SESSIONS.md S2, with Read's own scanner.
func TestCookieHeaderGrammar(t *testing.T) {
	s := newTestCookies(t, Config{}, CookieOptions{})
	v := setCookies(write(t, s, nil, "s", "value"))[0].Value
	for _, c := range []struct {
		name   string
		header []string
		want   error // nil: opens
	}{
		{"plain", []string{"s=" + v}, nil},
		{"SP and HTAB around name and value", []string{"a=1;\t s \t=\t " + v + " \t;b=2"}, nil},
		{"quoted value", []string{`s="` + v + `"`}, nil},
		{"two Cookie fields", []string{"a=1", "s=" + v}, nil},
		{"a piece without = is skipped", []string{"s; s=" + v}, nil},
		{"empty pieces", []string{";;  ; s=" + v + ";;"}, nil},
		{"U+00A0 before the name is not trimmed", []string{"\xa0s=" + v}, http.ErrNoCookie},
		{"U+0085 after the name is not trimmed", []string{"s\x85=" + v}, http.ErrNoCookie},
		{"a value with a byte over 0x7E is skipped", []string{"s=" + v + "\xa0"}, http.ErrNoCookie},
		{"a value with a control byte is skipped", []string{"s=" + v + "\x01"}, http.ErrNoCookie},
		{`a value with \ is skipped`, []string{`s=` + v + `\`}, http.ErrNoCookie},
		{"one quote is not a quoted value", []string{`s="` + v}, http.ErrNoCookie},
		{"names are case-sensitive", []string{"S=" + v}, http.ErrNoCookie},
		{"a skipped head leaves the next", []string{"s=" + v + "\x7f; s=" + v}, nil},
	} {
		t.Run(c.name, func(t *testing.T) {
			var got string
			_, err := s.Read(sessionWith(c.header...), "s", &got)
			if c.want == nil {
				require.NoError(t, err)
				assert.Equal(t, "value", got)
				return
			}
			assert.ErrorIs(t, err, c.want)
		})
	}
}

// twoPartSession writes a session in two parts and returns its cookies.
func twoPartSession(t *testing.T, s *Cookies) []*http.Cookie {
	t.Helper()
	cookies := setCookies(write(t, s, nil, "s", blob{Data: randomText(5000)}))
	require.Len(t, cookies, 2)
	return cookies
}

// TestCookiesPlantedDuplicatePartSentFirst: a part planted (or left over
// from an old scope) before the real one does not strand the session:
// attempt B takes the second value of the part (SESSIONS.md S4.4; issue 19
// finding 6).
func TestCookiesPlantedDuplicatePartSentFirst(t *testing.T) {
	s := newTestCookies(t, Config{}, big)
	cookies := twoPartSession(t, s)
	head, part := cookies[0], cookies[1]
	var got blob
	info, err := s.Read(sessionWith("s.1=AAAAplanted; "+head.Name+"="+head.Value+"; s.1="+part.Value), "s", &got)
	require.NoError(t, err)
	assert.Len(t, got.Data, 5000)
	assert.False(t, info.IssuedAt.IsZero())
}

// TestCookiesDuplicateHeadsAreOneAttempt: exact duplicates of a bad head
// cost one attempt, so a good cookie after them is still read.
func TestCookiesDuplicateHeadsAreOneAttempt(t *testing.T) {
	s := newTestCookies(t, Config{}, CookieOptions{})
	v := setCookies(write(t, s, nil, "s", "value"))[0].Value
	bad := v[:30] + "-" + v[31:]
	header := strings.Repeat("s="+bad+"; ", 100) + "s=" + v
	var got string
	_, err := s.Read(sessionWith(header), "s", &got)
	require.NoError(t, err)
	assert.Equal(t, "value", got)
}

// TestCookiesAttemptsStopAtFour: a read opens at most 4 assembled values;
// a good cookie after 4 distinct bad ones is not reached, and the outcome
// is the first attempt's failure (SESSIONS.md S4.4 and S4.6).
func TestCookiesAttemptsStopAtFour(t *testing.T) {
	s := newTestCookies(t, Config{}, CookieOptions{})
	opens := countOpens(s.codec)
	v := setCookies(write(t, s, nil, "s", "value"))[0].Value
	var heads []string
	for i := range 4 { // tampered in the middle: each reaches the AEAD
		c := byte('A' + i)
		if v[30] == c {
			c = 'z'
		}
		heads = append(heads, "s="+v[:30]+string(c)+v[31:])
	}
	var got string
	_, err := s.Read(sessionWith(strings.Join(heads, "; ")+"; s="+v), "s", &got)
	requireClass(t, err, ErrInvalid)
	assert.Equal(t, int64(4), totalOpens(opens))
	_, err = s.Read(sessionWith(strings.Join(heads[:3], "; ")+"; s="+v), "s", &got)
	require.NoError(t, err, "the fourth attempt is made")
}

// TestCookiesRefusePartNames: a name that ends in "." and digits would be
// read as a part of another cookie (SESSIONS.md S3.1).
func TestCookiesRefusePartNames(t *testing.T) {
	s := newTestCookies(t, Config{}, CookieOptions{})
	for _, name := range []string{"s.1", "session.2", "a.b.10", "x.0", "x.9"} { // both ends of the digits
		rec := httptest.NewRecorder()
		err := s.Write(rec, nil, name, "v")
		require.Error(t, err, name)
		for _, class := range sentinels {
			assert.NotErrorIs(t, err, class, "a usage error, not a cookie error")
		}
		assert.Empty(t, rec.Header(), name)
		_, err = s.Read(sessionWith(name+"=v"), name, new(string))
		assert.Error(t, err, name)
		assert.NotErrorIs(t, err, http.ErrNoCookie)
		assert.Error(t, s.Delete(httptest.NewRecorder(), nil, name), name)
	}
	for _, name := range []string{"s.", "s1", "v1.0a", "1", "s.x"} {
		assert.NoError(t, s.Write(httptest.NewRecorder(), nil, name, "v"), name)
	}
}

// TestCookiesSecurePrefix: CookieOptions.SecurePrefix names the cookies
// __Secure-<name> and seals under that name (SESSIONS.md S3.2).
func TestCookiesSecurePrefix(t *testing.T) {
	s := newTestCookies(t, Config{}, CookieOptions{SecurePrefix: true, Domain: "example.com", Path: "/app"})
	rec := write(t, s, nil, "s", "value")
	cookies := setCookies(rec)
	require.Len(t, cookies, 1)
	c := cookies[0]
	assert.Equal(t, "__Secure-s", c.Name)
	assert.True(t, c.Secure)
	assert.Equal(t, "example.com", c.Domain)
	var got string
	_, err := s.Read(requestWith(cookies), "s", &got)
	require.NoError(t, err)
	assert.Equal(t, "value", got)
	require.NoError(t, s.codec.Decode("__Secure-s", c.Value, &got))
	requireClass(t, s.codec.Decode("s", c.Value, &got), ErrInvalid)

	insecure := newTestCookies(t, Config{}, CookieOptions{SecurePrefix: true, Insecure: true})
	assert.Equal(t, "s", setCookies(write(t, insecure, nil, "s", "v"))[0].Name, "Insecure drops the prefix")

	codec := newTestCodec(t, newClock(t0), newSecrets(1)...)
	_, err = NewCookies(codec, CookieOptions{SecurePrefix: true, HostPrefix: true})
	assert.Error(t, err, "both prefixes")
	_, err = NewCookies(codec, CookieOptions{SecurePrefix: true, LegacyScopes: []CookieScope{{Domain: "example.com"}}})
	assert.Error(t, err, "legacy scopes had another name")
}

// TestCookiesLaterWriteKeepsOtherScopes: a second write in one response
// replaces the first's lines for the cookie in its own scope, and keeps
// the application's line for the same name under another Domain
// (SESSIONS.md S5.6).
func TestCookiesLaterWriteKeepsOtherScopes(t *testing.T) {
	s := newTestCookies(t, Config{}, CookieOptions{})
	rec := httptest.NewRecorder()
	own := &http.Cookie{Name: "s", Value: "", Domain: "example.com", Path: "/", MaxAge: -1}
	http.SetCookie(rec, own)
	http.SetCookie(rec, &http.Cookie{Name: "other", Value: "1"})
	require.NoError(t, s.Write(rec, nil, "s", "first"))
	require.NoError(t, s.Write(rec, nil, "s", "second"))
	lines := rec.Header().Values("Set-Cookie")
	require.Len(t, lines, 3, "%q", lines)
	assert.Equal(t, own.String(), lines[0])
	assert.True(t, strings.HasPrefix(lines[1], "other=1"))
	var got string
	_, err := s.Read(requestWith(setCookies(rec)), "s", &got)
	require.NoError(t, err)
	assert.Equal(t, "second", got)
}

// TestCookiesMaxAgeIsTheConfiguredMaxAge: every cookie written carries the
// configured MaxAge as Max-Age, whatever the sealed times (SESSIONS.md
// S5.2), so the attribute states neither issued-at nor created-at.
func TestCookiesMaxAgeIsTheConfiguredMaxAge(t *testing.T) {
	clk := newClock(t0)
	s := newTestCookies(t, Config{Now: clk.Now, MaxAge: time.Hour, RefreshAge: 10 * time.Minute, MaxLifetime: 2 * time.Hour}, big)
	cookies := twoPartSession(t, s)
	clk.Add(90 * time.Minute)
	// A refresh 90 minutes after login: 30 minutes of MaxLifetime left.
	var v blob
	info, err := s.Read(requestWith(cookies), "s", &v)
	require.ErrorIs(t, err, ErrExpired, "MaxAge passed")
	clk.Add(-40 * time.Minute)
	info, err = s.Read(requestWith(cookies), "s", &v)
	require.NoError(t, err)
	require.True(t, info.Reissue)
	clk.Add(40 * time.Minute)
	rec := httptest.NewRecorder()
	require.NoError(t, s.Refresh(rec, requestWith(cookies), "s", v, info))
	for _, c := range rec.Result().Cookies() {
		if c.MaxAge > 0 {
			assert.Equal(t, 3600, c.MaxAge, c.Name)
		}
	}
}

// TestCookiesRefreshRefusesAnExpiredSession: a session whose MaxLifetime
// passed while the request ran is not revived (SESSIONS.md S6.6).
func TestCookiesRefreshRefusesAnExpiredSession(t *testing.T) {
	clk := newClock(t0)
	s := newTestCookies(t, Config{Now: clk.Now, MaxAge: 30 * time.Minute, MaxLifetime: time.Hour}, CookieOptions{})
	r := requestWith(setCookies(write(t, s, nil, "s", "v")))
	var v string
	for _, step := range []time.Duration{25 * time.Minute, 25 * time.Minute} { // refreshed at 0:25 and 0:50
		clk.Add(step)
		info, err := s.Read(r, "s", &v)
		require.NoError(t, err)
		rec := httptest.NewRecorder()
		require.NoError(t, s.Refresh(rec, r, "s", "v2", info))
		r = requestWith(setCookies(rec))
	}
	clk.Add(9*time.Minute + 59*time.Second) // 0:59:59 after login
	info, err := s.Read(r, "s", &v)
	require.NoError(t, err)
	clk.Add(2 * time.Second) // the handler ran past 1:00:00
	rec := httptest.NewRecorder()
	err = s.Refresh(rec, r, "s", "v3", info)
	requireClass(t, err, ErrExpired)
	assert.Empty(t, rec.Header(), "nothing written")
	rec = httptest.NewRecorder()
	info.Reissue = true
	requireClass(t, s.Reissue(rec, r, "s", "v3", info), ErrExpired)
	assert.Empty(t, rec.Header(), "nothing written")
	// The codec's own pair refuses too.
	_, err = s.codec.Refresh("s", "v3", info)
	requireClass(t, err, ErrExpired)
	_, err = s.codec.Reissue("s", "v3", info)
	requireClass(t, err, ErrExpired)
	// Write starts a new session.
	require.NoError(t, s.Write(httptest.NewRecorder(), r, "s", "new"))
}

// TestCookiesReissueRefusesPastMaxAge: a rotation re-issue keeps issued-at;
// when MaxAge has passed at the time of writing, it fails with ErrExpired
// and writes nothing (SESSIONS.md S6.6).
func TestCookiesReissueRefusesPastMaxAge(t *testing.T) {
	clk := newClock(t0)
	oldSecret, newSecret := GenerateSecret(), GenerateSecret()
	old := newTestCookies(t, Config{Secrets: []string{oldSecret}, Now: clk.Now, MaxAge: time.Hour}, CookieOptions{})
	s := newTestCookies(t, Config{Secrets: []string{newSecret, oldSecret}, Now: clk.Now, MaxAge: time.Hour}, CookieOptions{})
	r := requestWith(setCookies(write(t, old, nil, "s", "v")))
	clk.Add(time.Hour)
	var v string
	info, err := s.Read(r, "s", &v)
	require.NoError(t, err)
	require.True(t, info.Reissue, "rotation")
	clk.Add(time.Second)
	rec := httptest.NewRecorder()
	err = s.Reissue(rec, r, "s", v, info)
	requireClass(t, err, ErrExpired)
	assert.Empty(t, rec.Header())
	_, err = s.codec.Reissue("s", v, info)
	requireClass(t, err, ErrExpired)
	var ce interface{ IsDecode() bool }
	require.True(t, errors.As(err, &ce) && ce.IsDecode(), "the codec's error is a decode error")
}

// TestWithMaxAgeRoundsUp: a fractional MaxAge is rounded up to whole
// seconds, as New rounds Config.MaxAge, so the Max-Age attribute and the
// lifetime the codec accepts agree (issue 19 finding 6).
func TestWithMaxAgeRoundsUp(t *testing.T) {
	clk := newClock(t0)
	c := newTestCodec(t, clk, newSecrets(1)...)
	d, err := c.WithMaxAge(1500 * time.Millisecond)
	require.NoError(t, err)
	assert.Equal(t, 2*time.Second, d.MaxAge())
	s, err := NewCookies(d, CookieOptions{})
	require.NoError(t, err)
	rec := httptest.NewRecorder()
	require.NoError(t, s.Write(rec, nil, "s", "v"))
	assert.Equal(t, 2, setCookies(rec)[0].MaxAge)
	clk.Add(2 * time.Second)
	var v string
	_, err = s.Read(requestWith(setCookies(rec)), "s", &v)
	require.NoError(t, err)
	clk.Add(time.Second)
	_, err = s.Read(requestWith(setCookies(rec)), "s", &v)
	requireClass(t, err, ErrExpired)
	same, err := d.WithMaxAge(1100 * time.Millisecond)
	require.NoError(t, err)
	assert.Same(t, d, same, "rounds to d's own MaxAge")
}
