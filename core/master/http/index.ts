// The master's HTTP edge: health, readiness and Prometheus metrics.

export { HealthServer } from './health-server.js';
export type { HealthSource } from './health-server.js';
export { MasterMetrics } from './metrics.js';
export type { RaftSample } from './metrics.js';
