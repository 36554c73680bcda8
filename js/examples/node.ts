// A handler for Node's IncomingMessage/ServerResponse: pass it to
// http.createServer, or to Express (app.get('/count', count)), whose req and
// res are the same objects.
import type { IncomingMessage, ServerResponse } from 'node:http'
import { Codec, Cookies, parseSecrets } from 'cookieseal'
import { NodeCookies } from 'cookieseal/node'

const sessions = new NodeCookies(new Cookies(new Codec({ secrets: parseSecrets(process.env.COOKIESEAL_SECRETS) })))

export function count(req: IncomingMessage, res: ServerResponse): void {
  let s
  try {
    s = sessions.read<{ n: number }>(req, 'session')
  } catch {
    s = undefined // a bad cookie: a fresh session
  }
  const n = (s?.value.n ?? 0) + 1
  sessions.refresh(res, req, 'session', { n }, s?.info) // keeps createdAt, moves issuedAt to now
  res.end(`${n}\n`)
}
