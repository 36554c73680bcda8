// The secrets grammar (SESSIONS.md section 7): the shared suite
// ../testdata/secrets/secrets.json run unchanged, secrets that are not valid
// Unicode refused by the codec, and the Node-only file reader and reloader.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { mkdirSync, mkdtempSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Codec, generateSecret } from '../src/codec.js'
import { ConfigError } from '../src/errors.js'
import { deriveKey } from '../src/keys.js'
import { parseSecrets, parseSecretsFile, firstInvalidUTF8 } from '../src/secrets.js'
import { MAX_SECRETS_FILE_SIZE, SecretsReloader, readSecretsFile, watchSecretsFile } from '../src/node-secrets.js'
import * as index from '../src/index.js'
import { TESTDATA, readJSON, hex } from './helpers.js'

const suite = readJSON(TESTDATA + 'secrets/secrets.json')

const tmp = () => mkdtempSync(join(tmpdir(), 'cookieseal-secrets-'))
const ids = (secrets: string[]) => secrets.map((s) => deriveKey(s).idHex)
const enc = new TextEncoder()

/** Fails if err's message holds any of the secrets, or a 16-character piece of one. */
function noSecret(err: unknown, ...secrets: string[]): void {
  const m = String((err as Error).message)
  for (const s of secrets) assert.ok(!m.includes(s) && !m.includes(s.slice(0, 16)), 'the error quotes a secret')
}

test('secrets suite: header', () => {
  assert.equal(suite.suite, 'cookieseal secrets')
  assert.equal(Number(suite.format), 1)
  assert.ok(suite.cases.length > 0)
})

for (const c of suite.cases) {
  test(c.id, () => {
    assert.ok((c.input === undefined) !== (c.input_hex === undefined), 'exactly one of input and input_hex')
    const bytes: Uint8Array = c.input !== undefined ? enc.encode(c.input) : hex(c.input_hex)
    const outcomes: Array<() => string[]> = []
    if (c.kind === 'string') {
      outcomes.push(() => parseSecrets(c.input))
    } else if (c.kind === 'file') {
      const now = c.now === undefined ? Date.now() : Number(c.now) * 1000
      outcomes.push(() => parseSecretsFile(bytes, now))
      if (c.input !== undefined) outcomes.push(() => parseSecretsFile(c.input, now))
      outcomes.push(() => {
        const path = join(tmp(), 'secrets')
        writeFileSync(path, bytes, { mode: 0o600 })
        return readSecretsFile(path, now)
      })
    } else {
      assert.fail(`kind ${c.kind}`)
    }
    for (const run of outcomes) {
      if (c.expect.error !== undefined) {
        assert.throws(run, (e: unknown) => e instanceof ConfigError && /not valid UTF-8 \(line \d+\)|activate/.test((e as Error).message))
        continue
      }
      const got = run()
      assert.deepEqual(got, c.expect.secrets)
      assert.deepEqual(ids(got), c.expect.key_ids)
      if (got.length > 0) assert.deepEqual(new Codec({ secrets: got }).keyIds, c.expect.key_ids)
    }
  })
}

test('secrets: parseSecrets and parseSecretsFile are exported from the package', () => {
  assert.equal(index.parseSecrets, parseSecrets)
  assert.equal(index.parseSecretsFile, parseSecretsFile)
  assert.deepEqual(parseSecrets(undefined), [])
  assert.deepEqual(parseSecrets(null), [])
})

test('secrets: the UTF-8 check finds the first bad byte and agrees with a fatal TextDecoder', () => {
  const fatal = new TextDecoder('utf-8', { fatal: true })
  const cases: Array<[string, number]> = [
    ['', -1], ['41', -1], ['c3a9', -1], ['e282ac', -1], ['f09f9880', -1], ['f48fbfbf', -1], ['efbbbf41', -1],
    ['ff', 0], ['41c0af', 1], ['c1bf', 0], ['e080af', 0], ['eda080', 0], ['edbfbf', 0], ['f08f8080', 0],
    ['f4908080', 0], ['f5808080', 0], ['4180', 1], ['41e282', 1], ['c3', 0], ['c341', 0], ['e2ac', 0], ['e2ac82', -1],
  ]
  for (const [h, want] of cases) {
    const b = hex(h)
    assert.equal(firstInvalidUTF8(b), want, h)
    let valid = true
    try { fatal.decode(b) } catch { valid = false }
    assert.equal(valid, want === -1, `TextDecoder on ${h}`)
  }
})

// Secrets that are not valid Unicode: TextEncoder would turn each lone
// surrogate into U+FFFD, so two different secrets would give one key.
const NOT_UNICODE: Array<[string, string]> = [
  ['a lone high surrogate at the end', 'x'.repeat(40) + '\ud800'],
  ['a lone low surrogate', 'x'.repeat(20) + '\udc00' + 'x'.repeat(20)],
  ['a reversed pair', 'x'.repeat(40) + '\udc00\ud800'],
  ['two high surrogates', '\ud83d\ud83d' + 'x'.repeat(40)],
  ['a lone high surrogate before a letter', '\ud83dx' + 'x'.repeat(40)],
]

test('secrets: the codec refuses a secret that is not valid Unicode, never replacing it by U+FFFD', () => {
  const good = generateSecret()
  const replaced = 'x'.repeat(40) + '\ufffd'
  for (const [what, s] of NOT_UNICODE) {
    for (const ring of [[s], [good, s]]) {
      assert.throws(() => new Codec({ secrets: ring }), (e: unknown) => e instanceof ConfigError && /not valid Unicode/.test((e as Error).message) && !(e as Error).message.includes('x'.repeat(16)), what)
    }
    const codec = new Codec({ secrets: [good] })
    assert.throws(() => codec.setSecrets([s, good]), ConfigError, what)
    assert.deepEqual(codec.keyIds, ids([good]), `${what}: the ring stays as it was`)
    assert.throws(() => parseSecretsFile(good + '\n' + s + '\n'), /not valid UTF-8 \(line 2\)/, what)
  }
  // A well-formed pair is a character like any other, and U+FFFD itself is a valid secret.
  assert.deepEqual(new Codec({ secrets: ['\ud83d\ude00' + 'x'.repeat(40)] }).keyIds.length, 1)
  assert.deepEqual(new Codec({ secrets: [replaced] }).keyIds, ids([replaced]))
})

test('secrets: readSecretsFile refuses an oversized file, /dev/zero, a directory and a missing file without quoting', () => {
  const dir = tmp()
  const a = generateSecret()
  const exact = join(dir, 'exact')
  writeFileSync(exact, a + '\n' + '#'.repeat(MAX_SECRETS_FILE_SIZE - a.length - 2) + '\n')
  assert.deepEqual(readSecretsFile(exact), [a])
  const over = join(dir, 'over')
  writeFileSync(over, a + '\n' + '#'.repeat(MAX_SECRETS_FILE_SIZE - a.length - 1) + '\n')
  assert.throws(() => readSecretsFile(over), (e: unknown) => e instanceof ConfigError && /larger than 65536 bytes/.test((e as Error).message) && (noSecret(e, a), true))
  assert.throws(() => readSecretsFile('/dev/zero'), /larger than 65536 bytes/)
  assert.throws(() => readSecretsFile(dir), (e: unknown) => e instanceof ConfigError && (e.cause as { code?: string }).code === 'EISDIR')
  assert.throws(() => readSecretsFile(join(dir, 'none')), (e: unknown) => e instanceof ConfigError && (e.cause as { code?: string }).code === 'ENOENT')
  const bad = join(dir, 'bad')
  writeFileSync(bad, Uint8Array.from([...enc.encode('# ring\n' + a + '\n'), 0xe9, 0x0a]))
  assert.throws(() => readSecretsFile(bad), (e: unknown) => (e as Error).message === `cookieseal: secrets file ${bad} is not valid UTF-8 (line 3)`)
})

/** A secrets file with text, and a codec whose ring is its secrets, under a reloader. */
function setup(text: string, opts = {}) {
  const path = join(tmp(), 'secrets')
  writeFileSync(path, text, { mode: 0o600 })
  const codec = new Codec({ secrets: readSecretsFile(path) })
  return { path, codec, r: new SecretsReloader(codec, path, opts) }
}

test('reloader: a change applies at the second poll that reads it; reload() reads twice', () => {
  const [a, b, c] = [generateSecret(), generateSecret(), generateSecret()]
  const { path, codec, r } = setup(a + '\n')
  writeFileSync(path, b + '\n' + a + '\n')
  assert.deepEqual(r.poll(), { changed: false, error: null })
  assert.deepEqual(codec.keyIds, ids([a]), 'content read once is not applied')
  assert.deepEqual(r.poll(), { changed: true, error: null })
  assert.deepEqual(codec.keyIds, ids([b, a]))
  assert.deepEqual(r.poll(), { changed: false, error: null })

  // A torn write: the prefix of the new first secret is read once, then the whole: neither applies alone.
  writeFileSync(path, c.slice(0, 40) + '\n' + b + '\n')
  r.poll()
  writeFileSync(path, c + '\n' + b + '\n')
  r.poll()
  assert.deepEqual(codec.keyIds, ids([b, a]), 'the torn read was never applied')
  r.poll()
  assert.deepEqual(codec.keyIds, ids([c, b]))

  writeFileSync(path, a + '\n' + c + '\n')
  r.reload()
  assert.deepEqual(codec.keyIds, ids([a, c]), 'reload() applies at once: it reads twice')
})

test('reloader: a file keeping none of the current key IDs is refused unless allowReplaceAll', () => {
  const [a, b, c] = [generateSecret(), generateSecret(), generateSecret()]
  const { path, codec, r } = setup(a + '\n' + b + '\n')
  writeFileSync(path, c + '\n')
  assert.throws(() => r.reload(), (e: unknown) => e instanceof ConfigError && /keeps none of the current keys/.test((e as Error).message) && (noSecret(e, a, b, c), true))
  assert.deepEqual(codec.keyIds, ids([a, b]))
  assert.throws(() => r.reload(), /keeps none/, 'an unchanged refused file throws again')
  writeFileSync(path, c + '\n' + b + '\n')
  r.reload()
  assert.deepEqual(codec.keyIds, ids([c, b]), 'one kept key is enough')

  const other = setup(a + '\n', { allowReplaceAll: true })
  writeFileSync(other.path, c + '\n')
  other.r.reload()
  assert.deepEqual(other.codec.keyIds, ids([c]))
})

test('reloader: the ring stays as it was on every error, and the next good file applies', () => {
  const [a, b] = [generateSecret(), generateSecret()]
  const { path, codec, r } = setup(a + '\n')
  const bad: Array<[string, string | Uint8Array | null, RegExp]> = [
    ['missing', null, /ENOENT/],
    ['not UTF-8', Uint8Array.from([...enc.encode(b + '\n' + a), 0xff]), /not valid UTF-8 \(line 2\)/],
    ['a short secret', b + '\nshort\n' + a + '\n', /secret 2 of 3 is 5 bytes/],
    ['no secret', '# none\n', /no secrets/],
    ['two alike', a + '\n' + a + '\n', /identical/],
    ['too large', b + '\n' + a + '\n' + '#'.repeat(MAX_SECRETS_FILE_SIZE), /larger than/],
  ]
  for (const [what, content, re] of bad) {
    if (content === null) rmSync(path)
    else writeFileSync(path, content)
    assert.throws(() => r.reload(), (e: unknown) => e instanceof ConfigError && re.test((e as Error).message) && (noSecret(e, a, b), true), what)
    assert.deepEqual(codec.keyIds, ids([a]), `${what}: the ring stays`)
  }
  writeFileSync(path, b + '\n' + a + '\n')
  r.reload()
  assert.deepEqual(codec.keyIds, ids([b, a]))
})

test('reloader: a failing constructor leaves the codec as it was', () => {
  const a = generateSecret()
  const codec = new Codec({ secrets: [a] })
  const dir = tmp()
  assert.throws(() => new SecretsReloader(codec, join(dir, 'none')), ConfigError)
  writeFileSync(join(dir, 'empty'), '')
  assert.throws(() => new SecretsReloader(codec, join(dir, 'empty')), /no secrets/)
  assert.throws(() => watchSecretsFile(codec, join(dir, 'empty'), 1000), /no secrets/)
  assert.throws(() => watchSecretsFile(codec, join(dir, 'empty'), 0), /interval/)
  assert.deepEqual(codec.keyIds, ids([a]))
})

// A Kubernetes secret volume: secrets -> ..data/secrets, ..data ->
// ..2026_12_08_v1; an update writes ..2026_12_08_v2 and renames a new
// ..data symlink over the old one.
test('reloader: follows the ..data symlink swap of a Kubernetes secret volume', () => {
  const [a, b] = [generateSecret(), generateSecret()]
  const dir = tmp()
  const version = (name: string, text: string) => {
    mkdirSync(join(dir, name))
    writeFileSync(join(dir, name, 'secrets'), text, { mode: 0o600 })
    symlinkSync(name, join(dir, '..data_tmp'))
    renameSync(join(dir, '..data_tmp'), join(dir, '..data'))
  }
  version('..2026_12_08_v1', a)
  const path = join(dir, 'secrets')
  symlinkSync(join('..data', 'secrets'), path)
  const codec = new Codec({ secrets: readSecretsFile(path) })
  const r = new SecretsReloader(codec, path)
  assert.deepEqual(codec.keyIds, ids([a]))
  version('..2026_12_08_v2', b + '\n' + a)
  rmSync(join(dir, '..2026_12_08_v1'), { recursive: true })
  r.reload()
  assert.deepEqual(codec.keyIds, ids([b, a]))
})

test('reloader: start() polls, reports each new failure once, and stops', async () => {
  const [a, b] = [generateSecret(), generateSecret()]
  const { path, codec, r } = setup(a + '\n')
  const errors: Error[] = []
  const stop = r.start(5, (e) => errors.push(e))
  try {
    const until = async (what: string, ok: () => boolean) => {
      for (let i = 0; i < 2000 && !ok(); i++) await new Promise((res) => setTimeout(res, 5))
      assert.ok(ok(), what)
    }
    writeFileSync(path, b + '\n' + a + '\n')
    await until('the change applied', () => codec.keyIds[0] === ids([b])[0])
    writeFileSync(path, b + '\nshort\n')
    await until('the bad file reported', () => errors.length > 0)
    const polled = r.poll() // the bad file is settled: polls report no news
    assert.equal(polled.changed, false)
    assert.match(String(polled.error?.message), /is 5 bytes/)
    assert.equal(errors.length, 1, 'reported once')
    assert.deepEqual(codec.keyIds, ids([b, a]))
  } finally {
    stop()
  }
  assert.throws(() => r.start(0), /interval/)
  assert.throws(() => r.start(Number.NaN), /interval/)
})

test('secrets: a reloader starts sealing with a secret at its activate= time, without a file change; nobody is logged out', () => {
  const oldS = generateSecret(), newS = generateSecret()
  const at = Date.UTC(2026, 5, 1) // 2026-06-01T00:00:00Z
  let clock = at - 60_000
  const path = join(tmp(), 'secrets')
  writeFileSync(path, `${newS} #activate=2026-06-01T00:00:00Z\n${oldS}\n`, { mode: 0o600 })
  const codec = new Codec({ secrets: [oldS], now: () => clock })
  const r = new SecretsReloader(codec, path)
  const [oldId, newId] = [new Codec({ secrets: [oldS] }).keyIds[0], new Codec({ secrets: [newS] }).keyIds[0]]
  assert.deepEqual(codec.keyIds, [oldId, newId], 'before: the old key seals, the new one opens')
  const before = codec.seal('s', 'v')
  assert.equal(r.poll().changed, false)
  clock = at
  assert.equal(r.poll().changed, true)
  assert.deepEqual(codec.keyIds, [newId, oldId], 'at the time: the new key seals')
  const { info } = codec.open('s', before)
  assert.equal(info.reissue, true, 'the old cookie opens and is re-issued')
  const u = codec.keyUsage()
  assert.equal(u[1]!.retireAfter, at + (codec.maxAge + 60) * 1000)
  assert.equal(u[1]!.sealed, 1)
})
