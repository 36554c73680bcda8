/**
 * Cookie helpers for Node's http.IncomingMessage and http.ServerResponse
 * (Express, Fastify's raw objects, plain node:http). It uses only the objects
 * passed in, and imports no node: module, so it bundles anywhere.
 */
import type { Info } from './codec.js'
import { Cookies, type HeaderSink, type Session } from './cookies.js'
import type { Typed } from './values.js'

/** What this file needs of an IncomingMessage. */
export interface NodeRequest {
  headers: { cookie?: string | string[] | undefined; [k: string]: unknown }
}

/** What this file needs of a ServerResponse. */
export interface NodeResponse {
  getHeader(name: string): string | string[] | number | undefined
  setHeader(name: string, value: string | string[]): unknown
  removeHeader?(name: string): void
}

/** The Cookie header of a Node request (several headers joined with "; "). */
export function cookieHeader(req: NodeRequest | undefined): string | null {
  const c = req?.headers?.cookie
  if (c === undefined) return null
  return Array.isArray(c) ? c.join('; ') : c
}

/** A HeaderSink over a ServerResponse, so Cookies can write to it. */
export function responseHeaders(res: NodeResponse): HeaderSink {
  const setCookies = (): string[] => {
    const v = res.getHeader('set-cookie')
    if (v === undefined) return []
    return Array.isArray(v) ? v.map(String) : [String(v)]
  }
  return {
    append(name, value) {
      if (name.toLowerCase() === 'set-cookie') res.setHeader('Set-Cookie', [...setCookies(), value])
      else res.setHeader(name, value)
    },
    set(name, value) {
      res.setHeader(name, value)
    },
    get(name) {
      const v = res.getHeader(name)
      if (v === undefined) return null
      return Array.isArray(v) ? v.join(', ') : String(v)
    },
    delete(name) {
      if (res.removeHeader) res.removeHeader(name)
      else res.setHeader(name, [])
    },
    getSetCookie: setCookies,
  }
}

/** Cookies for Node's request and response objects; see Cookies for the semantics. */
export class NodeCookies {
  constructor(readonly cookies: Cookies) {}

  /** Opens the session cookie name; undefined if the request has none; throws the cookie errors. */
  read<T = unknown>(req: NodeRequest, name: string): Session<T> | undefined {
    return this.cookies.read<T>(cookieHeader(req), name)
  }

  /** read with any revocation list, including an asynchronous one (the Redis list); see Cookies.readAsync. */
  readAsync<T = unknown>(req: NodeRequest, name: string): Promise<Session<T> | undefined> {
    return this.cookies.readAsync<T>(cookieHeader(req), name)
  }

  readValues(req: NodeRequest, name: string): Session<Typed> | undefined {
    return this.cookies.readValues(cookieHeader(req), name)
  }

  /** Starts a new session (issuedAt = createdAt = now) whatever the request carried: call it at login. */
  write(res: NodeResponse, req: NodeRequest | undefined, name: string, value: unknown, opts: { typed?: boolean } = {}): void {
    this.cookies.write(responseHeaders(res), cookieHeader(req), name, value, opts)
  }

  /** write for a login with the application's subject (user ID); see Cookies.login. */
  login(res: NodeResponse, req: NodeRequest | undefined, name: string, value: unknown, subject: string, opts: { typed?: boolean } = {}): void {
    this.cookies.login(responseHeaders(res), cookieHeader(req), name, value, subject, opts)
  }

  /** Writes the session again when info.reissue is set (after the handler accepted it); see Cookies.reissue. */
  reissue(res: NodeResponse, req: NodeRequest | undefined, name: string, value: unknown, info: Info): void {
    this.cookies.reissue(responseHeaders(res), cookieHeader(req), name, value, info)
  }

  /** Stores a changed session (issuedAt now, createdAt kept); see Cookies.refresh. */
  refresh(res: NodeResponse, req: NodeRequest | undefined, name: string, value: unknown, info?: Info): void {
    this.cookies.refresh(responseHeaders(res), cookieHeader(req), name, value, info)
  }

  /** Ends the session: expires the cookie, its parts and the cookie under every legacy scope. */
  delete(res: NodeResponse, req: NodeRequest | undefined, name: string): void {
    this.cookies.delete(responseHeaders(res), cookieHeader(req), name)
  }
}

export { Cookies }
