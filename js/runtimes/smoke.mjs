// Runs on any runtime with ES modules and import attributes: opens the
// golden cookies and the vectors with the single-file bundle, seals and
// opens, and prints "N passed, N failed".
import * as cs from '../build/cookieseal.bundle.js'
import golden from '../../testdata/golden.json' with { type: 'json' }
import vectors from '../../testdata/vectors.json' with { type: 'json' }

let passed = 0, failed = 0
function check(name, ok) {
  if (ok) passed++
  else { failed++; console.log(`not ok ${name}`) }
}

for (const g of golden) {
  const c = new cs.Codec({ secrets: g.secrets, now: () => g.issued_at * 1000 })
  check(`golden ${g.description}`, c.openRaw(g.name, g.cookie).json === g.payload)
}
for (const v of vectors.valid) {
  const c = new cs.Codec({ secrets: v.secrets, now: () => v.now * 1000 })
  check(`valid ${v.description}`, c.openRaw(v.name, v.cookie).json === v.payload)
}
const codes = { invalid: 'ERR_COOKIESEAL_INVALID', expired: 'ERR_COOKIESEAL_EXPIRED', 'unknown key': 'ERR_COOKIESEAL_UNKNOWN_KEY', 'too large': 'ERR_COOKIESEAL_TOO_LARGE' }
for (const v of vectors.invalid) {
  const c = new cs.Codec({ secrets: v.secrets, now: () => v.now * 1000, maxAge: v.max_age || undefined })
  let got = 'opened'
  try { v.kind === 'values' ? c.openValues(v.name, v.cookie) : c.open(v.name, v.cookie) } catch (e) { got = e.code }
  check(`invalid ${v.description}`, got === codes[v.error])
}
const c = new cs.Codec({ secrets: [cs.generateSecret()], compress: true })
const value = { user: 1, big: 2n ** 64n, text: 'x'.repeat(3000) }
const o = c.open('session', c.seal('session', value))
check('round trip', o.value.big === value.big && o.value.text === value.text && o.info.compressed)
const h = new Headers()
new cs.Cookies(c).write(h, null, 'session', value)
check('cookies', new cs.Cookies(c).read(h.getSetCookie().map((l) => l.split(';')[0]).join('; '), 'session').value.big === value.big)
console.log(`${passed} passed, ${failed} failed`)
if (failed) throw new Error(`${failed} failed`)
