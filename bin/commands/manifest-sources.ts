// Reading `-f` sources: files, folders (their .yaml, .yml and .json files,
// sorted) and `-` for standard input; parsed all before anything is sent.
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { parseManifests, type ApiObject } from '../../core/api/index.js';
import { CliError, EXIT_FAILED, type CliIo } from './context.js';

const MANIFEST_FILE = /\.(ya?ml|json)$/i;

async function filesOf(source: string): Promise<string[]> {
  let s;
  try {
    s = await stat(source);
  } catch {
    throw new CliError(`the path ${JSON.stringify(source)} does not exist`, EXIT_FAILED);
  }
  if (!s.isDirectory()) return [source];
  const names = (await readdir(source)).filter((n) => MANIFEST_FILE.test(n)).sort();
  if (names.length === 0) throw new CliError(`no .yaml, .yml or .json files in ${source}`, EXIT_FAILED);
  return names.map((n) => join(source, n));
}

/**
 * Every object of every source, in order. Malformed or invalid manifests
 * fail the whole read (file:line:column, or the field path and rule), so
 * nothing is applied from a half-broken set.
 */
export async function readManifests(sources: readonly string[], io: CliIo): Promise<ApiObject[]> {
  const objects: ApiObject[] = [];
  const problems: string[] = [];
  for (const source of sources) {
    const texts: [string, string][] = source === '-' ? [['<stdin>', await io.readStdin()]] : await Promise.all((await filesOf(source)).map(async (f) => [f, await readFile(f, 'utf8')] as [string, string]));
    for (const [name, text] of texts) {
      const parsed = parseManifests(text, name);
      if (parsed.ok) objects.push(...parsed.value);
      else problems.push(parsed.error.message);
    }
  }
  if (problems.length > 0) throw new CliError(problems.map((p) => `error: ${p}`).join('\n'), EXIT_FAILED);
  return objects;
}
