package cookieseal

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
)

// Chunking (see Cookies): the sealed value v is cut into parts, the part i
// going into the cookie chunkName(name, i). Every part but the last fills its
// cookie to the codec's MaxLength exactly, name included, so a value has
// exactly one way to be split and Read can refuse any other.

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
	if !ok || suffix == "" || suffix[0] == '0' {
		return 0
	}
	i, err := strconv.Atoi(suffix)
	if err != nil || i < 1 || strconv.Itoa(i) != suffix {
		return 0
	}
	return i
}

// chunkCap is how many bytes of value part i of the cookie name may hold:
// MaxLength less its name and the "=".
func (s *Cookies) chunkCap(name string, i int) int {
	return s.codec.maxLength - len(chunkName(name, i)) - 1
}

// capacity is the room for a value across the first n parts.
func (s *Cookies) capacity(name string, n int) int {
	total := 0
	for i := range n {
		total += s.chunkCap(name, i)
	}
	return total
}

// split cuts v into parts that each fill their cookie, the last one
// excepted.
func (s *Cookies) split(name, v string) []string {
	var parts []string
	for i := 0; len(v) > 0 || i == 0; i++ {
		n := min(s.chunkCap(name, i), len(v))
		parts = append(parts, v[:n])
		v = v[n:]
	}
	return parts
}

// join collects the parts of the cookie called name from r and checks that
// they are exactly what split makes: the first part present, the others
// numbered 1, 2, ... without a gap, none past MaxChunks, every part but the
// last full. Of two cookies with the same name the first counts, as with
// http.Request.Cookie.
func (s *Cookies) join(r *http.Request, name string) (string, error) {
	var (
		first   string
		hasBase bool
		parts   = map[int]string{}
		highest int
	)
	for _, c := range r.Cookies() {
		if c.Name == name {
			if !hasBase {
				first, hasBase = c.Value, true
			}
			continue
		}
		i := chunkIndex(name, c.Name)
		if i == 0 {
			continue // another cookie
		}
		if i >= s.maxChunks {
			return "", fmt.Errorf("%w: cookie %s: part %d, but at most %d parts are allowed", ErrInvalid, name, i, s.maxChunks)
		}
		if _, dup := parts[i]; !dup {
			parts[i] = c.Value
		}
		highest = max(highest, i)
	}
	if !hasBase {
		if len(parts) > 0 {
			return "", fmt.Errorf("%w: cookie %s: part %d without the first part", ErrInvalid, name, highest)
		}
		return "", http.ErrNoCookie
	}
	if highest == 0 {
		return first, nil
	}
	var b strings.Builder
	for i := 0; i <= highest; i++ {
		p := first
		if i > 0 {
			var ok bool
			if p, ok = parts[i]; !ok {
				return "", fmt.Errorf("%w: cookie %s: part %d of %d is missing", ErrInvalid, name, i, highest+1)
			}
		}
		switch c := s.chunkCap(name, i); {
		case len(p) > c:
			return "", fmt.Errorf("%w: cookie %s: part %d is %d bytes, room for %d", ErrTooLarge, name, i, len(p), c)
		case i < highest && len(p) < c:
			return "", fmt.Errorf("%w: cookie %s: part %d of %d is short (%d of %d bytes)", ErrInvalid, name, i, highest+1, len(p), c)
		case p == "":
			return "", fmt.Errorf("%w: cookie %s: part %d is empty", ErrInvalid, name, i)
		}
		b.WriteString(p)
	}
	return b.String(), nil
}

// sentChunks returns the part numbers (1 and up) of the cookie name that r
// carries, or every possible one if r is nil.
func (s *Cookies) sentChunks(r *http.Request, name string) []int {
	var out []int
	if r == nil {
		for i := 1; i < s.maxChunks; i++ {
			out = append(out, i)
		}
		return out
	}
	seen := map[int]bool{}
	for _, c := range r.Cookies() {
		if i := chunkIndex(name, c.Name); i > 0 && !seen[i] {
			seen[i] = true
			out = append(out, i)
		}
	}
	return out
}
