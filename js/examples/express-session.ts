// An Express app with req.session: cookie-session's behaviour, sealed.
import express from 'express'
import { Codec, Cookies, parseSecrets } from 'cookieseal'
import { session, type SessionRequest } from 'cookieseal/express'

type Data = { user?: string; views?: number }
type Req = SessionRequest<Data> & { body: { user?: string } }

export function createApp(secrets = parseSecrets(process.env.COOKIESEAL_SECRETS)) {
  const cookies = new Cookies(new Codec({ secrets }), { hostPrefix: true })
  const app = express()
  app.use(session<Data>({ cookies }))
  app.post('/login', express.urlencoded({ extended: false }), (req: Req, res: any) => {
    // Check the password first; then start a new session (createdAt = now).
    req.cookieseal.regenerate({ user: req.body.user })
    res.redirect(303, '/')
  })
  app.get('/', (req: Req, res: any) => {
    // A status of 400 or more refuses the session: a due refresh is not written.
    if (!req.session?.user) return res.status(401).send('log in')
    req.session.views = (req.session.views ?? 0) + 1 // changed: saved, createdAt kept
    res.send(`${req.session.user}: visit ${req.session.views} since ${req.cookieseal.createdAt?.toISOString()}`)
  })
  app.post('/logout', (req: Req, res: any) => {
    req.session = null // deletes the cookie and its parts
    res.redirect(303, '/')
  })
  return app
}
