import fc from 'fast-check';
import { appendFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WallClock } from '../../../../../actors/index.js';
import { LogFileReader, tailStartOffset } from '../../../../../nodes/runtime/process/log-reader.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'drover-log-reader-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function readAll(reader: AsyncIterable<string>): Promise<string[]> {
  const out: string[] = [];
  for await (const l of reader) out.push(l);
  return out;
}

/** The last `n` lines, the plain way. */
function naiveTail(text: string, n: number): string {
  if (n <= 0) return '';
  const body = text.endsWith('\n') ? text.slice(0, -1) : text;
  const lines = body.split('\n');
  if (text === '') return '';
  return lines.slice(-n).join('\n') + (text.endsWith('\n') ? '\n' : '');
}

describe('tailStartOffset', () => {
  it('finds where the last N lines begin, whatever the block size (property)', async () => {
    let i = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.string({ maxLength: 6 }), { maxLength: 12 }),
        fc.boolean(),
        fc.nat(14),
        fc.integer({ min: 1, max: 9 }),
        async (lines, finalNewline, n, blockBytes) => {
          const text = lines.map((l) => l.replace(/\n/g, '')).join('\n') + (finalNewline && lines.length > 0 ? '\n' : '');
          const path = join(dir, `tail-${i++}.log`);
          await writeFile(path, text);
          const offset = await tailStartOffset(path, n, blockBytes);
          expect(Buffer.from(text).subarray(offset).toString()).toBe(naiveTail(text, n));
        },
      ),
      { numRuns: 150 },
    );
  });

  it('is 0 for a file that does not exist', async () => {
    expect(await tailStartOffset(join(dir, 'missing.log'), 3)).toBe(0);
  });
});

describe('LogFileReader', () => {
  it('reads every line, an unterminated last one too, and an absent file as empty', async () => {
    const path = join(dir, 'plain.log');
    await writeFile(path, 'a\nb\nc');
    const clock = new WallClock();
    expect(await readAll(new LogFileReader({ path, follow: false, clock, pollMs: 10 }))).toEqual(['a', 'b', 'c']);
    expect(await readAll(new LogFileReader({ path, follow: false, tailLines: 2, clock, pollMs: 10 }))).toEqual(['b', 'c']);
    expect(await readAll(new LogFileReader({ path: join(dir, 'none.log'), follow: false, clock, pollMs: 10 }))).toEqual([]);
  });

  it('reads a log larger than one read chunk', async () => {
    const path = join(dir, 'big.log');
    const lines = Array.from({ length: 20_000 }, (_, i) => `line ${i}`);
    await writeFile(path, lines.join('\n') + '\n');
    expect(await readAll(new LogFileReader({ path, follow: false, clock: new WallClock(), pollMs: 10 }))).toEqual(lines);
  });

  it('follows appended lines, holds back a partial one, and ends when told the writer has ended', async () => {
    const path = join(dir, 'follow.log');
    await writeFile(path, 'first\n');
    let ended = false;
    let doneCalls = 0;
    const reader = new LogFileReader({
      path,
      follow: true,
      clock: new WallClock(),
      pollMs: 10,
      hasEnded: () => Promise.resolve(ended),
      onDone: () => doneCalls++,
    });
    expect(await reader.next()).toEqual({ done: false, value: 'first' });
    const next = reader.next();
    await appendFile(path, 'sec');
    await new Promise((r) => setTimeout(r, 50));
    await appendFile(path, 'ond\nthird');
    expect(await next).toEqual({ done: false, value: 'second' });
    ended = true;
    expect(await reader.next()).toEqual({ done: false, value: 'third' });
    expect(await reader.next()).toEqual({ done: true, value: undefined });
    await reader.return();
    expect(doneCalls).toBe(1);
  });

  it('return() ends a follow that waits for lines, at once', async () => {
    const path = join(dir, 'idle.log');
    await writeFile(path, '');
    let doneCalls = 0;
    const reader = new LogFileReader({ path, follow: true, clock: new WallClock(), pollMs: 60_000, onDone: () => doneCalls++ });
    const waiting = reader.next();
    await new Promise((r) => setTimeout(r, 30));
    await reader.return();
    expect(await waiting).toEqual({ done: true, value: undefined });
    expect(doneCalls).toBe(1);
  });
});
