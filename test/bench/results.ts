// Renders test/bench/RESULTS.md from the last run (test/bench/out/last-run.json):
//   node --import tsx test/bench/results.ts
// Everything below the NOTES marker in the existing RESULTS.md is kept.

import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { ratioOf, tidy, type Figure } from './lib/report.js';
import type { MachineInfo } from './lib/machine.js';

interface Target {
  readonly text: string;
  readonly met: (f: Figure) => boolean;
}

const TARGETS: Record<string, Target> = {
  'actors.local_tell_per_s': { text: '>= 5,000,000 msg/s', met: (f) => f.value >= 5_000_000 },
  'actors.idle_actor_bytes': { text: '<= 1,024 bytes', met: (f) => f.value <= 1_024 },
  'actors.remote_tell_per_s': {
    text: '>= 300,000 msg/s and ratio >= 0.7',
    met: (f) => f.value >= 300_000 && (ratioOf(f) ?? 0) >= 0.7,
  },
};

const METHODS: Record<string, string> = {
  'actors.local_tell_per_s':
    'One system, no transport, in a fresh process: a sender actor does 1,000 tells of `{type, seq}` (a new object each) per message it handles and re-triggers itself with a message to itself, keeping at most 16,000 tells unacknowledged (the receiver acks every 1,000); after a 2 M warm-up, 5 runs of 10 M messages timed from the start signal to the receiver getting the last; the figure is the **median** of the 5.',
  'actors.idle_actor_bytes':
    'In a fresh `node --expose-gc` process: 1,000,000 top-level actors spawned with a setup function whose receive closure holds a counter, all started (dispatcher empty); `heapUsed` after gc minus `heapUsed` after gc before spawning, divided by 1,000,000 (our own array of refs is allocated before the baseline).',
  'actors.remote_tell_per_s':
    'A nats-server on 127.0.0.1 and two worker processes; a sender actor in one system sends `{type:"m", seq}` to a receiver actor in the other, 1,000 tells per handled message, at most 100,000 unacknowledged (acks every 10,000); each run lasts until the receiver has 1,000,000; the peer is two raw nats.js connections in the same two processes doing the same (one publish per message, the object msgpack-encoded with the codec\'s options, 1,000 per event-loop turn, same window and acks); after a 200 k warm-up of each, 3 alternating runs of each, timed by the parent from start to the receiver\'s report; the **median** of each.',
  'actors.remote_ask_per_s':
    'The same two processes: 64 asks outstanding at all times from outside any actor (`system.ask`, 10 s timeout) to an echo actor in the other system that answers `ctx.reply`; after 2 s of warm-up, asks completed in 3 windows of 3 s; **median** window. The peer is raw nats.js request-reply done by hand the same way (a reply subject, an id in the payload, a timer per request, 64 outstanding); nats.js\'s own `request()` is also measured and listed below.',
};

const NOTES = '<!-- notes: everything below this line is kept when results.ts regenerates the file -->';

const fmtValue = (v: number): string => tidy(v).toLocaleString('en-US');

function main(): void {
  const run = JSON.parse(readFileSync(new URL('./out/last-run.json', import.meta.url), 'utf8')) as {
    date: string;
    failed: number;
    machine: MachineInfo;
    source?: { commit: string; uncommitted: string[] };
    cpuBusyBefore?: Record<string, number | null>;
    otherLoadDuring?: Record<string, number | null>;
    figures: Figure[];
  };
  const m = run.machine;
  const lines: string[] = [];
  lines.push('# Benchmark results');
  lines.push('');
  lines.push(`The last run of \`npm run bench\`, rendered by \`node --import tsx test/bench/results.ts\` from \`test/bench/out/last-run.json\`.`);
  lines.push('');
  lines.push(`- Date: ${run.date}`);
  lines.push(`- Machine: ${m.nproc} CPUs (${m.cpuModel}), ${m.memoryGiB} GiB memory`);
  lines.push(`- Node ${m.node}, nats-server ${m.natsServer}, nats.js (@nats-io/transport-node) ${m.natsJs}`);
  if (run.source) {
    const dirty = run.source.uncommitted.length > 0 ? ` plus uncommitted changes to ${run.source.uncommitted.map((f) => `\`${f}\``).join(', ')}` : '';
    lines.push(`- Code: commit ${run.source.commit}${dirty}`);
  }
  if (run.cpuBusyBefore) {
    const busy = Object.entries(run.cpuBusyBefore)
      .map(([s, b]) => `${s} ${b === null ? 'unknown' : `${Math.round(b * 100)}%`}`)
      .join(', ');
    lines.push(`- CPU busy with other work in the second before each suite: ${busy}`);
  }
  if (run.otherLoadDuring) {
    const o = Object.entries(run.otherLoadDuring)
      .map(([s, b]) => `${s} ${b === null ? 'unknown' : `${Math.round(b * 100)}%`}`)
      .join(', ');
    lines.push(`- Share of the machine taken by other processes while each suite ran: ${o}`);
  }
  if (run.failed > 0) lines.push(`- **${run.failed} suite(s) failed in this run**; their figures are missing.`);
  lines.push('');
  lines.push('| figure | value | unit | peer | peer value | ratio | target | met |');
  lines.push('| --- | ---: | --- | --- | ---: | ---: | --- | --- |');
  for (const f of run.figures) {
    const t = TARGETS[f.bench];
    const met = t ? (t.met(f) ? 'yes' : '**NO**') : '—';
    lines.push(
      `| \`${f.bench}\` | ${fmtValue(f.value)} | ${f.unit} | ${f.peer?.name ?? '—'} | ${f.peer ? fmtValue(f.peer.value) : '—'} | ${ratioOf(f) ?? '—'} | ${t?.text ?? 'none set'} | ${met} |`,
    );
  }
  const missed = run.figures.filter((f) => TARGETS[f.bench] && !TARGETS[f.bench]!.met(f));
  lines.push('');
  lines.push(missed.length === 0 ? 'Every figure with a target met it in this run.' : `**Targets missed in this run: ${missed.map((f) => `\`${f.bench}\``).join(', ')}.**`);
  lines.push('');
  lines.push('## How each figure is measured');
  lines.push('');
  for (const f of run.figures) {
    const how = METHODS[f.bench];
    if (how) lines.push(`- \`${f.bench}\`: ${how}`);
  }
  lines.push('');
  lines.push('## Every run');
  lines.push('');
  for (const f of run.figures) {
    lines.push(`- \`${f.bench}\`: ${JSON.stringify(f.details ?? {}, (_k, v: unknown) => (typeof v === 'number' ? tidy(v) : v))}`);
  }
  lines.push('');
  const path = new URL('./RESULTS.md', import.meta.url);
  let notes = `${NOTES}\n`;
  if (existsSync(path)) {
    const old = readFileSync(path, 'utf8');
    const i = old.indexOf(NOTES);
    if (i >= 0) notes = old.slice(i);
  }
  writeFileSync(path, lines.join('\n') + '\n' + notes);
}

main();
