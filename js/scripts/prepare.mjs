// npm's prepare script: builds dist/ when the package is packed (npm pack,
// npm publish) or installed from a folder or a git URL (npm install
// ../cookieseal/js). A fresh clone has no node_modules, so the TypeScript
// compiler is installed first, from the lockfile, without running any
// package's install scripts.
import { existsSync } from 'node:fs'
import { execSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'

const js = fileURLToPath(new URL('..', import.meta.url))
if (!existsSync(js + 'node_modules/typescript/package.json')) {
  execSync('npm ci --ignore-scripts --no-audit --no-fund', { cwd: js, stdio: 'inherit' })
}
execSync('npm run build', { cwd: js, stdio: 'inherit' })
