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

// appendWriter is an io.Writer that appends to a byte slice. When the slice
// has to grow, the array it leaves is cleared first: what is written to it is
// plaintext (JSON, or its DEFLATE form).
type appendWriter struct{ b []byte }

func (w *appendWriter) Write(p []byte) (int, error) {
	if len(w.b)+len(p) > cap(w.b) {
		grown := append(w.b[:len(w.b):len(w.b)], p...) // a new array
		clear(w.b)
		w.b = grown
		return len(p), nil
	}
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

// put returns s to the pool. The buffers that held plaintext (plain and zip)
// are cleared first, or cleared and dropped when they are too big to keep.
//
// What cookieseal clears, and what it cannot (BENCHMARKS.md measures the
// cost): it clears every buffer it pools or drops after it held plaintext
// (these scratch buffers, arrays outgrown while writing JSON or DEFLATE or
// while inflating) and the pooled DEFLATE reader's window. It cannot clear
// memory owned by other code: the pooled compress/flate writer keeps the last
// compressed payload in its window, match table and token buffer (flate has no
// way to wipe them; only a server that sets compression on has one);
// encoding/json keeps the last JSON it encoded in its own pooled buffer
// (and so may a JSON library plugged into Config.JSON); the typed form grows
// its buffer with append; and the Go runtime does not zero freed memory.
// Clearing narrows what a memory disclosure shows; it is not a guarantee that
// no session data stays in the process.
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
// big to keep (cleared all the same before it is dropped).
func reuse(b []byte) []byte {
	clear(b)
	if cap(b) > scratchMaxCap {
		return nil
	}
	return b[:0]
}

// typedAppend is marshalAppend for session values. On error it clears what
// it wrote and returns dst.
func typedAppend(dst []byte, m map[any]any) ([]byte, byte, error) {
	b, err := appendMap(dst, m)
	if err != nil {
		if len(b) > len(dst) {
			clear(b[len(dst):])
		}
		return dst, 0, err
	}
	return withRoom(b, tagSize), flagTyped, nil
}

// withRoom returns b with room for n more bytes, moving it to a new array
// and clearing the old one when it has to grow.
func withRoom(b []byte, n int) []byte {
	if cap(b)-len(b) >= n {
		return b
	}
	grown := make([]byte, len(b), len(b)+n)
	copy(grown, b)
	clear(b)
	return grown
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
// flags that describe it: the typed form for session values, else what
// marshal (Config.JSON) makes of it, or when marshal is nil exactly
// json.Marshal's bytes, without json.Marshal's copy.
func (s *scratch) marshalAppend(dst []byte, value any, marshal func(any) ([]byte, error)) ([]byte, byte, error) {
	switch v := value.(type) {
	case map[any]any:
		return typedAppend(dst, v)
	case *map[any]any:
		if v == nil {
			// JSON null would not open as session values (SPEC.md 6.6).
			return dst, 0, errors.New("cookieseal: cannot encode a nil *map[interface{}]interface{}")
		}
		return typedAppend(dst, *v)
	}
	if marshal != nil {
		b, err := appendMarshaled(dst, value, marshal)
		return b, 0, err
	}
	// json.Encoder writes exactly json.Marshal's bytes, then a newline.
	s.w.b = dst
	err := s.enc.Encode(value)
	b := s.w.b
	s.w.b = nil
	if err != nil {
		return dst, 0, fmt.Errorf("cookieseal: encoding value: %w", err)
	}
	// Room for the tag, so that sealing in place does not move the
	// plaintext to a new array and leave it uncleared in the old one.
	return withRoom(b[:len(b)-1], tagSize), 0, nil
}
