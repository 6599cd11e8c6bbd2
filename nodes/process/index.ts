// The `drover node` process: the agent(s), the runtime, the machine's facts.

export { runNode } from './run-node.js';
export { startNodeProcess } from './node-process.js';
export type { NodeProcess } from './node-process.js';
export { parseLabels, parseTaints } from './node-config.js';
export type { NodeConfig, RuntimeChoice } from './node-config.js';
export { readNodeFacts } from './node-facts.js';
