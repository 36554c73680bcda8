package cookieseal

import (
	"errors"
	"fmt"
	"reflect"
	"strings"
	"sync"
	"unicode"
)

// Errors after decryption name the rule a payload breaks, never what the
// payload holds (SPEC.md section 4, SECURITY.md): encoding/json, the typed
// values parser and custom Unmarshalers quote numbers, strings, time values
// and type names they meet, and an application that logs a Decode error
// must not log session content.

// safeError is an error of unmarshal whose text holds no payload byte.
type safeError struct{ msg string }

func (e safeError) Error() string { return e.msg }

var (
	errNotTypedValues = errors.New("payload is not well-formed session values (SPEC.md section 6)")
	errNotObject      = errors.New("payload is not a JSON object, so not session values (SPEC.md section 4, step 11)")
)

// quietError says msg and wraps cause without printing it: errors.Is and
// errors.As still find the cause (a plugged library's error, a
// *json.UnmarshalTypeError), whose own text may quote the payload.
type quietError struct {
	msg   string
	cause error
}

func (e quietError) Error() string { return e.msg }
func (e quietError) Unwrap() error { return e.cause }

// payloadError is what Decode reports for err, an error of unmarshal
// into dst: err itself when it is a safeError, else its class alone.
func payloadError(err error, typed bool, dst any) error {
	var safe safeError
	switch {
	case errors.As(err, &safe):
		return safe
	case typed:
		return quietError{errNotTypedValues.Error(), err}
	}
	if _, ok := dst.(*map[any]any); ok {
		return quietError{errNotObject.Error(), err}
	}
	return quietError{fmt.Sprintf("payload's JSON does not fit %T", dst), err}
}

// checkFoldedNames refuses, for a destination that holds a struct, a
// payload with an object two of whose member names are equal under
// Unicode simple case folding ("role" and "ROLE"): encoding/json, and the
// JSON libraries that plug in, match struct fields case-insensitively and
// would keep one of them, last wins, so that the struct would hold a
// session that JavaScript and Python, which read both members, and a Go
// map do not see (SPEC.md section 4, step 11).
func checkFoldedNames(payload []byte, dst any) error {
	if !holdsStruct(reflect.TypeOf(dst)) {
		return nil
	}
	v, err := decodeJSON(payload)
	if err != nil {
		return err
	}
	if foldedNames(v) {
		return errFoldedNames
	}
	return nil
}

var errFoldedNames = safeError{"payload has an object with member names that differ only in case, which a Go struct cannot tell apart (SPEC.md section 4, step 11)"}

// foldedNames reports whether a decoded JSON value has an object with two
// member names equal under simple case folding.
func foldedNames(v any) bool {
	switch x := v.(type) {
	case map[string]any:
		if len(x) > 1 {
			seen := make(map[string]struct{}, len(x))
			for k := range x {
				f := foldKey(k)
				if _, dup := seen[f]; dup {
					return true
				}
				seen[f] = struct{}{}
			}
		}
		for _, e := range x {
			if foldedNames(e) {
				return true
			}
		}
	case []any:
		for _, e := range x {
			if foldedNames(e) {
				return true
			}
		}
	}
	return false
}

// foldKey maps each rune of s to the smallest rune of its simple case
// folding orbit, so that foldKey(a) == foldKey(b) exactly when
// strings.EqualFold(a, b), the folding encoding/json uses for field names.
func foldKey(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		m := r
		for f := unicode.SimpleFold(r); f != r; f = unicode.SimpleFold(f) {
			m = min(m, f)
		}
		b.WriteRune(m)
	}
	return b.String()
}

// holdsStruct reports whether a value of type t (a pointer to the
// destination) can hold a struct that JSON fills: through pointers, slices,
// arrays and map values. Cached per type.
func holdsStruct(t reflect.Type) bool {
	if v, ok := structTypes.Load(t); ok {
		return v.(bool)
	}
	h := reachesStruct(t, map[reflect.Type]bool{})
	structTypes.Store(t, h)
	return h
}

var structTypes sync.Map // reflect.Type -> bool

func reachesStruct(t reflect.Type, seen map[reflect.Type]bool) bool {
	if seen[t] {
		return false
	}
	seen[t] = true
	switch t.Kind() {
	case reflect.Struct:
		return true
	case reflect.Pointer, reflect.Slice, reflect.Array, reflect.Map:
		return reachesStruct(t.Elem(), seen)
	}
	return false
}
