// What a filter says about one node: a typed status, never "undefined means ok".

/** The node passes this filter. */
export interface SuccessStatus {
  readonly code: 'Success';
}

/** The node cannot take the pod: an expected outcome, counted in the pod's "0/N nodes are available" message. */
export interface UnschedulableStatus {
  readonly code: 'Unschedulable';
  /** Short and shared by every node failing the same way, e.g. `insufficient memory`: messages count nodes per reason. */
  readonly reason: string;
  /** The plugin that said so. */
  readonly plugin: string;
  /** Specific to this node, e.g. the taint that was not tolerated. Absent when the reason says it all. */
  readonly detail?: string;
}

/** The plugin could not decide (a bug or a broken invariant); the cycle stops and the pod is retried. */
export interface ErrorStatus {
  readonly code: 'Error';
  readonly message: string;
  readonly plugin: string;
}

export type FilterStatus = SuccessStatus | UnschedulableStatus | ErrorStatus;

/** The one success status: filters return it rather than allocate. */
export const SUCCESS: SuccessStatus = Object.freeze({ code: 'Success' });

/**
 * An Unschedulable status. Filters build their detail-free statuses once, at
 * module load, and return those: the hot loop allocates nothing per node.
 */
export function unschedulable(plugin: string, reason: string, detail?: string): UnschedulableStatus {
  return Object.freeze({ code: 'Unschedulable', reason, plugin, ...(detail !== undefined ? { detail } : {}) });
}

export function errorStatus(plugin: string, message: string): ErrorStatus {
  return Object.freeze({ code: 'Error', message, plugin });
}
