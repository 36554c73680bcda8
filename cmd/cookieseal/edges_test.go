package main

import (
	"bytes"
	"crypto/hkdf"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"errors"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/cookieseal/cookieseal"
	"golang.org/x/crypto/chacha20poly1305"
)

// sealByHand seals payload with any flags, as SPEC.md says (the CLI cannot
// make malformed cookies through the package): HKDF-SHA256 keys, the header
// and the length-prefixed name in the associated data.
func sealByHand(t *testing.T, secret, name string, flags byte, issued time.Time, payload string) string {
	t.Helper()
	key, err := hkdf.Key(sha256.New, []byte(secret), []byte("cookieseal/v1"), "cookieseal/v1 XChaCha20-Poly1305 key", 32)
	if err != nil {
		t.Fatal(err)
	}
	id, err := hkdf.Key(sha256.New, []byte(secret), []byte("cookieseal/v1"), "cookieseal/v1 key id", 4)
	if err != nil {
		t.Fatal(err)
	}
	aead, err := chacha20poly1305.NewX(key)
	if err != nil {
		t.Fatal(err)
	}
	hdr := append([]byte{1}, id...)
	hdr = append(hdr, flags)
	ad := binary.BigEndian.AppendUint32(bytes.Clone(hdr), uint32(len(name)))
	ad = append(ad, name...)
	nonce := bytes.Repeat([]byte{9}, chacha20poly1305.NonceSizeX)
	pt := binary.BigEndian.AppendUint64(nil, uint64(issued.Unix()))
	pt = append(pt, payload...)
	out := append(append(hdr, nonce...), aead.Seal(nil, nonce, pt, ad)...)
	return base64.RawURLEncoding.EncodeToString(out)
}

func TestSealByHandMatchesPackage(t *testing.T) {
	secret := cookieseal.GenerateSecret()
	var got string
	if err := newCodec(t, t0, secret).Decode("n", sealByHand(t, secret, "n", 0, t0, `"ok"`), &got); err != nil || got != "ok" {
		t.Fatalf("the package does not open a hand-sealed cookie: %v, %q", err, got)
	}
}

func TestSealCompressOnlyWhenAsked(t *testing.T) {
	secret := cookieseal.GenerateSecret()
	value := `{"items":[` + strings.Repeat(`{"sku":"SKU-1000-S","qty":1},`, 80) + `{}]}` // 2.2 KB, compressible
	for _, tc := range []struct {
		args []string
		want bool
	}{
		{[]string{"seal", "-name", "s"}, false},
		{[]string{"seal", "-name", "s", "-compress"}, true},
	} {
		r := runAt(t, secretsEnv(secret), t0, value, append(tc.args, "-v")...)
		wantCode(t, r, exitOK)
		h, err := cookieseal.Inspect(strings.TrimSpace(r.stdout))
		if err != nil {
			t.Fatal(err)
		}
		if h.Compressed != tc.want || !strings.Contains(r.stderr, "compressed: "+yesNo(tc.want)) {
			t.Errorf("%v: compressed %t, want %t; -v says:\n%s", tc.args, h.Compressed, tc.want, r.stderr)
		}
		var raw json.RawMessage
		if err := newCodec(t, t0, secret).Decode("s", strings.TrimSpace(r.stdout), &raw); err != nil || strings.TrimRight(string(raw), " ") != value { // padded unless compressed
			t.Errorf("%v: opens as %q, %v", tc.args, raw, err)
		}
	}
}

func TestEmptyCookieName(t *testing.T) {
	secret := cookieseal.GenerateSecret()
	e := secretsEnv(secret)
	r := runAt(t, e, t0, `{"a":1}`, "seal", "-name", "")
	wantCode(t, r, exitOK)
	cookie := strings.TrimSpace(r.stdout)
	if err := newCodec(t, t0, secret).Decode("", cookie, new(any)); err != nil {
		t.Fatalf("the package does not open it under the empty name: %v", err)
	}
	r = runAt(t, e, t0, "", "open", "-name", "", cookie)
	wantCode(t, r, exitOK)
	if r.stdout != `{"a":1}`+"\n" {
		t.Errorf("open -name \"\": stdout %q", r.stdout)
	}
	r = runAt(t, e, t0, "", "open", "="+cookie) // as the browser shows it
	wantCode(t, r, exitOK)
	r = runAt(t, e, t0, "", "open", "-name", "s", cookie)
	wantCode(t, r, exitInvalid)
	r = runAt(t, e, t0, "", "inspect", "-name", "", cookie)
	wantCode(t, r, exitOK)
	if want := "fits:       yes, =... is " + strconv.Itoa(1+len(cookie)) + " of 4096 bytes"; !strings.Contains(r.stdout, want) {
		t.Errorf("inspect -name \"\": stdout lacks %q:\n%s", want, r.stdout)
	}
	// Leaving -name out is still an error: an empty name must be asked for.
	r = runAt(t, e, t0, "1", "seal")
	wantCode(t, r, exitUsage)
	r = runAt(t, e, t0, "", "open", cookie)
	wantCode(t, r, exitUsage)
}

func TestMaxAgeZeroIsTheDefault(t *testing.T) {
	secret := cookieseal.GenerateSecret()
	e := secretsEnv(secret)
	cookie, err := newCodec(t, t0, secret).Encode("s", 1)
	if err != nil {
		t.Fatal(err)
	}
	for _, arg := range []string{"0", "0s", "86400", "24h"} {
		r := runAt(t, e, t0.Add(24*time.Hour), "", "open", "-name", "s", "-max-age", arg, cookie)
		wantCode(t, r, exitOK)
		r = runAt(t, e, t0.Add(24*time.Hour+time.Second), "", "open", "-name", "s", "-max-age", arg, cookie)
		wantCode(t, r, exitExpired)
	}
	r := runAt(t, e, t0, "1", "seal", "-name", "s", "-max-age", "0", "-v")
	wantCode(t, r, exitOK)
	if !strings.Contains(r.stderr, "(after 1 day)") {
		t.Errorf("seal -max-age 0 -v: stderr lacks the default lifetime:\n%s", r.stderr)
	}
}

func TestFullCookieName(t *testing.T) {
	secret := cookieseal.GenerateSecret()
	e := secretsEnv(secret)
	c := newCodec(t, t0, secret)
	host, err := c.Encode("__Host-session", "alice")
	if err != nil {
		t.Fatal(err)
	}
	plain, err := c.Encode("session", "bob")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		desc   string
		args   []string
		want   int
		stdout string
		stderr string
	}{
		{"full name", []string{"-name", "__Host-session", host}, exitOK, `"alice"`, ""},
		{"name=value", []string{"__Host-session=" + host}, exitOK, `"alice"`, ""},
		{"name=value and the same -name", []string{"-name", "__Host-session", "__Host-session=" + host}, exitOK, `"alice"`, ""},
		{"Cookie header", []string{"-name", "__Host-session", "Cookie: theme=dark; __Host-session=" + host + "; x=y"}, exitOK, `"alice"`, ""},
		{"header without Cookie:", []string{"-name", "session", "__Host-session=" + host + "; session=" + plain}, exitOK, `"bob"`, ""},
		{"prefix left out", []string{"-name", "session", host}, exitInvalid, "", "it was sealed for -name __Host-session: the sealed name is the full cookie name"},
		{"prefix added", []string{"-name", "__Host-session", plain}, exitInvalid, "", "it was sealed for -name session"},
		{"another name", []string{"-name", "other", plain}, exitInvalid, "", "if the browser shows it as __Host-other, use -name __Host-other"},
		{"header without that name", []string{"-name", "session", "Cookie: theme=dark; __Host-session=" + host}, exitUsage, "", `no cookie named "session" among "theme", "__Host-session"; the sealed name is the full cookie name: try -name __Host-session`},
		{"header without -name", []string{"theme=dark; __Host-session=" + host}, exitUsage, "", "2 cookies given"},
		{"pair under another -name", []string{"-name", "session", "__Host-session=" + host}, exitUsage, "", "try -name __Host-session"},
		{"not a pair", []string{"-name", "s", "a=1; b"}, exitUsage, "", `"b" is not NAME=VALUE`},
	} {
		t.Run(tc.desc, func(t *testing.T) {
			r := runAt(t, e, t0, "", append([]string{"open"}, tc.args...)...)
			wantCode(t, r, tc.want)
			if strings.TrimSpace(r.stdout) != tc.stdout || !strings.Contains(r.stderr, tc.stderr) {
				t.Errorf("got stdout %q, stderr %q; want %q and %q", r.stdout, r.stderr, tc.stdout, tc.stderr)
			}
		})
	}
	// The same from stdin, and for inspect, which takes the name for "fits".
	r := runAt(t, e, t0, "__Host-session="+host+"\n", "open")
	wantCode(t, r, exitOK)
	r = runAt(t, e, t0, "", "inspect", "__Host-session="+host)
	wantCode(t, r, exitOK)
	if !strings.Contains(r.stdout, "fits:       yes, __Host-session=... is") {
		t.Errorf("inspect NAME=VALUE: stdout lacks the name's fit:\n%s", r.stdout)
	}
}

// failWriter fails every write, as a full disk does.
type failWriter struct{}

func (failWriter) Write([]byte) (int, error) { return 0, errors.New("no space left on device") }

func TestWriteErrorsExitNonZero(t *testing.T) {
	secret := cookieseal.GenerateSecret()
	cookie, err := newCodec(t, t0, secret).Encode("s", 1)
	if err != nil {
		t.Fatal(err)
	}
	c := cli{getenv: secretsEnv(secret).get, now: func() time.Time { return t0 }}
	for _, tc := range []struct {
		stdin string
		args  []string
	}{
		{"", []string{"keygen"}},
		{"", []string{"keygen", "-n", "5"}},
		{"", []string{"keygen", "-h"}},
		{`{"a":1}`, []string{"seal", "-name", "s"}},
		{"", []string{"open", "-name", "s", cookie}},
		{"", []string{"inspect", cookie}},
		{"", []string{"-h"}},
	} {
		var stderr bytes.Buffer
		code := c.run(tc.args, strings.NewReader(tc.stdin), failWriter{}, &stderr)
		if code != exitError || !strings.Contains(stderr.String(), "writing the output: no space left on device") {
			t.Errorf("%v into a full disk: exit %d, stderr %q; want exit 1 and the write error", tc.args, code, stderr.String())
		}
	}
	// And through a real /dev/full.
	full, err := os.OpenFile("/dev/full", os.O_WRONLY, 0)
	if err != nil {
		t.Skip("no /dev/full:", err)
	}
	defer full.Close()
	for _, args := range [][]string{{"keygen"}, {"seal", "-name", "s"}} {
		var stderr bytes.Buffer
		if code := c.run(args, strings.NewReader("1"), full, &stderr); code != exitError {
			t.Errorf("%v > /dev/full: exit %d, stderr %q; want 1", args, code, stderr.String())
		}
	}
}

func (e env) get(k string) string { return e[k] }

func TestSealKeepsJSONAsGiven(t *testing.T) {
	secret := cookieseal.GenerateSecret()
	in := "{ \"html\": \"<b>&amp;</b>\",\n  \"n\": 1.50 }\n"
	r := runAt(t, secretsEnv(secret), t0, in, "seal", "-name", "s")
	wantCode(t, r, exitOK)
	var raw json.RawMessage
	if err := newCodec(t, t0, secret).Decode("s", strings.TrimSpace(r.stdout), &raw); err != nil {
		t.Fatal(err)
	}
	if want := `{"html":"<b>&amp;</b>","n":1.50}`; strings.TrimRight(string(raw), " ") != want { // padded (SPEC.md 5.4)
		t.Errorf("sealed %s, want %s", raw, want)
	}
}

func TestSealBadJSONSaysWhere(t *testing.T) {
	e := secretsEnv(cookieseal.GenerateSecret())
	for _, tc := range []struct{ in, want string }{
		{"{\n  \"a\": 1,\n  \"b\" 2\n}", "at line 3, column 7"},
		{"\n\n{user: alice}", "at line 3, column 2"},
		{`[1, 2`, "at the end of the input"},
		{"1 2", "after top-level value, at line 1, column 3"},
		{"  \n ", "it is empty"},
	} {
		r := runAt(t, e, t0, tc.in, "seal", "-name", "s")
		wantCode(t, r, exitInvalid)
		if !strings.Contains(r.stderr, tc.want) {
			t.Errorf("seal %q: stderr %q lacks %q", tc.in, r.stderr, tc.want)
		}
	}
}

func TestOpenEscapesControlCharacters(t *testing.T) {
	secret := cookieseal.GenerateSecret()
	// C0 (ESC, BEL), DEL, C1 (CSI), a line separator; printable text kept.
	cookie, err := newCodec(t, t0, secret).Encode("s", map[string]string{"a": "x\x1b[2J\a\x7f\u009b31m\u2028é<"})
	if err != nil {
		t.Fatal(err)
	}
	r := runAt(t, secretsEnv(secret), t0, "", "open", "-name", "s", cookie)
	wantCode(t, r, exitOK)
	if want := `{"a":"x\u001b[2J\u0007\u007f\u009b31m\u2028é<"}` + "\n"; r.stdout != want {
		t.Errorf("stdout %q, want %q", r.stdout, want)
	}
	for _, b := range r.stdout[:len(r.stdout)-1] {
		if b < 0x20 || b == 0x7f || b >= 0x80 && b < 0xa0 {
			t.Errorf("stdout holds control character %U", b)
		}
	}
	if !utf8.ValidString(r.stdout) || !json.Valid([]byte(r.stdout)) {
		t.Errorf("stdout is not valid UTF-8 JSON: %q", r.stdout)
	}
}

func TestSecretsFileSizeCap(t *testing.T) {
	e := secretsEnv(cookieseal.GenerateSecret())
	big := writeFile(t, "big", cookieseal.GenerateSecret()+"\n"+strings.Repeat("#", cookieseal.MaxSecretsFileSize)+"\n")
	files := []string{big}
	if _, err := os.Stat("/dev/zero"); err == nil {
		files = append(files, "/dev/zero")
	}
	for _, f := range files {
		r := runAt(t, e, t0, "", "open", "-name", "s", "-secrets-file", f, "AAAA")
		wantCode(t, r, exitError)
		if !strings.Contains(r.stderr, "larger than 65536 bytes") {
			t.Errorf("%s: stderr %q, want the size cap", f, r.stderr)
		}
	}
}

func TestOpenPointsForeignCookiesToInspect(t *testing.T) {
	e := secretsEnv(cookieseal.GenerateSecret())
	flask := flaskCookieFor(t, `{"user":"alice"}`, t0, false)
	r := runAt(t, e, t0, "", "open", "-name", "session", flask)
	wantCode(t, r, exitInvalid)
	if !strings.Contains(r.stderr, "this is a Flask/itsdangerous cookie, not a cookieseal one: 'cookieseal inspect' shows what it holds") {
		t.Errorf("stderr %q does not point to inspect", r.stderr)
	}
	r = runAt(t, e, t0, "", "open", "-name", "session", "3."+strings.Repeat("A", 80))
	wantCode(t, r, exitInvalid)
	if !strings.Contains(r.stderr, "first of 3 parts") || !strings.Contains(r.stderr, "open cannot join parts") {
		t.Errorf("first part: stderr %q does not say it is a part", r.stderr)
	}
}

func TestOpenAndInspectWordBase64ErrorsAlike(t *testing.T) {
	e := secretsEnv(cookieseal.GenerateSecret())
	for _, v := range []string{"AAAA*AAAA", "hello world", "AB"} {
		ro := runAt(t, e, t0, "", "open", "-name", "s", v)
		ri := runAt(t, nil, t0, "", "inspect", v)
		wantCode(t, ro, exitInvalid)
		wantCode(t, ri, exitInvalid)
		detail := strings.TrimSpace(strings.TrimPrefix(ro.stderr, "cookieseal open: "))
		if !strings.HasPrefix(ri.stderr, "cookieseal inspect: "+detail) {
			t.Errorf("%q: open says %q, inspect %q", v, ro.stderr, ri.stderr)
		}
	}
}

func TestFormatAge(t *testing.T) {
	for _, tc := range []struct {
		d    time.Duration
		want string
	}{
		{0, "0 seconds"},
		{400 * time.Millisecond, "0 seconds"},
		{time.Second, "1 second"},
		{59 * time.Second, "59 seconds"},
		{59*time.Second + 600*time.Millisecond, "1 minute"},
		{61 * time.Second, "1 minute 1 second"},
		{2*time.Minute + 2*time.Second, "2 minutes 2 seconds"},
		{3599 * time.Second, "59 minutes 59 seconds"},
		{time.Hour, "1 hour"},
		{time.Hour + 59*time.Second, "1 hour"},
		{time.Hour + time.Minute, "1 hour 1 minute"},
		{86399 * time.Second, "23 hours 59 minutes"},
		{24 * time.Hour, "1 day"},
		{25 * time.Hour, "1 day 1 hour"},
		{10*24*time.Hour - time.Second, "9 days 23 hours"},
		{10 * 24 * time.Hour, "10 days"},
		{25400*time.Hour + 52*time.Minute + 58*time.Second, "1058 days"},
		{-90 * time.Second, "1 minute 30 seconds"},
	} {
		if got := formatAge(tc.d); got != tc.want {
			t.Errorf("formatAge(%v) = %q, want %q", tc.d, got, tc.want)
		}
	}
	if got := formatAgo(t0.Add(30*time.Second), t0); got != "in 30 seconds" {
		t.Errorf("formatAgo of a future time = %q", got)
	}
	if got := formatAgo(t0.Add(400*time.Millisecond), t0); got != "0 seconds ago" {
		t.Errorf("formatAgo of now = %q", got)
	}
	if got := formatAgo(t0.Add(-25400*time.Hour), t0); got != "1058 days ago" {
		t.Errorf("formatAgo = %q", got)
	}
}

func TestSealTooLargeSaysItMakesOneCookie(t *testing.T) {
	var random strings.Builder
	for range 120 {
		random.WriteString(cookieseal.GenerateSecret())
	}
	r := runAt(t, secretsEnv(cookieseal.GenerateSecret()), t0, `"`+random.String()+`"`, "seal", "-name", "s")
	wantCode(t, r, exitTooLarge)
	if !strings.Contains(r.stderr, "seal makes one cookie: it does not split a value into the parts Cookies.Write sets") {
		t.Errorf("stderr %q does not say seal makes one cookie", r.stderr)
	}
	r = runAt(t, nil, t0, "", "seal", "-h")
	if !strings.Contains(r.stdout, "does not split") {
		t.Errorf("seal -h does not say it makes one cookie:\n%s", r.stdout)
	}
}

func TestOpenRefusesMalformedTypedValues(t *testing.T) {
	secret := cookieseal.GenerateSecret()
	e := secretsEnv(secret)
	for _, payload := range []string{
		`{"map":{"n":1.5}}`,          // a bare number in a map must be an int
		`{"map":{"n":{"int8":300}}}`, // out of range
		`{"object":{}}`,              // not a map
		`[1]`,                        // not a tag
	} {
		cookie := sealByHand(t, secret, "s", 0x02, t0, payload)
		r := runAt(t, e, t0, "", "open", "-name", "s", cookie)
		if r.code != exitInvalid {
			t.Errorf("%s: exit %d, want %d", payload, r.code, exitInvalid)
		}
		if r.stdout != "" {
			t.Errorf("%s: printed %q", payload, r.stdout)
		}
	}
	// The same payload as plain JSON opens.
	r := runAt(t, e, t0, "", "open", "-name", "s", sealByHand(t, secret, "s", 0, t0, `{"map":{"n":1.5}}`))
	wantCode(t, r, exitOK)
	// And a well-formed typed cookie opens.
	r = runAt(t, e, t0, "", "open", "-name", "s", sealByHand(t, secret, "s", 0x02, t0, `{"map":{"n":{"int8":3}}}`))
	wantCode(t, r, exitOK)
}
