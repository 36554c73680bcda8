// The JS runner of the header differential test (differential_headers_test.go
// at the repository root): `node build/test/differential_headers.js
// headers.json out.json` reads the session of every Cookie header of the
// file with Cookies (SESSIONS.md S2, S4) and writes one outcome per header.
// Run without arguments (as `node --test` runs every file of build/test/) it
// does nothing: it is a tool, not a test.
import { readFileSync, writeFileSync } from 'node:fs'
import { Codec } from '../src/codec.js'
import { Cookies } from '../src/cookies.js'
import { parseJSON } from '../src/json.js'

const CLASS: Record<string, string> = {
  ERR_COOKIESEAL_INVALID: 'invalid',
  ERR_COOKIESEAL_EXPIRED: 'expired',
  ERR_COOKIESEAL_UNKNOWN_KEY: 'unknown_key',
  ERR_COOKIESEAL_TOO_LARGE: 'too_large',
}

/** JSON with sorted keys and no spaces, as Go's json.Marshal of a map writes it. */
function canonical(v: unknown): string {
  if (v === null || typeof v !== 'object') return typeof v === 'bigint' ? v.toString() : JSON.stringify(v)
  if (Array.isArray(v)) return '[' + v.map(canonical).join(',') + ']'
  const o = v as Record<string, unknown>
  return '{' + Object.keys(o).sort().map((k) => JSON.stringify(k) + ':' + canonical(o[k])).join(',') + '}'
}

function run(input: string, output: string): void {
  const file = parseJSON(readFileSync(input, 'utf8')) as { cases: any[] }
  const out = file.cases.map((c) => {
    const codec = new Codec({ secrets: c.secrets, now: () => Number(c.now) * 1000, maxAge: Number(c.max_age) })
    const cookies = new Cookies(codec, { hostPrefix: c.prefix === '__Host-', maxChunks: Number(c.max_parts) })
    const id = Number(c.id)
    try {
      const s = cookies.read(c.header as string, c.name as string)
      if (s === undefined) return { id, class: 'none' }
      return {
        id,
        class: 'ok',
        session: canonical(s.value),
        issued_at: String(s.info.issuedAt),
        created_at: String(s.info.createdAt),
        key_id: s.info.keyId,
      }
    } catch (e) {
      const err = e as { code?: string; message?: string; name?: string }
      return { id, class: (err && err.code && CLASS[err.code]) || `other: ${err?.name}: ${err?.message}`, error: String(err?.message) }
    }
  })
  writeFileSync(output, JSON.stringify(out))
}

const [input, output] = process.argv.slice(2)
if (input && output) run(input, output)
