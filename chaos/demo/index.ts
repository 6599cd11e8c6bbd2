// The demo behind `drover start` (for now): a nats-server and two actor
// systems in two processes. bin/drover.ts wires these into commands.

export { startDemo } from './start-demo.js';
export type { StartDemoOptions } from './start-demo.js';
export { PEER_ROLES, isPeerRole, runDemoPeer } from './peer.js';
export type { DemoPeerOptions, PeerRole } from './peer.js';
export type { PeerCommand } from './peer-process.js';
