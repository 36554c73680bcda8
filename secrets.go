package cookieseal

import (
	"errors"
	"fmt"
	"strings"
	"time"
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
// A secret followed by the comment "#activate=YYYY-MM-DDTHH:MM:SSZ" seals
// only from that time (see ParseSecretsFileAt, which ParseSecretsFile calls
// with the current time): the secrets come back in ring order now.
//
// A secret therefore never starts or ends with SP or HTAB and never holds
// " #"; it can hold SP inside ("correct horse battery staple" is one secret
// in a file, four in SecretsFromEnv), and every other character, such as
// U+00A0, is part of it.
func ParseSecretsFile(text string) ([]string, error) {
	return ParseSecretsFileAt(text, time.Now())
}

// SecretEntry is one secret of a secrets file and its activation time
// (zero: active at once).
type SecretEntry struct {
	Secret     string    // the secret, as ParseSecretsFile gives it
	ActivateAt time.Time // when it starts to seal; zero: at once
}

// ParseSecretsFileAt is ParseSecretsFile with the clock given: the secrets in
// the order of a ring at now (SESSIONS.md S7.5). A secret whose line ends
// with the comment "#activate=2026-06-01T00:00:00Z" (UTC, whole seconds)
// opens cookies at once but seals only from that time: the ring's first
// secret is the first of the file that is active at now, and the others
// follow in file order. A file with no secret active at now is refused, and
// so is a malformed activate= comment or one on a line without a secret.
func ParseSecretsFileAt(text string, now time.Time) ([]string, error) {
	entries, err := ParseSecretsFileEntries(text)
	if err != nil {
		return nil, err
	}
	return RingOrder(entries, now)
}

// RingOrder returns the secrets of entries in ring order at now: the first
// active one, then the others in their order (SESSIONS.md S7.5). It fails
// when none is active.
func RingOrder(entries []SecretEntry, now time.Time) ([]string, error) {
	if len(entries) == 0 {
		return nil, nil
	}
	first := -1
	for i, e := range entries {
		if !e.ActivateAt.After(now) {
			first = i
			break
		}
	}
	if first < 0 {
		return nil, errors.New("cookieseal: secrets file: no secret is active yet (every one has an activate= time after now)")
	}
	out := make([]string, 0, len(entries))
	out = append(out, entries[first].Secret)
	for i, e := range entries {
		if i != first {
			out = append(out, e.Secret)
		}
	}
	return out, nil
}

// activatePrefix starts the comment that gives a secret's activation time.
const activatePrefix = "activate="

// ParseSecretsFileEntries parses a secrets file into its secrets, in file
// order, with their activation times (see ParseSecretsFileAt).
func ParseSecretsFileEntries(text string) ([]SecretEntry, error) {
	if err := checkUTF8(text); err != nil {
		return nil, fmt.Errorf("cookieseal: secrets file %w", err)
	}
	text = strings.TrimPrefix(text, "\uFEFF")
	var entries []SecretEntry
	for n := 1; len(text) > 0; n++ {
		line, rest, _ := strings.Cut(text, "\n")
		text = rest
		line = strings.TrimSuffix(line, "\r")
		comment := ""
		for i := 0; i < len(line); i++ {
			if line[i] == '#' && (i == 0 || line[i-1] == ' ' || line[i-1] == '\t') {
				line, comment = line[:i], line[i+1:] // "# note" or "secret  # note"
				break
			}
		}
		line = strings.Trim(line, " \t")
		var at time.Time
		if c := strings.Trim(comment, " \t"); strings.HasPrefix(c, activatePrefix) {
			t, err := parseActivate(c[len(activatePrefix):])
			if err != nil {
				return nil, fmt.Errorf("cookieseal: secrets file line %d: %w", n, err)
			}
			if line == "" {
				return nil, fmt.Errorf("cookieseal: secrets file line %d: an activate= comment needs a secret on its line", n)
			}
			at = t
		}
		if line != "" {
			entries = append(entries, SecretEntry{Secret: line, ActivateAt: at})
		}
	}
	return entries, nil
}

// parseActivate parses the time of an activate= comment: exactly
// YYYY-MM-DDTHH:MM:SSZ (RFC 3339, UTC, whole seconds).
func parseActivate(s string) (time.Time, error) {
	t, err := time.Parse("2006-01-02T15:04:05Z", s)
	if err != nil || len(s) != len("2006-01-02T15:04:05Z") {
		return time.Time{}, errors.New("an activate= time must be YYYY-MM-DDTHH:MM:SSZ (UTC)")
	}
	return t, nil
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
	return ReadSecretsFileAt(path, time.Now())
}

// ReadSecretsFileAt is ReadSecretsFile with the clock for activate= times
// given (see ParseSecretsFileAt).
func ReadSecretsFileAt(path string, now time.Time) ([]string, error) {
	b, err := readSecretsFile(path)
	if err != nil {
		return nil, fmt.Errorf("cookieseal: reading secrets file: %w", err)
	}
	if err := checkUTF8(string(b)); err != nil {
		return nil, fmt.Errorf("cookieseal: secrets file %s %w", path, err)
	}
	return ParseSecretsFileAt(string(b), now)
}
