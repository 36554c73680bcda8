/**
 * cookieseal/express: `req.session` with cookie-session's behaviour, sealed.
 *
 *   app.use(session({ cookies: new Cookies(codec, { hostPrefix: true }) }))
 *   app.get('/', (req, res) => { req.session.views = (req.session.views ?? 0) + 1; res.end() })
 *
 * For Express, Connect and plain node:http (anything with Node's
 * IncomingMessage and ServerResponse). It patches res.writeHead on the one
 * response (as cookie-session's on-headers does) to save the session just
 * before the headers go out. It imports no node: module.
 */
import { cookieHeader, responseHeaders, type NodeRequest, type NodeResponse } from './node.js'
import { SessionConfig, SessionHandle, type SessionData, type SessionOptions } from './session.js'

export { SessionHandle, type SessionData, type SessionOptions, type Validator, type StandardSchema } from './session.js'
export type { MigrateOptions, CookieSessionMigration, IronSessionMigration } from './migrate.js'

/** What the middleware adds to the request. */
export interface SessionRequest<T extends object = Record<string, unknown>> {
  /** The session's values (cookie-session's object): assign to change, null to end it. */
  session: SessionData<T> | null
  /** The session's controls: regenerate (login), refuse, destroy, createdAt, issuedAt, info, error. */
  readonly cookieseal: SessionHandle<T>
  /** The cookie's attributes, read-only (cookie-session's req.sessionOptions; changing them per request is not supported). */
  readonly sessionOptions: Readonly<{ name: string; path: string; domain?: string; sameSite: string; secure: boolean; httpOnly: true; overwrite: true; maxAge: number }>
}

interface HeadResponse extends NodeResponse {
  statusCode: number
  writeHead: (...args: any[]) => unknown
}

/**
 * The middleware. Options: SessionOptions (cookies, name, validate,
 * migrate, onError). A bad cookie gives an empty session (never a 500);
 * `req.session = 'x'` throws a TypeError, as cookie-session does.
 */
export function session<T extends object = Record<string, unknown>>(options: SessionOptions<T>): (req: any, res: any, next: (err?: unknown) => void) => void {
  const cfg = new SessionConfig<T>(options)
  const a = cfg.cookies.attributes
  const described = Object.freeze({
    name: a.prefix + cfg.name,
    path: a.path,
    ...(a.domain ? { domain: a.domain } : {}),
    sameSite: a.sameSite.toLowerCase(),
    secure: a.secure,
    httpOnly: true as const,
    overwrite: true as const, // a later write replaces this response's earlier lines for the session
    maxAge: a.maxAge * 1000, // milliseconds, as cookie-session's
  })
  return function cookiesealSession(req: NodeRequest, res: HeadResponse, next: (err?: unknown) => void): void {
    const handle = new SessionHandle<T>(cfg, cookieHeader(req))
    Object.defineProperty(req, 'session', {
      configurable: true,
      enumerable: true,
      get: () => handle.data,
      set: (v: object | null) => {
        handle.data = v
      },
    })
    Object.defineProperty(req, 'cookieseal', { configurable: true, value: handle })
    Object.defineProperty(req, 'sessionOptions', { configurable: true, value: described })
    const writeHead = res.writeHead
    res.writeHead = function (this: HeadResponse, ...args: unknown[]) {
      res.writeHead = writeHead
      handle.commit(responseHeaders(res), typeof args[0] === 'number' ? args[0] : res.statusCode)
      return writeHead.apply(this, args)
    }
    next()
  }
}

/** cookie-session's name for the same function. */
export const cookieSession = session
