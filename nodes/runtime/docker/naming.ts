import type { ContainerConfig } from '../types.js';

// Docker container names: `drover_<node>_<namespace>_<pod>_<container>_<attempt>_<uid8>`.
// Readable in `docker ps`, unique per node, pod, container and attempt (the
// short uid tells apart two pods of the same name, before and after a
// re-creation), and refused by the engine if made twice.

/** Characters docker accepts in a name after the first: [a-zA-Z0-9_.-]. */
const UNSAFE = /[^a-zA-Z0-9.-]/g;

/** Docker's limit is larger, but names past this get unwieldy; each part is cut to fit. */
const PART_MAX = 63;

/** The docker name of a container of `config` on node `nodeName`. */
export function containerNameFor(nodeName: string, config: ContainerConfig): string {
  const shortUid = config.podUid.replace(/[^a-zA-Z0-9]/g, '').slice(0, 8) || 'nouid';
  return ['drover', nodeName, config.podNamespace, config.podName, config.containerName, String(config.attempt), shortUid]
    .map(part)
    .join('_');
}

/** One part of the name: '_' separates parts, so it and anything docker refuses become '-'. */
function part(value: string): string {
  const safe = value.replace(UNSAFE, '-').slice(0, PART_MAX);
  return safe === '' ? '-' : safe;
}
