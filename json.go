package cookieseal

import (
	"bytes"
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"
	"unicode/utf8"
)

// Strict JSON (SPEC.md section 5.3). Every payload goes through checkJSON
// before anything unmarshals it, typed or plain, whatever the destination,
// so the rules below hold whichever JSON library reads the payload next; and
// Encode runs it over what it is about to seal, so that a sealer never writes
// what an opener refuses.
//
// The rules, on top of RFC 8259's grammar:
//   - valid UTF-8 throughout, no byte order mark;
//   - control characters U+0000-U+001F escaped inside strings;
//   - \uD800-\uDFFF escapes only as a high surrogate followed by a low one;
//   - no two members of one object with the same name after unescaping;
//   - numbers that round to a finite binary64;
//   - at most maxJSONDepth nested arrays and objects;
//   - nothing but white space after the value.

// maxJSONDepth is the deepest nesting of arrays and objects a payload may
// have; the outermost array or object is at depth 1.
const maxJSONDepth = 512

// jsonError is a strict-JSON violation at a byte offset. It never quotes the
// payload, which is session data.
type jsonError struct {
	off int
	msg string
}

func (e *jsonError) Error() string {
	return fmt.Sprintf("%s: %s at offset %d", errNotJSON, e.msg, e.off)
}

// Unwrap makes every jsonError match errNotJSON.
func (e *jsonError) Unwrap() error { return errNotJSON }

// errNotJSON is what every checkJSON error matches.
var errNotJSON = errors.New("payload is not strict JSON")

// errJSONEmpty is checkJSON's error for a payload with no value at all.
var errJSONEmpty = fmt.Errorf("%w: no value", errNotJSON)

// jsonName is the span of one member name inside the payload, quotes
// excluded; escaped says whether it holds a backslash, in which case its
// bytes are not its value.
type jsonName struct {
	start, end int32
	escaped    bool
}

// smallObject is the member count up to which duplicates are found by
// comparing each new name with the earlier ones; larger objects are sorted
// when they close.
const smallObject = 16

// checkJSON reports whether data is exactly one strict JSON text. It makes
// one pass with an explicit stack (no recursion, so no depth can exhaust the
// goroutine stack) and allocates nothing unless an object has more than 32
// member names open at once.
func checkJSON(data []byte) error {
	if len(data) > math.MaxInt32 {
		return &jsonError{0, "payload over 2 GiB"}
	}
	var (
		// containers: bit d of kinds is 1 when the container at depth d+1 is
		// an object.
		kinds [maxJSONDepth / 64]uint64
		depth int
		// names of the members of every open object, innermost last; objStart
		// holds where each open object's names begin, indexed by depth.
		nameBuf  [32]jsonName
		names    = nameBuf[:0]
		startBuf [16]int32
		objStart = startBuf[:0]
	)
	i := skipSpace(data, 0)
	if i == len(data) {
		return errJSONEmpty
	}
	// The loop reads one value at i, then what follows it in its container.
	for {
		// A value.
		if i >= len(data) {
			return &jsonError{i, "unexpected end"}
		}
		switch c := data[i]; {
		case c == '{' || c == '[':
			if depth == maxJSONDepth {
				return &jsonError{i, fmt.Sprintf("nesting deeper than %d", maxJSONDepth)}
			}
			if c == '{' {
				kinds[depth/64] |= 1 << (depth % 64)
				objStart = append(objStart, int32(len(names)))
			} else {
				kinds[depth/64] &^= 1 << (depth % 64)
			}
			depth++
			i = skipSpace(data, i+1)
			if i < len(data) && (c == '{' && data[i] == '}' || c == '[' && data[i] == ']') {
				// An empty container is a complete value.
				depth--
				if c == '{' {
					objStart = objStart[:len(objStart)-1]
				}
				i++
				break
			}
			if c == '[' {
				continue // its first element
			}
			// An object's first member name.
			var err error
			if names, i, err = memberName(data, i, names, objStart[len(objStart)-1]); err != nil {
				return err
			}
			continue
		case c == '"':
			end, _, err := scanString(data, i)
			if err != nil {
				return err
			}
			i = end
		case c == '-' || '0' <= c && c <= '9':
			end, err := scanNumber(data, i)
			if err != nil {
				return err
			}
			i = end
		case c == 't':
			if !bytes.HasPrefix(data[i:], []byte("true")) {
				return &jsonError{i, "invalid literal"}
			}
			i += 4
		case c == 'f':
			if !bytes.HasPrefix(data[i:], []byte("false")) {
				return &jsonError{i, "invalid literal"}
			}
			i += 5
		case c == 'n':
			if !bytes.HasPrefix(data[i:], []byte("null")) {
				return &jsonError{i, "invalid literal"}
			}
			i += 4
		default:
			return &jsonError{i, fmt.Sprintf("unexpected byte %#02x", c)}
		}

		// After a value: close containers, or go on to the next element.
		for {
			i = skipSpace(data, i)
			if depth == 0 {
				if i != len(data) {
					return &jsonError{i, "data after the value"}
				}
				return nil
			}
			if i >= len(data) {
				return &jsonError{i, "unexpected end"}
			}
			inObject := kinds[(depth-1)/64]&(1<<((depth-1)%64)) != 0
			c := data[i]
			if c == ',' {
				i = skipSpace(data, i+1)
				if inObject {
					var err error
					if names, i, err = memberName(data, i, names, objStart[len(objStart)-1]); err != nil {
						return err
					}
				}
				break // the next value
			}
			switch {
			case inObject && c == '}':
				start := objStart[len(objStart)-1]
				if err := checkDuplicates(data, names[start:]); err != nil {
					return err
				}
				names = names[:start]
				objStart = objStart[:len(objStart)-1]
			case !inObject && c == ']':
			default:
				return &jsonError{i, fmt.Sprintf("unexpected byte %#02x", c)}
			}
			depth--
			i++
		}
	}
}

// memberName reads `"name" :` at i (white space allowed around the colon),
// records the name among the open object's names (which begin at start),
// and returns the index of the member's value. Small objects are checked for
// a duplicate here; large ones when they close.
func memberName(data []byte, i int, names []jsonName, start int32) ([]jsonName, int, error) {
	if i >= len(data) || data[i] != '"' {
		return names, i, &jsonError{i, "want a member name"}
	}
	end, escaped, err := scanString(data, i)
	if err != nil {
		return names, i, err
	}
	n := jsonName{int32(i + 1), int32(end - 1), escaped}
	if len(names)-int(start) < smallObject {
		for _, m := range names[start:] {
			if sameName(data, m, n) {
				return names, i, &jsonError{i, "duplicate member name"}
			}
		}
	}
	names = append(names, n)
	i = skipSpace(data, end)
	if i >= len(data) || data[i] != ':' {
		return names, i, &jsonError{i, "want ':'"}
	}
	return names, skipSpace(data, i+1), nil
}

// checkDuplicates finds two equal names among an object's member names; the
// first smallObject of them were compared one by one already. It sorts names
// in place: they are about to be dropped.
func checkDuplicates(data []byte, names []jsonName) error {
	if len(names) <= smallObject {
		return nil
	}
	slices.SortFunc(names, func(a, b jsonName) int { return compareNames(data, a, b) })
	for k := 1; k < len(names); k++ {
		if compareNames(data, names[k-1], names[k]) == 0 {
			return &jsonError{int(names[k].start) - 1, "duplicate member name"}
		}
	}
	return nil
}

func sameName(data []byte, a, b jsonName) bool {
	if !a.escaped && !b.escaped {
		return bytes.Equal(data[a.start:a.end], data[b.start:b.end])
	}
	return compareNames(data, a, b) == 0
}

// compareNames orders two names by the code points of their values.
func compareNames(data []byte, a, b jsonName) int {
	if !a.escaped && !b.escaped {
		// UTF-8 byte order is code point order.
		return bytes.Compare(data[a.start:a.end], data[b.start:b.end])
	}
	i, j := int(a.start), int(b.start)
	for i < int(a.end) && j < int(b.end) {
		var r, s rune
		r, i = nextRune(data, i)
		s, j = nextRune(data, j)
		if r != s {
			if r < s {
				return -1
			}
			return 1
		}
	}
	switch {
	case i < int(a.end):
		return 1
	case j < int(b.end):
		return -1
	}
	return 0
}

// nextRune decodes the code point at i of a string that scanString accepted,
// escapes included, and returns it with the index after it.
func nextRune(data []byte, i int) (rune, int) {
	c := data[i]
	if c != '\\' {
		if c < utf8.RuneSelf {
			return rune(c), i + 1
		}
		r, n := utf8.DecodeRune(data[i:])
		return r, i + n
	}
	switch e := data[i+1]; e {
	case 'b':
		return '\b', i + 2
	case 'f':
		return '\f', i + 2
	case 'n':
		return '\n', i + 2
	case 'r':
		return '\r', i + 2
	case 't':
		return '\t', i + 2
	case 'u':
		r := hex4(data[i+2:])
		if r >= 0xd800 && r < 0xdc00 { // a high surrogate; a low one follows
			lo := hex4(data[i+8:])
			return 0x10000 + (r-0xd800)<<10 + (lo - 0xdc00), i + 12
		}
		return r, i + 6
	default: // '"', '\\', '/'
		return rune(e), i + 2
	}
}

// hex4 reads four hex digits, or returns -1.
func hex4(b []byte) rune {
	if len(b) < 4 {
		return -1
	}
	var r rune
	for _, c := range b[:4] {
		switch {
		case '0' <= c && c <= '9':
			c -= '0'
		case 'a' <= c && c <= 'f':
			c -= 'a' - 10
		case 'A' <= c && c <= 'F':
			c -= 'A' - 10
		default:
			return -1
		}
		r = r<<4 | rune(c)
	}
	return r
}

func skipSpace(data []byte, i int) int {
	for i < len(data) {
		switch data[i] {
		case ' ', '\t', '\n', '\r':
			i++
		default:
			return i
		}
	}
	return i
}

// stringSafe marks the bytes a string may hold as they are: printable ASCII
// other than '"' and '\\'.
var stringSafe = func() (t [256]bool) {
	for c := 0x20; c < 0x80; c++ {
		t[c] = c != '"' && c != '\\'
	}
	return t
}()

// scanString checks the string that starts with the quote at i and returns
// the index after its closing quote, and whether it has escapes.
func scanString(data []byte, i int) (int, bool, error) {
	escaped := false
	i++
	for {
		for i < len(data) && stringSafe[data[i]] {
			i++
		}
		if i >= len(data) {
			return i, escaped, &jsonError{i, "unterminated string"}
		}
		switch c := data[i]; {
		case c == '"':
			return i + 1, escaped, nil
		case c == '\\':
			escaped = true
			if i+1 >= len(data) {
				return i, escaped, &jsonError{i, "unterminated string"}
			}
			switch data[i+1] {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
				i += 2
			case 'u':
				r := hex4(data[i+2:])
				switch {
				case r < 0:
					return i, escaped, &jsonError{i, "invalid \\u escape"}
				case r >= 0xdc00 && r <= 0xdfff:
					return i, escaped, &jsonError{i, "lone low surrogate escape"}
				case r >= 0xd800 && r < 0xdc00:
					if i+7 >= len(data) || data[i+6] != '\\' || data[i+7] != 'u' {
						return i, escaped, &jsonError{i, "lone high surrogate escape"}
					}
					if lo := hex4(data[i+8:]); lo < 0xdc00 || lo > 0xdfff {
						return i, escaped, &jsonError{i, "high surrogate escape without a low one"}
					}
					i += 12
				default:
					i += 6
				}
			default:
				return i, escaped, &jsonError{i, "invalid escape"}
			}
		case c < 0x20:
			return i, escaped, &jsonError{i, "unescaped control character in a string"}
		default: // c >= 0x80
			r, n := utf8.DecodeRune(data[i:])
			if r == utf8.RuneError && n <= 1 {
				return i, escaped, &jsonError{i, "invalid UTF-8"}
			}
			i += n
		}
	}
}

// scanNumber checks the number at i against RFC 8259's grammar and that it
// rounds to a finite binary64, and returns the index after it.
func scanNumber(data []byte, i int) (int, error) {
	start := i
	if data[i] == '-' {
		i++
	}
	intStart := i
	switch {
	case i < len(data) && data[i] == '0':
		i++
	case i < len(data) && '1' <= data[i] && data[i] <= '9':
		for i < len(data) && '0' <= data[i] && data[i] <= '9' {
			i++
		}
	default:
		return i, &jsonError{i, "invalid number"}
	}
	intDigits := i - intStart
	if i < len(data) && data[i] == '.' {
		i++
		d := i
		for i < len(data) && '0' <= data[i] && data[i] <= '9' {
			i++
		}
		if i == d {
			return i, &jsonError{i, "invalid number"}
		}
	}
	exp := false
	expStart := 0
	if i < len(data) && (data[i] == 'e' || data[i] == 'E') {
		exp = true
		i++
		if i < len(data) && (data[i] == '+' || data[i] == '-') {
			i++
		}
		expStart = i
		for i < len(data) && '0' <= data[i] && data[i] <= '9' {
			i++
		}
		if i == expStart {
			return i, &jsonError{i, "invalid number"}
		}
	}
	// |value| < 10^intDigits * 10^exponent, which is finite when at most
	// 10^308: with no exponent up to 308 integer digits, with an exponent of
	// at most two digits (< 10^99) up to 200. Only the rest are parsed.
	if !exp && intDigits <= 308 || exp && i-expStart <= 2 && intDigits <= 200 {
		return i, nil
	}
	f, err := strconv.ParseFloat(string(data[start:i]), 64)
	if math.IsInf(f, 0) {
		return i, &jsonError{start, "number out of the binary64 range"}
	}
	if err != nil && !errors.Is(err, strconv.ErrRange) {
		return i, &jsonError{start, "invalid number"} // unreachable: the grammar held
	}
	return i, nil
}
