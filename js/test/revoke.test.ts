// Revocation in the JS session layer (SESSIONS.md S9) with the in-memory
// list: log out this device, log out everywhere, a list that throws (fail
// closed), and the list's memory bound under 5,000 revocations.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { Codec, generateSecret } from '../src/codec.js'
import { Cookies } from '../src/cookies.js'
import { MemoryRevocations, type Revocations } from '../src/revoke.js'

function fixture(list: Revocations = new MemoryRevocations(() => clock.t)) {
  const codec = new Codec({ secrets: [generateSecret()], maxAge: 3600, now: () => clock.t })
  const cookies = new Cookies(codec, { insecure: true, revocations: list })
  const login = (user: string) => {
    const h = new Headers()
    cookies.login(h, null, 's', { user }, user)
    return h.getSetCookie()[0]!.split(';')[0]!
  }
  return { cookies, login }
}
const clock = { t: Date.UTC(2026, 5, 1) }

test('revoke: this device only, then every session of the subject; another user and the next login are kept', () => {
  const { cookies, login } = fixture()
  const phone = login('alice'), laptop = login('alice'), bob = login('bob')
  const s = cookies.read(phone, 's')!
  assert.match(s.info.sessionId, /^[0-9a-f]{32}$/)
  assert.equal(s.info.subject, 'alice')
  cookies.revoke(s.info)
  assert.throws(() => cookies.read(phone, 's'), (e: any) => e.code === 'ERR_COOKIESEAL_REVOKED')
  assert.equal(cookies.read<{ user: string }>(laptop, 's')!.value.user, 'alice')
  clock.t += 10_000
  cookies.revokeSubject('alice')
  assert.throws(() => cookies.read(laptop, 's'), (e: any) => e.code === 'ERR_COOKIESEAL_REVOKED')
  assert.equal(cookies.read<{ user: string }>(bob, 's')!.value.user, 'bob')
  assert.equal(cookies.read<{ user: string }>(login('alice'), 's')!.value.user, 'alice', 'a login in the second of the revocation')
})

test('revoke: a list that throws refuses the session (fail closed), without the subject in the message', () => {
  const { cookies, login } = fixture({ revoked: () => { throw new Error('down') }, revokeSession() {}, revokeSubject() {} })
  assert.throws(() => cookies.read(login('alice'), 's'), (e: any) => e.code === 'ERR_COOKIESEAL_REVOKED' && !e.message.includes('alice'))
})

test('revoke: 5,000 revocations, one a second, each for 100 s: the list holds at most twice the live entries plus 64', () => {
  let t = Date.UTC(2026, 5, 1)
  const list = new MemoryRevocations(() => t)
  let most = 0
  for (let i = 0; i < 5000; i++) {
    list.revokeSession(i.toString(16).padStart(32, '0'), Math.floor(t / 1000) + 100)
    most = Math.max(most, list.size)
    t += 1000
  }
  assert.ok(most <= 2 * 100 + 64, `${most} entries`)
})
