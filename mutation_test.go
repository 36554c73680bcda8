package cookieseal

import (
	"errors"
	"net/http/httptest"
	"strings"
	"testing"
)

// Tests written for mutants of chunk.go and http.go that the other tests
// let live (MUTATION.md). Each asserts behaviour that SESSIONS.md or the
// package documentation states; the mutant it was written for is named in
// its comment.

// cookieHeaderBytes is how many bytes cookies take in a request's Cookie
// header: name, "=" and value of each, and "; " between them.
func cookieHeaderBytes(rec *httptest.ResponseRecorder) (size, n int) {
	for _, c := range setCookies(rec) {
		if n > 0 {
			size += 2
		}
		size += len(c.Name) + 1 + len(c.Value)
		n++
	}
	return size, n
}

// TestCookiesFillTheBudgetInThreeParts: when MaxHeaderBytes, not the
// parts' capacity, binds a value in three parts, the longest value that
// Write accepts takes exactly MaxHeaderBytes of Cookie header, "; "
// between parts included, and one byte more is ErrTooLarge. (Mutant
// chunk.go layout: 2*(n-1) -> 2/(n-1), which counts one "; " for three
// parts and lets the header pass the budget by 3 bytes.)
func TestCookiesFillTheBudgetInThreeParts(t *testing.T) {
	const budget = 10000
	s := newTestCookies(t, Config{}, CookieOptions{MaxChunks: 3, MaxHeaderBytes: budget})
	// 54 bytes of overhead, the JSON string's 2 quotes and 7432 bytes of
	// text: 7488 bytes, 9984 in base64url, with "3." and the names, "="
	// and "; " of s, s.1 and s.2: 10000 bytes.
	const fits = 7432
	size, n := cookieHeaderBytes(write(t, s, nil, "s", strings.Repeat("x", fits)))
	if n != 3 || size != budget {
		t.Errorf("the longest value: %d cookies of %d bytes of Cookie header, want 3 of exactly %d", n, size, budget)
	}
	err := s.Write(httptest.NewRecorder(), nil, "s", strings.Repeat("x", fits+1))
	if !errors.Is(err, ErrTooLarge) {
		t.Errorf("one byte more: got %v, want ErrTooLarge", err)
	}
}

// expired returns the names of the cookies that a response expires.
func expired(rec *httptest.ResponseRecorder) []string {
	var out []string
	for _, c := range rec.Result().Cookies() {
		if c.MaxAge < 0 {
			out = append(out, c.Name)
		}
	}
	return out
}

// TestCookiesWriteExpiresCarriedPartFifty: a Write expires every part
// s.k, k = 1 to 50, that the request carries (SESSIONS.md S5.4), up to
// s.50 and not past it, whatever MaxChunks. (Mutant chunk.go scanCookies:
// k > maxChunksLimit -> k >= maxChunksLimit, which stops seeing s.50.)
func TestCookiesWriteExpiresCarriedPartFifty(t *testing.T) {
	s := newTestCookies(t, Config{}, CookieOptions{})
	rec := write(t, s, sessionWith("s=x; s.50=y; s.51=z; s.050=w"), "s", "value")
	if got := strings.Join(expired(rec), " "); got != "s.50" {
		t.Errorf("expired %q, want s.50 alone", got)
	}
}

// TestCookieValueOctetsAtTheEdges: a value keeps SP (0x20) inside it and
// '~' (0x7E), the ends of the range SESSIONS.md S2.5 allows, so such a
// head is a cookie of the name that does not open (ErrInvalid), not a
// skipped pair (http.ErrNoCookie). (Mutants chunk.go cookieValue:
// c < 0x20 -> c <= 0x20 and c > 0x7e -> c >= 0x7e.)
func TestCookieValueOctetsAtTheEdges(t *testing.T) {
	s := newTestCookies(t, Config{}, CookieOptions{})
	for _, header := range []string{"s=AAAA~AAAA", "s=AAAA AAAA", "s=!#$%&'()*+,-./:<=>?@[]^_`{|}~"} {
		var got string
		_, err := s.Read(sessionWith(header), "s", &got)
		requireClass(t, err, ErrInvalid)
	}
}

// TestCookiesMaxChunksFiftyIgnoresPartFifty: with MaxChunks 50, the most
// parts a value can have, a cookie s.50 is no part of any value (parts
// are s.1 to s.49) and a read ignores it. (Mutant chunk.go collect:
// k < s.maxChunks -> k <= s.maxChunks, which indexes part 50 of 0 to 49.)
func TestCookiesMaxChunksFiftyIgnoresPartFifty(t *testing.T) {
	s := newTestCookies(t, Config{}, CookieOptions{MaxChunks: 50})
	v := setCookies(write(t, s, nil, "s", "value"))[0].Value
	var got string
	if _, err := s.Read(sessionWith("s.50=AAAA; s="+v+"; s.50=BBBB"), "s", &got); err != nil || got != "value" {
		t.Errorf("read %q, %v; want \"value\"", got, err)
	}
}

// TestCookiesRepeatedWriteReplacesUnderItsPath: with Path "/app", a second
// Write in one response replaces the first one's line (SESSIONS.md S5.6)
// and keeps the application's line for s under Path "/". (Written for
// http.go ownLine's `path == ""` -> `!=`, which compared every line with
// Path "/"; the dead default it mutated is gone: NewCookies makes every
// scope's Path non-empty.)
func TestCookiesRepeatedWriteReplacesUnderItsPath(t *testing.T) {
	s := newTestCookies(t, Config{}, CookieOptions{Path: "/app"})
	rec := httptest.NewRecorder()
	rec.Header().Add("Set-Cookie", "s=app; Path=/")
	for _, v := range []string{"first", "second"} {
		if err := s.Write(rec, nil, "s", v); err != nil {
			t.Fatal(err)
		}
	}
	var paths []string
	for _, c := range setCookies(rec) {
		if c.Name == "s" {
			paths = append(paths, c.Path)
		}
	}
	if strings.Join(paths, " ") != "/ /app" {
		t.Errorf("cookies s set under paths %q, want the application's under / and one under /app", paths)
	}
}
