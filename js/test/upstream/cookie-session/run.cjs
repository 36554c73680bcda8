// Runs cookie-session's own test suite (test.js, v2.1.1) under mocha against
// cookieseal/express (through construction.cjs).
//
//   node run.cjs            every test but those in excluded.json must pass;
//                           the excluded ones run as pending
//   node run.cjs --excluded only the excluded ones run, and each must fail
//                           (so that the list holds no test that applies)
//
// It fails too if excluded.json names a test that test.js does not have.
'use strict'
const Mocha = require('mocha')
const path = require('path')
const { excluded } = require('./excluded.json')

const onlyExcluded = process.argv.includes('--excluded')
const mocha = new Mocha({ reporter: onlyExcluded ? 'base' : 'dot', timeout: 10000 })
mocha.addFile(path.join(__dirname, 'test.js'))
mocha.loadFiles()

const want = new Map(excluded.map((e) => [e.title, e.reason]))
const found = new Set()
let total = 0
;(function walk (suite) {
  for (const t of suite.tests) {
    total++
    const ex = want.has(t.fullTitle())
    if (ex) found.add(t.fullTitle())
    if (ex !== onlyExcluded) t.pending = true
  }
  suite.suites.forEach(walk)
})(mocha.suite)

const missing = [...want.keys()].filter((t) => !found.has(t))
if (missing.length) {
  console.error('excluded.json names tests test.js does not have:\n  ' + missing.join('\n  '))
  process.exit(1)
}

const passed = []
const runner = mocha.run(() => {
  const s = runner.stats
  if (onlyExcluded) {
    console.log(`cookie-session's excluded tests against cookieseal/express: ${s.failures} of ${want.size} fail, as they should`)
    if (passed.length) console.error('these excluded tests pass; take them off excluded.json:\n  ' + passed.join('\n  '))
    if (s.failures !== want.size || passed.length) process.exit(1)
    return
  }
  console.log(`\ncookie-session v2.1.1 test suite against cookieseal/express: ${s.passes} passed, ${s.failures} failed, ${s.pending} excluded, of ${total}`)
  for (const [t, r] of want) console.log(`  excluded: ${t}\n    because ${r}`)
  if (s.failures || s.passes !== total - want.size || s.pending !== want.size) process.exit(1)
})
runner.on('pass', (t) => passed.push(t.fullTitle()))
