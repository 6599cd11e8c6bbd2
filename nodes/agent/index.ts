// The node agent actor and the Node object it registers.

export { nodeAgent } from './node-agent.js';
export type { NodeAgentOptions, PodWorkerFactory } from './node-agent.js';
export { ARCH_LABEL, HOSTNAME_LABEL, OS_LABEL, newNode, nodeStatus, reRegisteredNode } from './node-object.js';
export type { NodeFacts, NodeRegistration } from './node-object.js';
export { hollowFacts } from './hollow-facts.js';
