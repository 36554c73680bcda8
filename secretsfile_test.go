package cookieseal_test

import (
	"reflect"
	"testing"

	"github.com/cookieseal/cookieseal"
)

func TestParseSecretsFileComments(t *testing.T) {
	a, b := cookieseal.GenerateSecret(), cookieseal.GenerateSecret()
	cases := []struct {
		name, text string
		want       []string
	}{
		{"plain", a + "\n" + b + "\n", []string{a, b}},
		{"no final newline", a + "\n" + b, []string{a, b}},
		{"comment lines and blanks", "# sealing key first\n\n" + a + "\n  # old key\n" + b + "\n", []string{a, b}},
		{"trailing comments", a + "  # added 2026-05-01\n" + b + "\t# retire after June\n", []string{a, b}},
		{"CRLF and indentation", "  " + a + "\r\n\t" + b + " \r\n", []string{a, b}},
		{"byte order mark", "\uFEFF" + a + "\n", []string{a}},
		{"a # inside a secret is kept", "x#" + a + "\n", []string{"x#" + a}},
		{"only comments", "# nothing here\n\n", nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := cookieseal.ParseSecretsFile(tc.text); !reflect.DeepEqual(got, tc.want) {
				// Lengths only: secrets stay out of test logs too.
				t.Errorf("got %d secrets of lengths %v, want %d of lengths %v", len(got), lengths(got), len(tc.want), lengths(tc.want))
			}
		})
	}
}

func lengths(secrets []string) []int {
	n := make([]int, len(secrets))
	for i, s := range secrets {
		n[i] = len(s)
	}
	return n
}
