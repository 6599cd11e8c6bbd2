import { describe, expect, it } from 'vitest';
import { containerIdFor, logFilePath, stateFilePath, unsafePathComponent, workDirPath } from '../../../../../nodes/runtime/process/paths.js';
import { assignHostPorts } from '../../../../../nodes/runtime/process/ports.js';
import { isLiveProcess, parseProcStat, readProcStat } from '../../../../../nodes/runtime/process/proc-stat.js';
import { exitOfRecord, infoOfRecord } from '../../../../../nodes/runtime/process/record-info.js';
import { exitCodeForSignal, signalGroup, signalNumber } from '../../../../../nodes/runtime/process/signals.js';
import type { ProcessContainerRecord } from '../../../../../nodes/runtime/process/state-file.js';

describe('paths', () => {
  it('lays out state files, logs and working dirs under the state dir', () => {
    expect(stateFilePath('/d', 'abc')).toBe('/d/containers/abc.json');
    expect(logFilePath('/d', 'uid-1', 'web', 3)).toBe('/d/logs/uid-1/web/3.log');
    expect(workDirPath('/d', 'abc')).toBe('/d/work/abc');
  });

  it('derives a stable id that differs by pod, container and attempt', () => {
    const id = containerIdFor('uid-1', 'web', 0);
    expect(id).toMatch(/^[0-9a-f]{32}$/);
    expect(containerIdFor('uid-1', 'web', 0)).toBe(id);
    const others = [containerIdFor('uid-2', 'web', 0), containerIdFor('uid-1', 'api', 0), containerIdFor('uid-1', 'web', 1), containerIdFor('uid-1w', 'eb', 0)];
    expect(new Set([id, ...others]).size).toBe(5);
  });

  it('refuses names that would leave the state dir or be no file name', () => {
    expect(unsafePathComponent('3f2a-uid_1.x')).toBeUndefined();
    for (const bad of ['', '..', '.', '../x', 'a/b', '-rf', 'with space', 'x'.repeat(254)]) {
      expect(unsafePathComponent(bad), bad).toBeDefined();
    }
  });
});

describe('proc stat', () => {
  // Field 22 (start time) is 4242; the command name holds spaces and parentheses.
  const line = (state: string): string =>
    `1234 (my (odd) name) ${state} 1 1234 1234 0 -1 4194560 100 0 0 0 1 2 0 0 20 0 1 0 4242 1000 10 18446744073709551615 0 0 0 0 0 0 0 0 0 0 0 0 17 1 0 0 0 0 0\n`;

  it('reads state, process group and start time past a command name with spaces and parentheses', () => {
    expect(parseProcStat(line('S'))).toEqual({ state: 'S', pgrp: 1234, startTime: '4242' });
    expect(parseProcStat('garbage')).toBeUndefined();
    expect(parseProcStat('12 (x) S 1')).toBeUndefined();
  });

  it('is live only for the same start time and not a zombie', () => {
    expect(isLiveProcess(parseProcStat(line('S')), '4242')).toBe(true);
    expect(isLiveProcess(parseProcStat(line('R')), '4243')).toBe(false);
    expect(isLiveProcess(parseProcStat(line('Z')), '4242')).toBe(false);
    expect(isLiveProcess(undefined, '4242')).toBe(false);
  });

  it('reads this very process, and nothing for a pid that does not exist', async () => {
    const self = await readProcStat(process.pid);
    expect(self?.state).toMatch(/^[RS]$/);
    expect(await readProcStat(2 ** 22 + 1)).toBeUndefined();
  });
});

describe('signals', () => {
  it('numbers signals and turns them into shell exit codes', () => {
    expect(signalNumber('SIGKILL')).toBe(9);
    expect(signalNumber('SIGTERM')).toBe(15);
    expect(signalNumber('SIGNOPE')).toBeUndefined();
    expect(exitCodeForSignal(9)).toBe(137);
  });

  it('never signals group 0 or -1 (our own group, every process), and reports a gone group', () => {
    expect(signalGroup(0, 'SIGTERM')).toBe(false);
    expect(signalGroup(1, 'SIGTERM')).toBe(false);
    expect(signalGroup(2 ** 22 + 1, 'SIGTERM')).toBe(false);
  });
});

describe('assignHostPorts', () => {
  it('keeps a given hostPort, picks one for the others, once per container port', async () => {
    const picked: string[] = [];
    let next = 50_000;
    const ports = await assignHostPorts(
      [
        { containerPort: 80, protocol: 'TCP' },
        { containerPort: 443, hostPort: 8443, protocol: 'TCP' },
        { containerPort: 53, protocol: 'UDP' },
        { containerPort: 80, protocol: 'UDP' },
      ],
      (protocol) => {
        picked.push(protocol);
        return Promise.resolve(next++);
      },
    );
    expect(ports).toEqual({ 80: 50_000, 443: 8443, 53: 50_001 });
    expect(picked).toEqual(['TCP', 'UDP']);
  });
});

describe('record info', () => {
  const running: ProcessContainerRecord = {
    id: 'abc',
    pid: 4321,
    pidStartTime: '99',
    podUid: 'u1',
    podNamespace: 'ns',
    podName: 'p',
    containerName: 'c',
    attempt: 2,
    image: 'sleep',
    argv: ['sleep', '30'],
    env: { PATH: '/bin' },
    workingDir: '/w',
    ownWorkingDir: true,
    logPath: '/l',
    startedAtMs: 1000,
    hostPorts: { 8080: 41_000 },
  };

  it('reports a running container with its ports, and no exit', () => {
    expect(infoOfRecord(running)).toEqual({
      id: 'abc',
      containerID: 'process://abc',
      podUid: 'u1',
      podNamespace: 'ns',
      podName: 'p',
      containerName: 'c',
      attempt: 2,
      image: 'sleep',
      state: 'running',
      startedAtMs: 1000,
      hostPorts: { 8080: 41_000 },
    });
    expect(exitOfRecord(running)).toBeUndefined();
  });

  it('reports an exited one with its exit code and signal, omitting what is unknown', () => {
    const killed = { ...running, hostPorts: {}, exit: { exitCode: 137, signal: 9, finishedAtMs: 2000 } };
    expect(infoOfRecord(killed)).toMatchObject({ state: 'exited', exitCode: 137, signal: 9, finishedAtMs: 2000 });
    expect('hostPorts' in infoOfRecord(killed)).toBe(false);
    expect(exitOfRecord(killed)).toEqual({ type: 'exited', id: 'abc', podUid: 'u1', containerName: 'c', attempt: 2, exitCode: 137, signal: 9, finishedAtMs: 2000 });
    const lost = exitOfRecord({ ...running, exit: { exitCode: 137, finishedAtMs: 3000, lost: true } });
    expect(lost !== undefined && 'signal' in lost).toBe(false);
  });
});
