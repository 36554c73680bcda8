package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// TestConformanceOpen runs the suite's open cases (SPEC.md section 8) that
// the CLI can express through open: every case opened as plain JSON whose
// limits are the defaults (the CLI has -max-age, not -max-length,
// -max-payload or -max-lifetime), with the clock at now. The exit status
// must be the class's (ok 0, invalid 3, expired 4, unknown key 5, too
// large 6) and stdout, for ok, the payload as open prints it.
func TestConformanceOpen(t *testing.T) {
	paths, err := filepath.Glob(filepath.Join("..", "..", "testdata", "conformance", "*.json"))
	if err != nil || len(paths) == 0 {
		t.Fatalf("no conformance files: %v", err)
	}
	codes := map[string]int{"ok": exitOK, "invalid": exitInvalid, "expired": exitExpired, "unknown_key": exitUnknownKey, "too_large": exitTooLarge}
	ran := 0
	seen := map[int]bool{}
	for _, path := range paths {
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		var f struct {
			Cases []struct {
				ID          string   `json:"id"`
				Secrets     []string `json:"secrets"`
				Name        *string  `json:"name"`
				Now         int64    `json:"now"`
				MaxAge      *int64   `json:"max_age"`
				MaxLifetime *int64   `json:"max_lifetime"`
				MaxLength   *int     `json:"max_length"`
				MaxPayload  *int     `json:"max_payload"`
				OpenAs      string   `json:"open_as"`
				Cookie      *string  `json:"cookie"`
				Result      string   `json:"result"`
				Payload     *string  `json:"payload"`
			} `json:"cases"`
		}
		if err := json.Unmarshal(b, &f); err != nil {
			continue // chunks.json has other cases
		}
		for _, c := range f.Cases {
			if c.Cookie == nil || c.OpenAs != "json" || c.MaxLength != nil || c.MaxPayload != nil || c.MaxLifetime != nil && *c.MaxLifetime != 0 {
				continue
			}
			want, ok := codes[c.Result]
			if !ok {
				t.Fatalf("%s: result %q", c.ID, c.Result)
			}
			name := "session"
			if c.Name != nil {
				name = *c.Name
			}
			args := []string{"open", "-name", name}
			if c.MaxAge != nil {
				args = append(args, "-max-age", strconv.FormatInt(*c.MaxAge, 10))
			}
			args = append(args, "--", *c.Cookie)
			if isPairs(*c.Cookie) {
				continue // a value the CLI would read as NAME=VALUE (no case has one)
			}
			ran++
			r := runAt(t, secretsEnv(c.Secrets...), time.Unix(c.Now, 0), "", args...)
			seen[r.code] = true
			if r.code != want {
				t.Errorf("%s: exit %d, want %d (%s)", c.ID, r.code, want, strings.TrimSpace(r.stderr))
				continue
			}
			if want == exitOK && r.stdout != terminalSafe([]byte(*c.Payload))+"\n" {
				t.Errorf("%s: stdout %q", c.ID, r.stdout)
			}
		}
	}
	// Every status open returned is one its -h lists.
	help := runAt(t, env{}, t0, "", "open", "-h")
	for code := range seen {
		if !strings.Contains(help.stdout+help.stderr, "  "+strconv.Itoa(code)+"  ") {
			t.Errorf("open exited %d, which open -h does not list", code)
		}
	}
	if ran < 300 {
		t.Errorf("ran %d cases, want the suite's plain-JSON cases at default limits", ran)
	}
	t.Logf("%d conformance cases through cookieseal open", ran)
}
