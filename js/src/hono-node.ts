/** The "./hono" entry under the "node" export condition: hono.ts on the node:crypto backend (use-node-backend.ts). */
import './use-node-backend.js'

export * from './hono.js'
