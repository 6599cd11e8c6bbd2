// ESLint flat config for Drover (ESLint 10, typescript-eslint 8, import-x 4).
//
// Three kinds of rule live here:
//   1. type-aware hygiene on every .ts file (floating promises, type imports,
//      no import cycles, no `any` outside tests);
//   2. the DETERMINISM RULE: code under actors/, raft/, core/ and nodes/ takes
//      time, timers and randomness from its actor context, never from the host
//      (see DESIGN.md, "One runtime, two worlds"). Exactly two files are the
//      real world's adapters and are exempt: actors/world/wall-clock.ts (clock,
//      timers, host event loop) and actors/world/crypto-random.ts (randomness);
//   3. the LAYERING RULE: a layer imports only the layers below it.
import { defineConfig, globalIgnores } from 'eslint/config';
import tseslint from 'typescript-eslint';
import { importX, createNodeResolver } from 'eslint-plugin-import-x';

const root = import.meta.dirname;

/** The layers whose code must be deterministic. */
const DETERMINISTIC_LAYERS = ['actors', 'raft', 'core', 'nodes'];
/** The one file allowed to touch the host clock, timers and event loop. */
const WALL_CLOCK_FILE = 'actors/world/wall-clock.ts';
/** The one file allowed to read host randomness. */
const CRYPTO_RANDOM_FILE = 'actors/world/crypto-random.ts';

const TEST_FILES = ['test/**', '**/*.test.ts', '**/*.spec.ts'];

const CLOCK_MSG =
  'Determinism rule: take time and timers from the actor context (its Clock), never from the host; ' +
  `only ${WALL_CLOCK_FILE} touches the real clock, timers and event loop.`;
const RANDOM_MSG =
  'Determinism rule: take randomness from the actor context (its Random), never from the host; ' +
  `only ${CRYPTO_RANDOM_FILE} reads real randomness.`;

const HOST_GLOBAL_OBJECTS = 'globalThis|global|self|window';

const CLOCK_GLOBALS = [
  'setTimeout',
  'setInterval',
  'setImmediate',
  'clearTimeout',
  'clearInterval',
  'clearImmediate',
  'performance',
];
const RANDOM_CRYPTO_FUNCTIONS = [
  'randomBytes',
  'randomUUID',
  'randomInt',
  'randomFill',
  'randomFillSync',
  'getRandomValues',
  'pseudoRandomBytes',
  'webcrypto',
];

/** The restrictions on the host clock/timers (`clock`) and host randomness (`random`). */
function determinismRules({ clock, random }) {
  const globals = [];
  const properties = [];
  const syntax = [];
  const importPaths = [];

  if (clock) {
    globals.push(...CLOCK_GLOBALS.map((name) => ({ name, message: CLOCK_MSG })));
    properties.push(
      { object: 'Date', property: 'now', message: CLOCK_MSG },
      { object: 'performance', property: 'now', message: CLOCK_MSG },
      { object: 'performance', property: 'timeOrigin', message: CLOCK_MSG },
      { object: 'process', property: 'hrtime', message: CLOCK_MSG },
      { object: 'process', property: 'uptime', message: CLOCK_MSG },
    );
    for (const obj of HOST_GLOBAL_OBJECTS.split('|')) {
      for (const property of [...CLOCK_GLOBALS, 'Date']) {
        properties.push({ object: obj, property, message: CLOCK_MSG });
      }
    }
    syntax.push(
      // `new Date()` and `Date()` read the wall clock; `new Date(ms)` and Date.UTC(...) do not.
      { selector: "NewExpression[callee.name='Date'][arguments.length=0]", message: CLOCK_MSG },
      { selector: "CallExpression[callee.type='Identifier'][callee.name='Date']", message: CLOCK_MSG },
      // globalThis['setTimeout'] and friends.
      {
        selector: `MemberExpression[computed=true][object.name=/^(${HOST_GLOBAL_OBJECTS})$/][property.value=/^(${[...CLOCK_GLOBALS, 'Date'].join('|')})$/]`,
        message: CLOCK_MSG,
      },
    );
    for (const name of ['node:timers', 'timers', 'node:timers/promises', 'timers/promises']) {
      importPaths.push({ name, message: CLOCK_MSG });
    }
    for (const name of ['node:perf_hooks', 'perf_hooks']) {
      importPaths.push({ name, importNames: ['performance'], message: CLOCK_MSG });
    }
  }

  if (random) {
    properties.push({ object: 'Math', property: 'random', message: RANDOM_MSG });
    for (const property of RANDOM_CRYPTO_FUNCTIONS) {
      properties.push({ object: 'crypto', property, message: RANDOM_MSG });
    }
    for (const obj of HOST_GLOBAL_OBJECTS.split('|')) {
      for (const property of ['Math', 'crypto']) {
        properties.push({ object: obj, property, message: RANDOM_MSG });
      }
    }
    syntax.push({
      selector: `MemberExpression[computed=true][object.name=/^(${HOST_GLOBAL_OBJECTS})$/][property.value=/^(Math|crypto)$/]`,
      message: RANDOM_MSG,
    });
    for (const name of ['node:crypto', 'crypto']) {
      importPaths.push({ name, importNames: RANDOM_CRYPTO_FUNCTIONS, message: RANDOM_MSG });
    }
  }

  return {
    'no-restricted-globals': ['error', ...globals],
    'no-restricted-properties': ['error', ...properties],
    'no-restricted-syntax': ['error', ...syntax],
    'no-restricted-imports': ['error', { paths: importPaths }],
  };
}

const deterministicFiles = DETERMINISTIC_LAYERS.map((layer) => `${layer}/**/*.ts`);

/** Layering: `target` may not import from any of `from` (paths relative to the repo root). */
const layerZones = [
  { target: './actors', from: ['./raft', './core', './nodes', './chaos', './bin', './test', './examples'] },
  { target: './raft', from: ['./core', './nodes', './chaos', './bin', './test', './examples'] },
  { target: './core', from: ['./nodes', './chaos', './bin', './test', './examples'] },
  { target: './nodes', from: ['./chaos', './bin', './test', './examples'] },
].map((zone) => ({
  ...zone,
  message: 'Layering rule (DESIGN.md): a layer imports only the layers below it.',
}));

export default defineConfig([
  globalIgnores(['dist/', 'node_modules/', 'coverage/', 'test/bench/out/', '.drover/']),

  // 1. Type-aware hygiene on every TypeScript file.
  {
    files: ['**/*.ts'],
    languageOptions: {
      parser: tseslint.parser,
      parserOptions: {
        projectService: true,
        tsconfigRootDir: root,
      },
    },
    plugins: {
      '@typescript-eslint': tseslint.plugin,
      'import-x': importX,
    },
    settings: {
      'import-x/extensions': ['.ts', '.js'],
      'import-x/external-module-folders': ['node_modules', 'node_modules/@types'],
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts'] },
      // NodeNext: sources import `./x.js`, which is `./x.ts` on disk.
      'import-x/resolver-next': [
        createNodeResolver({
          extensions: ['.ts', '.js', '.json', '.node'],
          extensionAlias: { '.js': ['.ts', '.js'] },
          conditionNames: ['types', 'import', 'default'],
        }),
      ],
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/consistent-type-imports': ['error', { prefer: 'type-imports' }],
      '@typescript-eslint/no-explicit-any': 'error',
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
      'import-x/no-restricted-paths': ['error', { basePath: root, zones: layerZones }],
    },
  },

  // `any` is tolerated in tests.
  {
    files: TEST_FILES,
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },

  // 2. Determinism: every file of the deterministic layers except the two real-world adapters...
  {
    files: deterministicFiles,
    ignores: [...TEST_FILES, WALL_CLOCK_FILE, CRYPTO_RANDOM_FILE],
    rules: determinismRules({ clock: true, random: true }),
  },
  // ...the wall clock may touch the host clock and timers, but not randomness...
  {
    files: [WALL_CLOCK_FILE],
    rules: determinismRules({ clock: false, random: true }),
  },
  // ...and the crypto random source may read randomness, but not the clock.
  {
    files: [CRYPTO_RANDOM_FILE],
    rules: determinismRules({ clock: true, random: false }),
  },
]);
