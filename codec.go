// Package cookieseal turns session values into cookies nobody can read or
// forge.
//
// A [Codec] serializes a value to JSON, compresses it if asked to, seals it
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
// [ErrUnknownKey] and [ErrTooLarge] with errors.Is. The errors of Encode,
// Reissue, Refresh, Decode and DecodeInfo also answer the methods of gorilla's
// securecookie.Error (IsDecode, IsUsage, IsInternal, Cause), so code written
// against that interface keeps working. No error, log line or formatting of a
// Codec contains a secret.
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
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"
	"slices"
	"sync/atomic"
	"time"
	"unicode/utf8"
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
	// DefaultMaxPayload caps the JSON a cookie can hold, in bytes, after
	// decompression, when Config.MaxPayload is 0. Decode refuses more, so a
	// compressed cookie cannot expand without bound, and Encode refuses what
	// Decode would (SPEC.md section 5.1).
	DefaultMaxPayload = 64 << 10 // bytes
)

// Config configures a Codec. Only Secrets is required.
//
// A Config prints its secrets redacted wherever its methods are called: fmt
// with any verb (Format), String, json.Marshal (MarshalJSON) and log/slog
// (LogValue), for a Config or *Config passed directly or held in an
// exported field, slice or map. Go's fmt cannot call methods on a value it
// reaches through an unexported struct field, so a Config kept in an
// unexported field, such as struct{ session cookieseal.Config } printed
// with %v, shows its secrets, as any []string would; so do reflection-based
// dumpers that ignore methods. Pass the Config to New and keep the *Codec,
// which holds no secret and prints only key IDs, however it is reached.
type Config struct {
	// Secrets is the keyring, at least one secret of at least MinSecretSize
	// bytes each, all different. The first secret seals; every secret opens.
	// Generate secrets with GenerateSecret; never use a password or a value
	// from documentation.
	Secrets []string

	// MaxAge is how long a cookie stays valid after Encode. Zero means
	// DefaultMaxAge (24 hours); negative is an error. It is checked against
	// the sealed issued-at, so shortening it takes effect at once. Cookies
	// count whole seconds (SPEC.md section 4): a cookie is valid while the
	// current Unix second minus its issued-at is at most MaxAge, and a MaxAge
	// with a fraction of a second is rounded up to the next whole second, as
	// the Max-Age attribute of a Set-Cookie header is.
	MaxAge time.Duration

	// RefreshAge makes DecodeInfo report Reissue for cookies at least this
	// old, for sliding sessions: Reissue (or Refresh) then moves the cookie's
	// issued-at to now, so MaxAge becomes an idle timeout. Zero means never on
	// age alone; it must be less than MaxAge and not negative.
	RefreshAge time.Duration

	// MaxLifetime is the absolute lifetime of a session: Decode refuses with
	// ErrExpired a cookie whose session began (Info.CreatedAt, the Encode
	// that started it) longer ago, however often it was refreshed since.
	// Zero means none; negative is an error.
	MaxLifetime time.Duration

	// MaxLength limits len(name) + 1 + len(value) of a cookie, as browsers
	// count it. Zero means DefaultMaxLength (4096); negative is an error.
	MaxLength int

	// MaxPayload caps the JSON of one value, in bytes, after decompression.
	// Encode refuses a larger value and Decode refuses a cookie that holds or
	// inflates to more, with ErrTooLarge. Zero means DefaultMaxPayload
	// (65536); negative is an error. Every server that shares the secrets
	// should use the same cap.
	MaxPayload int

	// Compress lets Encode compress a payload of 1024 bytes or more with
	// DEFLATE when that makes the cookie shorter. The zero value never
	// compresses. Decode opens compressed cookies whatever this says.
	//
	// Compression runs before encryption, so a compressed cookie's length
	// depends on its content: when one cookie holds a secret (a CSRF token,
	// an API key) together with data an attacker can influence, an attacker
	// who sees cookie lengths can recover the secret a character at a time
	// (CRIME, BREACH). Set Compress only when no cookie this codec seals
	// holds both, or when attackers cannot observe cookie lengths.
	Compress bool

	// Now returns the current time. Nil means time.Now; tests move the clock
	// with it.
	Now func() time.Time

	// JSON is the JSON library for values other than session values; the
	// zero value means encoding/json. Whatever is plugged in, cookieseal
	// itself checks the JSON against SPEC.md's rules on both sides (see
	// JSON).
	JSON JSON

	// SessionIDs makes Encode (and Cookies.Write) seal a random session ID
	// into every new session, and Reissue and Refresh give one to a session
	// that has none; Info.SessionID reports it. It costs 17 bytes of
	// plaintext (23 characters of cookie) and lets a Revocations list name
	// one session ("log out this device"). EncodeSession and Cookies.Login
	// seal an ID whatever this says. Openers read IDs either way.
	SessionIDs bool

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
	fmt.Fprintf(f, "cookieseal.Config{Secrets: [%d redacted], MaxAge: %v, RefreshAge: %v, MaxLifetime: %v, MaxLength: %d, MaxPayload: %d, Compress: %t, Legacy: [%d decoders]}",
		len(c.Secrets), c.MaxAge, c.RefreshAge, c.MaxLifetime, c.MaxLength, c.MaxPayload, c.Compress, len(c.Legacy))
}

// Codec seals values into cookies and opens them again. It is safe for
// concurrent use; SetSecrets swaps the keyring atomically.
type Codec struct {
	maxAge      time.Duration
	refreshAge  time.Duration
	maxLifetime time.Duration
	maxLength   int
	maxPayload  int
	compress    bool
	now         func() time.Time
	rand        io.Reader // nonce source; crypto/rand unless a test sets it
	legacy      []Decoder
	json        JSON // nil functions: encoding/json
	sessionIDs  bool
	started     time.Time // when New made it, for KeyUsage.RetireAfter

	ring *atomic.Pointer[keyring] // shared with the codecs WithMaxAge makes
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
	if cfg.MaxLifetime < 0 {
		return nil, fmt.Errorf("cookieseal: negative MaxLifetime %v", cfg.MaxLifetime)
	}
	if cfg.MaxLength < 0 {
		return nil, fmt.Errorf("cookieseal: negative MaxLength %d", cfg.MaxLength)
	}
	if cfg.MaxPayload < 0 {
		return nil, fmt.Errorf("cookieseal: negative MaxPayload %d", cfg.MaxPayload)
	}
	c := &Codec{
		maxAge:      cfg.MaxAge,
		refreshAge:  cfg.RefreshAge,
		maxLifetime: cfg.MaxLifetime,
		maxLength:   cfg.MaxLength,
		maxPayload:  cfg.MaxPayload,
		compress:    cfg.Compress,
		now:         cfg.Now,
		rand:        rand.Reader,
		legacy:      append([]Decoder(nil), cfg.Legacy...),
		json:        cfg.JSON,
		sessionIDs:  cfg.SessionIDs,
		ring:        new(atomic.Pointer[keyring]),
	}
	for i, d := range c.legacy {
		if d == nil {
			return nil, fmt.Errorf("cookieseal: Legacy[%d] is nil", i)
		}
	}
	if c.maxAge == 0 {
		c.maxAge = DefaultMaxAge
	}
	if frac := c.maxAge % time.Second; frac != 0 {
		c.maxAge += time.Second - frac // whole seconds, rounded up
	}
	if c.maxPayload == 0 {
		c.maxPayload = DefaultMaxPayload
	}
	if c.refreshAge >= c.maxAge {
		// A cookie that old is already expired: the refresh could never fire.
		return nil, fmt.Errorf("cookieseal: RefreshAge %v is not less than MaxAge %v", c.refreshAge, c.maxAge)
	}
	if c.maxLength == 0 {
		c.maxLength = DefaultMaxLength
	}
	if c.now == nil {
		c.now = time.Now
	}
	c.started = c.now()
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
			if old != nil && old.keys[0] != r.keys[0] {
				old.keys[0].demoted.Store(c.now().UnixNano())
			}
			return nil
		}
	}
}

// MaxAge returns the lifetime of the cookies this codec seals.
func (c *Codec) MaxAge() time.Duration { return c.maxAge }

// MaxLifetime returns the absolute lifetime of a session, 0 for none.
func (c *Codec) MaxLifetime() time.Duration { return c.maxLifetime }

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
// called name. The value decodes only under the same name: the full cookie
// name, so a cookie that Cookies writes with HostPrefix is "__Host-session".
//
// A map[interface{}]interface{} (gorilla/sessions' Session.Values) is written
// in a typed form that keeps the Go types of its values; see Decode.
//
// Encode starts a session: the cookie's issued-at and created-at are now.
// To write the value of a session that a cookie already carries, use
// Reissue or Refresh with the Info that DecodeInfo returned, which keep the
// session's created-at, so that MaxLifetime counts from its start.
func (c *Codec) Encode(name string, value any) (string, error) {
	v, err := c.encode(name, value, c.maxLength, c.newSession(c.sessionIDs, ""))
	return v, encodeError(err)
}

// EncodeSession is Encode for a login: it starts a session with a new
// random session ID (Info.SessionID) and the application's subject (its
// user ID; empty for none), sealed in the cookie (SPEC.md flag 0x08) and
// kept by Reissue and Refresh, so that a Revocations list can end this
// session, or every session of the subject created before a time. The
// subject is at most 255 bytes of UTF-8; it is confidential like the rest
// of the plaintext.
func (c *Codec) EncodeSession(name string, value any, subject string) (string, error) {
	if err := checkSubject(subject); err != nil {
		return "", &codecError{err, kindUsage}
	}
	v, err := c.encode(name, value, c.maxLength, c.newSession(true, subject))
	return v, encodeError(err)
}

// checkSubject checks a subject given to EncodeSession or Cookies.Login.
func checkSubject(subject string) error {
	if len(subject) > maxSubject || !utf8.ValidString(subject) {
		return fmt.Errorf("cookieseal: a subject is at most %d bytes of UTF-8", maxSubject)
	}
	return nil
}

// newSession returns the times (and, with id set, a new identity) of a
// session that starts now.
func (c *Codec) newSession(id bool, subject string) sealTimes {
	now := c.now().Unix()
	t := sealTimes{issued: now, created: now}
	if id {
		t.sid = newSessionID()
		t.subject = subject
	}
	return t
}

// newSessionID returns 16 bytes from the CSPRNG.
func newSessionID() []byte {
	b := make([]byte, sessionIDSize)
	rand.Read(b) // never fails since Go 1.24
	return b
}

// Reissue seals value again for the session that info describes, as
// DecodeInfo (or Cookies.Read) returned it for the cookie called name, under
// the key that now seals. Call it when info.Reissue is set, after the
// handler has judged the session and accepted it.
//
// The new cookie keeps the session's times: its created-at always, and its
// issued-at too, unless the cookie is at least RefreshAge old, when the
// issued-at moves to now (a sliding session). A cookie re-issued only
// because its key no longer seals therefore expires when the old one would
// have, and passes a check such as "not issued before the last password
// change" exactly when the old one did. A cookie that a Legacy decoder
// opened has no trustworthy times: its re-issue starts both at now, as a
// login would; so does a zero Info (no cookie was read), as Encode.
//
// A session that has expired since DecodeInfo (its issued-at older than
// MaxAge, or its created-at older than MaxLifetime, now) is not re-sealed:
// Reissue fails with ErrExpired (SESSIONS.md S6.6).
func (c *Codec) Reissue(name string, value any, info Info) (string, error) {
	t := c.reissueTimes(info, false)
	if err := c.checkWriteTimes(t); err != nil {
		return "", &codecError{err, kindDecode} // the session no longer opens
	}
	v, err := c.encode(name, value, c.maxLength, t)
	return v, encodeError(err)
}

// Refresh seals value for the session that info describes, moving its
// issued-at to now and keeping its created-at: a deliberate refresh, for
// example after the handler changed the session. MaxAge then counts from
// now, MaxLifetime still from the session's start. A zero Info (no cookie
// was read) or a Legacy one starts a session, as Encode does. A session
// whose MaxLifetime has passed by now is not revived: Refresh fails with
// ErrExpired (SESSIONS.md S6.6).
func (c *Codec) Refresh(name string, value any, info Info) (string, error) {
	t := c.reissueTimes(info, true)
	if err := c.checkWriteTimes(t); err != nil {
		return "", &codecError{err, kindDecode} // the session no longer opens
	}
	v, err := c.encode(name, value, c.maxLength, t)
	return v, encodeError(err)
}

// checkWriteTimes fails with ErrExpired when a cookie sealed now with times
// t would not open: its issued-at more than MaxAge ago, or its created-at
// more than MaxLifetime (SESSIONS.md S6.6: a session that expired while the
// request ran is neither revived nor re-issued). Whole seconds, as decode
// counts them.
func (c *Codec) checkWriteTimes(t sealTimes) error {
	now := c.now().Unix()
	if t.issued < now && uint64(now)-uint64(t.issued) > uint64(c.maxAge/time.Second) {
		return errExpiredAge
	}
	if t.created < now && c.maxLifetime > 0 && uint64(now)-uint64(t.created) > uint64(c.maxLifetime/time.Second) {
		return errExpiredLifetime
	}
	return nil
}

// sealTimes are the times a cookie carries, in Unix seconds, and its
// session identity (SPEC.md flag 0x08): sid nil for none.
type sealTimes struct {
	issued, created int64
	sid             []byte
	subject         string
}

// reissueTimes returns the times of a cookie re-sealed for info: kept,
// except that issued-at moves to now when refresh is set or the cookie is at
// least RefreshAge old; both now for a legacy cookie or a zero Info.
func (c *Codec) reissueTimes(info Info, refresh bool) sealTimes {
	now := c.now()
	if info.IssuedAt.IsZero() {
		return c.newSession(c.sessionIDs, "")
	}
	t := sealTimes{issued: info.IssuedAt.Unix(), created: info.IssuedAt.Unix()}
	if sid, err := hex.DecodeString(info.SessionID); err == nil && len(sid) == sessionIDSize && checkSubject(info.Subject) == nil {
		t.sid, t.subject = sid, info.Subject
	} else if c.sessionIDs {
		t.sid = newSessionID() // a session from before IDs gets one now
	}
	if !info.CreatedAt.IsZero() {
		t.created = info.CreatedAt.Unix()
	}
	if refresh || c.refreshAge > 0 && now.Sub(info.IssuedAt) >= c.refreshAge {
		t.issued = now.Unix()
	}
	t.created = min(t.created, t.issued) // a cookie from a clock ahead of ours
	return t
}

func (c *Codec) encode(name string, value any, limit int, t sealTimes) (string, error) {
	if t.created > t.issued {
		return "", errors.New("cookieseal: created-at after issued-at")
	}
	s := getScratch()
	defer s.put()
	// The JSON goes straight after room for the header, nonce and times,
	// so that it is sealed in place. The created-at is there only when it
	// differs from the issued-at (SPEC.md, flag bit 2).
	prefix := headerSize + nonceSize + issuedAtSize
	var timeFlags byte
	if t.created != t.issued {
		prefix += createdAtSize
		timeFlags = flagCreated
	}
	idAt := prefix
	if t.sid != nil {
		if len(t.sid) != sessionIDSize || checkSubject(t.subject) != nil {
			return "", errors.New("cookieseal: bad session identity")
		}
		prefix += sessionIDSize + 1 + len(t.subject)
		timeFlags |= flagIdentity
	}
	buf, flags, err := s.marshalAppend(withLen(s.plain, prefix), value, c.json.Marshal)
	if err != nil {
		clear(s.plain[:cap(s.plain)]) // a failed append may have left some plaintext
		return "", err
	}
	s.plain = buf
	payload := buf[prefix:]
	if len(payload) > c.maxPayload {
		return "", fmt.Errorf("%w: value is %d bytes of JSON, limit %d", ErrTooLarge, len(payload), c.maxPayload)
	}
	// Never seal what Decode would refuse: json.Marshal writes RFC 8259, but
	// a Marshaler or RawMessage may hold duplicate names, invalid UTF-8 or
	// deep nesting.
	if err := checkJSON(payload); err != nil {
		return "", fmt.Errorf("cookieseal: encoding value: %w", err)
	}
	if c.compress {
		z, ok := compressIfShorter(withLen(s.zip, prefix), payload)
		s.zip = z // keep the grown buffer for the pool
		if ok {
			buf, payload, flags = z, z[prefix:], flags|flagDeflate
		}
	}
	if flags&flagDeflate == 0 {
		// Length hiding (SPEC.md section 5.4): trailing white space.
		buf = padPayload(buf, prefix, c.maxPayload, limit-len(name)-1)
		payload = buf[prefix:]
	}
	flags |= timeFlags
	n := prefix + len(payload) + tagSize
	if size := len(name) + 1 + base64.RawURLEncoding.EncodedLen(n); size > limit {
		return "", fmt.Errorf("%w: %d bytes with the name, limit %d", ErrTooLarge, size, limit)
	}

	buf = slices.Grow(buf, tagSize) // so that Seal appends the tag in place
	k := c.ring.Load().keys[0]
	putHeader(buf, k.id, flags)
	nonce := buf[headerSize : headerSize+nonceSize]
	if _, err := io.ReadFull(c.rand, nonce); err != nil {
		return "", fmt.Errorf("cookieseal: reading a random nonce: %w", err)
	}
	body := buf[headerSize+nonceSize:]
	binary.BigEndian.PutUint64(body, uint64(t.issued))
	if timeFlags&flagCreated != 0 {
		binary.BigEndian.PutUint64(body[issuedAtSize:], uint64(t.created))
	}
	if t.sid != nil {
		id := buf[idAt:]
		copy(id, t.sid)
		id[sessionIDSize] = byte(len(t.subject))
		copy(id[sessionIDSize+1:], t.subject)
	}
	s.ad = appendAdditionalData(s.ad[:0], buf[:headerSize], name)
	sealed, err := aeadSeal(k.aead, buf[:headerSize+nonceSize], nonce, body, s.ad)
	if err != nil {
		return "", fmt.Errorf("cookieseal: sealing: %w", err)
	}
	k.sealed.Add(1)
	k.lastSealed.Store(c.now().UnixNano())
	s.out = base64.RawURLEncoding.AppendEncode(s.out[:0], sealed)
	return string(s.out), nil
}

// Info is what DecodeInfo learns from a cookie besides its value.
type Info struct {
	// IssuedAt is when the cookie's current lifetime began, to the second:
	// the Encode that started the session, or its last refresh. A re-issue
	// because the key rotated keeps it. MaxAge counts from it.
	IssuedAt time.Time
	// CreatedAt is when the session began (the Encode that started it, the
	// login), to the second; refreshes and re-issues keep it. MaxLifetime
	// counts from it. It equals IssuedAt until the first refresh.
	CreatedAt time.Time
	KeyID     KeyID // the key that opened it
	// Reissue is set when the cookie should be sealed again and sent (see
	// Codec.Reissue): its key no longer seals new cookies, it is at least
	// RefreshAge old, or a Legacy decoder opened it. Nothing is re-issued
	// unless the caller does it, after judging the session.
	Reissue bool
	// SessionID is the session's random ID, 32 lowercase hex digits, fixed
	// at login and kept by every re-issue and refresh; empty when the cookie
	// carries none (Config.SessionIDs, EncodeSession, Cookies.Login).
	SessionID string
	// Subject is the application's subject (user ID) given at login, or "".
	Subject string
	// Legacy is set when a Config.Legacy decoder, not cookieseal, opened the
	// cookie. Its times are unknown, so IssuedAt, CreatedAt and KeyID are
	// zero: a check such as "not issued before the last password change"
	// refuses it, and Reissue gives it times of now.
	Legacy bool
}

// Decode opens a cookie value that Encode made for the cookie called name and
// unmarshals its JSON into dst, which must be a non-nil pointer. On any error
// dst is left as it was; on success it is replaced, not merged into.
//
// A value encoded from a map[interface{}]interface{} decodes into
// *map[interface{}]interface{} (or *interface{}) with its Go types kept;
// into *json.RawMessage any cookie gives its JSON as sealed.
//
// Whatever dst is, the JSON must be strict (SPEC.md section 5.3: valid
// UTF-8, no duplicate member names, finite numbers, at most 512 levels of
// nesting, nothing after the value) and a typed cookie's JSON well-formed
// typed values, or Decode fails with ErrInvalid before anything unmarshals.
func (c *Codec) Decode(name, value string, dst any) error {
	_, err := c.decode(name, value, dst, c.maxLength)
	return decodeError(err, dst)
}

// DecodeInfo is Decode that also returns what the cookie's sealed header
// knows: when it was issued, which key opened it, and whether to re-issue it.
func (c *Codec) DecodeInfo(name, value string, dst any) (Info, error) {
	info, err := c.decode(name, value, dst, c.maxLength)
	return info, decodeError(err, dst)
}

func (c *Codec) decode(name, value string, dst any, limit int) (Info, error) {
	return c.decodeCheck(name, value, dst, limit, nil)
}

// decodeCheck is decode that, when check is not nil, calls it with the Info
// of a cookie that opened, before dst changes, and fails with its error.
func (c *Codec) decodeCheck(name, value string, dst any, limit int, check func(Info) error) (Info, error) {
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

	iat, cat, rest, err := readTimes(body, raw[5])
	if err != nil {
		return Info{}, err
	}
	sid, subject, rest, err := readIdentity(rest, raw[5])
	if err != nil {
		return Info{}, err
	}
	now := c.now()
	issued, age, err := c.checkAge(iat, now)
	if err != nil {
		return Info{}, err
	}
	if err := c.checkLifetime(cat, now); err != nil {
		return Info{}, err
	}
	payload, err := openPayload(s.zip[:0], rest, h.Compressed, c.maxPayload)
	if err != nil {
		clear(s.zip[:cap(s.zip)]) // partial output may be there
		return Info{}, err
	}
	if h.Compressed {
		s.zip = payload // keep the grown buffer, zeroed on put
	}
	// Strict JSON before any parser sees the payload, whatever dst is.
	// The error names the rule, never the payload (errPayload).
	if err := checkJSON(payload); err != nil {
		return Info{}, fmt.Errorf("%w: %w", ErrInvalid, errNotJSON)
	}
	info := Info{
		IssuedAt:  issued,
		CreatedAt: time.Unix(cat, 0),
		KeyID:     k.id,
		Reissue:   k != ring.keys[0] || (c.refreshAge > 0 && age >= c.refreshAge),
		Subject:   subject,
	}
	if sid != nil {
		info.SessionID = hex.EncodeToString(sid)
	}
	if check == nil {
		if err := unmarshal(payload, h.Typed, dst, c.json.Unmarshal); err != nil {
			return Info{}, fmt.Errorf("%w: %w", ErrInvalid, payloadError(err, h.Typed, dst))
		}
	} else {
		// The session layer's judgement (revocation) comes before dst
		// changes: the value goes to a fresh destination first.
		fresh := reflect.New(reflect.TypeOf(dst).Elem())
		if err := unmarshal(payload, h.Typed, fresh.Interface(), c.json.Unmarshal); err != nil {
			return Info{}, fmt.Errorf("%w: %w", ErrInvalid, payloadError(err, h.Typed, dst))
		}
		if err := check(info); err != nil {
			return Info{}, err
		}
		reflect.ValueOf(dst).Elem().Set(fresh.Elem())
	}

	k.opened.Add(1)
	k.lastOpened.Store(now.UnixNano())
	return info, nil
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
	// Whole seconds (SPEC.md 4, step 7): valid while behind <= max age;
	// maxAge is a whole number of seconds (New rounds it up).
	if behind > uint64(c.maxAge/time.Second) {
		// The message does not say by how much: an application that echoes
		// errors would reveal the hidden issue time.
		return time.Time{}, 0, errExpiredAge
	}
	// behind <= the max age in seconds, so this fits in a Duration.
	return time.Unix(iat, 0), time.Duration(behind)*time.Second + nanos, nil
}

// checkLifetime fails with ErrExpired when MaxLifetime is set and the
// session, created at cat (Unix seconds, any int64), is older, comparing
// whole seconds (SPEC.md section 4). cat is at most the issued-at, which
// checkAge bounded, so the difference cannot be negative beyond the skew.
func (c *Codec) checkLifetime(cat int64, now time.Time) error {
	if c.maxLifetime <= 0 {
		return nil
	}
	nowSec := now.Unix()
	if cat >= nowSec {
		return nil
	}
	if uint64(nowSec)-uint64(cat) > uint64(c.maxLifetime/time.Second) { // exact: cat < nowSec
		return errExpiredLifetime
	}
	return nil
}

// The ErrExpired errors. They name the limit, never the cookie's age.
var (
	errExpiredAge      = fmt.Errorf("%w: older than its max age", ErrExpired)
	errExpiredLifetime = fmt.Errorf("%w: session older than its max lifetime", ErrExpired)
)

// unknownKeyError is Decode's error for a key ID that is not in the ring. It
// formats only when asked, so refusing a forged cookie costs no formatting.
type unknownKeyError struct{ id KeyID }

func (e unknownKeyError) Error() string { return ErrUnknownKey.Error() + ": key ID " + e.id.String() }
func (e unknownKeyError) Unwrap() error { return ErrUnknownKey }

// errTampered is Decode's error for a cookie whose tag does not verify.
var errTampered = fmt.Errorf("%w: %w (tampered, or sealed for another cookie name)", ErrInvalid, errOpen)

// unmarshal decodes payload into dst, assigning only on success. A typed
// payload must be well-formed typed values whatever dst is (SPEC.md 6).
// Values other than session values go through unmarshalJSON (Config.JSON)
// when it is not nil, else encoding/json.
func unmarshal(payload []byte, typed bool, dst any, unmarshalJSON func([]byte, any) error) error {
	switch d := dst.(type) {
	case *json.RawMessage:
		if typed {
			if _, err := parseTypedPayload(payload, true); err != nil {
				return err
			}
		} // decode checked the JSON (checkJSON)
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
		return safeError{fmt.Sprintf("cookie holds session values; decode into *map[interface{}]interface{}, not %T", dst)}
	}
	if err := checkFoldedNames(payload, dst); err != nil {
		return err
	}
	fresh := reflect.New(reflect.TypeOf(dst).Elem())
	var err error
	if unmarshalJSON != nil {
		err = unmarshalPlugged(payload, fresh.Interface(), unmarshalJSON)
	} else {
		err = json.Unmarshal(payload, fresh.Interface())
	}
	if err != nil {
		return err
	}
	reflect.ValueOf(dst).Elem().Set(fresh.Elem())
	return nil
}

// decodeLegacy hands a value that is not a cookieseal cookie to the legacy
// decoders, each into a fresh value so that dst changes only on success.
func (c *Codec) decodeLegacy(name, value string, dst any, formatErr error) (Info, error) {
	for _, d := range c.legacy {
		fresh := reflect.New(reflect.TypeOf(dst).Elem())
		if err := d.Decode(name, value, fresh.Interface()); err != nil {
			continue
		}
		reflect.ValueOf(dst).Elem().Set(fresh.Elem())
		return Info{Reissue: true, Legacy: true}, nil
	}
	// The legacy decoders' own errors are not quoted: they may hold what
	// the cookie decoded to (an encoding/json or gob message).
	return Info{}, fmt.Errorf("%w: not a cookieseal cookie (%v), and none of %d legacy decoders opened it", ErrInvalid, formatErr, len(c.legacy))
}
