// cookieseal against the JavaScript peers a service seals a session cookie
// with (issue 21), in one Node process, on the 279-byte session and the
// 2.9 KB cart of the Go benchmarks (bench/values_test.go):
//
// - iron-session (sealData/unsealData) and iron-webcrypto, which it seals
//   with, and @hapi/iron: AES-256-CBC + HMAC-SHA256, keys by PBKDF2 per call;
// - jose EncryptJWT/jwtDecrypt, JWE "dir" with A256GCM and A256CBC-HS512;
// - Auth.js (@auth/core/jwt encode/decode): JWE dir A256CBC-HS512, its key
//   derived with HKDF from the secret on every call;
// - floors: JSON.stringify, a 24-byte nonce from crypto.getRandomValues, one
//   XChaCha20-Poly1305 (node:crypto's ChaCha20-Poly1305 with noble's
//   HChaCha20; or @noble/ciphers alone), Buffer's base64url; JSON.parse on
//   open. No header, name binding, times or strict checks.
//
// cookieseal runs twice: the "node" entry (node:crypto, what Node, Deno and
// Bun load) and the Web entry's backend (@noble/ciphers, what browsers and
// edge runtimes load), switched between cells.
//
//   cd js && npm ci && npm run build && cd bench && npm ci && node bench.mjs
//   (ROUNDS=15 N=300 by default; CI runs ROUNDS=1 N=5 only to see it run)
//
// Every round runs every (implementation, cell) for N operations in turn, so
// the machine's load falls on all alike; the report is the median over
// rounds of the process CPU time (user + system, GC included) per operation,
// and the ratio to cookieseal (node:crypto). "forged" opens the small
// cookie with one character changed near its end (ciphertext or tag).
import { createCipheriv, createDecipheriv } from 'node:crypto'
import { loadavg } from 'node:os'
import { xchacha20poly1305, hchacha } from '@noble/ciphers/chacha.js'
import * as IronWebcrypto from 'iron-webcrypto'
import * as HapiIron from '@hapi/iron'
import { sealData, unsealData } from 'iron-session'
import { EncryptJWT, jwtDecrypt } from 'jose'
import { encode as authEncode, decode as authDecode } from '@auth/core/jwt'
import { Codec } from '../dist/index-node.js'
import { setBackend, nobleBackend } from '../dist/aead.js'
import { nodeBackend } from '../dist/node-backend.js'

const session = {
  user_id: 4815162342,
  email: 'ada.lovelace@analytical-engine.example',
  roles: ['admin', 'editor'],
  csrf_token: '3q2-7wAAAAAB8w6XUM4tNOl1cVm0fJ2xZnHpJp9nCQ4',
  flashes: ['All saved.', 'Two-factor auth is on!'],
  prefs: { theme: 'dark', language: 'en-GB', time_zone: 'Europe/London' },
}
const names = ['Organic cotton T-shirt', 'Merino wool socks', 'Waxed canvas tote bag', 'Stainless steel bottle', 'Recycled notebook A5']
const sizes = ['small', 'medium', 'large']
const cart = {
  items: Array.from({ length: 30 }, (_, i) => ({
    sku: `SKU-${String(1000 + 37 * i).padStart(4, '0')}-${sizes[i % 3][0].toUpperCase()}`,
    name: `${names[i % 5]}, ${sizes[i % 3]}, colour number ${String(i % 7).padStart(2, '0')}`,
    qty: 1 + (i % 4),
    price: 1299 + 250 * i,
  })),
}
if (JSON.stringify(session).length !== 279) throw new Error('session is not 279 bytes')
if (JSON.stringify(cart).length !== 2943) throw new Error(`cart is ${JSON.stringify(cart).length} bytes, want 2943`)

const NAME = 'session'
const rand = (n) => crypto.getRandomValues(new Uint8Array(n))
const b64 = (b) => Buffer.from(b).toString('base64url')
const password = b64(rand(32)) // iron wants at least 32 characters

const codec = new Codec({ secrets: [b64(rand(32))] })

const SIGMA = new Uint32Array(new TextEncoder().encode('expand 32-byte k').buffer)
function floorNode() {
  const key = rand(32)
  const kw = new Uint32Array(key.buffer)
  const sub = new Uint32Array(8)
  const derive = (nonce) => {
    hchacha(SIGMA, kw, new Uint32Array(nonce.buffer, nonce.byteOffset, 4), sub)
    const iv = new Uint8Array(12)
    iv.set(nonce.subarray(16, 24), 4)
    return [new Uint8Array(sub.buffer), iv]
  }
  return {
    seal(v) {
      const nonce = rand(24)
      const [k, iv] = derive(nonce)
      const c = createCipheriv('chacha20-poly1305', k, iv, { authTagLength: 16 })
      const ct = c.update(JSON.stringify(v), 'utf8')
      c.final()
      return Buffer.concat([nonce, ct, c.getAuthTag()]).toString('base64url')
    },
    open(s) {
      const raw = Buffer.from(s, 'base64url')
      const nonce = new Uint8Array(24)
      nonce.set(raw.subarray(0, 24))
      const [k, iv] = derive(nonce)
      const d = createDecipheriv('chacha20-poly1305', k, iv, { authTagLength: 16 })
      d.setAuthTag(raw.subarray(raw.length - 16))
      const p = d.update(raw.subarray(24, raw.length - 16))
      d.final()
      return JSON.parse(p.toString('utf8'))
    },
  }
}

function floorNoble() {
  const key = rand(32)
  const enc = new TextEncoder(), dec = new TextDecoder()
  return {
    seal(v) {
      const nonce = rand(24)
      const ct = xchacha20poly1305(key, nonce).encrypt(enc.encode(JSON.stringify(v)))
      const out = new Uint8Array(24 + ct.length)
      out.set(nonce)
      out.set(ct, 24)
      return b64(out)
    },
    open(s) {
      const raw = new Uint8Array(Buffer.from(s, 'base64url'))
      return JSON.parse(dec.decode(xchacha20poly1305(key, raw.subarray(0, 24)).decrypt(raw.subarray(24))))
    },
  }
}

const ironOptions = { ...IronWebcrypto.defaults, ttl: 86400 * 1000 }
const hapiOptions = { ...HapiIron.defaults, ttl: 86400 * 1000 }
const joseGCM = rand(32)
const joseCBC = rand(64)
const authSecret = b64(rand(32))

// BEFORE=<a dist/ of an earlier cookieseal> adds it as one more row (the
// before/after comparison of issue 21); its Web entry, as it had no other.
const before = process.env.BEFORE ? new (await import(process.env.BEFORE + '/index.js')).Codec({ secrets: [b64(rand(32))] }) : undefined

const impls = {
  'cookieseal (node:crypto)': { backend: nodeBackend, seal: (v) => codec.seal(NAME, v), open: (c) => codec.open(NAME, c).value },
  'cookieseal (noble)': { backend: nobleBackend, seal: (v) => codec.seal(NAME, v), open: (c) => codec.open(NAME, c).value },
  ...(before ? { 'cookieseal before (BEFORE)': { seal: (v) => before.seal(NAME, v), open: (c) => before.open(NAME, c).value } } : {}),
  'floor (node:crypto)': floorNode(),
  'floor (noble)': floorNoble(),
  'iron-session': { seal: (v) => sealData(v, { password, ttl: 86400 }), open: (c) => unsealData(c, { password, ttl: 86400 }) },
  'iron-webcrypto': { seal: (v) => IronWebcrypto.seal(v, password, ironOptions), open: (c) => IronWebcrypto.unseal(c, password, ironOptions) },
  '@hapi/iron': { seal: (v) => HapiIron.seal(v, password, hapiOptions), open: (c) => HapiIron.unseal(c, password, hapiOptions) },
  'jose JWE dir A256GCM': {
    seal: (v) => new EncryptJWT(v).setProtectedHeader({ alg: 'dir', enc: 'A256GCM' }).setIssuedAt().setExpirationTime('24h').encrypt(joseGCM),
    open: async (c) => (await jwtDecrypt(c, joseGCM, { maxTokenAge: '24h' })).payload,
  },
  'jose JWE dir A256CBC-HS512': {
    seal: (v) => new EncryptJWT(v).setProtectedHeader({ alg: 'dir', enc: 'A256CBC-HS512' }).setIssuedAt().setExpirationTime('24h').encrypt(joseCBC),
    open: async (c) => (await jwtDecrypt(c, joseCBC, { maxTokenAge: '24h' })).payload,
  },
  'Auth.js (@auth/core/jwt)': {
    seal: (v) => authEncode({ token: v, secret: authSecret, salt: 'authjs.session-token', maxAge: 86400 }),
    open: (c) => authDecode({ token: c, secret: authSecret, salt: 'authjs.session-token' }),
  },
}

/** The cookie with one character near its end changed, within the base64url alphabet. */
function forge(cookie) {
  const A = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'
  let i = cookie.length - 10
  while (!A.includes(cookie[i])) i--
  return cookie.slice(0, i) + A[A.indexOf(cookie[i]) ^ 1] + cookie.slice(i + 1)
}

const ROUNDS = Number(process.env.ROUNDS ?? 15)
const N = Number(process.env.N ?? 300)
const CELLS = ['small seal', 'small open', 'cart seal', 'cart open', 'forged']

// ONLY=<regex> keeps the implementations whose name matches (cookieseal
// (node:crypto) always stays: the ratios are to it).
if (process.env.ONLY) {
  const keep = new RegExp(process.env.ONLY)
  for (const name of Object.keys(impls)) if (name !== 'cookieseal (node:crypto)' && !keep.test(name)) delete impls[name]
}

// Set up every cell: check each implementation round-trips and refuses the forgery.
const cells = []
const lengths = {}
for (const [name, im] of Object.entries(impls)) {
  if (im.backend) setBackend(im.backend)
  const same = (a, b) => JSON.stringify(a.items ?? a.csrf_token) === JSON.stringify(b.items ?? b.csrf_token)
  for (const [label, value] of [['small', session], ['cart', cart]]) {
    const cookie = await im.seal(value)
    if (!same(await im.open(cookie), value)) throw new Error(`${name}: ${label} does not round-trip`)
    lengths[`${name}|${label}`] = NAME.length + 1 + cookie.length
    cells.push({ name, cell: `${label} seal`, fn: () => im.seal(value), backend: im.backend })
    cells.push({ name, cell: `${label} open`, fn: () => im.open(cookie), backend: im.backend })
    if (label === 'small') {
      const forged = forge(cookie)
      // iron-session's unsealData gives {} for a bad seal rather than throwing.
      let opened = true
      try { opened = same(await im.open(forged), value) } catch { opened = false }
      if (opened) throw new Error(`${name}: the forged cookie opened`)
      cells.push({ name, cell: 'forged', backend: im.backend, fn: () => {
        try {
          const r = im.open(forged)
          return r instanceof Promise ? r.then(() => undefined, () => undefined) : undefined
        } catch {
          return undefined
        }
      } })
    }
  }
}

async function run(c, n) {
  if (c.backend) setBackend(c.backend)
  const first = c.fn()
  if (first instanceof Promise) {
    await first
    for (let i = 1; i < n; i++) await c.fn()
  } else {
    for (let i = 1; i < n; i++) c.fn()
  }
}

for (const c of cells) await run(c, Math.max(N, 2)) // warm-up
const times = new Map(cells.map((c) => [c, []]))
for (let r = 0; r < ROUNDS; r++) {
  for (const c of cells) {
    const t0 = process.cpuUsage()
    await run(c, N)
    const t = process.cpuUsage(t0)
    times.get(c).push(((t.user + t.system) / N))
  }
}
setBackend(nodeBackend)

const med = (a) => [...a].sort((x, y) => x - y)[a.length >> 1]
const result = {}
for (const c of cells) result[`${c.name}|${c.cell}`] = med(times.get(c))
const base = 'cookieseal (node:crypto)'
console.log(`node ${process.version}, ${ROUNDS} rounds x ${N} ops, interleaved; median CPU us/op (ratio to ${base}); load ${loadavg()[0].toFixed(1)}`)
console.log('| impl | small cookie | cart cookie | ' + CELLS.join(' | ') + ' |')
console.log('|---|---:|---:|' + CELLS.map(() => '---:').join('|') + '|')
for (const name of Object.keys(impls)) {
  const row = [name]
  for (const label of ['small', 'cart']) {
    const l = lengths[`${name}|${label}`]
    row.push(l <= 4096 ? String(l) : `${l} (over 4096)`)
  }
  for (const cell of CELLS) {
    const v = result[`${name}|${cell}`], b = result[`${base}|${cell}`]
    row.push(name === base ? v.toFixed(1) : `${v.toFixed(1)} (${(v / b).toFixed(2)}x)`)
  }
  console.log('| ' + row.join(' | ') + ' |')
}
console.log('JSON ' + JSON.stringify(result))
