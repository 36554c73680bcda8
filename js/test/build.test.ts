// The built package and the single-file bundle (npm test builds both first)
// hold no import of a node: module or any Node built-in, no require, and no
// WebAssembly: the core runs unchanged on Node, Deno, Bun, browsers, Workers
// and edge runtimes. The exceptions are the Node-only files: the secrets file
// reader, dist/node-secrets.js, exported as cookieseal/node/secrets under the
// "node" condition alone; and the node:crypto backend, dist/node-backend.js,
// imported only through dist/use-node-backend.js by the entries of the
// "node" condition (dist/index-node.js for ".", dist/<m>-node.js for
// "./node", "./express", "./hono", "./next"; the Web entries stay the
// default). No other file imports any of them.
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

/** Files that may import node: modules: only under the "node" export condition. */
const NODE_ONLY = new Set(['node-secrets.js', 'node-backend.js', 'use-node-backend.js', 'index-node.js', 'node-node.js', 'express-node.js', 'hono-node.js', 'next-node.js'])

test('build: dist/ has the package files and types', () => {
  for (const f of ['index.js', 'index.d.ts', 'node.js', 'node.d.ts', 'secrets.js', 'node-secrets.js', 'node-secrets.d.ts', 'express.js', 'express.d.ts', 'hono.js', 'hono.d.ts', 'next.js', 'next.d.ts', 'session.js', 'migrate.js']) assert.ok(existsSync(JS + 'dist/' + f), f)
})

test('build: no node: import, Node built-in, require or WebAssembly in dist/ outside the Node-only files', () => {
  const files = readdirSync(JS + 'dist').filter((f) => f.endsWith('.js') && !NODE_ONLY.has(f))
  assert.ok(files.length >= 8, files.join(' '))
  for (const f of files) check(JS + 'dist/' + f)
})

test('build: the Node-only files are exported under the node condition alone, and no other file imports them', () => {
  const pkg = JSON.parse(readFileSync(JS + 'package.json', 'utf8')) as { exports: Record<string, Record<string, string>> }
  for (const [subpath, conditions] of Object.entries(pkg.exports)) {
    for (const [condition, target] of Object.entries(conditions)) {
      const file = target.replace(/^\.\/dist\//, '')
      if (NODE_ONLY.has(file)) assert.equal(condition, 'node', `${subpath} exports ${file} under ${condition}`)
    }
  }
  assert.deepEqual(pkg.exports['./node/secrets'], { types: './dist/node-secrets.d.ts', node: './dist/node-secrets.js' })
  assert.deepEqual(pkg.exports['.'], { types: './dist/index.d.ts', node: './dist/index-node.js', default: './dist/index.js' })
  for (const m of ['node', 'express', 'hono', 'next']) {
    assert.deepEqual(pkg.exports['./' + m], { types: `./dist/${m}.d.ts`, node: `./dist/${m}-node.js`, default: `./dist/${m}.js` }, m)
  }
  for (const f of readdirSync(JS + 'dist').filter((f) => f.endsWith('.js') && !NODE_ONLY.has(f))) {
    for (const s of specifiers(readFileSync(JS + 'dist/' + f, 'utf8'))) {
      assert.ok(!NODE_ONLY.has(s.replace(/^\.\//, '')), `dist/${f} imports ${s}`)
    }
  }
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
