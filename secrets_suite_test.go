package cookieseal_test

import (
	"encoding/hex"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/cookieseal/cookieseal"
)

// The secrets suite (testdata/secrets/secrets.json): the grammar of
// SESSIONS.md section 7, run unchanged by Go, the cookieseal command,
// JavaScript and Python.

// secretsSuite is testdata/secrets/secrets.json.
type secretsSuite struct {
	Suite  string       `json:"suite"`
	Format int          `json:"format"`
	Cases  []secretCase `json:"cases"`
}

// secretCase is one case: a secrets string or file and what it gives.
type secretCase struct {
	ID       string  `json:"id"`
	Spec     string  `json:"spec"`
	Kind     string  `json:"kind"` // "string" or "file"
	Input    *string `json:"input"`
	InputHex *string `json:"input_hex"`
	Now      *int64  `json:"now"`
	Expect   struct {
		Secrets []string `json:"secrets"`
		KeyIDs  []string `json:"key_ids"`
		Error   string   `json:"error"`
	} `json:"expect"`
}

// bytes returns the case's input as bytes: input in UTF-8, or input_hex.
func (c secretCase) bytes(t *testing.T) []byte {
	t.Helper()
	switch {
	case c.Input != nil && c.InputHex == nil:
		return []byte(*c.Input)
	case c.InputHex != nil && c.Input == nil:
		b, err := hex.DecodeString(*c.InputHex)
		if err != nil {
			t.Fatalf("%s: input_hex: %v", c.ID, err)
		}
		return b
	}
	t.Fatalf("%s: needs exactly one of input and input_hex", c.ID)
	return nil
}

func loadSecretsSuite(t *testing.T) []secretCase {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "secrets", "secrets.json"))
	if err != nil {
		t.Fatal(err)
	}
	var s secretsSuite
	if err := json.Unmarshal(b, &s); err != nil {
		t.Fatal(err)
	}
	if s.Suite != "cookieseal secrets" || s.Format != 1 {
		t.Fatalf("suite %q format %d, want \"cookieseal secrets\" format 1", s.Suite, s.Format)
	}
	if len(s.Cases) == 0 {
		t.Fatal("no cases")
	}
	return s.Cases
}

// keyIDStrings returns the key IDs of secrets as hex, deriving each alone
// (the suite's secrets are at least 32 bytes, so a one-secret codec takes
// each).
func keyIDStrings(t *testing.T, secrets []string) []string {
	t.Helper()
	ids := []string{}
	for _, s := range secrets {
		ids = append(ids, keyIDsOf(t, s)[0].String())
	}
	return ids
}

func TestSecretsSuite(t *testing.T) {
	for _, c := range loadSecretsSuite(t) {
		t.Run(c.ID, func(t *testing.T) {
			input := c.bytes(t)
			var got []string
			var err error
			switch c.Kind {
			case "string":
				got = cookieseal.SecretsFromEnv(string(input))
			case "file":
				now := time.Now()
				if c.Now != nil {
					now = time.Unix(*c.Now, 0)
				}
				got, err = cookieseal.ParseSecretsFileAt(string(input), now)
				// ReadSecretsFile must agree with ParseSecretsFile.
				path := filepath.Join(t.TempDir(), "secrets")
				if werr := os.WriteFile(path, input, 0o600); werr != nil {
					t.Fatal(werr)
				}
				read, rerr := cookieseal.ReadSecretsFileAt(path, now)
				if (rerr == nil) != (err == nil) || !slices.Equal(read, got) {
					t.Fatalf("ReadSecretsFile (%d secrets, %v) disagrees with ParseSecretsFile (%d, %v)", len(read), rerr, len(got), err)
				}
			default:
				t.Fatalf("kind %q", c.Kind)
			}
			if c.Expect.Error != "" {
				if err == nil {
					t.Fatalf("got %d secrets, want error %s", len(got), c.Expect.Error)
				}
				if got != nil {
					t.Errorf("got %d secrets with the error, want none", len(got))
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(got, c.Expect.Secrets) {
				t.Fatalf("got secrets %q, want %q", got, c.Expect.Secrets)
			}
			if ids := keyIDStrings(t, got); !slices.Equal(ids, c.Expect.KeyIDs) {
				t.Errorf("got key IDs %v, want %v", ids, c.Expect.KeyIDs)
			}
			if len(got) > 0 {
				codec, err := cookieseal.New(cookieseal.Config{Secrets: got})
				if err != nil {
					t.Fatal(err)
				}
				ring := []string{}
				for _, id := range codec.KeyIDs() {
					ring = append(ring, id.String())
				}
				if !slices.Equal(ring, c.Expect.KeyIDs) {
					t.Errorf("a codec of these secrets has key IDs %v, want %v", ring, c.Expect.KeyIDs)
				}
			}
		})
	}
}
