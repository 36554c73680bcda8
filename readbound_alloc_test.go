//go:build !race

// The race detector makes sync.Pool drop items at random, so allocation
// counts are not stable under -race; these tests run in every other build.

package cookieseal

import (
	"runtime"
	"testing"
)

// bytesPerRun returns the bytes f allocates per run, averaged over runs.
func bytesPerRun(runs int, f func()) float64 {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(1))
	f() // warm the pools
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	for range runs {
		f()
	}
	runtime.ReadMemStats(&after)
	return float64(after.TotalAlloc-before.TotalAlloc) / float64(runs)
}

// TestReadWorkIsBoundedByALegitimateRead checks SESSIONS.md S4.5 by
// allocation: the attack headers cost at most 6 times the allocations and
// bytes of reading a legitimate session at the same limits.
func TestReadWorkIsBoundedByALegitimateRead(t *testing.T) {
	for _, c := range []struct {
		name            string
		maxParts, heads int
		minSize         int
	}{
		{"92KB-10-parts", 10, 2900, 90 << 10},
		{"257KB-50-parts", 50, 2900, 250 << 10},
	} {
		t.Run(c.name, func(t *testing.T) {
			rb := newReadBound(t, c.maxParts, c.heads)
			if rb.size < c.minSize {
				t.Fatalf("attack header of %d bytes, want at least %d", rb.size, c.minSize)
			}
			const runs = 3
			legitAllocs := testing.AllocsPerRun(runs, func() { rb.readLegit(t) })
			attackAllocs := testing.AllocsPerRun(runs, func() { rb.readAttack(t) })
			legitBytes := bytesPerRun(runs, func() { rb.readLegit(t) })
			attackBytes := bytesPerRun(runs, func() { rb.readAttack(t) })
			t.Logf("legitimate read: %.0f allocs, %.0f bytes; attack (%d-byte header): %.0f allocs, %.0f bytes",
				legitAllocs, legitBytes, rb.size, attackAllocs, attackBytes)
			if attackAllocs > 6*legitAllocs {
				t.Errorf("the attack read makes %.0f allocations, more than 6 times the %.0f of a legitimate read", attackAllocs, legitAllocs)
			}
			if attackBytes > 6*legitBytes {
				t.Errorf("the attack read allocates %.0f bytes, more than 6 times the %.0f of a legitimate read", attackBytes, legitBytes)
			}
		})
	}
}
