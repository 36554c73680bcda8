// cookieseal against iron-webcrypto (what iron-session seals with) and jose
// (EncryptJWT / jwtDecrypt, JWE "dir" + A256GCM) on the same 279-byte session
// as the Go benchmarks (bench/values_test.go), in one Node process.
//
//   cd js && npm ci && npm run build && cd bench && npm ci && node bench.mjs
//
// Each case runs in rounds of a fixed count after a warm-up; the report is
// the median over rounds of the process CPU time (user + system, GC
// included) per operation, which a shared machine disturbs far less than
// wall time, and the median wall time beside it.
import { Codec } from '../dist/index.js'
import * as Iron from 'iron-webcrypto'
import { EncryptJWT, jwtDecrypt } from 'jose'

const session = {
  user_id: 4815162342,
  email: 'ada.lovelace@analytical-engine.example',
  roles: ['admin', 'editor'],
  csrf_token: '3q2-7wAAAAAB8w6XUM4tNOl1cVm0fJ2xZnHpJp9nCQ4',
  flashes: ['All saved.', 'Two-factor auth is on!'],
  prefs: { theme: 'dark', language: 'en-GB', time_zone: 'Europe/London' },
}
const json = JSON.stringify(session)
if (json.length !== 279) throw new Error(`session is ${json.length} bytes, want 279`)

const rand = (n) => crypto.getRandomValues(new Uint8Array(n))
const b64 = (b) => Buffer.from(b).toString('base64url')
const secret = b64(rand(32)) // 43 characters, as generateSecret() and cookieseal keygen make
const codec = new Codec({ secrets: [secret] })
const ironPassword = b64(rand(32)) // iron-session requires at least 32 characters
const ironOptions = { ...Iron.defaults, ttl: 86400 * 1000 }
const joseKey = rand(32)

const impls = {
  cookieseal: {
    seal: () => codec.seal('session', session),
    open: (c) => codec.open('session', c).value,
  },
  'iron-webcrypto': {
    seal: () => Iron.seal(session, ironPassword, ironOptions),
    open: (c) => Iron.unseal(c, ironPassword, ironOptions),
  },
  'jose (JWE dir A256GCM)': {
    seal: () => new EncryptJWT(session).setProtectedHeader({ alg: 'dir', enc: 'A256GCM' }).setIssuedAt().setExpirationTime('24h').encrypt(joseKey),
    open: async (c) => (await jwtDecrypt(c, joseKey, { maxTokenAge: '24h' })).payload,
  },
}

const ROUNDS = Number(process.env.ROUNDS ?? 15)
const N = Number(process.env.N ?? 2000)

async function measure(fn) {
  for (let i = 0; i < N; i++) await fn() // warm-up
  const cpu = [], wall = []
  for (let r = 0; r < ROUNDS; r++) {
    const c0 = process.cpuUsage(), t0 = process.hrtime.bigint()
    for (let i = 0; i < N; i++) await fn()
    const t1 = process.hrtime.bigint(), c1 = process.cpuUsage(c0)
    cpu.push(((c1.user + c1.system) * 1000) / N)
    wall.push(Number(t1 - t0) / N)
  }
  const med = (a) => a.sort((x, y) => x - y)[a.length >> 1]
  return { cpu: med(cpu), wall: med(wall) }
}

const rows = []
for (const [name, impl] of Object.entries(impls)) {
  const cookie = await impl.seal()
  const back = await impl.open(cookie)
  if (back.csrf_token !== session.csrf_token) throw new Error(`${name}: round trip failed`)
  const seal = await measure(impl.seal)
  const open = await measure(() => impl.open(cookie))
  rows.push({ name, len: cookie.length, seal, open })
}

const us = (ns) => (ns / 1000).toFixed(2)
const base = rows[0]
console.log(`node ${process.version}, ${ROUNDS} rounds x ${N} ops, medians; session ${json.length} bytes of JSON`)
console.log('| impl | cookie chars | seal cpu-us/op | open cpu-us/op | seal wall-us/op | open wall-us/op | seal vs cookieseal | open vs cookieseal |')
console.log('|---|---|---|---|---|---|---|---|')
for (const r of rows) {
  console.log(`| ${r.name} | ${r.len} | ${us(r.seal.cpu)} | ${us(r.open.cpu)} | ${us(r.seal.wall)} | ${us(r.open.wall)} | ${(r.seal.cpu / base.seal.cpu).toFixed(2)}x | ${(r.open.cpu / base.open.cpu).toFixed(2)}x |`)
}
