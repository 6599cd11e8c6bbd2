// The process runtime's state file: one JSON document per container, so that
// a restarted agent finds its containers again (the processes outlive it).
// Pure: encoding and a strict decoder; the file I/O is in state-store.ts.

/** The format written; a file of another version is not read. */
export const STATE_FILE_VERSION = 1;

/** How a process container ended. */
export interface ProcessExit {
  readonly exitCode: number;
  /** The signal that ended it, when the runtime saw one (own children only). */
  readonly signal?: number;
  readonly finishedAtMs: number;
  /**
   * True when the runtime did not see the exit (the process ended while no
   * agent was its parent): the exit code is then unknown and reported as
   * LOST_EXIT_CODE.
   */
  readonly lost?: boolean;
}

/** The exit code reported for a container whose real exit code is unknown (as for a SIGKILL). */
export const LOST_EXIT_CODE = 137;

/** Everything the runtime keeps of one container. */
export interface ProcessContainerRecord {
  readonly id: string;
  /** The container's process, leader of its own process group (pgid = pid). */
  readonly pid: number;
  /** The process's start time from /proc/<pid>/stat, guarding against pid reuse. */
  readonly pidStartTime: string;
  readonly podUid: string;
  readonly podNamespace: string;
  readonly podName: string;
  readonly containerName: string;
  readonly attempt: number;
  readonly image: string;
  /** The program and its arguments, as run. */
  readonly argv: readonly string[];
  /** The whole environment of the process (exec runs with it too). */
  readonly env: Readonly<Record<string, string>>;
  readonly workingDir: string;
  /** True when workingDir is the runtime's own per-container dir (removed with the container). */
  readonly ownWorkingDir: boolean;
  readonly logPath: string;
  readonly startedAtMs: number;
  /** The port the process listens on, by container port. */
  readonly hostPorts: Readonly<Record<number, number>>;
  /** Absent while the process runs. */
  readonly exit?: ProcessExit;
}

export type StateFileParse =
  | { readonly type: 'ok'; readonly record: ProcessContainerRecord }
  | { readonly type: 'invalid'; readonly reason: string };

export function encodeStateFile(record: ProcessContainerRecord): string {
  return `${JSON.stringify({ version: STATE_FILE_VERSION, ...record }, null, 2)}\n`;
}

/** Decodes a state file, checking every field: a file that is not exactly right is `invalid`, never half-read. */
export function decodeStateFile(text: string): StateFileParse {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    return invalid(`not JSON: ${e instanceof Error ? e.message : String(e)}`);
  }
  if (!isObject(raw)) return invalid('not a JSON object');
  if (raw['version'] !== STATE_FILE_VERSION) return invalid(`version is ${JSON.stringify(raw['version'])}, expected ${STATE_FILE_VERSION}`);

  const strings = ['id', 'pidStartTime', 'podUid', 'podNamespace', 'podName', 'containerName', 'image', 'workingDir', 'logPath'] as const;
  for (const key of strings) {
    if (typeof raw[key] !== 'string') return invalid(`${key} must be a string`);
  }
  for (const key of ['pid', 'attempt', 'startedAtMs'] as const) {
    if (!isNonNegativeInteger(raw[key])) return invalid(`${key} must be a non-negative integer`);
  }
  if ((raw['pid'] as number) < 1) return invalid('pid must be positive');
  if (typeof raw['ownWorkingDir'] !== 'boolean') return invalid('ownWorkingDir must be a boolean');
  const argv = raw['argv'];
  if (!Array.isArray(argv) || argv.length === 0 || !argv.every((a) => typeof a === 'string')) return invalid('argv must be a non-empty array of strings');
  const env = stringMap(raw['env']);
  if (env === undefined) return invalid('env must map names to strings');
  const hostPorts = portMap(raw['hostPorts']);
  if (hostPorts === undefined) return invalid('hostPorts must map container ports to host ports');

  let exit: ProcessExit | undefined;
  if (raw['exit'] !== undefined) {
    const parsed = decodeExit(raw['exit']);
    if (typeof parsed === 'string') return invalid(`exit: ${parsed}`);
    exit = parsed;
  }

  const record: ProcessContainerRecord = {
    id: raw['id'] as string,
    pid: raw['pid'] as number,
    pidStartTime: raw['pidStartTime'] as string,
    podUid: raw['podUid'] as string,
    podNamespace: raw['podNamespace'] as string,
    podName: raw['podName'] as string,
    containerName: raw['containerName'] as string,
    attempt: raw['attempt'] as number,
    image: raw['image'] as string,
    argv: argv as string[],
    env,
    workingDir: raw['workingDir'] as string,
    ownWorkingDir: raw['ownWorkingDir'],
    logPath: raw['logPath'] as string,
    startedAtMs: raw['startedAtMs'] as number,
    hostPorts,
    ...(exit !== undefined ? { exit } : {}),
  };
  return { type: 'ok', record };
}

function decodeExit(raw: unknown): ProcessExit | string {
  if (!isObject(raw)) return 'not an object';
  const exitCode = raw['exitCode'];
  const finishedAtMs = raw['finishedAtMs'];
  const signal = raw['signal'];
  const lost = raw['lost'];
  if (!isNonNegativeInteger(exitCode)) return 'exitCode must be a non-negative integer';
  if (!isNonNegativeInteger(finishedAtMs)) return 'finishedAtMs must be a non-negative integer';
  if (signal !== undefined && !isNonNegativeInteger(signal)) return 'signal must be a non-negative integer';
  if (lost !== undefined && typeof lost !== 'boolean') return 'lost must be a boolean';
  return {
    exitCode,
    finishedAtMs,
    ...(signal !== undefined ? { signal } : {}),
    ...(lost === true ? { lost } : {}),
  };
}

function invalid(reason: string): StateFileParse {
  return { type: 'invalid', reason };
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isNonNegativeInteger(v: unknown): v is number {
  return typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
}

function stringMap(v: unknown): Record<string, string> | undefined {
  if (!isObject(v)) return undefined;
  const out: Record<string, string> = {};
  for (const [k, value] of Object.entries(v)) {
    if (typeof value !== 'string') return undefined;
    out[k] = value;
  }
  return out;
}

function portMap(v: unknown): Record<number, number> | undefined {
  if (!isObject(v)) return undefined;
  const out: Record<number, number> = {};
  for (const [k, value] of Object.entries(v)) {
    const port = Number(k);
    if (!isPort(port) || !isPort(value)) return undefined;
    out[port] = value;
  }
  return out;
}

function isPort(v: unknown): v is number {
  return typeof v === 'number' && Number.isInteger(v) && v >= 1 && v <= 65535;
}
