// Host ports as small integers, so a node's used ports are a Map<number, ...>
// and checking one allocates nothing.

import type { Protocol } from '../api/index.js';

/** `port * 2 + (UDP ? 1 : 0)`: one integer per (protocol, port). */
export function hostPortKey(protocol: Protocol | undefined, port: number): number {
  return port * 2 + (protocol === 'UDP' ? 1 : 0);
}

/** The `8080/TCP` form of an encoded host port, for messages. */
export function formatHostPortKey(key: number): string {
  return `${Math.floor(key / 2)}/${key % 2 === 1 ? 'UDP' : 'TCP'}`;
}
