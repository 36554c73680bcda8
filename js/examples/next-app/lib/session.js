// The session options, built on first use (at request time: `next build`
// evaluates modules without the production secrets) and then kept: the
// secrets from the environment (never in code), the __Host- prefix in
// production. COOKIESEAL_INSECURE=1 drops Secure (and so the prefix) for
// plain-http local runs, such as the e2e test on 127.0.0.1.
import { Codec, Cookies, parseSecrets } from 'cookieseal'
import { SessionConfig } from 'cookieseal/next'

let config

export function sessionConfig() {
  if (config) return config
  const insecure = process.env.COOKIESEAL_INSECURE === '1'
  config = new SessionConfig({
    cookies: new Cookies(new Codec({ secrets: parseSecrets(process.env.COOKIESEAL_SECRETS), refreshAge: 3600 }), { hostPrefix: !insecure, insecure }),
    validate: (v) => {
      if (typeof v.user !== 'string') throw new Error('no user')
      return { user: v.user }
    },
  })
  return config
}
