// Runs every case of testdata/sessions/*.json through cookieseal/hono in a
// Hono app on a Web runtime (Deno): build/hono-runner.bundle.js is
// test/honorunner.ts with Hono, cookieseal and the checks inside (npm run
// bundle). Prints "N passed, N failed".
import { parseSuite, runHonoCase } from '../build/hono-runner.bundle.js'

const dir = new URL('../../testdata/sessions/', import.meta.url)
const files = []
for await (const e of Deno.readDir(dir)) if (e.isFile && e.name.endsWith('.json')) files.push(e.name)
files.sort()
let passed = 0, failed = 0
for (const f of files) {
  const suite = parseSuite(await Deno.readTextFile(new URL(f, dir)))
  for (const c of suite.cases) {
    try {
      await runHonoCase(c)
      passed++
    } catch (e) {
      failed++
      console.log(`not ok ${c.id}: ${e.message}`)
    }
  }
}
console.log(`${passed} passed, ${failed} failed`)
if (failed || passed === 0) Deno.exit(1)
