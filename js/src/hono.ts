/**
 * cookieseal/hono: a Hono middleware, and withSession for any framework of
 * Web Request and Response (Workers, Deno.serve, Bun.serve, SvelteKit
 * endpoints, Remix loaders). The session is read lazily, and saved into the
 * response's headers after the handler ran, by the lifecycle of
 * src/session.ts (SESSIONS.md S6.7). It imports no node: module, and so runs
 * on Node, Deno, Bun, Workers and edge runtimes.
 *
 *   app.use(session({ cookies }))
 *   app.get('/', (c) => { const s = c.get('session'); s.data!.views = 1; return c.text('hi') })
 */
import type { MiddlewareHandler } from 'hono'
import type { HeaderSink } from './cookies.js'
import { SessionConfig, SessionHandle, type SessionOptions } from './session.js'

export { SessionHandle, type SessionData, type SessionOptions, type Validator, type StandardSchema } from './session.js'
export type { MigrateOptions, CookieSessionMigration, IronSessionMigration } from './migrate.js'

/** The Hono variables the middleware sets: c.get('session'). */
export type SessionEnv<T extends object = Record<string, unknown>> = { Variables: { session: SessionHandle<T> } }

/**
 * Commits a session into a Response's headers, copying the Response first
 * when its headers are immutable (a Response from fetch()).
 */
function commitTo(handle: SessionHandle<any>, res: Response): Response {
  if (!handle.accessed) return res
  try {
    // Throws a TypeError, and changes nothing, when the headers are immutable.
    res.headers.delete('x-cookieseal-probe')
  } catch (e) {
    if (!(e instanceof TypeError)) throw e
    res = new Response(res.body, res)
  }
  handle.commit(res.headers as HeaderSink, res.status)
  return res
}

/**
 * The Hono middleware: c.get('session') is the request's SessionHandle
 * (data, regenerate, destroy, refuse, createdAt...); the session is saved
 * when the handler returns, with the response's status (400 or more refuses
 * the session read).
 */
export function session<T extends object = Record<string, unknown>>(options: SessionOptions<T>): MiddlewareHandler<SessionEnv<T>> {
  const cfg = new SessionConfig<T>(options)
  return async (c, next) => {
    const handle = new SessionHandle<T>(cfg, c.req.raw.headers.get('cookie'))
    c.set('session', handle)
    await next()
    const res = commitTo(handle, c.res)
    if (res !== c.res) c.res = res
  }
}

/**
 * Wraps a fetch handler of Web Request and Response: handler gets the
 * request and its SessionHandle; the session is saved into the Response it
 * returns.
 */
export function withSession<T extends object = Record<string, unknown>>(
  options: SessionOptions<T>,
  handler: (request: Request, session: SessionHandle<T>) => Response | Promise<Response>,
): (request: Request) => Promise<Response> {
  const cfg = new SessionConfig<T>(options)
  return async (request) => {
    const handle = new SessionHandle<T>(cfg, request.headers.get('cookie'))
    return commitTo(handle, await handler(request, handle))
  }
}
