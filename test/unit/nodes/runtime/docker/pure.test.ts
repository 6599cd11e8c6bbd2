import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createOptionsFor, portKey } from '../../../../../nodes/runtime/docker/create-options.js';
import { exitOfDieEvent } from '../../../../../nodes/runtime/docker/die-event.js';
import { FrameDecoder, encodeFrame } from '../../../../../nodes/runtime/docker/frames.js';
import { hostPortsOf, infoOfInspect, runStateOf, timeMs, type InspectAnswer } from '../../../../../nodes/runtime/docker/inspect-info.js';
import { LogDemuxer, linesOfLogBuffer } from '../../../../../nodes/runtime/docker/log-lines.js';
import { containerNameFor, labelsFor, parseLabels, type ContainerConfig } from '../../../../../nodes/runtime/index.js';

const config: ContainerConfig = {
  podUid: '3f2a9c4e-1b2c-4d5e-8f90-123456789abc',
  podNamespace: 'shop',
  podName: 'cart-7d9f',
  containerName: 'app',
  attempt: 2,
  image: 'drover/busybox:1',
  env: { MODE: 'prod' },
  ports: [],
  limits: {},
};

describe('container names', () => {
  it('are drover_<node>_<namespace>_<pod>_<container>_<attempt>_<uid8>', () => {
    expect(containerNameFor('node-1', config)).toBe('drover_node-1_shop_cart-7d9f_app_2_3f2a9c4e');
  });

  it('stay valid docker names whatever the parts hold, and keep "_" as the separator only', () => {
    const name = containerNameFor('a_b/c', { ...config, podName: 'x y', podUid: '' });
    expect(name).toBe('drover_a-b-c_shop_x-y_app_2_nouid');
    fc.assert(
      fc.property(fc.string(), fc.string(), fc.string(), (node, ns, pod) => {
        const n = containerNameFor(node, { ...config, podNamespace: ns, podName: pod });
        expect(n).toMatch(/^[a-zA-Z0-9][a-zA-Z0-9_.-]+$/);
        expect(n.split('_')).toHaveLength(7);
      }),
    );
  });
});

describe('labels', () => {
  it('name the pod, container, attempt and node, and read back', () => {
    const labels = labelsFor('node-1', config);
    expect(labels).toEqual({
      'drover.pod.uid': config.podUid,
      'drover.pod.namespace': 'shop',
      'drover.pod.name': 'cart-7d9f',
      'drover.container.name': 'app',
      'drover.container.attempt': '2',
      'drover.node': 'node-1',
    });
    expect(parseLabels({ ...labels, other: 'x' })).toEqual({
      nodeName: 'node-1',
      podUid: config.podUid,
      podNamespace: 'shop',
      podName: 'cart-7d9f',
      containerName: 'app',
      attempt: 2,
    });
  });

  it('are not ours when one is missing or the attempt is no number', () => {
    const labels = labelsFor('node-1', config);
    for (const key of Object.keys(labels)) {
      const partial: Record<string, string> = { ...labels };
      delete partial[key];
      expect(parseLabels(partial), key).toBeUndefined();
    }
    expect(parseLabels({ ...labels, 'drover.container.attempt': '-1' })).toBeUndefined();
    expect(parseLabels({ ...labels, 'drover.container.attempt': 'two' })).toBeUndefined();
    expect(parseLabels(null)).toBeUndefined();
  });
});

describe('create options', () => {
  it('publishes every port on 127.0.0.1, sets DROVER_PORT_<p>=<p>, and maps the limits', () => {
    const o = createOptionsFor('node-1', {
      ...config,
      ports: [
        { containerPort: 80, protocol: 'TCP' },
        { containerPort: 53, hostPort: 5353, protocol: 'UDP' },
      ],
      limits: { cpuMillis: 250, memoryBytes: 128 * 1024 * 1024 },
      workingDir: '/srv',
    });
    expect(o.name).toBe('drover_node-1_shop_cart-7d9f_app_2_3f2a9c4e');
    expect(o.Image).toBe('drover/busybox:1');
    expect([...(o.Env ?? [])].sort()).toEqual(['DROVER_PORT_53=53', 'DROVER_PORT_80=80', 'MODE=prod']);
    expect(o.WorkingDir).toBe('/srv');
    expect(o.ExposedPorts).toEqual({ '80/tcp': {}, '53/udp': {} });
    expect(o.HostConfig).toEqual({
      PortBindings: { '80/tcp': [{ HostIp: '127.0.0.1', HostPort: '' }], '53/udp': [{ HostIp: '127.0.0.1', HostPort: '5353' }] },
      NanoCpus: 250_000_000,
      Memory: 128 * 1024 * 1024,
      MemorySwap: 128 * 1024 * 1024,
    });
    expect(o.Labels?.['drover.node']).toBe('node-1');
    expect(portKey({ containerPort: 8080, protocol: 'TCP' })).toBe('8080/tcp');
  });

  it('keeps the image entrypoint and cmd unless told, and drops the cmd under a new entrypoint', () => {
    const plain = createOptionsFor('n', config);
    expect('Entrypoint' in plain || 'Cmd' in plain || 'WorkingDir' in plain).toBe(false);
    expect('NanoCpus' in (plain.HostConfig ?? {}) || 'Memory' in (plain.HostConfig ?? {})).toBe(false);
    expect(createOptionsFor('n', { ...config, args: ['-v'] })).toMatchObject({ Cmd: ['-v'] });
    const cmd = createOptionsFor('n', { ...config, command: ['httpd', '-f'] });
    expect(cmd).toMatchObject({ Entrypoint: ['httpd', '-f'], Cmd: [] });
    expect(createOptionsFor('n', { ...config, command: ['sh', '-c'], args: ['echo'] })).toMatchObject({ Entrypoint: ['sh', '-c'], Cmd: ['echo'] });
  });
});

describe('inspect answers', () => {
  const labels = parseLabels(labelsFor('node-1', config))!;
  const answer = (state: Partial<InspectAnswer['State']>, ports?: InspectAnswer['NetworkSettings']): InspectAnswer =>
    ({
      Id: 'c0ffee',
      Config: { Image: 'drover/busybox:1', Labels: labelsFor('node-1', config) },
      State: { Status: 'running', ExitCode: 0, StartedAt: '2026-01-01T00:00:01.5Z', FinishedAt: '0001-01-01T00:00:00Z', ...state },
      ...(ports !== undefined ? { NetworkSettings: ports } : {}),
    }) as InspectAnswer;

  it('maps docker statuses to ours', () => {
    expect(['created', 'running', 'paused', 'restarting', 'exited', 'dead', 'removing'].map(runStateOf)).toEqual([
      'created',
      'running',
      'running',
      'running',
      'exited',
      'exited',
      'exited',
    ]);
  });

  it('reads times, treating the zero time as none', () => {
    expect(timeMs('2026-01-01T00:00:01.5Z')).toBe(Date.UTC(2026, 0, 1, 0, 0, 1, 500));
    expect(timeMs('0001-01-01T00:00:00Z')).toBeUndefined();
    expect(timeMs('')).toBeUndefined();
    expect(timeMs('nonsense')).toBeUndefined();
  });

  it('reports a running container with its published ports', () => {
    const info = infoOfInspect(answer({}, { Ports: { '80/tcp': [{ HostIp: '127.0.0.1', HostPort: '49153' }], '81/tcp': null } }), labels);
    expect(info).toEqual({
      id: 'c0ffee',
      containerID: 'docker://c0ffee',
      podUid: config.podUid,
      podNamespace: 'shop',
      podName: 'cart-7d9f',
      containerName: 'app',
      attempt: 2,
      image: 'drover/busybox:1',
      state: 'running',
      startedAtMs: Date.UTC(2026, 0, 1, 0, 0, 1, 500),
      hostPorts: { 80: 49_153 },
    });
  });

  it('reports an exited one with its exit code and end', () => {
    const info = infoOfInspect(answer({ Status: 'exited', ExitCode: 137, FinishedAt: '2026-01-01T00:00:09Z' }), labels);
    expect(info).toMatchObject({ state: 'exited', exitCode: 137, finishedAtMs: Date.UTC(2026, 0, 1, 0, 0, 9) });
    expect('hostPorts' in info).toBe(false);
    expect(hostPortsOf(null)).toEqual({});
  });
});

describe('docker stream frames', () => {
  it('demultiplexes frames however the stream is cut (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.constantFrom(1 as const, 2 as const), fc.uint8Array({ maxLength: 40 })), { maxLength: 8 }),
        fc.array(fc.integer({ min: 1, max: 30 }), { maxLength: 10 }),
        (frames, cuts) => {
          const bytes = Buffer.concat(frames.map(([s, p]) => encodeFrame(s, Buffer.from(p))));
          const d = new FrameDecoder();
          const out: [number, string][] = [];
          let at = 0;
          for (const c of [...cuts, bytes.length]) {
            const end = Math.min(bytes.length, at + c);
            for (const f of d.push(bytes.subarray(at, end))) out.push([f.stream, f.payload.toString('hex')]);
            at = end;
          }
          expect(out).toEqual(frames.map(([s, p]) => [s, Buffer.from(p).toString('hex')]));
          expect(d.pendingBytes).toBe(0);
        },
      ),
    );
  });

  it('refuses a stream that is not framed', () => {
    expect(() => new FrameDecoder().push(Buffer.from('plain text, no frames'))).toThrow(/bad frame header/);
  });

  it('cuts lines per stream, so a line split in two frames is not broken by the other stream', () => {
    const body = Buffer.concat([encodeFrame(1, 'hel'), encodeFrame(2, 'warn\n'), encodeFrame(1, 'lo\nbye'), encodeFrame(2, 'tail')]);
    expect(linesOfLogBuffer(body)).toEqual(['warn', 'hello', 'bye', 'tail']);
    const d = new LogDemuxer();
    expect(d.push(body.subarray(0, 5))).toEqual([]);
    expect(d.push(body.subarray(5))).toEqual(['warn', 'hello']);
    expect(d.flush()).toEqual(['bye', 'tail']);
  });
});

describe('die events', () => {
  const attributes = { ...labelsFor('node-1', config), exitCode: '3', image: 'drover/busybox:1', name: 'x' };
  const die = { Type: 'container', Action: 'die', Actor: { ID: 'c0ffee', Attributes: attributes }, time: 1_767_225_600, timeNano: 1_767_225_600_123_000_000 };

  it('tell the exit of this node\'s container with its pod and exit code', () => {
    expect(exitOfDieEvent(die, 'node-1')).toEqual({
      type: 'exited',
      id: 'c0ffee',
      podUid: config.podUid,
      containerName: 'app',
      attempt: 2,
      exitCode: 3,
      finishedAtMs: 1_767_225_600_123,
    });
  });

  it('say nothing of other nodes, other events or foreign containers', () => {
    expect(exitOfDieEvent(die, 'node-2')).toBeUndefined();
    expect(exitOfDieEvent({ ...die, Action: 'start' }, 'node-1')).toBeUndefined();
    expect(exitOfDieEvent({ ...die, Type: 'network' }, 'node-1')).toBeUndefined();
    expect(exitOfDieEvent({ ...die, Actor: { ID: 'x', Attributes: { exitCode: '0' } } }, 'node-1')).toBeUndefined();
  });
});
