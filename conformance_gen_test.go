package cookieseal

import (
	"bytes"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// The generator of keys.json, rings.json, open.json, payload.json and
// json.json. Deterministic: nonces come from case IDs, clocks are fixed, and
// DEFLATE bodies are either hand-made or Go's level-1 writer's (whose output
// is stable within a Go release; a change shows as a diff after -update).

// confGen collects the cases of one file.
type confGen struct {
	t     *testing.T
	dir   string
	file  confFile
	names map[string]bool
}

// confOutDir is where the generator writes: conformanceDir, or a temporary
// folder when TestConformanceUpToDate compares.
var confOutDir = conformanceDir

func newConfGen(t *testing.T, description string) *confGen {
	return &confGen{t: t, dir: confOutDir, file: confFile{Suite: "cookieseal conformance", Format: 1, Description: description}, names: map[string]bool{}}
}

func (g *confGen) add(c confCase) {
	g.t.Helper()
	require.False(g.t, g.names[c.ID], "duplicate id %s", c.ID)
	g.names[c.ID] = true
	g.file.Cases = append(g.file.Cases, c)
}

func (g *confGen) write(name string) {
	g.t.Helper()
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	require.NoError(g.t, enc.Encode(g.file))
	require.NoError(g.t, os.WriteFile(filepath.Join(g.dir, name), buf.Bytes(), 0o644))
}

// sealed describes an authentic cookie for a case: the ring, the index of
// the sealing secret, the header and the plaintext.
type sealed struct {
	secrets  []string
	by       int     // index of the sealing secret in secrets
	name     *string // nil: "session"
	version  *byte   // nil: 1
	keyID    *uint32 // nil: the sealing secret's
	flags    byte
	issued   int64  // 0: vectorNow
	created  int64  // with flag 0x04 only
	rawFlags bool   // write no created-at even with flag 0x04
	sid      []byte // with flag 0x08: the session ID, then the subject
	subject  string
	identRaw []byte // with flag 0x08: raw bytes after the times instead (malformed cases)
	body     []byte
}

// plainBody is what follows the times: the identity, if any, then the body.
func (s sealed) plainBody() []byte {
	switch {
	case s.identRaw != nil:
		return append(bytes.Clone(s.identRaw), s.body...)
	case s.sid != nil:
		return append(identityBytes(s.sid, s.subject), s.body...)
	}
	return s.body
}

// identityBytes is the identity block of flag 0x08: ID, length, subject.
func identityBytes(sid []byte, subject string) []byte {
	b := append(bytes.Clone(sid), byte(len(subject)))
	return append(b, subject...)
}

func (s sealed) cookieName() string {
	if s.name == nil {
		return "session"
	}
	return *s.name
}

func (g *confGen) seal(id string, s sealed) string {
	g.t.Helper()
	v := byte(version1)
	if s.version != nil {
		v = *s.version
	}
	if s.rawFlags {
		return sealConformanceRaw(g.t, s.secrets[s.by], s.cookieName(), v, s.flags, s.issued, caseNonce(id), s.plainBody())
	}
	return sealConformance(g.t, s.secrets[s.by], s.cookieName(), v, s.keyID, s.flags, s.issued, s.created, caseNonce(id), s.plainBody())
}

// opts are the case fields besides the cookie.
type opts struct {
	now         int64 // 0: vectorNow
	maxAge      *int64
	maxLifetime *int64
	maxLength   *int
	maxPayload  *int
	openAs      string
}

func (o opts) apply(c *confCase) {
	now := o.now
	if now == 0 {
		now = vectorNow
	}
	c.Now = &now
	c.MaxAge, c.MaxLifetime, c.MaxLength, c.MaxPayload = o.maxAge, o.maxLifetime, o.maxLength, o.maxPayload
	c.OpenAs = o.openAs
	if c.OpenAs == "" {
		c.OpenAs = "json"
	}
}

// ok adds a case that opens, with everything a sealer needs.
func (g *confGen) ok(id, spec, desc string, s sealed, o opts) confCase {
	g.t.Helper()
	if s.issued == 0 {
		s.issued = vectorNow
	}
	if s.flags&0x04 == 0 {
		s.created = s.issued
	}
	cookie := g.seal(id, s)
	payload := s.body
	if s.flags&flagDeflate != 0 {
		var err error
		payload, err = appendInflate(nil, s.body, math.MaxInt32)
		require.NoError(g.t, err, id)
	}
	kid, _, err := deriveKey(s.secrets[s.by])
	require.NoError(g.t, err)
	c := confCase{ID: id, Spec: spec, Description: desc, Secrets: s.secrets, Name: ptr(s.cookieName()), Cookie: &cookie,
		Result: "ok", Payload: ptr(string(payload)), IssuedAt: ptr(s.issued), CreatedAt: ptr(s.created),
		KeyID: kid.String(), Flags: ptr(int(s.flags)),
		Seal: &confSeal{IssuedAt: s.issued, CreatedAt: s.created, Flags: int(s.flags), Nonce: hex.EncodeToString(caseNonce(id)), Body: hex.EncodeToString(s.body)}}
	if s.flags&flagIdentity != 0 {
		c.SessionID, c.Subject = ptr(hex.EncodeToString(s.sid)), ptr(s.subject)
		c.Seal.SessionID, c.Seal.Subject = c.SessionID, c.Subject
	}
	o.apply(&c)
	if c.OpenAs == "values" {
		var m map[any]any
		if s.flags&flagTyped != 0 {
			m, err = parseTypedPayload(payload, false)
			require.NoError(g.t, err, id)
		} else {
			v, err := decodeJSON(payload)
			require.NoError(g.t, err, id)
			m, err = plainToValues(v)
			require.NoError(g.t, err, id)
		}
		enc, err := appendMap(nil, m)
		require.NoError(g.t, err, id)
		c.Values = ptr(string(enc))
	}
	g.add(c)
	return c
}

// fail adds an authentic cookie that fails with result.
func (g *confGen) fail(id, spec, desc string, s sealed, o opts, result string) {
	g.t.Helper()
	if s.issued == 0 {
		s.issued = vectorNow
	}
	g.raw(id, spec, desc, s.secrets, s.cookieName(), g.seal(id, s), o, result)
}

// raw adds a case with any cookie string.
func (g *confGen) raw(id, spec, desc string, secrets []string, name, cookie string, o opts, result string) {
	g.t.Helper()
	c := confCase{ID: id, Spec: spec, Description: desc, Secrets: secrets, Name: ptr(name), Cookie: &cookie, Result: result}
	o.apply(&c)
	g.add(c)
}

// generatedFiles are the files writeConformance writes.
var generatedFiles = []string{"keys.json", "rings.json", "open.json", "payload.json", "json.json"}

func writeConformance(t *testing.T) {
	require.NoError(t, os.MkdirAll(confOutDir, 0o755))
	genKeys(t)
	genRings(t)
	genOpen(t)
	genPayload(t)
	genJSON(t)
}

// keyCollision is a pair of secrets that derive the same key ID, found by a
// birthday search over "cookieseal-conformance-collision-%08d" (see
// findKeyIDCollision); the generator checks that they still collide.
var keyCollision = [2]string{"cookieseal-conformance-collision-00046850", "cookieseal-conformance-collision-00072050"}

// findKeyIDCollision searches for two secrets with one key ID.
func findKeyIDCollision(t *testing.T) [2]string {
	seen := map[KeyID]string{}
	for i := 0; ; i++ {
		s := fmt.Sprintf("cookieseal-conformance-collision-%08d", i)
		id, _, err := deriveKey(s)
		require.NoError(t, err)
		if prev, ok := seen[id]; ok {
			return [2]string{prev, s}
		}
		seen[id] = s
	}
}

func genKeys(t *testing.T) {
	g := newConfGen(t, "Key derivation (SPEC.md section 1.2): each secret's UTF-8 bytes are the HKDF-SHA256 input key material as they are; key is the 32-byte XChaCha20-Poly1305 key, key_id the 4-byte key ID, both in hex.")
	add := func(id, desc, secret string) {
		kid, k, err := deriveKey(secret)
		require.NoError(t, err)
		g.add(confCase{ID: "keys/" + id, Spec: "1.2", Description: desc, Secret: ptr(secret), Key: hex.EncodeToString(k), KeyID: kid.String(), Result: "ok"})
	}
	add("vector-secret-1", "the suite's first secret", vectorSecrets[0])
	add("vector-secret-2", "the suite's second secret", vectorSecrets[1])
	add("vector-secret-3", "the suite's third secret", vectorSecrets[2])
	add("keygen-form", "a secret as keygen prints it: 43 base64url characters, used as 43 ASCII bytes, not decoded", "Qx1o8bV2tXj0tG3yKp9wZr4nD6sLh5eUcAfMiT7kN0E")
	add("exactly-32-bytes", "a secret of exactly 32 bytes", strings.Repeat("0123456789abcdef", 2))
	add("utf-8", "a secret with non-ASCII characters: its UTF-8 bytes are the input", "clé secrète de test, publique, 🍪 never use")
	add("long", "a 200-byte secret", strings.Repeat("cookieseal long secret, public. ", 7)[:200])
	for _, s := range keyCollision {
		add("collision-"+s[len(s)-8:], "one of two secrets that derive the same key ID (rings.json)", s)
	}
	g.write("keys.json")
}

func genRings(t *testing.T) {
	id0, _, _ := deriveKey(keyCollision[0])
	id1, _, _ := deriveKey(keyCollision[1])
	if id0 != id1 {
		t.Logf("keyCollision no longer collides; searching")
		c := findKeyIDCollision(t)
		t.Fatalf("set keyCollision to %q", c)
	}
	g := newConfGen(t, "Ring rules (SPEC.md section 1.3): result ok, or invalid_ring when an implementation must refuse to build the ring.")
	add := func(id, spec, desc, result string, secrets ...string) {
		if secrets == nil {
			secrets = []string{}
		}
		g.add(confCase{ID: "rings/" + id, Spec: spec, Description: desc, Secrets: secrets, Result: result})
	}
	add("empty", "1.3", "no secret at all", "invalid_ring")
	add("one", "1.3", "one secret", "ok", vectorSecrets[0])
	add("three", "1.3", "three different secrets", "ok", vectorSecrets...)
	add("31-bytes", "1.1", "a secret of 31 bytes", "invalid_ring", strings.Repeat("a", 31))
	add("32-bytes", "1.1", "a secret of exactly 32 bytes", "ok", strings.Repeat("a", 32))
	add("short-second", "1.1", "a good secret, then one of 31 bytes", "invalid_ring", vectorSecrets[0], strings.Repeat("b", 31))
	add("11-characters-33-bytes", "1.1", "11 characters of 3 UTF-8 bytes each: 33 bytes, long enough (length counts bytes)", "ok", strings.Repeat("€", 11))
	add("16-characters-31-bytes", "1.1", "15 two-byte characters and one ASCII: 16 characters but 31 bytes, too short", "invalid_ring", strings.Repeat("é", 15)+"a")
	add("equal", "1.3", "the same secret twice", "invalid_ring", vectorSecrets[0], vectorSecrets[0])
	add("equal-not-adjacent", "1.3", "the same secret first and third", "invalid_ring", vectorSecrets[0], vectorSecrets[1], vectorSecrets[0])
	add("key-id-collision", "1.3", "two different secrets that derive the same key ID", "invalid_ring", keyCollision[0], keyCollision[1])
	g.write("rings.json")
}

func genOpen(t *testing.T) {
	g := newConfGen(t, "Opening (SPEC.md sections 2-4): layout, base64url, header, key lookup, authentication, times. The secrets are public test values: never use them.")
	one := vectorSecrets[:1]
	s := func(body string) sealed { return sealed{secrets: one, body: []byte(body)} }

	// Cookies that open (converted from the former vectors.json).
	str := g.ok("open/ok/string", "3", "a JSON string", s(`"hello"`), opts{})
	obj := g.ok("open/ok/object", "3", "a JSON object", s(`{"email":"ada@example.org","roles":["admin"],"user_id":42}`), opts{})
	g.ok("open/ok/empty-name", "3", "an empty cookie name: AD ends with u32be(0)", sealed{secrets: one, name: ptr(""), body: []byte(`true`)}, opts{})
	g.ok("open/ok/utf-8-name", "3", "a cookie name with a non-ASCII character: its UTF-8 bytes are in the AD", sealed{secrets: one, name: ptr("sessión"), body: []byte(`[1,2,3]`)}, opts{})
	g.ok("open/ok/first-of-two", "1.3", "sealed by the first of two secrets", sealed{secrets: vectorSecrets[1:], body: []byte(`"rotated"`)}, opts{})
	g.ok("open/ok/second-of-two", "4.4", "sealed by the second secret of the ring (a key being rotated out): every secret opens; seal with the secret whose key ID is key_id", sealed{secrets: []string{vectorSecrets[2], vectorSecrets[0]}, by: 1, body: []byte(`"old key"`)}, opts{})
	cart := mustJSON(t, vectorCart(30))
	cartCase := g.ok("open/ok/compressed-cart", "5.2", "a 2.7 KB cart, raw DEFLATE (flag 0x01)", sealed{secrets: one, name: ptr("cart"), flags: flagDeflate, body: deflate(nil, cart)}, opts{})
	vals, err := appendMap(nil, map[any]any{"count": 41, "name": "ada", "admin": true, "ratio": 0.5, "big": int64(1) << 40, 7: "int key", "flashes": []any{"saved"}, "tags": []string{"a", "b"}})
	require.NoError(t, err)
	g.ok("open/ok/session-values", "6", "gorilla session values (flag 0x02), opened as values", sealed{secrets: one, name: ptr("app"), flags: flagTyped, body: vals}, opts{openAs: "values"})
	g.ok("open/ok/session-values-as-json", "4.10", "gorilla session values opened as plain JSON: the payload as sealed", sealed{secrets: one, name: ptr("app"), flags: flagTyped, body: vals}, opts{})
	small := g.ok("open/ok/smallest", "2.3", "the smallest cookie that opens: 55 bytes, payload 0", s(`0`), opts{})
	require.Len(t, rawBytes(t, *small.Cookie), 55)

	// 4.1 Size limit, before anything else.
	full := len("session") + 1 + len(*obj.Cookie)
	g.ok("open/size/at-max-length", "4.1", "name + 1 + value is exactly max_length", s(`{"email":"ada@example.org","roles":["admin"],"user_id":42}`), opts{maxLength: ptr(full)})
	g.fail("open/size/over-max-length", "4.1", "name + 1 + value is max_length + 1", s(`{"email":"ada@example.org","roles":["admin"],"user_id":42}`), opts{maxLength: ptr(full - 1)}, "too_large")
	g.raw("open/size/over-default-max-length", "4.1", "4097 bytes with the name under the default 4096", one, "session", strings.Repeat("A", 4096-len("session=")+1), opts{}, "too_large")
	g.raw("open/size/at-default-max-length-is-checked-further", "4.1", "exactly 4096 bytes with the name passes the size check and fails later (not a cookie)", one, "session", strings.Repeat("A", 4096-len("session=")), opts{}, "invalid")
	g.raw("open/size/before-base64", "4.1", "over the limit and not base64url: too large wins", one, "session", strings.Repeat("=", 4096), opts{}, "too_large")
	g.raw("open/size/name-counts", "4.1", "a long name pushes a short value over the limit", one, strings.Repeat("n", 4096-len(*str.Cookie)), *str.Cookie, opts{}, "too_large")

	// 4.2 base64url.
	sc := *str.Cookie
	g.raw("open/base64/padding", "4.2", "'=' padding", one, "session", sc+"==", opts{}, "invalid")
	g.raw("open/base64/crlf", "4.2", "a CR LF inside", one, "session", sc[:20]+"\r\n"+sc[20:], opts{}, "invalid")
	g.raw("open/base64/lf", "4.2", "an LF at the end", one, "session", sc+"\n", opts{}, "invalid")
	g.raw("open/base64/space", "4.2", "a space inside", one, "session", sc[:20]+" "+sc[20:], opts{}, "invalid")
	g.raw("open/base64/standard-alphabet", "4.2", "'+' and '/' of the standard alphabet", one, "session", strings.NewReplacer("-", "+", "_", "/").Replace(*obj.Cookie+"-_"), opts{}, "invalid")
	g.raw("open/base64/empty", "4.2", "an empty value", one, "session", "", opts{}, "invalid")
	g.raw("open/base64/one-mod-four", "4.2", "a length of 1 mod 4", one, "session", strings.Repeat("A", 73), opts{}, "invalid")
	// Non-canonical trailing bits: 55 bytes end in 2 characters (4 unused
	// bits), 56 bytes in 3 (2 unused bits).
	c55 := *small.Cookie
	require.Equal(t, 2, len(c55)%4)
	g.raw("open/base64/trailing-bits-2", "4.2", "the smallest cookie with a non-zero unused bit in its last character (2-character group)", one, "session", c55[:len(c55)-1]+nextChar(c55[len(c55)-1]), opts{}, "invalid")
	c56 := g.ok("open/ok/56-bytes", "2.3", "a 56-byte cookie, whose base64url ends in a 3-character group", s(`10`), opts{})
	require.Equal(t, 3, len(*c56.Cookie)%4)
	g.raw("open/base64/trailing-bits-3", "4.2", "a 56-byte cookie with a non-zero unused bit in its last character (3-character group)", one, "session", (*c56.Cookie)[:len(*c56.Cookie)-1]+nextChar((*c56.Cookie)[len(*c56.Cookie)-1]), opts{}, "invalid")

	// 4.3 Header: size, version, flags.
	g.raw("open/header/53-bytes", "4.3", "53 bytes, one short of the minimum", one, "session", b64(rawBytes(t, *obj.Cookie)[:53]), opts{}, "invalid")
	g.raw("open/header/53-bytes-unknown-key", "4.3", "53 bytes naming a key that is not in the ring: the length is checked before the key", vectorSecrets[1:2], "session", b64(rawBytes(t, *obj.Cookie)[:53]), opts{}, "invalid")
	g.fail("open/header/54-bytes-empty-payload", "4.9", "54 bytes, authentic, with an empty payload: not JSON", s(``), opts{}, "invalid")
	g.fail("open/header/version-0", "4.3", "version byte 0, authentic under that header", sealed{secrets: one, version: ptr(byte(0)), body: []byte(`"v"`)}, opts{}, "invalid")
	g.fail("open/header/version-2", "4.3", "version byte 2, authentic under that header", sealed{secrets: one, version: ptr(byte(2)), body: []byte(`"v"`)}, opts{}, "invalid")
	g.fail("open/header/version-2-unknown-key", "4.3", "version 2 and a key ID not in the ring: the version is checked first", sealed{secrets: one, version: ptr(byte(2)), keyID: ptr(uint32(0xdeadbeef)), body: []byte(`"v"`)}, opts{}, "invalid")
	for bit := 4; bit < 8; bit++ {
		g.fail(fmt.Sprintf("open/flags/bit-%d", bit), "2.2", fmt.Sprintf("an authentic cookie with flag bit %d (0x%02x) set", bit, 1<<bit), sealed{secrets: one, flags: 1 << bit, body: []byte(`"v"`)}, opts{}, "invalid")
	}
	g.fail("open/flags/unknown-bit-unknown-key", "4.3", "flag bit 7 and a key ID not in the ring: flags are checked before the key", sealed{secrets: one, flags: 0x80, keyID: ptr(uint32(0xdeadbeef)), body: []byte(`"v"`)}, opts{}, "invalid")

	// 4.4 Key lookup.
	g.raw("open/key/not-in-ring", "4.4", "sealed by a key that is not in the ring", vectorSecrets[1:2], "session", *obj.Cookie, opts{}, "unknown_key")
	g.raw("open/key/removed-after-rotation", "4.4", "the ring no longer has the sealing key", vectorSecrets[1:], "session", *obj.Cookie, opts{}, "unknown_key")
	id1, _, _ := deriveKey(vectorSecrets[1])
	g.fail("open/key/other-ring-member-id", "4.5", "the header names another key of the ring, whose key does not open it", sealed{secrets: vectorSecrets[:2], keyID: ptr(uint32(id1)), body: []byte(`"v"`)}, opts{}, "invalid")

	// 4.5 Authentication: everything in the AD and the ciphertext.
	oc := rawBytes(t, *obj.Cookie)
	flip := func(i int) string { b := bytes.Clone(oc); b[i] ^= 1; return b64(b) }
	g.raw("open/aead/other-name", "4.5", "opened under another cookie name (case differs)", one, "Session", *obj.Cookie, opts{}, "invalid")
	g.raw("open/aead/name-prefix", "4.5", "opened under a prefix of its name", one, "sessio", *obj.Cookie, opts{}, "invalid")
	g.raw("open/aead/tag-bit", "4.5", "a flipped bit in the tag", one, "session", flip(len(oc)-1), opts{}, "invalid")
	g.raw("open/aead/ciphertext-bit", "4.5", "a flipped bit in the ciphertext", one, "session", flip(overhead-tagSize+2), opts{}, "invalid")
	g.raw("open/aead/nonce-bit", "4.5", "a flipped bit in the nonce", one, "session", flip(headerSize+3), opts{}, "invalid")
	g.raw("open/aead/issued-at-bit", "4.5", "a flipped bit in the encrypted issued-at", one, "session", flip(headerSize+nonceSize), opts{}, "invalid")
	g.raw("open/aead/typed-flag-set", "4.5", "flag 0x02 set on an untyped cookie: the flags are authenticated", one, "session", func() string { b := bytes.Clone(oc); b[5] |= flagTyped; return b64(b) }(), opts{}, "invalid")
	cartCookie := rawBytes(t, *cartCase.Cookie)
	g.raw("open/aead/deflate-flag-cleared", "4.5", "flag 0x01 cleared on a compressed cookie", one, "cart", func() string { b := bytes.Clone(cartCookie); b[5] &^= flagDeflate; return b64(b) }(), opts{}, "invalid")
	g.raw("open/aead/truncated", "4.5", "the last character removed", one, "session", (*obj.Cookie)[:len(*obj.Cookie)-1], opts{}, "invalid")
	g.raw("open/aead/extended", "4.5", "an extra byte appended", one, "session", b64(append(bytes.Clone(oc), 0)), opts{}, "invalid")

	// 4.6 and 4.7 Times.
	const day = 86400
	g.ok("open/time/skew-60", "4.7", "issued_at is now + 60: within the clock skew", sealed{secrets: one, issued: vectorNow + 60, body: []byte(`"v"`)}, opts{})
	g.fail("open/time/skew-61", "4.7", "issued_at is now + 61: beyond the clock skew", sealed{secrets: one, issued: vectorNow + 61, body: []byte(`"v"`)}, opts{}, "invalid")
	g.ok("open/time/at-max-age", "4.7", "now - issued_at is exactly max_age", s(`"v"`), opts{now: vectorNow + 3600, maxAge: ptr(int64(3600))})
	g.fail("open/time/max-age-plus-1", "4.7", "now - issued_at is max_age + 1", s(`"v"`), opts{now: vectorNow + 3601, maxAge: ptr(int64(3600))}, "expired")
	g.ok("open/time/at-default-max-age", "4.7", "now - issued_at is exactly the default max_age, 86400", s(`"v"`), opts{now: vectorNow + day})
	g.fail("open/time/default-max-age-plus-1", "4.7", "now - issued_at is 86401 under the default max_age", s(`"v"`), opts{now: vectorNow + day + 1}, "expired")
	g.ok("open/time/negative-issued-at", "4.6", "issued_at is -1 (a signed 64-bit integer), now is 0", sealed{secrets: one, issued: -1, body: []byte(`"v"`)}, opts{now: 1})
	g.fail("open/time/max-int64", "4.7", "issued_at is 2^63-1: far in the future, no overflow", sealed{secrets: one, issued: math.MaxInt64, body: []byte(`"v"`)}, opts{}, "invalid")
	g.fail("open/time/min-int64", "4.7", "issued_at is -2^63: long expired, no overflow", sealed{secrets: one, issued: math.MinInt64, body: []byte(`"v"`)}, opts{}, "expired")
	g.fail("open/time/min-int64-large-max-age", "4.7", "issued_at is -2^63 under a max_age of 2^33 s: still expired, no overflow", sealed{secrets: one, issued: math.MinInt64, body: []byte(`"v"`)}, opts{maxAge: ptr(int64(1) << 33)}, "expired")
	g.fail("open/time/expired-before-payload", "4.7", "expired, with a payload that is not JSON: the age is checked first", s(`not json`), opts{now: vectorNow + day + 1}, "expired")
	g.fail("open/time/expired-before-inflate", "4.7", "expired, with a corrupt DEFLATE body: the age is checked first", sealed{secrets: one, flags: flagDeflate, body: []byte{0x07}}, opts{now: vectorNow + day + 1}, "expired")
	g.fail("open/time/future-before-size", "4.7", "beyond the skew, with a payload over max_payload: the time is checked first", sealed{secrets: one, issued: vectorNow + 61, body: []byte(`"` + strings.Repeat("a", 70) + `"`)}, opts{maxPayload: ptr(64)}, "invalid")

	// 4.6 and 4.7 with flag 0x04: created-at and max_lifetime.
	const hour = 3600
	g.ok("open/created/before-issued", "4.6", "flag 0x04: created_at an hour before issued_at (a refreshed session)", sealed{secrets: one, flags: flagCreated, created: vectorNow - hour, body: []byte(`"v"`)}, opts{})
	g.ok("open/created/equal-to-issued", "4.6", "flag 0x04 with created_at equal to issued_at: accepted (a sealer leaves the flag out then)", sealed{secrets: one, flags: flagCreated, created: vectorNow, body: []byte(`"v"`)}, opts{})
	g.ok("open/created/with-deflate-and-typed", "4.6", "flags 0x07: created-at, then a DEFLATE body of session values", sealed{secrets: one, flags: flagCreated | flagDeflate | flagTyped, created: vectorNow - hour, body: deflate(nil, []byte(`{"map":{"n":1}}`))}, opts{openAs: "values"})
	g.fail("open/created/after-issued", "4.6", "flag 0x04 with created_at one second after issued_at", sealed{secrets: one, flags: flagCreated, created: vectorNow + 1, body: []byte(`"v"`)}, opts{}, "invalid")
	g.fail("open/created/missing", "4.6", "flag 0x04 with 15 plaintext bytes: no room for created_at", sealed{secrets: one, body: []byte("1234567")}.withFlags(flagCreated), opts{}, "invalid")
	g.fail("open/created/16-bytes-no-body", "4.6", "flag 0x04 with exactly 16 plaintext bytes: the created_at is there, the empty payload is not JSON", sealed{secrets: one, flags: flagCreated, created: vectorNow - hour, body: []byte{}}, opts{}, "invalid")
	g.fail("open/created/16-bytes-expired-first", "4.7", "flag 0x04 with exactly 16 plaintext bytes and created_at past max_lifetime: step 7 fails before the empty payload is looked at", sealed{secrets: one, flags: flagCreated, created: vectorNow - 2*hour - 1, body: []byte{}}, opts{maxLifetime: ptr(int64(2 * hour))}, "expired")
	g.ok("open/lifetime/at-max-lifetime", "4.7", "now - created_at is exactly max_lifetime", sealed{secrets: one, flags: flagCreated, created: vectorNow - 2*hour, body: []byte(`"v"`)}, opts{maxLifetime: ptr(int64(2 * hour))})
	g.fail("open/lifetime/max-lifetime-plus-1", "4.7", "now - created_at is max_lifetime + 1, well within max_age", sealed{secrets: one, flags: flagCreated, created: vectorNow - 2*hour - 1, body: []byte(`"v"`)}, opts{maxLifetime: ptr(int64(2 * hour))}, "expired")
	g.fail("open/lifetime/from-issued-without-flag", "4.7", "no flag 0x04: max_lifetime counts from issued_at", s(`"v"`), opts{now: vectorNow + 2*hour + 1, maxLifetime: ptr(int64(2 * hour))}, "expired")
	g.ok("open/lifetime/none-by-default", "4.7", "created_at ten years ago and no max_lifetime: only max_age applies", sealed{secrets: one, flags: flagCreated, created: vectorNow - 10*365*86400, body: []byte(`"v"`)}, opts{})
	g.ok("open/created/min-int64", "4.6", "created_at is -2^63 and no max_lifetime: it opens, and created_at is reported exactly (JavaScript: as a bigint)", sealed{secrets: one, flags: flagCreated, created: math.MinInt64, body: []byte(`"v"`)}, opts{})
	g.fail("open/lifetime/min-int64", "4.7", "created_at is -2^63 under a max_lifetime: expired, no overflow", sealed{secrets: one, flags: flagCreated, created: math.MinInt64, body: []byte(`"v"`)}, opts{maxLifetime: ptr(int64(hour))}, "expired")

	g.ok("open/lifetime/zero-is-none", "4", "max_lifetime 0 means no maximum lifetime (as absent): a session created ten years ago opens", sealed{secrets: one, flags: flagCreated, created: vectorNow - 10*365*86400, body: []byte(`"v"`)}, opts{maxLifetime: ptr(int64(0))})

	// 4.6 with flag 0x08: the session identity after the times.
	sid := func(b byte) []byte { return bytes.Repeat([]byte{b}, sessionIDSize) }
	g.ok("open/identity/session-id", "4.6", "flag 0x08: a session ID and no subject (length 0)", sealed{secrets: one, flags: flagIdentity, sid: sid(0xa5), body: []byte(`"v"`)}, opts{})
	g.ok("open/identity/subject", "4.6", "flag 0x08: a session ID and the subject user-42", sealed{secrets: one, flags: flagIdentity, sid: sid(0x3c), subject: "user-42", body: []byte(`{"cart":[1,2]}`)}, opts{openAs: "values"})
	g.ok("open/identity/subject-255-bytes", "4.6", "flag 0x08: a subject of 255 bytes of UTF-8 (two-byte characters and one ASCII), the longest", sealed{secrets: one, flags: flagIdentity, sid: sid(0x01), subject: strings.Repeat("é", 127) + "x", body: []byte(`"v"`)}, opts{})
	g.ok("open/identity/with-created-deflate-typed", "4.6", "flags 0x0f: created-at, identity, then a DEFLATE body of session values", sealed{secrets: one, flags: flagCreated | flagIdentity | flagDeflate | flagTyped, created: vectorNow - hour, sid: sid(0x77), subject: "alice@example.com", body: deflate(nil, []byte(`{"map":{"n":1}}`))}, opts{openAs: "values"})
	g.fail("open/identity/no-length-byte", "4.6", "flag 0x08 with 16 bytes after the times: the subject length is missing", sealed{secrets: one, flags: flagIdentity, identRaw: sid(0x10)}, opts{}, "invalid")
	g.fail("open/identity/subject-overruns", "4.6", "flag 0x08 with a subject length of 9 and 8 bytes left", sealed{secrets: one, flags: flagIdentity, identRaw: append(sid(0x11), 9, 'a', 'b', 'c', 'd', 'e', 'f', 'g', 'h')}, opts{}, "invalid")
	g.fail("open/identity/subject-not-utf8", "4.6", "flag 0x08 with a subject that is not UTF-8 (0xff)", sealed{secrets: one, flags: flagIdentity, identRaw: append(sid(0x12), 2, 'a', 0xff), body: []byte(`"v"`)}, opts{}, "invalid")
	g.fail("open/identity/no-body", "4.9", "flag 0x08 with a complete identity and an empty payload: not JSON", sealed{secrets: one, flags: flagIdentity, sid: sid(0x13), subject: "u"}, opts{}, "invalid")
	g.fail("open/identity/malformed-before-age", "4.6", "flag 0x08 with no room for the identity, and expired: the identity is read in step 6, before the age", sealed{secrets: one, flags: flagIdentity, identRaw: []byte{}, body: []byte(`"v"`)}, opts{now: vectorNow + day + 1}, "invalid")
	g.fail("open/identity/expired", "4.7", "flag 0x08 with a well-formed identity, expired", sealed{secrets: one, flags: flagIdentity, sid: sid(0x14), subject: "u", body: []byte(`"v"`)}, opts{now: vectorNow + day + 1}, "expired")
	g.write("open.json")
}

// withFlags sets flags without the fields they imply, for malformed cases.
func (s sealed) withFlags(f byte) sealed { s.flags, s.rawFlags = f, true; return s }

func genPayload(t *testing.T) {
	g := newConfGen(t, "Payload size cap and compression (SPEC.md sections 4.8, 5.1, 5.2). DEFLATE bodies are hand-made stored blocks or Go's writer's bytes; seal.body carries them.")
	one := vectorSecrets[:1]
	str := func(n int) string { return `"` + strings.Repeat("a", n-2) + `"` } // a JSON string of n bytes

	g.ok("payload/plain-at-max-payload", "5.1", "an uncompressed payload of exactly max_payload (64) bytes", sealed{secrets: one, body: []byte(str(64))}, opts{maxPayload: ptr(64)})
	g.fail("payload/plain-over-max-payload", "5.1", "an uncompressed payload of max_payload + 1 bytes", sealed{secrets: one, body: []byte(str(65))}, opts{maxPayload: ptr(64)}, "too_large")
	g.ok("payload/deflate-at-default-cap", "5.1", "DEFLATE inflating to exactly 65536 bytes, the default max_payload", sealed{secrets: one, flags: flagDeflate, body: deflate(nil, []byte(str(65536)))}, opts{})
	g.fail("payload/deflate-over-default-cap", "5.1", "DEFLATE inflating to 65537 bytes under the default max_payload", sealed{secrets: one, flags: flagDeflate, body: deflate(nil, []byte(str(65537)))}, opts{}, "too_large")
	g.ok("payload/deflate-at-max-payload", "5.1", "DEFLATE inflating to exactly max_payload (64) bytes", sealed{secrets: one, flags: flagDeflate, body: deflate(nil, []byte(str(64)))}, opts{maxPayload: ptr(64)})
	g.fail("payload/deflate-over-max-payload", "5.1", "DEFLATE inflating to max_payload + 1 bytes", sealed{secrets: one, flags: flagDeflate, body: deflate(nil, []byte(str(65)))}, opts{maxPayload: ptr(64)}, "too_large")
	g.ok("payload/deflate-small", "5.2", "a 3-byte payload compressed: openers accept DEFLATE whatever the size", sealed{secrets: one, flags: flagDeflate, body: deflate(nil, []byte(`"v"`))}, opts{})
	g.ok("payload/stored-block", "5.2", "one final stored block (BTYPE 00), hand-made", sealed{secrets: one, flags: flagDeflate, body: storedBlock(true, []byte(`{"a":1}`))}, opts{})
	g.ok("payload/two-stored-blocks", "5.2", "a non-final stored block, then a final one", sealed{secrets: one, flags: flagDeflate, body: append(storedBlock(false, []byte(`{"a":`)), storedBlock(true, []byte(`1}`))...)}, opts{})
	g.ok("payload/fixed-huffman", "5.2", "one final block with fixed Huffman codes (BTYPE 01), hand-made: the empty-string payload \"\"", sealed{secrets: one, flags: flagDeflate, body: fixedHuffmanQuotes()}, opts{})
	g.ok("payload/typed-deflate", "5.2", "session values, compressed (flags 0x03)", sealed{secrets: one, flags: flagDeflate | flagTyped, body: deflate(nil, []byte(`{"map":{"a":{"bytes":"AAE="}}}`))}, opts{openAs: "values"})

	cart := deflate(nil, mustJSON(t, vectorCart(5)))
	g.fail("payload/deflate-truncated", "5.2", "a DEFLATE stream missing its last byte", sealed{secrets: one, flags: flagDeflate, body: cart[:len(cart)-1]}, opts{}, "invalid")
	g.fail("payload/deflate-truncated-half", "5.2", "a DEFLATE stream cut in half", sealed{secrets: one, flags: flagDeflate, body: cart[:len(cart)/2]}, opts{}, "invalid")
	g.fail("payload/deflate-empty", "5.2", "flag 0x01 with an empty body: a truncated stream", sealed{secrets: one, flags: flagDeflate, body: nil}, opts{}, "invalid")
	g.fail("payload/deflate-non-final-only", "5.2", "a non-final stored block and nothing after it", sealed{secrets: one, flags: flagDeflate, body: storedBlock(false, []byte(`"v"`))}, opts{}, "invalid")
	g.fail("payload/deflate-trailing-byte", "5.2", "one zero byte after the final block", sealed{secrets: one, flags: flagDeflate, body: append(storedBlock(true, []byte(`"v"`)), 0)}, opts{}, "invalid")
	g.fail("payload/deflate-trailing-stream", "5.2", "a second complete stream after the final block", sealed{secrets: one, flags: flagDeflate, body: append(storedBlock(true, []byte(`"v"`)), storedBlock(true, []byte(` `))...)}, opts{}, "invalid")
	g.fail("payload/deflate-block-type-3", "5.2", "a block of the reserved type 11: corrupt", sealed{secrets: one, flags: flagDeflate, body: []byte{0x07, 0, 0}}, opts{}, "invalid")
	g.fail("payload/deflate-bad-nlen", "5.2", "a stored block whose NLEN is not the complement of LEN: corrupt", sealed{secrets: one, flags: flagDeflate, body: func() []byte { b := storedBlock(true, []byte(`"v"`)); b[3] ^= 1; return b }()}, opts{}, "invalid")
	g.fail("payload/deflate-not-deflate", "5.2", "flag 0x01 on a plain JSON payload", sealed{secrets: one, flags: flagDeflate, body: []byte(`{"a":1}`)}, opts{}, "invalid")
	g.fail("payload/deflate-inflates-to-nothing", "4.9", "a valid stream of no bytes: an empty payload is not JSON", sealed{secrets: one, flags: flagDeflate, body: storedBlock(true, nil)}, opts{}, "invalid")
	over := storedBlock(false, []byte(str(70)))
	g.fail("payload/cap-before-truncation", "5.2", "a stream that produces 70 bytes under max_payload 64, then ends without a final block: too large wins", sealed{secrets: one, flags: flagDeflate, body: over}, opts{maxPayload: ptr(64)}, "too_large")
	g.fail("payload/cap-before-corruption", "5.2", "a stream that produces 70 bytes under max_payload 64, then a corrupt block: too large wins", sealed{secrets: one, flags: flagDeflate, body: append(bytes.Clone(over), 0x07)}, opts{maxPayload: ptr(64)}, "too_large")
	exact := storedBlock(false, []byte(str(65)))
	g.fail("payload/cap-exactly-then-corruption", "5.2", "a stored block of exactly max_payload + 1 (65) bytes, then a corrupt block: too large wins", sealed{secrets: one, flags: flagDeflate, body: append(bytes.Clone(exact), 0x07)}, opts{maxPayload: ptr(64)}, "too_large")
	lits := func(s string) []int {
		var o []int
		for i := 0; i < len(s); i++ {
			o = append(o, int(s[i]))
		}
		return o
	}
	badCode := fixedBlock(true, append(lits(str(65)), 286), true)
	g.fail("payload/cap-then-invalid-code", "5.2", "a fixed-Huffman block of 65 literals, then the invalid length symbol 286, under max_payload 64: too large wins", sealed{secrets: one, flags: flagDeflate, body: badCode}, opts{maxPayload: ptr(64)}, "too_large")
	g.fail("payload/invalid-code-at-cap", "5.2", "the same stream under max_payload 65: the invalid symbol 286 is met first", sealed{secrets: one, flags: flagDeflate, body: badCode}, opts{maxPayload: ptr(65)}, "invalid")
	g.fail("payload/corruption-before-cap", "5.2", "a corrupt block after 10 bytes, in a stream that would later pass max_payload: invalid", sealed{secrets: one, flags: flagDeflate, body: append(storedBlock(false, []byte(`"aaaaaaaa"`)), 0x07)}, opts{maxPayload: ptr(64)}, "invalid")
	deflateCorners(g)
	g.write("payload.json")
}

func genJSON(t *testing.T) {
	g := newConfGen(t, "Strict JSON (SPEC.md sections 4.9-4.11 and 5.3): every payload is checked on every path. Authentic uncompressed cookies.")
	one := vectorSecrets[:1]
	for _, tc := range strictJSONCases {
		if len(tc.json) > DefaultMaxPayload {
			continue // a unit test only
		}
		id := "json/" + slug(tc.name)
		s := sealed{secrets: one, body: []byte(tc.json)}
		o := opts{}
		if n := len("session=") + base64Len(overhead+len(tc.json)); n > DefaultMaxLength {
			o.maxLength = ptr(n)
		}
		if tc.ok {
			g.ok(id, "5.3", "strict JSON: "+tc.name, s, o)
		} else {
			g.fail(id, "5.3", "not strict JSON: "+tc.name, s, o, "invalid")
		}
	}
	// 4.10: a typed payload is checked as typed values on every path.
	for _, tc := range []struct{ id, desc, payload string }{
		{"bare-float", "a bare non-integer number in typed values", `{"map":{"n":1.5}}`},
		{"int8-300", "int8 300, out of range", `{"map":{"n":{"int8":300}}}`},
		{"not-a-map-tag", "a typed payload that is an object tag, not a map tag", `{"object":{"a":1}}`},
		{"unknown-tag", "an unknown tag", `{"map":{"t":{"nope":1}}}`},
		{"two-members", "a tag object with two members", `{"map":{"a":1},"x":1}`},
	} {
		for _, as := range []string{"json", "values"} {
			g.fail("json/typed-as-"+as+"/"+tc.id, "4.10", "typed values, opened as "+as+": "+tc.desc, sealed{secrets: one, flags: flagTyped, body: []byte(tc.payload)}, opts{openAs: as}, "invalid")
		}
	}
	// 4.11: names that differ only in case are two members everywhere;
	// a Go struct refuses them (errors_content_test.go).
	for _, as := range []string{"json", "values"} {
		g.ok("json/case-folded-names-as-"+as, "4.11", "member names that differ only in case (role, ROLE) and by Unicode folding (k, U+212A KELVIN SIGN) are different members, opened as "+as+"; a destination that matches names case-insensitively (a Go struct) refuses the payload as invalid rather than keep one",
			sealed{secrets: one, body: []byte(`{"role":"user","ROLE":"admin","k":1,"K":2}`)}, opts{openAs: as})
	}
	g.ok("json/negative-zero-as-values", "3.2", "plain JSON -0 and -0.0: openers return them as sealed; a sealer writing a negative zero from a native number keeps its sign",
		sealed{secrets: one, body: []byte(`{"z":-0,"f":-0.0}`)}, opts{openAs: "values"})
	// 4.11: a plain payload opened as session values must be an object.
	g.ok("json/plain-as-values/object", "4.11", "a plain JSON object opened as session values: integers become int, other numbers float64", sealed{secrets: one, body: []byte(`{"n":1,"x":1.5,"s":"v","l":[1,2.5]}`)}, opts{openAs: "values"})
	for _, p := range []struct{ id, payload string }{{"array", `[1]`}, {"string", `"v"`}, {"null", `null`}, {"number", `1`}} {
		g.fail("json/plain-as-values/"+p.id, "4.11", "a plain JSON "+p.id+" opened as session values: not an object", sealed{secrets: one, body: []byte(p.payload)}, opts{openAs: "values"}, "invalid")
	}
	g.write("json.json")
}

func base64Len(n int) int { return (n*8 + 5) / 6 }

// nextChar is the base64url character after c, to set a low unused bit.
func nextChar(c byte) string {
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
	return string(alphabet[(strings.IndexByte(alphabet, c)+1)%64])
}

// storedBlock is one DEFLATE stored block (RFC 1951 3.2.4) holding data.
func storedBlock(final bool, data []byte) []byte {
	b := byte(0)
	if final {
		b = 1
	}
	out := []byte{b}
	out = binary.LittleEndian.AppendUint16(out, uint16(len(data)))
	out = binary.LittleEndian.AppendUint16(out, ^uint16(len(data)))
	return append(out, data...)
}

// fixedHuffmanQuotes is a final fixed-Huffman block holding `""`.
func fixedHuffmanQuotes() []byte {
	// Literal 0x22 is code 0x30+0x22 = 0x52 (8 bits); end of block is
	// 0000000 (7 bits). Bits are packed LSB first, Huffman codes MSB first.
	var bits []byte
	put := func(v uint, n int, msbFirst bool) {
		for i := 0; i < n; i++ {
			if msbFirst {
				bits = append(bits, byte(v>>(n-1-i))&1)
			} else {
				bits = append(bits, byte(v>>i)&1)
			}
		}
	}
	put(1, 1, false) // BFINAL
	put(1, 2, false) // BTYPE 01
	put(0x52, 8, true)
	put(0x52, 8, true)
	put(0, 7, true)
	out := make([]byte, (len(bits)+7)/8)
	for i, b := range bits {
		out[i/8] |= b << (i % 8)
	}
	return out
}

func mustJSON(t *testing.T, v any) []byte {
	b, err := json.Marshal(v)
	require.NoError(t, err)
	return b
}

type vectorCartItem struct {
	SKU   string  `json:"sku"`
	Name  string  `json:"name"`
	Qty   int     `json:"qty"`
	Price float64 `json:"price"`
}

func vectorCart(n int) []vectorCartItem {
	items := make([]vectorCartItem, n)
	for i := range items {
		items[i] = vectorCartItem{SKU: fmt.Sprintf("SKU-%06d", 100000+i*37), Name: fmt.Sprintf("Item number %d, blue", i), Qty: 1 + i%4, Price: 9.99 + float64(i)}
	}
	return items
}

// TestConformanceUpToDate regenerates the suite into a temporary folder and
// compares it with testdata: a generator changed without -update (or a
// change in what Go's encoders write) shows here.
func TestConformanceUpToDate(t *testing.T) {
	if *update {
		t.Skip("TestConformance -update rewrites the files")
	}
	dir := t.TempDir()
	confOutDir = dir
	defer func() { confOutDir = conformanceDir }()
	writeConformance(t)
	for _, name := range generatedFiles {
		want, err := os.ReadFile(filepath.Join(dir, name))
		require.NoError(t, err)
		got, err := os.ReadFile(filepath.Join(conformanceDir, name))
		require.NoError(t, err)
		if !bytes.Equal(got, want) {
			t.Errorf("%s differs from what the generator writes: run go test -run TestConformance -update . and review the diff", name)
		}
	}
}

// sealConformanceRaw seals u64be(issued) || body under any flags, with no
// created-at whatever the flags say.
func sealConformanceRaw(t testing.TB, secret, name string, version, flags byte, issued int64, nonce, body []byte) string {
	pt := append(binary.BigEndian.AppendUint64(nil, uint64(issued)), body...)
	return sealPlaintext(t, secret, name, version, nil, flags, nonce, pt)
}
