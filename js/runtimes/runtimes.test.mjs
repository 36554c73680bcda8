// Runs smoke.mjs (the bundle against the golden cookies and open.json) on
// Deno, whose npm package ships its binary. Bun's npm package installs here
// without its binary (the platform package is empty), so Bun is not run.
// Under CI=true a runtime that does not run is a failure.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

const here = fileURLToPath(new URL('.', import.meta.url))
const deno = here + 'node_modules/@deno/linux-x64-glibc/deno'

test('deno: the bundle opens Go cookies, seals and opens', { skip: !existsSync(deno) && process.env.CI !== 'true' ? 'no deno binary' : false }, () => {
  const r = spawnSync(deno, ['run', '--no-prompt', '--allow-read=' + here + '..,' + here + '../../testdata', here + 'smoke.mjs'], { encoding: 'utf8', env: { ...process.env, DENO_NO_UPDATE_CHECK: '1', NO_COLOR: '1' } })
  const out = (r.stdout ?? '') + (r.stderr ?? '')
  assert.equal(r.status, 0, out)
  const m = /^(\d+) passed, 0 failed$/m.exec(out)
  assert.ok(m && Number(m[1]) > 70, out)
  console.log(`# deno ${spawnSync(deno, ['--version'], { encoding: 'utf8' }).stdout.split('\n')[0]}: ${m[0]}`)
})

test('node: the same smoke script', () => {
  const r = spawnSync(process.execPath, [here + 'smoke.mjs'], { encoding: 'utf8' })
  assert.equal(r.status, 0, r.stdout + r.stderr)
  assert.match(r.stdout, /^\d+ passed, 0 failed$/m)
})

// cookieseal/hono in a Hono app on Deno: every case of testdata/sessions.
test('deno: the Hono middleware passes the session scenario suite', { skip: !existsSync(deno) && process.env.CI !== 'true' ? 'no deno binary' : false }, () => {
  const r = spawnSync(deno, ['run', '--no-prompt', '--allow-read=' + here + '..,' + here + '../../testdata', here + 'hono-deno.mjs'], { encoding: 'utf8', env: { ...process.env, DENO_NO_UPDATE_CHECK: '1', NO_COLOR: '1' } })
  const out = (r.stdout ?? '') + (r.stderr ?? '')
  assert.equal(r.status, 0, out)
  const m = /^(\d+) passed, 0 failed$/m.exec(out)
  assert.ok(m && Number(m[1]) > 100, out)
  console.log(`# deno hono: ${m[0]}`)
})
