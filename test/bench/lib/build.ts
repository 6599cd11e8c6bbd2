import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

// Suites run the masters and nodes as users run them: the compiled `drover`
// (built once per suite), so a restarted process does not spend its first
// seconds compiling TypeScript while the next round is measured.
const REPO = fileURLToPath(new URL('../../..', import.meta.url));
export const DROVER = join(REPO, 'dist/bin/drover.js');

/** Compiles the sources to dist/ (tsc -p tsconfig.build.json). */
export function buildDrover(): void {
  const r = spawnSync(process.execPath, [join(REPO, 'node_modules/typescript/bin/tsc'), '-p', join(REPO, 'tsconfig.build.json')], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`building dist/ failed:\n${r.stdout}${r.stderr}`);
}
