// The Node member of the fleet test (../fleet_test.go): sessions in the
// cookie "session", a revocation list in Redis shared with the Go and
// Python members, secrets from a Kubernetes-style secrets directory polled
// every 100 ms. It imports the package from js/dist and the client from
// js/node_modules (run `npm ci && npm run build` in js/ first).
//
//   SECRETS_FILE=... REDIS_PORT=... CACHE_MS=500 node e2e/fleet/server.mjs
import { createServer } from 'node:http'
import { createRequire } from 'node:module'
import { Codec, Cookies } from '../../js/dist/index.js'
import { RedisRevocations } from '../../js/dist/redis.js'
import { readSecretsFile, SecretsReloader } from '../../js/dist/node-secrets.js'

const require = createRequire(new URL('../../js/package.json', import.meta.url))
const { createClient } = require('redis')

const path = process.env.SECRETS_FILE
const codec = new Codec({ secrets: readSecretsFile(path), maxAge: 3600 })
const reloader = new SecretsReloader(codec, path)
setInterval(() => { reloader.poll() }, 100).unref()

const client = createClient({ disableOfflineQueue: true, socket: { host: '127.0.0.1', port: Number(process.env.REDIS_PORT), reconnectStrategy: () => 100, connectTimeout: 200 } })
client.on('error', () => {})
await client.connect()
const list = new RedisRevocations(client, { cacheTtl: Number(process.env.CACHE_MS), timeout: 200 })
const cookies = new Cookies(codec, { insecure: true, revocations: list })

const classes = { ERR_COOKIESEAL_INVALID: 'invalid', ERR_COOKIESEAL_EXPIRED: 'expired', ERR_COOKIESEAL_UNKNOWN_KEY: 'unknown_key', ERR_COOKIESEAL_TOO_LARGE: 'too_large', ERR_COOKIESEAL_REVOKED: 'revoked' }

function reply(res, status, body, headers) {
  for (const l of headers?.getSetCookie?.() ?? []) res.appendHeader('Set-Cookie', l)
  res.statusCode = status
  res.setHeader('Content-Type', 'application/json')
  res.end(JSON.stringify({ server: 'node', ...body }))
}

createServer(async (req, res) => {
  const url = new URL(req.url, 'http://127.0.0.1')
  const h = new Headers()
  const src = req.headers.cookie ?? ''
  try {
    if (url.pathname === '/health') return reply(res, 200, {})
    if (url.pathname === '/login') {
      const user = url.searchParams.get('user')
      cookies.login(h, src, 'session', { user }, user)
      return reply(res, 200, { user }, h)
    }
    let s
    try {
      s = await cookies.readAsync(src, 'session')
    } catch (e) {
      return reply(res, 401, { error: classes[e.code] ?? 'unclassified' })
    }
    if (!s) return reply(res, 401, { error: 'none' })
    if (url.pathname === '/me') {
      if (s.info.reissue) cookies.reissue(h, src, 'session', s.value, s.info)
      return reply(res, 200, { user: s.value.user, sid: s.info.sessionId, subject: s.info.subject }, h)
    }
    if (url.pathname === '/logout') {
      await cookies.revoke(s.info)
      cookies.delete(h, src, 'session')
      return reply(res, 200, {}, h)
    }
    if (url.pathname === '/logout-all') {
      await cookies.revokeSubject(s.info.subject)
      cookies.delete(h, src, 'session')
      return reply(res, 200, {}, h)
    }
    reply(res, 404, {})
  } catch (e) {
    reply(res, 503, { error: String(e?.message ?? e).slice(0, 200) })
  }
}).listen(0, '127.0.0.1', function () {
  console.log(`listening on http://127.0.0.1:${this.address().port}`)
})
