import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { connect } from 'node:net';
import { registerChild, stopChild } from './child-registry.js';
import { freePort } from './free-port.js';

/** A nats-server process on 127.0.0.1 and a port of its own. */
export interface NatsServerHandle {
  readonly url: string;
  readonly port: number;
  readonly process: ChildProcess;
  stop(): Promise<void>;
}

export interface NatsServerOptions {
  /** Default: a free port chosen by the OS. */
  readonly port?: number;
  /** Extra command-line arguments for nats-server. */
  readonly args?: readonly string[];
  /** Print the server's own log lines (stderr) to ours. */
  readonly verbose?: boolean;
  /**
   * Linux: the server gets SIGTERM when this process dies, even by SIGKILL
   * (util-linux `setpriv --pdeathsig`, when it is installed), so it cannot
   * outlive its launcher. Default false.
   */
  readonly dieWithParent?: boolean;
}

/** Finds the nats-server binary: PATH, then Debian's /usr/sbin. */
export function natsServerBinary(): string {
  for (const dir of (process.env['PATH'] ?? '').split(':').concat(['/usr/sbin', '/usr/bin', '/usr/local/bin'])) {
    const p = `${dir}/nats-server`;
    if (dir && existsSync(p)) return p;
  }
  throw new Error('nats-server not found; run `bash scripts/ensure-deps.sh` (it installs Debian\'s nats-server)');
}

function portOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect({ host: '127.0.0.1', port });
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** util-linux setpriv, if present. */
function setprivBinary(): string | null {
  for (const p of ['/usr/bin/setpriv', '/bin/setpriv']) if (existsSync(p)) return p;
  return null;
}

/** Starts nats-server and waits until it accepts connections. Retries on a port race. */
export async function startNatsServer(options: NatsServerOptions = {}): Promise<NatsServerHandle> {
  const bin = natsServerBinary();
  for (let attempt = 0; ; attempt++) {
    const port = options.port ?? (await freePort());
    const serverArgs = ['-a', '127.0.0.1', '-p', String(port), ...(options.args ?? [])];
    // setpriv sets the parent-death signal and then execs nats-server: same pid.
    const setpriv = options.dieWithParent ? setprivBinary() : null;
    const [command, args] = setpriv ? [setpriv, ['--pdeathsig', 'SIGTERM', bin, ...serverArgs]] : [bin, serverArgs];
    const child = spawn(command, args, {
      stdio: ['ignore', 'ignore', options.verbose ? 'inherit' : 'ignore'],
      detached: true,
    });
    registerChild(child);
    const deadline = Date.now() + 5_000;
    while (Date.now() < deadline && child.exitCode === null) {
      if (await portOpen(port)) {
        return { url: `nats://127.0.0.1:${port}`, port, process: child, stop: () => stopChild(child) };
      }
      await sleep(20);
    }
    await stopChild(child, 500);
    if (attempt >= 2 || options.port !== undefined) throw new Error(`nats-server did not start on 127.0.0.1:${port}`);
  }
}
