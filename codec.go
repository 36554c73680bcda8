// Package cookieseal turns session values into cookies nobody can read or
// forge.
//
// A [Codec] serializes a value to JSON, compresses it when that pays, seals it
// with XChaCha20-Poly1305 under a key derived with HKDF-SHA256 from the
// application's secret, and returns a cookie-safe string. The cookie name is
// authenticated with the value, and so is the time the cookie was issued,
// which is hidden inside the ciphertext.
//
// [Codec.Encode] and [Codec.Decode] have the signatures of gorilla's
// securecookie.Codec, so a *Codec drops into gorilla/sessions'
// CookieStore.Codecs, and into echo and gin through their gorilla stores.
//
// # Key management
//
// Config.Secrets is a keyring: the first secret seals; every secret opens.
// Every cookie names, in the clear, the ID of the key that sealed it, so
// Decode tries exactly one key. To rotate, put a new secret (from
// [GenerateSecret]) second on every server, then first, then remove the old
// one once MaxAge has passed; [Codec.SetSecrets] does the same at run time and
// [Codec.KeyUsage] shows when an old key has gone quiet.
//
// # Errors
//
// Every Decode failure matches exactly one of [ErrInvalid], [ErrExpired],
// [ErrUnknownKey] and [ErrTooLarge] with errors.Is. No error, log line or
// formatting of a Codec contains a secret.
//
// # Backwards compatibility
//
// The wire format is versioned (SPEC.md). A cookie sealed by any release of
// this package opens with every later one, given the same secret; a golden
// cookie in testdata/ checks that.
//
// [Links]: https://github.com/cookieseal/cookieseal/blob/main/SPEC.md
package cookieseal

import (
	"crypto/rand"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"reflect"
	"slices"
	"sync/atomic"
	"time"
)

// The four classes of Decode failure. Errors returned by Decode wrap exactly
// one of them, with the detail after a colon.
var (
	// ErrInvalid: the value is not a cookie this codec sealed under this
	// name: malformed, tampered, truncated, sealed for another cookie name,
	// issued in the future, or its JSON does not fit dst.
	ErrInvalid = errors.New("cookieseal: invalid cookie")
	// ErrExpired: the cookie is authentic but older than MaxAge.
	ErrExpired = errors.New("cookieseal: cookie expired")
	// ErrUnknownKey: the cookie names a key that is not in the keyring, for
	// example one whose secret was removed. No decryption was attempted.
	ErrUnknownKey = errors.New("cookieseal: cookie sealed with an unknown key")
	// ErrTooLarge: the cookie, or the value it holds, is over a size limit.
	// The error says the size and the limit.
	ErrTooLarge = errors.New("cookieseal: cookie too large")
)

const (
	// DefaultMaxAge is the lifetime of a cookie when Config.MaxAge is 0.
	DefaultMaxAge = 24 * time.Hour
	// DefaultMaxLength is the cookie size limit when Config.MaxLength is 0,
	// in bytes of name + "=" + value: the size every browser keeps.
	DefaultMaxLength = 4096 // bytes
	// MaxClockSkew is how far in the future an issued-at may lie before
	// Decode refuses the cookie, to allow for clocks that differ across a
	// fleet.
	MaxClockSkew = time.Minute
	// MaxPayloadSize caps the JSON a cookie can hold, in bytes, after
	// decompression. Decode refuses more, so a compressed cookie cannot expand
	// without bound, and Encode refuses what Decode would.
	MaxPayloadSize = 256 << 10 // bytes
)

// Wire format v1 (SPEC.md).
const (
	version1    = 0x01
	flagDeflate = 1 << 0 // the payload is raw DEFLATE
	flagTyped   = 1 << 1 // the payload is in the typed session-values form
	flagsKnown  = flagDeflate | flagTyped

	headerSize   = 1 + 4 + 1 // version, key ID, flags
	issuedAtSize = 8         // bytes, big-endian Unix seconds
	overhead     = headerSize + nonceSize + issuedAtSize + tagSize
)

// Config configures a Codec. Only Secrets is required.
type Config struct {
	// Secrets is the keyring, at least one secret of at least MinSecretSize
	// bytes each, all different. The first secret seals; every secret opens.
	// Generate secrets with GenerateSecret; never use a password or a value
	// from documentation.
	Secrets []string

	// MaxAge is how long a cookie stays valid after Encode. Zero means
	// DefaultMaxAge (24 hours); negative is an error. It is checked against
	// the sealed issued-at, so shortening it takes effect at once.
	MaxAge time.Duration

	// RefreshAge makes DecodeInfo report Reissue for cookies at least this
	// old, for sliding sessions. Zero means never on age alone; it must not be
	// negative.
	RefreshAge time.Duration

	// MaxLength limits len(name) + 1 + len(value) of a cookie, as browsers
	// count it. Zero means DefaultMaxLength (4096); negative is an error.
	MaxLength int

	// DisableCompression stops Encode from compressing. The zero value lets
	// Encode compress a payload of 1024 bytes or more when that makes the
	// cookie shorter. Compressing a secret together with attacker-chosen data
	// leaks, through the cookie's length, whether the two share substrings
	// (CRIME, BREACH): turn it off when one session holds both and attackers
	// can see cookie lengths. Decode accepts compressed cookies either way.
	DisableCompression bool

	// Now returns the current time. Nil means time.Now; tests move the clock
	// with it.
	Now func() time.Time

	// Legacy lists decoders of an earlier cookie format, such as gorilla's
	// securecookie.Codec values, tried in order for a cookie that is not a
	// cookieseal cookie at all (bad base64url, wrong version or header). A
	// cookieseal cookie that fails to open never reaches them. A success is
	// reported by DecodeInfo with Legacy and Reissue set, so the next
	// response carries a cookieseal cookie. Nil means none.
	Legacy []Decoder
}

// Decoder is the decoding half of gorilla's securecookie.Codec, which every
// securecookie.Codec satisfies.
type Decoder interface {
	Decode(name, value string, dst any) error
}

// Format prints the Config with every secret redacted, whatever the verb.
func (c Config) Format(f fmt.State, verb rune) {
	fmt.Fprintf(f, "cookieseal.Config{Secrets: [%d redacted], MaxAge: %v, RefreshAge: %v, MaxLength: %d, DisableCompression: %t, Legacy: [%d decoders]}",
		len(c.Secrets), c.MaxAge, c.RefreshAge, c.MaxLength, c.DisableCompression, len(c.Legacy))
}

// Codec seals values into cookies and opens them again. It is safe for
// concurrent use; SetSecrets swaps the keyring atomically.
type Codec struct {
	maxAge     time.Duration
	refreshAge time.Duration
	maxLength  int
	compress   bool
	now        func() time.Time
	rand       io.Reader // nonce source; crypto/rand unless a test sets it
	legacy     []Decoder

	ring atomic.Pointer[keyring]
}

// New validates cfg and returns a Codec. Every configuration error is
// reported here, none is deferred to the first Encode.
func New(cfg Config) (*Codec, error) {
	if cfg.MaxAge < 0 {
		return nil, fmt.Errorf("cookieseal: negative MaxAge %v", cfg.MaxAge)
	}
	if cfg.RefreshAge < 0 {
		return nil, fmt.Errorf("cookieseal: negative RefreshAge %v", cfg.RefreshAge)
	}
	if cfg.MaxLength < 0 {
		return nil, fmt.Errorf("cookieseal: negative MaxLength %d", cfg.MaxLength)
	}
	c := &Codec{
		maxAge:     cfg.MaxAge,
		refreshAge: cfg.RefreshAge,
		maxLength:  cfg.MaxLength,
		compress:   !cfg.DisableCompression,
		now:        cfg.Now,
		rand:       rand.Reader,
		legacy:     append([]Decoder(nil), cfg.Legacy...),
	}
	for i, d := range c.legacy {
		if d == nil {
			return nil, fmt.Errorf("cookieseal: Legacy[%d] is nil", i)
		}
	}
	if c.maxAge == 0 {
		c.maxAge = DefaultMaxAge
	}
	if c.maxLength == 0 {
		c.maxLength = DefaultMaxLength
	}
	if c.now == nil {
		c.now = time.Now
	}
	if err := c.SetSecrets(cfg.Secrets); err != nil {
		return nil, err
	}
	return c, nil
}

// SetSecrets replaces the keyring; the first secret seals, every secret
// opens. It is safe to call while other goroutines Encode and Decode. A
// refused list leaves the keyring as it was.
func (c *Codec) SetSecrets(secrets []string) error {
	for {
		old := c.ring.Load()
		r, err := newKeyring(secrets, old)
		if err != nil {
			return err
		}
		if c.ring.CompareAndSwap(old, r) {
			return nil
		}
	}
}

// MaxAge returns the lifetime of the cookies this codec seals.
func (c *Codec) MaxAge() time.Duration { return c.maxAge }

// MaxLength returns the size limit of one cookie, name included, in bytes.
func (c *Codec) MaxLength() int { return c.maxLength }

// Format prints the Codec's key IDs and limits, never a secret or a key.
func (c *Codec) Format(f fmt.State, verb rune) {
	fmt.Fprintf(f, "cookieseal.Codec{keys: %v, MaxAge: %v, MaxLength: %d}", c.KeyIDs(), c.maxAge, c.maxLength)
}

// GenerateSecret returns a new secret of 256 random bits, base64url encoded
// (43 characters), for Config.Secrets.
func GenerateSecret() string {
	b := make([]byte, 32)
	rand.Read(b) // never fails since Go 1.24
	return base64.RawURLEncoding.EncodeToString(b)
}

// Encode seals value, serialized as JSON, into a cookie value for the cookie
// called name. The value decodes only under the same name.
//
// A map[interface{}]interface{} (gorilla/sessions' Session.Values) is written
// in a typed form that keeps the Go types of its values; see Decode.
func (c *Codec) Encode(name string, value any) (string, error) {
	return c.encode(name, value, c.maxLength)
}

func (c *Codec) encode(name string, value any, limit int) (string, error) {
	s := getScratch()
	defer s.put()
	// The JSON goes straight after room for the header, nonce and issued-at,
	// so that it is sealed in place.
	const prefix = headerSize + nonceSize + issuedAtSize
	buf, flags, err := s.marshalAppend(withLen(s.plain, prefix), value)
	if err != nil {
		clear(s.plain[:cap(s.plain)]) // a failed append may have left some plaintext
		return "", err
	}
	s.plain = buf
	payload := buf[prefix:]
	if len(payload) > MaxPayloadSize {
		return "", fmt.Errorf("%w: value is %d bytes of JSON, limit %d", ErrTooLarge, len(payload), MaxPayloadSize)
	}
	if c.compress {
		z, ok := compressIfShorter(withLen(s.zip, prefix), payload)
		s.zip = z // keep the grown buffer for the pool
		if ok {
			buf, payload, flags = z, z[prefix:], flags|flagDeflate
		}
	}
	n := overhead + len(payload)
	if size := len(name) + 1 + base64.RawURLEncoding.EncodedLen(n); size > limit {
		return "", fmt.Errorf("%w: %d bytes with the name, limit %d", ErrTooLarge, size, limit)
	}

	buf = slices.Grow(buf, tagSize) // so that Seal appends the tag in place
	k := c.ring.Load().keys[0]
	buf[0] = version1
	binary.BigEndian.PutUint32(buf[1:5], uint32(k.id))
	buf[5] = flags
	nonce := buf[headerSize : headerSize+nonceSize]
	if _, err := io.ReadFull(c.rand, nonce); err != nil {
		return "", fmt.Errorf("cookieseal: reading a random nonce: %w", err)
	}
	body := buf[headerSize+nonceSize:]
	binary.BigEndian.PutUint64(body, uint64(c.now().Unix()))
	s.ad = appendAdditionalData(s.ad[:0], buf[:headerSize], name)
	sealed, err := aeadSeal(k.aead, buf[:headerSize+nonceSize], nonce, body, s.ad)
	if err != nil {
		return "", fmt.Errorf("cookieseal: sealing: %w", err)
	}
	s.out = base64.RawURLEncoding.AppendEncode(s.out[:0], sealed)
	return string(s.out), nil
}

// appendAdditionalData appends what the AEAD authenticates besides the
// plaintext: the header, then the cookie name prefixed by its length, so that
// no two (name, value) pairs share associated data.
func appendAdditionalData(ad, header []byte, name string) []byte {
	ad = append(ad, header...)
	ad = binary.BigEndian.AppendUint32(ad, uint32(len(name)))
	return append(ad, name...)
}

// Info is what DecodeInfo learns from a cookie besides its value.
type Info struct {
	IssuedAt time.Time // when Encode sealed it, to the second
	KeyID    KeyID     // the key that opened it
	// Reissue is set when the cookie should be encoded again and sent: its
	// key no longer seals new cookies, it is older than RefreshAge, or a
	// Legacy decoder opened it.
	Reissue bool
	// Legacy is set when a Config.Legacy decoder, not cookieseal, opened the
	// cookie; IssuedAt and KeyID are then zero.
	Legacy bool
}

// Decode opens a cookie value that Encode made for the cookie called name and
// unmarshals its JSON into dst, which must be a non-nil pointer. On any error
// dst is left as it was; on success it is replaced, not merged into.
//
// A value encoded from a map[interface{}]interface{} decodes into
// *map[interface{}]interface{} (or *interface{}) with its Go types kept;
// into *json.RawMessage any cookie gives its JSON as sealed.
func (c *Codec) Decode(name, value string, dst any) error {
	_, err := c.decode(name, value, dst, c.maxLength)
	return err
}

// DecodeInfo is Decode that also returns what the cookie's sealed header
// knows: when it was issued, which key opened it, and whether to re-issue it.
func (c *Codec) DecodeInfo(name, value string, dst any) (Info, error) {
	return c.decode(name, value, dst, c.maxLength)
}

func (c *Codec) decode(name, value string, dst any, limit int) (Info, error) {
	if rv := reflect.ValueOf(dst); rv.Kind() != reflect.Pointer || rv.IsNil() {
		return Info{}, fmt.Errorf("%w: Decode needs a non-nil pointer, got %T", ErrInvalid, dst)
	}
	if size := len(name) + 1 + len(value); size > limit {
		return Info{}, fmt.Errorf("%w: %d bytes with the name, limit %d", ErrTooLarge, size, limit)
	}
	s := getScratch()
	defer s.put()
	raw, err := appendBase64(s.plain[:0], value)
	var h Header
	if err == nil {
		s.plain = raw
		h, err = parseHeader(raw)
	}
	if err != nil {
		if len(c.legacy) > 0 {
			return c.decodeLegacy(name, value, dst, err)
		}
		return Info{}, fmt.Errorf("%w: %w", ErrInvalid, err)
	}
	ring := c.ring.Load()
	k := ring.lookup(h.KeyID)
	if k == nil {
		return Info{}, unknownKeyError{h.KeyID}
	}
	nonce := raw[headerSize : headerSize+nonceSize]
	sealed := raw[headerSize+nonceSize:]
	s.ad = appendAdditionalData(s.ad[:0], raw[:headerSize], name)
	body, err := aeadOpen(k.aead, sealed[:0], nonce, sealed, s.ad)
	if err == errOpen {
		return Info{}, errTampered // preformatted: forged cookies cost no formatting
	}
	if err != nil {
		return Info{}, fmt.Errorf("%w: %w (tampered, or sealed for another cookie name)", ErrInvalid, err)
	}

	now := c.now()
	issued, age, err := c.checkAge(int64(binary.BigEndian.Uint64(body)), now)
	if err != nil {
		return Info{}, err
	}

	payload := body[issuedAtSize:]
	if h.Compressed {
		if payload, err = appendInflate(s.zip[:0], payload, MaxPayloadSize); err != nil {
			clear(s.zip[:cap(s.zip)]) // partial output may be there
			var big errInflateLimit
			if errors.As(err, &big) {
				return Info{}, fmt.Errorf("%w: value inflates past %d bytes", ErrTooLarge, MaxPayloadSize)
			}
			return Info{}, fmt.Errorf("%w: decompressing: %w", ErrInvalid, err)
		}
		s.zip = payload // keep the grown buffer, zeroed on put
	} else if len(payload) > MaxPayloadSize {
		return Info{}, fmt.Errorf("%w: value is %d bytes of JSON, limit %d", ErrTooLarge, len(payload), MaxPayloadSize)
	}
	if err := unmarshal(payload, h.Typed, dst); err != nil {
		return Info{}, fmt.Errorf("%w: %w", ErrInvalid, err)
	}

	k.opened.Add(1)
	k.lastOpened.Store(now.UnixNano())
	return Info{
		IssuedAt: issued,
		KeyID:    k.id,
		Reissue:  k != ring.keys[0] || (c.refreshAge > 0 && age >= c.refreshAge),
	}, nil
}

// checkAge returns the issue time and age of a cookie issued at iat (Unix
// seconds, any int64) and fails if it is from the future beyond MaxClockSkew
// or older than MaxAge. It compares whole seconds as uint64 differences, which
// are exact for any iat, and nanoseconds apart, so nothing can overflow.
func (c *Codec) checkAge(iat int64, now time.Time) (time.Time, time.Duration, error) {
	nowSec, nanos := now.Unix(), time.Duration(now.Nanosecond())
	if iat > nowSec {
		ahead := uint64(iat) - uint64(nowSec) // exact: iat > nowSec
		if ahead > uint64(MaxClockSkew/time.Second) {
			return time.Time{}, 0, fmt.Errorf("%w: issued more than %v in the future", ErrInvalid, MaxClockSkew)
		}
		return time.Unix(iat, 0), nanos - time.Duration(ahead)*time.Second, nil
	}
	behind := uint64(nowSec) - uint64(iat) // exact: iat <= nowSec
	maxSec, maxNanos := uint64(c.maxAge/time.Second), c.maxAge%time.Second
	if behind > maxSec || behind == maxSec && nanos > maxNanos {
		return time.Time{}, 0, fmt.Errorf("%w: issued %s ago, max age %v", ErrExpired, ageString(behind, nanos), c.maxAge)
	}
	// behind <= maxSec, so this fits in a Duration.
	return time.Unix(iat, 0), time.Duration(behind)*time.Second + nanos, nil
}

// ageString formats s seconds plus nanos as a Duration does, or in whole
// seconds when that would not fit a Duration.
func ageString(s uint64, nanos time.Duration) string {
	if s >= math.MaxInt64/uint64(time.Second) {
		return fmt.Sprintf("%ds", s)
	}
	return (time.Duration(s)*time.Second + nanos).String()
}

// unknownKeyError is Decode's error for a key ID that is not in the ring. It
// formats only when asked, so refusing a forged cookie costs no formatting.
type unknownKeyError struct{ id KeyID }

func (e unknownKeyError) Error() string { return ErrUnknownKey.Error() + ": key ID " + e.id.String() }
func (e unknownKeyError) Unwrap() error { return ErrUnknownKey }

// errTampered is Decode's error for a cookie whose tag does not verify.
var errTampered = fmt.Errorf("%w: %w (tampered, or sealed for another cookie name)", ErrInvalid, errOpen)

// unmarshal decodes payload into dst, assigning only on success. A typed
// payload must be well-formed typed values whatever dst is (SPEC.md 6).
func unmarshal(payload []byte, typed bool, dst any) error {
	switch d := dst.(type) {
	case *json.RawMessage:
		if typed {
			if _, err := parseTypedPayload(payload, true); err != nil {
				return err
			}
		} else if !json.Valid(payload) {
			return errors.New("payload is not JSON")
		}
		*d = append(json.RawMessage(nil), payload...)
		return nil
	case *map[any]any:
		var m map[any]any
		if typed {
			var err error
			if m, err = parseTypedPayload(payload, false); err != nil {
				return err
			}
		} else {
			v, err := decodeJSON(payload)
			if err != nil {
				return err
			}
			if m, err = plainToValues(v); err != nil {
				return err
			}
		}
		*d = m
		return nil
	case *any:
		if typed {
			m, err := parseTypedPayload(payload, false)
			if err != nil {
				return err
			}
			*d = m
			return nil
		}
	}
	if typed {
		return fmt.Errorf("cookie holds session values; decode into *map[interface{}]interface{}, not %T", dst)
	}
	fresh := reflect.New(reflect.TypeOf(dst).Elem())
	if err := json.Unmarshal(payload, fresh.Interface()); err != nil {
		return err
	}
	reflect.ValueOf(dst).Elem().Set(fresh.Elem())
	return nil
}

// decodeLegacy hands a value that is not a cookieseal cookie to the legacy
// decoders, each into a fresh value so that dst changes only on success.
func (c *Codec) decodeLegacy(name, value string, dst any, formatErr error) (Info, error) {
	errs := []error{formatErr}
	for _, d := range c.legacy {
		fresh := reflect.New(reflect.TypeOf(dst).Elem())
		if err := d.Decode(name, value, fresh.Interface()); err != nil {
			errs = append(errs, err)
			continue
		}
		reflect.ValueOf(dst).Elem().Set(fresh.Elem())
		return Info{Reissue: true, Legacy: true}, nil
	}
	return Info{}, fmt.Errorf("%w: not a cookieseal cookie, and no legacy decoder opened it: %v", ErrInvalid, errors.Join(errs...))
}
