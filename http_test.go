package cookieseal

import (
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"
)

// newTestCookies returns a Cookies over a fresh codec with one generated
// secret; cfg.Secrets is filled in when empty.
func newTestCookies(t *testing.T, cfg Config, opts CookieOptions) *Cookies {
	t.Helper()
	if len(cfg.Secrets) == 0 {
		cfg.Secrets = []string{GenerateSecret()}
	}
	c, err := New(cfg)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	s, err := NewCookies(c, opts)
	if err != nil {
		t.Fatalf("NewCookies: %v", err)
	}
	return s
}

// setCookies returns the cookies a response sets, expired ones left out, as
// a browser would keep them.
func setCookies(rec *httptest.ResponseRecorder) []*http.Cookie {
	var out []*http.Cookie
	for _, c := range rec.Result().Cookies() {
		if c.MaxAge >= 0 {
			out = append(out, c)
		}
	}
	return out
}

// requestWith returns a GET request that carries cookies.
func requestWith(cookies []*http.Cookie) *http.Request {
	r := httptest.NewRequest(http.MethodGet, "/", nil)
	for _, c := range cookies {
		r.AddCookie(&http.Cookie{Name: c.Name, Value: c.Value})
	}
	return r
}

// write writes value as the cookie name and returns the recorder.
func write(t *testing.T, s *Cookies, r *http.Request, name string, value any) *httptest.ResponseRecorder {
	t.Helper()
	rec := httptest.NewRecorder()
	if err := s.Write(rec, r, name, value); err != nil {
		t.Fatalf("Write: %v", err)
	}
	return rec
}

// randomText returns n bytes of base64url text that DEFLATE cannot shrink
// much.
func randomText(n int) string {
	b := make([]byte, n)
	rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)[:n]
}

// big lets a value span up to 50 full cookies, past the default budget of
// DefaultMaxHeaderBytes, to test the layout itself.
var big = CookieOptions{MaxHeaderBytes: 50 * 4096}

// bigWith is big with opts' other fields.
func bigWith(opts CookieOptions) CookieOptions {
	opts.MaxHeaderBytes = big.MaxHeaderBytes
	return opts
}

type blob struct {
	Data string `json:"data"`
}

func TestCookiesWriteDefaults(t *testing.T) {
	s := newTestCookies(t, Config{MaxAge: 90 * time.Minute}, CookieOptions{})
	rec := write(t, s, nil, "session", map[string]int{"n": 1})

	lines := rec.Header().Values("Set-Cookie")
	if len(lines) == 0 {
		t.Fatal("no Set-Cookie")
	}
	first := lines[0]
	if !strings.HasPrefix(first, "session=") {
		t.Errorf("got %q, want the cookie session first", first)
	}
	for _, attr := range []string{"; Path=/", "; Max-Age=5400", "; HttpOnly", "; Secure", "; SameSite=Lax"} {
		if !strings.Contains(first, attr) {
			t.Errorf("Set-Cookie %q lacks %q", first, attr)
		}
	}
	if strings.Contains(strings.ToLower(first), "domain=") {
		t.Errorf("Set-Cookie %q has a Domain, want a host-only cookie", first)
	}
	if got := rec.Header().Get("Cache-Control"); got != "no-store" {
		t.Errorf("Cache-Control: got %q, want no-store", got)
	}
	// A nil request expires every possible part past the first: at the
	// default budget a value has one part, so there is none.
	if got, want := len(lines), 1; got != want {
		t.Errorf("got %d Set-Cookie lines for a nil request, want %d", got, want)
	}
	big := newTestCookies(t, Config{}, big)
	if got, want := len(write(t, big, nil, "session", 1).Header().Values("Set-Cookie")), 10; got != want {
		t.Errorf("with a raised budget: got %d Set-Cookie lines for a nil request, want %d (1 cookie + 9 expired parts)", got, want)
	}
}

func TestCookiesMaxAgeUnderASecond(t *testing.T) {
	s := newTestCookies(t, Config{MaxAge: 500 * time.Millisecond}, CookieOptions{})
	if line := write(t, s, requestWith(nil), "s", 1).Header().Get("Set-Cookie"); !strings.Contains(line, "; Max-Age=1;") {
		t.Errorf("Set-Cookie %.200q: want Max-Age=1, not a cookie without Max-Age", line)
	}
}

func TestCookiesOptions(t *testing.T) {
	tests := []struct {
		name     string
		opts     CookieOptions
		wantName string
		want     []string
		notWant  []string
	}{
		{"host prefix", CookieOptions{HostPrefix: true}, "__Host-s", []string{"; Path=/", "; Secure"}, []string{"Domain="}},
		{"insecure drops Secure and the prefix", CookieOptions{HostPrefix: true, Insecure: true}, "s", []string{"; HttpOnly"}, []string{"Secure"}},
		{"strict", CookieOptions{SameSite: http.SameSiteStrictMode}, "s", []string{"; SameSite=Strict"}, nil},
		{"none", CookieOptions{SameSite: http.SameSiteNoneMode}, "s", []string{"; SameSite=None", "; Secure"}, nil},
		{"path and domain", CookieOptions{Path: "/app", Domain: "example.com"}, "s", []string{"; Path=/app", "; Domain=example.com"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newTestCookies(t, Config{}, tt.opts)
			rec := httptest.NewRecorder()
			if err := s.Write(rec, requestWith(nil), "s", 1); err != nil {
				t.Fatal(err)
			}
			line := rec.Header().Get("Set-Cookie")
			if !strings.HasPrefix(line, tt.wantName+"=") {
				t.Errorf("got %q, want the cookie named %s", line, tt.wantName)
			}
			for _, a := range tt.want {
				if !strings.Contains(line, a) {
					t.Errorf("Set-Cookie %q lacks %q", line, a)
				}
			}
			for _, a := range tt.notWant {
				if strings.Contains(line, a) {
					t.Errorf("Set-Cookie %q has %q", line, a)
				}
			}
			var got int
			if _, err := s.Read(requestWith(setCookies(rec)), "s", &got); err != nil || got != 1 {
				t.Errorf("Read: got %d, %v; want 1, nil", got, err)
			}
		})
	}
}

func TestNewCookiesRejects(t *testing.T) {
	c, err := New(Config{Secrets: []string{GenerateSecret()}})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name  string
		codec *Codec
		opts  CookieOptions
	}{
		{"nil codec", nil, CookieOptions{}},
		{"negative MaxChunks", c, CookieOptions{MaxChunks: -1}},
		{"MaxChunks over 50", c, CookieOptions{MaxChunks: 51}},
		{"negative MaxHeaderBytes", c, CookieOptions{MaxHeaderBytes: -1}},
		{"MaxHeaderBytes under 256", c, CookieOptions{MaxHeaderBytes: 255}},
		{"SameSite None without Secure", c, CookieOptions{SameSite: http.SameSiteNoneMode, Insecure: true}},
		{"unknown SameSite", c, CookieOptions{SameSite: 99}},
		{"HostPrefix with a Path", c, CookieOptions{HostPrefix: true, Path: "/app"}},
		{"HostPrefix with a Domain", c, CookieOptions{HostPrefix: true, Domain: "example.com"}},
		{"relative Path", c, CookieOptions{Path: "app"}},
		{"Path with a semicolon", c, CookieOptions{Path: "/a;Domain=evil.example"}},
		{"bad Domain", c, CookieOptions{Domain: "exa mple.com"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if s, err := NewCookies(tt.codec, tt.opts); err == nil {
				t.Errorf("NewCookies(%+v) = %v, nil; want an error", tt.opts, s)
			}
		})
	}
	if _, err := NewCookies(c, CookieOptions{MaxChunks: 50}); err != nil {
		t.Errorf("MaxChunks 50: %v, want it accepted", err)
	}
	if _, err := NewCookies(c, CookieOptions{MaxHeaderBytes: 256}); err != nil {
		t.Errorf("MaxHeaderBytes 256: %v, want it accepted", err)
	}
}

func TestCookiesBadNames(t *testing.T) {
	s := newTestCookies(t, Config{}, CookieOptions{})
	for _, name := range []string{"", "a b", "a;b", "__Host-s", "__secure-s", strings.Repeat("n", 4040)} {
		if err := s.Write(httptest.NewRecorder(), nil, name, 1); err == nil {
			t.Errorf("Write(%.20q): nil error, want one", name)
		}
		var dst int
		if _, err := s.Read(requestWith(nil), name, &dst); err == nil || errors.Is(err, http.ErrNoCookie) {
			t.Errorf("Read(%.20q): %v, want a name error", name, err)
		}
		if err := s.Delete(httptest.NewRecorder(), nil, name); err == nil {
			t.Errorf("Delete(%.20q): nil error, want one", name)
		}
	}
}

// TestCookiesNameLengthLimit checks the bound on names: the last possible
// part must keep minChunkSize bytes for its value.
func TestCookiesNameLengthLimit(t *testing.T) {
	s := newTestCookies(t, Config{}, big)
	longest := strings.Repeat("n", 4096-len(".9")-1-minChunkSize) // part 9 keeps 64 bytes
	if err := s.Write(httptest.NewRecorder(), nil, longest, 1); err != nil {
		t.Errorf("name of %d bytes: %v, want it accepted", len(longest), err)
	}
	if err := s.Write(httptest.NewRecorder(), nil, longest+"n", 1); err == nil {
		t.Errorf("name of %d bytes accepted, want an error", len(longest)+1)
	}
}

// TestCookiesFillTheBudget writes the longest value that fits two cookies:
// each is then exactly 4096 bytes with its name, and one more byte of value
// is ErrTooLarge.
func TestCookiesFillTheBudget(t *testing.T) {
	s := newTestCookies(t, Config{}, bigWith(CookieOptions{MaxChunks: 2}))
	// 6 + 24 + 8 + 16 bytes of overhead, the JSON string's 2 quotes, and
	// 6082 bytes of text: 6138 bytes, 8184 in base64url = "2." and 4092
	// in s, 4092 in s.1.
	const fits = 6082
	rec := write(t, s, nil, "s", strings.Repeat("x", fits))
	for _, c := range rec.Result().Cookies() {
		if c.MaxAge < 0 {
			continue
		}
		if size := len(c.Name) + 1 + len(c.Value); size != 4096 {
			t.Errorf("cookie %s: %d bytes with its name, want exactly 4096", c.Name, size)
		}
	}
	var got string
	if _, err := s.Read(requestWith(setCookies(rec)), "s", &got); err != nil || len(got) != fits {
		t.Errorf("reading the full budget back: %d bytes, %v; want %d", len(got), err, fits)
	}
	err := s.Write(httptest.NewRecorder(), nil, "s", strings.Repeat("x", fits+1))
	if !errors.Is(err, ErrTooLarge) {
		t.Errorf("one byte more: got %v, want ErrTooLarge", err)
	}
}

func TestCookiesReadMissingAndBad(t *testing.T) {
	s := newTestCookies(t, Config{}, CookieOptions{})
	other := newTestCookies(t, Config{}, CookieOptions{})

	dst := 42
	_, err := s.Read(requestWith(nil), "s", &dst)
	if !errors.Is(err, http.ErrNoCookie) || errors.Is(err, ErrInvalid) {
		t.Errorf("missing cookie: got %v, want http.ErrNoCookie only", err)
	}
	tests := []struct {
		name    string
		cookies []*http.Cookie
		want    error
	}{
		{"garbage", []*http.Cookie{{Name: "s", Value: "garbage"}}, ErrInvalid},
		{"empty", []*http.Cookie{{Name: "s", Value: ""}}, ErrInvalid},
		{"other secret", setCookies(write(t, other, nil, "s", 7)), ErrUnknownKey},
		{"other name", renamed(setCookies(write(t, s, nil, "t", 7)), "t", "s"), ErrInvalid},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := s.Read(requestWith(tt.cookies), "s", &dst)
			if !errors.Is(err, tt.want) || errors.Is(err, http.ErrNoCookie) {
				t.Errorf("got %v, want %v", err, tt.want)
			}
			if dst != 42 {
				t.Errorf("dst changed to %d on error", dst)
			}
		})
	}
}

// renamed returns cookies with the name from renamed to the name to.
func renamed(cookies []*http.Cookie, from, to string) []*http.Cookie {
	var out []*http.Cookie
	for _, c := range cookies {
		n := c.Name
		if n == from {
			n = to
		}
		out = append(out, &http.Cookie{Name: n, Value: c.Value})
	}
	return out
}

func TestCookiesReadExpired(t *testing.T) {
	now := time.Unix(1_800_000_000, 0)
	s := newTestCookies(t, Config{MaxAge: time.Hour, Now: func() time.Time { return now }}, big)
	r := requestWith(setCookies(write(t, s, nil, "s", blob{randomText(6000)})))
	now = now.Add(2 * time.Hour)
	var dst blob
	if _, err := s.Read(r, "s", &dst); !errors.Is(err, ErrExpired) {
		t.Errorf("got %v, want ErrExpired", err)
	}
}

func TestCookiesSmallValueIsOneCodecCookie(t *testing.T) {
	c, err := New(Config{Secrets: []string{GenerateSecret()}})
	if err != nil {
		t.Fatal(err)
	}
	s, err := NewCookies(c, CookieOptions{})
	if err != nil {
		t.Fatal(err)
	}
	cookies := setCookies(write(t, s, requestWith(nil), "s", "hello"))
	if len(cookies) != 1 {
		t.Fatalf("got %d cookies, want 1", len(cookies))
	}
	var got string
	if err := c.Decode("s", cookies[0].Value, &got); err != nil || got != "hello" {
		t.Errorf("Codec.Decode: got %q, %v; want hello, nil", got, err)
	}
}

// chunkCount is how many cookies a sealed value of n bytes needs under the
// name name at MaxLength 4096: the fewest whose room, less the count and
// "." in the first, holds it.
func chunkCount(name string, n int) int {
	for count := 1; ; count++ {
		room := 0
		for i := range count {
			room += 4096 - len(chunkName(name, i)) - 1
		}
		if count > 1 {
			room -= len(fmt.Sprint(count)) + 1
		}
		if room >= n {
			return count
		}
	}
}

// TestCookiesChunkRoundTripHTTP sends values of 5, 10 and 16 KB through a
// real HTTP server and client with a cookie jar, checking each Set-Cookie
// against the 4096-byte budget, name included.
func TestCookiesChunkRoundTripHTTP(t *testing.T) {
	s := newTestCookies(t, Config{}, big)
	mux := http.NewServeMux()
	var stored string
	mux.HandleFunc("/set", func(w http.ResponseWriter, r *http.Request) {
		if err := s.Write(w, r, "s", blob{stored}); err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
		}
	})
	mux.HandleFunc("/get", func(w http.ResponseWriter, r *http.Request) {
		var b blob
		if _, err := s.Read(r, "s", &b); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		fmt.Fprint(w, b.Data)
	})
	srv := httptest.NewTLSServer(mux) // TLS: Go before 1.25 keeps Secure cookies off plain-http loopback
	defer srv.Close()

	for _, kb := range []int{5, 10, 16, 1} { // 1 KB last: shrinking expires the parts
		t.Run(fmt.Sprintf("%dKB", kb), func(t *testing.T) {
			client := srv.Client()
			client.Jar = newJar(t)
			stored = randomText(kb << 10)
			resp, err := client.Get(srv.URL + "/set")
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != http.StatusOK {
				t.Fatalf("/set: %s", resp.Status)
			}
			sealed, set := 0, 0
			for _, c := range resp.Cookies() {
				if c.MaxAge < 0 {
					continue // an expired part
				}
				if size := len(c.Name) + 1 + len(c.Value); size > 4096 {
					t.Errorf("cookie %s is %d bytes with its name, over 4096", c.Name, size)
				}
				v := c.Value
				if c.Name == "s" {
					_, v, _ = strings.Cut(v, ".") // a part count, or none
					if !strings.Contains(c.Value, ".") {
						v = c.Value
					}
				}
				sealed += len(v)
				set++
			}
			if got, want := set, chunkCount("s", sealed); got != want {
				t.Errorf("got %d cookies for %d sealed bytes, want %d", got, sealed, want)
			}
			if kb > 4 && set < 2 {
				t.Errorf("%d KB fit one cookie; want it split", kb)
			}
			got := get(t, client, srv.URL+"/get")
			if got != stored {
				t.Errorf("read back %d bytes, want the %d written", len(got), len(stored))
			}
		})
	}

	// One jar through all sizes: each write replaces the last, leftovers
	// expire.
	client := srv.Client()
	client.Jar = newJar(t)
	for _, kb := range []int{16, 5, 10, 1} {
		stored = randomText(kb << 10)
		if _, err := client.Get(srv.URL + "/set"); err != nil {
			t.Fatal(err)
		}
		if got := get(t, client, srv.URL+"/get"); got != stored {
			t.Fatalf("after %d KB: read back %d bytes, want %d", kb, len(got), len(stored))
		}
	}
	u := mustURL(t, srv.URL)
	if got := client.Jar.Cookies(u); len(got) != 1 {
		t.Errorf("jar holds %d cookies after shrinking to 1 KB, want 1", len(got))
	}
}

func get(t *testing.T, client *http.Client, url string) string {
	t.Helper()
	resp, err := client.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %s: %s", url, resp.Status, b)
	}
	return string(b)
}

func TestCookiesShrinkExpiresLeftovers(t *testing.T) {
	s := newTestCookies(t, Config{}, big)
	big := setCookies(write(t, s, nil, "s", blob{randomText(16 << 10)}))
	if len(big) != 6 {
		t.Fatalf("16 KB made %d cookies, want 6", len(big))
	}
	rec := write(t, s, requestWith(big), "s", blob{"small"})
	expired := map[string]bool{}
	for _, c := range rec.Result().Cookies() {
		if c.MaxAge < 0 {
			expired[c.Name] = true
			if !c.Secure || !c.HttpOnly || c.Path != "/" {
				t.Errorf("expiring %s without the cookie's attributes: %+v", c.Name, c)
			}
		}
	}
	for i := 1; i < 6; i++ {
		if !expired[chunkName("s", i)] {
			t.Errorf("part %d not expired", i)
		}
	}
	if len(expired) != 5 {
		t.Errorf("expired %d cookies, want the 5 the request carried", len(expired))
	}
}

func TestCookiesRepeatedWriteReplaces(t *testing.T) {
	s := newTestCookies(t, Config{}, big)
	rec := httptest.NewRecorder()
	http.SetCookie(rec, &http.Cookie{Name: "other", Value: "kept"})
	http.SetCookie(rec, &http.Cookie{Name: "s.x", Value: "kept"})
	r := requestWith([]*http.Cookie{{Name: "s", Value: "old"}}) // no parts to expire
	if err := s.Write(rec, r, "s", blob{randomText(10 << 10)}); err != nil {
		t.Fatal(err)
	}
	if err := s.Write(rec, r, "s", blob{"small"}); err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, c := range rec.Result().Cookies() {
		names = append(names, c.Name)
	}
	if got, want := strings.Join(names, ","), "other,s.x,s"; got != want {
		t.Errorf("got cookies %s, want %s", got, want)
	}
	var b blob
	if _, err := s.Read(requestWith(setCookies(rec)), "s", &b); err != nil || b.Data != "small" {
		t.Errorf("Read: got %q, %v; want small", b.Data, err)
	}
}

func TestCookiesWriteTooLarge(t *testing.T) {
	tests := []struct {
		name string
		opts CookieOptions
		size int
	}{
		{"MaxChunks 1 turns chunking off", CookieOptions{MaxChunks: 1}, 5 << 10},
		{"past MaxChunks 3", bigWith(CookieOptions{MaxChunks: 3}), 10 << 10},
		{"past MaxHeaderBytes", CookieOptions{MaxHeaderBytes: 3 * 4096}, 10 << 10},
		{"past the default", CookieOptions{}, 40 << 10},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newTestCookies(t, Config{}, tt.opts)
			rec := httptest.NewRecorder()
			err := s.Write(rec, nil, "s", blob{randomText(tt.size)})
			if !errors.Is(err, ErrTooLarge) {
				t.Errorf("got %v, want ErrTooLarge", err)
			}
			if len(rec.Header()) != 0 {
				t.Errorf("failed Write changed headers: %v", rec.Header())
			}
		})
	}
}

// TestCookiesChunkTampering starts from a value sealed into four cookies
// and tampers with the set the way a client, a sibling subdomain, or a
// mix-up of two responses could. Parts beyond those the first cookie counts
// are ignored; a re-split that joins to the same sealed value opens, since
// the value is what is authenticated.
func TestCookiesChunkTampering(t *testing.T) {
	s := newTestCookies(t, Config{}, big)
	value := randomText(10 << 10)
	good := setCookies(write(t, s, nil, "s", blob{value}))
	other := setCookies(write(t, s, nil, "s", blob{randomText(10 << 10)}))
	if len(good) != 4 || len(other) != 4 {
		t.Fatalf("got %d and %d cookies, want 4 each", len(good), len(other))
	}
	var check blob
	if _, err := s.Read(requestWith(good), "s", &check); err != nil || check.Data != value {
		t.Fatalf("untampered set: %v", err)
	}

	cp := func() []*http.Cookie {
		out := make([]*http.Cookie, len(good))
		for i, c := range good {
			out[i] = &http.Cookie{Name: c.Name, Value: c.Value}
		}
		return out
	}
	drop := func(i int) []*http.Cookie { c := cp(); return append(c[:i], c[i+1:]...) }
	tests := []struct {
		name    string
		cookies []*http.Cookie
		want    error
	}{
		{"first part missing", drop(0), http.ErrNoCookie},
		{"middle part missing", drop(1), ErrInvalid},
		{"last part missing", drop(3), ErrInvalid},
		{"extra part ignored", append(cp(), &http.Cookie{Name: "s.4", Value: "AAAA"}), nil},
		{"extra part copied ignored", append(cp(), &http.Cookie{Name: "s.4", Value: good[3].Value}), nil},
		{"planted part past a gap ignored", append(cp(), &http.Cookie{Name: "s.9", Value: "AAAA"}), nil},
		{"part past MaxChunks ignored", append(cp(), &http.Cookie{Name: "s.10", Value: "AAAA"}), nil},
		{"count changed to 3", func() []*http.Cookie {
			c := cp()
			c[0].Value = "3" + c[0].Value[1:]
			return c
		}(), ErrInvalid},
		{"count changed to 5", func() []*http.Cookie {
			c := cp()
			c[0].Value = "5" + c[0].Value[1:]
			return c
		}(), ErrInvalid},
		{"count removed", func() []*http.Cookie {
			c := cp()
			c[0].Value = c[0].Value[2:]
			return c
		}(), ErrInvalid},
		{"count not canonical", func() []*http.Cookie {
			c := cp()
			c[0].Value = "04." + c[0].Value[3:] // same length
			return c
		}(), ErrInvalid},
		{"count over MaxChunks", func() []*http.Cookie {
			c := cp()
			c[0].Value = "11" + c[0].Value[1:]
			return c
		}(), ErrTooLarge},
		{"full parts reordered", func() []*http.Cookie {
			c := cp()
			c[1].Value, c[2].Value = c[2].Value, c[1].Value
			return c
		}(), ErrInvalid},
		{"first and second swapped", func() []*http.Cookie {
			c := cp()
			c[0].Value, c[1].Value = c[1].Value, c[0].Value
			return c
		}(), ErrInvalid},
		{"part from another session", func() []*http.Cookie {
			c := cp()
			c[2].Value = other[2].Value
			return c
		}(), ErrInvalid},
		{"last part from another session", func() []*http.Cookie {
			c := cp()
			c[3].Value = other[3].Value
			return c
		}(), ErrInvalid},
		{"split moved, same value", func() []*http.Cookie {
			c := cp()
			c[2].Value, c[3].Value = c[2].Value[:len(c[2].Value)-1], c[2].Value[len(c[2].Value)-1:]+c[3].Value
			return c
		}(), nil},
		{"empty last part", func() []*http.Cookie {
			c := cp()
			c[3].Value = ""
			return c
		}(), ErrInvalid},
		{"empty first part", func() []*http.Cookie {
			c := cp()
			c[0].Value = "4."
			return c
		}(), ErrInvalid},
		{"byte flipped", func() []*http.Cookie {
			c := cp()
			b := []byte(c[1].Value)
			b[100] ^= 1
			c[1].Value = string(b)
			return c
		}(), ErrInvalid},
		{"part too long", func() []*http.Cookie {
			c := cp()
			c[3].Value += strings.Repeat("A", 4096)
			return c
		}(), ErrTooLarge},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dst := blob{"untouched"}
			_, err := s.Read(requestWith(tt.cookies), "s", &dst)
			if tt.want == nil {
				if err != nil || dst.Data != value {
					t.Errorf("got %v, want the value", err)
				}
				return
			}
			if !errors.Is(err, tt.want) {
				t.Errorf("got %v, want %v", err, tt.want)
			}
			if dst.Data != "untouched" {
				t.Error("dst changed on error")
			}
		})
	}
}

func TestCookiesDuplicateNamesFirstWins(t *testing.T) {
	s := newTestCookies(t, Config{}, big)
	good := setCookies(write(t, s, nil, "s", blob{"good"}))
	r := requestWith(good)
	r.AddCookie(&http.Cookie{Name: "s", Value: "shadow"})
	var b blob
	if _, err := s.Read(r, "s", &b); err != nil || b.Data != "good" {
		t.Errorf("got %q, %v; want the first cookie's value", b.Data, err)
	}

	big := setCookies(write(t, s, nil, "s", blob{randomText(6 << 10)}))
	r = requestWith(big)
	r.AddCookie(&http.Cookie{Name: "s.1", Value: "shadow"})
	if _, err := s.Read(r, "s", &b); err != nil {
		t.Errorf("duplicate part after the real one: %v", err)
	}
}

func TestCookiesHostPrefixChunks(t *testing.T) {
	s := newTestCookies(t, Config{}, bigWith(CookieOptions{HostPrefix: true}))
	v := randomText(5000)
	cookies := setCookies(write(t, s, nil, "s", blob{v}))
	var names []string
	for _, c := range cookies {
		names = append(names, c.Name)
	}
	if got, want := strings.Join(names, ","), "__Host-s,__Host-s.1"; got != want {
		t.Fatalf("got cookies %s, want %s", got, want)
	}
	var b blob
	if _, err := s.Read(requestWith(cookies), "s", &b); err != nil || b.Data != v {
		t.Errorf("Read: %v", err)
	}
}

func TestCookiesDelete(t *testing.T) {
	s := newTestCookies(t, Config{}, bigWith(CookieOptions{HostPrefix: true}))
	big := setCookies(write(t, s, nil, "s", blob{randomText(10 << 10)}))

	rec := httptest.NewRecorder()
	if err := s.Write(rec, nil, "s", blob{"pending"}); err != nil {
		t.Fatal(err)
	}
	if err := s.Delete(rec, requestWith(big), "s"); err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, c := range rec.Result().Cookies() {
		if c.MaxAge >= 0 {
			t.Errorf("Delete left %s set", c.Name)
		}
		if !c.Secure || c.Path != "/" || !c.HttpOnly {
			t.Errorf("deletion of %s lacks the attributes a __Host- cookie needs: %+v", c.Name, c)
		}
		names = append(names, c.Name)
	}
	if got, want := strings.Join(names, ","), "__Host-s,__Host-s.1,__Host-s.2,__Host-s.3"; got != want {
		t.Errorf("expired %s, want %s", got, want)
	}
	if got := rec.Header().Get("Cache-Control"); got != "no-store" {
		t.Errorf("Cache-Control: got %q, want no-store", got)
	}
}

func TestCookiesReadThenReissue(t *testing.T) {
	now := time.Unix(1_800_000_000, 0)
	clock := func() time.Time { return now }
	oldSecret, newSecret := GenerateSecret(), GenerateSecret()
	before := newTestCookies(t, Config{Secrets: []string{oldSecret}, Now: clock}, CookieOptions{})
	s := newTestCookies(t, Config{Secrets: []string{newSecret, oldSecret}, Now: clock, RefreshAge: time.Hour}, CookieOptions{})
	newID := s.codec.KeyIDs()[0]

	tests := []struct {
		name       string
		writer     *Cookies
		age        time.Duration
		reissue    bool
		wantIssued time.Time // of the re-issued cookie
	}{
		{"fresh cookie, current key", s, 0, false, time.Time{}},
		{"old key keeps issued-at", before, 0, true, time.Unix(1_800_000_000, 0)},
		{"past RefreshAge moves issued-at", s, 2 * time.Hour, true, time.Unix(1_800_000_000, 0).Add(2 * time.Hour)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			now = time.Unix(1_800_000_000, 0)
			r := requestWith(setCookies(write(t, tt.writer, nil, "s", map[any]any{"n": 7})))
			now = now.Add(tt.age)
			rec := httptest.NewRecorder()
			var got map[any]any
			info, err := s.Read(r, "s", &got)
			if err != nil || got["n"] != 7 {
				t.Fatalf("got %v, %v; want n=7 as an int", got, err)
			}
			if info.Reissue != tt.reissue {
				t.Errorf("Reissue: got %t, want %t", info.Reissue, tt.reissue)
			}
			if err := s.Reissue(rec, r, "s", got, info); err != nil {
				t.Fatal(err)
			}
			cookies := setCookies(rec)
			if !tt.reissue {
				if len(rec.Header().Values("Set-Cookie")) != 0 {
					t.Errorf("wrote %v, want nothing", rec.Header().Values("Set-Cookie"))
				}
				return
			}
			if len(cookies) != 1 {
				t.Fatalf("re-issued %d cookies, want 1", len(cookies))
			}
			h, err := Inspect(cookies[0].Value)
			if err != nil || h.KeyID != newID {
				t.Errorf("re-issued cookie: key %v, %v; want %v", h.KeyID, err, newID)
			}
			var again map[any]any
			info, err = s.Read(requestWith(cookies), "s", &again)
			if err != nil || again["n"] != 7 || info.Reissue {
				t.Errorf("re-issued cookie reads %v, %v, Reissue %t", again, err, info.Reissue)
			}
			if !info.IssuedAt.Equal(tt.wantIssued) || !info.CreatedAt.Equal(time.Unix(1_800_000_000, 0)) {
				t.Errorf("re-issued cookie: issued %v, created %v; want issued %v, created at the login", info.IssuedAt, info.CreatedAt, tt.wantIssued)
			}
		})
	}
}

func TestChunkIndex(t *testing.T) {
	tests := []struct {
		cookie string
		want   int
	}{
		{"s.1", 1}, {"s.12", 12}, {"s", 0}, {"s.", 0}, {"s.0", 0}, {"s.01", 0},
		{"s.-1", 0}, {"s.+1", 0}, {"s.1a", 0}, {"t.1", 0}, {"s.x", 0}, {"ss.1", 0},
		{"s.99999999999999999999", 0}, {"s.50", 50}, {"s.51", 0}, {"s.1.1", 0}, {"s.1 ", 0},
		{"s.9", 9}, {"s.19", 19}, {"s.49", 49}, {"s.10", 10},
	}
	for _, tt := range tests {
		if got := chunkIndex("s", tt.cookie); got != tt.want {
			t.Errorf("chunkIndex(s, %q) = %d, want %d", tt.cookie, got, tt.want)
		}
	}
}

func newJar(t *testing.T) http.CookieJar {
	t.Helper()
	j, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	return j
}

func mustURL(t *testing.T, s string) *url.URL {
	t.Helper()
	u, err := url.Parse(s)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

// A count over MaxChunks is ErrTooLarge, before any part is looked at; a
// part numbered MaxChunks is never read.
func TestCookiesCountAtMaxChunks(t *testing.T) {
	s := newTestCookies(t, Config{}, bigWith(CookieOptions{MaxChunks: 2}))
	good := setCookies(write(t, s, nil, "s", blob{randomText(5000)}))
	if len(good) != 2 || !strings.HasPrefix(good[0].Value, "2.") {
		t.Fatalf("got %d cookies, want 2 with the count 2", len(good))
	}
	var check blob
	if _, err := s.Read(requestWith(good), "s", &check); err != nil {
		t.Fatalf("two parts with MaxChunks 2: %v", err)
	}
	extra := append(good, &http.Cookie{Name: "s.2", Value: "AAAA"})
	if _, err := s.Read(requestWith(extra), "s", &check); err != nil {
		t.Fatalf("a part s.2 with MaxChunks 2 is not read: got %v", err)
	}
	three := []*http.Cookie{{Name: "s", Value: "3" + good[0].Value[1:]}, good[1], {Name: "s.2", Value: "AAAA"}}
	_, err := s.Read(requestWith(three), "s", &check)
	if !errors.Is(err, ErrTooLarge) || !strings.Contains(err.Error(), "a part count over 2") {
		t.Fatalf("count 3 with MaxChunks 2: got %v, want ErrTooLarge naming the cap", err)
	}
}
