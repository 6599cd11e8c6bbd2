import { pino, type Logger } from 'pino';

export interface LoggerOptions {
  /** Default: the DROVER_LOG_LEVEL environment variable, else 'info'. */
  readonly level?: string;
  /** Fields on every line, e.g. `{ system: 'a' }`. */
  readonly base?: Record<string, unknown>;
  /** Where "now" comes from (the virtual clock in simulation). */
  readonly nowMs?: () => number;
}

/** One JSON line per event on stderr, so stdout stays free for a command's output. */
export function createLogger(options: LoggerOptions = {}): Logger {
  const nowMs = options.nowMs;
  return pino(
    {
      level: options.level ?? process.env['DROVER_LOG_LEVEL'] ?? 'info',
      base: options.base ?? null,
      ...(nowMs ? { timestamp: () => `,"time":${nowMs()}` } : {}),
    },
    pino.destination({ dest: 2, sync: true }),
  );
}
