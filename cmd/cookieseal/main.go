// Command cookieseal makes secrets and seals, opens and inspects cookies made
// by the cookieseal package, for operators and for debugging.
//
//	cookieseal keygen [-n N]
//	cookieseal seal -name NAME [-max-age D] [-v] < value.json
//	cookieseal open -name NAME [-max-age D] [-v] [COOKIE]
//	cookieseal inspect [-name NAME] [COOKIE]
//
// Secrets come from the COOKIESEAL_SECRETS environment variable (separated by
// commas or white space) or from -secrets-file PATH (one per line, '#'
// comments), never from a flag value, which would land in shell history.
// The first secret seals; every secret opens.
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
	"os"
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

// Exit statuses; usageText documents them.
const (
	exitOK         = 0
	exitError      = 1 // no or bad secrets, unreadable file or input
	exitUsage      = 2
	exitInvalid    = 3 // cookieseal.ErrInvalid, or not JSON for seal
	exitExpired    = 4 // cookieseal.ErrExpired
	exitUnknownKey = 5 // cookieseal.ErrUnknownKey
	exitTooLarge   = 6 // cookieseal.ErrTooLarge
)

// envSecrets is the environment variable that holds the secrets.
const envSecrets = "COOKIESEAL_SECRETS"

const exitText = `Exit status:
  0  success
  1  other error: no secrets or bad ones, unreadable file or input
  2  usage error
  3  invalid: not a cookie for this name (malformed, tampered, sealed for
     another name, issued in the future), or seal's input is not JSON
  4  expired: authentic, but older than -max-age
  5  unknown key: sealed with a secret that is not configured
  6  too large: over the browser's 4096 bytes (name included) or the
     payload limit
`

const usageText = `Usage: cookieseal <command> [flags] [arguments]

cookieseal makes secrets, and seals, opens and inspects cookies made by the
cookieseal Go package.

Commands:
  keygen   print new random secrets, one per line
  seal     seal a JSON value read from stdin into a cookie value
  open     open a cookie value and print the JSON value it holds
  inspect  show what anyone can see in a cookie, without a secret; also
           recognises Flask/itsdangerous and gorilla/securecookie cookies

Secrets (seal, open, inspect) come from ` + envSecrets + `, separated by
commas or white space, or from -secrets-file PATH, one per line with '#'
comments; never from a flag value. The first secret seals; every secret opens.

` + exitText + `
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
	run      func(c cli, args []string, stdin io.Reader, stdout, stderr io.Writer) int
}

var commands map[string]command

func init() {
	commands = map[string]command{
		"keygen": {
			synopsis: "keygen [-n N]",
			about: `Print N new secrets of 256 random bits (cookieseal.GenerateSecret), one per
line. Put them in ` + envSecrets + ` or a secrets file, never in code.`,
			run: runKeygen,
		},
		"seal": {
			synopsis: "seal -name NAME [-max-age D] [-v] [-secrets-file PATH] < value.json",
			about: `Read one JSON value from stdin and print the cookie value that seals it for
the cookie called NAME, with the first secret. White space outside strings is
dropped; the JSON is otherwise sealed as given. With -v, stderr says which key
sealed it, when it expires under -max-age, and its size against the browser's
limit.`,
			run: runSeal,
		},
		"open": {
			synopsis: "open -name NAME [-max-age D] [-v] [-secrets-file PATH] [COOKIE]",
			about: `Open a cookie value made for the cookie called NAME and print the JSON value it
holds. The cookie comes from the argument, or else from stdin (one trailing
newline is dropped). With -v, stderr says when it was issued, its age, which
key opened it, and whether a server would re-issue it.`,
			run: runOpen,
		},
		"inspect": {
			synopsis: "inspect [-name NAME] [-secrets-file PATH] [COOKIE]",
			about: `Show what anyone can see in a cookie value without a secret: the format
version, the ID of the key that sealed it, whether it is compressed or holds
typed session values, its sizes, and whether NAME=COOKIE fits the browser's
4096 bytes. The issue time and the value are encrypted; 'open' shows them.
With secrets configured, also say which secret's key ID matches (exit 5 if
none does). A Flask/itsdangerous cookie is recognised and its content, which
anyone can read, is printed; a gorilla/securecookie cookie is recognised and
its timestamp printed. The cookie comes from the argument, or else from stdin.`,
			run: runInspect,
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
			fmt.Fprintf(stderr, "cookieseal: unknown command %q (see cookieseal -h)\n", args[1])
			return exitUsage
		}
		fmt.Fprint(stdout, usageText)
		return exitOK
	default:
		cmd, ok := commands[name]
		if !ok {
			fmt.Fprintf(stderr, "cookieseal: unknown command %q (see cookieseal -h)\n", name)
			return exitUsage
		}
		return cmd.run(c, args[1:], stdin, stdout, stderr)
	}
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
	fmt.Fprintf(w, "\n%s", exitText)
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
	return fs.String("secrets-file", "", "read the secrets from `PATH`, one per line, the sealing one first ('#' starts a comment);\nwithout it they come from "+envSecrets)
}

// errNoSecrets says where secrets come from; it never quotes one.
var errNoSecrets = errors.New("no secrets: set " + envSecrets + " (for example: export " + envSecrets + `="$(cookieseal keygen)") or use -secrets-file PATH`)

// secrets returns the configured secrets: from the file if path is set, else
// from the environment. The result is nil when neither holds any.
func (c cli) secrets(path string) ([]string, error) {
	if path != "" {
		s, err := cookieseal.ReadSecretsFile(path)
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

// codec builds a Codec from the configured secrets and this command's clock.
func (c cli) codec(path string, maxAge time.Duration) (*cookieseal.Codec, error) {
	s, err := c.secrets(path)
	if err != nil {
		return nil, err
	}
	if len(s) == 0 {
		return nil, errNoSecrets
	}
	return cookieseal.New(cookieseal.Config{Secrets: s, MaxAge: maxAge, Now: c.now})
}

// maxInput caps what is read from stdin, in bytes: far above any cookie or
// payload limit, so that the package reports the size, but bounded.
const maxInput = 4 * cookieseal.MaxPayloadSize

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

// errNoCookie is a usage error: no argument and nothing on stdin.
var errNoCookie = errors.New("no cookie: pass it as an argument or on stdin")

// cookieArg returns the cookie from the single positional argument, or else
// from stdin without one trailing newline.
func cookieArg(pos []string, stdin io.Reader) (string, error) {
	if len(pos) == 1 {
		return pos[0], nil
	}
	b, err := readInput(stdin)
	if err != nil {
		return "", err
	}
	s := string(b)
	if t, ok := strings.CutSuffix(s, "\n"); ok {
		s = strings.TrimSuffix(t, "\r")
	}
	if s == "" {
		return "", errNoCookie
	}
	return s, nil
}

// formatAge prints a duration rounded to the second.
func formatAge(d time.Duration) string {
	return d.Round(time.Second).String()
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
