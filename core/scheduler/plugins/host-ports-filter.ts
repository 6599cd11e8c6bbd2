// Filter: no host port the pod asks for (per protocol) is taken on the node.

import type { FilterPlugin } from '../framework.js';
import { run, SKIP } from '../framework.js';
import { formatHostPortKey } from '../host-ports.js';
import { SUCCESS, unschedulable } from '../status.js';

export const HOST_PORTS = 'host-ports';

/** The reason every conflicting node shares; the status's detail names the port. */
export const HOST_PORT_CONFLICT = 'host port conflict';

export const hostPortsFilter = {
  name: HOST_PORTS,
  preFilter(pod) {
    return pod.hostPorts.length === 0 ? SKIP : run(undefined);
  },
  filter(_state, pod, node) {
    for (const port of pod.hostPorts) {
      if (node.hostPortInUse(port)) return unschedulable(HOST_PORTS, HOST_PORT_CONFLICT, `host port ${formatHostPortKey(port)}`);
    }
    return SUCCESS;
  },
} satisfies FilterPlugin;
