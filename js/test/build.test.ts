// The built package and the single-file bundle (npm test builds both first)
// hold no import of a node: module or any Node built-in, no require, and no
// WebAssembly: the core runs unchanged on Node, Deno, Bun, browsers, Workers
// and edge runtimes.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { readFileSync, readdirSync, existsSync } from 'node:fs'
import { builtinModules } from 'node:module'
import { fileURLToPath } from 'node:url'

const JS = fileURLToPath(new URL('../../', import.meta.url))
const builtins = new Set(builtinModules.filter((m) => !m.startsWith('_')))

/** Every module specifier imported or re-exported by source. */
function specifiers(source: string): string[] {
  const out: string[] = []
  const re = /\b(?:import|export)\s*(?:[^'"`;]*?\sfrom\s*)?['"]([^'"]+)['"]|\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)/g
  for (const m of source.matchAll(re)) out.push((m[1] ?? m[2])!)
  return out
}

function check(file: string): void {
  const src = readFileSync(file, 'utf8')
  for (const s of specifiers(src)) {
    assert.ok(!s.startsWith('node:'), `${file} imports ${s}`)
    assert.ok(!builtins.has(s.split('/')[0]!), `${file} imports the Node built-in ${s}`)
  }
  assert.ok(!/\bWebAssembly\b/.test(src), `${file} mentions WebAssembly`)
  assert.ok(!/\brequire\s*\(/.test(src), `${file} calls require`)
  assert.ok(!/\bBuffer\b/.test(src), `${file} uses Buffer`)
  assert.ok(!/\bprocess\./.test(src), `${file} uses process`)
}

test('build: dist/ has the package files and types', () => {
  for (const f of ['index.js', 'index.d.ts', 'node.js', 'node.d.ts']) assert.ok(existsSync(JS + 'dist/' + f), f)
})

test('build: no node: import, Node built-in, require or WebAssembly in dist/', () => {
  const files = readdirSync(JS + 'dist').filter((f) => f.endsWith('.js'))
  assert.ok(files.length >= 8, files.join(' '))
  for (const f of files) check(JS + 'dist/' + f)
})

test('build: the single-file bundle (with noble and fflate inside) has none either', () => {
  check(JS + 'build/cookieseal.bundle.js')
})

test('build: the check itself catches each forbidden form', () => {
  for (const bad of ["import x from 'node:crypto'", "import { a } from 'fs'", "export * from 'node:fs'", "await import('node:crypto')", 'WebAssembly.instantiate(x)', "require('x')"]) {
    const specs = specifiers(bad)
    const caught = specs.some((s) => s.startsWith('node:') || builtins.has(s)) || /\bWebAssembly\b|\brequire\s*\(/.test(bad)
    assert.ok(caught, bad)
  }
})
