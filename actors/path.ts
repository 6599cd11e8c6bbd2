import { InvalidActorPathError } from './errors.js';

/** Every actor path starts with this scheme: `drover://<system>/user/<a>/<b>`. */
export const PATH_SCHEME = 'drover://';

const NAME_RE = /^[A-Za-z0-9_.:\-]+$/;
const SYSTEM_RE = /^[A-Za-z0-9_-]{1,64}$/;
// The whole-path rule as one expression, for the hot path of decoding frames.
const PATH_RE = /^drover:\/\/[A-Za-z0-9_-]{1,64}(?:\/[^/]+)*$/;

/** True for a valid system name (one NATS subject token). */
export function isValidSystemName(name: string): boolean {
  return SYSTEM_RE.test(name);
}

/** True for a string that parseActorPath accepts. */
export function isValidActorPath(path: string): boolean {
  return PATH_RE.test(path);
}

/** Checks a user-given actor name (`$` is reserved for generated names). */
export function validateActorName(name: string): void {
  if (name.length === 0 || name.length > 128) throw new InvalidActorPathError(name, 'a name has 1 to 128 characters');
  if (!NAME_RE.test(name)) throw new InvalidActorPathError(name, 'a name uses only letters, digits and _ . : -');
}

/** Checks a system name, which is also a NATS subject token. */
export function validateSystemName(name: string): void {
  if (!SYSTEM_RE.test(name)) {
    throw new InvalidActorPathError(name, 'a system name has 1 to 64 letters, digits, _ or - (it is one NATS subject token)');
  }
}

/** A parsed path: the system and the elements after it (`['user', 'a']`). */
export interface ParsedPath {
  readonly system: string;
  readonly elements: readonly string[];
}

export function parseActorPath(path: string): ParsedPath {
  if (!path.startsWith(PATH_SCHEME)) throw new InvalidActorPathError(path, `a path starts with ${PATH_SCHEME}`);
  const rest = path.slice(PATH_SCHEME.length);
  const parts = rest.split('/');
  const system = parts[0] ?? '';
  if (!SYSTEM_RE.test(system)) throw new InvalidActorPathError(path, 'a path names its system: 1 to 64 letters, digits, _ or -');
  const elements = parts.slice(1);
  if (elements.some((e) => e.length === 0)) throw new InvalidActorPathError(path, 'a path has no empty elements');
  return { system, elements };
}

/** The system part of a path, without parsing the rest. */
export function systemOfPath(path: string): string {
  const end = path.indexOf('/', PATH_SCHEME.length);
  return path.slice(PATH_SCHEME.length, end === -1 ? undefined : end);
}
