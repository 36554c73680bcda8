package main

import (
	"encoding/hex"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/cookieseal/cookieseal"
)

// The secrets suite (../../testdata/secrets/secrets.json) through the
// command: a string case as COOKIESEAL_SECRETS, a file case as
// -secrets-file, each read by `cookieseal keyids`, which must print the
// case's key IDs, or fail in one line for a case without secrets or with an
// invalid file.
func TestKeyIDsSecretsSuite(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("..", "..", "testdata", "secrets", "secrets.json"))
	if err != nil {
		t.Fatal(err)
	}
	var suite struct {
		Suite  string `json:"suite"`
		Format int    `json:"format"`
		Cases  []struct {
			ID       string  `json:"id"`
			Kind     string  `json:"kind"`
			Input    *string `json:"input"`
			InputHex *string `json:"input_hex"`
			Now      *int64  `json:"now"`
			Expect   struct {
				KeyIDs []string `json:"key_ids"`
				Error  string   `json:"error"`
			} `json:"expect"`
		} `json:"cases"`
	}
	if err := json.Unmarshal(b, &suite); err != nil {
		t.Fatal(err)
	}
	if suite.Suite != "cookieseal secrets" || suite.Format != 1 || len(suite.Cases) == 0 {
		t.Fatalf("suite %q format %d with %d cases", suite.Suite, suite.Format, len(suite.Cases))
	}
	for _, c := range suite.Cases {
		t.Run(c.ID, func(t *testing.T) {
			var input []byte
			switch {
			case c.Input != nil && c.InputHex == nil:
				input = []byte(*c.Input)
			case c.InputHex != nil && c.Input == nil:
				if input, err = hex.DecodeString(*c.InputHex); err != nil {
					t.Fatal(err)
				}
			default:
				t.Fatal("needs exactly one of input and input_hex")
			}
			var r result
			switch c.Kind {
			case "string":
				r = runAt(t, env{envSecrets: string(input)}, t0, "", "keyids")
			case "file":
				path := filepath.Join(t.TempDir(), "secrets")
				if err := os.WriteFile(path, input, 0o600); err != nil {
					t.Fatal(err)
				}
				// A COOKIESEAL_SECRETS that is set must not count: the file wins.
				clock := t0
				if c.Now != nil {
					clock = time.Unix(*c.Now, 0)
				}
				r = runAt(t, secretsEnv(cookieseal.GenerateSecret()), clock, "", "keyids", "-secrets-file", path)
			default:
				t.Fatalf("kind %q", c.Kind)
			}
			switch {
			case c.Expect.Error != "":
				wantCode(t, r, exitError)
				if !strings.Contains(r.stderr, "not valid UTF-8") && !strings.Contains(r.stderr, "activate") {
					t.Errorf("stderr %q does not say the file is not UTF-8, or what is wrong with an activate= time", r.stderr)
				}
			case len(c.Expect.KeyIDs) == 0:
				wantCode(t, r, exitError)
				if !strings.Contains(r.stderr, "no secret") {
					t.Errorf("stderr %q does not say there is no secret", r.stderr)
				}
			default:
				wantCode(t, r, exitOK)
				if want := strings.Join(c.Expect.KeyIDs, "\n") + "\n"; r.stdout != want {
					t.Errorf("got key IDs\n%s\nwant\n%s", r.stdout, want)
				}
			}
		})
	}
}

func TestKeyIDs(t *testing.T) {
	a, b := cookieseal.GenerateSecret(), cookieseal.GenerateSecret()
	ids := newCodec(t, t0, a, b).KeyIDs()
	want := ids[0].String() + "\n" + ids[1].String() + "\n"

	r := runAt(t, secretsEnv(a, b), t0, "", "keyids")
	wantCode(t, r, exitOK)
	if r.stdout != want {
		t.Errorf("from the environment: got %q, want %q", r.stdout, want)
	}

	// The file and the string give the same key IDs, blanks and comments aside.
	path := filepath.Join(t.TempDir(), "secrets")
	if err := os.WriteFile(path, []byte("# new key first\r\n"+a+" \t# added today\r\n\t"+b+" "), 0o600); err != nil {
		t.Fatal(err)
	}
	r = runAt(t, env{}, t0, "", "keyids", "-secrets-file", path)
	wantCode(t, r, exitOK)
	if r.stdout != want {
		t.Errorf("from the file: got %q, want %q", r.stdout, want)
	}
	r = runAt(t, env{envSecrets: " " + a + " \n" + b + "\t"}, t0, "", "keyids")
	wantCode(t, r, exitOK)
	if r.stdout != want {
		t.Errorf("from a string with blanks: got %q, want %q", r.stdout, want)
	}

	for _, tc := range []struct {
		name string
		e    env
		args []string
		code int
		msg  string
	}{
		{"no secrets", env{}, nil, exitError, "no secrets"},
		{"a short secret", env{envSecrets: a + ",short"}, nil, exitError, "secret 2 of 2 is 5 bytes"},
		{"two alike", env{envSecrets: a + " " + a}, nil, exitError, "identical"},
		{"an argument", secretsEnv(a), []string{"extra"}, exitUsage, "unexpected argument"},
		{"a missing file", secretsEnv(a), []string{"-secrets-file", filepath.Join(t.TempDir(), "none")}, exitError, "no such file"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := runAt(t, tc.e, t0, "", append([]string{"keyids"}, tc.args...)...)
			wantCode(t, r, tc.code)
			if !strings.Contains(r.stderr, tc.msg) || r.stdout != "" {
				t.Errorf("stdout %q, stderr %q; want nothing and %q", r.stdout, r.stderr, tc.msg)
			}
		})
	}
}

// Every command that takes secrets refuses a secrets file that is not UTF-8,
// rather than reading some other secret from it.
func TestSecretsFileNotUTF8EveryCommand(t *testing.T) {
	a := cookieseal.GenerateSecret()
	path := filepath.Join(t.TempDir(), "secrets")
	if err := os.WriteFile(path, []byte(a+"\xe9\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	cookie, err := newCodec(t, t0, a).Encode("s", 1)
	if err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{
		{"keyids"},
		{"seal", "-name", "s"},
		{"open", "-name", "s", cookie},
		{"inspect", "-name", "s", cookie},
	} {
		r := runAt(t, env{}, t0, "1", append(args, "-secrets-file", path)...)
		wantCode(t, r, exitError)
		if !strings.Contains(r.stderr, "not valid UTF-8 (line 1)") {
			t.Errorf("%v: stderr %q", args, r.stderr)
		}
	}
}

// TestKeysLifecycle runs "cookieseal keys" on a file with a pending and an
// active activate= time.
func TestKeysLifecycle(t *testing.T) {
	a, b, c := "cookieseal-secrets-suite-A-PUBLIC-never-use", "cookieseal-secrets-suite-B-PUBLIC-never-use", "cookieseal-secrets-suite-C-PUBLIC-never-use"
	path := filepath.Join(t.TempDir(), "secrets")
	file := a + " #activate=2026-06-01T00:00:00Z\n" + b + " #activate=2026-05-01T00:00:00Z\n" + c + "\n"
	if err := os.WriteFile(path, []byte(file), 0o600); err != nil {
		t.Fatal(err)
	}
	before := time.Date(2026, 5, 15, 0, 0, 0, 0, time.UTC)
	r := runAt(t, nil, before, "", "keys", "-secrets-file", path, "-max-age", "1h")
	wantCode(t, r, exitOK)
	want := "KEY ID    STATE                                  SAFE TO DELETE\n" +
		"9fee229f  seals                                  no (it seals)\n" +
		"fca41070  opens; seals from 2026-06-01T00:00:00Z  no (not active yet)\n" +
		"9d2c9c41  opens                                  yes, since 2026-05-01T01:01:00Z\n"
	if r.stdout != want {
		t.Errorf("got\n%s\nwant\n%s", r.stdout, want)
	}
	r = runAt(t, nil, time.Date(2026, 6, 1, 0, 30, 0, 0, time.UTC), "", "keys", "-secrets-file", path, "-max-age", "1h")
	wantCode(t, r, exitOK)
	if !strings.Contains(r.stdout, "fca41070  seals") || !strings.Contains(r.stdout, "9fee229f  opens                                  after 2026-06-01T01:01:00Z") {
		t.Errorf("after the activation:\n%s", r.stdout)
	}
	r = runAt(t, nil, before, "", "keys")
	wantCode(t, r, exitUsage)
}
