package cookieseal

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
)

// Cookies in parts (SPEC.md section 10). A sealed value v that does not fit
// one cookie is cut into N >= 2 parts: the cookie name holds N in decimal,
// a ".", then part 0; the cookie name.k holds part k. Every cookie but the
// last is filled to the codec's MaxLength, name included. A reader reads
// the count, then exactly the parts 1 to N-1, and ignores every other
// name.k, so stale or planted parts cannot make a session unreadable.

// minChunkSize is the least room a part must have for its value, in bytes,
// or the cookie name is refused as too long.
const minChunkSize = 64 // bytes

// chunkName returns the name of part i of the cookie called name: name
// itself for part 0, then name.1, name.2, ...
func chunkName(name string, i int) string {
	if i == 0 {
		return name
	}
	return name + "." + strconv.Itoa(i)
}

// chunkIndex returns i if cookie is chunkName(name, i) for some i >= 1
// written in canonical decimal, and 0 otherwise.
func chunkIndex(name, cookie string) int {
	suffix, ok := strings.CutPrefix(cookie, name+".")
	if !ok {
		return 0
	}
	if i := parseDecimal(suffix); i >= 1 && i <= maxChunksLimit {
		return i
	}
	return 0
}

// parseDecimal returns the number s spells in canonical decimal (digits
// only, no leading zero, "0" itself excepted), at most decimalCap, and -1
// for anything else.
func parseDecimal(s string) int {
	if s == "" || s[0] == '0' && len(s) > 1 {
		return -1
	}
	n := 0
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return -1
		}
		n = min(n*10+int(s[i]-'0'), decimalCap)
	}
	return n
}

// decimalCap is where parseDecimal stops counting: more than any part
// count or index.
const decimalCap = 1 << 20

// chunkCap is how many bytes of the sealed value part i of an n-part value
// may hold: MaxLength less the cookie's name and "=", and for part 0 of a
// value in several parts, less the count and its ".".
func (s *Cookies) chunkCap(name string, i, n int) int {
	c := s.codec.maxLength - len(chunkName(name, i)) - 1
	if i == 0 && n > 1 {
		c -= len(strconv.Itoa(n)) + 1
	}
	return c
}

// layout returns, for a value in n parts, how many bytes of sealed value
// they hold when every part is full, and how many bytes of Cookie header
// they then take besides the value: names, "=", the count and "; ".
func (s *Cookies) layout(name string, n int) (capacity, overhead int) {
	for i := range n {
		capacity += s.chunkCap(name, i, n)
		overhead += len(chunkName(name, i)) + 1
	}
	if n > 1 {
		overhead += len(strconv.Itoa(n)) + 1 + 2*(n-1)
	}
	return capacity, overhead
}

// room is the longest sealed value that fits MaxChunks cookies and
// MaxHeaderBytes.
func (s *Cookies) room(name string) int {
	best := 0
	for n := 1; n <= s.maxChunks; n++ {
		capacity, overhead := s.layout(name, n)
		best = max(best, min(capacity, s.headerBytes-overhead))
		if capacity >= s.headerBytes-overhead {
			break // more parts only add overhead
		}
	}
	return best
}

// maxParts is how many parts the longest value that room allows takes.
func (s *Cookies) maxParts(name string) int {
	return s.parts(name, s.room(name))
}

// parts is how many parts a sealed value of size bytes takes: the fewest
// whose capacity holds it.
func (s *Cookies) parts(name string, size int) int {
	n := 1
	for ; n < s.maxChunks; n++ {
		if c, _ := s.layout(name, n); c >= size {
			break
		}
	}
	return n
}

// split cuts v into the values of the cookies name, name.1, ...: every
// part but the last fills its cookie; part 0 of several starts with the
// count and a ".".
func (s *Cookies) split(name, v string) []string {
	n := s.parts(name, len(v))
	if n == 1 {
		return []string{v}
	}
	parts := make([]string, n)
	for i := range n {
		k := min(s.chunkCap(name, i, n), len(v))
		parts[i], v = v[:k], v[k:]
	}
	parts[0] = strconv.Itoa(n) + "." + parts[0]
	return parts
}

// maxAttempts is how many assembled values one read opens at most
// (SESSIONS.md S4.4): the work of a read is at most that many times the
// assembling and opening of one legitimate value, whatever the request.
const maxAttempts = 4

// found is what a read keeps of a request's cookies for one full name F
// (SESSIONS.md S4.1-3): the first maxAttempts distinct heads that look
// sealed and the first maxAttempts distinct others, each group in header
// order (no read tries more heads than attempts), and the first two
// distinct values of every part F.k, k = 1 to MaxChunks-1. It holds
// substrings of the request's header, so filling it allocates nothing.
type found struct {
	sealed, others   [maxAttempts]string
	nSealed, nOthers int
	parts            [maxChunksLimit][2]string // parts[k]: the values of F.k
	nParts           [maxChunksLimit]uint8
}

// scanCookies calls fn for every pair of r's Cookie header fields (parsed
// as SESSIONS.md S2 says, in header order) whose name is full (k = 0) or
// full.k for k = 1 to maxChunksLimit in canonical decimal. It allocates
// nothing: a pair of another name costs only the scan. Several Cookie
// fields are read in order, as if joined with "; ".
func scanCookies(r *http.Request, full string, fn func(k int, value string)) {
	if r == nil {
		return
	}
	for _, line := range r.Header["Cookie"] {
		for len(line) > 0 {
			piece := line
			if i := strings.IndexByte(line, ';'); i >= 0 {
				piece, line = line[:i], line[i+1:]
			} else {
				line = ""
			}
			eq := strings.IndexByte(piece, '=')
			if eq < 0 {
				continue // no "=" (S2.3), or an empty piece (S2.2): skipped
			}
			name := trimSPHT(piece[:eq])
			if len(name) < len(full) || name[:len(full)] != full {
				continue
			}
			k := 0
			if len(name) > len(full) {
				// full is a token, and so is full.k; any other name that
				// starts with full is another cookie.
				if name[len(full)] != '.' {
					continue
				}
				if k = parseDecimal(name[len(full)+1:]); k < 1 || k > maxChunksLimit {
					continue
				}
			}
			if value, ok := cookieValue(piece[eq+1:]); ok {
				fn(k, value)
			}
		}
	}
}

// trimSPHT removes leading and trailing SP and HTAB from s, and nothing
// else (SESSIONS.md S2.2): no other white space, Unicode or not.
func trimSPHT(s string) string {
	for len(s) > 0 && (s[0] == ' ' || s[0] == '\t') {
		s = s[1:]
	}
	for len(s) > 0 && (s[len(s)-1] == ' ' || s[len(s)-1] == '\t') {
		s = s[:len(s)-1]
	}
	return s
}

// cookieValue returns the value of a pair from what follows its "="
// (SESSIONS.md S2.3 and S2.5): trimmed of SP and HTAB, then without its
// enclosing double quotes. ok is false, and the pair skipped, when the
// value then holds a byte outside 0x20-0x7E, or '"', ';' or '\'.
func cookieValue(raw string) (value string, ok bool) {
	v := trimSPHT(raw)
	if len(v) >= 2 && v[0] == '"' && v[len(v)-1] == '"' {
		v = v[1 : len(v)-1]
	}
	for i := 0; i < len(v); i++ {
		if c := v[i]; c < 0x20 || c > 0x7e || c == '"' || c == ';' || c == '\\' {
			return "", false
		}
	}
	return v, true
}

// collect reads the cookies of r named full and its parts (SESSIONS.md
// S4.1-3) into f.
func (s *Cookies) collect(r *http.Request, full string, f *found) {
	scanCookies(r, full, func(k int, v string) {
		switch {
		case k == 0 && looksSealed(v):
			f.nSealed = keepDistinct(f.sealed[:], f.nSealed, v)
		case k == 0:
			f.nOthers = keepDistinct(f.others[:], f.nOthers, v)
		case k < s.maxChunks:
			f.nParts[k] = uint8(keepDistinct(f.parts[k][:], int(f.nParts[k]), v))
		}
	})
}

// keepDistinct puts v in kept[n] unless kept[:n] holds it or kept is full,
// and returns how many values kept holds then.
func keepDistinct(kept []string, n int, v string) int {
	if n == len(kept) {
		return n
	}
	for _, k := range kept[:n] {
		if k == v {
			return n
		}
	}
	kept[n] = v
	return n + 1
}

// attempt is one value a read assembles and opens: from head and, for each
// part, its second kept value where there is one (alt: attempt B) or its
// first (attempt A).
type attempt struct {
	head string
	alt  bool
}

// attempts returns the attempts of SESSIONS.md S4.4 for f, at most
// maxAttempts: for each head, those that look sealed first, attempt A, and,
// when the head has a count D (canonical decimal, at least 2) and some part
// k < D has a second kept value, attempt B.
func (s *Cookies) attempts(f *found) (out [maxAttempts]attempt, n int) {
	var heads [2 * maxAttempts]string
	nh := copy(heads[:], f.sealed[:f.nSealed])
	nh += copy(heads[nh:], f.others[:f.nOthers])
	for _, h := range heads[:nh] {
		if n == maxAttempts {
			break
		}
		out[n] = attempt{head: h}
		n++
		countText, _, chunked := strings.Cut(h, ".")
		if !chunked || n == maxAttempts {
			continue
		}
		d := parseDecimal(countText)
		for k := 1; k < min(d, s.maxChunks); k++ {
			if f.nParts[k] == 2 {
				out[n] = attempt{head: h, alt: true}
				n++
				break
			}
		}
	}
	return out, n
}

// looksSealed reports whether head, the value of a cookie called name,
// starts like a cookieseal cookie or the first of its parts: an optional
// count and ".", then base64url whose first 6 bytes are a v1 header. It
// allocates nothing.
func looksSealed(head string) bool {
	if count, rest, ok := strings.Cut(head, "."); ok {
		if parseDecimal(count) < 2 {
			return false
		}
		head = rest
	}
	if len(head) < 8 {
		return false
	}
	var v uint64 // 8 characters: 48 bits, the 6 bytes of a header
	for i := range 8 {
		c := base64URLValues[head[i]]
		if c > 63 {
			return false
		}
		v = v<<6 | uint64(c)
	}
	return byte(v>>40) == version1 && byte(v)&^flagsKnown == 0
}

// join returns the sealed value that attempt a assembles from f
// (SESSIONS.md S4.5; SPEC.md section 10, reading step 5), checking every
// cookie against MaxLength before anything is copied or opened.
// MaxHeaderBytes is a limit on what Write sends, not on what Read accepts:
// a request that arrived has passed the proxies, and lowering the budget
// must not log out sessions written under a higher one.
func (s *Cookies) join(name string, f *found, a attempt) (string, error) {
	head := a.head
	if size := len(name) + 1 + len(head); size > s.codec.maxLength {
		return "", fmt.Errorf("%w: cookie %s is %d bytes with its name, limit %d", ErrTooLarge, name, size, s.codec.maxLength)
	}
	countText, first, chunked := strings.Cut(head, ".")
	if !chunked {
		return head, nil
	}
	n := parseDecimal(countText)
	switch {
	case n < 2:
		return "", fmt.Errorf("%w: cookie %s: no part count of 2 or more before the \".\"", ErrInvalid, name)
	case n > s.maxChunks:
		return "", fmt.Errorf("%w: cookie %s: a part count over %d", ErrTooLarge, name, s.maxChunks)
	case first == "":
		return "", fmt.Errorf("%w: cookie %s: part 0 is empty", ErrInvalid, name)
	}
	size := len(first)
	for i := 1; i < n; i++ {
		p := f.part(i, a.alt)
		switch c := len(chunkName(name, i)) + 1 + len(p); {
		case f.nParts[i] == 0:
			return "", fmt.Errorf("%w: cookie %s: part %d of %d is missing", ErrInvalid, name, i, n)
		case p == "":
			return "", fmt.Errorf("%w: cookie %s: part %d is empty", ErrInvalid, name, i)
		case c > s.codec.maxLength:
			return "", fmt.Errorf("%w: cookie %s: part %d is %d bytes with its name, limit %d", ErrTooLarge, name, i, c, s.codec.maxLength)
		}
		size += len(p)
	}
	var b strings.Builder
	b.Grow(size)
	b.WriteString(first)
	for i := 1; i < n; i++ {
		b.WriteString(f.part(i, a.alt))
	}
	return b.String(), nil
}

// part returns the value of part k that an attempt takes: the second kept
// value when alt is set and there is one, else the first.
func (f *found) part(k int, alt bool) string {
	if alt && f.nParts[k] == 2 {
		return f.parts[k][1]
	}
	return f.parts[k][0]
}

// staleParts returns the part numbers, keep and up, to expire when the
// value of the cookie name is written in keep parts: those r carries, or,
// when r is nil or carries no cookie of the name nor a part of one, every
// one a value can have.
func (s *Cookies) staleParts(r *http.Request, name string, keep int) []int {
	var carried [maxChunksLimit + 1]bool // carried[0]: the cookie name itself
	carries := false
	scanCookies(r, name, func(k int, _ string) { carried[k], carries = true, true })
	var out []int
	if !carries {
		for i := keep; i < s.maxParts(name); i++ {
			out = append(out, i)
		}
		return out
	}
	for i := max(keep, 1); i <= maxChunksLimit; i++ {
		if carried[i] {
			out = append(out, i)
		}
	}
	return out
}
