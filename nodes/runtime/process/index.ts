// The process runtime: containers as child processes in their own process group.

export { ProcessRuntime, DEFAULT_AGENT_VERSION } from './process-runtime.js';
export type { ProcessRuntimeOptions } from './process-runtime.js';
export { LOST_EXIT_CODE } from './state-file.js';
export type { PickPort } from './ports.js';
