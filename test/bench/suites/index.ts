import type { Cleanup } from '../lib/workers.js';
import { actorsSuite } from './actors.js';
import { clusterSuite } from './cluster.js';
import { raftSuite } from './raft.js';
import { storeSuite } from './store.js';

/** A suite runs its figures, registering everything it starts with `cleanup`. */
export type Suite = (cleanup: Cleanup) => Promise<void>;

export const SUITES: Record<string, Suite> = {
  actors: actorsSuite,
  raft: raftSuite,
  store: storeSuite,
  cluster: clusterSuite,
};
