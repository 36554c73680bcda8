#!/usr/bin/env bash
# The install check (CI): from this clone, `npm pack` in js/, then in a fresh
# temporary project `npm install <tarball>`, type-check an import of every
# entry point, and run scripts/smoke.mjs; then the same with
# `npm install <path>/js` (a folder install). Prints the tarball's path on
# its last line, for later steps.
set -euo pipefail
js="$(cd "$(dirname "$0")/.." && pwd)"
tmp="$(mktemp -d)"
(cd "$js" && npm pack --silent --pack-destination "$tmp" >/dev/null)
tarball="$(ls "$tmp"/cookieseal-*.tgz)"
tar tzf "$tarball" > "$tmp/list"
grep -q '^package/dist/index.d.ts$' "$tmp/list" || { echo "the tarball has no types"; exit 1; }
for how in "$tarball" "$js"; do
  proj="$(mktemp -d)"
  (
    cd "$proj"
    npm init -y >/dev/null
    npm install --no-audit --no-fund --silent "$how"
    cp "$js/scripts/smoke.mjs" smoke.mjs
    cat > types.ts <<'TS'
import { Codec, Cookies } from 'cookieseal'
import { NodeCookies } from 'cookieseal/node'
import { readSecretsFile } from 'cookieseal/node/secrets'
import { session, type SessionRequest } from 'cookieseal/express'
import { withSession } from 'cookieseal/hono'
import { getSession, type NextSession } from 'cookieseal/next'
const cookies: Cookies = new Cookies(new Codec({ secrets: readSecretsFile('/dev/null') }))
export const all = [NodeCookies, session, withSession, getSession, cookies]
export type Both = [SessionRequest, NextSession]
TS
    printf '{"compilerOptions":{"module":"NodeNext","moduleResolution":"NodeNext","target":"ES2022","strict":true,"noEmit":true,"skipLibCheck":true,"lib":["ES2022","DOM"],"types":[]},"files":["types.ts"]}\n' > tsconfig.json
    "$js/node_modules/.bin/tsc" -p tsconfig.json
    node smoke.mjs
  )
  echo "install check passed: npm install $how"
  rm -rf "$proj"
done
echo "$tarball"
