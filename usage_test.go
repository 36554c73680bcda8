package cookieseal_test

import (
	"encoding/base64"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/cookieseal/cookieseal"
)

// clock is a settable clock for Config.Now.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *clock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = t
}

// usageOf returns the KeyUsage of id, failing the test if the ring lacks it.
func usageOf(t *testing.T, c *cookieseal.Codec, id cookieseal.KeyID) cookieseal.KeyUsage {
	t.Helper()
	for _, u := range c.KeyUsage() {
		if u.ID == id {
			return u
		}
	}
	t.Fatalf("key %s is not in the ring %v", id, c.KeyIDs())
	return cookieseal.KeyUsage{}
}

func checkUsage(t *testing.T, got cookieseal.KeyUsage, opened uint64, last time.Time, primary bool) {
	t.Helper()
	if got.Opened != opened || !got.LastOpened.Equal(last) || got.Primary != primary {
		t.Errorf("key %s: got Opened %d, LastOpened %v, Primary %t; want %d, %v, %t",
			got.ID, got.Opened, got.LastOpened, got.Primary, opened, last, primary)
	}
}

func decodeN(t *testing.T, c *cookieseal.Codec, cookie string, n int) cookieseal.Info {
	t.Helper()
	var info cookieseal.Info
	for range n {
		var v map[string]string
		var err error
		if info, err = c.DecodeInfo("session", cookie, &v); err != nil {
			t.Fatalf("DecodeInfo: %v", err)
		}
	}
	return info
}

// TestKeyUsageFollowsRotation walks the runbook: add a new secret second,
// move it first, watch the old key go quiet, drop it.
func TestKeyUsageFollowsRotation(t *testing.T) {
	t0 := time.Date(2026, 6, 1, 8, 0, 0, 0, time.UTC)
	clk := &clock{now: t0}
	oldSecret, newSecret := cookieseal.GenerateSecret(), cookieseal.GenerateSecret()
	c, err := cookieseal.New(cookieseal.Config{Secrets: []string{oldSecret}, Now: clk.Now})
	if err != nil {
		t.Fatal(err)
	}
	oldID := c.KeyIDs()[0]
	checkUsage(t, usageOf(t, c, oldID), 0, time.Time{}, true)

	oldCookie := mustEncode(t, c, "session", map[string]string{"user": "alice"})
	t1 := t0.Add(time.Minute)
	clk.Set(t1)
	decodeN(t, c, oldCookie, 3)
	checkUsage(t, usageOf(t, c, oldID), 3, t1, true)

	// Step 1: the new secret goes second everywhere. Nothing changes for
	// cookies; the counts of the old key carry over.
	if err := c.SetSecrets([]string{oldSecret, newSecret}); err != nil {
		t.Fatal(err)
	}
	newID := c.KeyIDs()[1]
	if info := decodeN(t, c, oldCookie, 1); info.Reissue || info.KeyID != oldID {
		t.Errorf("old cookie while the old key seals: got Reissue %t, KeyID %s; want false, %s", info.Reissue, info.KeyID, oldID)
	}
	checkUsage(t, usageOf(t, c, oldID), 4, t1, true)
	checkUsage(t, usageOf(t, c, newID), 0, time.Time{}, false)

	// Step 2: the new secret goes first. Old cookies still open, are
	// counted against the old key, and ask to be re-issued.
	if err := c.SetSecrets([]string{newSecret, oldSecret}); err != nil {
		t.Fatal(err)
	}
	if got := c.KeyIDs(); got[0] != newID || got[1] != oldID {
		t.Fatalf("got key IDs %v, want [%s %s]", got, newID, oldID)
	}
	t2 := t1.Add(time.Minute)
	clk.Set(t2)
	info := decodeN(t, c, oldCookie, 1)
	if !info.Reissue || info.KeyID != oldID {
		t.Errorf("old cookie after the switch: got Reissue %t, KeyID %s; want true, %s", info.Reissue, info.KeyID, oldID)
	}
	checkUsage(t, usageOf(t, c, oldID), 5, t2, false)
	checkUsage(t, usageOf(t, c, newID), 0, time.Time{}, true)

	// The re-issued cookie is counted against the new key from then on;
	// the old key goes quiet.
	newCookie := mustEncode(t, c, "session", map[string]string{"user": "alice"})
	if h, err := cookieseal.Inspect(newCookie); err != nil || h.KeyID != newID {
		t.Fatalf("re-issued cookie: got key %s, %v; want %s", h.KeyID, err, newID)
	}
	t3 := t2.Add(time.Hour)
	clk.Set(t3)
	if info := decodeN(t, c, newCookie, 10); info.Reissue || info.KeyID != newID {
		t.Errorf("new cookie: got Reissue %t, KeyID %s; want false, %s", info.Reissue, info.KeyID, newID)
	}
	checkUsage(t, usageOf(t, c, newID), 10, t3, true)
	checkUsage(t, usageOf(t, c, oldID), 5, t2, false)

	// Failures count for nobody.
	tampered := flipLastByte(t, newCookie)
	var v map[string]string
	if err := c.Decode("session", tampered, &v); !errors.Is(err, cookieseal.ErrInvalid) {
		t.Fatalf("tampered cookie: got %v, want ErrInvalid", err)
	}
	if err := c.Decode("other-name", newCookie, &v); !errors.Is(err, cookieseal.ErrInvalid) {
		t.Fatalf("cookie under another name: got %v, want ErrInvalid", err)
	}
	clk.Set(t3.Add(cookieseal.DefaultMaxAge + time.Hour))
	if err := c.Decode("session", oldCookie, &v); !errors.Is(err, cookieseal.ErrExpired) {
		t.Fatalf("expired cookie: got %v, want ErrExpired", err)
	}
	checkUsage(t, usageOf(t, c, newID), 10, t3, true)
	checkUsage(t, usageOf(t, c, oldID), 5, t2, false)

	// Step 3: the old key has been quiet for longer than MaxAge; drop it.
	// The new key keeps its counts.
	if err := c.SetSecrets([]string{newSecret}); err != nil {
		t.Fatal(err)
	}
	if got := c.KeyUsage(); len(got) != 1 {
		t.Fatalf("got %d keys after dropping the old one, want 1", len(got))
	}
	checkUsage(t, usageOf(t, c, newID), 10, t3, true)
	if err := c.Decode("session", oldCookie, &v); !errors.Is(err, cookieseal.ErrUnknownKey) {
		t.Errorf("cookie of the dropped key: got %v, want ErrUnknownKey", err)
	}

	// A secret removed and added again starts from zero: counts live with
	// the key in the ring, not with the secret.
	if err := c.SetSecrets([]string{newSecret, oldSecret}); err != nil {
		t.Fatal(err)
	}
	checkUsage(t, usageOf(t, c, oldID), 0, time.Time{}, false)
	checkUsage(t, usageOf(t, c, newID), 10, t3, true)
}

func flipLastByte(t *testing.T, cookie string) string {
	t.Helper()
	raw, err := base64.RawURLEncoding.DecodeString(cookie)
	if err != nil {
		t.Fatal(err)
	}
	raw[len(raw)-1] ^= 0x01
	return base64.RawURLEncoding.EncodeToString(raw)
}

// TestKeyUsageRefusedSetSecretsKeepsCounts checks that a refused secret list
// changes neither the ring nor its counts.
func TestKeyUsageRefusedSetSecretsKeepsCounts(t *testing.T) {
	c := newCodec(t)
	cookie := mustEncode(t, c, "session", map[string]string{"a": "b"})
	decodeN(t, c, cookie, 2)
	before := c.KeyUsage()
	if err := c.SetSecrets([]string{"too short"}); err == nil {
		t.Fatal("SetSecrets accepted a short secret")
	}
	after := c.KeyUsage()
	if len(after) != 1 || after[0] != before[0] {
		t.Errorf("got %+v after a refused SetSecrets, want %+v", after, before)
	}
}

// TestKeyUsageConcurrent checks that concurrent decodes lose no count.
func TestKeyUsageConcurrent(t *testing.T) {
	c := newCodec(t)
	cookie := mustEncode(t, c, "session", map[string]string{"a": "b"})
	const workers, each = 8, 200
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range each {
				var v map[string]string
				if err := c.Decode("session", cookie, &v); err != nil {
					t.Error(err)
					return
				}
			}
		}()
	}
	wg.Wait()
	if got := c.KeyUsage()[0].Opened; got != workers*each {
		t.Errorf("got Opened %d, want %d", got, workers*each)
	}
}

func TestDecodeInfoReissue(t *testing.T) {
	t0 := time.Date(2026, 7, 1, 0, 0, 0, 0, time.UTC)
	first, second := cookieseal.GenerateSecret(), cookieseal.GenerateSecret()
	const refresh, maxAge = 30 * time.Minute, time.Hour

	// Cookies sealed at t0 under each secret.
	sealWith := func(secret string) string {
		s, err := cookieseal.New(cookieseal.Config{Secrets: []string{secret}, Now: func() time.Time { return t0 }})
		if err != nil {
			t.Fatal(err)
		}
		return mustEncode(t, s, "session", map[string]string{"u": "x"})
	}
	underFirst, underSecond := sealWith(first), sealWith(second)

	cases := []struct {
		name    string
		cookie  string
		refresh time.Duration
		age     time.Duration
		want    bool
	}{
		{"fresh, first secret", underFirst, refresh, time.Second, false},
		{"fresh, second secret", underSecond, refresh, time.Second, true},
		{"just under RefreshAge", underFirst, refresh, refresh - time.Second, false},
		{"exactly RefreshAge", underFirst, refresh, refresh, true},
		{"past RefreshAge", underFirst, refresh, refresh + time.Second, true},
		{"RefreshAge zero, near MaxAge", underFirst, 0, maxAge - time.Second, false},
		{"issued slightly in the future", underFirst, refresh, -30 * time.Second, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			now := t0.Add(tc.age)
			c, err := cookieseal.New(cookieseal.Config{
				Secrets:    []string{first, second},
				MaxAge:     maxAge,
				RefreshAge: tc.refresh,
				Now:        func() time.Time { return now },
			})
			if err != nil {
				t.Fatal(err)
			}
			var v map[string]string
			info, err := c.DecodeInfo("session", tc.cookie, &v)
			if err != nil {
				t.Fatal(err)
			}
			if info.Reissue != tc.want {
				t.Errorf("got Reissue %t, want %t", info.Reissue, tc.want)
			}
			if info.Legacy {
				t.Error("got Legacy for a cookieseal cookie")
			}
			if !info.IssuedAt.Equal(t0) {
				t.Errorf("got IssuedAt %v, want %v", info.IssuedAt, t0)
			}
			h, err := cookieseal.Inspect(tc.cookie)
			if err != nil {
				t.Fatal(err)
			}
			if info.KeyID != h.KeyID {
				t.Errorf("got KeyID %s, want the cookie's %s", info.KeyID, h.KeyID)
			}
		})
	}
}
