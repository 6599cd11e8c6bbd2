import type { AppendMessage, Message } from './messages.js';
import { entrySize } from './storage.js';

/**
 * Merges the append messages of one Ready that go to the same follower and
 * continue each other (the second starts where the first ends, in the same
 * term) into one, up to `maxBytes` of entries (as `entrySize` counts them,
 * like the limit on one append). A leader appends once per
 * proposal, so a burst of proposals would otherwise cost the follower one
 * message, one log append and one response per proposal. The merged message
 * is what the follower would have done with the parts in order: the same
 * entries after the same (index, logTerm), with the later commit index.
 * Messages to different followers keep their relative order per follower.
 */
export function coalesceAppends(messages: readonly Message[], maxBytes: number): Message[] {
  if (messages.length < 2) return messages as Message[];
  const out: Message[] = [];
  // Per follower: where its last message sits in `out`, and that message's entry bytes.
  const lastOf = new Map<string, { at: number; bytes: number }>();
  for (const m of messages) {
    const prev = lastOf.get(m.to);
    if (m.type === 'app' && prev !== undefined) {
      const p = out[prev.at]!;
      const bytes = entryBytes(m);
      if (p.type === 'app' && continues(p, m) && prev.bytes + bytes <= maxBytes) {
        out[prev.at] = { ...p, entries: [...p.entries, ...m.entries], commit: Math.max(p.commit, m.commit) };
        prev.bytes += bytes;
        continue;
      }
    }
    lastOf.set(m.to, { at: out.length, bytes: m.type === 'app' ? entryBytes(m) : 0 });
    out.push(m);
  }
  return out;
}

function continues(a: AppendMessage, b: AppendMessage): boolean {
  if (a.term !== b.term || a.from !== b.from) return false;
  const last = a.entries[a.entries.length - 1];
  const lastIndex = last ? last.index : a.index;
  const lastTerm = last ? last.term : a.logTerm;
  return b.index === lastIndex && b.logTerm === lastTerm;
}

function entryBytes(m: AppendMessage): number {
  let n = 0;
  for (const e of m.entries) n += entrySize(e);
  return n;
}
