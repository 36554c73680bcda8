package cookieseal

// Hand-made DEFLATE streams for the corner cases of SPEC.md section 5.2
// that stock zlib and Go's compress/flate decide differently, or that a
// decoder written from RFC 1951 alone might accept.

// bitWriter packs DEFLATE bits, LSB first.
type bitWriter struct{ bits []byte }

func (w *bitWriter) put(v uint, n int) { // n bits of v, LSB first (header fields, extra bits)
	for i := 0; i < n; i++ {
		w.bits = append(w.bits, byte(v>>i)&1)
	}
}

func (w *bitWriter) code(c uint, n int) { // a Huffman code, MSB first
	for i := n - 1; i >= 0; i-- {
		w.bits = append(w.bits, byte(c>>i)&1)
	}
}

func (w *bitWriter) bytes() []byte {
	out := make([]byte, (len(w.bits)+7)/8)
	for i, b := range w.bits {
		out[i/8] |= b << (i % 8)
	}
	return out
}

// canonicalCodes assigns RFC 1951 canonical codes to lengths (0: no code).
func canonicalCodes(lengths []uint8) []uint {
	var count [16]uint
	for _, l := range lengths {
		if l > 0 {
			count[l]++
		}
	}
	var next [16]uint
	code := uint(0)
	for l := 1; l < 16; l++ {
		code = (code + count[l-1]) << 1
		if l == 1 {
			code = 0
		}
		next[l] = code
	}
	codes := make([]uint, len(lengths))
	for s, l := range lengths {
		if l > 0 {
			codes[s] = next[l]
			next[l]++
		}
	}
	return codes
}

// dynOp is a literal or end-of-block (sym), or a match (length 3 with
// distance symbol dist) when match is set.
type dynOp struct {
	sym   int
	match bool
	dist  int
}

// dynamicBlock writes one dynamic-Huffman block (BTYPE 10) with the given
// literal/length and distance code lengths, sent with a code-length code in
// which the lengths 0-15 each have a 4-bit code (complete), then ops.
// Symbols without a code are not written (the stream then ends early).
func dynamicBlock(final bool, lit, dist []uint8, ops []dynOp) []byte {
	var w bitWriter
	f := uint(0)
	if final {
		f = 1
	}
	w.put(f, 1)
	w.put(2, 2)
	w.put(uint(len(lit)-257), 5)
	w.put(uint(len(dist)-1), 5)
	w.put(19-4, 4)
	clOrder := []int{16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15}
	for _, s := range clOrder {
		if s >= 16 {
			w.put(0, 3)
		} else {
			w.put(4, 3)
		}
	}
	for _, l := range append(append([]uint8{}, lit...), dist...) {
		w.code(uint(l), 4) // symbols 0-15 of length 4: code = symbol
	}
	lc, dc := canonicalCodes(lit), canonicalCodes(dist)
	for _, op := range ops {
		if op.match {
			w.code(lc[257], int(lit[257])) // length 3, no extra bits
			w.code(dc[op.dist], int(dist[op.dist]))
			continue
		}
		if lit[op.sym] == 0 {
			break
		}
		w.code(lc[op.sym], int(lit[op.sym]))
	}
	return w.bytes()
}

// litLengths returns 257+extra literal/length code lengths with the given
// symbols set.
func litLengths(n int, set map[int]uint8) []uint8 {
	l := make([]uint8, n)
	for s, v := range set {
		l[s] = v
	}
	return l
}

func litOps(s string) []dynOp {
	var ops []dynOp
	for i := 0; i < len(s); i++ {
		ops = append(ops, dynOp{sym: int(s[i])})
	}
	return ops
}

// deflateCorners adds the cases to the payload file.
func deflateCorners(g *confGen) {
	one := vectorSecrets[:1]
	q, a, b, c, eob := int('"'), int('a'), int('b'), int('c'), 256
	endOp := []dynOp{{sym: eob}}
	// A complete literal code: '"', 'a', end-of-block and length 3 (257) of length 2.
	complete := litLengths(258, map[int]uint8{q: 2, a: 2, eob: 2, 257: 2})
	oneDist := []uint8{1} // one distance code (distance 1), of one bit: RFC 1951 3.2.7
	g.ok("payload/dynamic-huffman", "5.2", "a dynamic-Huffman block (BTYPE 10), hand-made, whose one distance code has length 1 (RFC 1951 3.2.7: one distance code is one bit; zlib, Go and puff accept this incomplete code): \"aaaa\" as \"a, a match of 3 at distance 1, \"",
		sealed{secrets: one, flags: flagDeflate, body: dynamicBlock(true, complete, oneDist, append(append(litOps(`"a`), dynOp{match: true, dist: 0}, dynOp{sym: q}), endOp...))}, opts{})
	g.fail("payload/dynamic-incomplete-literal-code", "5.2", "a dynamic block whose literal/length code is incomplete (three codes of length 2): corrupt, though every symbol the stream uses has a code",
		sealed{secrets: one, flags: flagDeflate, body: dynamicBlock(true, litLengths(257, map[int]uint8{q: 2, a: 2, eob: 2}), oneDist, append(litOps(`"a"`), endOp...))}, opts{}, "invalid")
	g.fail("payload/dynamic-over-subscribed-literal-code", "5.2", "a dynamic block whose literal/length code is over-subscribed (five codes of length 2): corrupt",
		sealed{secrets: one, flags: flagDeflate, body: dynamicBlock(true, litLengths(257, map[int]uint8{q: 2, a: 2, b: 2, c: 2, eob: 2}), oneDist, append(litOps(`"a"`), endOp...))}, opts{}, "invalid")
	g.fail("payload/dynamic-incomplete-distance-code", "5.2", "a dynamic block whose distance code is incomplete (two codes of length 2; only a single code of length 1 may be incomplete): corrupt",
		sealed{secrets: one, flags: flagDeflate, body: dynamicBlock(true, complete, []uint8{2, 2}, append(litOps(`"a"`), endOp...))}, opts{}, "invalid")
	g.fail("payload/dynamic-over-subscribed-distance-code", "5.2", "a dynamic block whose distance code is over-subscribed (three codes of length 1): corrupt",
		sealed{secrets: one, flags: flagDeflate, body: dynamicBlock(true, complete, []uint8{1, 1, 1}, append(litOps(`"a"`), endOp...))}, opts{}, "invalid")
	noEOB := litLengths(257, map[int]uint8{q: 1, a: 1}) // complete, but no code for 256
	long := litOps(`"`)
	for i := 0; i < 70; i++ {
		long = append(long, dynOp{sym: a})
	}
	g.fail("payload/dynamic-no-end-of-block-code", "5.2", "a dynamic block whose literal/length code has no end-of-block code, followed by 71 literals, under max_payload 64: corrupt when its header is read (zlib, puff), before any output; compress/flate alone would say too large",
		sealed{secrets: one, flags: flagDeflate, body: dynamicBlock(true, noEOB, oneDist, long)}, opts{maxPayload: ptr(64)}, "invalid")
	g.fail("payload/dynamic-no-end-of-block-code-short", "5.2", "the same header with three literals: corrupt",
		sealed{secrets: one, flags: flagDeflate, body: dynamicBlock(true, noEOB, oneDist, litOps(`"a"`))}, opts{}, "invalid")
	lits := func(s string) []int {
		var o []int
		for i := 0; i < len(s); i++ {
			o = append(o, int(s[i]))
		}
		return o
	}
	g.fail("payload/fixed-distance-before-start", "5.2", "a fixed-Huffman block: one literal, then a match at distance 2: a distance before the start of the output, corrupt",
		sealed{secrets: one, flags: flagDeflate, body: fixedBlock(true, append(lits(`"`), -(3*8+2)), true)}, opts{}, "invalid")
	g.fail("payload/fixed-distance-symbol-30", "5.2", "a fixed-Huffman block using distance symbol 30, which RFC 1951 reserves: corrupt",
		sealed{secrets: one, flags: flagDeflate, body: fixedBlock(true, append(lits(`"aa`), 1000+30), true)}, opts{}, "invalid")
	var over []int
	for i := 0; i < 70; i++ {
		over = append(over, 'a')
	}
	g.fail("payload/cap-before-missing-end-of-block", "5.2", "a final fixed-Huffman block of 70 literals with no end-of-block code, under max_payload 64: the output passes the cap before the stream is found truncated, too large",
		sealed{secrets: one, flags: flagDeflate, body: fixedBlock(true, over, false)}, opts{maxPayload: ptr(64)}, "too_large")
}
