/**
 * The package entry under the "node" export condition (Node, Deno, Bun):
 * everything of index.ts, with the AEAD and base64url of cookie values on
 * node:crypto and Buffer (node-backend.ts) instead of @noble/ciphers.
 */
import './use-node-backend.js'

export * from './index.js'
