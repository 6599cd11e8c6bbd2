// The pod a ReplicaSet stamps out of its template.

import { API_VERSION } from '../../api/index.js';
import type { Pod, ReplicaSet } from '../../api/index.js';
import { controllerRefTo } from '../owner-refs.js';

/**
 * A new pod of `rs`, named `<rs-name>-<suffix>`: the template's labels,
 * annotations and spec (copied, never shared), in the set's namespace, with
 * the set as its controller.
 */
export function podFromTemplate(rs: ReplicaSet, suffix: string): Pod {
  const { labels, annotations } = rs.spec.template.metadata ?? {};
  const namespace = rs.metadata.namespace;
  return {
    apiVersion: API_VERSION,
    kind: 'Pod',
    metadata: {
      name: `${rs.metadata.name}-${suffix}`,
      ...(namespace !== undefined ? { namespace } : {}),
      ...(labels !== undefined ? { labels: { ...labels } } : {}),
      ...(annotations !== undefined ? { annotations: { ...annotations } } : {}),
      ownerReferences: [controllerRefTo(rs)],
    },
    spec: structuredClone(rs.spec.template.spec),
  };
}
