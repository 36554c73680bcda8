package main

import (
	"bytes"
	"compress/zlib"
	"crypto/hmac"
	"crypto/sha1"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/cookieseal/cookieseal"
	"github.com/gorilla/securecookie"
)

// t0 is the clock of most tests.
var t0 = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

type result struct {
	code           int
	stdout, stderr string
}

// env is a fake environment for the command.
type env map[string]string

// secretsEnv returns an environment whose COOKIESEAL_SECRETS holds secrets.
func secretsEnv(secrets ...string) env {
	return env{envSecrets: strings.Join(secrets, ",")}
}

// runAt runs the command with environment e and clock now, and checks what
// every run must do: no secret from e in any output, and at most one line
// on stderr when it fails.
func runAt(t *testing.T, e env, now time.Time, stdin string, args ...string) result {
	t.Helper()
	var stdout, stderr bytes.Buffer
	c := cli{getenv: func(k string) string { return e[k] }, now: func() time.Time { return now }}
	code := c.run(args, strings.NewReader(stdin), &stdout, &stderr)
	r := result{code, stdout.String(), stderr.String()}
	for _, s := range cookieseal.SecretsFromEnv(e[envSecrets]) {
		if strings.Contains(r.stdout+r.stderr, s) {
			t.Errorf("cookieseal %v: output contains a secret", args)
		}
	}
	if code != exitOK && len(args) > 0 { // with no arguments, the usage is the error
		if n := strings.Count(r.stderr, "\n"); n != 1 {
			t.Errorf("cookieseal %v: exit %d with %d lines on stderr, want 1:\n%s", args, code, n, r.stderr)
		}
	}
	return r
}

// wantCode fails the test unless r exited with want.
func wantCode(t *testing.T, r result, want int) {
	t.Helper()
	if r.code != want {
		t.Fatalf("got exit %d, want %d\nstdout: %s\nstderr: %s", r.code, want, r.stdout, r.stderr)
	}
}

// newCodec returns a package Codec over secrets with clock now.
func newCodec(t *testing.T, now time.Time, secrets ...string) *cookieseal.Codec {
	t.Helper()
	c, err := cookieseal.New(cookieseal.Config{Secrets: secrets, Now: func() time.Time { return now }})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// writeFile writes text to a new file in a temporary folder.
func writeFile(t *testing.T, name, text string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestRunHelpListsSubcommands(t *testing.T) {
	for _, arg := range []string{"-h", "--help", "help"} {
		var stdout, stderr bytes.Buffer
		if code := run([]string{arg}, strings.NewReader(""), &stdout, &stderr); code != exitOK {
			t.Fatalf("cookieseal %s: got exit %d, want 0", arg, code)
		}
		for _, want := range []string{"keygen", "seal", "open", "inspect", envSecrets, "-secrets-file",
			"0  success", "2  usage", "3  invalid", "4  expired", "5  unknown key", "6  too large"} {
			if !strings.Contains(stdout.String(), want) {
				t.Errorf("cookieseal %s: stdout lacks %q:\n%s", arg, want, stdout.String())
			}
		}
		if stderr.Len() != 0 {
			t.Errorf("cookieseal %s: stderr %q, want nothing", arg, stderr.String())
		}
	}
}

func TestRunUsageErrors(t *testing.T) {
	r := runAt(t, nil, t0, "")
	wantCode(t, r, exitUsage)
	if !strings.Contains(r.stderr, "Commands:") || r.stdout != "" {
		t.Errorf("no arguments: got stdout %q, stderr %q; want the usage on stderr", r.stdout, r.stderr)
	}
	for _, args := range [][]string{{"frobnicate"}, {"help", "frobnicate"}, {"-x"}} {
		r := runAt(t, nil, t0, "", args...)
		wantCode(t, r, exitUsage)
		if !strings.Contains(r.stderr, "unknown command") {
			t.Errorf("cookieseal %v: stderr %q, want unknown command", args, r.stderr)
		}
	}
}

func TestSubcommandHelp(t *testing.T) {
	// The exit statuses each command can return, and only those.
	exits := map[string][]int{
		"keygen":  {0, 1, 2},
		"seal":    {0, 1, 2, 3, 6},
		"open":    {0, 1, 2, 3, 4, 5, 6},
		"inspect": {0, 1, 2, 3, 5, 6},
		"keyids":  {0, 1, 2},
		"keys":    {0, 1, 2},
	}
	for name := range commands {
		for _, args := range [][]string{{name, "-h"}, {name, "--help"}, {"help", name}} {
			r := runAt(t, nil, t0, "", args...)
			wantCode(t, r, exitOK)
			if !strings.HasPrefix(r.stdout, "Usage: cookieseal "+name) {
				t.Errorf("cookieseal %v: stdout lacks the usage line:\n%s", args, r.stdout)
			}
			_, statuses, _ := strings.Cut(r.stdout, "Exit status:\n")
			for code := 0; code <= 6; code++ {
				want := slices.Contains(exits[name], code)
				if got := strings.Contains(statuses, fmt.Sprintf("\n  %d  ", code)) || strings.HasPrefix(statuses, fmt.Sprintf("  %d  ", code)); got != want {
					t.Errorf("cookieseal %v: lists exit %d: %t, want %t:\n%s", args, code, got, want, statuses)
				}
			}
			if name != "keygen" && name != "keyids" && name != "keys" && !strings.Contains(r.stdout, "full cookie name") && !strings.Contains(r.stdout, "full `NAME`") && !strings.Contains(r.stdout, "full NAME") {
				t.Errorf("cookieseal %v: help does not say the sealed name is the full cookie name:\n%s", args, r.stdout)
			}
			if r.stderr != "" {
				t.Errorf("cookieseal %v: stderr %q, want nothing", args, r.stderr)
			}
		}
	}
}

func TestKeygenPrintsUsableDistinctSecrets(t *testing.T) {
	r := runAt(t, nil, t0, "", "keygen", "-n", "3")
	wantCode(t, r, exitOK)
	lines := strings.Split(strings.TrimSuffix(r.stdout, "\n"), "\n")
	if len(lines) != 3 {
		t.Fatalf("got %d lines, want 3:\n%s", len(lines), r.stdout)
	}
	seen := map[string]bool{}
	for _, s := range lines {
		if len(s) < cookieseal.MinSecretSize || seen[s] {
			t.Errorf("secret %d bytes or repeated, want %d+ bytes and distinct", len(s), cookieseal.MinSecretSize)
		}
		seen[s] = true
	}
	if _, err := cookieseal.New(cookieseal.Config{Secrets: lines}); err != nil {
		t.Errorf("New refuses keygen's secrets: %v", err)
	}

	var stdout, stderr bytes.Buffer
	if code := run([]string{"keygen"}, strings.NewReader(""), &stdout, &stderr); code != exitOK || strings.Count(stdout.String(), "\n") != 1 {
		t.Errorf("keygen: got exit %d and %q, want 0 and one line", code, stdout.String())
	}
}

func TestKeygenUsage(t *testing.T) {
	for _, args := range [][]string{{"keygen", "-n", "0"}, {"keygen", "-n", "1001"}, {"keygen", "-n", "x"}, {"keygen", "extra"}} {
		r := runAt(t, nil, t0, "", args...)
		wantCode(t, r, exitUsage)
		if r.stdout != "" {
			t.Errorf("cookieseal %v printed %q on stdout, want nothing", args, r.stdout)
		}
	}
}

func TestSealedByCLIOpensInPackage(t *testing.T) {
	secret := cookieseal.GenerateSecret()
	r := runAt(t, secretsEnv(secret), t0, "{\"user\": \"alice\", \"n\": 7}\n", "seal", "-name", "session")
	wantCode(t, r, exitOK)
	cookie := strings.TrimSuffix(r.stdout, "\n")

	var got struct {
		User string `json:"user"`
		N    int    `json:"n"`
	}
	info, err := newCodec(t, t0.Add(time.Minute), secret).DecodeInfo("session", cookie, &got)
	if err != nil {
		t.Fatalf("package cannot open the CLI's cookie: %v", err)
	}
	if got.User != "alice" || got.N != 7 || !info.IssuedAt.Equal(t0) {
		t.Errorf("got %+v issued %v, want alice, 7, issued %v", got, info.IssuedAt, t0)
	}
	if err := newCodec(t, t0, secret).Decode("other", cookie, &got); err == nil {
		t.Error("the CLI's cookie opened under another name")
	}
}

func TestSealVerbose(t *testing.T) {
	secret := cookieseal.GenerateSecret()
	r := runAt(t, secretsEnv(secret), t0, `"x"`, "seal", "-name", "s", "-max-age", "2h", "-v")
	wantCode(t, r, exitOK)
	id := newCodec(t, t0, secret).KeyIDs()[0]
	for _, want := range []string{"key ID:     " + id.String() + " (secret 1 of 1, the sealing secret)",
		"issued:     2026-03-01T12:00:00Z", "expires:    2026-03-01T14:00:00Z (after 2 hours)", "compressed: no", "limit 4096"} {
		if !strings.Contains(r.stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, r.stderr)
		}
	}
}

func TestSealedByPackageOpensInCLI(t *testing.T) {
	secret := cookieseal.GenerateSecret()
	cookie, err := newCodec(t, t0, secret).Encode("session", map[string]any{"user": "alice", "admin": false})
	if err != nil {
		t.Fatal(err)
	}
	e := secretsEnv(secret)
	now := t0.Add(90 * time.Minute)
	for _, tc := range []struct {
		desc, stdin string
		args        []string
	}{
		{"argument", "", []string{"open", "-name", "session", cookie}},
		{"flags after the argument", "", []string{"open", cookie, "-name", "session"}},
		{"after --", "", []string{"open", "-name", "session", "--", cookie}},
		{"stdin with newline", cookie + "\n", []string{"open", "-name", "session"}},
		{"stdin with CRLF", cookie + "\r\n", []string{"open", "-name", "session"}},
		{"stdin without newline", cookie, []string{"open", "-name", "session"}},
	} {
		r := runAt(t, e, now, tc.stdin, tc.args...)
		wantCode(t, r, exitOK)
		if r.stdout != `{"admin":false,"user":"alice"}`+"\n" {
			t.Errorf("%s: got stdout %q, want the JSON value", tc.desc, r.stdout)
		}
		if r.stderr != "" {
			t.Errorf("%s: stderr %q without -v, want nothing", tc.desc, r.stderr)
		}
	}

	r := runAt(t, e, now, "", "open", "-name", "session", "-v", cookie)
	wantCode(t, r, exitOK)
	id := newCodec(t, t0, secret).KeyIDs()[0]
	for _, want := range []string{"issued:   2026-03-01T12:00:00Z (1 hour 30 minutes ago)",
		"key ID:   " + id.String() + " (secret 1 of 1, the sealing secret)", "reissue:  no"} {
		if !strings.Contains(r.stderr, want) {
			t.Errorf("-v: stderr lacks %q:\n%s", want, r.stderr)
		}
	}
}

func TestOpenTypedSessionValues(t *testing.T) {
	secret := cookieseal.GenerateSecret()
	cookie, err := newCodec(t, t0, secret).Encode("s", map[any]any{"n": 1})
	if err != nil {
		t.Fatal(err)
	}
	r := runAt(t, secretsEnv(secret), t0, "", "open", "-name", "s", "-v", cookie)
	wantCode(t, r, exitOK)
	if !strings.Contains(r.stdout, `"n"`) || !strings.Contains(r.stderr, "typed:    yes") {
		t.Errorf("got stdout %q, stderr %q; want the typed JSON and typed: yes", r.stdout, r.stderr)
	}
}

func TestOpenRotatedSecretsFile(t *testing.T) {
	oldSecret, newSecret := cookieseal.GenerateSecret(), cookieseal.GenerateSecret()
	oldCodec := newCodec(t, t0, oldSecret)
	cookie, err := oldCodec.Encode("session", "v")
	if err != nil {
		t.Fatal(err)
	}
	oldID := oldCodec.KeyIDs()[0]
	rotated := writeFile(t, "rotated", "# new secret first; the old one still opens\n"+newSecret+"\n\n  "+oldSecret+"  \n")
	removed := writeFile(t, "removed", newSecret+"\n")
	// The environment holds the removed secret only: the file must win.
	e := secretsEnv(cookieseal.GenerateSecret())

	r := runAt(t, e, t0, "", "open", "-name", "session", "-secrets-file", rotated, "-v", cookie)
	wantCode(t, r, exitOK)
	if r.stdout != "\"v\"\n" {
		t.Errorf("got stdout %q, want \"v\"", r.stdout)
	}
	for _, want := range []string{oldID.String() + " (secret 2 of 2, opens; no longer seals)", "reissue:  yes, its key no longer seals"} {
		if !strings.Contains(r.stderr, want) {
			t.Errorf("rotated: stderr lacks %q:\n%s", want, r.stderr)
		}
	}
	r = runAt(t, e, t0, "", "inspect", "-secrets-file", rotated, cookie)
	wantCode(t, r, exitOK)
	if !strings.Contains(r.stdout, "key ID matches secret 2 of 2") {
		t.Errorf("inspect, rotated: stdout lacks the matching secret:\n%s", r.stdout)
	}

	r = runAt(t, e, t0, "", "open", "-name", "session", "-secrets-file", removed, cookie)
	wantCode(t, r, exitUnknownKey)
	if !strings.Contains(r.stderr, oldID.String()) {
		t.Errorf("removed: stderr %q lacks the key ID", r.stderr)
	}
	r = runAt(t, e, t0, "", "inspect", "-secrets-file", removed, cookie)
	wantCode(t, r, exitUnknownKey)
	if !strings.Contains(r.stdout, "none of the 1 configured secrets has key ID "+oldID.String()) {
		t.Errorf("inspect, removed: stdout lacks the missing match:\n%s", r.stdout)
	}
}

func TestOpenFailures(t *testing.T) {
	secret, other := cookieseal.GenerateSecret(), cookieseal.GenerateSecret()
	c := newCodec(t, t0, secret)
	cookie, err := c.Encode("session", map[string]int{"n": 1})
	if err != nil {
		t.Fatal(err)
	}
	future, err := newCodec(t, t0.Add(time.Hour), secret).Encode("session", 1)
	if err != nil {
		t.Fatal(err)
	}
	// Change one character to another of the base64url alphabet (a XOR
	// could make '-' a '.', which is no longer a bare cookie value).
	tampered := []byte(cookie)
	if tampered[len(tampered)-3] == 'A' {
		tampered[len(tampered)-3] = 'B'
	} else {
		tampered[len(tampered)-3] = 'A'
	}
	e := secretsEnv(secret)
	for _, tc := range []struct {
		desc   string
		e      env
		now    time.Time
		args   []string
		want   int
		stderr string
	}{
		{"tampered", e, t0, []string{"-name", "session", string(tampered)}, exitInvalid, "invalid cookie"},
		{"another name", e, t0, []string{"-name", "other", cookie}, exitInvalid, "invalid cookie"},
		{"not a cookie", e, t0, []string{"-name", "session", "hello"}, exitInvalid, "invalid cookie"},
		{"issued in the future", e, t0, []string{"-name", "session", future}, exitInvalid, "in the future"},
		{"older than -max-age", e, t0.Add(2 * time.Hour), []string{"-name", "session", "-max-age", "1h", cookie}, exitExpired, "expired: older than its max age"},
		{"older than the default", e, t0.Add(25 * time.Hour), []string{"-name", "session", cookie}, exitExpired, "expired"},
		{"unknown key", secretsEnv(other), t0, []string{"-name", "session", cookie}, exitUnknownKey, "unknown key"},
		{"too large", e, t0, []string{"-name", "session", bigCookie(t, secret)}, exitTooLarge, "too large"},
		{"no secrets", nil, t0, []string{"-name", "session", cookie}, exitError, "no secrets"},
		{"short secret", secretsEnv("short"), t0, []string{"-name", "session", cookie}, exitError, "need at least 32"},
		{"missing secrets file", e, t0, []string{"-name", "session", "-secrets-file", filepath.Join(t.TempDir(), "none"), cookie}, exitError, "reading secrets file"},
		{"empty secrets file", e, t0, []string{"-name", "session", "-secrets-file", writeFile(t, "empty", "# nothing\n"), cookie}, exitError, "holds no secret"},
		{"no -name", e, t0, []string{cookie}, exitUsage, "-name is required"},
		{"two cookies", e, t0, []string{"-name", "session", cookie, cookie}, exitUsage, "one cookie at most"},
		{"no cookie", e, t0, []string{"-name", "session"}, exitUsage, "no cookie"},
		{"bad -max-age", e, t0, []string{"-name", "session", "-max-age", "-1h", cookie}, exitUsage, "-max-age must not be negative"},
		{"negative -max-age in seconds", e, t0, []string{"-name", "session", "-max-age", "-1", cookie}, exitUsage, "-max-age must not be negative"},
		{"-max-age in seconds", e, t0.Add(2 * time.Hour), []string{"-name", "session", "-max-age", "3600", cookie}, exitExpired, "expired"},
		{"unparsable -max-age", e, t0, []string{"-name", "session", "-max-age", "1 day", cookie}, exitUsage, "whole seconds"},
		{"unknown flag", e, t0, []string{"-name", "session", "-secrets", secret, cookie}, exitUsage, "flag provided but not defined"},
	} {
		t.Run(tc.desc, func(t *testing.T) {
			r := runAt(t, tc.e, tc.now, "", append([]string{"open"}, tc.args...)...)
			wantCode(t, r, tc.want)
			if !strings.HasPrefix(r.stderr, "cookieseal open: ") || !strings.Contains(r.stderr, tc.stderr) {
				t.Errorf("got stderr %q, want cookieseal open: ...%s", r.stderr, tc.stderr)
			}
			if r.stdout != "" {
				t.Errorf("got stdout %q, want nothing", r.stdout)
			}
		})
	}
}

func TestSealFailures(t *testing.T) {
	secret := cookieseal.GenerateSecret()
	e := secretsEnv(secret)
	var random strings.Builder
	for range 120 {
		random.WriteString(cookieseal.GenerateSecret())
	}
	incompressible := `"` + random.String() + `"` // 5160 random characters
	for _, tc := range []struct {
		desc, stdin string
		e           env
		args        []string
		want        int
		stderr      string
	}{
		{"not JSON", "{user: alice}", e, []string{"-name", "s"}, exitInvalid, "not hold one JSON value"},
		{"empty stdin", "", e, []string{"-name", "s"}, exitInvalid, "not hold one JSON value"},
		{"two values", "1 2", e, []string{"-name", "s"}, exitInvalid, "not hold one JSON value"},
		{"too large", incompressible, e, []string{"-name", "s"}, exitTooLarge, "too large"},
		{"over the stdin cap", strings.Repeat(" ", maxInput+1), e, []string{"-name", "s"}, exitTooLarge, "more than"},
		{"no secrets", "1", nil, []string{"-name", "s"}, exitError, "no secrets"},
		{"duplicate secrets", "1", secretsEnv(secret, secret), []string{"-name", "s"}, exitError, "identical"},
		{"no -name", "1", e, nil, exitUsage, "-name is required"},
		{"an argument", "1", e, []string{"-name", "s", "1"}, exitUsage, "the value comes on stdin"},
		{"bad -max-age", "1", e, []string{"-name", "s", "-max-age", "-1s"}, exitUsage, "-max-age must not be negative"},
		{"unparsable -max-age", "1", e, []string{"-name", "s", "-max-age", "soon"}, exitUsage, "invalid value"},
	} {
		t.Run(tc.desc, func(t *testing.T) {
			r := runAt(t, tc.e, t0, tc.stdin, append([]string{"seal"}, tc.args...)...)
			wantCode(t, r, tc.want)
			if !strings.HasPrefix(r.stderr, "cookieseal seal: ") || !strings.Contains(r.stderr, tc.stderr) {
				t.Errorf("got stderr %q, want cookieseal seal: ...%s", r.stderr, tc.stderr)
			}
			if r.stdout != "" {
				t.Errorf("got stdout %q, want nothing", r.stdout)
			}
		})
	}
}

func TestInspectWithoutSecrets(t *testing.T) {
	c := newCodec(t, t0, cookieseal.GenerateSecret())
	id := c.KeyIDs()[0]
	plain, err := c.Encode("session", map[string]string{"user": "alice"})
	if err != nil {
		t.Fatal(err)
	}
	zc, err := cookieseal.New(cookieseal.Config{Secrets: []string{cookieseal.GenerateSecret()}, Compress: true})
	if err != nil {
		t.Fatal(err)
	}
	compressed, err := zc.Encode("session", strings.Repeat("alice ", 200))
	if err != nil {
		t.Fatal(err)
	}
	typed, err := c.Encode("session", map[any]any{"user": "alice"})
	if err != nil {
		t.Fatal(err)
	}
	h, err := cookieseal.Inspect(plain)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		desc, stdin string
		args        []string
		want        []string
	}{
		{"plain", "", []string{plain}, []string{
			"format:     cookieseal v1\n",
			"key ID:     " + id.String() + "\n",
			"compressed: no\n",
			"typed:      no, plain JSON\n",
			fmt.Sprintf("sealed:     %d bytes", h.Sealed),
			fmt.Sprintf("length:     %d bytes\n", len(plain)),
			fmt.Sprintf("fits:       yes, in 4096 bytes with a name of up to %d bytes\n", 4095-len(plain)),
			"the issue time and the value are encrypted",
		}},
		{"stdin", plain + "\n", nil, []string{"key ID:     " + id.String() + "\n"}},
		{"compressed", "", []string{compressed}, []string{"compressed: yes\n"}},
		{"typed", "", []string{typed}, []string{"typed:      yes, session values"}},
		{"with -name", "", []string{"-name", "session", plain}, []string{fmt.Sprintf("fits:       yes, session=... is %d of 4096 bytes\n", len("session=")+len(plain))}},
		{"name too long", "", []string{"-name", strings.Repeat("n", 4096-len(plain)), plain}, []string{"fits:       no, "}},
	} {
		t.Run(tc.desc, func(t *testing.T) {
			r := runAt(t, nil, t0, tc.stdin, append([]string{"inspect"}, tc.args...)...)
			wantCode(t, r, exitOK)
			for _, want := range tc.want {
				if !strings.Contains(r.stdout, want) {
					t.Errorf("stdout lacks %q:\n%s", want, r.stdout)
				}
			}
			if strings.Contains(r.stdout, "alice") || strings.Contains(r.stdout, "secret:") {
				t.Errorf("inspect without secrets shows the value or a secret line:\n%s", r.stdout)
			}
		})
	}

	big := bigCookie(t, cookieseal.GenerateSecret())
	r := runAt(t, nil, t0, "", "inspect", big)
	wantCode(t, r, exitOK)
	if !strings.Contains(r.stdout, "fits:       no, over 4096 bytes with any name\n") {
		t.Errorf("%d-byte cookie: stdout lacks fits: no:\n%s", len(big), r.stdout)
	}
}

// bigCookie returns a cookie sealed under a 16 KiB limit, too long for a
// browser.
func bigCookie(t *testing.T, secret string) string {
	t.Helper()
	c, err := cookieseal.New(cookieseal.Config{Secrets: []string{secret}, MaxLength: 16 << 10, Now: func() time.Time { return t0 }})
	if err != nil {
		t.Fatal(err)
	}
	var random strings.Builder
	for range 100 {
		random.WriteString(cookieseal.GenerateSecret())
	}
	v, err := c.Encode("session", random.String()) // incompressible
	if err != nil {
		t.Fatal(err)
	}
	if len(v) < 4096 {
		t.Fatalf("cookie of %d bytes, want over 4096", len(v))
	}
	return v
}

func TestInspectWithSecretsSaysWhichMatches(t *testing.T) {
	s1, s2, s3 := cookieseal.GenerateSecret(), cookieseal.GenerateSecret(), cookieseal.GenerateSecret()
	cookie, err := newCodec(t, t0, s1).Encode("session", 1)
	if err != nil {
		t.Fatal(err)
	}
	r := runAt(t, secretsEnv(s1, s2), t0, "", "inspect", cookie)
	wantCode(t, r, exitOK)
	if !strings.Contains(r.stdout, "secret:     key ID matches secret 1 of 2, the sealing secret\n") {
		t.Errorf("stdout lacks the match:\n%s", r.stdout)
	}
	r = runAt(t, env{envSecrets: s3 + "\n" + s1}, t0, "", "inspect", cookie)
	wantCode(t, r, exitOK)
	if !strings.Contains(r.stdout, "key ID matches secret 2 of 2, opens; no longer seals\n") {
		t.Errorf("stdout lacks the match:\n%s", r.stdout)
	}
	r = runAt(t, secretsEnv(s2, s3), t0, "", "inspect", cookie)
	wantCode(t, r, exitUnknownKey)
	r = runAt(t, secretsEnv("too short"), t0, "", "inspect", cookie)
	wantCode(t, r, exitError)
}

func TestInspectFailures(t *testing.T) {
	for _, tc := range []struct {
		desc, stdin string
		args        []string
		want        int
		stderr      string
	}{
		{"not a cookie", "", []string{"hello world"}, exitInvalid, "nor a Flask or gorilla/securecookie cookie"},
		{"unknown version", "", []string{strings.Repeat("B", 80)}, exitInvalid, "unknown format version"},
		{"empty stdin", "", nil, exitUsage, "no cookie"},
		{"only a newline", "\n", nil, exitUsage, "no cookie"},
		{"two cookies", "", []string{"a", "b"}, exitUsage, "one cookie at most"},
		{"secrets unread for a foreign value", "", []string{"-secrets-file", "/nonexistent/cookieseal-secrets", "x"}, exitInvalid, "invalid cookie"},
	} {
		t.Run(tc.desc, func(t *testing.T) {
			r := runAt(t, nil, t0, tc.stdin, append([]string{"inspect"}, tc.args...)...)
			wantCode(t, r, tc.want)
			if !strings.HasPrefix(r.stderr, "cookieseal inspect: ") || !strings.Contains(r.stderr, tc.stderr) {
				t.Errorf("got stderr %q, want cookieseal inspect: ...%s", r.stderr, tc.stderr)
			}
		})
	}
}

func TestInspectMissingSecretsFileForCookiesealCookie(t *testing.T) {
	cookie, err := newCodec(t, t0, cookieseal.GenerateSecret()).Encode("s", 1)
	if err != nil {
		t.Fatal(err)
	}
	r := runAt(t, nil, t0, "", "inspect", "-secrets-file", filepath.Join(t.TempDir(), "none"), cookie)
	wantCode(t, r, exitError)
	if !strings.Contains(r.stderr, "reading secrets file") {
		t.Errorf("got stderr %q, want reading secrets file", r.stderr)
	}
}

// flaskCookieFor builds a cookie the way Flask's default session does
// (itsdangerous URLSafeTimedSerializer): payload.timestamp.signature, each
// base64url without padding, the payload zlib-compressed JSON behind a '.'
// when compress is set, the signature an HMAC-SHA1.
func flaskCookieFor(t *testing.T, content string, issued time.Time, compress bool) string {
	t.Helper()
	payload := []byte(content)
	prefix := ""
	if compress {
		var buf bytes.Buffer
		w := zlib.NewWriter(&buf)
		if _, err := w.Write(payload); err != nil {
			t.Fatal(err)
		}
		if err := w.Close(); err != nil {
			t.Fatal(err)
		}
		payload, prefix = buf.Bytes(), "."
	}
	b64 := base64.RawURLEncoding.EncodeToString
	ts := binary.BigEndian.AppendUint32(nil, uint32(issued.Unix()))
	signed := prefix + b64(payload) + "." + b64(ts)
	mac := hmac.New(sha1.New, []byte(cookieseal.GenerateSecret()))
	mac.Write([]byte(signed))
	return signed + "." + b64(mac.Sum(nil))
}

func TestInspectShowsFlaskContentWithoutKey(t *testing.T) {
	content := `{"user_id":42,"username":"alice","csrf_token":"f00dfeed"}`
	issued := t0.Add(-10 * time.Minute)
	for _, compress := range []bool{true, false} {
		cookie := flaskCookieFor(t, content, issued, compress)
		if strings.Contains(cookie, "alice") || strings.HasPrefix(cookie, ".") != compress {
			t.Fatalf("test cookie %q is not what it should be", cookie)
		}
		r := runAt(t, nil, t0, "", "inspect", cookie)
		wantCode(t, r, exitOK)
		for _, want := range []string{
			"Flask/itsdangerous session cookie: signed, NOT encrypted",
			"compressed: " + map[bool]string{true: "yes (zlib)", false: "no"}[compress],
			"timestamp:  2026-03-01T11:50:00Z (10 minutes ago)",
			"signature:  20 bytes (HMAC-SHA1",
			"content:    " + content + "\n",
			"readable:   yes",
		} {
			if !strings.Contains(r.stdout, want) {
				t.Errorf("compress=%t: stdout lacks %q:\n%s", compress, want, r.stdout)
			}
		}
	}
}

func TestInspectEscapesWhatCouldDriveATerminal(t *testing.T) {
	// Valid JSON, for encoding/json: a C1 control (CSI), a byte that is not
	// UTF-8, a line separator, an unassigned plane-15 rune, white space.
	content := "{ \"a\": \"x\u009b31mred\xffz\u2028\U000F0000\" }"
	if !json.Valid([]byte(content)) {
		t.Fatal("test content is not valid JSON")
	}
	r := runAt(t, nil, t0, "", "inspect", flaskCookieFor(t, content, t0, true))
	wantCode(t, r, exitOK)
	want := `content:    {"a":"x\u009b31mred\ufffdz\u2028\udb80\udc00"}` + "\n"
	if !strings.Contains(r.stdout, want) {
		t.Errorf("stdout lacks %q:\n%q", want, r.stdout)
	}
	if strings.ContainsRune(r.stdout, 0x9b) || !utf8.ValidString(r.stdout) {
		t.Errorf("stdout holds a raw control or invalid UTF-8: %q", r.stdout)
	}
}

func TestInspectRealFlaskCookies(t *testing.T) {
	// Made by Flask 3.1.3 itself: testdata/make-flask-fixtures.py.
	for file, want := range map[string]string{
		"flask-session.txt":            `content:    {"user_id":42,"username":"alice","role":"admin"}`,
		"flask-session-compressed.txt": `"cart":["sku-0000","sku-0001",`,
	} {
		b, err := os.ReadFile(filepath.Join("testdata", file))
		if err != nil {
			t.Fatal(err)
		}
		r := runAt(t, nil, time.Now(), string(b), "inspect")
		wantCode(t, r, exitOK)
		if !strings.Contains(r.stdout, want) || !strings.Contains(r.stdout, "HMAC-SHA1, the library's default") {
			t.Errorf("%s: stdout lacks %q:\n%s", file, want, r.stdout)
		}
	}
}

// gorillaTimestamp matches the timestamp line inspect prints for a gorilla
// cookie.
var gorillaTimestamp = regexp.MustCompile(`timestamp:  (\S+) \(`)

func TestInspectRecognisesGorillaCookies(t *testing.T) {
	hashKey := securecookie.GenerateRandomKey(32)
	values := map[any]any{"user": "alice-in-gorilla", "visits": 3}
	for _, tc := range []struct {
		desc      string
		sc        *securecookie.SecureCookie
		value     any
		want      string
		readable  bool
		plaintext string
	}{
		{"gob", securecookie.New(hashKey, nil), values, "value:      gob, NOT encrypted", true, `"alice-in-gorilla"`},
		{"JSON", securecookie.New(hashKey, nil).SetSerializer(securecookie.JSONEncoder{}),
			map[string]any{"user": "alice-in-gorilla"}, `content:    {"user":"alice-in-gorilla"}`, true, "alice-in-gorilla"},
		{"encrypted gob", securecookie.New(hashKey, securecookie.GenerateRandomKey(32)), values, "probably encrypted", false, "alice-in-gorilla"},
		{"encrypted JSON", securecookie.New(hashKey, securecookie.GenerateRandomKey(16)).SetSerializer(securecookie.JSONEncoder{}),
			map[string]any{"user": "alice-in-gorilla"}, "probably encrypted", false, "alice-in-gorilla"},
	} {
		t.Run(tc.desc, func(t *testing.T) {
			before := time.Now().Unix()
			cookie, err := tc.sc.Encode("session", tc.value)
			if err != nil {
				t.Fatal(err)
			}
			after := time.Now().Unix()
			r := runAt(t, nil, time.Unix(after, 0), "", "inspect", cookie)
			wantCode(t, r, exitOK)
			for _, want := range []string{"format:     gorilla/securecookie", "mac:        32 bytes (HMAC-SHA256, the library's default)", tc.want} {
				if !strings.Contains(r.stdout, want) {
					t.Errorf("stdout lacks %q:\n%s", want, r.stdout)
				}
			}
			m := gorillaTimestamp.FindStringSubmatch(r.stdout)
			if m == nil {
				t.Fatalf("no timestamp line:\n%s", r.stdout)
			}
			ts, err := time.Parse(time.RFC3339, m[1])
			if err != nil || ts.Unix() < before || ts.Unix() > after {
				t.Errorf("timestamp %s, want between %d and %d", m[1], before, after)
			}
			if got := strings.Contains(r.stdout, tc.plaintext); got != tc.readable {
				t.Errorf("stdout shows the plaintext: %t, want %t:\n%s", got, tc.readable, r.stdout)
			}
		})
	}
}

func TestLooksLikeGobIsRareOnRandomBytes(t *testing.T) {
	// Encrypted gorilla values are random bytes; fixed pseudorandom inputs
	// keep the test deterministic.
	seed := []byte("cookieseal looksLikeGob")
	hits := 0
	for i := range 5000 {
		mac := hmac.New(sha1.New, seed)
		fmt.Fprint(mac, i)
		var b []byte
		for len(b) < 16+i%64 {
			b = mac.Sum(b)
		}
		b = b[:16+i%64]
		if looksLikeGob(b) {
			hits++
		}
	}
	if hits != 0 {
		t.Errorf("%d of 5000 random values look like gob, want 0", hits)
	}

	gob, err := securecookie.GobEncoder{}.Serialize(map[any]any{"user": "alice"})
	if err != nil {
		t.Fatal(err)
	}
	if !looksLikeGob(gob) || looksLikeGob(gob[:len(gob)-1]) || looksLikeGob(append(gob, 0)) {
		t.Error("a gob stream, or a truncated or extended one, classified wrongly")
	}
}

func TestParseFlaskRejectsNearMisses(t *testing.T) {
	good := flaskCookieFor(t, `{"a":1}`, t0, false)
	parts := strings.Split(good, ".")
	for desc, v := range map[string]string{
		"one part":           parts[0],
		"four parts":         good + ".x",
		"short signature":    parts[0] + "." + parts[1] + ".AAAA",
		"payload not JSON":   base64.RawURLEncoding.EncodeToString([]byte("{a")) + "." + parts[1] + "." + parts[2],
		"timestamp too long": parts[0] + "." + base64.RawURLEncoding.EncodeToString(make([]byte, 9)) + "." + parts[2],
		"compressed garbage": "." + good,
		"bad base64":         "*" + good,
	} {
		if _, ok := parseFlask(v); ok {
			t.Errorf("%s: %q parsed as a Flask cookie", desc, v)
		}
	}
	if f, ok := parseFlask(parts[0] + "." + parts[2]); !ok || !f.timestamp.IsZero() {
		t.Errorf("untimed token: got ok=%t timestamp %v, want ok and no timestamp", ok, f.timestamp)
	}
}

func TestMacName(t *testing.T) {
	for _, tc := range []struct {
		n, def int
		want   string
	}{
		{20, 20, "HMAC-SHA1, the library's default"},
		{32, 20, "HMAC-SHA256"},
		{64, 32, "HMAC-SHA512"},
		{17, 17, "unknown MAC"},
	} {
		if got := macName(tc.n, tc.def); got != tc.want {
			t.Errorf("macName(%d, %d) = %q, want %q", tc.n, tc.def, got, tc.want)
		}
	}
}

func TestFailMapsEverySentinel(t *testing.T) {
	for _, tc := range []struct {
		err  error
		want int
	}{
		{cookieseal.ErrInvalid, exitInvalid},
		{cookieseal.ErrExpired, exitExpired},
		{cookieseal.ErrUnknownKey, exitUnknownKey},
		{cookieseal.ErrTooLarge, exitTooLarge},
		{fmt.Errorf("wrapped: %w", cookieseal.ErrExpired), exitExpired},
		{json.Unmarshal([]byte("{"), new(any)), exitError},
	} {
		var stderr bytes.Buffer
		if got := fail(&stderr, "x", tc.err); got != tc.want {
			t.Errorf("fail(%v) = %d, want %d", tc.err, got, tc.want)
		}
		if strings.Count(stderr.String(), "\n") != 1 || strings.HasPrefix(stderr.String(), "cookieseal x: cookieseal: ") {
			t.Errorf("fail(%v) wrote %q, want one line without a repeated prefix", tc.err, stderr.String())
		}
	}
}
