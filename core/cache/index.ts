// The leader-only work's view of the cluster: decoded objects kept current
// from the local store.

export { ObjectCache } from './object-cache.js';
export type { CacheChange, CacheListener } from './object-cache.js';
