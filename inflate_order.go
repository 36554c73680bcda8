package cookieseal

import "errors"

// firstInflateFailure decodes a raw DEFLATE stream that compress/flate
// inflated past limit bytes, counting output without keeping it, and
// reports errInflateLimit, or errCorruptFirst when the stream is corrupt
// before its output passes limit. compress/flate checks some things later
// than a block header (a dynamic block without an end-of-block code, which
// zlib and puff refuse when they read its header), and SPEC.md section 5.2
// says the first failure met wins. It follows Mark Adler's puff
// (zlib/contrib/puff), as the JavaScript inflater does; it runs only on
// the rare refusal of an authenticated cookie, never on a cookie that
// opens.
func firstInflateFailure(src []byte, limit int) error {
	p := puff{src: src, limit: limit, window: make([]byte, 0, min(limit+1, windowSize))}
	err := p.run()
	if errors.Is(err, errInflateLimit{limit}) {
		return errInflateLimit{limit}
	}
	if err == nil {
		return errInflateLimit{limit} // unreachable: flate produced more than the limit
	}
	return errCorruptFirst
}

var errCorruptFirst = errors.New("corrupt DEFLATE data (before the output passes the limit)")

type puff struct {
	src    []byte
	pos    int
	bitbuf uint32
	bitcnt uint
	n      int    // output bytes so far
	limit  int    // output past this fails
	window []byte // the output, up to limit+1 bytes (distances look back into it)
}

type huff struct {
	count  [16]uint16
	symbol []uint16
}

var errPuff = errors.New("corrupt")

func (p *puff) bits(need uint) (uint32, error) {
	val := p.bitbuf
	for p.bitcnt < need {
		if p.pos >= len(p.src) {
			return 0, errPuff // truncated
		}
		val |= uint32(p.src[p.pos]) << p.bitcnt
		p.pos++
		p.bitcnt += 8
	}
	p.bitbuf = val >> need
	p.bitcnt -= need
	return val & (1<<need - 1), nil
}

func (p *puff) emit(b byte) error {
	if p.n >= p.limit {
		return errInflateLimit{p.limit}
	}
	p.n++
	p.window = append(p.window, b)
	return nil
}

func construct(lengths []uint8) (*huff, error) {
	h := &huff{symbol: make([]uint16, len(lengths))}
	for _, l := range lengths {
		h.count[l]++
	}
	if int(h.count[0]) == len(lengths) {
		return h, nil
	}
	left := 1
	for l := 1; l <= 15; l++ {
		left <<= 1
		left -= int(h.count[l])
		if left < 0 {
			return nil, errPuff // over-subscribed
		}
	}
	if left > 0 && !(len(lengths)-int(h.count[0]) == 1 && h.count[1] == 1) {
		return nil, errPuff // incomplete, and not a single code of length 1
	}
	var offs [16]uint16
	for l := 1; l < 15; l++ {
		offs[l+1] = offs[l] + h.count[l]
	}
	for s, l := range lengths {
		if l != 0 {
			h.symbol[offs[l]] = uint16(s)
			offs[l]++
		}
	}
	return h, nil
}

func (p *puff) decode(h *huff) (int, error) {
	code, first, index := 0, 0, 0
	for l := 1; l <= 15; l++ {
		b, err := p.bits(1)
		if err != nil {
			return 0, err
		}
		code |= int(b)
		count := int(h.count[l])
		if code-count < first {
			return int(h.symbol[index+code-first]), nil
		}
		index += count
		first += count
		first <<= 1
		code <<= 1
	}
	return 0, errPuff
}

var (
	lbase = [29]int{3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258}
	lext  = [29]uint{0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0}
	dbase = [30]int{1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577}
	dext  = [30]uint{0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13}
	order = [19]int{16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15}
)

func (p *puff) codes(lit, dist *huff) error {
	for {
		sym, err := p.decode(lit)
		if err != nil {
			return err
		}
		switch {
		case sym < 256:
			if err := p.emit(byte(sym)); err != nil {
				return err
			}
		case sym == 256:
			return nil
		default:
			sym -= 257
			if sym >= 29 {
				return errPuff
			}
			e, err := p.bits(lext[sym])
			if err != nil {
				return err
			}
			n := lbase[sym] + int(e)
			ds, err := p.decode(dist)
			if err != nil {
				return err
			}
			if ds >= 30 {
				return errPuff
			}
			e, err = p.bits(dext[ds])
			if err != nil {
				return err
			}
			d := dbase[ds] + int(e)
			if d > p.n {
				return errPuff // a distance before the start
			}
			for ; n > 0; n-- {
				if err := p.emit(p.window[len(p.window)-d]); err != nil {
					return err
				}
			}
		}
	}
}

func (p *puff) stored() error {
	p.bitbuf, p.bitcnt = 0, 0
	if p.pos+4 > len(p.src) {
		return errPuff
	}
	n := int(p.src[p.pos]) | int(p.src[p.pos+1])<<8
	nn := int(p.src[p.pos+2]) | int(p.src[p.pos+3])<<8
	p.pos += 4
	if n != ^nn&0xffff {
		return errPuff
	}
	for ; n > 0; n-- {
		if p.pos >= len(p.src) {
			return errPuff
		}
		if err := p.emit(p.src[p.pos]); err != nil {
			return err
		}
		p.pos++
	}
	return nil
}

var fixedLit, fixedDist = func() (*huff, *huff) {
	l := make([]uint8, 288)
	for i := range l {
		switch {
		case i < 144:
			l[i] = 8
		case i < 256:
			l[i] = 9
		case i < 280:
			l[i] = 7
		default:
			l[i] = 8
		}
	}
	lit, _ := construct(l)
	d := &huff{symbol: make([]uint16, 30)}
	d.count[5] = 30
	for i := range d.symbol {
		d.symbol[i] = uint16(i)
	}
	return lit, d
}()

func (p *puff) dynamic() error {
	v, err := p.bits(14)
	if err != nil {
		return err
	}
	nlen, ndist, ncode := int(v&31)+257, int(v>>5&31)+1, int(v>>10)+4
	if nlen > 286 || ndist > 30 {
		return errPuff
	}
	var lengths [320]uint8
	for i := 0; i < ncode; i++ {
		b, err := p.bits(3)
		if err != nil {
			return err
		}
		lengths[order[i]] = uint8(b)
	}
	lencode, err := construct(lengths[:19])
	if err != nil {
		return err
	}
	if lencode.count[0] == 19 {
		return errPuff
	}
	lengths = [320]uint8{}
	for i := 0; i < nlen+ndist; {
		sym, err := p.decode(lencode)
		if err != nil {
			return err
		}
		if sym < 16 {
			lengths[i] = uint8(sym)
			i++
			continue
		}
		var l uint8
		var rep uint32
		switch sym {
		case 16:
			if i == 0 {
				return errPuff
			}
			l = lengths[i-1]
			rep, err = p.bits(2)
			rep += 3
		case 17:
			rep, err = p.bits(3)
			rep += 3
		default:
			rep, err = p.bits(7)
			rep += 11
		}
		if err != nil {
			return err
		}
		if i+int(rep) > nlen+ndist {
			return errPuff
		}
		for ; rep > 0; rep-- {
			lengths[i] = l
			i++
		}
	}
	if lengths[256] == 0 {
		return errPuff // no end-of-block code: the block could never end
	}
	lit, err := construct(lengths[:nlen])
	if err != nil {
		return err
	}
	dist, err := construct(lengths[nlen : nlen+ndist])
	if err != nil {
		return err
	}
	return p.codes(lit, dist)
}

func (p *puff) run() error {
	for {
		last, err := p.bits(1)
		if err != nil {
			return err
		}
		typ, err := p.bits(2)
		if err != nil {
			return err
		}
		switch typ {
		case 0:
			err = p.stored()
		case 1:
			err = p.codes(fixedLit, fixedDist)
		case 2:
			err = p.dynamic()
		default:
			err = errPuff
		}
		if err != nil || last == 1 {
			return err
		}
	}
}
