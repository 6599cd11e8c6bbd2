import { Packr } from 'msgpackr';

// The masters' API speaks msgpack over gRPC: the same encoding as the actor
// wire, no generated code, and plain objects on both sides.
const packr = new Packr({ useRecords: false, moreTypes: true });

export function encodeMessage(value: unknown): Buffer {
  return packr.pack(value);
}

/** Decodes a request or response; throws with the reason on bad bytes. */
export function decodeMessage(bytes: Buffer): unknown {
  return packr.unpack(bytes);
}
