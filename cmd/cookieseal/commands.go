package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"

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
		return usageErr(stderr, "keygen", "unexpected argument %q", pos[0])
	}
	if *n < 1 || *n > maxKeygen {
		return usageErr(stderr, "keygen", "-n must be between 1 and %d, got %d", maxKeygen, *n)
	}
	for range *n {
		fmt.Fprintln(stdout, cookieseal.GenerateSecret())
	}
	return exitOK
}

func runSeal(c cli, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := newFlags("seal")
	name := fs.String("name", "", "the cookie's `NAME`; the cookie opens only under this name (required)")
	maxAge := fs.Duration("max-age", cookieseal.DefaultMaxAge, "the lifetime `D` the cookie is meant for, shown with -v; whoever opens it enforces it")
	verbose := fs.Bool("v", false, "say on stderr which key sealed it, when it expires and its size")
	file := secretsFlag(fs)
	pos, code, done := parse(fs, args, stdout, stderr)
	if done {
		return code
	}
	if len(pos) > 0 {
		return usageErr(stderr, "seal", "unexpected argument %q: the value comes on stdin", pos[0])
	}
	if *name == "" {
		return usageErr(stderr, "seal", "-name is required")
	}
	if *maxAge <= 0 {
		return usageErr(stderr, "seal", "-max-age must be positive, got %v", *maxAge)
	}
	codec, err := c.codec(*file, *maxAge)
	if err != nil {
		return fail(stderr, "seal", err)
	}
	in, err := readInput(stdin)
	if err != nil {
		return fail(stderr, "seal", err)
	}
	in = bytes.TrimSpace(in)
	if !json.Valid(in) {
		fmt.Fprintln(stderr, "cookieseal seal: stdin does not hold one JSON value")
		return exitInvalid
	}
	value, err := codec.Encode(*name, json.RawMessage(in))
	if err != nil {
		return fail(stderr, "seal", err)
	}
	fmt.Fprintln(stdout, value)
	if *verbose {
		// Open what was just sealed, so that what -v says comes from the
		// cookie itself.
		var raw json.RawMessage
		info, err := codec.DecodeInfo(*name, value, &raw)
		if err != nil {
			return fail(stderr, "seal", err)
		}
		fmt.Fprintf(stderr, "key ID:   %s (%s)\n", info.KeyID, secretPosition(codec.KeyIDs(), info.KeyID))
		fmt.Fprintf(stderr, "issued:   %s\n", formatTime(info.IssuedAt))
		fmt.Fprintf(stderr, "expires:  %s (after %v)\n", formatTime(info.IssuedAt.Add(codec.MaxAge())), codec.MaxAge())
		fmt.Fprintf(stderr, "size:     %d bytes with the name, limit %d\n", len(*name)+1+len(value), codec.MaxLength())
	}
	return exitOK
}

func runOpen(c cli, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := newFlags("open")
	name := fs.String("name", "", "the cookie's `NAME`, the one it was sealed for (required)")
	maxAge := fs.Duration("max-age", cookieseal.DefaultMaxAge, "refuse a cookie issued more than `D` ago (exit 4)")
	verbose := fs.Bool("v", false, "say on stderr when it was issued, its age, which key opened it and whether to re-issue it")
	file := secretsFlag(fs)
	pos, code, done := parse(fs, args, stdout, stderr)
	if done {
		return code
	}
	if len(pos) > 1 {
		return usageErr(stderr, "open", "one cookie at most, got %d arguments", len(pos))
	}
	if *name == "" {
		return usageErr(stderr, "open", "-name is required")
	}
	if *maxAge <= 0 {
		return usageErr(stderr, "open", "-max-age must be positive, got %v", *maxAge)
	}
	codec, err := c.codec(*file, *maxAge)
	if err != nil {
		return fail(stderr, "open", err)
	}
	value, err := cookieArg(pos, stdin)
	if errors.Is(err, errNoCookie) {
		return usageErr(stderr, "open", "%v", err)
	}
	if err != nil {
		return fail(stderr, "open", err)
	}
	var raw json.RawMessage
	info, err := codec.DecodeInfo(*name, value, &raw)
	if err != nil {
		return fail(stderr, "open", err)
	}
	fmt.Fprintf(stdout, "%s\n", raw)
	if *verbose {
		ids := codec.KeyIDs()
		fmt.Fprintf(stderr, "issued:   %s (%s ago)\n", formatTime(info.IssuedAt), formatAge(c.now().Sub(info.IssuedAt)))
		fmt.Fprintf(stderr, "key ID:   %s (%s)\n", info.KeyID, secretPosition(ids, info.KeyID))
		reissue := "no"
		if info.Reissue {
			reissue = "yes"
			if info.KeyID != ids[0] {
				reissue += ", its key no longer seals"
			}
		}
		fmt.Fprintf(stderr, "reissue:  %s\n", reissue)
		if h, err := cookieseal.Inspect(value); err == nil && h.Typed {
			fmt.Fprintln(stderr, "typed:    yes, session values in the typed form (gorilla/sessions)")
		}
	}
	return exitOK
}

func runInspect(c cli, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := newFlags("inspect")
	name := fs.String("name", "", "the cookie's `NAME`, to check that NAME=COOKIE fits the browser's limit")
	file := secretsFlag(fs)
	pos, code, done := parse(fs, args, stdout, stderr)
	if done {
		return code
	}
	if len(pos) > 1 {
		return usageErr(stderr, "inspect", "one cookie at most, got %d arguments", len(pos))
	}
	value, err := cookieArg(pos, stdin)
	if errors.Is(err, errNoCookie) {
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
		return fail(stderr, "inspect", fmt.Errorf("not a cookieseal, Flask or gorilla/securecookie cookie: %w", err))
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
	if *name != "" {
		size := len(*name) + 1 + len(value)
		fmt.Fprintf(stdout, "fits:       %s, %s=... is %d of %d bytes\n", yesNo(size <= limit), *name, size, limit)
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
