package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/cookieseal/cookieseal"
)

// maxKeygen bounds keygen -n.
const maxKeygen = 1000

func runKeygen(c cli, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := newFlags("keygen")
	n := fs.Int("n", 1, "print `N` secrets (1 to "+strconv.Itoa(maxKeygen)+")")
	pos, code, done := parse(fs, args, stdout, stderr)
	if done {
		return code
	}
	if len(pos) > 0 {
		return usageErr(stderr, "keygen", "unexpected argument %+q", pos[0])
	}
	if *n < 1 || *n > maxKeygen {
		return usageErr(stderr, "keygen", "-n must be between 1 and %d, got %d", maxKeygen, *n)
	}
	for range *n {
		if _, err := fmt.Fprintln(stdout, cookieseal.GenerateSecret()); err != nil {
			return fail(stderr, "keygen", fmt.Errorf("writing the output: %w", err))
		}
	}
	return exitOK
}

func runKeyIDs(c cli, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := newFlags("keyids")
	file := secretsFlag(fs)
	pos, code, done := parse(fs, args, stdout, stderr)
	if done {
		return code
	}
	if len(pos) > 0 {
		return usageErr(stderr, "keyids", "unexpected argument %+q", pos[0])
	}
	codec, err := c.codec(*file, cookieseal.Config{})
	if err != nil {
		return fail(stderr, "keyids", err)
	}
	for _, id := range codec.KeyIDs() {
		if _, err := fmt.Fprintln(stdout, id); err != nil {
			return fail(stderr, "keyids", fmt.Errorf("writing the output: %w", err))
		}
	}
	return exitOK
}

// compressUsage is the help of seal -compress.
const compressUsage = `compress the JSON with DEFLATE when it is 1024 bytes or more and that makes
the cookie shorter. Only for values that do not hold a secret (a CSRF token)
together with data an attacker can choose: the compressed length then leaks
the secret to anyone who sees cookie lengths. Off by default, as in the package`

func runSeal(c cli, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := newFlags("seal")
	var name nameFlag
	fs.Var(&name, "name", nameUsage+"; required")
	var maxAge maxAgeFlag
	fs.Var(&maxAge, "max-age", "the lifetime `D` the cookie is meant for, shown with -v; whoever opens it enforces it"+maxAgeUsage)
	compress := fs.Bool("compress", false, compressUsage)
	verbose := fs.Bool("v", false, "say on stderr which key sealed it, when it expires and its size")
	file := secretsFlag(fs)
	pos, code, done := parse(fs, args, stdout, stderr)
	if done {
		return code
	}
	if len(pos) > 0 {
		return usageErr(stderr, "seal", "unexpected argument %+q: the value comes on stdin", pos[0])
	}
	if !name.set {
		return usageErr(stderr, "seal", `-name is required: the cookie's full name, prefix included (-name "" for an empty one)`)
	}
	d, code, done := checkMaxAge(stderr, "seal", maxAge)
	if done {
		return code
	}
	codec, err := c.codec(*file, cookieseal.Config{MaxAge: d, Compress: *compress})
	if err != nil {
		return fail(stderr, "seal", err)
	}
	in, err := readInput(stdin)
	if err != nil {
		return fail(stderr, "seal", err)
	}
	if err := checkJSON(in); err != nil {
		fmt.Fprintf(stderr, "cookieseal seal: %v\n", err)
		return exitInvalid
	}
	value, err := codec.Encode(name.name, json.RawMessage(bytes.TrimSpace(in)))
	if errors.Is(err, cookieseal.ErrTooLarge) {
		err = fmt.Errorf("%w; seal makes one cookie: it does not split a value into the parts Cookies.Write sets", err)
	}
	var usage interface{ IsUsage() bool }
	if err != nil && !errors.Is(err, cookieseal.ErrTooLarge) && errors.As(err, &usage) && usage.IsUsage() {
		// JSON, but not strict JSON (SPEC.md 5.3: duplicate names, 1e400, a
		// lone surrogate, depth 513, invalid UTF-8): invalid, as a syntax
		// error is (SPEC.md 3.2).
		fmt.Fprintln(stderr, "cookieseal seal: stdin is JSON but not strict JSON (SPEC.md section 5.3: valid UTF-8, no lone surrogate, no duplicate member names, finite numbers, at most 512 levels)")
		return exitInvalid
	}
	if err != nil {
		return fail(stderr, "seal", err)
	}
	if _, err := fmt.Fprintln(stdout, value); err != nil {
		return fail(stderr, "seal", fmt.Errorf("writing the output: %w", err))
	}
	if *verbose {
		// Open what was just sealed, so that what -v says comes from the
		// cookie itself.
		var raw json.RawMessage
		info, err := codec.DecodeInfo(name.name, value, &raw)
		if err != nil {
			return fail(stderr, "seal", err)
		}
		h, err := cookieseal.Inspect(value)
		if err != nil {
			return fail(stderr, "seal", err)
		}
		fmt.Fprintf(stderr, "key ID:     %s (%s)\n", info.KeyID, secretPosition(codec.KeyIDs(), info.KeyID))
		fmt.Fprintf(stderr, "issued:     %s\n", formatTime(info.IssuedAt))
		fmt.Fprintf(stderr, "expires:    %s (after %s)\n", formatTime(info.IssuedAt.Add(codec.MaxAge())), formatAge(codec.MaxAge()))
		fmt.Fprintf(stderr, "compressed: %s\n", yesNo(h.Compressed))
		fmt.Fprintf(stderr, "size:       %d bytes with the name, limit %d\n", len(name.name)+1+len(value), codec.MaxLength())
	}
	return exitOK
}

// checkJSON says whether in holds exactly one JSON value, and where it goes
// wrong if not.
func checkJSON(in []byte) error {
	if len(bytes.TrimSpace(in)) == 0 {
		return errors.New("stdin does not hold one JSON value: it is empty")
	}
	if json.Valid(in) {
		return nil
	}
	var v any
	err := json.Unmarshal(in, &v)
	var syn *json.SyntaxError
	if !errors.As(err, &syn) {
		return fmt.Errorf("stdin does not hold one JSON value: %v", err)
	}
	if syn.Offset >= int64(len(in)) && strings.Contains(err.Error(), "unexpected end") {
		return fmt.Errorf("stdin does not hold one JSON value: %v, at the end of the input", err)
	}
	line, col := position(in, int(syn.Offset)-1)
	return fmt.Errorf("stdin does not hold one JSON value: %v, at line %d, column %d", err, line, col)
}

// position gives the 1-based line and column (in bytes) of in[i].
func position(in []byte, i int) (line, col int) {
	i = max(i, 0)
	before := in[:i]
	line = 1 + bytes.Count(before, []byte("\n"))
	return line, i - bytes.LastIndexByte(before, '\n')
}

func runOpen(c cli, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := newFlags("open")
	var name nameFlag
	fs.Var(&name, "name", nameUsage+";\nrequired unless the cookie comes as NAME=VALUE")
	var maxAge maxAgeFlag
	fs.Var(&maxAge, "max-age", "refuse a cookie issued more than `D` ago (exit 4)"+maxAgeUsage)
	verbose := fs.Bool("v", false, "say on stderr when it was issued, its age, which key opened it and whether to re-issue it")
	file := secretsFlag(fs)
	pos, code, done := parse(fs, args, stdout, stderr)
	if done {
		return code
	}
	if len(pos) > 1 {
		return usageErr(stderr, "open", "one cookie at most, got %d arguments", len(pos))
	}
	d, code, done := checkMaxAge(stderr, "open", maxAge)
	if done {
		return code
	}
	cookieName, _, value, err := cookieArg(pos, stdin, name, true)
	var usage usageError
	if errors.As(err, &usage) {
		return usageErr(stderr, "open", "%v", err)
	}
	if err != nil {
		return fail(stderr, "open", err)
	}
	codec, err := c.codec(*file, cookieseal.Config{MaxAge: d})
	if err != nil {
		return fail(stderr, "open", err)
	}
	var raw json.RawMessage
	info, err := codec.DecodeInfo(cookieName, value, &raw)
	h, herr := cookieseal.Inspect(value)
	if err == nil && herr == nil && h.Typed {
		// Typed session values must be well-formed session values (a map
		// tag), whatever the JSON: open them as the package would.
		var v map[any]any
		err = codec.Decode(cookieName, value, &v)
	}
	if err != nil {
		return fail(stderr, "open", openHint(codec, cookieName, value, err))
	}
	if _, err := fmt.Fprintf(stdout, "%s\n", terminalSafe(raw)); err != nil {
		return fail(stderr, "open", fmt.Errorf("writing the output: %w", err))
	}
	if *verbose {
		ids := codec.KeyIDs()
		fmt.Fprintf(stderr, "issued:   %s (%s)\n", formatTime(info.IssuedAt), formatAgo(info.IssuedAt, c.now()))
		fmt.Fprintf(stderr, "key ID:   %s (%s)\n", info.KeyID, secretPosition(ids, info.KeyID))
		reissue := "no"
		if info.Reissue {
			reissue = "yes"
			if info.KeyID != ids[0] {
				reissue += ", its key no longer seals"
			}
		}
		fmt.Fprintf(stderr, "reissue:  %s\n", reissue)
		if h.Typed {
			fmt.Fprintln(stderr, "typed:    yes, session values in the typed form (gorilla/sessions)")
		}
	}
	return exitOK
}

// openHint adds to a failure of open what the operator can do about it: a
// Flask or gorilla cookie is for inspect; a cookie in parts cannot be opened
// here; a cookie that opens under the name with or without its __Host- or
// __Secure- prefix says which name to use.
func openHint(codec *cookieseal.Codec, name, value string, err error) error {
	if !errors.Is(err, cookieseal.ErrInvalid) {
		return err
	}
	if _, ierr := cookieseal.Inspect(value); ierr != nil {
		if kind := foreignKind(value); kind != "" {
			return fmt.Errorf("%w; this is a %s cookie, not a cookieseal one: 'cookieseal inspect' shows what it holds", err, kind)
		}
		if n, ok := firstPartCount(value); ok {
			return fmt.Errorf("%w; this is the first of %d parts of a cookie that Cookies.Write split (%s, %s, ...): open cannot join parts", err, n, quoteName(name), quoteName(name+".1"))
		}
		return err
	}
	if !strings.Contains(err.Error(), "another cookie name") {
		return err // authentic, refused for another reason
	}
	for _, alt := range altNames(name) {
		var raw json.RawMessage
		_, aerr := codec.DecodeInfo(alt, value, &raw)
		if aerr == nil || !strings.Contains(aerr.Error(), "another cookie name") {
			return fmt.Errorf("%w; it was sealed for -name %s: the sealed name is the full cookie name, prefix included", err, quoteName(alt))
		}
	}
	if !strings.HasPrefix(name, "__Host-") && !strings.HasPrefix(name, "__Secure-") {
		return fmt.Errorf("%w; if the browser shows it as %s, use -name %s: the sealed name is the full cookie name", err, quoteName("__Host-"+name), quoteName("__Host-"+name))
	}
	return err
}

// altNames are the names a cookie called name may have been sealed for by
// mistake: with the other prefix, or without.
func altNames(name string) []string {
	for _, p := range []string{"__Host-", "__Secure-"} {
		if base, ok := strings.CutPrefix(name, p); ok {
			other := map[string]string{"__Host-": "__Secure-", "__Secure-": "__Host-"}[p]
			return []string{base, other + base}
		}
	}
	return []string{"__Host-" + name, "__Secure-" + name}
}

// quoteName prints a cookie name for a command line and a terminal: quoted
// if empty or not plain, and then with every byte that is not printable
// ASCII escaped (strconv.Quote), so that a name taken from pasted input
// cannot carry terminal escape sequences.
func quoteName(name string) string {
	if name == "" || strings.ContainsAny(name, " \t\"'\\$`;&|<>()*?!#~") || strings.IndexFunc(name, func(r rune) bool { return r < 0x21 || r > 0x7e }) >= 0 {
		return strconv.QuoteToASCII(name)
	}
	return name
}

// termName prints a cookie name for a terminal: as it is when every byte is
// printable ASCII (the empty name included), else quoted with every other
// byte escaped.
func termName(name string) string {
	if strings.IndexFunc(name, func(r rune) bool { return r < 0x21 || r > 0x7e }) >= 0 {
		return strconv.QuoteToASCII(name)
	}
	return name
}

// firstPartCount reports whether v looks like the first cookie of a value in
// parts, "N.part0" with N >= 2 in canonical decimal, and returns N.
func firstPartCount(v string) (int, bool) {
	n, rest, ok := strings.Cut(v, ".")
	if !ok || n == "" || n[0] == '0' || len(n) > 4 {
		return 0, false
	}
	count, err := strconv.Atoi(n)
	if err != nil || count < 2 {
		return 0, false
	}
	if rest == "" || strings.Trim(rest, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_") != "" {
		return 0, false
	}
	return count, true
}

// foreignKind names the library of a Flask or gorilla cookie, or "".
func foreignKind(v string) string {
	if _, ok := parseFlask(v); ok {
		return "Flask/itsdangerous"
	}
	if _, ok := parseGorilla(v); ok {
		return "gorilla/securecookie"
	}
	return ""
}

func runInspect(c cli, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := newFlags("inspect")
	var name nameFlag
	fs.Var(&name, "name", "the cookie's full `NAME`, to check that NAME=COOKIE fits the browser's limit")
	file := secretsFlag(fs)
	pos, code, done := parse(fs, args, stdout, stderr)
	if done {
		return code
	}
	if len(pos) > 1 {
		return usageErr(stderr, "inspect", "one cookie at most, got %d arguments", len(pos))
	}
	cookieName, named, value, err := cookieArg(pos, stdin, name, false)
	var usage usageError
	if errors.As(err, &usage) {
		return usageErr(stderr, "inspect", "%v", err)
	}
	if err != nil {
		return fail(stderr, "inspect", err)
	}

	h, err := cookieseal.Inspect(value)
	if err != nil {
		if describeForeign(stdout, value, c.now()) {
			return exitOK
		}
		if n, ok := firstPartCount(value); ok {
			err = fmt.Errorf("%w; this is the first of %d parts of a cookie that Cookies.Write split: inspect reads one cookie", err, n)
		}
		return fail(stderr, "inspect", fmt.Errorf("%w (nor a Flask or gorilla/securecookie cookie)", err))
	}
	fmt.Fprintf(stdout, "format:     cookieseal v%d\n", h.Version)
	fmt.Fprintf(stdout, "key ID:     %s\n", h.KeyID)
	fmt.Fprintf(stdout, "compressed: %s\n", yesNo(h.Compressed))
	if h.Typed {
		fmt.Fprintln(stdout, "typed:      yes, session values (gorilla/sessions)")
	} else {
		fmt.Fprintln(stdout, "typed:      no, plain JSON")
	}
	fmt.Fprintf(stdout, "sealed:     %d bytes (encrypted value, issue time and tag)\n", h.Sealed)
	fmt.Fprintf(stdout, "length:     %d bytes\n", len(value))
	limit := cookieseal.DefaultMaxLength
	if named {
		size := len(cookieName) + 1 + len(value)
		fmt.Fprintf(stdout, "fits:       %s, %s=... is %d of %d bytes\n", yesNo(size <= limit), termName(cookieName), size, limit)
	} else if room := limit - 1 - len(value); room >= 1 {
		fmt.Fprintf(stdout, "fits:       yes, in %d bytes with a name of up to %d bytes\n", limit, room)
	} else {
		fmt.Fprintf(stdout, "fits:       no, over %d bytes with any name\n", limit)
	}
	fmt.Fprintln(stdout, "hidden:     the issue time and the value are encrypted; 'cookieseal open' shows them")

	secrets, err := c.secrets(*file)
	if err != nil {
		return fail(stderr, "inspect", err)
	}
	if len(secrets) == 0 {
		return exitOK
	}
	codec, err := cookieseal.New(cookieseal.Config{Secrets: secrets, Now: c.now})
	if err != nil {
		return fail(stderr, "inspect", err)
	}
	if where := secretPosition(codec.KeyIDs(), h.KeyID); where != "" {
		fmt.Fprintf(stdout, "secret:     key ID matches %s\n", where)
		return exitOK
	}
	fmt.Fprintf(stdout, "secret:     none of the %d configured secrets has key ID %s\n", len(secrets), h.KeyID)
	return fail(stderr, "inspect", fmt.Errorf("%w: key ID %s", cookieseal.ErrUnknownKey, h.KeyID))
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

// runKeys is "cookieseal keys": the key lifecycle the secrets file
// describes (SESSIONS.md S7.5), one key per line in ring order now.
func runKeys(c cli, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := newFlags("keys")
	var maxAge maxAgeFlag
	fs.Var(&maxAge, "max-age", "the servers' max age, for when a retired key can go"+maxAgeUsage)
	file := fs.String("secrets-file", "", "the secrets `PATH` (required: activate= times live only in files)")
	pos, code, done := parse(fs, args, stdout, stderr)
	if done {
		return code
	}
	if len(pos) > 0 {
		return usageErr(stderr, "keys", "unexpected argument %q", pos[0])
	}
	if *file == "" {
		return usageErr(stderr, "keys", "-secrets-file PATH is required")
	}
	age, code, bad := checkMaxAge(stderr, "keys", maxAge)
	if bad {
		return code
	}
	if age == 0 {
		age = cookieseal.DefaultMaxAge
	}
	b, err := os.ReadFile(*file)
	if err != nil {
		return fail(stderr, "keys", fmt.Errorf("reading secrets file: %w", err))
	}
	entries, err := cookieseal.ParseSecretsFileEntries(string(b))
	if err != nil {
		return fail(stderr, "keys", err)
	}
	now := c.now()
	order, err := cookieseal.RingOrder(entries, now)
	if err != nil {
		return fail(stderr, "keys", err)
	}
	if len(order) == 0 {
		return fail(stderr, "keys", fmt.Errorf("secrets file %s holds no secret", *file))
	}
	codec, err := cookieseal.New(cookieseal.Config{Secrets: order})
	if err != nil {
		return fail(stderr, "keys", err)
	}
	at := map[string]time.Time{}
	for _, e := range entries {
		at[e.Secret] = e.ActivateAt
	}
	// A key that no longer seals stopped when the sealing key's activate=
	// time came (or earlier); without one, the file does not say when.
	sealerAt := at[order[0]]
	lines := []string{"KEY ID    STATE                                  SAFE TO DELETE"}
	for i, id := range codec.KeyIDs() {
		t := at[order[i]]
		var state, retire string
		switch {
		case i == 0:
			state, retire = "seals", "no (it seals)"
		case t.After(now):
			state, retire = "opens; seals from "+t.UTC().Format(time.RFC3339), "no (not active yet)"
		default:
			state = "opens"
			if sealerAt.IsZero() {
				retire = fmt.Sprintf("%v after the last server stopped sealing with it (KeyUsage.RetireAfter)", age+cookieseal.MaxClockSkew)
			} else if when := sealerAt.Add(age + cookieseal.MaxClockSkew); when.After(now) {
				retire = "after " + when.UTC().Format(time.RFC3339)
			} else {
				retire = "yes, since " + when.UTC().Format(time.RFC3339)
			}
		}
		lines = append(lines, fmt.Sprintf("%s  %-37s  %s", id, state, retire))
	}
	for _, l := range lines {
		if _, err := fmt.Fprintln(stdout, l); err != nil {
			return fail(stderr, "keys", fmt.Errorf("writing the output: %w", err))
		}
	}
	return exitOK
}
