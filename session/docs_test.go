package session

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestDocSnippets: every Go snippet of docs/session.md is code that a test
// compiles and runs: it appears, line for line, in example_test.go or in
// examples/session.
func TestDocSnippets(t *testing.T) {
	doc, err := os.ReadFile(filepath.Join("..", "docs", "session.md"))
	require.NoError(t, err)
	var sources strings.Builder
	for _, f := range []string{"example_test.go", filepath.Join("..", "examples", "session", "app", "app.go")} {
		b, err := os.ReadFile(f)
		require.NoError(t, err)
		sources.WriteString(normalize(string(b)))
	}
	blocks := regexp.MustCompile("(?s)```go\n(.*?)```").FindAllStringSubmatch(string(doc), -1)
	require.NotEmpty(t, blocks)
	all := "\n" + sources.String()
	for _, b := range blocks {
		require.Contains(t, all, "\n"+normalize(b[1]), "a snippet of docs/session.md that no test compiles")
	}
}

// normalize drops each line's indentation, and empty lines.
func normalize(s string) string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n") + "\n"
}
