package bench

import (
	"runtime"
	"testing"
	"time"

	"github.com/cookieseal/cookieseal"
)

// BenchmarkClearing measures cookieseal alone on the paths that clearing
// pooled memory touches (issue 10 item 7): the small session (scratch
// buffers only) and the cart (compressed: DEFLATE writer and reader), warm
// and after two garbage collections emptied the pools (cold). Build the test
// binary of two versions and run them in turns to compare (BENCHMARKS.md).
func BenchmarkClearing(b *testing.B) {
	// Compress, as the cart's numbers are about the DEFLATE writer and reader.
	c := newCookiesealConfig(b, 1, cookieseal.Config{Compress: true})
	cases := []struct {
		name   string
		value  any
		newDst func() any
	}{
		{"small", smallSession(), func() any { return new(Session) }},
		{"cart", cart(), func() any { return new(Cart) }},
	}
	for _, tc := range cases {
		cookie, err := c.Encode(cookieName, tc.value)
		if err != nil {
			b.Fatal(err)
		}
		if err := c.Decode(cookieName, cookie, tc.newDst()); err != nil {
			b.Fatal(err)
		}
		encode := func() {
			if _, err := c.Encode(cookieName, tc.value); err != nil {
				b.Fatal(err)
			}
		}
		decode := func() {
			if err := c.Decode(cookieName, cookie, tc.newDst()); err != nil {
				b.Fatal(err)
			}
		}
		for _, op := range []struct {
			name string
			f    func()
		}{{"Encode", encode}, {"Decode", decode}} {
			b.Run("value="+tc.name+"/op="+op.name, func(b *testing.B) {
				b.ReportAllocs()
				cpu := startCPU()
				for b.Loop() {
					op.f()
				}
				cpu.report(b)
				b.ReportMetric(float64(len(cookie)), "cookie-bytes")
			})
			if tc.name == "cart" {
				b.Run("value="+tc.name+"/op="+op.name+"-cold", func(b *testing.B) {
					coldLoop(b, op.f)
				})
			}
		}
	}
}

// coldLoop times op alone after two garbage collections per iteration, so
// that every sync.Pool is empty (one collection leaves its victim cache):
// CPU of the process and wall time per op.
func coldLoop(b *testing.B, op func()) {
	b.ReportAllocs()
	var cpu, wall time.Duration
	n := 0
	for b.Loop() {
		b.StopTimer()
		runtime.GC()
		runtime.GC()
		c0, _ := processCPU()
		w0 := time.Now()
		b.StartTimer()
		op()
		b.StopTimer()
		wall += time.Since(w0)
		c1, _ := processCPU()
		cpu += c1 - c0
		n++
		b.StartTimer()
	}
	if n > 0 {
		b.ReportMetric(float64(cpu)/float64(n), "cpu-ns/op")
		b.ReportMetric(float64(wall)/float64(n), "wall-ns/op")
	}
}
