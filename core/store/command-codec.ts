import { Packr } from 'msgpackr';
import type { Command } from './commands.js';
import { validateCommand } from './command-validate.js';
import { MalformedCommandError } from './errors.js';

/**
 * A command's bytes in a raft entry: msgpack of `[COMMAND_FORMAT, command]`,
 * the command as a plain map with exactly its known fields. Bump
 * COMMAND_FORMAT on any change a replica of the previous version would read
 * differently; a replica refuses a format it does not know.
 */
export const COMMAND_FORMAT = 1;

// Plain msgpack maps (no msgpackr records): the bytes do not depend on what
// this process encoded before, and any msgpack reader can inspect an entry.
const packr = new Packr({ useRecords: false });

/** Checks `cmd` (throws MalformedCommandError as apply would reject it) and encodes it. */
export function encodeCommand(cmd: Command): Uint8Array {
  return packr.pack([COMMAND_FORMAT, validateCommand(cmd)]);
}

/** Decodes and checks an entry's bytes. Throws MalformedCommandError naming what is wrong. */
export function decodeCommand(data: Uint8Array): Command {
  let raw: unknown;
  try {
    raw = packr.unpack(data);
  } catch (e) {
    throw new MalformedCommandError('', `does not decode as msgpack (${(e as Error).message})`, { cause: e });
  }
  if (!Array.isArray(raw) || raw.length !== 2) {
    throw new MalformedCommandError('', 'expected a [format, command] array');
  }
  const [format, cmd] = raw as [unknown, unknown];
  if (format !== COMMAND_FORMAT) {
    throw new MalformedCommandError('', `unknown command format ${String(format)} (this store reads format ${COMMAND_FORMAT})`);
  }
  return validateCommand(cmd);
}
