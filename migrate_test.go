package cookieseal_test

import (
	"encoding/base64"
	"encoding/gob"
	"errors"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/cookieseal/cookieseal"
	"github.com/gorilla/securecookie"
	"github.com/gorilla/sessions"
)

func init() {
	// gorilla/sessions apps register the types they keep in Session.Values;
	// gob knows int, string, []byte and the other basic types already.
	gob.Register(time.Time{})
}

// gorillaCodec returns a gorilla securecookie with fresh random keys: hash
// key and block key (encrypted) when encrypt is set, else hash key only.
func gorillaCodec(t *testing.T, encrypt, useJSON bool) *securecookie.SecureCookie {
	t.Helper()
	var block []byte
	if encrypt {
		block = securecookie.GenerateRandomKey(32)
	}
	sc := securecookie.New(securecookie.GenerateRandomKey(64), block)
	if useJSON {
		sc.SetSerializer(securecookie.JSONEncoder{})
	}
	return sc
}

// newCodec returns a Codec with one fresh secret and the given legacy
// decoders.
func newCodec(t *testing.T, legacy ...cookieseal.Decoder) *cookieseal.Codec {
	t.Helper()
	c, err := cookieseal.New(cookieseal.Config{
		Secrets: []string{cookieseal.GenerateSecret()},
		Legacy:  legacy,
	})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// checkReissued encodes v with c and checks that the result is a cookieseal
// cookie that a codec without any legacy decoder opens, into a fresh *T
// that it returns.
func checkReissued[T any](t *testing.T, c *cookieseal.Codec, name string, v T) T {
	t.Helper()
	cookie, err := c.Encode(name, v)
	if err != nil {
		t.Fatalf("re-encoding: %v", err)
	}
	h, err := cookieseal.Inspect(cookie)
	if err != nil {
		t.Fatalf("re-issued cookie is not a cookieseal cookie: %v", err)
	}
	if want := c.KeyIDs()[0]; h.KeyID != want {
		t.Errorf("re-issued cookie names key %s, want the sealing key %s", h.KeyID, want)
	}
	var got T
	info, err := c.DecodeInfo(name, cookie, &got)
	if err != nil {
		t.Fatalf("decoding the re-issued cookie: %v", err)
	}
	if info.Legacy || info.Reissue {
		t.Errorf("re-issued cookie: got Legacy %t, Reissue %t, want both false", info.Legacy, info.Reissue)
	}
	return got
}

func TestLegacyGorillaGob(t *testing.T) {
	login := time.Date(2026, 3, 4, 5, 6, 7, 0, time.UTC)
	want := map[any]any{
		"user":   "alice",
		"visits": 42,
		"admin":  true,
		"ratio":  0.25,
		"raw":    []byte{0, 1, 2},
		"login":  login,
		7:        "an int key",
	}
	for _, tc := range []struct {
		name    string
		encrypt bool
	}{{"hash and block key", true}, {"hash key only", false}} {
		t.Run(tc.name, func(t *testing.T) {
			sc := gorillaCodec(t, tc.encrypt, false)
			old, err := sc.Encode("session", want)
			if err != nil {
				t.Fatal(err)
			}
			c := newCodec(t, sc)
			var got map[any]any
			info, err := c.DecodeInfo("session", old, &got)
			if err != nil {
				t.Fatalf("DecodeInfo of a gorilla gob cookie: %v", err)
			}
			if !info.Legacy || !info.Reissue {
				t.Errorf("got Legacy %t, Reissue %t, want both true", info.Legacy, info.Reissue)
			}
			if !info.IssuedAt.IsZero() || info.KeyID != 0 {
				t.Errorf("got IssuedAt %v, KeyID %s for a legacy cookie, want zero values", info.IssuedAt, info.KeyID)
			}
			if !reflect.DeepEqual(got, want) {
				t.Fatalf("got %#v, want %#v", got, want)
			}
			if _, ok := got["visits"].(int); !ok {
				t.Errorf("got visits of type %T, want int", got["visits"])
			}
			if _, ok := got["login"].(time.Time); !ok {
				t.Errorf("got login of type %T, want time.Time", got["login"])
			}

			again := checkReissued(t, c, "session", got)
			if !reflect.DeepEqual(again, want) {
				t.Errorf("after re-issue got %#v, want %#v", again, want)
			}
		})
	}
}

type account struct {
	User   string    `json:"user"`
	Visits int       `json:"visits"`
	Roles  []string  `json:"roles"`
	Login  time.Time `json:"login"`
}

func TestLegacyGorillaJSON(t *testing.T) {
	want := account{User: "bob", Visits: 3, Roles: []string{"reader", "editor"}, Login: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)}
	for _, tc := range []struct {
		name    string
		encrypt bool
	}{{"hash and block key", true}, {"hash key only", false}} {
		t.Run(tc.name, func(t *testing.T) {
			sc := gorillaCodec(t, tc.encrypt, true)
			old, err := sc.Encode("session", want)
			if err != nil {
				t.Fatal(err)
			}
			c := newCodec(t, sc)
			var got account
			info, err := c.DecodeInfo("session", old, &got)
			if err != nil {
				t.Fatalf("DecodeInfo of a gorilla JSON cookie: %v", err)
			}
			if !info.Legacy || !info.Reissue {
				t.Errorf("got Legacy %t, Reissue %t, want both true", info.Legacy, info.Reissue)
			}
			if !reflect.DeepEqual(got, want) {
				t.Fatalf("got %+v, want %+v", got, want)
			}
			// Decode, the gorilla signature, opens it too.
			var plain account
			if err := c.Decode("session", old, &plain); err != nil || !reflect.DeepEqual(plain, want) {
				t.Errorf("Decode: got %+v, %v, want %+v, nil", plain, err, want)
			}

			again := checkReissued(t, c, "session", got)
			if !reflect.DeepEqual(again, want) {
				t.Errorf("after re-issue got %+v, want %+v", again, want)
			}
			// Without the legacy decoder the old cookie is refused.
			bare := newCodec(t)
			if err := bare.Decode("session", old, &plain); !errors.Is(err, cookieseal.ErrInvalid) {
				t.Errorf("codec without legacy decoders: got %v, want ErrInvalid", err)
			}
		})
	}
}

func TestLegacyReissuedCookieOpensWithoutLegacy(t *testing.T) {
	secret := cookieseal.GenerateSecret()
	sc := gorillaCodec(t, true, false)
	old, err := sc.Encode("session", map[any]any{"n": 1})
	if err != nil {
		t.Fatal(err)
	}
	migrating, err := cookieseal.New(cookieseal.Config{Secrets: []string{secret}, Legacy: []cookieseal.Decoder{sc}})
	if err != nil {
		t.Fatal(err)
	}
	var v map[any]any
	if _, err := migrating.DecodeInfo("session", old, &v); err != nil {
		t.Fatal(err)
	}
	fresh, err := migrating.Encode("session", v)
	if err != nil {
		t.Fatal(err)
	}
	// After the migration window the legacy decoder goes; the re-issued
	// cookie still opens.
	done, err := cookieseal.New(cookieseal.Config{Secrets: []string{secret}})
	if err != nil {
		t.Fatal(err)
	}
	var got map[any]any
	if err := done.Decode("session", fresh, &got); err != nil {
		t.Fatalf("re-issued cookie under a codec without legacy decoders: %v", err)
	}
	if got["n"] != 1 {
		t.Errorf("got n = %#v, want int 1", got["n"])
	}
}

func TestLegacyTriedInOrder(t *testing.T) {
	// gorilla apps rotate with several codecs (securecookie.CodecsFromPairs);
	// a cookie sealed by the second one opens after the first fails.
	older := gorillaCodec(t, true, false)
	newer := gorillaCodec(t, true, false)
	old, err := older.Encode("session", map[any]any{"who": "carol"})
	if err != nil {
		t.Fatal(err)
	}
	c := newCodec(t, newer, older)
	var got map[any]any
	info, err := c.DecodeInfo("session", old, &got)
	if err != nil {
		t.Fatalf("got %v, want the second legacy decoder to open it", err)
	}
	if !info.Legacy || got["who"] != "carol" {
		t.Errorf("got Legacy %t, value %#v, want true, carol", info.Legacy, got)
	}
}

// spyDecoder records every call and fails, after writing into its dst to
// show that the codec does not hand it the caller's dst.
type spyDecoder struct {
	calls []string
}

func (s *spyDecoder) Decode(name, value string, dst any) error {
	s.calls = append(s.calls, value)
	if p, ok := dst.(*map[any]any); ok {
		*p = map[any]any{"spy": "was here"}
	}
	return errors.New("spy: not my cookie")
}

func TestLegacyForgedCookieIsInvalid(t *testing.T) {
	sc := gorillaCodec(t, true, false)
	genuine, err := sc.Encode("session", map[any]any{"user": "alice"})
	if err != nil {
		t.Fatal(err)
	}
	// Flip one byte of the MAC: the last byte before base64 of the
	// "date|value|mac" string gorilla encodes.
	raw, err := base64.URLEncoding.DecodeString(genuine)
	if err != nil {
		t.Fatal(err)
	}
	raw[len(raw)-1] ^= 0x01
	flipped := base64.URLEncoding.EncodeToString(raw)

	cases := map[string]string{
		"gorilla cookie with a flipped MAC byte": flipped,
		"gorilla cookie for another name":        mustGorilla(t, sc, "other", map[any]any{"user": "alice"}),
		"random padded base64":                   base64.URLEncoding.EncodeToString([]byte("0123456789|abcdefghijklmnop|qrstuvwxyz!")),
		"unpadded base64url, unknown version":    base64.RawURLEncoding.EncodeToString(append([]byte{0x02}, make([]byte, 60)...)),
		"empty":                                  "",
	}
	for name, value := range cases {
		t.Run(name, func(t *testing.T) {
			spy := &spyDecoder{}
			c := newCodec(t, sc, spy)
			dst := map[any]any{"untouched": true}
			info, err := c.DecodeInfo("session", value, &dst)
			if !errors.Is(err, cookieseal.ErrInvalid) {
				t.Fatalf("got %v, want ErrInvalid", err)
			}
			for _, other := range []error{cookieseal.ErrExpired, cookieseal.ErrUnknownKey, cookieseal.ErrTooLarge} {
				if errors.Is(err, other) {
					t.Errorf("error %v also matches %v", err, other)
				}
			}
			if info != (cookieseal.Info{}) {
				t.Errorf("got Info %+v on failure, want zero", info)
			}
			if !reflect.DeepEqual(dst, map[any]any{"untouched": true}) {
				t.Errorf("dst changed to %#v", dst)
			}
			if len(spy.calls) != 1 || spy.calls[0] != value {
				t.Errorf("got legacy calls %q, want the one value after gorilla failed", spy.calls)
			}
		})
	}
}

func mustGorilla(t *testing.T, sc *securecookie.SecureCookie, name string, v any) string {
	t.Helper()
	s, err := sc.Encode(name, v)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestCookiesealFailuresNeverReachLegacy(t *testing.T) {
	now := time.Date(2026, 5, 1, 12, 0, 0, 0, time.UTC)
	clock := func() time.Time { return now }
	secret, other := cookieseal.GenerateSecret(), cookieseal.GenerateSecret()
	sealer, err := cookieseal.New(cookieseal.Config{Secrets: []string{secret}, Now: clock, MaxAge: time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	stranger, err := cookieseal.New(cookieseal.Config{Secrets: []string{other}, Now: clock})
	if err != nil {
		t.Fatal(err)
	}
	good, err := sealer.Encode("session", map[any]any{"n": 1})
	if err != nil {
		t.Fatal(err)
	}
	raw, err := base64.RawURLEncoding.DecodeString(good)
	if err != nil {
		t.Fatal(err)
	}
	tampered := append([]byte(nil), raw...)
	tampered[len(tampered)-1] ^= 0x80 // a tag byte
	foreign, err := stranger.Encode("session", map[any]any{"n": 1})
	if err != nil {
		t.Fatal(err)
	}
	later := now.Add(2 * time.Hour)
	cases := []struct {
		name  string
		value string
		at    time.Time
		want  error
	}{
		{"tampered tag", base64.RawURLEncoding.EncodeToString(tampered), now, cookieseal.ErrInvalid},
		{"sealed for another cookie name", mustEncode(t, sealer, "other", map[any]any{"n": 1}), now, cookieseal.ErrInvalid},
		{"unknown key", foreign, now, cookieseal.ErrUnknownKey},
		{"expired", good, later, cookieseal.ErrExpired},
		{"too large", strings.Repeat("A", 5000), now, cookieseal.ErrTooLarge},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			spy := &spyDecoder{}
			at := tc.at
			c, err := cookieseal.New(cookieseal.Config{
				Secrets: []string{secret},
				MaxAge:  time.Hour,
				Now:     func() time.Time { return at },
				Legacy:  []cookieseal.Decoder{spy},
			})
			if err != nil {
				t.Fatal(err)
			}
			dst := map[any]any{"untouched": true}
			if _, err := c.DecodeInfo("session", tc.value, &dst); !errors.Is(err, tc.want) {
				t.Errorf("got %v, want %v", err, tc.want)
			}
			if len(spy.calls) != 0 {
				t.Errorf("legacy decoder called %d times, want never", len(spy.calls))
			}
			if !reflect.DeepEqual(dst, map[any]any{"untouched": true}) {
				t.Errorf("dst changed to %#v", dst)
			}
		})
	}
	// The spy is reachable: a value that is not a cookieseal cookie does
	// get to it, so the zero counts above mean something.
	spy := &spyDecoder{}
	c, err := cookieseal.New(cookieseal.Config{Secrets: []string{secret}, Legacy: []cookieseal.Decoder{spy}})
	if err != nil {
		t.Fatal(err)
	}
	var dst map[any]any
	if err := c.Decode("session", "not-a-cookieseal-cookie", &dst); !errors.Is(err, cookieseal.ErrInvalid) {
		t.Errorf("got %v, want ErrInvalid", err)
	}
	if len(spy.calls) != 1 {
		t.Errorf("legacy decoder called %d times for a non-cookieseal value, want 1", len(spy.calls))
	}
	if dst != nil {
		t.Errorf("dst changed to %#v by a failing legacy decoder", dst)
	}
}

func mustEncode(t *testing.T, c *cookieseal.Codec, name string, v any) string {
	t.Helper()
	s, err := c.Encode(name, v)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// TestLegacyGorillaSessionsCycle runs gorilla/sessions' CookieStore over
// HTTP: an old deployment sets a gorilla cookie, the new one (a Codec with
// the old codecs as Legacy) reads it and answers with a cookieseal cookie.
func TestLegacyGorillaSessionsCycle(t *testing.T) {
	oldKeys := [][]byte{securecookie.GenerateRandomKey(64), securecookie.GenerateRandomKey(32)}
	oldStore := sessions.NewCookieStore(oldKeys...)

	c := newCodec(t, securecookie.CodecsFromPairs(oldKeys...)[0])
	newStore := sessions.NewCookieStore()
	newStore.Codecs = []securecookie.Codec{c}

	// Old deployment: log in.
	rec := httptest.NewRecorder()
	req := httptest.NewRequest(http.MethodGet, "/login", nil)
	s, err := oldStore.Get(req, "session")
	if err != nil {
		t.Fatal(err)
	}
	s.Values["user"] = "dave"
	s.Values["visits"] = 1
	if err := s.Save(req, rec); err != nil {
		t.Fatal(err)
	}
	oldCookie := rec.Result().Cookies()[0]
	if _, err := cookieseal.Inspect(oldCookie.Value); err == nil {
		t.Fatal("the old store's cookie parses as a cookieseal cookie; the test proves nothing")
	}

	// New deployment: the user is still logged in, and leaves with a
	// cookieseal cookie.
	handler := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s, err := newStore.Get(r, "session")
		if err != nil || s.IsNew {
			http.Error(w, "logged out", http.StatusUnauthorized)
			return
		}
		s.Values["visits"] = s.Values["visits"].(int) + 1
		if err := s.Save(r, w); err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		w.Write([]byte(s.Values["user"].(string)))
	})
	rec = httptest.NewRecorder()
	req = httptest.NewRequest(http.MethodGet, "/", nil)
	req.AddCookie(oldCookie)
	handler.ServeHTTP(rec, req)
	if rec.Code != http.StatusOK || rec.Body.String() != "dave" {
		t.Fatalf("got %d %q, want 200 dave", rec.Code, rec.Body.String())
	}
	newCookie := rec.Result().Cookies()[0]
	if _, err := cookieseal.Inspect(newCookie.Value); err != nil {
		t.Fatalf("the new store answered with a cookie that is not a cookieseal cookie: %v", err)
	}
	var got map[any]any
	info, err := c.DecodeInfo("session", newCookie.Value, &got)
	if err != nil || info.Legacy {
		t.Fatalf("got Legacy %t, %v, want a cookieseal cookie", info.Legacy, err)
	}
	if got["visits"] != 2 || got["user"] != "dave" {
		t.Errorf("got %#v, want user dave, visits 2", got)
	}
}

type cart struct{ Items []string }

func init() { gob.Register(cart{}) }

// TestLegacyCustomTypeCannotBeReissued pins a migration caveat docs/migration.md
// states: a gob-registered struct in Session.Values opens through the
// legacy decoder, but until the application registers it with
// cookieseal.Register re-encoding fails with UnsupportedTypeError.
func TestLegacyCustomTypeCannotBeReissued(t *testing.T) {
	sc := gorillaCodec(t, true, false)
	old := mustGorilla(t, sc, "session", map[any]any{"cart": cart{Items: []string{"tea"}}})
	c := newCodec(t, sc)
	var got map[any]any
	info, err := c.DecodeInfo("session", old, &got)
	if err != nil || !info.Reissue {
		t.Fatalf("got Reissue %t, %v; want a legacy success", info.Reissue, err)
	}
	if v, ok := got["cart"].(cart); !ok || len(v.Items) != 1 {
		t.Fatalf("got cart %#v, want the struct back", got["cart"])
	}
	_, err = c.Encode("session", got)
	var unsupported *cookieseal.UnsupportedTypeError
	if !errors.As(err, &unsupported) || unsupported.Type != "cookieseal_test.cart" {
		t.Errorf("got %v, want UnsupportedTypeError for cookieseal_test.cart", err)
	}
}
