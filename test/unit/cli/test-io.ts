import type { CliIo } from '../../../bin/commands/index.js';

export interface TestIo extends CliIo {
  readonly stdout: string[];
  readonly stderr: string[];
}

/** Output collected line by line; now is 2026-01-01T00:05:00Z (objects made at 00:00 are 5m old). */
export function testIo(): TestIo {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return {
    stdout,
    stderr,
    out: (t) => stdout.push(t),
    err: (t) => stderr.push(t),
    env: { DROVER_MASTERS: '127.0.0.1:7001' },
    readStdin: () => Promise.resolve(''),
    now: () => Date.parse('2026-01-01T00:05:00Z'),
  };
}
