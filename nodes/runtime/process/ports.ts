import { createSocket } from 'node:dgram';
import { createServer } from 'node:net';
import type { PortMapping } from '../types.js';

/** Finds a port free on 127.0.0.1 for `protocol`. */
export type PickPort = (protocol: PortMapping['protocol']) => Promise<number>;

/**
 * The port the process listens on for each declared container port: the
 * hostPort when the manifest gives one, else one picked free on 127.0.0.1.
 * (Processes share the host's network, so container ports cannot be kept.)
 * A container port declared twice (TCP and UDP) gets one port.
 */
export async function assignHostPorts(ports: readonly PortMapping[], pick: PickPort): Promise<Record<number, number>> {
  const assigned: Record<number, number> = {};
  for (const p of ports) {
    if (assigned[p.containerPort] !== undefined) continue;
    assigned[p.containerPort] = p.hostPort ?? (await pick(p.protocol));
  }
  return assigned;
}

/**
 * Binds port 0 on 127.0.0.1, reads the port the kernel chose and closes the
 * socket. Another process may take the port before the container binds it;
 * the kernel hands out ephemeral ports in turn, so that is rare.
 */
export const pickFreePort: PickPort = (protocol) =>
  new Promise((resolve, reject) => {
    if (protocol === 'UDP') {
      const socket = createSocket('udp4');
      socket.once('error', reject);
      socket.bind(0, '127.0.0.1', () => {
        const { port } = socket.address();
        socket.close(() => resolve(port));
      });
      return;
    }
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => (port > 0 ? resolve(port) : reject(new Error('the kernel chose no port'))));
    });
  });
