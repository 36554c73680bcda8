package cookieseal

import (
	"reflect"
	"strings"
)

// codecError is the type of every error that Encode, Decode and DecodeInfo
// return. It wraps the error they made, so errors.Is matches it against
// ErrInvalid, ErrExpired, ErrUnknownKey and ErrTooLarge as before, and it
// has the methods of gorilla's securecookie.Error, so that code written
// against that interface, such as
//
//	if e, ok := err.(securecookie.Error); ok && e.IsDecode() { ... }
//
// works the same with a Codec in CookieStore.Codecs, without cookieseal
// importing gorilla. Exactly one of IsUsage, IsDecode and IsInternal is true.
type codecError struct {
	err  error
	kind errorKind
}

type errorKind uint8

const (
	kindUsage    errorKind = iota + 1 // the caller's mistake
	kindDecode                        // the cookie does not open
	kindInternal                      // the machine failed (random source)
)

func (e *codecError) Error() string { return e.err.Error() }
func (e *codecError) Unwrap() error { return e.err }

// IsUsage reports an error of the caller: a value Encode cannot serialize or
// that does not fit MaxLength, or a dst that is not a non-nil pointer.
func (e *codecError) IsUsage() bool { return e.kind == kindUsage }

// IsDecode reports a cookie that does not open: invalid, tampered, expired,
// sealed with an unknown key, too large, or not fitting dst.
func (e *codecError) IsDecode() bool { return e.kind == kindDecode }

// IsInternal reports a failure of the machine rather than of the input: the
// random source or the cipher failed while sealing.
func (e *codecError) IsInternal() bool { return e.kind == kindInternal }

// Cause returns the wrapped error, the one errors.Is looks into.
func (e *codecError) Cause() error { return e.err }

// errTamperedDecode is errTampered wrapped once, so that refusing a forged
// cookie still costs no allocation.
var errTamperedDecode error = &codecError{errTampered, kindDecode}

// decodeError wraps an error of decode for the API boundary.
func decodeError(err error, dst any) error {
	switch {
	case err == nil:
		return nil
	case err == errTampered:
		return errTamperedDecode
	}
	kind := kindDecode
	if rv := reflect.ValueOf(dst); rv.Kind() != reflect.Pointer || rv.IsNil() {
		kind = kindUsage
	}
	return &codecError{err, kind}
}

// encodeError wraps an error of encode for the API boundary: the random
// source and the cipher failing are internal, anything else is the value's
// fault.
func encodeError(err error) error {
	if err == nil {
		return nil
	}
	kind := kindUsage
	if msg := err.Error(); strings.HasPrefix(msg, "cookieseal: reading a random nonce") || strings.HasPrefix(msg, "cookieseal: sealing") {
		kind = kindInternal
	}
	return &codecError{err, kind}
}
