/**
 * Seeds for simulation tests: DROVER_SIM_SEED replays one; DROVER_SIM_SEEDS
 * sets how many (npm test runs a short campaign, npm run test:sim a long one).
 */
export function simSeeds(defaultCount: number): number[] {
  const one = process.env['DROVER_SIM_SEED'];
  if (one !== undefined) return [Number(one)];
  const count = Number(process.env['DROVER_SIM_SEEDS'] ?? defaultCount);
  const base = Number(process.env['DROVER_SIM_BASE_SEED'] ?? 1);
  return Array.from({ length: count }, (_, i) => base + i);
}

/** Runs `check` for every seed; a failure names the seed and how to replay it. */
export async function forEachSeed(file: string, seeds: readonly number[], check: (seed: number) => Promise<void>): Promise<void> {
  for (const seed of seeds) {
    try {
      await check(seed);
    } catch (e) {
      const replay = `DROVER_SIM_SEED=${seed} DROVER_SIM_LOG_LEVEL=debug npx vitest run ${file}`;
      throw new Error(`seed ${seed} failed: ${(e as Error).message}\n  replay: ${replay}`, { cause: e });
    }
  }
}
