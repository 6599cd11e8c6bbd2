import type { Taint, TaintEffect } from '../../core/api/index.js';

/** Which runtime a node agent uses: `auto` picks docker when an engine answers, else process. */
export type RuntimeChoice = 'auto' | 'docker' | 'process' | 'hollow';

/** Everything `drover node` needs, after the command line is parsed. */
export interface NodeConfig {
  /** The node's name: its Node object's and its actor system's. With `hollowCount`, the prefix of the hollow nodes' names. */
  readonly nodeName: string;
  /** The masters' ids, e.g. m1,m2,m3. */
  readonly masters: readonly string[];
  readonly natsUrl: string;
  /** Where the process runtime keeps its state and the containers' logs. */
  readonly dataDir: string;
  readonly runtime: RuntimeChoice;
  readonly labels: Readonly<Record<string, string>>;
  readonly taints: readonly Taint[];
  /** Hollow mode: this many hollow agents in this one process (`<nodeName>-0` ...). */
  readonly hollowCount?: number;
  /** Default 500 ms. */
  readonly heartbeatIntervalMs?: number;
}

/** `k=v,k2=v2` -> labels. */
export function parseLabels(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of text.split(',').map((s) => s.trim()).filter((s) => s !== '')) {
    const eq = part.indexOf('=');
    if (eq <= 0) throw new Error(`labels: expected key=value, got ${JSON.stringify(part)}`);
    out[part.slice(0, eq)] = part.slice(eq + 1);
  }
  return out;
}

const EFFECTS: readonly TaintEffect[] = ['NoSchedule', 'PreferNoSchedule', 'NoExecute'];

/** `key=value:Effect,key:Effect` -> taints. */
export function parseTaints(text: string): Taint[] {
  const out: Taint[] = [];
  for (const part of text.split(',').map((s) => s.trim()).filter((s) => s !== '')) {
    const colon = part.lastIndexOf(':');
    const effect = part.slice(colon + 1) as TaintEffect;
    if (colon <= 0 || !EFFECTS.includes(effect)) throw new Error(`taints: expected key[=value]:${EFFECTS.join('|')}, got ${JSON.stringify(part)}`);
    const kv = part.slice(0, colon);
    const eq = kv.indexOf('=');
    out.push(eq < 0 ? { key: kv, effect } : { key: kv.slice(0, eq), value: kv.slice(eq + 1), effect });
  }
  return out;
}
