// Probes: the Prober interface (exec, TCP, HTTP checks of a container), its
// real and hollow implementations, the resolution of a pod spec's probe into
// a target, and the pure state machine that turns outcomes into verdicts.

export type { ProbeOutcome, ProbeResult, Prober } from './types.js';
export { probeFailure, probeSuccess } from './types.js';
export type { ProbeKind, ProbeSettings, ProbeState, ProbeStep } from './probe-state.js';
export { PROBE_DEFAULTS, initialProbeState, isProbeDue, probeSettings, recordProbeOutcome } from './probe-state.js';
export type { ProbeTarget } from './probe-target.js';
export { containerPortOf, probeAddress, probeTarget, runProbe } from './probe-target.js';
export type { RealProberOptions } from './real-prober.js';
export { RealProber } from './real-prober.js';
export { HollowProber } from './hollow-prober.js';
