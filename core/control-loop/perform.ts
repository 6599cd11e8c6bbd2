import { API_VERSION, type ApiObject, type Event } from '../api/index.js';
import type { ControllerAction } from '../controllers/index.js';
import { ApiError } from '../grpc/index.js';
import type { ApiReply, ApiRequest } from '../master/index.js';

/** Asks the local API actor; resolves with its reply (a timeout rejects). */
export type AskApi = (request: ApiRequest) => Promise<ApiReply>;

/** What performing one action came to. */
export type ActionOutcome =
  | { readonly type: 'done' }
  /** Someone else changed or removed the object first: reconcile again from a fresh view. */
  | { readonly type: 'conflict'; readonly error: ApiError }
  | { readonly type: 'failed'; readonly error: ApiError };

const CONFLICTS = new Set(['ABORTED', 'ALREADY_EXISTS', 'NOT_FOUND', 'FAILED_PRECONDITION']);

/** The API request an action is. Events become Event objects, named after what they are about. */
export function requestOf(action: ControllerAction, eventSuffix: () => string, nowIso: string, component: string): ApiRequest {
  switch (action.type) {
    case 'create':
      return { type: 'create', object: action.object };
    case 'update':
      return { type: 'update', object: action.object };
    case 'updateStatus':
      return { type: 'update-status', object: action.object };
    case 'delete':
      return {
        type: 'delete',
        kind: action.kind,
        name: action.name,
        ...(action.namespace !== undefined ? { namespace: action.namespace } : {}),
        ...(action.uid !== undefined ? { uid: action.uid } : {}),
        ...(action.resourceVersion !== undefined ? { resourceVersion: action.resourceVersion } : {}),
        ...(action.gracePeriodSeconds !== undefined ? { gracePeriodSeconds: action.gracePeriodSeconds } : {}),
      };
    case 'event': {
      const event: Event = {
        apiVersion: API_VERSION,
        kind: 'Event',
        metadata: { name: `${action.involved.name}.${eventSuffix()}`, namespace: action.involved.namespace ?? 'default' },
        involvedObject: action.involved,
        type: action.eventType,
        reason: action.reason,
        message: action.message,
        source: { component },
        firstTimestamp: nowIso,
        lastTimestamp: nowIso,
        count: 1,
      };
      return { type: 'create', object: event };
    }
  }
}

/** Performs one action through the API. */
export async function perform(ask: AskApi, request: ApiRequest): Promise<ActionOutcome> {
  let reply: ApiReply;
  try {
    reply = await ask(request);
  } catch (e) {
    return { type: 'failed', error: e instanceof ApiError ? e : new ApiError('DEADLINE_EXCEEDED', `${request.type}: ${(e as Error).message}`, {}, { cause: e }) };
  }
  if (reply.ok) return { type: 'done' };
  const error = new ApiError(reply.error.code, reply.error.message, reply.error.details);
  return CONFLICTS.has(error.code) ? { type: 'conflict', error } : { type: 'failed', error };
}

/** The object a create or update action writes, for logs. */
export function describeAction(action: ControllerAction): string {
  switch (action.type) {
    case 'create':
    case 'update':
    case 'updateStatus': {
      const o: ApiObject = action.object;
      return `${action.type} ${o.kind} ${o.metadata.namespace ? `${o.metadata.namespace}/` : ''}${o.metadata.name}`;
    }
    case 'delete':
      return `delete ${action.kind} ${action.namespace ? `${action.namespace}/` : ''}${action.name}`;
    case 'event':
      return `event ${action.reason} on ${action.involved.kind} ${action.involved.name}`;
  }
}
