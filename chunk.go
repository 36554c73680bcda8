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

// collect returns the values of the cookies called name in r, those that
// look like cookieseal cookies first (each group in the request's order),
// and the first value of every cookie name.k, k from 1 to MaxChunks-1.
func (s *Cookies) collect(r *http.Request, name string) (heads []string, parts map[int]string) {
	parts = map[int]string{}
	var others []string
	for _, c := range r.Cookies() {
		if c.Name == name {
			if looksSealed(c.Value) {
				heads = append(heads, c.Value)
			} else {
				others = append(others, c.Value)
			}
			continue
		}
		if i := chunkIndex(name, c.Name); i > 0 && i < s.maxChunks {
			if _, dup := parts[i]; !dup {
				parts[i] = c.Value
			}
		}
	}
	return append(heads, others...), parts
}

// looksSealed reports whether head, the value of a cookie called name,
// starts like a cookieseal cookie or the first of its parts: an optional
// count and ".", then base64url whose first 6 bytes are a v1 header.
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
	raw, err := decodeBase64(head[:8])
	return err == nil && raw[0] == version1 && raw[5]&^flagsKnown == 0
}

// join returns the sealed value whose first cookie holds head, with the
// parts it counts from parts, checking each cookie against MaxLength.
// MaxHeaderBytes is a limit on what Write sends, not on what Read accepts:
// a request that arrived has passed the proxies, and lowering the budget
// must not log out sessions written under a higher one.
func (s *Cookies) join(name, head string, parts map[int]string) (string, error) {
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
	var b strings.Builder
	b.WriteString(first)
	for i := 1; i < n; i++ {
		p, ok := parts[i]
		switch size := len(chunkName(name, i)) + 1 + len(p); {
		case !ok:
			return "", fmt.Errorf("%w: cookie %s: part %d of %d is missing", ErrInvalid, name, i, n)
		case p == "":
			return "", fmt.Errorf("%w: cookie %s: part %d is empty", ErrInvalid, name, i)
		case size > s.codec.maxLength:
			return "", fmt.Errorf("%w: cookie %s: part %d is %d bytes with its name, limit %d", ErrTooLarge, name, i, size, s.codec.maxLength)
		}
		b.WriteString(p)
	}
	return b.String(), nil
}

// staleParts returns the part numbers, keep and up, to expire when the
// value of the cookie name is written in keep parts: those r carries, or,
// when r is nil or carries no cookie of the name, every one a value can
// have.
func (s *Cookies) staleParts(r *http.Request, name string, keep int) []int {
	var out []int
	if r == nil || !carries(r, name) {
		for i := keep; i < s.maxParts(name); i++ {
			out = append(out, i)
		}
		return out
	}
	seen := map[int]bool{}
	for _, c := range r.Cookies() {
		if i := chunkIndex(name, c.Name); i >= keep && !seen[i] {
			seen[i] = true
			out = append(out, i)
		}
	}
	return out
}

// carries reports whether r has a cookie called name, or a part of one.
func carries(r *http.Request, name string) bool {
	for _, c := range r.Cookies() {
		if c.Name == name || chunkIndex(name, c.Name) > 0 {
			return true
		}
	}
	return false
}
