package cookieseal

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"unicode/utf8"
)

// Session values: gorilla/sessions keeps Session.Values as a
// map[interface{}]interface{}, which encoding/json cannot encode, and plain
// JSON would turn every number into a float64. Values are therefore written
// in a typed JSON form (SPEC.md section 6): null, booleans, strings, arrays
// and integer numbers (as int) stand for themselves; every other type is a
// tag object, an object with exactly one member whose name is the type.

// typed-form tags (SPEC.md section 6.3).
const (
	tagMap       = "map"       // map[interface{}]interface{}
	tagObject    = "object"    // map[string]interface{}
	tagArray     = "array"     // nil []interface{} (the body is null)
	tagStrings   = "strings"   // []string
	tagInts      = "ints"      // []int
	tagFloat64s  = "float64s"  // []float64
	tagStringMap = "stringmap" // map[string]string
	tagIntMap    = "intmap"    // map[string]int
	tagBytes     = "bytes"     // []byte, standard base64
	tagTime      = "time"      // time.Time, RFC 3339
	tagDuration  = "duration"  // time.Duration, integer nanoseconds
	tagNamed     = "named"     // a type given to Register: [name, JSON]
	tagFloat64   = "float64"
	tagFloat32   = "float32"
	tagInt8      = "int8"
	tagInt16     = "int16"
	tagInt32     = "int32"
	tagInt64     = "int64"
	tagUint      = "uint"
	tagUint8     = "uint8"
	tagUint16    = "uint16"
	tagUint32    = "uint32"
	tagUint64    = "uint64"
)

// maxDepth is the deepest JSON nesting a payload may have: every array and
// object opens a level, the outermost value is at level 1 (SPEC.md).
const maxDepth = 512

// UnsupportedTypeError is returned by Encode for a session value whose type
// the typed form cannot carry without loss.
type UnsupportedTypeError struct {
	Type string // the Go type, as fmt's %T prints it
	Key  bool   // the value is a map key of a type that cannot be a key
}

// Error names the type and lists the types that are supported.
func (e *UnsupportedTypeError) Error() string {
	if e.Key {
		return "cookieseal: cannot encode a session map key of type " + e.Type +
			" (keys may be nil, bool, string, int and sized ints, uints, float32, float64, time.Time, time.Duration)"
	}
	return "cookieseal: cannot encode session value of type " + e.Type +
		": call cookieseal.Register(name, value) to carry it as JSON" +
		" (carried without registration: nil, bool, string, int and sized ints, uints, float32, float64, []byte, []string, []int, []float64," +
		" time.Time, time.Duration, []interface{}, map[string]interface{}, map[interface{}]interface{}, map[string]string, map[string]int)"
}

var (
	errBadUTF8 = errors.New("cookieseal: cannot encode a string that is not valid UTF-8 in session values")
	errTooDeep = errors.New("cookieseal: session values nest deeper than 512 JSON levels (a cyclic value?)")
)

// typedEncoder writes the typed form. It counts JSON nesting so that a
// cyclic or absurdly deep value ends in errTooDeep, not a stack overflow.
type typedEncoder struct {
	depth int
}

// appendTyped appends the typed form of v to b.
func appendTyped(b []byte, v any) ([]byte, error) {
	var e typedEncoder
	return e.append(b, v)
}

// appendMap appends the typed form of a session values map, the payload of
// a cookie with the typed flag.
func appendMap(b []byte, m map[any]any) ([]byte, error) {
	var e typedEncoder
	return e.appendMap(b, m)
}

// open appends c, which opens an array or object, and counts the level.
func (e *typedEncoder) open(b []byte, c byte) ([]byte, error) {
	if e.depth++; e.depth > maxDepth {
		return nil, errTooDeep
	}
	return append(b, c), nil
}

func (e *typedEncoder) close(b []byte, c byte) []byte {
	e.depth--
	return append(b, c)
}

// tag opens a tag object and writes its member name and colon.
func (e *typedEncoder) tag(b []byte, tag string) ([]byte, error) {
	b, err := e.open(b, '{')
	if err != nil {
		return nil, err
	}
	b = append(b, '"')
	b = append(b, tag...)
	return append(b, '"', ':'), nil
}

// tagBody writes {"tag":body} for a body that nests no further.
func (e *typedEncoder) tagBody(b []byte, tag string, body func([]byte) []byte) ([]byte, error) {
	b, err := e.tag(b, tag)
	if err != nil {
		return nil, err
	}
	return e.close(body(b), '}'), nil
}

func (e *typedEncoder) tagInt(b []byte, tag string, n int64) ([]byte, error) {
	return e.tagBody(b, tag, func(b []byte) []byte { return strconv.AppendInt(b, n, 10) })
}

func (e *typedEncoder) tagUint(b []byte, tag string, n uint64) ([]byte, error) {
	return e.tagBody(b, tag, func(b []byte) []byte { return strconv.AppendUint(b, n, 10) })
}

func (e *typedEncoder) tagNull(b []byte, tag string) ([]byte, error) {
	return e.tagBody(b, tag, func(b []byte) []byte { return append(b, "null"...) })
}

func (e *typedEncoder) append(b []byte, v any) ([]byte, error) {
	switch x := v.(type) {
	case nil:
		return append(b, "null"...), nil
	case bool:
		return strconv.AppendBool(b, x), nil
	case string:
		return appendString(b, x)
	case int:
		return strconv.AppendInt(b, int64(x), 10), nil
	case int8:
		return e.tagInt(b, tagInt8, int64(x))
	case int16:
		return e.tagInt(b, tagInt16, int64(x))
	case int32:
		return e.tagInt(b, tagInt32, int64(x))
	case int64:
		return e.tagInt(b, tagInt64, x)
	case uint:
		return e.tagUint(b, tagUint, uint64(x))
	case uint8:
		return e.tagUint(b, tagUint8, uint64(x))
	case uint16:
		return e.tagUint(b, tagUint16, uint64(x))
	case uint32:
		return e.tagUint(b, tagUint32, uint64(x))
	case uint64:
		return e.tagUint(b, tagUint64, x)
	case float64:
		if err := checkFloat(x); err != nil {
			return nil, err
		}
		return e.tagBody(b, tagFloat64, func(b []byte) []byte { return appendFloat64(b, x) })
	case float32:
		if err := checkFloat(float64(x)); err != nil {
			return nil, err
		}
		return e.tagBody(b, tagFloat32, func(b []byte) []byte { return appendFloat32(b, x) })
	case time.Duration:
		return e.tagInt(b, tagDuration, int64(x))
	case time.Time:
		if err := checkTime(x); err != nil {
			return nil, err
		}
		return e.tagBody(b, tagTime, func(b []byte) []byte {
			b = append(b, '"')
			b = x.AppendFormat(b, time.RFC3339Nano)
			return append(b, '"')
		})
	case []byte:
		if x == nil {
			return e.tagNull(b, tagBytes)
		}
		return e.tagBody(b, tagBytes, func(b []byte) []byte {
			b = append(b, '"')
			b = base64.StdEncoding.AppendEncode(b, x)
			return append(b, '"')
		})
	case []string:
		if x == nil {
			return e.tagNull(b, tagStrings)
		}
		return e.tagList(b, tagStrings, len(x), func(b []byte, i int) ([]byte, error) { return appendString(b, x[i]) })
	case []int:
		if x == nil {
			return e.tagNull(b, tagInts)
		}
		return e.tagList(b, tagInts, len(x), func(b []byte, i int) ([]byte, error) { return strconv.AppendInt(b, int64(x[i]), 10), nil })
	case []float64:
		if x == nil {
			return e.tagNull(b, tagFloat64s)
		}
		return e.tagList(b, tagFloat64s, len(x), func(b []byte, i int) ([]byte, error) {
			if err := checkFloat(x[i]); err != nil {
				return nil, err
			}
			return appendFloat64(b, x[i]), nil
		})
	case []any:
		if x == nil {
			return e.tagNull(b, tagArray)
		}
		b, err := e.open(b, '[')
		if err != nil {
			return nil, err
		}
		for i, el := range x {
			if i > 0 {
				b = append(b, ',')
			}
			if b, err = e.append(b, el); err != nil {
				return nil, err
			}
		}
		return e.close(b, ']'), nil
	case map[string]any:
		if x == nil {
			return e.tagNull(b, tagObject)
		}
		return e.tagObject(b, tagObject, sortedKeys(x), func(b []byte, k string) ([]byte, error) { return e.append(b, x[k]) })
	case map[string]string:
		if x == nil {
			return e.tagNull(b, tagStringMap)
		}
		return e.tagObject(b, tagStringMap, sortedKeys(x), func(b []byte, k string) ([]byte, error) { return appendString(b, x[k]) })
	case map[string]int:
		if x == nil {
			return e.tagNull(b, tagIntMap)
		}
		return e.tagObject(b, tagIntMap, sortedKeys(x), func(b []byte, k string) ([]byte, error) { return strconv.AppendInt(b, int64(x[k]), 10), nil })
	case map[any]any:
		return e.appendMap(b, x)
	case Named:
		return e.appendNamed(b, x.Name, x.JSON)
	}
	t := reflect.TypeOf(v)
	if name, ok := registeredName(t); ok {
		js, err := json.Marshal(v)
		if err != nil {
			return nil, fmt.Errorf("cookieseal: encoding session value of registered type %v: %w", t, err)
		}
		return e.appendNamed(b, name, js)
	}
	// As gob does, a non-nil pointer to a registered type is flattened: it
	// is written as the value it points to, and decodes as that value.
	if rv := reflect.ValueOf(v); t.Kind() == reflect.Pointer && !rv.IsNil() {
		if _, ok := registeredName(t.Elem()); ok {
			return e.append(b, rv.Elem().Interface())
		}
	}
	return nil, &UnsupportedTypeError{Type: fmt.Sprintf("%T", v)}
}

// tagList writes {"tag":[...]} with n elements written by el.
func (e *typedEncoder) tagList(b []byte, tag string, n int, el func([]byte, int) ([]byte, error)) ([]byte, error) {
	b, err := e.tag(b, tag)
	if err != nil {
		return nil, err
	}
	if b, err = e.open(b, '['); err != nil {
		return nil, err
	}
	for i := 0; i < n; i++ {
		if i > 0 {
			b = append(b, ',')
		}
		if b, err = el(b, i); err != nil {
			return nil, err
		}
	}
	return e.close(e.close(b, ']'), '}'), nil
}

// tagObject writes {"tag":{...}} with the members of keys, which are sorted.
func (e *typedEncoder) tagObject(b []byte, tag string, keys []string, val func([]byte, string) ([]byte, error)) ([]byte, error) {
	b, err := e.tag(b, tag)
	if err != nil {
		return nil, err
	}
	if b, err = e.open(b, '{'); err != nil {
		return nil, err
	}
	for i, k := range keys {
		if i > 0 {
			b = append(b, ',')
		}
		if b, err = appendString(b, k); err != nil {
			return nil, err
		}
		b = append(b, ':')
		if b, err = val(b, k); err != nil {
			return nil, err
		}
	}
	return e.close(e.close(b, '}'), '}'), nil
}

// sortedKeys returns m's keys in the order of their UTF-8 bytes.
func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// appendMap writes a map[interface{}]interface{}: in the object form when
// every key is a string, else in the pair form (SPEC.md section 6.4).
func (e *typedEncoder) appendMap(b []byte, m map[any]any) ([]byte, error) {
	if m == nil {
		return e.tagNull(b, tagMap)
	}
	keys := make([]string, 0, len(m))
	for k := range m {
		s, ok := k.(string)
		if !ok {
			return e.appendPairs(b, m)
		}
		keys = append(keys, s)
	}
	sort.Strings(keys)
	return e.tagObject(b, tagMap, keys, func(b []byte, k string) ([]byte, error) { return e.append(b, m[k]) })
}

// appendPairs writes the pair form: [key, value] pairs sorted by the bytes
// of the encoded key. Keys that encode alike (one instant under two
// *time.Location values, say) would be refused by Decode as duplicates, so
// they are refused here.
func (e *typedEncoder) appendPairs(b []byte, m map[any]any) ([]byte, error) {
	type pair struct {
		enc []byte
		key any
	}
	pairs := make([]pair, 0, len(m))
	for k := range m {
		if !isKeyType(k) {
			return nil, &UnsupportedTypeError{Type: fmt.Sprintf("%T", k), Key: true}
		}
		kb, err := appendTyped(nil, k)
		if err != nil {
			return nil, err
		}
		pairs = append(pairs, pair{kb, k})
	}
	sort.Slice(pairs, func(i, j int) bool { return bytes.Compare(pairs[i].enc, pairs[j].enc) < 0 })
	b, err := e.tag(b, tagMap)
	if err != nil {
		return nil, err
	}
	if b, err = e.open(b, '['); err != nil {
		return nil, err
	}
	for i, p := range pairs {
		if i > 0 {
			if bytes.Equal(pairs[i-1].enc, p.enc) {
				return nil, fmt.Errorf("cookieseal: two session map keys encode alike as %s", p.enc)
			}
			b = append(b, ',')
		}
		if b, err = e.open(b, '['); err != nil {
			return nil, err
		}
		if b, err = e.append(b, p.key); err != nil {
			return nil, err
		}
		b = append(b, ',')
		if b, err = e.append(b, m[p.key]); err != nil {
			return nil, err
		}
		b = e.close(b, ']')
	}
	return e.close(e.close(b, ']'), '}'), nil
}

// isKeyType reports whether k may be a key of the pair form (SPEC.md 6.4).
func isKeyType(k any) bool {
	switch k.(type) {
	case nil, bool, string, int, int8, int16, int32, int64, uint, uint8, uint16, uint32, uint64,
		float32, float64, time.Time, time.Duration:
		return true
	}
	return false
}

// appendNamed writes {"named":[name,JSON]}. The JSON must pass the same
// strict rules an opener applies, nested where it will be; it is written
// without insignificant white space.
func (e *typedEncoder) appendNamed(b []byte, name string, js []byte) ([]byte, error) {
	p := typedParser{data: js, depth: e.depth + 2}
	if err := p.skipValue(); err != nil {
		if errors.Is(err, errParseDepth) {
			return nil, errTooDeep
		}
		return nil, fmt.Errorf("cookieseal: the JSON of named session value %q: %w", name, err)
	}
	if p.space(); p.i != len(js) {
		return nil, fmt.Errorf("cookieseal: the JSON of named session value %q has data after the value", name)
	}
	b, err := e.tag(b, tagNamed)
	if err != nil {
		return nil, err
	}
	if b, err = e.open(b, '['); err != nil {
		return nil, err
	}
	if b, err = appendString(b, name); err != nil {
		return nil, err
	}
	b = append(b, ',')
	var buf bytes.Buffer
	if err := json.Compact(&buf, js); err != nil {
		return nil, fmt.Errorf("cookieseal: the JSON of named session value %q: %w", name, err)
	}
	b = append(b, buf.Bytes()...)
	return e.close(e.close(b, ']'), '}'), nil
}

// checkFloat refuses NaN and the infinities, which JSON cannot write.
func checkFloat(f float64) error {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return fmt.Errorf("cookieseal: cannot encode %v in session values", f)
	}
	return nil
}

// checkTime refuses a time the typed form cannot carry exactly: a year
// outside 0000-9999, or an offset that is not whole minutes strictly within
// 24 hours (SPEC.md section 6.5).
func checkTime(t time.Time) error {
	if y := t.Year(); y < 0 || y > 9999 {
		return fmt.Errorf("cookieseal: cannot encode time.Time in year %d in session values (years 0000-9999 only)", y)
	}
	_, off := t.Zone()
	if off%60 != 0 || off <= -24*3600 || off >= 24*3600 {
		return fmt.Errorf("cookieseal: cannot encode time.Time with UTC offset %ds in session values (whole minutes within 24h only; use t.UTC() or t.Truncate)", off)
	}
	return nil
}

// appendString writes s as a JSON string in the canonical spelling
// (SPEC.md section 6.2): `"` and `\` escaped with a backslash, \b \f \n \r \t
// for those controls, \u00xx (lowercase hex) for the other controls below
// U+0020, everything else as its UTF-8 bytes. It refuses invalid UTF-8,
// which JSON would silently replace.
func appendString(b []byte, s string) ([]byte, error) {
	if !utf8.ValidString(s) {
		return nil, errBadUTF8
	}
	const hex = "0123456789abcdef"
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 0x20 && c != '"' && c != '\\' {
			continue
		}
		b = append(b, s[start:i]...)
		switch c {
		case '"', '\\':
			b = append(b, '\\', c)
		case '\b':
			b = append(b, '\\', 'b')
		case '\f':
			b = append(b, '\\', 'f')
		case '\n':
			b = append(b, '\\', 'n')
		case '\r':
			b = append(b, '\\', 'r')
		case '\t':
			b = append(b, '\\', 't')
		default:
			b = append(b, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xf])
		}
		start = i + 1
	}
	b = append(b, s[start:]...)
	return append(b, '"'), nil
}

// Floats (SPEC.md section 6.2): the shortest decimal that reads back as the
// same value, laid out as ECMAScript's Number::toString lays it out, with
// "-0" for negative zero.

// appendFloat64 appends the canonical spelling of a finite float64.
func appendFloat64(b []byte, f float64) []byte {
	if f == 0 {
		if math.Signbit(f) {
			return append(b, '-', '0')
		}
		return append(b, '0')
	}
	var tmp, dig [32]byte
	e := strconv.AppendFloat(tmp[:0], f, 'e', -1, 64) // [-]d[.ddd]e±dd: the shortest, closest digits
	neg := e[0] == '-'
	if neg {
		e = e[1:]
	}
	mant, exp, _ := bytes.Cut(e, []byte{'e'})
	digits := append(dig[:0], mant[0])
	if len(mant) > 2 {
		digits = append(digits, mant[2:]...)
	}
	x, _ := strconv.Atoi(string(exp))
	return appendDecimal(b, neg, digits, x+1)
}

// appendFloat32 appends the canonical spelling of a finite float32: the
// shortest digits that read back, through float64, as the same float32.
func appendFloat32(b []byte, f float32) []byte {
	if f == 0 {
		if math.Signbit(float64(f)) {
			return append(b, '-', '0')
		}
		return append(b, '0')
	}
	x := float64(f)
	digits, n := shortestDigits(math.Abs(x), 112, func(v float64) bool { g, ok := toFloat32(v); return ok && g == float32(math.Abs(x)) })
	return appendDecimal(b, x < 0, digits, n)
}

// shortestDigits returns the digits s (no trailing zeros) and the exponent
// n of the decimal 0.s × 10^n with the fewest significant digits whose
// float64 reading satisfies ok, the closest to x among those, the even one
// on a tie. x must be positive and exactly representable in prec
// significant digits.
func shortestDigits(x float64, prec int, ok func(float64) bool) ([]byte, int) {
	exact := strconv.AppendFloat(nil, x, 'e', prec, 64)
	mant, exp, _ := bytes.Cut(exact, []byte{'e'})
	all := append([]byte{mant[0]}, mant[2:]...)
	e10, _ := strconv.Atoi(string(exp))
	read := func(d []byte, n int) float64 {
		v, _ := strconv.ParseFloat(string(d)+"e"+strconv.Itoa(n-len(d)), 64)
		return v
	}
	for p := 1; p < len(all); p++ {
		lo, rest := all[:p], all[p:]
		if len(bytes.TrimRight(rest, "0")) == 0 {
			return bytes.TrimRight(append([]byte(nil), lo...), "0"), e10 + 1
		}
		hi, hn := increment(lo), e10+1
		if len(hi) > p {
			hn++
		}
		okLo, okHi := ok(read(lo, e10+1)), ok(read(hi, hn))
		if !okLo && !okHi {
			continue
		}
		useHi := okHi
		if okLo && okHi {
			half := append([]byte{'5'}, bytes.Repeat([]byte{'0'}, len(rest)-1)...)
			switch c := bytes.Compare(rest, half); {
			case c < 0:
				useHi = false
			case c == 0:
				useHi = (lo[p-1]-'0')%2 == 1
			}
		}
		if useHi {
			return bytes.TrimRight(hi, "0"), hn
		}
		return bytes.TrimRight(append([]byte(nil), lo...), "0"), e10 + 1
	}
	return bytes.TrimRight(all, "0"), e10 + 1
}

// increment returns the decimal digits d plus one unit in the last place,
// one digit longer when it carries out ("99" gives "100").
func increment(d []byte) []byte {
	out := append([]byte(nil), d...)
	for i := len(out) - 1; i >= 0; i-- {
		if out[i] < '9' {
			out[i]++
			return out
		}
		out[i] = '0'
	}
	return append([]byte{'1'}, out...)
}

// appendDecimal lays out 0.digits × 10^n (digits without trailing zeros) as
// ECMAScript's Number::toString does (ECMA-262, Number::toString, steps for
// radix 10), with k = len(digits).
func appendDecimal(b []byte, neg bool, digits []byte, n int) []byte {
	if neg {
		b = append(b, '-')
	}
	k := len(digits)
	switch {
	case k <= n && n <= 21:
		b = append(b, digits...)
		for i := k; i < n; i++ {
			b = append(b, '0')
		}
	case 0 < n && n <= 21:
		b = append(b, digits[:n]...)
		b = append(b, '.')
		b = append(b, digits[n:]...)
	case -6 < n && n <= 0:
		b = append(b, '0', '.')
		for i := n; i < 0; i++ {
			b = append(b, '0')
		}
		b = append(b, digits...)
	default:
		b = append(b, digits[0])
		if k > 1 {
			b = append(b, '.')
			b = append(b, digits[1:]...)
		}
		b = append(b, 'e')
		if n-1 >= 0 {
			b = append(b, '+')
		}
		b = strconv.AppendInt(b, int64(n-1), 10)
	}
	return b
}

// float32Overflow is the smallest magnitude that rounds (to nearest, ties to
// even) to an infinite float32: MaxFloat32 plus half of its ulp.
const float32Overflow = 0x1.ffffffp127

// toFloat32 rounds a float64 to the nearest float32, ties to even, and
// reports false when that is infinite (SPEC.md section 6.2).
func toFloat32(f float64) (float32, bool) {
	switch a := math.Abs(f); {
	case a >= float32Overflow || math.IsNaN(f):
		return 0, false
	case a > math.MaxFloat32:
		return float32(math.Copysign(math.MaxFloat32, f)), true
	}
	return float32(f), true
}

// Named types.

// Named is a session value of a type that the program which sealed it gave
// to [Register] under Name and that this program has not registered: its
// JSON as sealed, without insignificant white space. Encode writes it back
// unchanged, so a session passes through a program that does not know the
// type.
type Named struct {
	Name string          // the name given to Register by the sealing program
	JSON json.RawMessage // the value's JSON, compact
}

var registry struct {
	sync.RWMutex
	byName map[string]reflect.Type
	byType map[reflect.Type]string
}

// Register lets session values hold values of value's dynamic type, as
// gob.Register does for gob: Encode writes such a value as its
// encoding/json JSON under name, and Decode gives back a value of the same
// type (a pointer if value is a pointer). As with gob, a non-nil pointer to a
// registered type (not itself registered) is written as the value it points
// to and decodes as that value. Register every type under the same
// name in every program that seals or opens the cookies; a program that has
// not registered a name opens the value as a [Named].
//
// Register panics if name is empty or not valid UTF-8, if name or the type
// is already registered with another type or name, or if the typed form
// already carries the type without registration. Call it from init.
func Register(name string, value any) {
	t := reflect.TypeOf(value)
	switch {
	case name == "" || !utf8.ValidString(name):
		panic(fmt.Sprintf("cookieseal: Register: name %q must be non-empty valid UTF-8", name))
	case t == nil:
		panic("cookieseal: Register: nil value")
	case carriedNatively(value):
		panic(fmt.Sprintf("cookieseal: Register: %v is carried without registration", t))
	}
	registry.Lock()
	defer registry.Unlock()
	if registry.byName == nil {
		registry.byName = make(map[string]reflect.Type)
		registry.byType = make(map[reflect.Type]string)
	}
	if old, ok := registry.byName[name]; ok && old != t {
		panic(fmt.Sprintf("cookieseal: Register: name %q already registered for %v", name, old))
	}
	if old, ok := registry.byType[t]; ok && old != name {
		panic(fmt.Sprintf("cookieseal: Register: %v already registered as %q", t, old))
	}
	registry.byName[name] = t
	registry.byType[t] = name
}

// carriedNatively reports whether the typed form writes v without
// registration.
func carriedNatively(v any) bool {
	switch v.(type) {
	case bool, string, int, int8, int16, int32, int64, uint, uint8, uint16, uint32, uint64,
		float32, float64, time.Duration, time.Time, []byte, []string, []int, []float64, []any,
		map[string]any, map[string]string, map[string]int, map[any]any, Named:
		return true
	}
	return false
}

func registeredName(t reflect.Type) (string, bool) {
	registry.RLock()
	defer registry.RUnlock()
	name, ok := registry.byType[t]
	return name, ok
}

func registeredType(name string) (reflect.Type, bool) {
	registry.RLock()
	defer registry.RUnlock()
	t, ok := registry.byName[name]
	return t, ok
}

// decodeJSON parses one JSON value with numbers kept as json.Number and
// refuses anything after it. It gives exactly what decodeJSONStd gives, which
// it falls back to for any input json.Valid refuses (so the errors are the
// standard ones); on valid input a direct parse skips json.Decoder's copy,
// second scan and reflection.
func decodeJSON(data []byte) (any, error) {
	if !json.Valid(data) {
		return decodeJSONStd(data)
	}
	p := validJSON{data: data}
	v, ok := p.value()
	if !ok {
		return decodeJSONStd(data) // unreachable on valid JSON
	}
	return v, nil
}

// validJSON parses JSON that json.Valid accepted into the tree json.Decoder
// with UseNumber builds: map[string]interface{}, []interface{} (never nil),
// string, json.Number, bool and nil. It reports false on anything it does
// not expect rather than guess.
type validJSON struct {
	data []byte
	i    int
}

func (p *validJSON) skipSpace() {
	for p.i < len(p.data) {
		switch p.data[p.i] {
		case ' ', '\t', '\n', '\r':
			p.i++
		default:
			return
		}
	}
}

func (p *validJSON) value() (any, bool) {
	p.skipSpace()
	if p.i >= len(p.data) {
		return nil, false
	}
	switch c := p.data[p.i]; {
	case c == '{':
		p.i++
		m := make(map[string]any)
		p.skipSpace()
		if p.i < len(p.data) && p.data[p.i] == '}' {
			p.i++
			return m, true
		}
		for {
			p.skipSpace()
			k, ok := p.str()
			if !ok {
				return nil, false
			}
			p.skipSpace()
			if p.i >= len(p.data) || p.data[p.i] != ':' {
				return nil, false
			}
			p.i++
			v, ok := p.value()
			if !ok {
				return nil, false
			}
			m[k] = v // the last of duplicate names wins, as in encoding/json
			p.skipSpace()
			if p.i >= len(p.data) {
				return nil, false
			}
			p.i++
			switch p.data[p.i-1] {
			case ',':
			case '}':
				return m, true
			default:
				return nil, false
			}
		}
	case c == '[':
		p.i++
		a := make([]any, 0)
		p.skipSpace()
		if p.i < len(p.data) && p.data[p.i] == ']' {
			p.i++
			return a, true
		}
		for {
			v, ok := p.value()
			if !ok {
				return nil, false
			}
			a = append(a, v)
			p.skipSpace()
			if p.i >= len(p.data) {
				return nil, false
			}
			p.i++
			switch p.data[p.i-1] {
			case ',':
			case ']':
				return a, true
			default:
				return nil, false
			}
		}
	case c == '"':
		return p.str()
	case c == 't':
		return true, p.literal("true")
	case c == 'f':
		return false, p.literal("false")
	case c == 'n':
		return nil, p.literal("null")
	case c == '-' || '0' <= c && c <= '9':
		start := p.i
		for p.i < len(p.data) && strings.IndexByte("0123456789+-.eE", p.data[p.i]) >= 0 {
			p.i++
		}
		return json.Number(p.data[start:p.i]), true
	}
	return nil, false
}

func (p *validJSON) literal(lit string) bool {
	if !bytes.HasPrefix(p.data[p.i:], []byte(lit)) {
		return false
	}
	p.i += len(lit)
	return true
}

// str parses a string. Without escapes and in valid UTF-8 its bytes are the
// value; otherwise encoding/json unquotes it, so escapes, surrogates and
// invalid UTF-8 come out exactly as the standard decoder has them.
func (p *validJSON) str() (string, bool) {
	if p.i >= len(p.data) || p.data[p.i] != '"' {
		return "", false
	}
	start := p.i
	plain := true
	for p.i++; p.i < len(p.data); p.i++ {
		switch c := p.data[p.i]; {
		case c == '\\':
			plain = false
			p.i++ // the escaped byte cannot end the string
		case c == '"':
			p.i++
			tok := p.data[start:p.i]
			if body := tok[1 : len(tok)-1]; plain && utf8.Valid(body) {
				return string(body), true
			}
			var s string
			if err := json.Unmarshal(tok, &s); err != nil {
				return "", false
			}
			return s, true
		}
	}
	return "", false
}

// decodeJSONStd is decodeJSON with the standard decoder alone.
func decodeJSONStd(data []byte) (any, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, err
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, errors.New("data after the JSON value")
	}
	return v, nil
}

// Typed-form parsing (SPEC.md section 6). typedParser reads the payload's
// bytes directly and refuses, on its own, everything section 6 refuses:
// besides the typed grammar it checks the JSON rules (UTF-8, escapes,
// duplicate member names, number grammar, depth), so it is correct whether
// or not a strict JSON validator ran first.
type typedParser struct {
	data  []byte
	i     int
	depth int
	// raw skips the Register lookup: a named value stays a Named. For
	// validating a payload that is handed over as JSON.
	raw bool
}

var (
	errParseDepth = errors.New("JSON nests deeper than 512 levels")
	errParseEnd   = errors.New("unexpected end of JSON")
)

// parseTypedPayload parses a typed payload: exactly one map tag, nothing
// after it but white space.
func parseTypedPayload(data []byte, raw bool) (map[any]any, error) {
	p := typedParser{data: data, raw: raw}
	p.space()
	if p.i >= len(p.data) || p.data[p.i] != '{' {
		return nil, errors.New("typed payload is not a map tag")
	}
	v, err := p.value()
	if err != nil {
		return nil, err
	}
	m, ok := v.(map[any]any)
	if !ok {
		return nil, fmt.Errorf("typed payload holds %T, not a map tag", v)
	}
	if p.space(); p.i != len(p.data) {
		return nil, errors.New("data after the JSON value")
	}
	return m, nil
}

func (p *typedParser) space() {
	for p.i < len(p.data) {
		switch p.data[p.i] {
		case ' ', '\t', '\n', '\r':
			p.i++
		default:
			return
		}
	}
}

// peek skips white space and returns the next byte, 0 at the end.
func (p *typedParser) peek() byte {
	p.space()
	if p.i >= len(p.data) {
		return 0
	}
	return p.data[p.i]
}

func (p *typedParser) expect(c byte) error {
	if got := p.peek(); got != c {
		if got == 0 {
			return errParseEnd
		}
		return fmt.Errorf("offset %d: %q where %q belongs", p.i, got, c)
	}
	p.i++
	return nil
}

// list parses an array or object body after its opening byte has been
// checked: open counts the level, el parses each element, end is ']' or '}'.
func (p *typedParser) list(end byte, el func() error) error {
	p.i++ // the opening '[' or '{'
	if p.depth++; p.depth > maxDepth {
		return errParseDepth
	}
	if p.peek() == end {
		p.i++
		p.depth--
		return nil
	}
	for {
		if err := el(); err != nil {
			return err
		}
		switch p.peek() {
		case ',':
			p.i++
		case end:
			p.i++
			p.depth--
			return nil
		case 0:
			return errParseEnd
		default:
			return fmt.Errorf("offset %d: %q where ',' or %q belongs", p.i, p.data[p.i], end)
		}
	}
}

// object parses a JSON object, calling member for each name after its
// colon. Duplicate names (after unescaping) are refused here.
func (p *typedParser) object(member func(name string) error) error {
	if p.peek() != '{' {
		return p.unexpected("an object")
	}
	var seen map[string]struct{}
	return p.list('}', func() error {
		if p.peek() != '"' {
			return p.unexpected("a member name")
		}
		name, err := p.str()
		if err != nil {
			return err
		}
		if seen == nil {
			seen = make(map[string]struct{})
		}
		if _, dup := seen[name]; dup {
			return fmt.Errorf("duplicate member name %q", name)
		}
		seen[name] = struct{}{}
		if err := p.expect(':'); err != nil {
			return err
		}
		return member(name)
	})
}

// array parses a JSON array, calling el for each element.
func (p *typedParser) array(el func() error) error {
	if p.peek() != '[' {
		return p.unexpected("an array")
	}
	return p.list(']', el)
}

func (p *typedParser) unexpected(want string) error {
	if p.peek() == 0 {
		return errParseEnd
	}
	return fmt.Errorf("offset %d: %q where %s belongs", p.i, p.data[p.i], want)
}

// null consumes a null and reports true, or reports false and consumes
// nothing.
func (p *typedParser) null() bool {
	if p.peek() == 'n' && bytes.HasPrefix(p.data[p.i:], []byte("null")) {
		p.i += 4
		return true
	}
	return false
}

// value parses one typed value.
func (p *typedParser) value() (any, error) {
	switch c := p.peek(); {
	case c == '{':
		return p.tagged()
	case c == '[':
		out := []any{}
		err := p.array(func() error {
			v, err := p.value()
			out = append(out, v)
			return err
		})
		if err != nil {
			return nil, err
		}
		return out, nil
	case c == '"':
		return p.str()
	case c == 't' || c == 'f':
		if bytes.HasPrefix(p.data[p.i:], []byte("true")) {
			p.i += 4
			return true, nil
		}
		if bytes.HasPrefix(p.data[p.i:], []byte("false")) {
			p.i += 5
			return false, nil
		}
	case c == 'n':
		if p.null() {
			return nil, nil
		}
	case c == '-' || '0' <= c && c <= '9':
		n, err := p.integer(strconv.IntSize)
		return int(n), err
	case c == 0:
		return nil, errParseEnd
	}
	return nil, p.unexpected("a value")
}

// tagged parses a tag object: exactly one member, whose name is the tag.
func (p *typedParser) tagged() (any, error) {
	p.i++ // '{'
	if p.depth++; p.depth > maxDepth {
		return nil, errParseDepth
	}
	if p.peek() != '"' {
		return nil, errors.New("a tag object must have exactly one member")
	}
	tag, err := p.str()
	if err != nil {
		return nil, err
	}
	if err := p.expect(':'); err != nil {
		return nil, err
	}
	v, err := p.body(tag)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", tag, err)
	}
	if c := p.peek(); c != '}' {
		if c == ',' {
			return nil, fmt.Errorf("tag %q: a tag object must have exactly one member", tag)
		}
		return nil, p.unexpected("'}'")
	}
	p.i++
	p.depth--
	return v, nil
}

// objectBody parses the body of a tag whose Go type is map[string]T: null
// for the nil map, else an object whose members elem parses.
func objectBody[T any](p *typedParser, elem func() (T, error)) (map[string]T, error) {
	if p.null() {
		return nil, nil
	}
	m := make(map[string]T)
	err := p.object(func(k string) error {
		v, err := elem()
		m[k] = v
		return err
	})
	return m, err
}

// arrayBody parses the body of a tag whose Go type is []T: null for the nil
// slice, else an array (possibly empty, never nil) whose elements elem parses.
func arrayBody[T any](p *typedParser, elem func() (T, error)) ([]T, error) {
	if p.null() {
		return nil, nil
	}
	out := []T{}
	err := p.array(func() error {
		v, err := elem()
		out = append(out, v)
		return err
	})
	return out, err
}

// body parses the body of a tag.
func (p *typedParser) body(tag string) (any, error) {
	switch tag {
	case tagMap:
		return p.mapBody()
	case tagObject:
		return objectBody(p, p.value)
	case tagStringMap:
		return objectBody(p, p.strValue)
	case tagIntMap:
		return objectBody(p, func() (int, error) {
			n, err := p.integer(strconv.IntSize)
			return int(n), err
		})
	case tagArray:
		if p.null() {
			return []any(nil), nil
		}
		return nil, errors.New("the body must be null (a non-nil list is a bare array)")
	case tagStrings:
		return arrayBody(p, p.strValue)
	case tagInts:
		return arrayBody(p, func() (int, error) {
			n, err := p.integer(strconv.IntSize)
			return int(n), err
		})
	case tagFloat64s:
		return arrayBody(p, p.float)
	case tagBytes:
		if p.null() {
			return []byte(nil), nil
		}
		s, err := p.strValue()
		if err != nil {
			return nil, err
		}
		return decodeStdBase64(s)
	case tagTime:
		s, err := p.strValue()
		if err != nil {
			return nil, err
		}
		return parseTime(s)
	case tagDuration:
		n, err := p.integer(64)
		return time.Duration(n), err
	case tagNamed:
		return p.named()
	case tagFloat64:
		return p.float()
	case tagFloat32:
		f, err := p.float()
		if err != nil {
			return nil, err
		}
		g, ok := toFloat32(f)
		if !ok {
			return nil, errors.New("out of the float32 range")
		}
		return g, nil
	case tagInt8:
		n, err := p.integer(8)
		return int8(n), err
	case tagInt16:
		n, err := p.integer(16)
		return int16(n), err
	case tagInt32:
		n, err := p.integer(32)
		return int32(n), err
	case tagInt64:
		return p.integer(64)
	case tagUint:
		n, err := p.unsigned(strconv.IntSize)
		return uint(n), err
	case tagUint8:
		n, err := p.unsigned(8)
		return uint8(n), err
	case tagUint16:
		n, err := p.unsigned(16)
		return uint16(n), err
	case tagUint32:
		n, err := p.unsigned(32)
		return uint32(n), err
	case tagUint64:
		return p.unsigned(64)
	}
	return nil, errors.New("unknown type tag")
}

// mapBody parses the body of a map tag: null, the object form, or the pair
// form.
func (p *typedParser) mapBody() (any, error) {
	if p.null() {
		return map[any]any(nil), nil
	}
	m := make(map[any]any)
	if p.peek() == '{' {
		err := p.object(func(k string) error {
			v, err := p.value()
			m[k] = v
			return err
		})
		return m, err
	}
	err := p.array(func() error {
		if p.peek() != '[' {
			return p.unexpected("a [key, value] pair")
		}
		p.i++
		if p.depth++; p.depth > maxDepth {
			return errParseDepth
		}
		k, err := p.value()
		if err != nil {
			return err
		}
		if !isKeyType(k) {
			return fmt.Errorf("a map key of type %T", k)
		}
		if _, dup := m[k]; dup {
			return errors.New("duplicate map key")
		}
		if err := p.expect(','); err != nil {
			return err
		}
		v, err := p.value()
		if err != nil {
			return err
		}
		if err := p.expect(']'); err != nil {
			return fmt.Errorf("a map pair: %w", err)
		}
		p.depth--
		m[k] = v
		return nil
	})
	return m, err
}

// strValue parses a JSON string where a string must be.
func (p *typedParser) strValue() (string, error) {
	if p.peek() != '"' {
		return "", p.unexpected("a string")
	}
	return p.str()
}

// str parses a JSON string at p.i: valid UTF-8, no raw control characters,
// only the escapes of RFC 8259, surrogate escapes in high-low pairs only.
func (p *typedParser) str() (string, error) {
	p.i++ // '"'
	start := p.i
	for p.i < len(p.data) {
		c := p.data[p.i]
		if c == '"' {
			s := p.data[start:p.i]
			if !utf8.Valid(s) {
				return "", errors.New("string is not valid UTF-8")
			}
			p.i++
			return string(s), nil
		}
		if c == '\\' {
			break
		}
		if c < 0x20 {
			return "", fmt.Errorf("offset %d: unescaped control character in a string", p.i)
		}
		p.i++
	}
	buf := append([]byte(nil), p.data[start:p.i]...)
	for p.i < len(p.data) {
		c := p.data[p.i]
		switch {
		case c == '"':
			p.i++
			if !utf8.Valid(buf) {
				return "", errors.New("string is not valid UTF-8")
			}
			return string(buf), nil
		case c < 0x20:
			return "", fmt.Errorf("offset %d: unescaped control character in a string", p.i)
		case c != '\\':
			buf = append(buf, c)
			p.i++
			continue
		}
		if p.i+1 >= len(p.data) {
			return "", errParseEnd
		}
		p.i += 2
		switch e := p.data[p.i-1]; e {
		case '"', '\\', '/':
			buf = append(buf, e)
		case 'b':
			buf = append(buf, '\b')
		case 'f':
			buf = append(buf, '\f')
		case 'n':
			buf = append(buf, '\n')
		case 'r':
			buf = append(buf, '\r')
		case 't':
			buf = append(buf, '\t')
		case 'u':
			r, ok := p.hex4()
			if !ok {
				return "", fmt.Errorf("offset %d: bad \\u escape", p.i)
			}
			if 0xdc00 <= r && r <= 0xdfff {
				return "", fmt.Errorf("offset %d: lone low surrogate escape", p.i)
			}
			if 0xd800 <= r && r <= 0xdbff {
				if !bytes.HasPrefix(p.data[p.i:], []byte(`\u`)) {
					return "", fmt.Errorf("offset %d: lone high surrogate escape", p.i)
				}
				p.i += 2
				lo, ok := p.hex4()
				if !ok || lo < 0xdc00 || lo > 0xdfff {
					return "", fmt.Errorf("offset %d: high surrogate escape without a low one", p.i)
				}
				r = 0x10000 + (r-0xd800)<<10 + (lo - 0xdc00)
			}
			buf = utf8.AppendRune(buf, r)
		default:
			return "", fmt.Errorf("offset %d: bad escape \\%c", p.i, e)
		}
	}
	return "", errParseEnd
}

// hex4 reads the four hex digits of a \u escape.
func (p *typedParser) hex4() (rune, bool) {
	if p.i+4 > len(p.data) {
		return 0, false
	}
	var r rune
	for _, c := range p.data[p.i : p.i+4] {
		switch {
		case '0' <= c && c <= '9':
			r = r<<4 | rune(c-'0')
		case 'a' <= c && c <= 'f':
			r = r<<4 | rune(c-'a'+10)
		case 'A' <= c && c <= 'F':
			r = r<<4 | rune(c-'A'+10)
		default:
			return 0, false
		}
	}
	p.i += 4
	return r, true
}

// number scans a JSON number (RFC 8259 grammar) and returns its text.
func (p *typedParser) number() ([]byte, error) {
	p.space()
	start := p.i
	digits := func() int {
		n := 0
		for p.i < len(p.data) && '0' <= p.data[p.i] && p.data[p.i] <= '9' {
			p.i++
			n++
		}
		return n
	}
	if p.i < len(p.data) && p.data[p.i] == '-' {
		p.i++
	}
	switch {
	case p.i < len(p.data) && p.data[p.i] == '0':
		p.i++
	case digits() == 0:
		p.i = start
		return nil, p.unexpected("a number")
	}
	if p.i < len(p.data) && p.data[p.i] == '.' {
		p.i++
		if digits() == 0 {
			return nil, fmt.Errorf("offset %d: a fraction without digits", p.i)
		}
	}
	if p.i < len(p.data) && (p.data[p.i] == 'e' || p.data[p.i] == 'E') {
		p.i++
		if p.i < len(p.data) && (p.data[p.i] == '+' || p.data[p.i] == '-') {
			p.i++
		}
		if digits() == 0 {
			return nil, fmt.Errorf("offset %d: an exponent without digits", p.i)
		}
	}
	return p.data[start:p.i], nil
}

// integerText scans a number that must be written as an integer: no
// fraction, no exponent, not -0.
func (p *typedParser) integerText() (string, error) {
	tok, err := p.number()
	if err != nil {
		return "", err
	}
	if bytes.ContainsAny(tok, ".eE") || string(tok) == "-0" {
		return "", fmt.Errorf("%s is not written as an integer", tok)
	}
	return string(tok), nil
}

// integer parses an integer that fits a signed integer of bits bits.
func (p *typedParser) integer(bits int) (int64, error) {
	s, err := p.integerText()
	if err != nil {
		return 0, err
	}
	n, err := strconv.ParseInt(s, 10, bits)
	if err != nil {
		return 0, fmt.Errorf("%s is out of the int%d range", s, bits)
	}
	return n, nil
}

// unsigned parses an integer that fits an unsigned integer of bits bits.
func (p *typedParser) unsigned(bits int) (uint64, error) {
	s, err := p.integerText()
	if err != nil {
		return 0, err
	}
	n, err := strconv.ParseUint(s, 10, bits)
	if err != nil {
		return 0, fmt.Errorf("%s is out of the uint%d range", s, bits)
	}
	return n, nil
}

// float parses any JSON number to the nearest float64; one that rounds to
// an infinity is refused.
func (p *typedParser) float() (float64, error) {
	tok, err := p.number()
	if err != nil {
		return 0, err
	}
	f, err := strconv.ParseFloat(string(tok), 64)
	if err != nil || math.IsInf(f, 0) {
		return 0, fmt.Errorf("%s is out of the float64 range", tok)
	}
	return f, nil
}

// named parses [name, JSON]: the value of a registered type, or a Named.
func (p *typedParser) named() (any, error) {
	var name string
	var raw []byte
	n := 0
	err := p.array(func() error {
		switch n++; n {
		case 1:
			s, err := p.strValue()
			name = s
			return err
		case 2:
			p.space()
			start := p.i
			if err := p.skipValue(); err != nil {
				return err
			}
			raw = p.data[start:p.i]
			return nil
		}
		return errors.New("named value with more than a name and a value")
	})
	if err != nil {
		return nil, err
	}
	if n != 2 {
		return nil, errors.New("named value without a name and a value")
	}
	var buf bytes.Buffer
	if err := json.Compact(&buf, raw); err != nil {
		return nil, err
	}
	if !p.raw {
		if t, ok := registeredType(name); ok {
			v := reflect.New(t)
			if err := json.Unmarshal(buf.Bytes(), v.Interface()); err != nil {
				return nil, fmt.Errorf("%q into %v: %w", name, t, err)
			}
			return v.Elem().Interface(), nil
		}
	}
	return Named{Name: name, JSON: json.RawMessage(buf.Bytes())}, nil
}

// skipValue checks one plain JSON value (strict: the rules of the plain
// payload) and moves past it.
func (p *typedParser) skipValue() error {
	switch c := p.peek(); {
	case c == '{':
		return p.object(func(string) error { return p.skipValue() })
	case c == '[':
		return p.array(p.skipValue)
	case c == '"':
		_, err := p.str()
		return err
	case c == 't' && bytes.HasPrefix(p.data[p.i:], []byte("true")):
		p.i += 4
		return nil
	case c == 'f' && bytes.HasPrefix(p.data[p.i:], []byte("false")):
		p.i += 5
		return nil
	case c == 'n' && p.null():
		return nil
	case c == '-' || '0' <= c && c <= '9':
		_, err := p.float()
		return err
	}
	return p.unexpected("a value")
}

// decodeStdBase64 decodes standard base64 with padding, strictly: only the
// alphabet and final padding, a length that is a multiple of 4, zero
// trailing bits. (encoding/base64 alone would skip CR and LF.)
func decodeStdBase64(s string) ([]byte, error) {
	if strings.ContainsAny(s, "\r\n") {
		return nil, errors.New("base64 with a line break")
	}
	return base64.StdEncoding.Strict().DecodeString(s)
}

// parseTime parses the time grammar of SPEC.md section 6.5:
// YYYY-MM-DDTHH:MM:SS[.F{1,9}](Z|±HH:MM), a real calendar date, no leap
// second, the offset within ±23:59.
func parseTime(s string) (time.Time, error) {
	bad := func(why string) (time.Time, error) {
		return time.Time{}, fmt.Errorf("time %q: %s", s, why)
	}
	num := func(i, n int) int {
		v := 0
		for _, c := range []byte(s[i : i+n]) {
			if c < '0' || c > '9' {
				return -1
			}
			v = v*10 + int(c-'0')
		}
		return v
	}
	if len(s) < 20 || s[4] != '-' || s[7] != '-' || s[10] != 'T' || s[13] != ':' || s[16] != ':' {
		return bad("not YYYY-MM-DDTHH:MM:SS")
	}
	y, mo, d, h, mi, sec := num(0, 4), num(5, 2), num(8, 2), num(11, 2), num(14, 2), num(17, 2)
	if y < 0 || mo < 1 || mo > 12 || d < 1 || d > daysIn(mo, y) || h < 0 || h > 23 || mi < 0 || mi > 59 || sec < 0 || sec > 59 {
		return bad("no such date and time")
	}
	i, ns := 19, 0
	if s[i] == '.' {
		i++
		n := 0
		for i < len(s) && '0' <= s[i] && s[i] <= '9' {
			if n++; n > 9 {
				return bad("more than 9 fraction digits")
			}
			ns = ns*10 + int(s[i]-'0')
			i++
		}
		if n == 0 {
			return bad("a fraction without digits")
		}
		for ; n < 9; n++ {
			ns *= 10
		}
	}
	off := 0
	switch rest := s[i:]; {
	case rest == "Z":
	case len(rest) == 6 && (rest[0] == '+' || rest[0] == '-') && rest[3] == ':':
		oh, om := num(i+1, 2), num(i+4, 2)
		if oh < 0 || oh > 23 || om < 0 || om > 59 {
			return bad("offset out of range")
		}
		if off = oh*60 + om; rest[0] == '-' {
			off = -off
		}
	default:
		return bad("no offset (Z or ±HH:MM)")
	}
	return time.Date(y, time.Month(mo), d, h, mi, sec, ns, fixedZone(off)), nil
}

// daysIn returns the days of month mo in year y (proleptic Gregorian).
func daysIn(mo, y int) int {
	switch mo {
	case 2:
		if y%4 == 0 && (y%100 != 0 || y%400 == 0) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}

// fixedZones holds one *time.Location per offset in minutes, so that equal
// times decode to equal time.Time values (usable as map keys).
var fixedZones [2*(24*60-1) + 1]atomic.Pointer[time.Location]

// fixedZone returns the location of an offset of min minutes: time.UTC for
// 0, else a fixed zone shared by every decoded time with that offset.
func fixedZone(min int) *time.Location {
	if min == 0 {
		return time.UTC
	}
	z := &fixedZones[min+24*60-1]
	if l := z.Load(); l != nil {
		return l
	}
	z.CompareAndSwap(nil, time.FixedZone("", min*60))
	return z.Load()
}

// plainToValues turns a plain JSON object (decoded with UseNumber) into
// session values: integers become int, other numbers float64, nested objects
// map[string]interface{}.
func plainToValues(v any) (map[any]any, error) {
	obj, ok := v.(map[string]any)
	if !ok {
		return nil, fmt.Errorf("JSON %s is not an object", jsonKind(v))
	}
	m := make(map[any]any, len(obj))
	for k, e := range obj {
		m[k] = plainNumbers(e)
	}
	return m, nil
}

func plainNumbers(v any) any {
	switch x := v.(type) {
	case json.Number:
		// An integer as SPEC.md 6.2 writes one (so not -0) that fits int.
		if n, err := strconv.ParseInt(string(x), 10, strconv.IntSize); err == nil && x != "-0" {
			return int(n)
		}
		f, _ := strconv.ParseFloat(string(x), 64) // valid JSON numbers parse, or saturate to ±Inf
		return f
	case []any:
		for i, e := range x {
			x[i] = plainNumbers(e)
		}
	case map[string]any:
		for k, e := range x {
			x[k] = plainNumbers(e)
		}
	}
	return v
}

func jsonKind(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case bool:
		return "boolean"
	case string:
		return "string"
	case json.Number:
		return "number"
	case []any:
		return "array"
	}
	return "object"
}
