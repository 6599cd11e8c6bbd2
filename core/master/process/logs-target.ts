// The pure half of a `Logs` call: checking the request, and finding from the
// pod (and its node) which agent to ask for which container.

import type { Node, Pod } from '../../api/index.js';
import { ApiError } from '../../grpc/index.js';
import type { LogsFailure, LogsRequest } from '../logs-protocol.js';

/** The container whose log a `Logs` call reads, and the node that runs it. */
export interface LogTarget {
  readonly type: 'target';
  readonly nodeName: string;
  /** The pod's uid, so the agent skips containers of an older pod of the same name. */
  readonly uid?: string;
  readonly container: string;
}

/** Where a `Logs` call goes, or why it cannot go anywhere. */
export type LogTargetResult = LogTarget | { readonly type: 'failed'; readonly error: LogsFailure };

const DEFAULT_NAMESPACE = 'default';

function invalid(field: string, rule: string): never {
  throw new ApiError('INVALID_ARGUMENT', `Logs: ${field} ${rule}`, { field, rule });
}

function optionalBoolean(r: Record<string, unknown>, field: string): boolean {
  const v = r[field];
  if (v === undefined || v === null) return false;
  if (typeof v !== 'boolean') invalid(field, 'must be a boolean');
  return v;
}

/**
 * The LogsRequest in a decoded `Logs` message: `name` a non-empty string,
 * `namespace` a string (default `default`), `container` a string if given,
 * `follow` and `previous` booleans, `tailLines` an integer >= 0. Throws an
 * INVALID_ARGUMENT ApiError naming the field otherwise.
 */
export function parseLogsRequest(r: Record<string, unknown>): LogsRequest {
  const { name, namespace, container, tailLines } = r;
  if (typeof name !== 'string' || name === '') invalid('name', 'must be a non-empty string');
  if (namespace !== undefined && (typeof namespace !== 'string' || namespace === '')) invalid('namespace', 'must be a non-empty string');
  if (container !== undefined && (typeof container !== 'string' || container === '')) invalid('container', 'must be a non-empty string');
  if (tailLines !== undefined && (typeof tailLines !== 'number' || !Number.isSafeInteger(tailLines) || tailLines < 0)) invalid('tailLines', 'must be an integer >= 0');
  const follow = optionalBoolean(r, 'follow');
  const previous = optionalBoolean(r, 'previous');
  return {
    namespace: namespace ?? DEFAULT_NAMESPACE,
    name,
    ...(container !== undefined ? { container } : {}),
    ...(follow ? { follow } : {}),
    ...(previous ? { previous } : {}),
    ...(tailLines !== undefined ? { tailLines } : {}),
  };
}

/** True for a Node registered by a hollow agent (nothing runs there, so there are no logs). */
export function isHollowNode(node: Node): boolean {
  return node.status?.nodeInfo?.containerRuntimeVersion?.startsWith('hollow://') === true;
}

/**
 * Which container of `pod` the request reads and where it runs. The
 * container must be one of the pod's (or, unnamed, the pod's only one); the
 * pod must be bound to a node; that node, when known, must not be hollow.
 */
export function logTarget(request: LogsRequest, pod: Pod, node: Node | undefined): LogTargetResult {
  const podRef = `${request.namespace}/${request.name}`;
  const failed = (code: LogsFailure['code'], message: string): LogTargetResult => ({ type: 'failed', error: { code, message } });
  const names = pod.spec.containers.map((c) => c.name);
  let container: string;
  if (request.container !== undefined) {
    if (!names.includes(request.container)) return failed('NOT_FOUND', `container "${request.container}" is not in pod ${podRef} (containers: ${names.join(', ')})`);
    container = request.container;
  } else {
    const [only, ...others] = names;
    if (only === undefined) return failed('NOT_FOUND', `pod ${podRef} has no containers`);
    if (others.length > 0) return failed('INVALID_ARGUMENT', `pod ${podRef} has several containers: name one (${names.join(', ')})`);
    container = only;
  }
  const nodeName = pod.spec.nodeName;
  if (nodeName === undefined || nodeName === '') return failed('NOT_FOUND', `pod ${podRef} is not bound to a node yet`);
  if (node !== undefined && isHollowNode(node)) return failed('UNAVAILABLE', `pod ${podRef} runs on hollow node ${nodeName}: hollow nodes keep no logs`);
  const uid = pod.metadata.uid;
  return { type: 'target', nodeName, ...(uid !== undefined ? { uid } : {}), container };
}
