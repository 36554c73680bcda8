package cookieseal

import (
	"bytes"
	"encoding/json"
	"fmt"
	"log/slog"
	"strings"
	"testing"

	"github.com/gorilla/securecookie"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// leaks reports whether out holds a secret, whole or in part, raw or as
// hex.
func leaks(out string, secrets []string) bool {
	for _, s := range secrets {
		for _, form := range []string{s, s[:16], s[len(s)-16:], fmt.Sprintf("%x", s)[:32]} {
			if strings.Contains(out, form) {
				return true
			}
		}
	}
	return false
}

// Issue 10 item 9: every way a program prints or serializes a Config that
// can call its methods leaks no secret.
func TestConfigRedactedEverywhereItsMethodsRun(t *testing.T) {
	secrets := newSecrets(2)
	cfg := Config{Secrets: secrets, Legacy: []Decoder{securecookie.New([]byte(secrets[1]), nil)}, Compress: true}
	type Exported struct{ Session Config }
	values := map[string]any{
		"Config":                cfg,
		"*Config":               &cfg,
		"exported field":        Exported{cfg},
		"*exported field":       &Exported{cfg},
		"slice":                 []Config{cfg},
		"map":                   map[string]Config{"s": cfg},
		"any in exported field": struct{ V any }{cfg},
	}
	for what, v := range values {
		for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x", "%X", "%d"} {
			out := fmt.Sprintf(verb, v)
			assert.False(t, leaks(out, secrets), "%s %s: %s", what, verb, out)
			assert.Contains(t, out, "redacted", "%s %s: %s", what, verb, out)
		}
		for name, out := range map[string]string{"Sprint": fmt.Sprint(v), "Sprintln": fmt.Sprintln(v)} {
			assert.False(t, leaks(out, secrets), "%s %s: %s", what, name, out)
		}
		b, err := json.Marshal(v)
		require.NoError(t, err, what)
		assert.False(t, leaks(string(b), secrets), "%s json: %s", what, b)
		assert.Contains(t, string(b), "[redacted]", "%s json: %s", what, b)
	}
	assert.False(t, leaks(cfg.String(), secrets))

	var buf bytes.Buffer
	for _, h := range []slog.Handler{slog.NewTextHandler(&buf, nil), slog.NewJSONHandler(&buf, nil)} {
		slog.New(h).Info("start", "config", cfg, "ptr", &cfg, "wrapped", Exported{cfg})
	}
	assert.False(t, leaks(buf.String(), secrets), "slog: %s", buf.String())

	var m map[string]any
	b, err := json.Marshal(cfg)
	require.NoError(t, err)
	require.NoError(t, json.Unmarshal(b, &m))
	assert.Equal(t, []any{"[redacted]", "[redacted]"}, m["Secrets"])
	assert.Equal(t, true, m["Compress"])
	assert.Equal(t, float64(1), m["Legacy"])
}

// An unexported field is where fmt cannot call Format: a Config held there
// prints its secrets, as Config's documentation says, and json.Marshal
// skips the field. A *Codec held the same way shows no secret and no key.
func TestConfigInUnexportedField(t *testing.T) {
	secrets := newSecrets(2)
	cfg := Config{Secrets: secrets}
	c, err := New(cfg)
	require.NoError(t, err)

	type server struct {
		Name    string
		session Config
	}
	assert.True(t, leaks(fmt.Sprintf("%v", server{"app", cfg}), secrets),
		"fmt now redacts a Config in an unexported field: update Config's documentation")
	b, err := json.Marshal(server{"app", cfg})
	require.NoError(t, err)
	assert.False(t, leaks(string(b), secrets), "json: %s", b)

	type holder struct{ codec *Codec }
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%x"} {
		out := fmt.Sprintf(verb, holder{c})
		assert.False(t, leaks(out, secrets), "*Codec in an unexported field, %s: %s", verb, out)
	}
}
