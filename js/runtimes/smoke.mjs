// Runs on any runtime with ES modules and import attributes: opens the
// golden cookies and the conformance suite's open.json with the single-file bundle, seals and
// opens, and prints "N passed, N failed".
import * as cs from '../build/cookieseal.bundle.js'
import golden from '../../testdata/golden.json' with { type: 'json' }
import suite from '../../testdata/conformance/open.json' with { type: 'json' }

let passed = 0, failed = 0
function check(name, ok) {
  if (ok) passed++
  else { failed++; console.log(`not ok ${name}`) }
}

for (const g of golden) {
  const c = new cs.Codec({ secrets: g.secrets, now: () => g.issued_at * 1000 })
  check(`golden ${g.description}`, c.openRaw(g.name, g.cookie).json === g.payload)
}
const codes = { invalid: 'ERR_COOKIESEAL_INVALID', expired: 'ERR_COOKIESEAL_EXPIRED', unknown_key: 'ERR_COOKIESEAL_UNKNOWN_KEY', too_large: 'ERR_COOKIESEAL_TOO_LARGE' }
for (const k of suite.cases) {
  const c = new cs.Codec({ secrets: k.secrets, now: () => k.now * 1000, maxAge: k.max_age, maxLifetime: k.max_lifetime, maxLength: k.max_length, maxPayload: k.max_payload })
  let ok
  try {
    if (k.open_as === 'values') c.openValues(k.name ?? '', k.cookie)
    const json = c.openRaw(k.name ?? '', k.cookie).json
    ok = k.result === 'ok' && (k.payload === undefined || json === k.payload)
  } catch (e) {
    ok = k.result !== 'ok' && e.code === codes[k.result]
  }
  check(k.id, ok)
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
