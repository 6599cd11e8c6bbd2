import { afterEach, describe, expect, it } from 'vitest';
import { withTimeout } from '../support/async.js';
import { Launcher, liveProcessesInGroup } from './launcher.js';

// `drover demo` end to end, from the sources (no build): the demo runs, and
// a Ctrl-C stops every process it started and exits 0.

const EXIT_BOUND_MS = 10_000;

const pongs = (lines: readonly string[]): number => lines.filter((l) => /^\[alpha\]\s+pong \d+ from beta/.test(l)).length;
const restarts = (lines: readonly string[]): number => lines.filter((l) => /^\[beta\]\s+worker restarted/.test(l)).length;

describe('drover demo', () => {
  let launcher: Launcher | undefined;
  let groups: number[] = [];

  afterEach(() => {
    // Whatever the test left running (it should be nothing) dies here.
    for (const pgid of groups) {
      try {
        process.kill(-pgid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    launcher = undefined;
    groups = [];
  });

  it('runs the ping-pong and the supervised worker, and on Ctrl-C stops everything it started and exits 0', async () => {
    launcher = new Launcher(['demo']);
    groups.push(launcher.pid);
    await launcher.waitUntil('2 pongs and a worker restart', (lines) => pongs(lines) >= 2 && restarts(lines) >= 1, 15_000);
    // Every child runs in a process group of its own (it leads it).
    const children = { 'nats-server': launcher.printedPid('nats-server'), beta: launcher.printedPid('beta'), alpha: launcher.printedPid('alpha') };
    groups.push(...Object.values(children));
    for (const [name, pid] of Object.entries(children)) expect(liveProcessesInGroup(pid), `${name} is running`).toContain(pid);

    // A Ctrl-C at a terminal signals the foreground process group: the launcher's.
    process.kill(-launcher.pid, 'SIGINT');
    const exit = await withTimeout(launcher.exited, EXIT_BOUND_MS, 'drover demo exiting after SIGINT').catch((e: Error) => {
      throw new Error(`${e.message}; output:\n${launcher!.output()}`);
    });

    expect(exit, launcher.output()).toEqual({ code: 0, signal: null });
    expect(launcher.lines).toContainEqual(expect.stringMatching(/^\[beta\]\s+actor system beta terminated/));
    expect(launcher.lines).toContainEqual(expect.stringMatching(/^\[alpha\]\s+actor system alpha terminated/));
    expect(launcher.lines).toContainEqual(expect.stringMatching(/^\[drover\]\s+all stopped$/));
    for (const pgid of groups) expect(liveProcessesInGroup(pgid), `processes left in group ${pgid}`).toEqual([]);
  }, 20_000);
});
