// The Redis revocation list (cookieseal/redis) against Debian's redis-server
// started on a free loopback port: the key layout of SESSIONS.md S9.5,
// another server's revocation after its cache time, a subject before a
// time, and Redis stopped (fail open and closed) then restarted. A missing
// redis-server fails under CI=true and skips otherwise.
import { test, after } from 'node:test'
import assert from 'node:assert/strict'
import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { createServer } from 'node:net'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createClient } from 'redis'
import { RedisRevocations, type RedisClientLike } from '../src/redis.js'
import { Codec, type Info } from '../src/codec.js'
import { Cookies } from '../src/cookies.js'
import { generateSecret } from '../src/codec.js'

const have = spawnSync('redis-server', ['--version']).status === 0
if (!have && process.env.CI === 'true') throw new Error('redis-server is not installed (apt-get install -y redis-server)')

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const p = (s.address() as { port: number }).port
      s.close(() => resolve(p))
    })
  })
}

class Redis {
  proc?: ChildProcess
  constructor(readonly port: number, readonly dir: string) {}
  async start(): Promise<void> {
    this.proc = spawn('redis-server', ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', this.dir], { stdio: 'ignore' })
    for (let i = 0; i < 500; i++) {
      const c = createClient({ socket: { host: '127.0.0.1', port: this.port, reconnectStrategy: false } })
      c.on('error', () => {})
      try {
        await c.connect()
        await c.ping()
        await c.close()
        return
      } catch {
        await new Promise((r) => setTimeout(r, 20))
      }
    }
    throw new Error('redis-server did not start')
  }
  async stop(): Promise<void> {
    const p = this.proc
    if (!p || p.exitCode !== null) return
    await new Promise((r) => { p.once('exit', r); p.kill('SIGKILL') })
  }
}

const servers: Redis[] = []
after(async () => { for (const s of servers) await s.stop() })

async function startRedis(): Promise<Redis> {
  const r = new Redis(await freePort(), mkdtempSync(join(tmpdir(), 'redis-')))
  await r.start()
  servers.push(r)
  return r
}

async function client(r: Redis) {
  const c = createClient({ disableOfflineQueue: true, socket: { host: '127.0.0.1', port: r.port, reconnectStrategy: () => 50 } })
  c.on('error', () => {})
  await c.connect()
  return c
}

function info(sessionId: string, subject: string, createdAt: number): Info {
  return { issuedAt: createdAt, createdAt, keyId: '00000000', reissue: false, refresh: false, typed: false, compressed: false, sessionId, subject }
}

const A = 'a1'.repeat(16), B = 'b2'.repeat(16)

test('redis: a revocation reaches another server after its cache time; the layout is SESSIONS.md S9.5', { skip: !have && 'redis-server is not installed' }, async () => {
  const r = await startRedis()
  const c1 = await client(r), c2 = await client(r)
  let now = Date.now()
  const one = new RedisRevocations(c1 as unknown as RedisClientLike, { now: () => now })
  const two = new RedisRevocations(c2 as unknown as RedisClientLike, { now: () => now })
  const t = Math.floor(now / 1000)
  assert.equal(await two.revoked(info(A, 'alice', t)), false)
  await one.revokeSession(A, t + 3600)
  assert.equal(await one.revoked(info(A, 'alice', t)), true, 'the writer sees it at once')
  assert.equal(await two.revoked(info(A, 'alice', t)), false, 'cached within the cache time')
  now += 1000
  assert.equal(await two.revoked(info(A, 'alice', t)), true, 'seen after the cache time')
  assert.equal(await two.revoked(info(B, 'alice', t)), false, 'another session of the subject')
  assert.equal(await c1.get('cookieseal:v1:revoked:sid:' + A), '1')
  assert.equal(await c1.expireTime('cookieseal:v1:revoked:sid:' + A), t + 3600 + 2)
  await one.revokeSubject('élise', t, t + 3600)
  assert.equal(await c1.get('cookieseal:v1:revoked:sub:c3a96c697365'), String(t))
  now += 1000
  assert.equal(await two.revoked(info(B, 'élise', t - 1)), true, 'created before')
  assert.equal(await two.revoked(info(B, 'élise', t)), false, 'created in the second of the revocation')
  await one.revokeSubject('élise', t - 100, t + 60)
  assert.equal(await c1.get('cookieseal:v1:revoked:sub:c3a96c697365'), String(t), 'the later before is kept')
  assert.equal(await c1.expireTime('cookieseal:v1:revoked:sub:c3a96c697365'), t + 3600 + 2, 'the later expiry is kept')
  await c1.close(); await c2.close()
})

test('redis: Redis stopped: fail open (default) and closed, stale answers kept, Cookies.readAsync; then restarted', { skip: !have && 'redis-server is not installed' }, async () => {
  const r = await startRedis()
  const c1 = await client(r), c2 = await client(r)
  let now = Date.now()
  const errors: unknown[] = []
  const open = new RedisRevocations(c1 as unknown as RedisClientLike, { now: () => now, onError: (e) => errors.push(e) })
  const closed = new RedisRevocations(c2 as unknown as RedisClientLike, { now: () => now, failClosed: true })
  const t = Math.floor(now / 1000)
  await open.revokeSession(B, t + 3600)
  for (const l of [open, closed]) {
    assert.equal(await l.revoked(info(A, 'alice', t)), false)
    assert.equal(await l.revoked(info(B, 'bob', t)), true)
  }
  await r.stop()
  now += 3600_000
  const unseen = info('c3'.repeat(16), 'carol', t)
  assert.equal(await open.revoked(info(A, 'alice', t)), false, 'open, seen: stale answer')
  assert.equal(await open.revoked(info(B, 'bob', t)), true, 'open, revoked: stale answer')
  assert.equal(await open.revoked(unseen), false, 'open, unseen: accepted')
  assert.equal(await closed.revoked(info(B, 'bob', t)), true, 'closed, revoked: stale answer')
  await assert.rejects(closed.revoked(unseen), 'closed, unseen: refused')
  assert.ok(errors.length > 0, 'onError called')
  const codec = new Codec({ secrets: [generateSecret()] })
  const h = new Headers()
  const ck = new Cookies(codec, { revocations: closed, insecure: true })
  ck.login(h, null, 's', { u: 1 }, 'dave')
  const cookie = h.getSetCookie()[0]!.split(';')[0]!
  await assert.rejects(ck.readAsync(cookie, 's'), (e: any) => e.code === 'ERR_COOKIESEAL_REVOKED')
  assert.throws(() => ck.read(cookie, 's'), (e: any) => e.code === 'ERR_COOKIESEAL_CONFIG', 'read needs readAsync with an async list')
  await r.start()
  await new Promise((res) => setTimeout(res, 200)) // the client reconnects every 50 ms
  assert.equal(await closed.revoked(unseen), false, 'after the restart')
  await c1.close(); await c2.close()
})
