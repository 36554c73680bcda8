package cookieseal

import (
	"fmt"
	"strings"
)

// SecretsFromEnv splits the value of an environment variable such as
// COOKIESEAL_SECRETS into secrets, separated by commas or white space; the
// first one seals. It returns nil for an empty value.
func SecretsFromEnv(value string) []string {
	return strings.FieldsFunc(value, func(r rune) bool {
		return r == ',' || r == ' ' || r == '\t' || r == '\n' || r == '\r'
	})
}

// ParseSecretsFile parses the text of a secrets file: one secret per line,
// the first one seals; blank lines and lines starting with '#' are skipped,
// a '#' after white space starts a comment that runs to the end of the line,
// and white space around a secret is trimmed, as is a leading UTF-8 byte
// order mark. It does not check the secrets; New and SetSecrets do.
func ParseSecretsFile(text string) []string {
	var secrets []string
	text = strings.TrimPrefix(text, "\uFEFF")
	for line := range strings.Lines(text) {
		line = strings.TrimSpace(line)
		for i := 1; i < len(line); i++ {
			if line[i] == '#' && (line[i-1] == ' ' || line[i-1] == '\t') {
				line = strings.TrimSpace(line[:i]) // "secret  # comment"
				break
			}
		}
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		secrets = append(secrets, line)
	}
	return secrets
}

// ReadSecretsFile reads a secrets file (see ParseSecretsFile). A file
// larger than MaxSecretsFileSize is refused, as a Reloader refuses it, after
// reading at most one byte more: pointing it at /dev/zero or a log fails at
// once. Errors name the file but never quote its content.
func ReadSecretsFile(path string) ([]string, error) {
	b, err := readSecretsFile(path)
	if err != nil {
		return nil, fmt.Errorf("cookieseal: reading secrets file: %w", err)
	}
	return ParseSecretsFile(string(b)), nil
}
