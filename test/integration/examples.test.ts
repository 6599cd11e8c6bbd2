import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const tsx = (file: string, ...args: string[]) =>
  run(process.execPath, ['--import', 'tsx', file, ...args], { env: { ...process.env, DROVER_LOG_LEVEL: 'error' }, timeout: 30_000 });

describe('the README examples run as written', () => {
  it('examples/quick-start.ts prints what the README shows', async () => {
    const { stdout } = await tsx('examples/quick-start.ts');
    expect(stdout.trim().split('\n')).toEqual([
      'drover://quickstart/user/counter holds 42',
      'worker did job 1',
      'worker did job 2',
      'worker did job 4',
      'worker did job 5',
      'watcher saw the worker terminate',
      'system terminated',
    ]);
  });

  it('examples/simulation.ts gives the same trace for the same seed', async () => {
    const a = await tsx('examples/simulation.ts', '42');
    const b = await tsx('examples/simulation.ts', '42');
    expect(a.stdout).toContain('terminated (address terminated: true)');
    expect(b.stdout).toBe(a.stdout);
  });
});
