// Drives the built app (`next build` first) in headless Chromium (Debian's
// /usr/bin/chromium through playwright-core, from js/'s devDependencies):
// log in with a Server Action, read the session in a Server Component, in
// the proxy and in a route handler, log out. `next start` listens on
// 127.0.0.1; the secret is generated here. Under CI=true a missing Chromium
// is a failure.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { createServer } from 'node:net'
import { fileURLToPath } from 'node:url'
import { Codec, Cookies, generateSecret } from 'cookieseal'

const here = fileURLToPath(new URL('.', import.meta.url))
const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium'
const secret = generateSecret()
let server, base, output = ''

async function freePort() {
  const s = createServer()
  await new Promise((r) => s.listen(0, '127.0.0.1', r))
  const port = s.address().port
  await new Promise((r) => s.close(r))
  return port
}

before(async () => {
  assert.ok(existsSync(here + '.next/BUILD_ID'), 'run `next build` first')
  const port = await freePort()
  base = `http://127.0.0.1:${port}`
  server = spawn(process.execPath, [here + 'node_modules/next/dist/bin/next', 'start', '-H', '127.0.0.1', '-p', String(port)], {
    cwd: here,
    env: { ...process.env, COOKIESEAL_SECRETS: secret, COOKIESEAL_INSECURE: '1', NEXT_TELEMETRY_DISABLED: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  server.stdout.on('data', (d) => (output += d))
  server.stderr.on('data', (d) => (output += d))
  for (let i = 0; i < 300; i++) {
    try {
      await fetch(base + '/api/me')
      return
    } catch {
      await new Promise((r) => setTimeout(r, 100))
    }
  }
  throw new Error(`next start did not answer: ${output}`)
})

after(() => server?.kill())

test('next: log in (Server Action), read (Server Component, proxy, route handler), log out', { skip: !existsSync(CHROMIUM) && process.env.CI !== 'true' ? 'no chromium' : false }, async () => {
  const { chromium } = await import('playwright-core')
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-background-networking'] })
  try {
    const page = await browser.newPage()
    const first = await page.goto(base + '/')
    assert.equal(first.headers()['x-cookieseal-user'], 'nobody', 'the proxy saw no session')
    assert.equal(await page.textContent('#status'), 'Not signed in')

    await page.fill('input[name=user]', 'ann')
    await Promise.all([page.waitForSelector('#logout'), page.click('#login')])
    assert.equal(await page.textContent('#status'), 'Signed in as ann')
    const jar = await page.context().cookies()
    assert.deepEqual(jar.map((c) => c.name), ['session'])
    assert.equal(jar[0].httpOnly, true)
    assert.equal(jar[0].sameSite, 'Lax')
    // The cookie is sealed: it opens with the app's secret, and only so.
    const cookies = new Cookies(new Codec({ secrets: [secret] }), { insecure: true })
    assert.deepEqual(cookies.read(`session=${jar[0].value}`, 'session').value, { user: 'ann' })
    assert.ok(!jar[0].value.includes('ann'))

    const again = await page.goto(base + '/')
    assert.equal(again.headers()['x-cookieseal-user'], 'ann', 'the proxy read the session')
    assert.equal(await page.textContent('#status'), 'Signed in as ann')
    const me = await page.goto(base + '/api/me')
    assert.equal((await me.json()).user, 'ann')

    await page.goto(base + '/')
    await Promise.all([page.waitForSelector('#login'), page.click('#logout')])
    assert.equal(await page.textContent('#status'), 'Not signed in')
    assert.deepEqual(await page.context().cookies(), [])
    assert.equal((await page.goto(base + '/api/me')).status(), 401)
  } finally {
    await browser.close()
  }
})
