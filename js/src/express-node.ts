/** The "./express" entry under the "node" export condition: express.ts on the node:crypto backend (use-node-backend.ts). */
import './use-node-backend.js'

export * from './express.js'
