import { afterEach, describe, expect, it } from 'vitest';
import { withTimeout } from '../support/async.js';
import { Launcher, liveProcessesMatching } from './launcher.js';

// `drover start` end to end, from the sources: a whole cluster of processes
// comes up, the sample deployment's three pods run and are ready, and a
// Ctrl-C stops every process and container it started and exits 0.

const EXIT_BOUND_MS = 30_000;

/** The pod rows of the last status block that are Running and ready (`hello-... Running 1/1`). */
function readyPods(lines: readonly string[]): number {
  let lastHeader = -1;
  lines.forEach((l, i) => {
    if (/POD\s*│?\s*STATUS/.test(l) || /\bPOD\b.*\bSTATUS\b/.test(l)) lastHeader = i;
  });
  if (lastHeader < 0) return 0;
  let n = 0;
  for (const l of lines.slice(lastHeader + 1)) {
    if (/^drover:/.test(l) || /Masters \(leader/.test(l)) break;
    if (/hello-\S+.*Running.*1\/1/.test(l)) n++;
  }
  return n;
}

describe('drover start', () => {
  let launcher: Launcher | undefined;

  afterEach(() => {
    if (launcher !== undefined) {
      try {
        process.kill(-launcher.pid, 'SIGKILL');
      } catch {
        // gone
      }
    }
    launcher = undefined;
  });

  it('brings up 3 masters and 3 nodes, runs the sample deployment, and on Ctrl-C stops all of it', async () => {
    launcher = new Launcher(['start', '--plain', '--runtime', 'process']);
    await launcher.waitUntil('3 ready pods of the sample deployment', (lines) => readyPods(lines) === 3, 90_000);
    const out = launcher.output();
    expect(out).toMatch(/Masters \(leader m[123], term \d+/);
    expect(out).toMatch(/DROVER_MASTERS=127\.0\.0\.1:\d+,127\.0\.0\.1:\d+,127\.0\.0\.1:\d+/);
    const state = /state in (\S+)\)/.exec(out)?.[1];
    expect(state).toBeDefined();
    expect(liveProcessesMatching(state!).length).toBeGreaterThanOrEqual(6); // masters and nodes

    process.kill(-launcher.pid, 'SIGINT');
    const exit = await withTimeout(launcher.exited, EXIT_BOUND_MS, 'drover start exiting after SIGINT').catch((e: Error) => {
      throw new Error(`${e.message}; output:\n${launcher!.output()}`);
    });
    expect(exit, launcher.output()).toEqual({ code: 0, signal: null });
    expect(launcher.lines).toContainEqual('drover: all stopped');
    // Nothing left: no master, no node, no pod's process (they run from the state dir), no httpd.
    expect(liveProcessesMatching(state!)).toEqual([]);
    expect(liveProcessesMatching('busybox httpd -f')).toEqual([]);
  }, 150_000);
});
