import { Packr, addExtension } from 'msgpackr';
import { FrameError } from '../errors.js';
import { isValidActorPath, isValidSystemName } from '../path.js';
import { BaseRef, type ActorRef } from '../ref.js';

/**
 * The wire format between systems (msgpack):
 *   frame    = [version, fromSystem, envelope[]]
 *   envelope = [USER, toPath, senderPath | null, payload]
 *            | [WATCH | UNWATCH | DEATH, watcheePath, watcherPath]
 *            | [HEARTBEAT] | [HEARTBEAT_ACK]
 * Refs inside payloads travel as an extension holding their path and are
 * resolved by the receiving system. Bump FRAME_VERSION on any change; a
 * receiver drops frames of a version it does not know, and says so.
 */
export const FRAME_VERSION = 1;

export const Kind = { User: 0, Watch: 1, Unwatch: 2, Death: 3, Heartbeat: 4, HeartbeatAck: 5 } as const;

export type Envelope =
  | readonly [typeof Kind.User, string, string | null, unknown]
  | readonly [typeof Kind.Watch | typeof Kind.Unwatch | typeof Kind.Death, string, string]
  | readonly [typeof Kind.Heartbeat | typeof Kind.HeartbeatAck];

export interface Frame {
  readonly from: string;
  readonly envelopes: readonly Envelope[];
}

const REF_EXTENSION_TYPE = 0x44;

/** Turns a path from the wire into a ref of the decoding system. */
export type RefResolver = (path: string) => ActorRef<never>;

// msgpackr extensions are process-wide; decoding is synchronous, so the
// system that decodes sets the resolver for the duration of its call.
let currentResolver: RefResolver | null = null;

// Names from the wire are checked as strictly as local ones: a path that does
// not parse, or a system name that is not one NATS subject token, would
// otherwise throw later inside the transport's callback (which stops nats.js
// reading the connection) or when a reply is published to it.
const isSystemName = (v: unknown): v is string => typeof v === 'string' && isValidSystemName(v);
const isPath = (v: unknown): v is string => typeof v === 'string' && isValidActorPath(v);

addExtension({
  Class: BaseRef,
  type: REF_EXTENSION_TYPE,
  write: (ref: BaseRef<unknown>) => ref.path,
  read: (path: unknown) => {
    if (!isPath(path)) throw new FrameError('actor ref extension does not hold a valid actor path');
    if (currentResolver === null) throw new FrameError(`actor ref ${path} decoded outside a system`);
    return currentResolver(path);
  },
});

const packr = new Packr({ useRecords: false, moreTypes: true });

export function encodeFrame(from: string, envelopes: readonly Envelope[]): Uint8Array {
  return packr.pack([FRAME_VERSION, from, envelopes]);
}

/** An envelope packed on its own, ready to be laid into frames. */
export interface PackedEnvelope {
  readonly envelope: Envelope;
  readonly bytes: Uint8Array;
}

/** Packs one envelope; throws (MessageEncodeError territory) for a payload msgpack cannot take. */
export function packEnvelope(envelope: Envelope): PackedEnvelope {
  // A copy: msgpackr may hand out a view of a buffer it reuses.
  return { envelope, bytes: packr.pack(envelope).slice() };
}

/** The bytes of a msgpack array header for `n` items. */
function arrayHeader(n: number): Uint8Array {
  if (n < 16) return Uint8Array.of(0x90 | n);
  if (n < 0x10000) return Uint8Array.of(0xdc, n >> 8, n & 0xff);
  return Uint8Array.of(0xdd, (n >>> 24) & 0xff, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff);
}

/** The constant part of a frame from `from`: `[version, from, ` as msgpack, without the envelopes' array. */
function frameHead(from: string): Uint8Array {
  const whole = packr.pack([FRAME_VERSION, from, []]);
  // The last byte is the empty array (0x90); the rest is the array header, version and name.
  return whole.slice(0, whole.length - 1);
}

/**
 * Lays packed envelopes into frames of at most `maxBytes` each, in order,
 * each envelope packed once (the same bytes encodeFrame gives, frame by
 * frame). An envelope too big for any frame is returned apart.
 */
export function assembleFrames(from: string, packed: readonly PackedEnvelope[], maxBytes: number): { frames: Uint8Array[]; tooBig: PackedEnvelope[] } {
  const head = frameHead(from);
  const frames: Uint8Array[] = [];
  const tooBig: PackedEnvelope[] = [];
  let run: PackedEnvelope[] = [];
  let runBytes = 0;
  const flush = () => {
    if (run.length === 0) return;
    const header = arrayHeader(run.length);
    const out = new Uint8Array(head.length + header.length + runBytes);
    out.set(head, 0);
    out.set(header, head.length);
    let at = head.length + header.length;
    for (const p of run) {
      out.set(p.bytes, at);
      at += p.bytes.length;
    }
    frames.push(out);
    run = [];
    runBytes = 0;
  };
  // 5 bytes: the largest array header.
  const overhead = head.length + 5;
  for (const p of packed) {
    if (p.bytes.length + overhead > maxBytes) {
      tooBig.push(p);
      continue;
    }
    if (runBytes + p.bytes.length + overhead > maxBytes) flush();
    run.push(p);
    runBytes += p.bytes.length;
  }
  flush();
  return { frames, tooBig };
}

/** Decodes and checks a frame. Throws FrameError naming what is wrong. */
export function decodeFrame(bytes: Uint8Array, resolve: RefResolver): Frame {
  let raw: unknown;
  currentResolver = resolve;
  try {
    raw = packr.unpack(bytes);
  } catch (e) {
    if (e instanceof FrameError) throw e;
    throw new FrameError(`does not decode as msgpack (${(e as Error).message})`, { cause: e });
  } finally {
    currentResolver = null;
  }
  if (!Array.isArray(raw) || raw.length !== 3) throw new FrameError('is not a [version, from, envelopes] array');
  const [version, from, envelopes] = raw as [unknown, unknown, unknown];
  if (version !== FRAME_VERSION) throw new FrameError(`unknown envelope version ${JSON.stringify(version)} (this system speaks ${FRAME_VERSION})`);
  if (!isSystemName(from)) throw new FrameError('field "from" is not a system name');
  if (!Array.isArray(envelopes)) throw new FrameError('field "envelopes" is not an array');
  for (let i = 0; i < envelopes.length; i++) checkEnvelope(envelopes[i], i);
  return { from, envelopes: envelopes as Envelope[] };
}

function checkEnvelope(e: unknown, i: number): void {
  if (!Array.isArray(e) || e.length === 0) throw new FrameError(`envelopes[${i}] is not a non-empty array`);
  switch (e[0]) {
    case Kind.User:
      if (e.length !== 4 || !isPath(e[1]) || !(e[2] === null || isPath(e[2]))) throw new FrameError(`envelopes[${i}]: a user envelope is [0, toPath, senderPath|null, payload]`);
      return;
    case Kind.Watch:
    case Kind.Unwatch:
    case Kind.Death:
      if (e.length !== 3 || !isPath(e[1]) || !isPath(e[2])) throw new FrameError(`envelopes[${i}]: a watch envelope is [kind, watcheePath, watcherPath]`);
      return;
    case Kind.Heartbeat:
    case Kind.HeartbeatAck:
      return;
    default:
      throw new FrameError(`envelopes[${i}]: unknown envelope kind ${JSON.stringify(e[0])}`);
  }
}
