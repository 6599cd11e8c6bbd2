import { Packr } from 'msgpackr';
import { describe, expect, it } from 'vitest';
import {
  COMMAND_FORMAT,
  MalformedCommandError,
  createKvStore,
  decodeCommand,
  encodeCommand,
  type Command,
} from '../../../../core/store/index.js';
import { b } from './helpers.js';

const packr = new Packr({ useRecords: false });
const raw = (cmd: unknown): Uint8Array => packr.pack([COMMAND_FORMAT, cmd]);

function decodeError(data: Uint8Array): MalformedCommandError {
  try {
    decodeCommand(data);
  } catch (e) {
    if (e instanceof MalformedCommandError) return e;
    throw e;
  }
  throw new Error('decoded');
}

describe('command encoding', () => {
  it('round-trips every kind of command', () => {
    const cmds: Command[] = [
      { type: 'put', key: 'k', value: b('v') },
      { type: 'put', key: 'k', value: new Uint8Array(0), prevKv: true },
      { type: 'delete', key: 'k', prevKv: false },
      { type: 'deleteRange', prefix: '' },
      { type: 'compact', revision: 7 },
      {
        type: 'txn',
        compare: [
          { key: 'k', target: 'modRevision', op: '=', value: 3 },
          { key: 'k', target: 'value', op: '!=', value: b('x') },
        ],
        success: [
          { type: 'put', key: 'k', value: b('y') },
          { type: 'range', prefix: 'p/', limit: 10, startAfter: 'p/a', keysOnly: true },
        ],
        failure: [{ type: 'range', key: 'k', countOnly: true }, { type: 'deleteRange', prefix: 'q', prevKv: true }],
      },
    ];
    for (const c of cmds) {
      const back = decodeCommand(encodeCommand(c));
      expect(back).toEqual(c.type === 'txn' ? { compare: [], success: [], failure: [], ...c } : c);
    }
  });

  it('decoded values are plain Uint8Arrays the store owns (not views into the entry)', () => {
    const data = encodeCommand({ type: 'put', key: 'k', value: b('abc') });
    const cmd = decodeCommand(data);
    if (cmd.type !== 'put') throw new Error(cmd.type);
    expect(Object.getPrototypeOf(cmd.value)).toBe(Uint8Array.prototype);
    data.fill(0);
    expect(new TextDecoder().decode(cmd.value)).toBe('abc');
  });

  it('encodeCommand refuses what apply would reject', () => {
    expect(() => encodeCommand({ type: 'put', key: '', value: b('') })).toThrow(MalformedCommandError);
  });

  const cases: [string, Uint8Array, string, string][] = [
    ['not msgpack', Uint8Array.of(0x92, 0x01), '', 'does not decode as msgpack'],
    ['not a [format, command] array', packr.pack({ type: 'put' }), '', 'expected a [format, command] array'],
    ['an unknown format', packr.pack([99, {}]), '', 'unknown command format 99 (this store reads format 1)'],
    ['not an object', raw('put'), '', 'expected an object, got string'],
    ['an unknown type', raw({ type: 'upsert' }), 'type', 'must be one of put, delete, deleteRange, txn, compact (got "upsert")'],
    ['a put without a key', raw({ type: 'put', value: b('v') }), 'key', 'expected a string, got undefined'],
    ['an empty key', raw({ type: 'put', key: '', value: b('v') }), 'key', 'must not be empty'],
    ['a string value', raw({ type: 'put', key: 'k', value: 'v' }), 'value', 'expected bytes (a Uint8Array), got string'],
    ['a non-boolean prevKv', raw({ type: 'delete', key: 'k', prevKv: 1 }), 'prevKv', 'expected a boolean, got number'],
    ['an unknown field', raw({ type: 'put', key: 'k', value: b('v'), lease: 5 }), 'lease', 'unknown field (a put takes type, key, value, prevKv)'],
    ['a deleteRange without a prefix', raw({ type: 'deleteRange' }), 'prefix', 'expected a string, got undefined'],
    ['a compact at 0', raw({ type: 'compact', revision: 0 }), 'revision', 'expected a revision (an integer >= 1), got 0'],
    ['a compact at 1.5', raw({ type: 'compact', revision: 1.5 }), 'revision', 'expected a revision (an integer >= 1), got 1.5'],
    ['a txn compare that is not a list', raw({ type: 'txn', compare: {} }), 'compare', 'expected an array, got object'],
    [
      'a compare with a bad target',
      raw({ type: 'txn', compare: [{ key: 'k', target: 'mod', op: '=', value: 1 }] }),
      'compare[0].target',
      'must be one of modRevision, createRevision, version, value (got "mod")',
    ],
    [
      'a compare with a bad op',
      raw({ type: 'txn', compare: [{ key: 'k', target: 'version', op: '==', value: 1 }] }),
      'compare[0].op',
      'must be one of =, !=, <, > (got "==")',
    ],
    [
      'a revision compare against bytes',
      raw({ type: 'txn', compare: [{ key: 'k', target: 'modRevision', op: '=', value: b('1') }] }),
      'compare[0].value',
      'expected an integer >= 0, got bytes',
    ],
    [
      'a value compare against a number',
      raw({ type: 'txn', compare: [{ key: 'k', target: 'value', op: '=', value: 1 }] }),
      'compare[0].value',
      'expected bytes (a Uint8Array), got number',
    ],
    [
      'a bad op deep in a branch',
      raw({ type: 'txn', success: [{ type: 'put', key: 'a', value: b('') }, { type: 'compact', revision: 2 }] }),
      'success[1].type',
      'must be one of put, delete, deleteRange, range (got "compact")',
    ],
    [
      'a bad value deep in a branch',
      raw({ type: 'txn', failure: [{ type: 'put', key: 'a', value: [1, 2] }] }),
      'failure[0].value',
      'expected bytes (a Uint8Array), got an array',
    ],
    ['a range with key and prefix', raw({ type: 'txn', success: [{ type: 'range', key: 'a', prefix: 'a' }] }), 'success[0]', 'a range needs exactly one of key and prefix'],
    ['a range with a negative limit', raw({ type: 'txn', success: [{ type: 'range', prefix: '', limit: -1 }] }), 'success[0].limit', 'expected an integer >= 0, got -1'],
    ['too many ops', raw({ type: 'txn', success: Array.from({ length: 10_001 }, () => ({ type: 'delete', key: 'k' })) }), 'success', 'at most 10000 allowed, got 10001'],
  ];

  for (const [what, data, path, reason] of cases) {
    it(`a malformed entry (${what}) names what is wrong: ${path || 'command'}`, () => {
      const e = decodeError(data);
      expect(e.code).toBe('MALFORMED_COMMAND');
      expect(e.path).toBe(path);
      expect(e.reason).toContain(reason);
      expect(e.message).toContain(`malformed store command: ${path || 'command'}: `);
    });
  }

  it('apply rejects a malformed entry as a result, writing nothing, and goes on', () => {
    const s = createKvStore();
    s.applyCommand({ type: 'put', key: 'a', value: b('1') });
    const r = s.apply({ term: 1, index: 9, type: 'normal', data: raw({ type: 'txn', success: [{ type: 'put', key: 'a', value: 'str' }] }) });
    expect(r).toEqual({
      type: 'rejected',
      code: 'MALFORMED_COMMAND',
      revision: 2,
      path: 'success[0].value',
      reason: 'expected bytes (a Uint8Array), got string',
      message: 'malformed store command: success[0].value: expected bytes (a Uint8Array), got string',
    });
    expect(s.revision).toBe(2);
    expect(s.eventsSince({ prefix: '' }, 1).events).toHaveLength(1);
    expect(s.applyCommand({ type: 'put', key: 'b', value: b('2') })).toEqual({ type: 'put', revision: 3 });
  });

  it('applyCommand checks commands as apply does', () => {
    const s = createKvStore();
    const r = s.applyCommand({ type: 'put', key: 'k', value: 'v' } as unknown as Command);
    expect(r).toMatchObject({ type: 'rejected', code: 'MALFORMED_COMMAND', path: 'value' });
  });
});
