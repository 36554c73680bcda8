/** The "./next" entry under the "node" export condition: next.ts on the node:crypto backend (use-node-backend.ts). */
import './use-node-backend.js'

export * from './next.js'
