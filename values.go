package cookieseal

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// Session values: gorilla/sessions keeps Session.Values as a
// map[interface{}]interface{}, which encoding/json cannot encode, and plain
// JSON would turn every number into a float64. Values are therefore written
// in a typed JSON form (SPEC.md, "Typed values"): null, booleans, strings,
// arrays and integer numbers (as int) stand for themselves; every other type
// is an object with exactly one member whose name is the type.

// typed-form tags.
const (
	tagMap     = "map"     // map[interface{}]interface{}
	tagObject  = "object"  // map[string]interface{}
	tagStrings = "strings" // []string
	tagInts    = "ints"    // []int
	tagBytes   = "bytes"   // []byte, standard base64
	tagTime    = "time"    // time.Time, RFC 3339 with nanoseconds
	tagFloat64 = "float64"
	tagFloat32 = "float32"
	tagInt8    = "int8"
	tagInt16   = "int16"
	tagInt32   = "int32"
	tagInt64   = "int64"
	tagUint    = "uint"
	tagUint8   = "uint8"
	tagUint16  = "uint16"
	tagUint32  = "uint32"
	tagUint64  = "uint64"
)

// UnsupportedTypeError is returned by Encode for a session value whose type
// the typed form cannot carry without loss.
type UnsupportedTypeError struct {
	Type string // the Go type, as fmt's %T prints it
}

// Error names the type and lists the types that are supported.
func (e *UnsupportedTypeError) Error() string {
	return "cookieseal: cannot encode session value of type " + e.Type +
		" (supported: nil, bool, string, int and sized ints, uints, float32, float64, []byte, []string, []int, time.Time, []interface{}, map[string]interface{}, map[interface{}]interface{})"
}

var errBadUTF8 = errors.New("cookieseal: cannot encode a string that is not valid UTF-8 in session values")

// appendTyped appends the typed form of v to b.
func appendTyped(b []byte, v any) ([]byte, error) {
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
		return appendTagInt(b, tagInt8, int64(x)), nil
	case int16:
		return appendTagInt(b, tagInt16, int64(x)), nil
	case int32:
		return appendTagInt(b, tagInt32, int64(x)), nil
	case int64:
		return appendTagInt(b, tagInt64, x), nil
	case uint:
		return appendTagUint(b, tagUint, uint64(x)), nil
	case uint8:
		return appendTagUint(b, tagUint8, uint64(x)), nil
	case uint16:
		return appendTagUint(b, tagUint16, uint64(x)), nil
	case uint32:
		return appendTagUint(b, tagUint32, uint64(x)), nil
	case uint64:
		return appendTagUint(b, tagUint64, x), nil
	case float64:
		return appendTagFloat(b, tagFloat64, x, 64)
	case float32:
		return appendTagFloat(b, tagFloat32, float64(x), 32)
	case []byte:
		b = appendTag(b, tagBytes)
		b = append(b, '"')
		b = base64.StdEncoding.AppendEncode(b, x)
		return append(b, `"}`...), nil
	case time.Time:
		b = appendTag(b, tagTime)
		b = append(b, '"')
		b = x.AppendFormat(b, time.RFC3339Nano)
		return append(b, `"}`...), nil
	case []string:
		b = append(appendTag(b, tagStrings), '[')
		for i, s := range x {
			if i > 0 {
				b = append(b, ',')
			}
			var err error
			if b, err = appendString(b, s); err != nil {
				return nil, err
			}
		}
		return append(b, "]}"...), nil
	case []int:
		b = append(appendTag(b, tagInts), '[')
		for i, n := range x {
			if i > 0 {
				b = append(b, ',')
			}
			b = strconv.AppendInt(b, int64(n), 10)
		}
		return append(b, "]}"...), nil
	case []any:
		b = append(b, '[')
		for i, e := range x {
			if i > 0 {
				b = append(b, ',')
			}
			var err error
			if b, err = appendTyped(b, e); err != nil {
				return nil, err
			}
		}
		return append(b, ']'), nil
	case map[string]any:
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		b = appendTag(b, tagObject)
		return appendObject(b, keys, func(k string) any { return x[k] })
	case map[any]any:
		return appendMap(b, x)
	}
	return nil, &UnsupportedTypeError{Type: fmt.Sprintf("%T", v)}
}

// appendMap writes a map[interface{}]interface{}: as a JSON object when every
// key is a string, else as an array of [key, value] pairs. Keys are sorted so
// that equal maps give equal bytes.
func appendMap(b []byte, m map[any]any) ([]byte, error) {
	b = appendTag(b, tagMap)
	keys := make([]string, 0, len(m))
	for k := range m {
		s, ok := k.(string)
		if !ok {
			return appendPairs(b, m)
		}
		keys = append(keys, s)
	}
	sort.Strings(keys)
	return appendObject(b, keys, func(k string) any { return m[k] })
}

func appendObject(b []byte, keys []string, get func(string) any) ([]byte, error) {
	b = append(b, '{')
	for i, k := range keys {
		if i > 0 {
			b = append(b, ',')
		}
		var err error
		if b, err = appendString(b, k); err != nil {
			return nil, err
		}
		b = append(b, ':')
		if b, err = appendTyped(b, get(k)); err != nil {
			return nil, err
		}
	}
	return append(b, "}}"...), nil
}

func appendPairs(b []byte, m map[any]any) ([]byte, error) {
	type pair struct {
		key []byte
		val any
	}
	pairs := make([]pair, 0, len(m))
	for k, v := range m {
		kb, err := appendTyped(nil, k)
		if err != nil {
			return nil, err
		}
		pairs = append(pairs, pair{kb, v})
	}
	sort.Slice(pairs, func(i, j int) bool { return bytes.Compare(pairs[i].key, pairs[j].key) < 0 })
	b = append(b, '[')
	for i, p := range pairs {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, '[')
		b = append(b, p.key...)
		b = append(b, ',')
		var err error
		if b, err = appendTyped(b, p.val); err != nil {
			return nil, err
		}
		b = append(b, ']')
	}
	return append(b, "]}"...), nil
}

func appendTag(b []byte, tag string) []byte {
	b = append(b, `{"`...)
	b = append(b, tag...)
	return append(b, `":`...)
}

func appendTagInt(b []byte, tag string, n int64) []byte {
	return append(strconv.AppendInt(appendTag(b, tag), n, 10), '}')
}

func appendTagUint(b []byte, tag string, n uint64) []byte {
	return append(strconv.AppendUint(appendTag(b, tag), n, 10), '}')
}

func appendTagFloat(b []byte, tag string, f float64, bits int) ([]byte, error) {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return nil, fmt.Errorf("cookieseal: cannot encode %v in session values", f)
	}
	return append(strconv.AppendFloat(appendTag(b, tag), f, 'g', -1, bits), '}'), nil
}

// appendString writes s as a JSON string. It refuses invalid UTF-8, which
// JSON would silently replace, and escapes only what JSON requires.
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

// parseTyped turns a decoded typed-form tree back into Go values.
func parseTyped(v any) (any, error) {
	switch x := v.(type) {
	case nil, bool, string:
		return x, nil
	case json.Number:
		n, err := strconv.ParseInt(string(x), 10, strconv.IntSize)
		if err != nil {
			return nil, fmt.Errorf("bare number %s is not an int", x)
		}
		return int(n), nil
	case []any:
		for i, e := range x {
			var err error
			if x[i], err = parseTyped(e); err != nil {
				return nil, err
			}
		}
		return x, nil
	case map[string]any:
		if len(x) != 1 {
			return nil, fmt.Errorf("typed object has %d members, want 1", len(x))
		}
		for tag, body := range x {
			return parseTag(tag, body)
		}
	}
	return nil, fmt.Errorf("unexpected %T", v)
}

func parseTag(tag string, body any) (any, error) {
	switch tag {
	case tagMap:
		return parseMap(body)
	case tagObject:
		obj, ok := body.(map[string]any)
		if !ok {
			return nil, errors.New("object tag without an object")
		}
		for k, e := range obj {
			var err error
			if obj[k], err = parseTyped(e); err != nil {
				return nil, err
			}
		}
		return obj, nil
	case tagStrings:
		arr, ok := body.([]any)
		if !ok {
			return nil, errors.New("strings tag without an array")
		}
		out := make([]string, len(arr))
		for i, e := range arr {
			if out[i], ok = e.(string); !ok {
				return nil, errors.New("strings tag holds a non-string")
			}
		}
		return out, nil
	case tagInts:
		arr, ok := body.([]any)
		if !ok {
			return nil, errors.New("ints tag without an array")
		}
		out := make([]int, len(arr))
		for i, e := range arr {
			n, err := parseInt(e, strconv.IntSize)
			if err != nil {
				return nil, err
			}
			out[i] = int(n)
		}
		return out, nil
	case tagBytes:
		s, ok := body.(string)
		if !ok {
			return nil, errors.New("bytes tag without a string")
		}
		return base64.StdEncoding.Strict().DecodeString(s)
	case tagTime:
		s, ok := body.(string)
		if !ok {
			return nil, errors.New("time tag without a string")
		}
		return time.Parse(time.RFC3339Nano, s)
	case tagFloat64, tagFloat32:
		num, ok := body.(json.Number)
		if !ok {
			return nil, errors.New("float tag without a number")
		}
		if tag == tagFloat32 {
			f, err := strconv.ParseFloat(string(num), 32)
			return float32(f), err
		}
		return strconv.ParseFloat(string(num), 64)
	case tagInt8:
		n, err := parseInt(body, 8)
		return int8(n), err
	case tagInt16:
		n, err := parseInt(body, 16)
		return int16(n), err
	case tagInt32:
		n, err := parseInt(body, 32)
		return int32(n), err
	case tagInt64:
		return parseInt(body, 64)
	case tagUint:
		n, err := parseUint(body, strconv.IntSize)
		return uint(n), err
	case tagUint8:
		n, err := parseUint(body, 8)
		return uint8(n), err
	case tagUint16:
		n, err := parseUint(body, 16)
		return uint16(n), err
	case tagUint32:
		n, err := parseUint(body, 32)
		return uint32(n), err
	case tagUint64:
		return parseUint(body, 64)
	}
	return nil, fmt.Errorf("unknown type tag %q", tag)
}

func parseInt(v any, bits int) (int64, error) {
	num, ok := v.(json.Number)
	if !ok {
		return 0, fmt.Errorf("want an integer, got %T", v)
	}
	return strconv.ParseInt(string(num), 10, bits)
}

func parseUint(v any, bits int) (uint64, error) {
	num, ok := v.(json.Number)
	if !ok {
		return 0, fmt.Errorf("want an integer, got %T", v)
	}
	return strconv.ParseUint(string(num), 10, bits)
}

func parseMap(body any) (map[any]any, error) {
	switch x := body.(type) {
	case map[string]any:
		m := make(map[any]any, len(x))
		for k, e := range x {
			v, err := parseTyped(e)
			if err != nil {
				return nil, err
			}
			m[k] = v
		}
		return m, nil
	case []any:
		m := make(map[any]any, len(x))
		for _, e := range x {
			p, ok := e.([]any)
			if !ok || len(p) != 2 {
				return nil, errors.New("map entry is not a [key, value] pair")
			}
			k, err := parseTyped(p[0])
			if err != nil {
				return nil, err
			}
			if !isComparable(k) {
				return nil, fmt.Errorf("map key of type %T", k)
			}
			if _, dup := m[k]; dup {
				return nil, errors.New("duplicate map key")
			}
			if m[k], err = parseTyped(p[1]); err != nil {
				return nil, err
			}
		}
		return m, nil
	}
	return nil, errors.New("map tag without an object or array")
}

// isComparable reports whether k can be a map key without a run-time panic.
func isComparable(k any) bool {
	switch k.(type) {
	case []any, []string, []int, []byte, map[string]any, map[any]any:
		return false
	}
	return true
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
		if n, err := strconv.ParseInt(string(x), 10, strconv.IntSize); err == nil {
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
