// The defaults of each kind's content (spec, or the top-level fields of
// Endpoints and Event), applied on create and again on every update, so a
// field added by an update gets its default too. Mutates the copy it is given.

import type { ApiObject } from '../kinds.js';
import { defaultPodSpec } from './pod-spec.js';

export const DEFAULT_REPLICAS = 1;
export const DEFAULT_MAX_SURGE = '25%';
export const DEFAULT_MAX_UNAVAILABLE = '25%';
export const DEFAULT_REVISION_HISTORY_LIMIT = 10;
export const DEFAULT_PROGRESS_DEADLINE_SECONDS = 600;

export function defaultContent(obj: ApiObject): void {
  switch (obj.kind) {
    case 'Pod':
      defaultPodSpec(obj.spec);
      return;
    case 'ReplicaSet':
      obj.spec.replicas ??= DEFAULT_REPLICAS;
      defaultPodSpec(obj.spec.template.spec);
      return;
    case 'Deployment': {
      const spec = obj.spec;
      spec.replicas ??= DEFAULT_REPLICAS;
      spec.revisionHistoryLimit ??= DEFAULT_REVISION_HISTORY_LIMIT;
      spec.progressDeadlineSeconds ??= DEFAULT_PROGRESS_DEADLINE_SECONDS;
      const strategy = (spec.strategy ??= {});
      strategy.type ??= 'RollingUpdate';
      if (strategy.type === 'RollingUpdate') {
        const rolling = (strategy.rollingUpdate ??= {});
        rolling.maxSurge ??= DEFAULT_MAX_SURGE;
        rolling.maxUnavailable ??= DEFAULT_MAX_UNAVAILABLE;
      }
      defaultPodSpec(spec.template.spec);
      return;
    }
    case 'Service':
      obj.spec.type ??= 'ClusterIP';
      for (const port of obj.spec.ports) {
        port.protocol ??= 'TCP';
        port.targetPort ??= port.port;
      }
      return;
    case 'Endpoints':
      for (const subset of obj.subsets ?? []) for (const port of subset.ports ?? []) port.protocol ??= 'TCP';
      return;
    case 'Event':
      obj.type ??= 'Normal';
      obj.count ??= 1;
      return;
    case 'Namespace':
    case 'Node':
      return;
  }
}
