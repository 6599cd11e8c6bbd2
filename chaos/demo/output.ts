// The launcher's output: every line starts with the name of the process it
// comes from, padded so the text lines up, and coloured on a terminal.
//   [drover] nats-server (pid 4711) listening on nats://127.0.0.1:40123
//   [beta]   worker crashed on job 3: simulated failure; ...

const NAME_WIDTH = 'drover'.length + 2;
const COLOURS: Readonly<Record<string, string>> = { drover: '1', alpha: '36', beta: '35' };

/** Honours NO_COLOR (https://no-color.org) and only colours a terminal. */
function useColour(stream: NodeJS.WriteStream): boolean {
  return stream.isTTY === true && (process.env['NO_COLOR'] ?? '') === '';
}

function prefix(name: string, stream: NodeJS.WriteStream): string {
  const tag = `[${name}]`.padEnd(NAME_WIDTH);
  const colour = COLOURS[name];
  return colour !== undefined && useColour(stream) ? `\x1b[${colour}m${tag}\x1b[0m` : tag;
}

/** Writes `line` to stdout under `name`. */
export function printLine(name: string, line: string): void {
  process.stdout.write(`${prefix(name, process.stdout)} ${line}\n`);
}

/** Writes `line` to stderr under `name`. */
export function printErrorLine(name: string, line: string): void {
  process.stderr.write(`${prefix(name, process.stderr)} ${line}\n`);
}
