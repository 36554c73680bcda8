package cookieseal

import (
	"fmt"
	"time"
)

// WithLifetimes returns a Codec that is c with other MaxAge, RefreshAge and
// MaxLifetime (see Config): it shares c's keyring (SetSecrets on either
// changes both, and both count KeyUsage together) and every other setting,
// the clock included. Session managers use it to map their own settings
// (scs's IdleTimeout and Lifetime, in the session package) onto the codec.
// maxAge must be positive and is rounded up to whole seconds, as New does;
// refreshAge must be at least 0 and less than maxAge; maxLifetime at least
// 0 (0: none).
func (c *Codec) WithLifetimes(maxAge, refreshAge, maxLifetime time.Duration) (*Codec, error) {
	switch {
	case maxAge <= 0:
		return nil, fmt.Errorf("cookieseal: MaxAge %v, want more than 0", maxAge)
	case refreshAge < 0:
		return nil, fmt.Errorf("cookieseal: negative RefreshAge %v", refreshAge)
	case maxLifetime < 0:
		return nil, fmt.Errorf("cookieseal: negative MaxLifetime %v", maxLifetime)
	}
	if frac := maxAge % time.Second; frac != 0 {
		maxAge += time.Second - frac // whole seconds, rounded up
	}
	if refreshAge >= maxAge {
		return nil, fmt.Errorf("cookieseal: RefreshAge %v is not less than MaxAge %v", refreshAge, maxAge)
	}
	cp := *c
	cp.maxAge, cp.refreshAge, cp.maxLifetime = maxAge, refreshAge, maxLifetime
	return &cp, nil
}

// RefreshAge returns the age from which DecodeInfo reports Reissue for a
// cookie, 0 for never on age alone.
func (c *Codec) RefreshAge() time.Duration { return c.refreshAge }
