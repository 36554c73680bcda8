package cookieseal

import (
	"fmt"
	"time"
)

// WithMaxAge returns a Codec that is c with another MaxAge: it shares c's
// keyring (SetSecrets on either changes both, and both count KeyUsage
// together) and every other setting. Session stores use it to keep the
// lifetime the codec accepts equal to the Max-Age they give the browser.
// d must be positive and longer than RefreshAge. A d with a fraction of a
// second is rounded up to the next whole second, as New rounds
// Config.MaxAge. When d is c's MaxAge it returns c.
func (c *Codec) WithMaxAge(d time.Duration) (*Codec, error) {
	if frac := d % time.Second; d > 0 && frac != 0 {
		d += time.Second - frac // whole seconds, rounded up
	}
	switch {
	case d <= 0:
		return nil, fmt.Errorf("cookieseal: MaxAge %v, want more than 0", d)
	case c.refreshAge > 0 && c.refreshAge >= d:
		return nil, fmt.Errorf("cookieseal: MaxAge %v is not longer than RefreshAge %v", d, c.refreshAge)
	case d == c.maxAge:
		return c, nil
	}
	cp := *c
	cp.maxAge = d
	return &cp, nil
}
