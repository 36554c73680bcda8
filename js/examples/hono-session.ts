// A Hono app (Node, Deno, Bun, Workers): c.get('session') is the session.
import { Hono } from 'hono'
import { Codec, Cookies } from 'cookieseal'
import { session, type SessionEnv } from 'cookieseal/hono'

type Data = { user?: string }

export function createApp(secrets: string[]) {
  const app = new Hono<SessionEnv<Data>>()
  app.use(session<Data>({ cookies: new Cookies(new Codec({ secrets }), { hostPrefix: true }) }))
  app.post('/login', async (c) => {
    const form = await c.req.formData() // check the password first
    c.get('session').regenerate({ user: String(form.get('user')) })
    return c.redirect('/', 303)
  })
  app.get('/', (c) => {
    const user = c.get('session').data?.user
    return user ? c.text(`hello ${user}`) : c.text('log in', 401)
  })
  app.post('/logout', (c) => {
    c.get('session').destroy()
    return c.redirect('/', 303)
  })
  return app
}
