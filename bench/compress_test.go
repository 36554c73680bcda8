package bench

import (
	"bytes"
	"compress/flate"
	"encoding/json"
	"fmt"
	"io"
	"testing"
)

// BenchmarkDeflate is the measurement behind cookieseal's compressMin (1 KiB):
// stdlib DEFLATE level 1 with a pooled writer and reader, the way cookieseal
// runs it, on JSON of growing size (the small session, then the cart's JSON
// cut at 512 B, 1 KiB, 2 KiB, whole). "saved-bytes" is what compression takes
// off the payload; compare its CPU time with a whole uncompressed Encode
// (SmallSession, about 1.7 us) and Decode (about 5 us).
func BenchmarkDeflate(b *testing.B) {
	small, err := json.Marshal(smallSession())
	if err != nil {
		b.Fatal(err)
	}
	big, err := json.Marshal(cart())
	if err != nil {
		b.Fatal(err)
	}
	inputs := [][]byte{small, big[:512], big[:1024], big[:2048], big}
	w, err := flate.NewWriter(nil, flate.BestSpeed)
	if err != nil {
		b.Fatal(err)
	}
	r := flate.NewReader(bytes.NewReader(nil))
	for _, in := range inputs {
		var z bytes.Buffer
		w.Reset(&z)
		w.Write(in)
		w.Close()
		compressed := bytes.Clone(z.Bytes())
		b.Run(fmt.Sprintf("size=%d/op=deflate", len(in)), func(b *testing.B) {
			b.SetBytes(int64(len(in)))
			b.ReportAllocs()
			cpu := startCPU()
			for b.Loop() {
				z.Reset()
				w.Reset(&z)
				w.Write(in)
				w.Close()
			}
			cpu.report(b)
			b.ReportMetric(float64(len(in)-len(compressed)), "saved-bytes")
		})
		b.Run(fmt.Sprintf("size=%d/op=inflate", len(in)), func(b *testing.B) {
			b.SetBytes(int64(len(in)))
			b.ReportAllocs()
			out := make([]byte, 0, 4096)
			cpu := startCPU()
			for b.Loop() {
				r.(flate.Resetter).Reset(bytes.NewReader(compressed), nil)
				buf := bytes.NewBuffer(out[:0])
				if _, err := buf.ReadFrom(r); err != nil && err != io.EOF {
					b.Fatal(err)
				}
			}
			cpu.report(b)
		})
	}
}
