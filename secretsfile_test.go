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
		{"NBSP, VT and FF are part of a secret", "\u00a0" + a + "\v\n\f" + b + "\u00a0\n", []string{"\u00a0" + a + "\v", "\f" + b + "\u00a0"}},
		{"a # after NBSP is part of a secret", a + "\u00a0# not a comment\n", []string{a + "\u00a0# not a comment"}},
		{"one CR removed, not two", a + "\r\r\n" + b + "\r", []string{a + "\r", b}},
		{"spaces inside a line are kept", a + " " + b + "\n", []string{a + " " + b}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := cookieseal.ParseSecretsFile(tc.text)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tc.want) {
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

// A secrets file that is not UTF-8 is refused, by ParseSecretsFile, by
// ReadSecretsFile and by a Reloader, with an error that says on which line
// and quotes nothing; the keyring stays as it was.
func TestSecretsFileNotUTF8(t *testing.T) {
	a, b := cookieseal.GenerateSecret(), cookieseal.GenerateSecret()
	text := "# ring\n" + a + "\n" + b + "\xe9\n" // Latin-1 é at the end of line 3
	got, err := cookieseal.ParseSecretsFile(text)
	require.Error(t, err)
	assert.Nil(t, got)
	assert.Contains(t, err.Error(), "not valid UTF-8 (line 3)")
	checkNoSecret(t, err, a, b)

	path := filepath.Join(t.TempDir(), "secrets")
	require.NoError(t, os.WriteFile(path, []byte(text), 0o600))
	got, err = cookieseal.ReadSecretsFile(path)
	require.Error(t, err)
	assert.Nil(t, got)
	assert.Contains(t, err.Error(), path)
	assert.Contains(t, err.Error(), "not valid UTF-8 (line 3)")
	checkNoSecret(t, err, a, b)

	codec := newCodec(t)
	before := codec.KeyIDs()
	_, err = cookieseal.NewReloader(codec, path)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "not valid UTF-8")
	assert.Equal(t, before, codec.KeyIDs())

	writeAtomic(t, path, a+"\n")
	r, err := cookieseal.NewReloader(codec, path)
	require.NoError(t, err)
	writeAtomic(t, path, b+"\n"+a+"\xff\n")
	err = r.Reload()
	require.Error(t, err)
	assert.Contains(t, err.Error(), "not valid UTF-8 (line 2)")
	checkNoSecret(t, err, a, b)
	assert.Equal(t, keyIDsOf(t, a), codec.KeyIDs(), "the keyring stays as it was")
}
