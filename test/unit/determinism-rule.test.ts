import { fileURLToPath } from 'node:url';
import { ESLint, type Linter } from 'eslint';
import { beforeAll, describe, expect, it } from 'vitest';

// Proves the DETERMINISM RULE of eslint.config.js: code under actors/, raft/,
// core/ and nodes/ never reads the host clock, timers or randomness; only
// actors/world/wall-clock.ts and actors/world/crypto-random.ts may.

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));

/** The rules through which the determinism rule is expressed. */
const RESTRICTED_RULES = new Set([
  'no-restricted-globals',
  'no-restricted-properties',
  'no-restricted-syntax',
  'no-restricted-imports',
]);

const WALL_CLOCK_FILE = 'actors/world/wall-clock.ts';
const CRYPTO_RANDOM_FILE = 'actors/world/crypto-random.ts';

/** One forbidden host access per line, so each can be told apart by its line number. */
const CLOCK_CASES = {
  'Date.now()': 'export const a = Date.now();',
  'performance.now()': 'export const b = performance.now();',
  'setTimeout(...)': 'setTimeout(() => {}, 10);',
  'setInterval(...)': 'setInterval(() => {}, 10);',
  'setImmediate(...)': 'setImmediate(() => {});',
  'globalThis.setTimeout(...)': 'globalThis.setTimeout(() => {}, 10);',
  "import from 'node:timers'": "import { setTimeout as later } from 'node:timers'; export { later };",
  'new Date()': 'export const c = new Date();',
} as const;
const RANDOM_CASES = {
  'Math.random()': 'export const r = Math.random();',
  'crypto.randomUUID()': 'export const u = crypto.randomUUID();',
} as const;

type CaseName = keyof typeof CLOCK_CASES | keyof typeof RANDOM_CASES;
const ALL_CASES: Record<CaseName, string> = { ...CLOCK_CASES, ...RANDOM_CASES };
const CASE_NAMES = Object.keys(ALL_CASES) as CaseName[];
const SOURCE = CASE_NAMES.map((name) => ALL_CASES[name]).join('\n') + '\n';

let eslint: ESLint;

/** The names of the cases (lines of SOURCE) that the restricted rules report in `filePath`. */
async function reportedCases(filePath: string, source = SOURCE): Promise<Set<string>> {
  const [result] = await eslint.lintText(source, { filePath });
  const messages: Linter.LintMessage[] = result?.messages ?? [];
  expect(messages.filter((m) => m.fatal === true)).toEqual([]);
  const reported = new Set<string>();
  for (const m of messages) {
    if (m.ruleId !== null && RESTRICTED_RULES.has(m.ruleId)) {
      reported.add(CASE_NAMES[m.line - 1] ?? `line ${m.line}`);
      expect(m.message).toMatch(/Determinism rule: take .* from the actor context/);
    }
  }
  return reported;
}

beforeAll(() => {
  // The rules under test are syntactic: lint the (virtual, not on disk) files
  // without the TypeScript project service, and only with the restricted rules.
  eslint = new ESLint({
    cwd: repoRoot,
    overrideConfig: [{ files: ['**/*.ts'], languageOptions: { parserOptions: { projectService: false } } }],
    ruleFilter: ({ ruleId }) => RESTRICTED_RULES.has(ruleId),
  });
});

describe('determinism rule', () => {
  it.each(['actors/some-file.ts', 'actors/system/dispatcher.ts', 'raft/core/raft.ts', 'core/store/mvcc.ts', 'nodes/agent.ts'])(
    'reports every host clock, timer and random access in %s',
    async (filePath) => {
      expect([...(await reportedCases(filePath))].sort()).toEqual([...CASE_NAMES].sort());
    },
  );

  it(`allows the clock and timers, but not randomness, in ${WALL_CLOCK_FILE}`, async () => {
    expect([...(await reportedCases(WALL_CLOCK_FILE))].sort()).toEqual(Object.keys(RANDOM_CASES).sort());
  });

  it(`allows randomness, but not the clock or timers, in ${CRYPTO_RANDOM_FILE}`, async () => {
    expect([...(await reportedCases(CRYPTO_RANDOM_FILE))].sort()).toEqual(Object.keys(CLOCK_CASES).sort());
  });

  it.each(['chaos/launcher.ts', 'bin/drover.ts', 'test/unit/some.test.ts', 'test/sim/run.ts', 'examples/ping.ts'])(
    'does not restrict %s',
    async (filePath) => {
      expect([...(await reportedCases(filePath))]).toEqual([]);
    },
  );

  it('does not confuse the actor context with the host', async () => {
    const source = [
      'declare const ctx: { clock: { now(): number; setTimer(ms: number, fn: () => void): void }; random: { next(): number } };',
      'export const a = ctx.clock.now();',
      'ctx.clock.setTimer(10, () => {});',
      'export const r = ctx.random.next();',
      'export const d = new Date(0);',
      'export const e = Date.UTC(2026, 0, 1);',
      'export type Handle = ReturnType<typeof setTimeout>;',
    ].join('\n');
    expect([...(await reportedCases('actors/some-file.ts', source))]).toEqual([]);
  });

  it('holds on the whole tree (actors, raft, core, nodes) with the real config', async () => {
    const real = new ESLint({
      cwd: repoRoot,
      errorOnUnmatchedPattern: false,
      ruleFilter: ({ ruleId }) => RESTRICTED_RULES.has(ruleId),
    });
    const results = await real.lintFiles(['actors', 'raft', 'core', 'nodes']);
    const problems = results.flatMap((r) =>
      r.messages
        .filter((m) => m.fatal === true || (m.ruleId !== null && RESTRICTED_RULES.has(m.ruleId)))
        .map((m) => `${r.filePath}:${m.line}:${m.column} ${m.ruleId ?? 'fatal'}: ${m.message}`),
    );
    expect(problems).toEqual([]);
  });
});
