// Durations on the command line, as kubectl's --timeout takes them: 90s,
// 5m, 1h30m, 500ms; 0 means no limit.
import { CliError, EXIT_USAGE } from './context.js';

const UNIT_MS: Readonly<Record<string, number>> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000 };

/** Milliseconds of `text` (`5m` -> 300000; `0` -> 0), or undefined when it is not a duration. */
export function durationMs(text: string): number | undefined {
  const t = text.trim();
  if (/^0+$/.test(t)) return 0;
  if (!/^(\d+(\.\d+)?(ms|s|m|h))+$/.test(t)) return undefined;
  let total = 0;
  for (const m of t.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h)/g)) total += Number(m[1]) * (UNIT_MS[m[2] ?? ''] ?? 0);
  return Math.round(total);
}

/** As durationMs, for an option: a usage error (exit 2) names the option when the text is no duration. */
export function parseDurationOption(option: string, text: string): number {
  const ms = durationMs(text);
  if (ms === undefined) throw new CliError(`${option}: ${JSON.stringify(text)} is not a duration (e.g. 30s, 5m, 1h30m; 0 for no limit)`, EXIT_USAGE);
  return ms;
}
