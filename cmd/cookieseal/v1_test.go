package main

import (
	"strconv"
	"strings"
	"testing"

	"github.com/cookieseal/cookieseal"
)

// TestSealRefusesEveryNonStrictInputWithItsHelpStatus: whatever makes
// seal's input not strict JSON (a syntax error, or JSON that SPEC.md 5.3
// refuses) exits 3, as seal -h says; a value too large exits 6.
func TestSealRefusesEveryNonStrictInputWithItsHelpStatus(t *testing.T) {
	secret := cookieseal.GenerateSecret()
	help := runAt(t, secretsEnv(secret), t0, "", "seal", "-h")
	for _, code := range []int{exitInvalid, exitTooLarge} {
		if !strings.Contains(help.stdout+help.stderr, "  "+strconv.Itoa(code)+"  ") {
			t.Fatalf("seal -h does not list exit %d:\n%s%s", code, help.stdout, help.stderr)
		}
	}
	for _, tc := range []struct {
		name, in string
		want     int
	}{
		{"syntax error", `{"a":}`, exitInvalid},
		{"empty", "", exitInvalid},
		{"duplicate names", `{"a":1,"a":2}`, exitInvalid},
		{"1e400", `{"a":1e400}`, exitInvalid},
		{"lone surrogate", `["\ud800"]`, exitInvalid},
		{"depth 513", strings.Repeat("[", 513) + strings.Repeat("]", 513), exitInvalid},
		{"invalid UTF-8", "[\"\xff\"]", exitInvalid},
		{"too large", `"` + strings.Repeat("a", 5000) + `"`, exitTooLarge},
		{"depth 512", strings.Repeat("[", 512) + strings.Repeat("]", 512), exitOK},
	} {
		r := runAt(t, secretsEnv(secret), t0, tc.in, "seal", "-name", "s")
		if r.code != tc.want {
			t.Errorf("%s: exit %d, want %d (%s)", tc.name, r.code, tc.want, r.stderr)
		}
	}
}

// TestNamesFromInputAreEscaped: a cookie name taken from NAME=VALUE or a
// Cookie header is echoed with every byte that is not printable ASCII
// escaped, on every path that names it.
func TestNamesFromInputAreEscaped(t *testing.T) {
	secret := cookieseal.GenerateSecret()
	evil := "s\x1b[31m\u202e\x07\xff"
	real, err := newCodec(t, t0, secret).Encode("__Host-"+evil, "v")
	if err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{
		{"open", evil + "=" + real},                         // sealed for another name: a hint names the prefixed one
		{"open", evil + "=2.AAAA"},                          // the first of parts
		{"open", "-name", "x", evil + "=a; " + evil + "=b"}, // no cookie named x
		{"open", "-name", "x", evil + "=a"},
		{"open", evil + "=a; " + evil + "=b"},
		{"inspect", evil + "=" + real},
		{"inspect", evil + "=AAAA"},
	} {
		for _, stdin := range []string{"", "Cookie: " + args[len(args)-1]} {
			a := args
			if stdin != "" {
				a = args[:len(args)-1]
			}
			r := runAt(t, secretsEnv(secret), t0, stdin, a...)
			out := r.stdout + r.stderr
			for i := 0; i < len(out); i++ {
				if b := out[i]; b != '\n' && (b < 0x20 || b == 0x7f || b >= 0x80) {
					t.Errorf("%v (stdin %t): exit %d, output holds byte %#x: %q", a, stdin != "", r.code, b, out)
					break
				}
			}
		}
	}
}
