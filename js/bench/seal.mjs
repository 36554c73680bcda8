// Codec.seal alone on the 279-byte session of bench.mjs, with no other
// package: a quick check of what sealing costs (for example, drawing every
// nonce from crypto.getRandomValues at each seal, SESSIONS.md S5.8).
//
//   cd js && npm run build && node bench/seal.mjs
//
// Reports the median over rounds of the process CPU time (user + system) per
// seal, and the median wall time beside it.
const { Codec, generateSecret } = await import(process.env.DIST ? process.env.DIST + '/index.js' : '../dist/index.js')

const session = {
  user_id: 4815162342,
  email: 'ada.lovelace@analytical-engine.example',
  roles: ['admin', 'editor'],
  csrf_token: '3q2-7wAAAAAB8w6XUM4tNOl1cVm0fJ2xZnHpJp9nCQ4',
  flashes: ['All saved.', 'Two-factor auth is on!'],
  prefs: { theme: 'dark', language: 'en-GB', time_zone: 'Europe/London' },
}
const codec = new Codec({ secrets: [generateSecret()] })
const ROUNDS = Number(process.env.ROUNDS ?? 15)
const N = Number(process.env.N ?? 5000)

for (let i = 0; i < N; i++) codec.seal('session', session) // warm-up
const cpu = [], wall = []
for (let r = 0; r < ROUNDS; r++) {
  const c0 = process.cpuUsage(), t0 = process.hrtime.bigint()
  for (let i = 0; i < N; i++) codec.seal('session', session)
  const t1 = process.hrtime.bigint(), c1 = process.cpuUsage(c0)
  cpu.push(((c1.user + c1.system) * 1000) / N)
  wall.push(Number(t1 - t0) / N)
}
const med = (a) => a.sort((x, y) => x - y)[a.length >> 1]
console.log(`node ${process.version}, ${ROUNDS} rounds x ${N} seals: seal ${(med(cpu) / 1000).toFixed(2)} cpu-us/op, ${(med(wall) / 1000).toFixed(2)} wall-us/op (medians)`)
