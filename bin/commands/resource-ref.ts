// How workload commands name their object: `deployment/web` or
// `deployment web`, as kubectl users type them.
import { kindInfo, resolveKind, type Kind } from '../../core/api/index.js';
import { CliError, EXIT_USAGE, kindOf } from './context.js';

/** One object named on the command line. */
export interface ResourceRef {
  readonly kind: Kind;
  readonly name: string;
}

const usage = (message: string): never => {
  throw new CliError(message, EXIT_USAGE);
};

/**
 * The object named by a command's arguments: `['deployment/web']` or
 * `['deployment', 'web']` (any plural or short name of the kind).
 * `defaultKind` lets a bare name stand for an object of that kind
 * (`drover logs web` is a pod). Anything else is a usage error (exit 2).
 */
export function parseResourceRef(args: readonly (string | undefined)[], defaultKind?: Kind): ResourceRef {
  const given = args.filter((a): a is string => a !== undefined && a !== '');
  const [first, second, ...rest] = given;
  if (first === undefined) return usage('you must name an object: <kind>/<name> or <kind> <name>');
  if (rest.length > 0) return usage(`expected one object, got ${given.length} arguments: ${given.join(' ')}`);
  const slash = first.indexOf('/');
  if (slash >= 0) {
    if (second !== undefined) return usage(`name the object once: ${first} or ${first.slice(0, slash)} ${first.slice(slash + 1)}, not ${first} ${second}`);
    const kindName = first.slice(0, slash);
    const name = first.slice(slash + 1);
    if (name === '' || name.includes('/')) return usage(`${JSON.stringify(first)} is not <kind>/<name>`);
    return { kind: kindNamed(kindName), name };
  }
  if (second === undefined) {
    if (defaultKind !== undefined && resolveKind(first) === undefined) return { kind: defaultKind, name: first };
    return usage(`you must name the object: ${first}/<name> or ${first} <name>`);
  }
  return { kind: kindNamed(first), name: second };
}

const kindNamed = kindOf;

/** `ref` if its kind is one of `kinds`; else a usage error saying what the command works on. */
export function requireKind<K extends Kind>(ref: ResourceRef, kinds: readonly K[], command: string): ResourceRef & { readonly kind: K } {
  if ((kinds as readonly Kind[]).includes(ref.kind)) return ref as ResourceRef & { readonly kind: K };
  const names = kinds.map((k) => kindInfo(k).plural).join(' and ');
  return usage(`${command} works on ${names}, not ${kindInfo(ref.kind).plural}`);
}

/** `deployment/web`, as the commands print what they changed. */
export function refText(ref: ResourceRef): string {
  return `${ref.kind.toLowerCase()}/${ref.name}`;
}
