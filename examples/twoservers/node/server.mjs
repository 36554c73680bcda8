// The Node half of the two-server example (see ../main.go): the same session
// cookie, the same routes, the same secrets file, read again when it changes.
//
//   SECRETS_FILE=/tmp/secrets PORT=8002 node examples/twoservers/node/server.mjs
//
// It imports the package from js/dist (run `npm ci && npm run build` in js/
// first); an application would import 'cookieseal', 'cookieseal/node' and
// 'cookieseal/node/secrets'.
//
// The secrets file is read by the package's readSecretsFile and
// SecretsReloader, with the grammar the Go server's ReadSecretsFile and
// Reloader use ('#' comments, blanks, CRLF; SESSIONS.md section 7), so both
// servers derive the same key IDs from it.
import { createServer } from 'node:http'
import { Codec, Cookies } from '../../../js/dist/index.js'
import { NodeCookies } from '../../../js/dist/node.js'
import { readSecretsFile, SecretsReloader } from '../../../js/dist/node-secrets.js'

const path = process.env.SECRETS_FILE
if (!path) throw new Error('SECRETS_FILE is not set')

const codec = new Codec({ secrets: readSecretsFile(path) })
const reloader = new SecretsReloader(codec, path)
const sessions = new NodeCookies(new Cookies(codec))

/** Reads the secrets file again (twice: only settled content applies); on any error the ring stays as it was. */
function reload() {
  try {
    reloader.reload()
  } catch (e) {
    console.error('secrets file:', e.message) // never quotes a secret
  }
}

const escape = (s) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)
function page(res, view) {
  res.setHeader('Content-Type', 'text/html; charset=utf-8')
  res.end(`<!doctype html><title>node</title><pre id="session">${escape(JSON.stringify({ server: 'node', ...view }))}</pre>\n`)
}

/** Opens the session; when the key rotated, writes it again under the key that now seals (after deciding to keep it). */
function read(req, res) {
  reload()
  const s = sessions.read(req, 'session')
  if (!s) throw new Error('no session')
  sessions.reissue(res, req, 'session', s.value, s.info)
  return s
}

const server = createServer((req, res) => {
  const url = new URL(req.url, 'http://127.0.0.1')
  try {
    if (url.pathname === '/login') {
      reload()
      const value = { user: url.searchParams.get('user') ?? '', cart: [] }
      sessions.write(res, req, 'session', value)
      return page(res, value)
    }
    if (url.pathname === '/me') {
      const { value, info } = read(req, res)
      return page(res, { ...value, key_id: info.keyId, issued_at: info.issuedAt })
    }
    if (url.pathname === '/cart/add') {
      const { value, info } = read(req, res)
      const next = { ...value, cart: [...value.cart, url.searchParams.get('item') ?? ''] }
      sessions.refresh(res, req, 'session', next, info)
      return page(res, next)
    }
    res.statusCode = 404
    res.end('not found\n')
  } catch (e) {
    page(res, { error: e.message })
  }
})

server.listen(Number(process.env.PORT ?? 8002), '127.0.0.1', () => {
  console.log(`listening on http://127.0.0.1:${server.address().port}`)
})
