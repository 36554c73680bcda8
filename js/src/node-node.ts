/** The "./node" entry under the "node" export condition: node.ts on the node:crypto backend (use-node-backend.ts). */
import './use-node-backend.js'

export * from './node.js'
