package cookieseal

import (
	"encoding/json"
	"errors"
	"fmt"
	"sync"
)

// scratch holds the buffers of one Encode or Decode, pooled so that the hot
// path allocates little more than the cookie string it returns.
type scratch struct {
	// plain and zip keep, until put, the length that was used, so that put
	// zeroes only that.
	plain []byte // header, nonce, issued-at and JSON; sealed in place
	zip   []byte // the same prefix and the DEFLATE payload, or inflated JSON
	ad    []byte // associated data
	out   []byte // base64url of the sealed cookie

	w   appendWriter
	enc *json.Encoder // writes into w; created once per scratch
}

// appendWriter is an io.Writer that appends to a byte slice.
type appendWriter struct{ b []byte }

func (w *appendWriter) Write(p []byte) (int, error) {
	w.b = append(w.b, p...)
	return len(p), nil
}

// scratchMaxCap is the largest buffer kept for reuse, in bytes: enough for
// every cookie a browser keeps, without pinning a rare huge payload.
const scratchMaxCap = 16 << 10

var scratches = sync.Pool{New: func() any {
	s := new(scratch)
	s.enc = json.NewEncoder(&s.w)
	// A cookie is never HTML: "<" stays "<", as in the typed form and the
	// other implementations, and a json.RawMessage is sealed as given.
	s.enc.SetEscapeHTML(false)
	return s
}}

func getScratch() *scratch { return scratches.Get().(*scratch) }

// put returns s to the pool. Buffers that held plaintext are zeroed first,
// so no session data lingers in pooled memory.
func (s *scratch) put() {
	s.plain = reuse(s.plain)
	s.zip = reuse(s.zip)
	s.ad = s.ad[:0]
	s.out = s.out[:0]
	if cap(s.ad) > scratchMaxCap {
		s.ad = nil
	}
	if cap(s.out) > scratchMaxCap {
		s.out = nil
	}
	s.w.b = nil
	scratches.Put(s)
}

// reuse zeroes b's used length and returns it emptied, or nil when it is too
// big to keep.
func reuse(b []byte) []byte {
	if cap(b) > scratchMaxCap {
		return nil
	}
	clear(b)
	return b[:0]
}

// withLen returns b resliced to n bytes, or a new slice when b is too short.
// The bytes are to be overwritten.
func withLen(b []byte, n int) []byte {
	if cap(b) < n {
		return make([]byte, n, 1024)
	}
	return b[:n]
}

// marshalAppend appends the serialization of value to dst and returns the
// flags that describe it: the typed form for session values, else exactly
// json.Marshal's bytes, without json.Marshal's copy.
func (s *scratch) marshalAppend(dst []byte, value any) ([]byte, byte, error) {
	switch v := value.(type) {
	case map[any]any:
		b, err := appendMap(dst, v)
		return b, flagTyped, err
	case *map[any]any:
		if v == nil {
			// JSON null would not open as session values (SPEC.md 6.6).
			return dst, 0, errors.New("cookieseal: cannot encode a nil *map[interface{}]interface{}")
		}
		b, err := appendMap(dst, *v)
		return b, flagTyped, err
	}
	// json.Encoder writes exactly json.Marshal's bytes, then a newline.
	s.w.b = dst
	err := s.enc.Encode(value)
	b := s.w.b
	s.w.b = nil
	if err != nil {
		return dst, 0, fmt.Errorf("cookieseal: encoding value: %w", err)
	}
	return b[:len(b)-1], 0, nil
}
