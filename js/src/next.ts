/**
 * cookieseal/next: sessions in the Next.js App Router through its own
 * cookie API, as getIronSession does:
 *
 *   // Server Component (read), Server Action or route handler (read and write):
 *   const session = getSession(await cookies(), options)
 *   session.data!.userId            // read
 *   session.regenerate({ userId })  // login, then:
 *   session.save()                  // Server Actions and route handlers only
 *
 *   // proxy.ts (Next 16; middleware.ts before): read, re-issue, refresh
 *   const res = NextResponse.next()
 *   const session = getProxySession(request, res, options)
 *   ...; session.save(); return res
 *
 * It imports nothing from Next (the store and the request are passed in),
 * and no node: module: it runs in the Node and the edge runtimes.
 *
 * Next's cookie stores keep one cookie per name, so `legacyScopes` (which
 * expire a name under several Domains or Paths in one response) cannot be
 * written through them: a ConfigError. Next answers Server Actions and
 * dynamic pages with its own Cache-Control; Vary and no-store are not set
 * here.
 */
import type { HeaderSink } from './cookies.js'
import { ConfigError } from './errors.js'
import { SessionConfig, SessionHandle, type SessionOptions } from './session.js'

export { SessionHandle, type SessionData, type SessionOptions, type Validator, type StandardSchema } from './session.js'
export type { MigrateOptions, CookieSessionMigration, IronSessionMigration } from './migrate.js'

/** The options Next's cookies().set(name, value, options) takes. */
export interface NextCookieOptions {
  path?: string
  domain?: string
  maxAge?: number
  httpOnly?: boolean
  secure?: boolean
  sameSite?: 'lax' | 'strict' | 'none'
}

/** What this file needs of Next's cookie stores (cookies() from next/headers, NextRequest.cookies, NextResponse.cookies). */
export interface NextCookieStore {
  getAll(): { name: string; value: string }[]
  set(name: string, value: string, options?: NextCookieOptions): unknown
}

/** A SessionHandle with save(), which writes through the store. */
export class NextSession<T extends object = Record<string, unknown>> extends SessionHandle<T> {
  readonly #write: (lines: string[]) => void

  constructor(cfg: SessionConfig<T>, header: string | null, write: (lines: string[]) => void) {
    super(cfg, header)
    this.#write = write
  }

  /**
   * Writes what the session needs (SESSIONS.md S6.7 with status 200, unless
   * refuse() was called): a change, a login, a logout, a due re-issue or
   * refresh, a migration. Once per request. Next allows it in Server
   * Actions, route handlers and the proxy; in a Server Component its
   * cookies().set throws.
   */
  save(): void {
    const sink = new LineSink()
    this.commit(sink, 200)
    this.#write(sink.lines)
  }
}

/** A HeaderSink that keeps the Set-Cookie lines. */
class LineSink implements HeaderSink {
  lines: string[] = []
  append(name: string, value: string): void {
    if (name.toLowerCase() === 'set-cookie') this.lines.push(value)
  }
  set(): void {}
  get(): string | null {
    return null
  }
  delete(name: string): void {
    if (name.toLowerCase() === 'set-cookie') this.lines = []
  }
  getSetCookie(): string[] {
    return this.lines
  }
}

/** A Set-Cookie line this package wrote, as Next's set() arguments. */
function toStore(line: string): [string, string, NextCookieOptions] {
  const [nv, ...attrs] = line.split('; ')
  const eq = nv!.indexOf('=')
  const o: NextCookieOptions = { httpOnly: false, secure: false }
  for (const a of attrs) {
    const i = a.indexOf('=')
    const k = (i < 0 ? a : a.slice(0, i)).toLowerCase(), v = i < 0 ? '' : a.slice(i + 1)
    if (k === 'path') o.path = v
    else if (k === 'domain') o.domain = v
    else if (k === 'max-age') o.maxAge = Number(v)
    else if (k === 'httponly') o.httpOnly = true
    else if (k === 'secure') o.secure = true
    else if (k === 'samesite') o.sameSite = v.toLowerCase() as NextCookieOptions['sameSite']
  }
  return [nv!.slice(0, eq), nv!.slice(eq + 1), o]
}

function headerOf(store: NextCookieStore): string | null {
  const all = store.getAll()
  return all.length ? all.map((c) => `${c.name}=${c.value}`).join('; ') : null
}

function configOf<T extends object>(options: SessionOptions<T> | SessionConfig<T>): SessionConfig<T> {
  const cfg = options instanceof SessionConfig ? options : new SessionConfig<T>(options)
  if (cfg.cookies.hasLegacyScopes) throw new ConfigError('cookieseal: cookieseal/next writes through Next\'s cookie store, which keeps one cookie per name: legacyScopes cannot be used')
  return cfg
}

/**
 * The session of a Server Component, Server Action or route handler:
 * store is `await cookies()` from next/headers. options may be a
 * SessionConfig built once (new SessionConfig(options)) to check them once.
 */
export function getSession<T extends object = Record<string, unknown>>(store: NextCookieStore, options: SessionOptions<T> | SessionConfig<T>): NextSession<T> {
  return new NextSession<T>(configOf(options), headerOf(store), (lines) => {
    for (const l of lines) store.set(...toStore(l))
  })
}

/**
 * The session in proxy.ts (middleware.ts before Next 16): read from the
 * request's Cookie header; save() writes through response.cookies, and
 * through request.cookies too, so that the pages rendered for this request
 * see the new session.
 */
export function getProxySession<T extends object = Record<string, unknown>>(
  request: { headers: Headers; cookies?: { set(name: string, value: string): unknown } },
  response: { cookies: NextCookieStore },
  options: SessionOptions<T> | SessionConfig<T>,
): NextSession<T> {
  return new NextSession<T>(configOf(options), request.headers.get('cookie'), (lines) => {
    for (const l of lines) {
      const [name, value, o] = toStore(l)
      response.cookies.set(name, value, o)
      request.cookies?.set(name, o.maxAge === 0 ? '' : value)
    }
  })
}

export { SessionConfig }
