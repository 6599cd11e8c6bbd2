import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Deployment, Node, Pod } from '../../core/api/index.js';
import { leaveSignalsToCaller } from '../launcher/child-registry.js';
import type { DroverCommand } from '../launcher/drover-process.js';
import { LocalCluster } from '../launcher/local-cluster.js';
import { sampleDeployment } from './sample-deployment.js';
import { renderClusterView, type ClusterView } from './status-view.js';

export interface StartClusterOptions {
  readonly drover: DroverCommand;
  /** Stop by itself after this long (tests); default: run until Ctrl-C. */
  readonly durationMs?: number;
  /** Default 3 each. */
  readonly masters?: number;
  readonly nodes?: number;
  /** Default auto: docker where an engine answers, else processes. */
  readonly runtime?: 'auto' | 'docker' | 'process';
  /** Print only when the status changes, one block after another (no screen redraw). Default: redraw on a terminal. */
  readonly plain?: boolean;
}

const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
const REFRESH_MS = 1_000;

const say = (line: string) => process.stdout.write(`drover: ${line}\n`);

async function readView(cluster: LocalCluster): Promise<ClusterView> {
  try {
    const [status, nodes, pods, deployments] = await Promise.all([
      cluster.client.clusterStatus(),
      cluster.client.list('Node', { stale: true }),
      cluster.client.list('Pod', { stale: true }),
      cluster.client.list('Deployment', { stale: true }),
    ]);
    return { status, nodes: nodes.items as Node[], pods: pods.items as Pod[], deployments: deployments.items as Deployment[] };
  } catch (e) {
    return { status: null, nodes: [], pods: [], deployments: [], error: e instanceof Error ? e.message : String(e) };
  }
}

/**
 * `drover start` (`npm start`): a whole cluster on this machine, each part a
 * process of its own on free loopback ports (nats-server, masters, node
 * agents), the sample deployment applied, and a live status until Ctrl-C,
 * which stops every process and container it started. Resolves with the
 * exit code.
 */
export async function startCluster(opts: StartClusterOptions): Promise<number> {
  leaveSignalsToCaller();
  let stopRequested: (why: string) => void = () => undefined;
  const stopped = new Promise<string>((resolve) => (stopRequested = resolve));
  let signals = 0;
  const onSignal = (signal: NodeJS.Signals) => {
    signals++;
    if (signals === 1) stopRequested(`${signal} received`);
    else if (signals === 3) {
      say('killing everything now');
      process.exit(130); // the child registry SIGKILLs every child still running
    }
  };
  for (const s of SIGNALS) process.on(s, onSignal);

  const baseDir = await mkdtemp(join(tmpdir(), 'drover-start-'));
  let cluster: LocalCluster | null = null;
  let code = 0;
  let timer: NodeJS.Timeout | undefined;
  try {
    say(`starting nats-server, ${opts.masters ?? 3} masters and ${opts.nodes ?? 3} node agents (state in ${baseDir})`);
    const starting = LocalCluster.start({
      drover: opts.drover,
      baseDir,
      ...(opts.masters !== undefined ? { masters: opts.masters } : {}),
      ...(opts.nodes !== undefined ? { nodes: opts.nodes } : {}),
      runtime: opts.runtime ?? 'auto',
      env: { DROVER_LOG_LEVEL: process.env['DROVER_LOG_LEVEL'] ?? 'warn' },
      onStderr: (label, line) => process.stderr.write(`[${label}] ${line}\n`),
    });
    const first = await Promise.race([starting.then((c) => ({ c })), stopped.then((why) => ({ why }))]);
    if ('why' in first) {
      // Ctrl-C during start-up: let it finish starting, then stop it all.
      cluster = await starting.catch(() => null);
      say(`${first.why}: stopping`);
    } else {
      cluster = first.c;
      const c = cluster;
      say(`nats-server ${c.nats.url}; masters ${c.masters.map((m) => `${m.id}=${m.grpc}`).join(' ')}; nodes ${[...c.nodes.values()].map((n) => `${n.name}(${n.runtime})`).join(' ')}`);
      say(`use the CLI from another terminal: export DROVER_MASTERS=${c.masters.map((m) => m.grpc).join(',')}; node dist/bin/drover.js get pods`);
      const applied = await c.client.apply(sampleDeployment());
      say(`deployment/${applied.object.metadata.name} ${applied.action} (3 replicas of busybox httpd); Ctrl-C stops everything`);
      if (opts.durationMs !== undefined) timer = setTimeout(() => stopRequested(`${opts.durationMs} ms are up`), opts.durationMs);
      const redraw = !opts.plain && process.stdout.isTTY === true;
      let last = '';
      let done = false;
      void stopped.then(() => (done = true));
      while (!done) {
        const text = renderClusterView(await readView(c));
        if (text !== last) {
          process.stdout.write(redraw ? `\x1b[H\x1b[2J${text}\n` : `${text}\n`);
          last = text;
        }
        await Promise.race([new Promise((r) => setTimeout(r, REFRESH_MS)), stopped]);
      }
      say(`${await stopped}: stopping the nodes, their containers, the masters and nats-server`);
    }
  } catch (e) {
    say(`start-up failed: ${e instanceof Error ? e.message : String(e)}`);
    code = 1;
  }
  clearTimeout(timer);
  try {
    await cluster?.stop();
  } catch (e) {
    say(`stopping failed: ${e instanceof Error ? e.message : String(e)}`);
    code = 1;
  }
  await rm(baseDir, { recursive: true, force: true });
  for (const s of SIGNALS) process.off(s, onSignal);
  say(code === 0 ? 'all stopped' : 'all stopped, but not cleanly (see above)');
  return code;
}
