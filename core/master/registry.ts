import { Packr } from 'msgpackr';
import { keyOf, type ApiObject } from '../api/index.js';
import type { KeyValue, StoreNotification, TxnCommand } from '../store/index.js';

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

const decodedPerNotification = new WeakMap<StoreNotification, Map<KeyValue, ApiObject>>();

/**
 * decodeObject for a listener of the store's notification `n`: all its
 * listeners (the watch hub, the pod-node index, the leader's object cache)
 * get one object per change, decoded once, and it is shared, so read-only.
 * The memo goes with the notification.
 */
export function decodeNotified(n: StoreNotification, kv: KeyValue): ApiObject {
  let memo = decodedPerNotification.get(n);
  if (memo === undefined) decodedPerNotification.set(n, (memo = new Map()));
  let obj = memo.get(kv);
  if (obj === undefined) memo.set(kv, (obj = decodeObject(kv)));
  return obj;
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
