import { Packr } from 'msgpackr';
import { keyOf, type ApiObject } from '../api/index.js';
import type { KeyValue, TxnCommand } from '../store/index.js';

// Objects are stored as msgpack without their resourceVersion: that is the
// key's modRevision, added when an object is read.
const packr = new Packr({ useRecords: false, moreTypes: true });

export function encodeObject(obj: ApiObject): Uint8Array {
  const { resourceVersion: _rv, ...metadata } = obj.metadata;
  return packr.pack({ ...obj, metadata });
}

export function decodeObject(kv: KeyValue): ApiObject {
  const obj = packr.unpack(kv.value) as ApiObject;
  return { ...obj, metadata: { ...obj.metadata, resourceVersion: String(kv.modRevision) } } as ApiObject;
}

/** Create: only if the key does not exist; else read what is there. */
export function createTxn(obj: ApiObject): TxnCommand {
  const key = keyOf(obj);
  return {
    type: 'txn',
    compare: [{ key, target: 'createRevision', op: '=', value: 0 }],
    success: [{ type: 'put', key, value: encodeObject(obj) }],
    failure: [{ type: 'range', key }],
  };
}

/** Update: only if the key is still at `expectedRevision` (optimistic concurrency). */
export function updateTxn(obj: ApiObject, expectedRevision: number): TxnCommand {
  const key = keyOf(obj);
  return {
    type: 'txn',
    compare: [{ key, target: 'modRevision', op: '=', value: expectedRevision }],
    success: [{ type: 'put', key, value: encodeObject(obj) }],
    failure: [{ type: 'range', key }],
  };
}

/** Delete: if it exists (and, when given, is still at `expectedRevision`). */
export function deleteTxn(key: string, expectedRevision?: number): TxnCommand {
  return {
    type: 'txn',
    compare: expectedRevision === undefined ? [{ key, target: 'version', op: '>', value: 0 }] : [{ key, target: 'modRevision', op: '=', value: expectedRevision }],
    success: [{ type: 'delete', key, prevKv: true }],
    failure: [{ type: 'range', key }],
  };
}
