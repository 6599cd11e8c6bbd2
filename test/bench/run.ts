// `npm run bench [-- <suite>...]`: runs the named suites (all by default).
// Each figure is one JSON line on stdout; progress goes to stderr. The run's
// figures, with the machine they ran on, are also kept in
// test/bench/out/last-run.json (git-ignored), and each suite's part of it in
// test/bench/out/suites/<suite>.json, so that `results.ts` renders the latest
// run of every suite even when a run covers only some (`npm run bench -- raft`).

import { mkdirSync, writeFileSync } from 'node:fs';
import { emitted, progress } from './lib/report.js';
import { watchOtherLoad } from './lib/load.js';
import { cpuBusy, machineInfo, sourceInfo } from './lib/machine.js';
import { Cleanup } from './lib/workers.js';
import { SUITES } from './suites/index.js';

async function main(): Promise<number> {
  const args = process.argv.slice(2).filter((a) => a !== '--');
  const names = args.length > 0 ? args : Object.keys(SUITES);
  const unknown = names.filter((n) => !(n in SUITES));
  if (unknown.length > 0) {
    process.stderr.write(`unknown suite(s): ${unknown.join(', ')}; known: ${Object.keys(SUITES).join(', ')}\n`);
    return 2;
  }
  const started = new Date();
  const source = await sourceInfo();
  if (source.uncommitted.length > 0) progress(`measuring uncommitted changes too: ${source.uncommitted.join(', ')}`);
  const load: Record<string, number | null> = {};
  const during: Record<string, number | null> = {};
  let failed = 0;
  const failedSuites = new Set<string>();
  for (const name of names) {
    const cleanup = new Cleanup();
    // Other work on the machine skews every figure: wait a while for it to
    // calm down (BENCH_QUIET_WAIT_S, default 60), then measure, say and record it.
    const waitUntil = performance.now() + Number(process.env['BENCH_QUIET_WAIT_S'] ?? 60) * 1000;
    let busy = await cpuBusy(1_000);
    if (busy !== null && busy > 0.1) progress(`the machine is ${Math.round(busy * 100)}% busy with other work; waiting for it to calm down`);
    while (busy !== null && busy > 0.1 && performance.now() < waitUntil) busy = await cpuBusy(1_000);
    load[name] = busy;
    if (busy !== null && busy > 0.1) {
      progress(`WARNING: the machine is ${Math.round(busy * 100)}% busy before suite ${name}; its figures will be low and noisy`);
    }
    const t0 = performance.now();
    progress(`suite ${name}: start`);
    const others = watchOtherLoad();
    try {
      await SUITES[name]!(cleanup);
      progress(`suite ${name}: done in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    } catch (e) {
      failed++;
      failedSuites.add(name);
      progress(`suite ${name}: FAILED: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
    } finally {
      during[name] = others.stop();
      await cleanup.run();
    }
    const o = during[name];
    if (o !== null && o !== undefined && o > 0.05) {
      progress(`WARNING: other work took ${Math.round(o * 100)}% of the machine while suite ${name} ran; its figures are low and noisy`);
    }
  }
  const out = new URL('./out/', import.meta.url);
  mkdirSync(out, { recursive: true });
  const record = {
    date: started.toISOString(),
    suites: names,
    failed,
    machine: await machineInfo(),
    source,
    cpuBusyBefore: load,
    otherLoadDuring: during,
    figures: emitted,
  };
  writeFileSync(new URL('last-run.json', out), JSON.stringify(record, null, 2) + '\n');
  const suitesOut = new URL('suites/', out);
  mkdirSync(suitesOut, { recursive: true });
  for (const name of names) {
    const part = {
      ...record,
      suites: [name],
      failed: failedSuites.has(name) ? 1 : 0,
      cpuBusyBefore: { [name]: load[name] ?? null },
      otherLoadDuring: { [name]: during[name] ?? null },
      figures: emitted.filter((f) => f.bench.startsWith(`${name}.`)),
    };
    writeFileSync(new URL(`${name}.json`, suitesOut), JSON.stringify(part, null, 2) + '\n');
  }
  return failed > 0 ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    process.stderr.write(`[bench] ${String(e)}\n`);
    process.exit(1);
  },
);
