// The hollow runtime: nothing runs; for scale tests and the simulated world.

export { HollowRuntime, HOLLOW_SCHEME } from './hollow-runtime.js';
export type { HollowRuntimeOptions } from './hollow-runtime.js';
