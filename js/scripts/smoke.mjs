// The smoke test of an installed cookieseal (scripts/pack-check.sh copies it
// into a fresh project that installed the package from the tarball or from
// a folder path): imports every entry point as ESM and uses each once.
import assert from 'node:assert/strict'
import { createServer } from 'node:http'
import { Codec, Cookies, generateSecret, parseSecrets } from 'cookieseal'
import { NodeCookies } from 'cookieseal/node'
import { readSecretsFile } from 'cookieseal/node/secrets'
import { session as expressSession } from 'cookieseal/express'
import { session as honoSession, withSession } from 'cookieseal/hono'
import { getSession } from 'cookieseal/next'
import { writeFileSync, mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'

const secret = generateSecret()
const dir = mkdtempSync(tmpdir() + '/cookieseal-smoke-')
writeFileSync(dir + '/secrets', secret + '\n')
assert.deepEqual(readSecretsFile(dir + '/secrets'), parseSecrets(secret))
const codec = new Codec({ secrets: [secret] })
const cookies = new Cookies(codec, { insecure: true })
assert.deepEqual(codec.open('session', codec.seal('session', { n: 1 })).value, { n: 1 })
const echo = (lines) => lines.filter((l) => !/Max-Age=0/.test(l)).map((l) => l.split(';')[0]).join('; ')

// node + express-style middleware on a loopback server (plain node:http: Express's req and res are these)
const mw = expressSession({ cookies })
const server = createServer((req, res) => mw(req, res, () => {
  req.session.n = (req.session.n ?? 0) + 1
  res.end(String(req.session.n))
}))
await new Promise((r) => server.listen(0, '127.0.0.1', r))
const base = `http://127.0.0.1:${server.address().port}/`
const r1 = await fetch(base)
const r2 = await fetch(base, { headers: { cookie: echo(r1.headers.getSetCookie()) } })
assert.equal(await r2.text(), '2')
server.close()
assert.equal(new NodeCookies(cookies).read({ headers: { cookie: echo(r2.headers.getSetCookie()) } }, 'session').value.n, 2)

// hono's middleware contract (c.req.raw, c.set, c.res), without hono installed, and withSession
const c = { req: { raw: new Request(base) }, vars: {}, set(k, v) { this.vars[k] = v }, res: undefined }
await honoSession({ cookies })(c, async () => {
  c.vars.session.regenerate({ user: 'ann' })
  c.res = new Response('ok')
})
assert.equal(cookies.read(echo(c.res.headers.getSetCookie()), 'session').value.user, 'ann')
const web = withSession({ cookies }, (_req, s) => new Response(String(s.data.user)))
assert.equal(await (await web(new Request(base, { headers: { cookie: echo(c.res.headers.getSetCookie()) } }))).text(), 'ann')

// next: a cookies()-shaped store
const jar = new Map()
const store = { getAll: () => [...jar].map(([name, value]) => ({ name, value })), set: (n, v, o) => (o?.maxAge === 0 ? jar.delete(n) : jar.set(n, v)) }
const s = getSession(store, { cookies })
s.regenerate({ user: 'bob' })
s.save()
assert.equal(getSession(store, { cookies }).data.user, 'bob')
console.log('cookieseal smoke: every entry point imports and works')
