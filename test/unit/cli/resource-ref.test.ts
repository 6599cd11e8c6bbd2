import { describe, expect, it } from 'vitest';
import { CliError } from '../../../bin/commands/context.js';
import { durationMs, parseDurationOption } from '../../../bin/commands/duration.js';
import { parseResourceRef, refText, requireKind } from '../../../bin/commands/resource-ref.js';

function usageError(f: () => unknown): CliError {
  try {
    f();
  } catch (e) {
    if (e instanceof CliError) return e;
    throw e;
  }
  throw new Error('expected a CliError');
}

describe('parseResourceRef', () => {
  it('reads kind/name and kind name alike, with any name of the kind', () => {
    expect(parseResourceRef(['deployment/web'])).toEqual({ kind: 'Deployment', name: 'web' });
    expect(parseResourceRef(['deployment', 'web'])).toEqual({ kind: 'Deployment', name: 'web' });
    expect(parseResourceRef(['deploy/web', undefined])).toEqual({ kind: 'Deployment', name: 'web' });
    expect(parseResourceRef(['rs', 'web-abc'])).toEqual({ kind: 'ReplicaSet', name: 'web-abc' });
    expect(parseResourceRef(['Nodes/n1'])).toEqual({ kind: 'Node', name: 'n1' });
  });

  it('a bare name stands for the default kind only when the command has one', () => {
    expect(parseResourceRef(['web'], 'Pod')).toEqual({ kind: 'Pod', name: 'web' });
    expect(parseResourceRef(['n1'], 'Node')).toEqual({ kind: 'Node', name: 'n1' });
    expect(usageError(() => parseResourceRef(['web'])).message).toMatch(/you must name the object: web\/<name>/);
    // A word that is a kind is the kind, not a name.
    expect(usageError(() => parseResourceRef(['pods'], 'Pod')).message).toMatch(/pods\/<name>/);
  });

  it('refuses what names no single object, exit 2', () => {
    for (const args of [[], ['deployment/'], ['deployment/web', 'extra'], ['a', 'b', 'c'], ['deployment/web/x']]) {
      expect(usageError(() => parseResourceRef(args)).exitCode).toBe(2);
    }
    expect(usageError(() => parseResourceRef(['widgets/x'])).message).toMatch(/unknown resource type "widgets"/);
    expect(usageError(() => parseResourceRef(['deployment/web', 'web'])).message).toMatch(/name the object once/);
  });

  it('requireKind says which kinds a command works on', () => {
    const ref = parseResourceRef(['pod/x']);
    const e = usageError(() => requireKind(ref, ['Deployment', 'ReplicaSet'], 'scale'));
    expect(e.message).toBe('scale works on deployments and replicasets, not pods');
    expect(e.exitCode).toBe(2);
    expect(refText(requireKind(parseResourceRef(['rs/x']), ['Deployment', 'ReplicaSet'], 'scale'))).toBe('replicaset/x');
  });
});

describe('durations', () => {
  it('reads Go-style durations in milliseconds', () => {
    expect(durationMs('5m')).toBe(300_000);
    expect(durationMs('90s')).toBe(90_000);
    expect(durationMs('1h30m')).toBe(5_400_000);
    expect(durationMs('250ms')).toBe(250);
    expect(durationMs('1.5s')).toBe(1_500);
    expect(durationMs('0')).toBe(0);
  });

  it('refuses what is not one, naming the option', () => {
    for (const t of ['5', '5x', 'm', '', '-1s', '5 m']) expect(durationMs(t)).toBeUndefined();
    const e = usageError(() => parseDurationOption('--timeout', '5x'));
    expect(e.exitCode).toBe(2);
    expect(e.message).toMatch(/^--timeout: "5x" is not a duration/);
  });
});
