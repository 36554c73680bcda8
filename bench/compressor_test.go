package bench

import (
	"bytes"
	"compress/flate"
	"encoding/json"
	"fmt"
	"io"
	"sync"
	"testing"

	kflate "github.com/klauspost/compress/flate"
)

// compressor is one DEFLATE encoder under test: deflate appends the raw
// DEFLATE form of src to dst, the way cookieseal would call it.
type compressor struct {
	name    string
	deflate func(dst, src []byte) []byte
}

// pooledStd is stdlib compress/flate at level, writers pooled and Reset per
// use, as cookieseal pools them.
func pooledStd(level int) compressor {
	pool := sync.Pool{New: func() any { w, _ := flate.NewWriter(nil, level); return w }}
	return compressor{fmt.Sprintf("std-%d", level), func(dst, src []byte) []byte {
		buf := bytes.NewBuffer(dst)
		w := pool.Get().(*flate.Writer)
		w.Reset(buf)
		w.Write(src)
		w.Close()
		w.Reset(io.Discard)
		pool.Put(w)
		return buf.Bytes()
	}}
}

// pooledKlauspost is github.com/klauspost/compress/flate at level, pooled.
func pooledKlauspost(level int) compressor {
	pool := sync.Pool{New: func() any { w, _ := kflate.NewWriter(nil, level); return w }}
	return compressor{fmt.Sprintf("klauspost-%d", level), func(dst, src []byte) []byte {
		buf := bytes.NewBuffer(dst)
		w := pool.Get().(*kflate.Writer)
		w.Reset(buf)
		w.Write(src)
		w.Close()
		w.Reset(io.Discard)
		pool.Put(w)
		return buf.Bytes()
	}}
}

// klauspostStateless is klauspost's StatelessDeflate: no writer to pool (it
// pools its own token buffer and bit writer internally).
func klauspostStateless() compressor {
	return compressor{"klauspost-stateless", func(dst, src []byte) []byte {
		buf := bytes.NewBuffer(dst)
		kflate.StatelessDeflate(buf, src, true, nil)
		return buf.Bytes()
	}}
}

// unpooledStd is stdlib level 1 with a new writer per call: what a cold pool
// costs every time.
func unpooledStd(level int) compressor {
	return compressor{fmt.Sprintf("std-%d-unpooled", level), func(dst, src []byte) []byte {
		buf := bytes.NewBuffer(dst)
		w, _ := flate.NewWriter(buf, level)
		w.Write(src)
		w.Close()
		return buf.Bytes()
	}}
}

func compressors() []compressor {
	return []compressor{
		pooledStd(flate.BestSpeed), pooledStd(2), pooledStd(4), pooledStd(flate.DefaultCompression), pooledStd(flate.BestCompression),
		pooledKlauspost(1), pooledKlauspost(5), pooledKlauspost(9), klauspostStateless(),
	}
}

// inflateStd is cookieseal's decoder: stdlib flate, pooled reader.
var inflateReaders = sync.Pool{New: func() any { return flate.NewReader(bytes.NewReader(nil)) }}

func inflateStd(dst, src []byte) ([]byte, error) {
	r := inflateReaders.Get().(io.ReadCloser)
	defer inflateReaders.Put(r)
	r.(flate.Resetter).Reset(bytes.NewReader(src), nil)
	out := bytes.NewBuffer(dst)
	_, err := out.ReadFrom(r)
	return out.Bytes(), err
}

func compressInputs(tb testing.TB) map[string][]byte {
	big, err := json.Marshal(cart())
	if err != nil {
		tb.Fatal(err)
	}
	return map[string][]byte{"cart": big, "1KiB": big[:1024]}
}

// TestCompressorsRoundTrip checks that every compressor's output inflates,
// with cookieseal's decoder, to its input.
func TestCompressorsRoundTrip(t *testing.T) {
	for name, in := range compressInputs(t) {
		for _, c := range append(compressors(), unpooledStd(1)) {
			for range 2 { // a second use exercises the pooled state
				z := c.deflate(nil, in)
				out, err := inflateStd(nil, z)
				if err != nil || !bytes.Equal(out, in) {
					t.Fatalf("%s on %s: round trip failed: %v", c.name, name, err)
				}
			}
		}
	}
}

// BenchmarkCompressor compares DEFLATE encoders on the cart's JSON (2943 B)
// and its first 1 KiB (cookieseal's threshold): CPU per deflate, per inflate
// of that encoder's output by the stdlib reader, and the compressed bytes.
// The -cold variants empty the pools first (two runtime.GC calls, as a
// sync.Pool survives one in its victim cache) and time only the operation:
// what a compressed Encode or Decode costs on a server where they are rarer
// than GC cycles.
func BenchmarkCompressor(b *testing.B) {
	inputs := compressInputs(b)
	for _, size := range []string{"cart", "1KiB"} {
		in := inputs[size]
		for _, c := range compressors() {
			z := bytes.Clone(c.deflate(nil, in))
			if out, err := inflateStd(nil, z); err != nil || !bytes.Equal(out, in) {
				b.Fatalf("%s: round trip failed: %v", c.name, err)
			}
			b.Run(fmt.Sprintf("size=%s/op=deflate/impl=%s", size, c.name), func(b *testing.B) {
				b.SetBytes(int64(len(in)))
				b.ReportAllocs()
				dst := make([]byte, 0, 4096)
				cpu := startCPU()
				for b.Loop() {
					dst = c.deflate(dst[:0], in)
				}
				cpu.report(b)
				b.ReportMetric(float64(len(z)), "z-bytes")
			})
			b.Run(fmt.Sprintf("size=%s/op=inflate/impl=%s", size, c.name), func(b *testing.B) {
				b.SetBytes(int64(len(in)))
				b.ReportAllocs()
				dst := make([]byte, 0, 4096)
				cpu := startCPU()
				for b.Loop() {
					dst, _ = inflateStd(dst[:0], z)
				}
				cpu.report(b)
			})
		}
	}
}

// BenchmarkCompressorCold times one deflate or inflate of the cart after the
// pools were emptied by two garbage collections, per op, CPU and wall.
func BenchmarkCompressorCold(b *testing.B) {
	in := compressInputs(b)["cart"]
	cs := append(compressors(), unpooledStd(1))
	for _, c := range cs {
		z := bytes.Clone(c.deflate(nil, in))
		b.Run("op=deflate-cold/impl="+c.name, func(b *testing.B) {
			coldLoop(b, func() { c.deflate(nil, in) })
		})
		if c.name == "std-1" {
			b.Run("op=inflate-cold/impl=std", func(b *testing.B) {
				coldLoop(b, func() { inflateStd(nil, z) })
			})
		}
	}
}
