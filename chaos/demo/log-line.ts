// Peers log with pino: one JSON object per line on stderr. The demo shows
// those lines to a person, so each becomes one short line of text:
//   {"level":40,"actor":"drover://beta/user/x","err":{"type":"Error","message":"boom",...},"msg":"actor failed"}
//   -> log warn: actor failed (Error: boom) actor=drover://beta/user/x

const LEVEL_NAMES: Readonly<Record<number, string>> = { 10: 'trace', 20: 'debug', 30: 'info', 40: 'warn', 50: 'error', 60: 'fatal' };
/** Fields shown elsewhere in the line, or not worth showing (the prefix names the system). */
const OMITTED = new Set(['level', 'time', 'msg', 'err', 'pid', 'hostname', 'system']);

function describeError(err: unknown): string {
  if (typeof err !== 'object' || err === null) return String(err);
  const e = err as { type?: unknown; message?: unknown };
  return `${typeof e.type === 'string' ? e.type : 'Error'}: ${typeof e.message === 'string' ? e.message : '?'}`;
}

/** One pino JSON line as readable text; any other line unchanged. */
export function formatLogLine(line: string): string {
  if (!line.startsWith('{')) return line;
  let parsed: unknown;
  try {
    parsed = JSON.parse(line);
  } catch {
    return line;
  }
  if (typeof parsed !== 'object' || parsed === null) return line;
  const record = parsed as Record<string, unknown>;
  const level = record['level'];
  const msg = record['msg'];
  if (typeof level !== 'number' || typeof msg !== 'string') return line;
  let text = `log ${LEVEL_NAMES[level] ?? String(level)}: ${msg}`;
  if (record['err'] !== undefined) text += ` (${describeError(record['err'])})`;
  for (const [key, value] of Object.entries(record)) {
    if (!OMITTED.has(key)) text += ` ${key}=${typeof value === 'string' ? value : JSON.stringify(value)}`;
  }
  return text;
}
