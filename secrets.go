package cookieseal

import (
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"
)

// The secrets grammar (SESSIONS.md section 7) is the same in every
// implementation and in the cookieseal command, so that the same secrets
// string or file gives the same key IDs everywhere. Only ASCII SP and HTAB
// count as blanks (and in a string, also ',', LF and CR): U+00A0, U+000B,
// U+000C, U+2028 and every other character are part of a secret.

// SecretsFromEnv splits the value of an environment variable such as
// COOKIESEAL_SECRETS into secrets: the non-empty runs of characters between
// separators, which are ',', SP, HTAB, LF and CR and nothing else. The first
// secret seals. It returns nil for a value without secrets.
//
// A secret of such a string never holds one of the separators, so
// "s3cret " and "s3cret" are the same secret, as in a secrets file.
func SecretsFromEnv(value string) []string {
	return strings.FieldsFunc(value, func(r rune) bool {
		return r == ',' || r == ' ' || r == '\t' || r == '\n' || r == '\r'
	})
}

// ParseSecretsFile parses the text of a secrets file: one secret per line,
// the first one seals. It fails if text is not valid UTF-8 (the error says
// on which line, never what is on it); a leading byte order mark (U+FEFF) is
// removed. Lines end at LF, and one CR before the LF or at the end of the
// text is removed, so CRLF files read alike. On each line a '#' at the start
// or after SP or HTAB starts a comment that runs to the end of the line
// ("s3cret  # added in May"); a '#' after any other character is part of the
// secret. Then SP and HTAB around the secret are removed, and an empty line
// is skipped. The last line need not end with LF. It does not check the
// secrets; New and SetSecrets do.
//
// A secret therefore never starts or ends with SP or HTAB and never holds
// " #"; it can hold SP inside ("correct horse battery staple" is one secret
// in a file, four in SecretsFromEnv), and every other character, such as
// U+00A0, is part of it.
func ParseSecretsFile(text string) ([]string, error) {
	if err := checkUTF8(text); err != nil {
		return nil, fmt.Errorf("cookieseal: secrets file %w", err)
	}
	text = strings.TrimPrefix(text, "\uFEFF")
	var secrets []string
	for len(text) > 0 {
		line, rest, _ := strings.Cut(text, "\n")
		text = rest
		line = strings.TrimSuffix(line, "\r")
		for i := 0; i < len(line); i++ {
			if line[i] == '#' && (i == 0 || line[i-1] == ' ' || line[i-1] == '\t') {
				line = line[:i] // "# note" or "secret  # note"
				break
			}
		}
		if line = strings.Trim(line, " \t"); line != "" {
			secrets = append(secrets, line)
		}
	}
	return secrets, nil
}

// checkUTF8 returns nil if text is valid UTF-8, else an error that says on
// which line the first invalid byte is (never what the line holds).
func checkUTF8(text string) error {
	if utf8.ValidString(text) {
		return nil
	}
	for i, r := range text {
		if r == utf8.RuneError {
			if _, n := utf8.DecodeRuneInString(text[i:]); n <= 1 {
				return fmt.Errorf("is not valid UTF-8 (line %d)", 1+strings.Count(text[:i], "\n"))
			}
		}
	}
	return errors.New("is not valid UTF-8") // not reached: ValidString said there is an invalid byte
}

// ReadSecretsFile reads and parses a secrets file (see ParseSecretsFile). A
// file larger than MaxSecretsFileSize is refused, as a Reloader refuses it,
// after reading at most one byte more: pointing it at /dev/zero or a log
// fails at once. A file that is not valid UTF-8 is refused, as
// ParseSecretsFile refuses it. Errors name the file but never quote its
// content.
func ReadSecretsFile(path string) ([]string, error) {
	b, err := readSecretsFile(path)
	if err != nil {
		return nil, fmt.Errorf("cookieseal: reading secrets file: %w", err)
	}
	if err := checkUTF8(string(b)); err != nil {
		return nil, fmt.Errorf("cookieseal: secrets file %s %w", path, err)
	}
	return ParseSecretsFile(string(b))
}
