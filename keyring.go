package cookieseal

import (
	"crypto/cipher"
	"crypto/sha256"
	"errors"
	"fmt"
	"sync/atomic"
	"time"
	"unicode/utf8"
)

// MinSecretSize is the shortest secret New and SetSecrets accept, in bytes.
// HKDF cannot add entropy to a weak secret; use [GenerateSecret].
const MinSecretSize = 32 // bytes

// KeyID names the key a cookie was sealed with. It is derived from the
// secret by HKDF, travels in the clear, and reveals nothing about the secret.
type KeyID uint32

// String returns the key ID as eight lowercase hex digits.
func (id KeyID) String() string { return fmt.Sprintf("%08x", uint32(id)) }

// key is one derived key of a keyring, with its usage counters.
type key struct {
	id   KeyID
	aead cipher.AEAD
	sum  [sha256.Size]byte // identifies the secret across SetSecrets without keeping it

	opened     atomic.Uint64 // cookies this key opened successfully
	lastOpened atomic.Int64  // Unix nanoseconds of the last one, 0 if never
	sealed     atomic.Uint64 // cookies this key sealed
	lastSealed atomic.Int64  // Unix nanoseconds of the last one, 0 if never
	demoted    atomic.Int64  // Unix nanoseconds when it last stopped sealing, 0 if never
}

// keyring is an immutable list of keys: keys[0] seals, every key opens.
type keyring struct {
	keys []*key
}

// lookup returns the key with this ID, or nil. Rings are short, so a linear
// scan beats a map and costs the same for a hit and a miss.
func (r *keyring) lookup(id KeyID) *key {
	for _, k := range r.keys {
		if k.id == id {
			return k
		}
	}
	return nil
}

// errNoSecrets and friends describe a refused secret list; none of them
// quotes a secret.
var errNoSecrets = errors.New("cookieseal: no secrets: Config.Secrets needs at least one (see GenerateSecret)")

// newKeyring validates secrets and derives their keys. Keys whose secret is
// also in prev keep their usage counters.
func newKeyring(secrets []string, prev *keyring) (*keyring, error) {
	if len(secrets) == 0 {
		return nil, errNoSecrets
	}
	r := &keyring{keys: make([]*key, 0, len(secrets))}
	for i, s := range secrets {
		if len(s) < MinSecretSize {
			return nil, fmt.Errorf("cookieseal: secret %d of %d is %d bytes, need at least %d (see GenerateSecret)", i+1, len(secrets), len(s), MinSecretSize)
		}
		if !utf8.ValidString(s) {
			// JS and Python cannot hold such a string (SPEC.md section 1.3):
			// no other implementation could derive its key.
			return nil, fmt.Errorf("cookieseal: secret %d of %d is not valid UTF-8", i+1, len(secrets))
		}
		sum := sha256.Sum256([]byte(s))
		for j, k := range r.keys {
			if k.sum == sum {
				return nil, fmt.Errorf("cookieseal: secrets %d and %d are identical", j+1, i+1)
			}
		}
		id, kb, err := deriveKey(s)
		if err != nil {
			return nil, fmt.Errorf("cookieseal: deriving key %d: %w", i+1, err)
		}
		for j, k := range r.keys {
			if k.id == id {
				return nil, fmt.Errorf("cookieseal: secrets %d and %d derive the same key ID %s; replace one with a new secret", j+1, i+1, id)
			}
		}
		k := prev.find(sum)
		if k == nil {
			a, err := newAEAD(kb)
			if err != nil {
				return nil, fmt.Errorf("cookieseal: key %d: %w", i+1, err)
			}
			k = &key{id: id, aead: a, sum: sum}
		}
		r.keys = append(r.keys, k)
	}
	return r, nil
}

// find returns the key derived from the secret whose SHA-256 is sum, or nil.
func (r *keyring) find(sum [sha256.Size]byte) *key {
	if r == nil {
		return nil
	}
	for _, k := range r.keys {
		if k.sum == sum {
			return k
		}
	}
	return nil
}

// KeyUsage reports how much one key of the ring is used.
type KeyUsage struct {
	ID         KeyID     // the key's ID, as cookies carry it
	Primary    bool      // this key seals new cookies
	Opened     uint64    // cookies it opened since the codec was made
	LastOpened time.Time // zero if it never opened one
	Sealed     uint64    // cookies it sealed since the codec was made
	LastSealed time.Time // zero if it never sealed one here
	// RetireAfter is, for a key that no longer seals, the time after which
	// no cookie this process sealed with it can open: the last time it
	// sealed or stopped sealing here (at least when the codec was made,
	// since another process may have sealed with it until then), plus
	// MaxAge and MaxClockSkew. Zero for the sealing key. Across a fleet,
	// the latest RetireAfter of every process counts; the CLI's "keys"
	// command gives the same from the secrets file's activate= times.
	RetireAfter time.Time
}

// KeyUsage returns the usage of every key in the ring, the sealing key
// first. Counts survive SetSecrets for secrets that stay in the ring; a
// secret removed and added again starts from zero. Only successful decodes
// count. When a key's count stops moving for longer than MaxAge, its secret
// can go.
func (c *Codec) KeyUsage() []KeyUsage {
	r := c.ring.Load()
	out := make([]KeyUsage, len(r.keys))
	for i, k := range r.keys {
		out[i] = KeyUsage{ID: k.id, Primary: i == 0, Opened: k.opened.Load(), Sealed: k.sealed.Load()}
		if ns := k.lastOpened.Load(); ns != 0 {
			out[i].LastOpened = time.Unix(0, ns)
		}
		if ns := k.lastSealed.Load(); ns != 0 {
			out[i].LastSealed = time.Unix(0, ns)
		}
		if i > 0 {
			last := max(k.lastSealed.Load(), k.demoted.Load(), c.started.UnixNano())
			out[i].RetireAfter = time.Unix(0, last).Add(c.maxAge + MaxClockSkew)
		}
	}
	return out
}

// KeyIDs returns the key IDs of the ring in order; the first one seals.
func (c *Codec) KeyIDs() []KeyID {
	r := c.ring.Load()
	ids := make([]KeyID, len(r.keys))
	for i, k := range r.keys {
		ids[i] = k.id
	}
	return ids
}
