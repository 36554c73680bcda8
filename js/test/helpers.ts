import { readFileSync, readdirSync, existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { parseJSON } from '../src/json.js'

/** The repository's root testdata/ (js/build/test/ -> ../../../testdata). */
export const TESTDATA = fileURLToPath(new URL('../../../testdata/', import.meta.url))

/** Reads a JSON file with the package's own strict parser, so big integers stay exact. */
export function readJSON(path: string): any {
  return parseJSON(readFileSync(path, 'utf8'))
}

export function conformanceFiles(): string[] {
  // COOKIESEAL_CONFORMANCE_DIR runs another copy of the suite (a branch's, while it is being written).
  const dir = process.env.COOKIESEAL_CONFORMANCE_DIR ? process.env.COOKIESEAL_CONFORMANCE_DIR.replace(/\/?$/, '/') : TESTDATA + 'conformance/'
  if (!existsSync(dir)) return []
  return readdirSync(dir).filter((f) => f.endsWith('.json')).sort().map((f) => dir + f)
}

export function hex(s: string): Uint8Array {
  const out = new Uint8Array(s.length / 2)
  for (let i = 0; i < out.length; i++) out[i] = parseInt(s.slice(2 * i, 2 * i + 2), 16)
  return out
}

export function toHex(b: Uint8Array): string {
  return Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('')
}

/** A clock fixed at Unix second s. */
export function at(s: number | bigint): () => number {
  return () => Number(s) * 1000
}
