// Runtime portability: the single-file bundle, loaded by a page in headless
// Chromium (Debian's, through playwright-core) served from a loopback
// server, opens the golden cookies and runs the conformance suite's open.json
// (every case, its result class and payload), seals and
// opens, and reports the four error classes. Without Chromium it skips,
// except under CI=true, where that is a failure.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { createServer, type Server } from 'node:http'
import { existsSync, readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { TESTDATA } from './helpers.js'

const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium'
const BUNDLE = fileURLToPath(new URL('../cookieseal.bundle.js', import.meta.url))
const have = existsSync(CHROMIUM)
const skip = !have && process.env.CI !== 'true' ? `no Chromium at ${CHROMIUM} (required under CI=true)` : false

const PAGE = `<!doctype html><meta charset="utf-8"><title>cookieseal</title>
<script type="module">
import * as cs from '/cookieseal.bundle.js'
const out = {}
try {
  const golden = await (await fetch('/golden.json')).json()
  const suite = await (await fetch('/open.json')).json()
  out.golden = golden.map((g) => {
    const c = new cs.Codec({ secrets: g.secrets, now: () => g.issued_at * 1000 })
    return c.openRaw(g.name, g.cookie).json === g.payload
  })
  const codes = { invalid: 'ERR_COOKIESEAL_INVALID', expired: 'ERR_COOKIESEAL_EXPIRED', unknown_key: 'ERR_COOKIESEAL_UNKNOWN_KEY', too_large: 'ERR_COOKIESEAL_TOO_LARGE' }
  out.cases = suite.cases.length
  out.mismatches = suite.cases.filter((k) => {
    const c = new cs.Codec({ secrets: k.secrets, now: () => k.now * 1000, maxAge: k.max_age, maxLifetime: k.max_lifetime, maxLength: k.max_length, maxPayload: k.max_payload })
    try {
      if (k.open_as === 'values') c.openValues(k.name ?? '', k.cookie)
      const json = c.openRaw(k.name ?? '', k.cookie).json
      return !(k.result === 'ok' && (k.payload === undefined || json === k.payload))
    } catch (e) {
      return k.result === 'ok' || e.code !== codes[k.result]
    }
  }).map((k) => k.id)
  const secret = cs.generateSecret()
  const c = new cs.Codec({ secrets: [secret], compress: true })
  const value = { user: 1, big: 2n ** 64n, text: 'x'.repeat(3000) }
  const opened = c.open('session', c.seal('session', value))
  out.roundTrip = opened.value.big === 2n ** 64n && opened.value.text === value.text && opened.info.compressed
  const gv = golden.find((g) => g.kind === 'values')
  const gc = new cs.Codec({ secrets: gv.secrets, now: () => gv.issued_at * 1000 })
  out.goldenBigInt = typeof gc.open(gv.name, gv.cookie).value.id
  out.userAgent = navigator.userAgent
} catch (e) {
  out.error = String(e && e.stack || e)
}
window.__result = out
</script>`

let server: Server
let base = ''

before(async () => {
  if (skip) return
  const files: Record<string, [string, string]> = {
    '/': [PAGE, 'text/html'],
    '/cookieseal.bundle.js': [readFileSync(BUNDLE, 'utf8'), 'text/javascript'],
    '/golden.json': [readFileSync(TESTDATA + 'golden.json', 'utf8'), 'application/json'],
    '/open.json': [readFileSync(TESTDATA + 'conformance/open.json', 'utf8'), 'application/json'],
  }
  server = createServer((req, res) => {
    const f = files[req.url ?? '']
    if (!f) { res.statusCode = 404; res.end(); return }
    res.setHeader('Content-Type', f[1])
    res.end(f[0])
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  base = `http://127.0.0.1:${(server.address() as { port: number }).port}`
})

after(() => server?.close())

test('browser: the bundle runs in headless Chromium: golden cookies, conformance open.json, round trip', { skip, timeout: 120_000 }, async () => {
  assert.ok(have, `Chromium is required under CI=true (${CHROMIUM})`)
  const { chromium } = await import('playwright-core')
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-background-networking'] })
  try {
    const page = await browser.newPage()
    const errors: string[] = []
    page.on('pageerror', (e) => errors.push(String(e)))
    await page.goto(base + '/')
    await page.waitForFunction('window.__result !== undefined', undefined, { timeout: 60_000 })
    const r = (await page.evaluate('window.__result')) as Record<string, any>
    assert.equal(r.error, undefined, r.error)
    assert.deepEqual(errors, [])
    assert.ok(r.golden.length >= 3 && r.golden.every(Boolean), JSON.stringify(r.golden))
    assert.ok(r.cases > 50, `open.json has ${r.cases} cases`)
    assert.deepEqual(r.mismatches, [], 'conformance open.json cases that differ in Chromium')
    assert.equal(r.roundTrip, true)
    assert.equal(r.goldenBigInt, 'bigint')
    assert.match(r.userAgent, /Chrome/)
    console.log(`# browser: ${r.userAgent}`)
  } finally {
    await browser.close()
  }
})
