package cookieseal_test

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/cookieseal/cookieseal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
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

func TestReadSecretsFileSizeCap(t *testing.T) {
	secret := cookieseal.GenerateSecret()
	dir := t.TempDir()
	exact := filepath.Join(dir, "exact")
	body := secret + "\n" + strings.Repeat("#", cookieseal.MaxSecretsFileSize-len(secret)-2) + "\n"
	require.NoError(t, os.WriteFile(exact, []byte(body), 0o600))
	got, err := cookieseal.ReadSecretsFile(exact)
	require.NoError(t, err, "a file of exactly cookieseal.MaxSecretsFileSize bytes")
	assert.Equal(t, []string{secret}, got)

	over := filepath.Join(dir, "over")
	require.NoError(t, os.WriteFile(over, []byte(body+"#"), 0o600))
	_, err = cookieseal.ReadSecretsFile(over)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "larger than 65536 bytes")
	assert.NotContains(t, err.Error(), secret)

	if _, err := os.Stat("/dev/zero"); err == nil {
		_, err = cookieseal.ReadSecretsFile("/dev/zero") // endless: must stop at the cap
		require.Error(t, err)
		assert.Contains(t, err.Error(), "larger than")
	}
}

// A path that opens but cannot be read (a directory: open succeeds, read
// fails) is an error that names the path and returns no secrets.
func TestReadSecretsFileOfADirectoryFails(t *testing.T) {
	dir := t.TempDir()
	got, err := cookieseal.ReadSecretsFile(dir)
	require.Error(t, err)
	assert.Nil(t, got)
	assert.Contains(t, err.Error(), "reading "+dir)

	codec, err := cookieseal.New(cookieseal.Config{Secrets: []string{cookieseal.GenerateSecret()}})
	require.NoError(t, err)
	before := codec.KeyIDs()
	_, err = cookieseal.NewReloader(codec, dir)
	require.Error(t, err, "a directory is no secrets file")
	assert.Equal(t, before, codec.KeyIDs(), "the keyring stays as it was")
}
