// Package ginstore makes a gorillastore.Store a gin-contrib/sessions Store,
// for ginsessions.Sessions and ginsessions.SessionsMany.
package ginstore

import (
	ginsessions "github.com/gin-contrib/sessions"

	"github.com/cookieseal/cookieseal"
	"github.com/cookieseal/cookieseal/gorillastore"
)

// Store is a gorillastore.Store with the Options method that
// gin-contrib/sessions asks of a store. Everything else (MaxAge, MaxLength,
// LegacyScopes, Info, Reissue, the store's gorilla Options as Store.Store.Options) is the
// gorillastore.Store's.
type Store struct {
	*gorillastore.Store
}

var _ ginsessions.Store = (*Store)(nil)

// New returns a Store that seals with codec, with the safe defaults of
// gorillastore.New.
func New(codec *cookieseal.Codec) (*Store, error) {
	s, err := gorillastore.New(codec)
	if err != nil {
		return nil, err
	}
	return &Store{s}, nil
}

// Options replaces the store's cookie attributes with o, as gin-contrib's
// own stores do: every field counts, so pass HttpOnly and Secure (o's zero
// values turn them off; a zero SameSite still means Lax). o.MaxAge is also
// the lifetime the codec accepts, as with gorillastore.Store.MaxAge.
func (s *Store) Options(o ginsessions.Options) {
	s.Store.Options = o.ToGorillaOptions()
}
