package cookieseal

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gorilla/securecookie"
	"github.com/gorilla/sessions"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The checks after authentication, reached with cookies that are authentic
// but carry what Encode never writes.
func TestAuthenticPayloadChecks(t *testing.T) {
	clk := newClock(t0)
	c, err := New(Config{Secrets: newSecrets(1), Now: clk.Now, MaxLength: 1 << 20})
	require.NoError(t, err)
	now := t0.Unix()
	z := deflate(nil, []byte(`{"a":1}`))
	bomb := deflate(nil, []byte(`"`+strings.Repeat("a", DefaultMaxPayload)+`"`))
	atCap := deflate(nil, []byte(`"`+strings.Repeat("a", DefaultMaxPayload-2)+`"`))
	for _, tc := range []struct {
		name    string
		flags   byte
		payload []byte
		want    error
	}{
		{"plain", 0, []byte(`{"a":1}`), nil},
		{"compressed", flagDeflate, z, nil},
		{"compressed at the cap", flagDeflate, atCap, nil},
		{"compressed past the cap", flagDeflate, bomb, ErrTooLarge},
		{"plain past the cap", 0, []byte(`"` + strings.Repeat("a", DefaultMaxPayload-1) + `"`), ErrTooLarge},
		{"plain at the cap", 0, []byte(`"` + strings.Repeat("a", DefaultMaxPayload-2) + `"`), nil},
		{"deflate with trailing bytes", flagDeflate, append(bytes.Clone(z), 0), ErrInvalid},
		{"truncated deflate", flagDeflate, z[:len(z)-1], ErrInvalid},
		{"flag says deflate, payload is not", flagDeflate, []byte(`{"a":1}`), ErrInvalid},
		{"unknown flag", 1 << 7, []byte(`{"a":1}`), ErrInvalid},
		{"trailing JSON", 0, []byte(`{"a":1} {}`), ErrInvalid},
		{"not JSON", 0, []byte(`{"a":`), ErrInvalid},
		{"empty payload", 0, nil, ErrInvalid},
	} {
		s := sealRaw(t, c, "s", tc.flags, now, tc.payload)
		var raw json.RawMessage
		err := c.Decode("s", s, &raw)
		if tc.want == nil {
			assert.NoError(t, err, tc.name)
			continue
		}
		requireClass(t, err, tc.want)
		assert.Nil(t, raw, tc.name)
	}
}

func TestTypedPayloadChecks(t *testing.T) {
	c := newTestCodec(t, newClock(t0), newSecrets(1)...)
	for i, p := range []string{
		`{"map":{"a":1.5}}`,                  // bare non-integer
		`{"map":{"a":1e3}}`,                  // bare exponent
		`{"map":{"a":99999999999999999999}}`, // overflows int
		`{"map":{"a":{}}}`,                   // empty tag object
		`{"map":{"a":{"int8":1,"int16":2}}}`,
		`{"map":{"a":{"nosuch":1}}}`,
		`{"map":{"a":{"int8":300}}}`,
		`{"map":{"a":{"uint8":-1}}}`,
		`{"map":{"a":{"int64":"1"}}}`,
		`{"map":{"a":{"uint64":"1"}}}`,
		`{"map":{"a":{"float64":"x"}}}`,
		`{"map":{"a":{"float32":1e300}}}`,
		`{"map":{"a":{"bytes":"!!"}}}`,
		`{"map":{"a":{"bytes":1}}}`,
		`{"map":{"a":{"time":"yesterday"}}}`,
		`{"map":{"a":{"time":1}}}`,
		`{"map":{"a":{"strings":[1]}}}`,
		`{"map":{"a":{"strings":"x"}}}`,
		`{"map":{"a":{"ints":[1.5]}}}`,
		`{"map":{"a":{"ints":{}}}}`,
		`{"map":{"a":{"object":[]}}}`,
		`{"map":{"a":{"object":{"b":1.5}}}}`,
		`{"map":{"a":[1.5]}}`,
		`{"map":[[1]]}`,
		`{"map":[1]}`,
		`{"map":[[[],1]]}`,
		`{"map":[[{"slice":1},1]]}`,
		`{"map":[[1,1],[1,2]]}`,
		`{"map":[[1.5,1]]}`,
		`{"map":[[1,1.5]]}`,
		`{"map":{"a":1}`,
		`{"map":1}`,
		`{"map":{}} 1`,
	} {
		s := sealRaw(t, c, "s", flagTyped, t0.Unix(), []byte(p))
		out := map[any]any{"keep": 1}
		err := c.Decode("s", s, &out)
		require.Error(t, err, "case %d: %s", i, p)
		requireClass(t, err, ErrInvalid)
		assert.Equal(t, map[any]any{"keep": 1}, out, p)
		var anyOut any = "keep"
		requireClass(t, c.Decode("s", s, &anyOut), ErrInvalid)
		assert.Equal(t, "keep", anyOut, p)
	}
	// Valid typed values that are not a map are not session values.
	for _, p := range []string{`{"object":{}}`, `[1]`, `"s"`} {
		s := sealRaw(t, c, "s", flagTyped, t0.Unix(), []byte(p))
		out := map[any]any{"keep": 1}
		requireClass(t, c.Decode("s", s, &out), ErrInvalid)
		assert.Equal(t, map[any]any{"keep": 1}, out, p)
	}
	// The typed form also decodes what it accepts.
	s := sealRaw(t, c, "s", flagTyped, t0.Unix(), []byte(`{"map":[[1,{"int8":-1}],["k",[{"uint":2}]]]}`))
	var out map[any]any
	require.NoError(t, c.Decode("s", s, &out))
	assert.Equal(t, map[any]any{1: int8(-1), "k": []any{uint(2)}}, out)
}

func TestEncodeRefusesWhatDecodeWould(t *testing.T) {
	c, err := New(Config{Secrets: newSecrets(1), MaxLength: 1 << 20, Compress: true})
	require.NoError(t, err)
	// JSON of exactly DefaultMaxPayload compresses to a few hundred bytes and
	// opens; one byte more would inflate past the cap, so Encode refuses it.
	atCap := strings.Repeat("a", DefaultMaxPayload-2)
	s, err := c.Encode("s", atCap)
	require.NoError(t, err)
	assert.Less(t, len(s), 4096)
	var out string
	require.NoError(t, c.Decode("s", s, &out))
	assert.Equal(t, atCap, out)

	_, err = c.Encode("s", atCap+"a")
	requireClass(t, err, ErrTooLarge)
	assert.Contains(t, err.Error(), "65537 bytes")
	assert.Contains(t, err.Error(), "limit 65536")
}

type failingReader struct{}

func (failingReader) Read([]byte) (int, error) { return 0, errors.New("entropy source failed") }

func TestEncodeFailsWhenRandomnessFails(t *testing.T) {
	c := newTestCodec(t, newClock(t0), newSecrets(1)...)
	for _, r := range []io.Reader{failingReader{}, bytes.NewReader(make([]byte, nonceSize-1))} {
		c.rand = r
		s, err := c.Encode("s", "v")
		assert.Error(t, err)
		assert.Empty(t, s)
	}
}

func TestNoncesDiffer(t *testing.T) {
	c := newTestCodec(t, newClock(t0), newSecrets(1)...)
	a, err := c.Encode("s", "same")
	require.NoError(t, err)
	b, err := c.Encode("s", "same")
	require.NoError(t, err)
	assert.NotEqual(t, a, b)
	assert.NotEqual(t, rawBytes(t, a)[headerSize:headerSize+nonceSize], rawBytes(t, b)[headerSize:headerSize+nonceSize])
}

func TestDecodeInfo(t *testing.T) {
	clk := newClock(t0)
	secrets := newSecrets(2)
	c, err := New(Config{Secrets: secrets, Now: clk.Now, MaxAge: time.Hour, RefreshAge: 30 * time.Minute})
	require.NoError(t, err)
	s, err := c.Encode("s", "v")
	require.NoError(t, err)
	var out string
	info, err := c.DecodeInfo("s", s, &out)
	require.NoError(t, err)
	assert.True(t, info.IssuedAt.Equal(t0), "IssuedAt %v", info.IssuedAt)
	assert.Equal(t, Info{IssuedAt: info.IssuedAt, CreatedAt: info.IssuedAt, KeyID: c.KeyIDs()[0]}, info)

	clk.Add(30*time.Minute - time.Second)
	info, err = c.DecodeInfo("s", s, &out)
	require.NoError(t, err)
	assert.False(t, info.Reissue, "younger than RefreshAge")
	clk.Add(time.Second)
	info, err = c.DecodeInfo("s", s, &out)
	require.NoError(t, err)
	assert.True(t, info.Reissue, "at RefreshAge")

	require.NoError(t, c.SetSecrets([]string{secrets[1], secrets[0]}))
	clk.Add(-30 * time.Minute)
	info, err = c.DecodeInfo("s", s, &out)
	require.NoError(t, err)
	assert.True(t, info.Reissue, "sealed under a key that no longer seals")

	info, err = c.DecodeInfo("s", "garbage!", &out)
	requireClass(t, err, ErrInvalid)
	assert.Equal(t, Info{}, info)
}

func TestKeyUsageCounts(t *testing.T) {
	clk := newClock(t0)
	secrets := newSecrets(2)
	c := newTestCodec(t, clk, secrets...)
	s, err := c.Encode("s", "v")
	require.NoError(t, err)
	var out string
	clk.Add(time.Minute)
	for range 3 {
		require.NoError(t, c.Decode("s", s, &out))
	}
	requireClass(t, c.Decode("other", s, &out), ErrInvalid) // failures do not count
	u := c.KeyUsage()
	require.Len(t, u, 2)
	assert.Equal(t, KeyUsage{ID: c.KeyIDs()[0], Primary: true, Opened: 3, LastOpened: u[0].LastOpened, Sealed: 1, LastSealed: u[0].LastSealed}, u[0])
	assert.True(t, u[0].LastSealed.Equal(t0))
	// Never sealed here: it retires MaxAge (and the skew) after the codec was made.
	assert.Equal(t, KeyUsage{ID: c.KeyIDs()[1], RetireAfter: u[1].RetireAfter}, u[1])
	assert.True(t, u[1].RetireAfter.Equal(t0.Add(c.MaxAge()+MaxClockSkew)), u[1].RetireAfter)
	assert.True(t, u[0].LastOpened.Equal(t0.Add(time.Minute)))

	// A kept secret keeps its counts across SetSecrets.
	require.NoError(t, c.SetSecrets([]string{GenerateSecret(), secrets[0]}))
	u = c.KeyUsage()
	assert.Equal(t, uint64(0), u[0].Opened)
	assert.False(t, u[1].Primary)
	assert.Equal(t, uint64(3), u[1].Opened)
}

func TestConcurrentUse(t *testing.T) {
	clk := newClock(t0)
	secrets := newSecrets(3)
	c := newTestCodec(t, clk, secrets...)
	var wg sync.WaitGroup
	errs := make(chan error, 64)
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 200 {
				if g == 0 && i%10 == 0 {
					// Rotate among rings that all hold every secret.
					r := []string{secrets[i%3], secrets[(i+1)%3], secrets[(i+2)%3]}
					if err := c.SetSecrets(r); err != nil {
						errs <- err
						return
					}
				}
				v := map[any]any{"g": g, "i": i}
				s, err := c.Encode("s", v)
				if err != nil {
					errs <- err
					return
				}
				var out map[any]any
				if err := c.Decode("s", s, &out); err != nil {
					errs <- err
					return
				}
				if out["g"] != g || out["i"] != i {
					errs <- errors.New("decoded another goroutine's value")
					return
				}
				_ = c.KeyUsage()
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}

// gorilla/sessions' CookieStore with cookieseal as its codec keeps an int
// an int through a real request cycle.
func TestGorillaCookieStore(t *testing.T) {
	c, err := New(Config{Secrets: newSecrets(1)})
	require.NoError(t, err)
	store := &sessions.CookieStore{Codecs: []securecookie.Codec{c}, Options: &sessions.Options{Path: "/", MaxAge: 3600, HttpOnly: true}}
	mux := http.NewServeMux()
	mux.HandleFunc("/set", func(w http.ResponseWriter, r *http.Request) {
		sess, _ := store.Get(r, "app")
		sess.Values["count"] = 41
		sess.Values["name"] = "ada"
		sess.Values[7] = int64(8)
		sess.Values["flashes"] = []any{"hi"}
		if err := sess.Save(r, w); err != nil {
			http.Error(w, err.Error(), 500)
		}
	})
	mux.HandleFunc("/get", func(w http.ResponseWriter, r *http.Request) {
		sess, err := store.Get(r, "app")
		if err != nil {
			http.Error(w, err.Error(), 500)
			return
		}
		n, ok := sess.Values["count"].(int)
		if !ok {
			http.Error(w, "count is not an int", 500)
			return
		}
		sess.Values["count"] = n + 1
		if err := sess.Save(r, w); err != nil {
			http.Error(w, err.Error(), 500)
			return
		}
		_, _ = io.WriteString(w, "ok")
	})
	srv := httptest.NewServer(mux)
	defer srv.Close()

	resp, err := http.Get(srv.URL + "/set")
	require.NoError(t, err)
	resp.Body.Close()
	cookies := resp.Cookies()
	require.Len(t, cookies, 1)

	req, _ := http.NewRequest("GET", srv.URL+"/get", nil)
	req.AddCookie(cookies[0])
	resp, err = http.DefaultClient.Do(req)
	require.NoError(t, err)
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	require.Equal(t, 200, resp.StatusCode, string(body))

	var values map[any]any
	require.NoError(t, c.Decode("app", resp.Cookies()[0].Value, &values))
	assert.Equal(t, map[any]any{"count": 42, "name": "ada", 7: int64(8), "flashes": []any{"hi"}}, values)
}

// Reissue compares the age to the nanosecond, both for cookies from the
// past and for ones a little in the future (a reader whose clock is behind).
func TestReissueAgePrecision(t *testing.T) {
	clk := newClock(t0)
	c, err := New(Config{Secrets: newSecrets(1), Now: clk.Now, MaxAge: time.Hour, RefreshAge: 30 * time.Minute})
	require.NoError(t, err)
	s, err := c.Encode("s", "v")
	require.NoError(t, err)
	var out string
	clk.Add(30*time.Minute - 500*time.Millisecond)
	info, err := c.DecodeInfo("s", s, &out)
	require.NoError(t, err)
	assert.False(t, info.Reissue, "29m59.5s old")
	clk.Add(time.Second)
	info, err = c.DecodeInfo("s", s, &out)
	require.NoError(t, err)
	assert.True(t, info.Reissue, "30m0.5s old")

	// A cookie 30 s ahead of this reader's clock is not old at all.
	secrets := newSecrets(1)
	writer, err := New(Config{Secrets: secrets, Now: func() time.Time { return t0.Add(30 * time.Second) }})
	require.NoError(t, err)
	reader, err := New(Config{Secrets: secrets, Now: func() time.Time { return t0.Add(250 * time.Millisecond) }, RefreshAge: 100 * time.Millisecond})
	require.NoError(t, err)
	s, err = writer.Encode("s", "v")
	require.NoError(t, err)
	info, err = reader.DecodeInfo("s", s, &out)
	require.NoError(t, err)
	assert.False(t, info.Reissue, "issued in the future, within the skew")
}
