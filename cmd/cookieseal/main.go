// Command cookieseal makes secrets and seals, opens and inspects cookies made
// by the cookieseal package, for operators and for debugging.
//
//	cookieseal keygen [-n N]
//	cookieseal seal -name NAME [-compress] [-max-age D] [-v] < value.json
//	cookieseal open [-name NAME] [-max-age D] [-v] [COOKIE | NAME=COOKIE]
//	cookieseal inspect [-name NAME] [COOKIE | NAME=COOKIE]
//	cookieseal keyids
//
// NAME is the full cookie name as the browser shows it, "__Host-" or
// "__Secure-" prefix included: that is the name a cookie is sealed for.
//
// Secrets come from the COOKIESEAL_SECRETS environment variable (separated by
// commas, spaces, tabs or line ends) or from -secrets-file PATH (one per
// line, '#' comments), never from a flag value, which would land in shell
// history; both are read by the package's SecretsFromEnv and
// ReadSecretsFile, the grammar of SESSIONS.md section 7 that the JavaScript
// and Python packages share. The first secret seals; every secret opens.
// keyids prints the key ID of each secret, to compare two configurations.
//
// inspect needs no secret. It shows what the format lets anyone see, and it
// recognises Flask/itsdangerous and gorilla/securecookie cookies, printing a
// Flask cookie's content, which anyone can read without a key.
//
// Run "cookieseal -h" for the exit statuses.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/cookieseal/cookieseal"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

// run is the command with the process's environment and clock.
func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	return cli{getenv: os.Getenv, now: time.Now}.run(args, stdin, stdout, stderr)
}

// Exit statuses; exitText documents them.
const (
	exitOK         = 0
	exitError      = 1 // no or bad secrets, unreadable file or input
	exitUsage      = 2
	exitInvalid    = 3 // cookieseal.ErrInvalid, or not strict JSON for seal
	exitExpired    = 4 // cookieseal.ErrExpired
	exitUnknownKey = 5 // cookieseal.ErrUnknownKey
	exitTooLarge   = 6 // cookieseal.ErrTooLarge
)

// envSecrets is the environment variable that holds the secrets.
const envSecrets = "COOKIESEAL_SECRETS"

// exitLines describes each exit status, for the help texts.
var exitLines = map[int]string{
	exitOK:    "success",
	exitError: "other error: no secrets or bad ones, unreadable file or input,\n     output that cannot be written",
	exitUsage: "usage error",
	exitInvalid: "invalid: not a cookie for this name (malformed, tampered, sealed for\n" +
		"     another name, issued in the future), or seal's input is not strict\n     JSON (SPEC.md 5.3)",
	exitExpired:    "expired: authentic, but older than -max-age",
	exitUnknownKey: "unknown key: sealed with a secret that is not configured",
	exitTooLarge:   "too large: over the browser's 4096 bytes (name included) or the\n     payload limit",
}

// exitText lists the given exit statuses, or all of them.
func exitText(codes ...int) string {
	if len(codes) == 0 {
		codes = []int{exitOK, exitError, exitUsage, exitInvalid, exitExpired, exitUnknownKey, exitTooLarge}
	}
	var b strings.Builder
	b.WriteString("Exit status:\n")
	for _, c := range codes {
		fmt.Fprintf(&b, "  %d  %s\n", c, exitLines[c])
	}
	return b.String()
}

var usageText = `Usage: cookieseal <command> [flags] [arguments]

cookieseal makes secrets, and seals, opens and inspects cookies made by the
cookieseal Go package.

Commands:
  keygen   print new random secrets, one per line
  seal     seal a JSON value read from stdin into a cookie value
  open     open a cookie value and print the JSON value it holds
  inspect  show what anyone can see in a cookie, without a secret; also
           recognises Flask/itsdangerous and gorilla/securecookie cookies
  keyids   print the key ID of each configured secret, the sealing one first
  keys     show each key of a secrets file: seals, opens, activates, retires

Secrets (seal, open, inspect, keyids) come from ` + envSecrets + `, separated
by commas, spaces, tabs or line ends, or from -secrets-file PATH, one per line
with '#' comments; never from a flag value. The first secret seals; every
secret opens.

A cookie is sealed for its full name as the browser shows it, prefix
included: a cookie the browser calls __Host-session opens with
-name __Host-session, not -name session. open and inspect also take the
cookie as NAME=VALUE, or a whole Cookie header, and read the name from it.

` + exitText() + `
Run 'cookieseal <command> -h' for the flags of a command.
`

// cli is the command with its environment and clock injected, so that tests
// control both.
type cli struct {
	getenv func(string) string
	now    func() time.Time
}

// command is one subcommand.
type command struct {
	synopsis string // the usage line after "cookieseal "
	about    string // what it does, for -h
	exits    []int  // the exit statuses it can return, for -h
	run      func(c cli, args []string, stdin io.Reader, stdout, stderr io.Writer) int
}

var commands map[string]command

func init() {
	commands = map[string]command{
		"keygen": {
			synopsis: "keygen [-n N]",
			about: `Print N new secrets of 256 random bits (cookieseal.GenerateSecret), one per
line. Put them in ` + envSecrets + ` or a secrets file, never in code:
  cookieseal keygen > secret     (then COOKIESEAL_SECRETS="$(cat secret)")`,
			exits: []int{exitOK, exitError, exitUsage},
			run:   runKeygen,
		},
		"seal": {
			synopsis: "seal -name NAME [-compress] [-max-age D] [-v] [-secrets-file PATH] < value.json",
			about: `Read one JSON value from stdin and print the cookie value that seals it for
the cookie called NAME, with the first secret. NAME is the full cookie name,
prefix included (__Host-session, not session); it may be empty (-name "").
White space outside strings is dropped; the JSON is otherwise sealed as given
(no HTML escaping). It is not compressed unless -compress is given. With -v,
stderr says which key sealed it, when it expires under -max-age, and its size
against the browser's limit.

seal makes one cookie of at most 4096 bytes with its name. It does not split
a larger value into the parts that the package's Cookies.Write sets
(NAME, NAME.1, ...); a value too large for one cookie is refused (exit 6).`,
			exits: []int{exitOK, exitError, exitUsage, exitInvalid, exitTooLarge},
			run:   runSeal,
		},
		"open": {
			synopsis: "open [-name NAME] [-max-age D] [-v] [-secrets-file PATH] [COOKIE | NAME=COOKIE]",
			about: `Open a cookie value made for the cookie called NAME and print the JSON value it
holds, with control characters escaped (\u001b ...) so that it cannot drive
the terminal. NAME is the full cookie name as the browser shows it, prefix
included (__Host-session, not session); it may be empty (-name ""). The
cookie comes from the argument, or else from stdin (one trailing newline is
dropped), either as the bare value, as NAME=VALUE, or as a Cookie header
("a=1; __Host-session=..."), from which -name picks the cookie; with a single
NAME=VALUE, -name may be left out. With -v, stderr says when it was issued,
its age, which key opened it, and whether a server would re-issue it.
A cookie split in parts (NAME, NAME.1, ...) cannot be opened here.`,
			run: runOpen,
		},
		"inspect": {
			synopsis: "inspect [-name NAME] [-secrets-file PATH] [COOKIE | NAME=COOKIE]",
			about: `Show what anyone can see in a cookie value without a secret: the format
version, the ID of the key that sealed it, whether it is compressed or holds
typed session values, its sizes, and whether NAME=COOKIE fits the browser's
4096 bytes. The issue time and the value are encrypted; 'open' shows them.
With secrets configured, also say which secret's key ID matches (exit 5 if
none does). A Flask/itsdangerous cookie is recognised and its content, which
anyone can read, is printed; a gorilla/securecookie cookie is recognised and
its timestamp printed. The cookie comes from the argument, or else from stdin,
as the bare value, as NAME=VALUE or as a Cookie header, as for open.`,
			exits: []int{exitOK, exitError, exitUsage, exitInvalid, exitUnknownKey, exitTooLarge},
			run:   runInspect,
		},
		"keys": {
			synopsis: "keys -secrets-file PATH [-max-age D]",
			about: `Show the lifecycle of each key in a secrets file, in ring order now: which
seals, which only opens, which waits for its activate= time (a line
"SECRET #activate=2026-06-01T00:00:00Z" opens at once and seals from then),
and when a key that no longer seals can be deleted: max age + 60 s after the
sealing key's activate= time, when it has one. Without one the file cannot
say when every server stopped sealing with the old key; each server's
KeyUsage (Go KeyUsage, JS keyUsage(), Python key_usage()) reports it.`,
			exits: []int{exitOK, exitError, exitUsage},
			run:   runKeys,
		},
		"keyids": {
			synopsis: "keyids [-secrets-file PATH]",
			about: `Print the key ID of each configured secret, one per line, the sealing one
first. A key ID is public (every cookie names the one that sealed it), so
two services can compare their configurations without showing a secret:
the same secrets, as the Go, JavaScript and Python packages read them, give
the same key IDs. Fails (exit 1) if there are no secrets or the ring is
refused (a secret under 32 bytes, two alike).`,
			exits: []int{exitOK, exitError, exitUsage},
			run:   runKeyIDs,
		},
	}
}

func (c cli) run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usageText)
		return exitUsage
	}
	switch name := args[0]; name {
	case "-h", "-help", "--help", "help":
		if name == "help" && len(args) > 1 {
			if cmd, ok := commands[args[1]]; ok {
				return cmd.run(c, []string{"-h"}, stdin, stdout, stderr)
			}
			fmt.Fprintf(stderr, "cookieseal: unknown command %+q (see cookieseal -h)\n", args[1])
			return exitUsage
		}
		if _, err := fmt.Fprint(stdout, usageText); err != nil {
			fmt.Fprintf(stderr, "cookieseal: writing the output: %v\n", err)
			return exitError
		}
		return exitOK
	default:
		cmd, ok := commands[name]
		if !ok {
			fmt.Fprintf(stderr, "cookieseal: unknown command %+q (see cookieseal -h)\n", name)
			return exitUsage
		}
		out := &errWriter{w: stdout}
		code := cmd.run(c, args[1:], stdin, out, stderr)
		if out.err != nil && code == exitOK {
			// A secret or cookie that never reached its file is a failure:
			// "cookieseal keygen > /dev/full" must not look like success.
			fmt.Fprintf(stderr, "cookieseal %s: writing the output: %v\n", name, out.err)
			return exitError
		}
		return code
	}
}

// errWriter remembers the first error of the writes made through it, and
// makes no further write after one has failed.
type errWriter struct {
	w   io.Writer
	err error
}

func (e *errWriter) Write(p []byte) (int, error) {
	if e.err != nil {
		return 0, e.err
	}
	n, err := e.w.Write(p)
	if err == nil && n < len(p) {
		err = io.ErrShortWrite
	}
	e.err = err
	return n, err
}

// newFlags returns the flag set of a subcommand. It prints nothing itself:
// parse reports errors in one line and help on stdout.
func newFlags(name string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	return fs
}

// parse parses args, allowing flags after positional arguments as well as
// before them ("--" ends the flags). It returns the positional arguments and,
// when parsing ends the command (-h or a bad flag), its exit status.
func parse(fs *flag.FlagSet, args []string, stdout, stderr io.Writer) ([]string, int, bool) {
	var pos []string
	for {
		err := fs.Parse(args)
		if errors.Is(err, flag.ErrHelp) {
			printHelp(fs, stdout)
			return nil, exitOK, true
		}
		if err != nil {
			fmt.Fprintf(stderr, "cookieseal %s: %v (see cookieseal %s -h)\n", fs.Name(), err, fs.Name())
			return nil, exitUsage, true
		}
		rest := fs.Args()
		if len(rest) == 0 {
			return pos, 0, false
		}
		if used := len(args) - len(rest); used > 0 && args[used-1] == "--" {
			return append(pos, rest...), 0, false
		}
		pos = append(pos, rest[0])
		args = rest[1:]
	}
}

// printHelp prints the -h text of a subcommand.
func printHelp(fs *flag.FlagSet, w io.Writer) {
	cmd := commands[fs.Name()]
	fmt.Fprintf(w, "Usage: cookieseal %s\n\n%s\n\nFlags:\n", cmd.synopsis, cmd.about)
	fs.SetOutput(w)
	fs.PrintDefaults()
	fs.SetOutput(io.Discard)
	fmt.Fprintf(w, "\n%s", exitText(cmd.exits...))
}

// usageErr reports a usage error in one line.
func usageErr(stderr io.Writer, cmd, format string, a ...any) int {
	fmt.Fprintf(stderr, "cookieseal %s: %s (see cookieseal %s -h)\n", cmd, fmt.Sprintf(format, a...), cmd)
	return exitUsage
}

// fail reports err in one line and returns the exit status its class calls
// for. The package's errors already start with "cookieseal: "; the prefix is
// not repeated.
func fail(stderr io.Writer, cmd string, err error) int {
	msg := strings.TrimPrefix(err.Error(), "cookieseal: ")
	msg = strings.NewReplacer("\r\n", "; ", "\n", "; ", "\r", "; ").Replace(msg)
	fmt.Fprintf(stderr, "cookieseal %s: %s\n", cmd, msg)
	return exitCode(err)
}

// exitCode maps a non-nil error to its exit status by the package's
// sentinels.
func exitCode(err error) int {
	switch {
	case errors.Is(err, cookieseal.ErrExpired):
		return exitExpired
	case errors.Is(err, cookieseal.ErrUnknownKey):
		return exitUnknownKey
	case errors.Is(err, cookieseal.ErrTooLarge):
		return exitTooLarge
	case errors.Is(err, cookieseal.ErrInvalid):
		return exitInvalid
	}
	return exitError
}

// secretsFlag adds -secrets-file to fs.
func secretsFlag(fs *flag.FlagSet) *string {
	return fs.String("secrets-file", "", "read the secrets from `PATH`, UTF-8, one per line, the sealing one first\n('#' at the start of a line or after a space or tab starts a comment);\nwithout it they come from "+envSecrets+",\nseparated by commas, spaces, tabs or line ends")
}

// errNoSecrets says where secrets come from; it never quotes one.
var errNoSecrets = errors.New("no secrets: set " + envSecrets + " (for example: export " + envSecrets + `="$(cookieseal keygen)") or use -secrets-file PATH`)

// secrets returns the configured secrets: from the file if path is set, else
// from the environment. The result is nil when neither holds any.
func (c cli) secrets(path string) ([]string, error) {
	if path != "" {
		s, err := cookieseal.ReadSecretsFileAt(path, c.now())
		if err != nil {
			return nil, err
		}
		if len(s) == 0 {
			return nil, fmt.Errorf("secrets file %s holds no secret", path)
		}
		return s, nil
	}
	return cookieseal.SecretsFromEnv(c.getenv(envSecrets)), nil
}

// codec builds a Codec from the configured secrets and this command's clock;
// cfg gives the other settings.
func (c cli) codec(path string, cfg cookieseal.Config) (*cookieseal.Codec, error) {
	s, err := c.secrets(path)
	if err != nil {
		return nil, err
	}
	if len(s) == 0 {
		return nil, errNoSecrets
	}
	cfg.Secrets, cfg.Now = s, c.now
	return cookieseal.New(cfg)
}

// nameFlag is -name: the full cookie name, which may be empty, so it records
// whether it was given at all.
type nameFlag struct {
	name string
	set  bool
}

func (n *nameFlag) String() string { return n.name }
func (n *nameFlag) Set(s string) error {
	n.name, n.set = s, true
	return nil
}

// nameUsage is the help of -name.
const nameUsage = "the cookie's full `NAME` as the browser shows it, prefix included (__Host-session,\nnot session): the name it is sealed for; may be empty (-name \"\")"

// maxAgeFlag is -max-age: a duration (90m, 24h) or whole seconds (86400,
// as the conformance suite gives max_age); 0 means the package's default.
type maxAgeFlag time.Duration

func (m *maxAgeFlag) String() string { return time.Duration(*m).String() }
func (m *maxAgeFlag) Set(s string) error {
	if n, err := strconv.ParseInt(s, 10, 64); err == nil {
		if n > math.MaxInt64/int64(time.Second) || n < math.MinInt64/int64(time.Second) {
			return errors.New("out of range")
		}
		*m = maxAgeFlag(time.Duration(n) * time.Second)
		return nil
	}
	d, err := time.ParseDuration(s)
	if err != nil {
		return errors.New("want a duration such as 90m or 24h, or whole seconds")
	}
	*m = maxAgeFlag(d)
	return nil
}

// maxAgeUsage is the help of -max-age, after what the command does with it.
const maxAgeUsage = ";\na duration (90m, 24h) or whole seconds (86400); 0 means the default, 24h"

// checkMaxAge returns a usage error for a negative -max-age, and the
// duration to configure otherwise (0 for the default).
func checkMaxAge(stderr io.Writer, cmd string, m maxAgeFlag) (time.Duration, int, bool) {
	if m < 0 {
		return 0, usageErr(stderr, cmd, "-max-age must not be negative, got %v", time.Duration(m)), true
	}
	return time.Duration(m), 0, false
}

// maxInput caps what is read from stdin, in bytes: far above any cookie or
// payload limit, so that the package reports the size, but bounded.
const maxInput = 4 * cookieseal.DefaultMaxPayload

// readInput reads stdin up to maxInput bytes.
func readInput(stdin io.Reader) ([]byte, error) {
	b, err := io.ReadAll(io.LimitReader(stdin, maxInput+1))
	if err != nil {
		return nil, fmt.Errorf("reading stdin: %w", err)
	}
	if len(b) > maxInput {
		return nil, fmt.Errorf("%w: more than %d bytes on stdin", cookieseal.ErrTooLarge, maxInput)
	}
	return b, nil
}

// usageError is an error in what the operator gave: exit 2.
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

// errNoCookie is a usage error: no argument and nothing on stdin.
var errNoCookie = usageError{"no cookie: pass it as an argument or on stdin"}

// cookieArg returns the cookie from the single positional argument, or else
// from stdin without one trailing newline, and the cookie's name. The input
// is the bare value (the name is then -name's), NAME=VALUE, or a Cookie
// header ("Cookie: a=1; b=2", the "Cookie:" optional) from which -name picks
// the cookie. A cookieseal value never holds '=' or ';' (base64url), so the
// forms cannot be confused. A name the input gives must agree with -name.
func cookieArg(pos []string, stdin io.Reader, name nameFlag, nameRequired bool) (cookieName string, named bool, value string, err error) {
	var s string
	if len(pos) == 1 {
		s = pos[0]
	} else {
		b, err := readInput(stdin)
		if err != nil {
			return "", false, "", err
		}
		s = string(b)
		if t, ok := strings.CutSuffix(s, "\n"); ok {
			s = strings.TrimSuffix(t, "\r")
		}
	}
	if s == "" {
		if len(pos) == 1 && name.set {
			// An empty value given as the argument is a cookie value like any
			// other: it opens as invalid (SPEC.md 4, step 2), as it does in
			// the package.
			return name.name, true, "", nil
		}
		return "", false, "", errNoCookie
	}
	if !isPairs(s) {
		if nameRequired && !name.set {
			return "", false, "", usageError{`-name is required with a bare cookie value: the cookie's full name (-name "" for an empty one), or pass NAME=VALUE`}
		}
		return name.name, name.set, s, nil
	}
	header := strings.TrimSpace(s)
	if len(header) > len("cookie:") && strings.EqualFold(header[:len("cookie:")], "cookie:") {
		header = header[len("cookie:"):]
	}
	var pairs []cookiePair
	for _, part := range strings.Split(header, ";") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		n, v, ok := strings.Cut(part, "=")
		if !ok {
			return "", false, "", usageError{fmt.Sprintf("%+q is not NAME=VALUE", part)}
		}
		pairs = append(pairs, cookiePair{strings.TrimSpace(n), strings.TrimSpace(v)})
	}
	if len(pairs) == 0 {
		return "", false, "", errNoCookie
	}
	if len(pairs) == 1 && (!name.set || name.name == pairs[0].name) {
		return pairs[0].name, true, pairs[0].value, nil
	}
	if !name.set {
		return "", false, "", usageError{fmt.Sprintf("%d cookies given (%s): say which with -name", len(pairs), pairNames(pairs))}
	}
	var found *cookiePair
	for i, p := range pairs {
		if p.name == name.name {
			if found != nil {
				return "", false, "", usageError{fmt.Sprintf("two cookies named %+q", name.name)}
			}
			found = &pairs[i]
		}
	}
	if found != nil {
		return found.name, true, found.value, nil
	}
	msg := fmt.Sprintf("no cookie named %+q among %s", name.name, pairNames(pairs))
	for _, p := range pairs {
		if alt := strings.TrimPrefix(strings.TrimPrefix(p.name, "__Host-"), "__Secure-"); alt == name.name && p.name != name.name {
			msg += fmt.Sprintf("; the sealed name is the full cookie name: try -name %s", quoteName(p.name))
			break
		}
	}
	return "", false, "", usageError{msg}
}

// isPairs reports whether s is NAME=VALUE or a Cookie header rather than a
// bare value: it holds a ';', or an '=' followed by something other than
// '='. A cookieseal value holds neither; a padded base64 value (gorilla's)
// ends in '=' only.
func isPairs(s string) bool {
	if strings.Contains(s, ";") {
		return true
	}
	i := strings.IndexByte(s, '=')
	return i >= 0 && strings.TrimLeft(s[i:], "=") != ""
}

// cookiePair is one NAME=VALUE of a Cookie header.
type cookiePair struct{ name, value string }

// pairNames lists the names of cookie pairs, quoted.
func pairNames(pairs []cookiePair) string {
	q := make([]string, len(pairs))
	for i, p := range pairs {
		q[i] = strconv.QuoteToASCII(p.name)
	}
	return strings.Join(q, ", ")
}

// formatAge prints a duration for a person: "42 seconds", "5 minutes 3
// seconds", "2 hours 10 minutes", "3 days 4 hours", "1058 days". Only the
// largest unit and the next are shown, and only the largest from 10 days on.
func formatAge(d time.Duration) string {
	if d < 0 {
		d = -d
	}
	sec := int64(d.Round(time.Second) / time.Second)
	unit := func(n int64, one string) string {
		if n == 1 {
			return "1 " + one
		}
		return strconv.FormatInt(n, 10) + " " + one + "s"
	}
	two := func(a int64, ua string, b int64, ub string) string {
		if b == 0 {
			return unit(a, ua)
		}
		return unit(a, ua) + " " + unit(b, ub)
	}
	switch {
	case sec < 60:
		return unit(sec, "second")
	case sec < 3600:
		return two(sec/60, "minute", sec%60, "second")
	case sec < 86400:
		return two(sec/3600, "hour", sec%3600/60, "minute")
	case sec < 10*86400:
		return two(sec/86400, "day", sec%86400/3600, "hour")
	}
	return unit(sec/86400, "day")
}

// formatAgo says how long ago t was at now: "5 minutes ago", or "in 30
// seconds" for a time ahead of the clock.
func formatAgo(t, now time.Time) string {
	if d := now.Sub(t); d < 0 && d.Round(time.Second) != 0 {
		return "in " + formatAge(d)
	}
	return formatAge(now.Sub(t)) + " ago"
}

// formatTime prints a time in UTC, RFC 3339.
func formatTime(t time.Time) string {
	return t.UTC().Format(time.RFC3339)
}

// secretPosition describes the position of a key ID in the ring, or "" if
// it is not there.
func secretPosition(ids []cookieseal.KeyID, id cookieseal.KeyID) string {
	for i, k := range ids {
		if k == id {
			role := "opens; no longer seals"
			if i == 0 {
				role = "the sealing secret"
			}
			return fmt.Sprintf("secret %d of %d, %s", i+1, len(ids), role)
		}
	}
	return ""
}
