#!/usr/bin/env node
// The `drover` executable: the composition root. It parses the command line
// and wires each layer's commands; the logic lives in those layers.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command, InvalidArgumentError } from 'commander';
import { isPeerRole, runDemoPeer, startDemo, type PeerCommand, type PeerRole } from '../chaos/demo/index.js';
import { startCluster } from '../chaos/start/index.js';
import { DEFAULT_MASTER_CONFIG, mergeMasterConfig, parseMasterConfigFile, parsePeers, runMaster, type MasterConfigFile } from '../core/master/process/index.js';
import { parseLabels, parseTaints, runNode, type RuntimeChoice } from '../nodes/process/index.js';
import { registerClientCommands } from './commands/index.js';

/** The version in package.json, found upwards from here (bin/ in the sources, dist/bin/ once built). */
function packageVersion(): string {
  for (let dir = dirname(fileURLToPath(import.meta.url)); dir !== dirname(dir); dir = dirname(dir)) {
    try {
      const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: unknown; version?: unknown };
      if (pkg.name === 'drover' && typeof pkg.version === 'string') return pkg.version;
    } catch {
      // no package.json here; keep looking upwards
    }
  }
  return 'unknown';
}

/** This executable again, under the same node flags (`--import tsx` when run from the sources). */
function selfCommand(args: readonly string[]): PeerCommand {
  const nodeFlags = process.execArgv.filter((a) => !a.startsWith('--inspect'));
  return { command: process.execPath, args: [...nodeFlags, fileURLToPath(import.meta.url), ...args] };
}

function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new InvalidArgumentError('expected a whole number of milliseconds > 0');
  return n;
}

function nonNegativeInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError('expected an integer >= 0');
  return n;
}

function port(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65_535) throw new InvalidArgumentError('expected a port 0..65535 (0: a free one)');
  return n;
}

function peerIds(value: string): string[] {
  try {
    return parsePeers(value);
  } catch (e) {
    throw new InvalidArgumentError((e as Error).message);
  }
}

function runtimeChoice(value: string): RuntimeChoice {
  if (value !== 'auto' && value !== 'docker' && value !== 'process' && value !== 'hollow') throw new InvalidArgumentError('expected auto, docker, process or hollow');
  return value;
}

function peerRole(value: string): PeerRole {
  if (!isPeerRole(value)) throw new InvalidArgumentError('expected alpha or beta');
  return value;
}

const program = new Command('drover')
  .description('Drover: a cluster manager with raft-replicated masters, NATS messaging,\nnode agents and an actor runtime you can program against.')
  .version(packageVersion(), '-V, --version', 'print the version')
  .helpOption('-h, --help', 'show help for a command')
  .helpCommand('help [command]', 'show help for a command')
  .showHelpAfterError('(run with --help for usage)');

program
  .command('start')
  .summary('start a whole Drover cluster on this machine, with a sample deployment')
  .description(
    'Start a whole cluster on this machine, every part a process of its own on free\n' +
      'loopback ports: a nats-server, three masters (raft, the store, the API over gRPC,\n' +
      'the scheduler and controllers on the leader) and three node agents (Docker\n' +
      'containers where an engine answers, else processes). It applies a sample\n' +
      'deployment (3 replicas of busybox httpd) and shows a live status: the masters\n' +
      'and the leader, the nodes, the deployments, the pods and where they run.\n' +
      'It prints the masters\' gRPC addresses for the CLI in another terminal.\n\n' +
      'Ctrl-C (or SIGTERM) stops the nodes, removes every container they ran, and\n' +
      'stops the masters and nats-server; a third Ctrl-C kills everything at once.',
  )
  .option('--duration-ms <ms>', 'stop by itself after this many milliseconds (default: run until Ctrl-C)', positiveInt)
  .option('--runtime <runtime>', "the nodes' runtime: auto, docker or process", runtimeChoice, 'auto')
  .option('--plain', 'print the status when it changes instead of redrawing the screen')
  .addHelpText('after', '\nEnvironment:\n  DROVER_LOG_LEVEL  log level of the processes (pino JSON on stderr); default warn\n\nExit status: 0 when everything stopped cleanly, 1 otherwise.')
  .action(async (opts: { durationMs?: number; runtime: RuntimeChoice; plain?: boolean }) => {
    if (opts.runtime === 'hollow') {
      process.stderr.write('drover start: --runtime hollow is for `drover node --hollow`\n');
      process.exit(2);
    }
    const code = await startCluster({
      drover: selfCommand([]),
      runtime: opts.runtime,
      ...(opts.plain ? { plain: true } : {}),
      ...(opts.durationMs !== undefined ? { durationMs: opts.durationMs } : {}),
    });
    process.exit(code);
  });

program
  .command('demo')
  .summary('a demo of the actor runtime over NATS: two actor systems in two processes')
  .description(
    'A demo of the actor runtime. It starts a nats-server on a free loopback port and\n' +
      'two actor systems, "alpha" and "beta", in two OS processes, and prints what they do:\n' +
      "  - alpha pings beta's ponger every 500 ms and prints each round trip;\n" +
      '    it also watches the ponger and says when it is gone;\n' +
      '  - beta supervises a worker that crashes every few jobs; the supervisor\n' +
      '    restarts it after a back-off and keeps going.\n\n' +
      'Ctrl-C (or SIGTERM) stops both actor systems gracefully, then nats-server.',
  )
  .option('--duration-ms <ms>', 'stop by itself after this many milliseconds (default: run until Ctrl-C)', positiveInt)
  .action(async (opts: { durationMs?: number }) => {
    const code = await startDemo({
      peerCommand: (role, natsUrl) => selfCommand(['demo-peer', role, '--nats-url', natsUrl]),
      ...(opts.durationMs !== undefined ? { durationMs: opts.durationMs } : {}),
    });
    process.exit(code);
  });

program
  .command('demo-peer', { hidden: true })
  .description('Internal: one actor system of the `start` demo, run by `drover start` in a child process.')
  .argument('<role>', 'alpha or beta', peerRole)
  .requiredOption('--nats-url <url>', 'the NATS server to connect to')
  .action(async (role: PeerRole, opts: { natsUrl: string }) => {
    process.exit(await runDemoPeer({ role, natsUrl: opts.natsUrl }));
  });

program
  .command('master')
  .summary('run one master: a raft replica, the store and the gRPC API')
  .description(
    'Run one master: a raft replica with its WAL in --data-dir (fsync on), the\n' +
      "cluster's store, and the API over gRPC. Masters find each other by id over NATS.\n" +
      'Prints {"event":"listening","id":...,"grpc":"host:port","http":"host:port"} on stdout\n' +
      'once serving; HTTP serves /healthz, /readyz and /metrics. SIGTERM or Ctrl-C stops it.',
  )
  .option('--config <file>', 'a YAML file with any of these settings (id, peers, nats, dataDir, grpcPort, ...); flags override it')
  .option('--id <id>', "this master's id, e.g. m1")
  .option('--peers <ids>', 'every master, this one included: m1,m2,m3 (or m1=...,m2=...)', peerIds)
  .option('--nats <url>', 'the NATS server(s), comma-separated, e.g. nats://127.0.0.1:4222')
  .option('--data-dir <dir>', 'where the WAL and snapshots live')
  .option('--grpc-port <port>', `the gRPC port (0: a free one; default ${DEFAULT_MASTER_CONFIG.grpcPort})`, port)
  .option('--http-port <port>', `the HTTP port (0: a free one; default ${DEFAULT_MASTER_CONFIG.httpPort})`, port)
  .option('--host <host>', `the address to listen on (default ${DEFAULT_MASTER_CONFIG.host})`)
  .option('--tick-ms <ms>', `milliseconds per raft tick (default ${DEFAULT_MASTER_CONFIG.tickMs})`, positiveInt)
  .option('--election-ticks <n>', `raft ticks without a leader before an election (default ${DEFAULT_MASTER_CONFIG.electionTicks})`, positiveInt)
  .option('--request-timeout-ms <ms>', `how long an API call may wait (default ${DEFAULT_MASTER_CONFIG.requestTimeoutMs})`, positiveInt)
  .option(
    '--compaction-interval-ms <ms>',
    `the leader compacts the store's history this often, keeping at least that much of it; 0: never (default ${DEFAULT_MASTER_CONFIG.compactionIntervalMs})`,
    nonNegativeInt,
  )
  .option('--node-monitor-grace-ms <ms>', 'a node silent this long is judged unreachable (default 1200; node agents heartbeat every 400 ms)', positiveInt)
  .option('--pod-eviction-timeout-ms <ms>', "the pods of an unreachable node are evicted this long after it is judged so (default 600)", nonNegativeInt)
  .action(async (o: { config?: string } & Partial<MasterConfigFile>) => {
    const { config, ...flags } = o;
    let merged;
    try {
      const file = config === undefined ? {} : parseMasterConfigFile(readFileSync(config, 'utf8'), config);
      merged = mergeMasterConfig(file, flags);
    } catch (e) {
      process.stderr.write(`drover master: ${(e as Error).message}\n`);
      process.exit(2);
    }
    process.exit(await runMaster(merged));
  });

function parsed<T>(parse: (v: string) => T): (v: string) => T {
  return (v) => {
    try {
      return parse(v);
    } catch (e) {
      throw new InvalidArgumentError((e as Error).message);
    }
  };
}

program
  .command('node')
  .summary('run a node agent: registers a Node and runs the pods bound to it')
  .description(
    'Run a node agent (the kubelet): it registers its Node with the capacity and\n' +
      'facts of this machine, heartbeats to every master over NATS, and runs the pods\n' +
      'the scheduler binds to it as Docker containers (when an engine answers) or as\n' +
      'processes, restarting them by their restart policy and reporting their status.\n' +
      'Prints {"event":"node-started","nodes":[...],"runtime":"..."} once running.\n' +
      'SIGTERM or Ctrl-C stops the agent; its containers keep running and are adopted\n' +
      'by the next agent on the same --data-dir.',
  )
  .requiredOption('--name <name>', "the node's name (with --hollow, the prefix of the hollow nodes' names)")
  .requiredOption('--master-ids <ids>', "the masters' ids (their --id), e.g. m1,m2,m3", peerIds)
  .requiredOption('--nats <url>', 'the NATS server(s), comma-separated')
  .option('--data-dir <dir>', "where the process runtime keeps containers' state and logs", '/var/lib/drover/node')
  .option('--runtime <runtime>', 'auto (docker when an engine answers, else process), docker, process or hollow', runtimeChoice, 'auto')
  .option('--labels <k=v,...>', "labels for the node (besides drover.io/hostname, os and arch)", parsed(parseLabels), {})
  .option('--taints <k=v:Effect,...>', 'taints for the node (NoSchedule, PreferNoSchedule, NoExecute)', parsed(parseTaints), [])
  .option('--hollow <count>', 'hollow mode: this many agents in this process that run nothing (scale tests)', positiveInt)
  .option('--heartbeat-interval-ms <ms>', 'how often the agent heartbeats to every master (default 400)', positiveInt)
  .action(async (o: { name: string; masterIds: string[]; nats: string; dataDir: string; runtime: RuntimeChoice; labels: Record<string, string>; taints: ReturnType<typeof parseTaints>; hollow?: number; heartbeatIntervalMs?: number }) => {
    process.exit(
      await runNode(
        {
          nodeName: o.name,
          masters: o.masterIds,
          natsUrl: o.nats,
          dataDir: o.dataDir,
          runtime: o.hollow !== undefined ? 'hollow' : o.runtime,
          labels: o.labels,
          taints: o.taints,
          ...(o.hollow !== undefined ? { hollowCount: o.hollow } : {}),
          ...(o.heartbeatIntervalMs !== undefined ? { heartbeatIntervalMs: o.heartbeatIntervalMs } : {}),
        },
        packageVersion(),
      ),
    );
  });

registerClientCommands(program);

await program.parseAsync();
