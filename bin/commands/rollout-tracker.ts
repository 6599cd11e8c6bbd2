// What `drover rollout status` knows while it watches: the Deployment and
// the ReplicaSets it controls, kept up to date from watch events, and the
// last line it printed (a new line only when the message changes).
import type { Deployment, ReplicaSet } from '../../core/api/index.js';
import { isControlledBy, rolloutStatus, type RolloutStatus } from '../../core/controllers/index.js';

export type ChangeType = 'ADDED' | 'MODIFIED' | 'DELETED';

export interface RolloutStep {
  readonly status: RolloutStatus;
  /** The status message when it differs from the one last returned (the line to print). */
  readonly line?: string;
}

export class RolloutTracker {
  private deployment: Deployment | undefined;
  private readonly replicaSets = new Map<string, ReplicaSet>();
  private lastMessage: string | undefined;

  constructor(deployment: Deployment, replicaSets: readonly ReplicaSet[]) {
    this.resync(deployment, replicaSets);
  }

  /** Starts again from a fresh read (after a watch could not resume); the last message is kept, so nothing is printed twice. */
  resync(deployment: Deployment, replicaSets: readonly ReplicaSet[]): void {
    this.deployment = deployment;
    this.replicaSets.clear();
    for (const rs of replicaSets) this.replicaSetChanged('ADDED', rs);
  }

  /** True once the Deployment was deleted: the rollout will never finish. */
  get deleted(): boolean {
    return this.deployment === undefined;
  }

  deploymentChanged(type: ChangeType, deployment: Deployment): void {
    this.deployment = type === 'DELETED' ? undefined : deployment;
  }

  replicaSetChanged(type: ChangeType, rs: ReplicaSet): void {
    const d = this.deployment;
    // Only the Deployment's own sets count; the others in the namespace are not kept.
    if (type === 'DELETED' || d === undefined || !isControlledBy(rs, d)) this.replicaSets.delete(rs.metadata.name);
    else this.replicaSets.set(rs.metadata.name, rs);
  }

  /** Where the rollout stands now; undefined once the Deployment is gone. */
  step(): RolloutStep | undefined {
    if (this.deployment === undefined) return undefined;
    const status = rolloutStatus(this.deployment, [...this.replicaSets.values()]);
    if (status.message === this.lastMessage) return { status };
    this.lastMessage = status.message;
    return { status, line: status.message };
  }
}
