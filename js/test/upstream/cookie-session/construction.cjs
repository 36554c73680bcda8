// The construction: cookie-session's options mapped onto cookieseal/express.
// cookie-session's own test file (test.js, v2.1.1) calls this where it
// called require('..'); nothing else in it is changed.
//
// - The session is sealed with a secret generated here (cookieseal's
//   secrets live in its Codec, never in the middleware's options).
// - cookie-session's `keys` (or `secret`), with `signed` not false, turn on
//   the migration option: old cookie-session cookies signed with those keys
//   are opened once and re-sealed, which is what a migrating app configures.
// - `name` is the cookie name. Every other option (httpOnly, overwrite,
//   secure, maxAge) is cookie-session's; cookieseal's attributes are fixed
//   by SESSIONS.md (see excluded.json).
'use strict'
const { Codec, Cookies, generateSecret } = require('cookieseal')
const { session } = require('cookieseal/express')

const secret = generateSecret()

module.exports = function construct (options) {
  const opts = options || {}
  const keys = opts.keys || (opts.secret ? [opts.secret] : undefined)
  const name = opts.name || 'session'
  const cookies = new Cookies(new Codec({ secrets: [secret] }))
  const migrate = keys && opts.signed !== false ? { cookieSession: { name, keys } } : undefined
  return session({ cookies, name, migrate })
}
