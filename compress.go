package cookieseal

import (
	"bytes"
	"compress/flate"
	"errors"
	"fmt"
	"io"
	"sync"
	"sync/atomic"
)

// compressMin is the shortest JSON payload that Encode tries to compress, in
// bytes. Below it DEFLATE costs more than the rest of Encode and Decode
// together for little gain: on a 279-byte session, stdlib flate level 1 took
// about 8 us of CPU to save 47 bytes and inflating took 3 us on every
// request, where the whole uncompressed Encode takes 1.6 us and Decode 4.4 us
// (BENCHMARKS.md). From 1 KiB on it takes off two thirds or more of typical
// JSON, and the cookie starts to weigh on the 4096-byte budget.
const compressMin = 1024 // bytes

// flateLevel is the DEFLATE level Encode uses; any level decodes the same.
// Level 1 was chosen by measurement (BENCHMARKS.md, "Which compressor"):
// levels 2-9 of compress/flate clear 640 KB of hash tables on every Reset,
// which on cookie-sized input makes them 2-2.5 times slower for 10-15%
// fewer bytes.
const flateLevel = flate.BestSpeed

// windowSize is the DEFLATE window: the most output an inflater keeps.
const windowSize = 32 << 10 // bytes

// zeroWindow is what an inflater's window is reset to after use, so that the
// pooled inflater keeps no plaintext. Never written.
var zeroWindow [windowSize]byte

// A fresh flate writer allocates about 1.2 MB and a reader about 48 KB, so
// both are reused. A sync.Pool alone loses everything to two garbage
// collections, and then the next compressed Encode pays about 0.4 ms
// (BENCHMARKS.md, the cold-pool case); so one of each is also kept in a spare
// slot that the collector does not empty. A server that compresses keeps
// that one writer (1.2 MB) for the life of the process.
type reusable[T any] struct {
	spare atomic.Pointer[T]
	pool  sync.Pool
	new   func() *T
}

func (r *reusable[T]) get() *T {
	if t := r.spare.Swap(nil); t != nil {
		return t
	}
	if t, ok := r.pool.Get().(*T); ok {
		return t
	}
	return r.new()
}

func (r *reusable[T]) put(t *T) {
	if !r.spare.CompareAndSwap(nil, t) {
		r.pool.Put(t)
	}
}

// inflater is a pooled flate reader with the bytes.Reader it reads from.
type inflater struct {
	src bytes.Reader
	r   io.ReadCloser // a flate.Resetter
}

var (
	deflaters = reusable[flate.Writer]{new: func() *flate.Writer {
		w, err := flate.NewWriter(nil, flateLevel)
		if err != nil {
			panic(err) // unreachable: flateLevel is a valid level
		}
		return w
	}}
	inflaters = reusable[inflater]{new: func() *inflater {
		return &inflater{r: flate.NewReader(bytes.NewReader(nil))}
	}}
)

// compressIfShorter appends the raw DEFLATE form of payload to dst and
// reports whether it is worth using: payload is at least compressMin bytes
// and the compressed form is shorter. Below compressMin it returns dst as it
// was.
func compressIfShorter(dst, payload []byte) ([]byte, bool) {
	if len(payload) < compressMin {
		return dst, false
	}
	z := withRoom(deflate(dst, payload), tagSize) // room to seal in place
	return z, len(z)-len(dst) < len(payload)
}

// deflate appends the raw DEFLATE compression of src to dst. When dst has to
// grow, the old array is cleared before it is dropped.
//
// The pooled writer keeps, after Reset, the last input in its window, its
// match table and its token buffer: compress/flate offers no way to clear
// them, and dropping the writer instead would leave the same bytes in freed
// memory (buffer.go says what is and is not cleared).
func deflate(dst, src []byte) []byte {
	out := appendWriter{b: dst}
	w := deflaters.get()
	w.Reset(&out)
	// Writes to an appendWriter cannot fail.
	_, _ = w.Write(src)
	_ = w.Close()
	w.Reset(io.Discard) // drop the reference to out before pooling
	deflaters.put(w)
	return out.b
}

var errTrailing = errors.New("data after the final DEFLATE block")

// errInflateLimit reports a stream that inflates past the limit.
type errInflateLimit struct{ limit int }

func (e errInflateLimit) Error() string {
	return fmt.Sprintf("decompressed size exceeds %d bytes", e.limit)
}

// appendInflate decompresses one complete raw DEFLATE stream of at most limit
// bytes, appending the output to dst. A truncated stream, bytes after the
// final block and output past the limit are errors, and partial output is
// never returned: on error the output is cleared and nil returned. Arrays
// outgrown on the way are cleared before they are dropped, and the pooled
// reader's window is reset to zeros, so no plaintext stays behind in memory
// this function held.
func appendInflate(dst, src []byte, limit int) ([]byte, error) {
	f := inflaters.get()
	// bytes.Reader is an io.ByteReader, so flate reads exactly the stream and
	// no more; what is left afterwards is trailing data.
	f.src.Reset(src)
	rs := f.r.(flate.Resetter)
	if err := rs.Reset(&f.src, nil); err != nil {
		return nil, err // unreachable: Reset of a flate reader cannot fail
	}
	out, err := readCapped(f.r, dst, limit)
	if _, over := err.(errInflateLimit); over {
		err = firstInflateFailure(src, limit) // SPEC.md 5.2: the first failure met wins
	}
	trailing := f.src.Len() != 0
	if err == nil && trailing {
		err = errTrailing
	}
	// Wipe the window, filled from its start: after a whole stream it holds
	// what was read, at most its last windowSize bytes; after an error it may
	// hold output that was inflated and not yet read, so all of it.
	wipe := windowSize
	if err == nil {
		wipe = min(len(out)-len(dst), windowSize)
	}
	f.src.Reset(nil)
	_ = rs.Reset(&f.src, zeroWindow[:wipe])
	inflaters.put(f)
	if err != nil {
		clear(out[len(dst):])
		return nil, err
	}
	return out, nil
}

// readCapped appends what r yields to dst until io.EOF, failing once more
// than limit bytes have come. It grows dst itself, clearing each array it
// leaves behind. On error the output read so far is in the returned slice
// for the caller to clear.
func readCapped(r io.Reader, dst []byte, limit int) ([]byte, error) {
	out := dst
	end := len(dst) + limit + 1 // read at most one byte past the limit
	for {
		if len(out) == cap(out) {
			grown := make([]byte, len(out), min(max(2*cap(out), 512), end))
			copy(grown, out)
			clear(out[len(dst):]) // dst's own bytes are the caller's
			out = grown
		}
		n, err := r.Read(out[len(out):min(cap(out), end)])
		out = out[:len(out)+n]
		if len(out)-len(dst) > limit {
			return out, errInflateLimit{limit}
		}
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return out, err
		}
	}
}
