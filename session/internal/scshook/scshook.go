// Package scshook lets session/scstest, which runs alexedwards/scs's own
// tests of the session manager, build session data the way those tests do:
// they reach inside scs (newSessionData, addSessionDataToContext) rather
// than through a request. It is not for applications, and the session
// package sets it at init.
package scshook

import "context"

// NewContext returns ctx with a session of the manager m (a
// *session.Manager) that holds values, the very map, with the status
// Unmodified, as if it had been read from a cookie.
var NewContext func(m any, ctx context.Context, values map[string]any) context.Context
