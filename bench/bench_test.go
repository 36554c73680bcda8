// Package bench compares cookieseal with gorilla/securecookie and with the
// cost floor of any sealed JSON cookie (encoding/json, one XChaCha20-Poly1305
// seal or open, base64url), in one process, on the same values. It is a
// nested module so that gorilla stays out of cookieseal's module graph.
//
// Sub-benchmarks are named op=.../impl=..., so that
//
//	benchstat -col /impl new.txt
//
// puts the implementations side by side with their ratios to cookieseal.
package bench

import (
	"bytes"
	"compress/flate"
	"crypto/cipher"
	"crypto/rand"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"io"
	"reflect"
	"sync"
	"testing"
	"time"

	"github.com/cookieseal/cookieseal"
	"github.com/go-jose/go-jose/v4"
	"github.com/gorilla/securecookie"
	"golang.org/x/crypto/chacha20poly1305"
)

const cookieName = "session"

// impl is one way to turn a value into a cookie and back.
type impl interface {
	Encode(name string, value any) (string, error)
	Decode(name, value string, dst any) error
}

func newCookieseal(tb testing.TB, keys int) *cookieseal.Codec {
	return newCookiesealConfig(tb, keys, cookieseal.Config{})
}

// newCookiesealConfig is newCookieseal with cfg's options (Compress).
func newCookiesealConfig(tb testing.TB, keys int, cfg cookieseal.Config) *cookieseal.Codec {
	tb.Helper()
	secrets := make([]string, keys)
	for i := range secrets {
		secrets[i] = cookieseal.GenerateSecret()
	}
	cfg.Secrets = secrets
	c, err := cookieseal.New(cfg)
	if err != nil {
		tb.Fatal(err)
	}
	return c
}

func randomKey(n int) []byte {
	k := make([]byte, n)
	rand.Read(k)
	return k
}

// newGorilla returns securecookie as gorilla/sessions sets it up: HMAC-SHA256
// with a 64-byte hash key, AES-256-CTR, and gob unless json is set. MaxLength
// is off so that the cart's length can be measured; it is over 4096.
func newGorilla(json bool) *securecookie.SecureCookie {
	s := securecookie.New(randomKey(64), randomKey(32)).MaxLength(0)
	if json {
		s.SetSerializer(securecookie.JSONEncoder{})
	}
	return s
}

// floor is the least any sealed JSON cookie costs: encoding/json, a random
// nonce, one XChaCha20-Poly1305 Seal or Open, and base64url. It binds no name
// and has no header, timestamp or checks; compress adds stdlib DEFLATE level 1
// with pooled writers, for the cart.
type floor struct {
	aead     cipher.AEAD
	compress bool
}

func newFloor(compress bool) *floor {
	a, err := chacha20poly1305.NewX(randomKey(chacha20poly1305.KeySize))
	if err != nil {
		panic(err)
	}
	return &floor{aead: a, compress: compress}
}

var (
	floorWriters = sync.Pool{New: func() any { w, _ := flate.NewWriter(nil, flate.BestSpeed); return w }}
	floorReaders = sync.Pool{New: func() any { return flate.NewReader(bytes.NewReader(nil)) }}
)

func (f *floor) Encode(_ string, value any) (string, error) {
	p, err := json.Marshal(value)
	if err != nil {
		return "", err
	}
	if f.compress {
		var buf bytes.Buffer
		w := floorWriters.Get().(*flate.Writer)
		w.Reset(&buf)
		w.Write(p)
		w.Close()
		floorWriters.Put(w)
		p = buf.Bytes()
	}
	out := make([]byte, chacha20poly1305.NonceSizeX, chacha20poly1305.NonceSizeX+len(p)+chacha20poly1305.Overhead)
	rand.Read(out)
	out = f.aead.Seal(out, out, p, nil)
	return base64.RawURLEncoding.EncodeToString(out), nil
}

func (f *floor) Decode(_, value string, dst any) error {
	raw, err := base64.RawURLEncoding.DecodeString(value)
	if err != nil {
		return err
	}
	if len(raw) < chacha20poly1305.NonceSizeX+chacha20poly1305.Overhead {
		return io.ErrUnexpectedEOF
	}
	p, err := f.aead.Open(raw[chacha20poly1305.NonceSizeX:chacha20poly1305.NonceSizeX], raw[:chacha20poly1305.NonceSizeX], raw[chacha20poly1305.NonceSizeX:], nil)
	if err != nil {
		return err
	}
	if f.compress {
		r := floorReaders.Get().(io.ReadCloser)
		r.(flate.Resetter).Reset(bytes.NewReader(p), nil)
		p, err = io.ReadAll(r)
		floorReaders.Put(r)
		if err != nil {
			return err
		}
	}
	return json.Unmarshal(p, dst)
}

type namedImpl struct {
	name string
	impl impl
}

// benchPair runs Encode, Decode and Decode of a forged cookie of value with
// every implementation, and checks first that each one round-trips it and
// refuses the forgery. The forged cookie is a valid one with one character in
// the middle changed to another of the same alphabet, so that it parses and
// fails where the library authenticates.
func benchPair(b *testing.B, value any, newDst func() any, impls []namedImpl) {
	plain, err := json.Marshal(jsonable(value))
	if err != nil {
		b.Fatal(err)
	}
	for _, op := range []string{"Encode", "Decode", "Forged"} {
		for _, im := range impls {
			b.Run("op="+op+"/impl="+im.name, func(b *testing.B) {
				cookie, err := im.impl.Encode(cookieName, value)
				if err != nil {
					b.Fatal(err)
				}
				dst := newDst()
				if err := im.impl.Decode(cookieName, cookie, dst); err != nil {
					b.Fatal(err)
				}
				if got := reflect.ValueOf(dst).Elem().Interface(); !reflect.DeepEqual(got, value) {
					b.Fatalf("round trip: got %#v, want %#v", got, value)
				}
				forged := forge(cookie)
				if err := im.impl.Decode(cookieName, forged, newDst()); err == nil {
					b.Fatal("the forged cookie decoded")
				}
				b.SetBytes(int64(len(plain)))
				b.ReportAllocs()
				cpu := startCPU()
				switch op {
				case "Encode":
					for b.Loop() {
						if _, err := im.impl.Encode(cookieName, value); err != nil {
							b.Fatal(err)
						}
					}
				case "Decode":
					for b.Loop() {
						if err := im.impl.Decode(cookieName, cookie, newDst()); err != nil {
							b.Fatal(err)
						}
					}
				case "Forged":
					for b.Loop() {
						if err := im.impl.Decode(cookieName, forged, newDst()); err == nil {
							b.Fatal("the forged cookie decoded")
						}
					}
				}
				cpu.report(b)
				b.ReportMetric(float64(len(cookie)), "cookie-bytes")
			})
		}
	}
}

// forge changes the character in the middle of cookie (or the nearest one
// that is a letter or digit) to another letter or digit.
func forge(cookie string) string {
	b := []byte(cookie)
	i := len(b) / 2
	for !isAlnum(b[i]) {
		i++
	}
	if b[i] == 'A' {
		b[i] = 'B'
	} else {
		b[i] = 'A'
	}
	return string(b)
}

func isAlnum(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z'
}

// cpuMeter reports, as "cpu-ns/op", the process CPU time per iteration of
// a b.Loop: start it before the loop, call report after.
type cpuMeter struct {
	start time.Duration
	ok    bool
}

func startCPU() cpuMeter {
	d, ok := processCPU()
	return cpuMeter{d, ok}
}

func (m cpuMeter) report(b *testing.B) {
	end, ok := processCPU()
	if m.ok && ok && b.N > 0 {
		b.ReportMetric(float64(end-m.start)/float64(b.N), "cpu-ns/op")
	}
}

// jsonable turns session values into something encoding/json takes, only to
// size b.SetBytes alike for every implementation.
func jsonable(v any) any {
	m, ok := v.(map[any]any)
	if !ok {
		return v
	}
	out := make(map[string]any, len(m))
	for k, e := range m {
		out[fmt.Sprint(k)] = e
	}
	return out
}

// peers is every implementation the small session and the cart run with:
// cookieseal, gorilla/securecookie (JSON and gob), PASETO v4.local, Branca,
// go-jose JWE (dir, A256GCM and A256CBC-HS512) and the floor; for the cart
// also the floor with DEFLATE level 1.
func peers(tb testing.TB, cart bool) []namedImpl {
	p := []namedImpl{
		{"cookieseal", newCookieseal(tb, 1)},
		{"gorilla-json", newGorilla(true)},
		{"gorilla-gob", newGorilla(false)},
		{"paseto-v4-local", newPaseto()},
		{"branca", newBranca()},
		{"jwe-dir-A256GCM", newJWE(jose.A256GCM)},
		{"jwe-dir-A256CBC-HS512", newJWE(jose.A256CBC_HS512)},
		{"floor", newFloor(false)},
	}
	if cart {
		p = append(p, namedImpl{"floor-flate1", newFloor(true)})
	}
	return p
}

// BenchmarkSmallSession is the 279-byte session (issue 5's table).
func BenchmarkSmallSession(b *testing.B) {
	benchPair(b, smallSession(), func() any { return new(Session) }, peers(b, false))
}

// BenchmarkCart is the 2.9 KB cart. cookieseal fits it in one cookie without
// compression (the default: 4004 of 4096 bytes as session=...) and in about
// 890 bytes with Config.Compress; gorilla's do not fit.
func BenchmarkCart(b *testing.B) {
	benchPair(b, cart(), func() any { return new(Cart) }, append(peers(b, true),
		namedImpl{"cookieseal-compress", newCookiesealConfig(b, 1, cookieseal.Config{Compress: true})}))
}

// BenchmarkGorillaValues is gorilla/sessions' Session.Values; cookieseal
// encodes it in its typed form, gorilla in gob (its JSON encoder cannot).
func BenchmarkGorillaValues(b *testing.B) {
	benchPair(b, gorillaValues(), func() any { return new(map[any]any) }, []namedImpl{
		{"cookieseal", newCookieseal(b, 1)},
		{"gorilla-gob", newGorilla(false)},
	})
}

// bogus returns a cookie of the small session's length that is valid
// base64url, has a v1 header naming key id and random bytes after it, so
// that it reaches Open and fails there.
func bogus(tb testing.TB, length int, id cookieseal.KeyID) string {
	raw := make([]byte, base64.RawURLEncoding.DecodedLen(length))
	rand.Read(raw)
	raw[0] = 1 // version
	binary.BigEndian.PutUint32(raw[1:5], uint32(id))
	raw[5] = 0 // flags
	s := base64.RawURLEncoding.EncodeToString(raw)
	if _, err := cookieseal.Inspect(s); err != nil {
		tb.Fatal(err)
	}
	return s
}

// BenchmarkBogus measures how fast a forged cookie of a valid length is
// refused, by rings of 1 and 32 secrets, with the key ID of the ring's last
// key (reaches Open) or an unknown one; a valid Decode of the same length is
// the reference.
func BenchmarkBogus(b *testing.B) {
	for _, keys := range []int{1, 32} {
		c := newCookieseal(b, keys)
		valid, err := c.Encode(cookieName, smallSession())
		if err != nil {
			b.Fatal(err)
		}
		ids := c.KeyIDs()
		last := ids[len(ids)-1]
		unknown := last + 1
		for _, tc := range []struct {
			name   string
			cookie string
			ok     bool
		}{
			{"valid", valid, true},
			{"known-key", bogus(b, len(valid), last), false},
			{"unknown-key", bogus(b, len(valid), unknown), false},
		} {
			b.Run(fmt.Sprintf("keys=%d/cookie=%s/impl=cookieseal", keys, tc.name), func(b *testing.B) {
				b.SetBytes(int64(len(tc.cookie)))
				b.ReportAllocs()
				cpu := startCPU()
				for b.Loop() {
					var s Session
					if err := c.Decode(cookieName, tc.cookie, &s); (err == nil) != tc.ok {
						b.Fatal(err)
					}
				}
				cpu.report(b)
			})
		}
	}
	g := newGorilla(true)
	valid, err := g.Encode(cookieName, smallSession())
	if err != nil {
		b.Fatal(err)
	}
	forged := make([]byte, base64.URLEncoding.DecodedLen(len(valid)))
	rand.Read(forged)
	b.Run("keys=1/cookie=forged/impl=gorilla-json", func(b *testing.B) {
		cookie := base64.URLEncoding.EncodeToString(forged)
		b.ReportAllocs()
		for b.Loop() {
			var s Session
			if err := g.Decode(cookieName, cookie, &s); err == nil {
				b.Fatal("forged cookie decoded")
			}
		}
	})
}

// BenchmarkParallel runs the small session on every P at once; with 2 cores
// free, ns/op should be about half the single-goroutine figure. Its cpu-ns/op
// stays near the single-goroutine one unless goroutines contend (cache lines
// bouncing between cores); a lock would show in -mutexprofile.
func BenchmarkParallel(b *testing.B) {
	for _, im := range []namedImpl{{"cookieseal", newCookieseal(b, 1)}, {"floor", newFloor(false)}} {
		cookie, err := im.impl.Encode(cookieName, smallSession())
		if err != nil {
			b.Fatal(err)
		}
		value := smallSession()
		b.Run("op=Encode/impl="+im.name, func(b *testing.B) {
			b.ReportAllocs()
			cpu := startCPU()
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					if _, err := im.impl.Encode(cookieName, value); err != nil {
						b.Error(err)
						return
					}
				}
			})
			cpu.report(b)
		})
		b.Run("op=Decode/impl="+im.name, func(b *testing.B) {
			b.ReportAllocs()
			cpu := startCPU()
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					var s Session
					if err := im.impl.Decode(cookieName, cookie, &s); err != nil {
						b.Error(err)
						return
					}
				}
			})
			cpu.report(b)
		})
	}
}
