/**
 * Imported for its effect by the entries of the "node" export condition
 * (index-node.ts and the *-node.ts of each subpath): switches the AEAD and
 * base64url of cookie values to node:crypto and Buffer (node-backend.ts).
 * Whichever entry a Node program imports first, every Codec then uses it.
 */
import { setBackend } from './aead.js'
import { nodeBackend } from './node-backend.js'

setBackend(nodeBackend)
