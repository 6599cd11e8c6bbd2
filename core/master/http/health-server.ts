import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** What the HTTP endpoints ask of the master. */
export interface HealthSource {
  /** Null when ready; otherwise why not (the 503's body). */
  readiness(): string | null;
  /** The Prometheus exposition, or null when metrics are off. */
  metrics(): Promise<{ contentType: string; body: string }> | null;
}

/**
 * The master's HTTP edge: `/healthz` (the process is up), `/readyz` (200 once
 * the master can serve, else 503 with the reason) and `/metrics`. Plain
 * node:http; no logic beyond routing.
 */
export class HealthServer {
  private constructor(
    private readonly server: Server,
    readonly host: string,
    readonly port: number,
  ) {}

  get address(): string {
    return `${this.host}:${this.port}`;
  }

  static async start(source: HealthSource, host = '127.0.0.1', port = 0): Promise<HealthServer> {
    const server = createServer((req, res) => route(source, req, res));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    return new HealthServer(server, host, (server.address() as AddressInfo).port);
  }

  /** Stops listening and closes every connection. */
  async stop(): Promise<void> {
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }
}

function send(res: ServerResponse, status: number, body: string, contentType = 'text/plain; charset=utf-8'): void {
  res.writeHead(status, { 'content-type': contentType, 'cache-control': 'no-store' });
  res.end(body);
}

function route(source: HealthSource, req: IncomingMessage, res: ServerResponse): void {
  if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, 'method not allowed\n');
  const path = (req.url ?? '/').split('?')[0];
  switch (path) {
    case '/healthz':
      return send(res, 200, 'ok\n');
    case '/readyz': {
      const why = source.readiness();
      return why === null ? send(res, 200, 'ready\n') : send(res, 503, `not ready: ${why}\n`);
    }
    case '/metrics': {
      const m = source.metrics();
      if (m === null) return send(res, 404, 'metrics are off\n');
      m.then(
        ({ contentType, body }) => send(res, 200, body, contentType),
        (e: unknown) => send(res, 500, `metrics failed: ${String(e)}\n`),
      );
      return;
    }
    default:
      return send(res, 404, 'not found\n');
  }
}
