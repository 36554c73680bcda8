// cookieseal's Web entry (the single-file bundle: @noble/ciphers, what
// browsers and edge runtimes load) against the noble floor
// (browser-floor.js) in headless Chromium, on the session and the cart of
// bench.mjs (issue 21: "in Chromium the noble path within 1.15x of a noble
// floor"). The page runs interleaved rounds; a browser has no process CPU
// clock, so this is the median wall time per operation over rounds.
//
//   cd js && npm ci && npm run build && npm run bundle && cd bench && npm ci && node browser.mjs
//   (ROUNDS=15 N=300 by default; CHROMIUM=/usr/bin/chromium)
import { createServer } from 'node:http'
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { loadavg } from 'node:os'
import { build } from 'esbuild'
import { chromium } from 'playwright-core'

const ROUNDS = Number(process.env.ROUNDS ?? 15)
const N = Number(process.env.N ?? 300)
const here = (p) => fileURLToPath(new URL(p, import.meta.url))
const floorJS = (await build({ entryPoints: [here('browser-floor.js')], bundle: true, format: 'esm', write: false, platform: 'browser', nodePaths: [here('../node_modules')] })).outputFiles[0].text

const PAGE = `<!doctype html><script type="module">
import * as cs from '/cookieseal.bundle.js'
import { floor } from '/floor.js'
const session = { user_id: 4815162342, email: 'ada.lovelace@analytical-engine.example', roles: ['admin', 'editor'], csrf_token: '3q2-7wAAAAAB8w6XUM4tNOl1cVm0fJ2xZnHpJp9nCQ4', flashes: ['All saved.', 'Two-factor auth is on!'], prefs: { theme: 'dark', language: 'en-GB', time_zone: 'Europe/London' } }
const names = ['Organic cotton T-shirt', 'Merino wool socks', 'Waxed canvas tote bag', 'Stainless steel bottle', 'Recycled notebook A5'], sizes = ['small', 'medium', 'large']
const cart = { items: Array.from({ length: 30 }, (_, i) => ({ sku: 'SKU-' + String(1000 + 37 * i).padStart(4, '0') + '-' + sizes[i % 3][0].toUpperCase(), name: names[i % 5] + ', ' + sizes[i % 3] + ', colour number ' + String(i % 7).padStart(2, '0'), qty: 1 + (i % 4), price: 1299 + 250 * i })) }
const codec = new cs.Codec({ secrets: [cs.generateSecret()] })
const impls = { 'cookieseal (bundle, noble)': { seal: (v) => codec.seal('session', v), open: (c) => codec.open('session', c).value }, 'floor (noble)': floor() }
window.run = (ROUNDS, N) => {
  const cells = []
  for (const [name, im] of Object.entries(impls)) for (const [label, v] of [['small', session], ['cart', cart]]) {
    const cookie = im.seal(v)
    if (JSON.stringify(im.open(cookie)) !== JSON.stringify(v)) throw new Error(name + ' round trip')
    cells.push({ name, cell: label + ' seal', fn: () => im.seal(v) }, { name, cell: label + ' open', fn: () => im.open(cookie) })
  }
  for (const c of cells) for (let i = 0; i < N; i++) c.fn()
  const t = new Map(cells.map((c) => [c, []]))
  for (let r = 0; r < ROUNDS; r++) for (const c of cells) { const t0 = performance.now(); for (let i = 0; i < N; i++) c.fn(); t.get(c).push((performance.now() - t0) * 1000 / N) }
  const med = (a) => [...a].sort((x, y) => x - y)[a.length >> 1]
  return cells.map((c) => ({ name: c.name, cell: c.cell, us: med(t.get(c)) }))
}
window.ready = true
</script>`

const files = { '/': [PAGE, 'text/html'], '/cookieseal.bundle.js': [readFileSync(here('../build/cookieseal.bundle.js'), 'utf8'), 'text/javascript'], '/floor.js': [floorJS, 'text/javascript'] }
const server = createServer((req, res) => {
  const f = files[req.url ?? '']
  if (!f) { res.statusCode = 404; res.end(); return }
  res.setHeader('Content-Type', f[1])
  res.end(f[0])
})
await new Promise((r) => server.listen(0, '127.0.0.1', r))
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium', args: ['--no-sandbox', '--disable-background-networking'] })
try {
  const page = await browser.newPage()
  page.on('pageerror', (e) => { console.error(e); process.exitCode = 1 })
  await page.goto(`http://127.0.0.1:${server.address().port}/`)
  await page.waitForFunction(() => window.ready === true)
  const rows = await page.evaluate(([r, n]) => window.run(r, n), [ROUNDS, N])
  const version = browser.version()
  const by = Object.fromEntries(rows.map((x) => [x.name + '|' + x.cell, x.us]))
  const cells = ['small seal', 'small open', 'cart seal', 'cart open']
  console.log(`Chromium ${version}, ${ROUNDS} rounds x ${N} ops, interleaved; median wall us/op (ratio to the floor); load ${loadavg()[0].toFixed(1)}`)
  console.log('| impl | ' + cells.join(' | ') + ' |')
  console.log('|---|' + cells.map(() => '---:').join('|') + '|')
  for (const name of ['cookieseal (bundle, noble)', 'floor (noble)']) {
    console.log('| ' + name + ' | ' + cells.map((c) => name === 'floor (noble)' ? by[name + '|' + c].toFixed(1) : `${by[name + '|' + c].toFixed(1)} (${(by[name + '|' + c] / by['floor (noble)|' + c]).toFixed(2)}x)`).join(' | ') + ' |')
  }
  console.log('JSON ' + JSON.stringify(by))
} finally {
  await browser.close()
  server.close()
}
