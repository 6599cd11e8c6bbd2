import { leaveSignalsToCaller, stopChild } from '../launcher/child-registry.js';
import { startNatsServer, type NatsServerHandle } from '../launcher/nats-server.js';
import { printLine } from './output.js';
import type { PeerRole } from './peer.js';
import { PeerProcess, describeExit, type PeerCommand } from './peer-process.js';

// `drover start`, for now: a nats-server on a free loopback port and two
// actor systems in two OS processes (see peer.ts), their output relayed under
// their names. Ctrl-C or SIGTERM stops the peers gracefully (beta first, so
// alpha's death watch has something to report), then the nats-server. A
// process that does not stop within its grace period is killed with SIGKILL.

export interface StartDemoOptions {
  /** How to run one peer process (`drover demo-peer <role> --nats-url <url>`). */
  readonly peerCommand: (role: PeerRole, natsUrl: string) => PeerCommand;
  /** Stop by itself after this many ms; default: run until a signal. */
  readonly durationMs?: number;
}

/** Why the demo stops. */
type StopReason =
  | { readonly type: 'signal'; readonly signal: NodeJS.Signals }
  | { readonly type: 'duration'; readonly durationMs: number }
  | { readonly type: 'peer-exited'; readonly role: PeerRole; readonly how: string }
  | { readonly type: 'failed'; readonly error: unknown };

/** Start order; shutdown goes the same way, so beta stops while alpha still watches it. */
const ROLES: readonly PeerRole[] = ['beta', 'alpha'];
const READY_TIMEOUT_MS = 30_000;
const PEER_STOP_GRACE_MS = 5_000;
const NATS_STOP_GRACE_MS = 3_000;
/** A second signal this soon after the first is the same Ctrl-C (npm forwards it too). */
const REPEATED_SIGNAL_MS = 1_000;
const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

const say = (line: string): void => printLine('drover', line);

function describeReason(r: StopReason): string {
  switch (r.type) {
    case 'signal':
      return `${r.signal} received`;
    case 'duration':
      return `${r.durationMs} ms are up`;
    case 'peer-exited':
      return `${r.role} exited unexpectedly (${r.how})`;
    case 'failed':
      return `start-up failed: ${r.error instanceof Error ? r.error.message : String(r.error)}`;
  }
}

/** Runs the demo until a signal, `durationMs` or a failure; resolves with the exit code. */
export async function startDemo(options: StartDemoOptions): Promise<number> {
  // The first reason to stop wins; the rest are ignored.
  let reason: StopReason | null = null;
  let wake: () => void = () => undefined;
  const stopped = new Promise<void>((resolve) => (wake = resolve));
  const requestStop = (r: StopReason): void => {
    if (reason !== null) return;
    reason = r;
    wake();
  };

  // Signals are ours from the start: a Ctrl-C during start-up stops what has started so far.
  leaveSignalsToCaller();
  let firstSignalAtMs: number | null = null;
  const onSignal = (signal: NodeJS.Signals): void => {
    const now = Date.now();
    if (firstSignalAtMs === null) {
      firstSignalAtMs = now;
      requestStop({ type: 'signal', signal });
    } else if (now - firstSignalAtMs >= REPEATED_SIGNAL_MS) {
      // The child registry SIGKILLs every child still running as this process exits.
      say(`${signal} again: killing everything now`);
      process.exit(signal === 'SIGINT' ? 130 : 143);
    }
  };
  for (const s of SIGNALS) process.on(s, onSignal);

  let nats: NatsServerHandle | null = null;
  const peers: PeerProcess[] = [];
  let durationTimer: NodeJS.Timeout | undefined;
  try {
    say('starting nats-server');
    nats = await startNatsServer({ dieWithParent: true });
    say(`nats-server (pid ${nats.process.pid}) listening on ${nats.url}`);
    const env = { DROVER_LOG_LEVEL: process.env['DROVER_LOG_LEVEL'] ?? 'warn' };
    for (const role of ROLES) {
      if (reason !== null) break;
      const peer = new PeerProcess(role, options.peerCommand(role, nats.url), env);
      peers.push(peer);
      say(`${role} starting (pid ${peer.pid})`);
      void peer.closed.then((exit) => requestStop({ type: 'peer-exited', role, how: describeExit(exit) }));
      let readyTimer: NodeJS.Timeout | undefined;
      const notReady = new Promise<void>((resolve) => {
        readyTimer = setTimeout(() => {
          requestStop({ type: 'failed', error: new Error(`${role} not ready within ${READY_TIMEOUT_MS} ms`) });
          resolve();
        }, READY_TIMEOUT_MS);
      });
      await Promise.race([peer.ready, stopped, notReady]);
      clearTimeout(readyTimer);
    }
    if (reason === null) {
      say('running: alpha pings beta; beta\'s worker crashes and is restarted. Ctrl-C stops everything.');
      if (options.durationMs !== undefined) {
        const durationMs = options.durationMs;
        durationTimer = setTimeout(() => requestStop({ type: 'duration', durationMs }), durationMs);
      }
    }
  } catch (error) {
    requestStop({ type: 'failed', error });
  }

  await stopped;
  clearTimeout(durationTimer);
  const why: StopReason = reason!;
  say(`${describeReason(why)}: stopping ${[...peers.filter((p) => !p.hasExited).map((p) => p.role), ...(nats ? ['nats-server'] : [])].join(', ')}`);
  let clean = why.type === 'signal' || why.type === 'duration';
  for (const peer of peers) {
    if (peer.hasExited) continue; // the one whose exit stopped the demo
    const exit = await peer.stop(PEER_STOP_GRACE_MS);
    // SIGTERM itself ends a peer that is still booting, before it handles signals: that is a clean stop too.
    if (exit.code !== 0 && exit.signal !== 'SIGTERM') clean = false;
    say(`${peer.role} stopped (${describeExit(exit)}${exit.signal === 'SIGKILL' ? `, killed after ${PEER_STOP_GRACE_MS} ms` : ''})`);
  }
  if (nats !== null) {
    await stopChild(nats.process, NATS_STOP_GRACE_MS);
    if (nats.process.signalCode === 'SIGKILL') {
      clean = false;
      say(`nats-server killed after ${NATS_STOP_GRACE_MS} ms`);
    } else say('nats-server stopped');
  }
  for (const s of SIGNALS) process.off(s, onSignal);
  say(clean ? 'all stopped' : 'all stopped, but not cleanly (see above)');
  return clean ? 0 : 1;
}
