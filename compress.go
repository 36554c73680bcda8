package cookieseal

import (
	"bytes"
	"compress/flate"
	"errors"
	"fmt"
	"io"
	"sync"
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
const flateLevel = flate.BestSpeed

// A fresh flate writer allocates about 1.2 MB, so writers and readers are
// pooled and reset per use.
var (
	flateWriters = sync.Pool{New: func() any {
		w, err := flate.NewWriter(nil, flateLevel)
		if err != nil {
			panic(err) // unreachable: flateLevel is a valid level
		}
		return w
	}}
	flateReaders = sync.Pool{New: func() any {
		return flate.NewReader(bytes.NewReader(nil))
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
	z := deflate(dst, payload)
	return z, len(z)-len(dst) < len(payload)
}

// deflate appends the raw DEFLATE compression of src to dst.
func deflate(dst, src []byte) []byte {
	buf := bytes.NewBuffer(dst)
	w := flateWriters.Get().(*flate.Writer)
	w.Reset(buf)
	// Writes to a bytes.Buffer cannot fail.
	_, _ = w.Write(src)
	_ = w.Close()
	w.Reset(io.Discard) // drop the reference to buf before pooling
	flateWriters.Put(w)
	return buf.Bytes()
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
// never returned.
func appendInflate(dst, src []byte, limit int) ([]byte, error) {
	// bytes.Reader is an io.ByteReader, so flate reads exactly the stream and
	// no more; what is left afterwards is trailing data.
	br := bytes.NewReader(src)
	r := flateReaders.Get().(io.ReadCloser)
	defer flateReaders.Put(r)
	if err := r.(flate.Resetter).Reset(br, nil); err != nil {
		return nil, err
	}
	out := bytes.NewBuffer(dst)
	if _, err := out.ReadFrom(io.LimitReader(r, int64(limit)+1)); err != nil {
		return nil, err
	}
	if out.Len()-len(dst) > limit {
		return nil, errInflateLimit{limit}
	}
	if br.Len() != 0 {
		return nil, errTrailing
	}
	return out.Bytes(), nil
}
