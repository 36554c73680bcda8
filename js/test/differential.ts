// The JS runner of the differential test (differential_test.go at the
// repository root): `node build/test/differential.js cookies.json out.json`
// opens every cookie of the file on every path (openRaw, open, openValues)
// and writes one outcome per path. Run without arguments (as `node --test`
// runs every file of build/test/) it does nothing: it is a tool, not a test.
import { readFileSync, writeFileSync } from 'node:fs'
import { Codec, type Info } from '../src/codec.js'
import { encodeValues } from '../src/values.js'
import { encodeUTF8, parseJSON, parseTree } from '../src/json.js'
import { toHex } from './helpers.js'
import { setBackend } from '../src/aead.js'
import { nodeBackend } from '../src/node-backend.js'

// COOKIESEAL_DIFF_JS_BACKEND=node:crypto opens on the "node" entry's backend;
// otherwise on the default (@noble/ciphers), which the Web entry uses.
if (process.env.COOKIESEAL_DIFF_JS_BACKEND === 'node:crypto') {
  if (nodeBackend.name !== 'node:crypto') throw new Error('node:crypto has no ChaCha20-Poly1305 here')
  setBackend(nodeBackend)
}

interface Outcome {
  class: string
  payload?: string
  issued_at?: string
  created_at?: string
  key_id?: string
  values?: string
  error?: string
}

const CLASS: Record<string, string> = {
  ERR_COOKIESEAL_INVALID: 'invalid',
  ERR_COOKIESEAL_EXPIRED: 'expired',
  ERR_COOKIESEAL_UNKNOWN_KEY: 'unknown_key',
  ERR_COOKIESEAL_TOO_LARGE: 'too_large',
}

function failed(e: unknown): Outcome {
  const err = e as { code?: string; message?: string; name?: string }
  const cls = (err && err.code && CLASS[err.code]) || `other: ${err?.name}: ${err?.message}`
  return { class: cls, error: String(err?.message) }
}

function ok(info: Info): Outcome {
  return { class: 'ok', issued_at: String(info.issuedAt), created_at: String(info.createdAt), key_id: info.keyId }
}

function attempt(f: () => Outcome): Outcome {
  try {
    return f()
  } catch (e) {
    return failed(e)
  }
}

function run(input: string, output: string): void {
  const file = parseJSON(readFileSync(input, 'utf8')) as { cases: any[] }
  const out = file.cases.map((c) => {
    const codec = new Codec({
      secrets: c.secrets,
      now: () => Number(c.now) * 1000 + Number(c.now_ms),
      maxAge: Number(c.max_age),
      maxLifetime: Number(c.max_lifetime),
      maxPayload: Number(c.max_payload),
      maxLength: Number(c.max_length),
    })
    const raw = attempt(() => {
      const { json, info } = codec.openRaw(c.name, c.cookie)
      return { ...ok(info), payload: toHex(encodeUTF8(json)) }
    })
    const parsed = attempt(() => {
      codec.open(c.name, c.cookie)
      return { class: 'ok' }
    })
    const values = attempt(() => {
      const { value, info } = codec.openValues(c.name, c.cookie)
      // encodeValues does not check what sealValues checks before sealing (strict JSON, 512 levels).
      let enc: string
      try {
        enc = encodeValues(value)
        parseTree(enc)
      } catch (e) {
        return { class: 'unencodable', error: String((e as Error).message) }
      }
      return { ...ok(info), values: toHex(encodeUTF8(enc)) }
    })
    return { id: Number(c.id), raw, parsed, values }
  })
  writeFileSync(output, JSON.stringify(out))
}

const [input, output] = process.argv.slice(2)
if (input !== undefined && output !== undefined) run(input, output)
