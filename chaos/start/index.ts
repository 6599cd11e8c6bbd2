// `drover start`: a local cluster of processes with a sample deployment and a live status.

export { startCluster } from './start-cluster.js';
export type { StartClusterOptions } from './start-cluster.js';
export { sampleDeployment } from './sample-deployment.js';
export { renderClusterView } from './status-view.js';
export type { ClusterView } from './status-view.js';
