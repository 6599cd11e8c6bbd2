// The pods that fit no node the last time they were tried, grouped by
// equivalence class (equivalence.ts), so that a change to one node wakes only
// the classes that fit that node.

import type { Pod } from '../api/index.js';
import { filterClassOf } from './equivalence.js';
import type { PodInfo } from './pod-info.js';
import { podInfoOf } from './pod-info.js';

interface Parked {
  readonly info: PodInfo;
  /** Undefined: the pod's verdicts are not shared; it wakes on every change. */
  readonly cls: string | undefined;
}

export class ParkedPods {
  /** In the order parked. */
  private readonly byKey = new Map<string, Parked>();

  get size(): number {
    return this.byKey.size;
  }

  has(podKey: string): boolean {
    return this.byKey.has(podKey);
  }

  /** Parks the pod, or replaces its parked version (keeping its place). */
  set(podKey: string, pod: Pod): void {
    const info = podInfoOf(pod);
    this.byKey.set(podKey, { info, cls: filterClassOf(info) });
  }

  delete(podKey: string): void {
    this.byKey.delete(podKey);
  }

  /** Unparks every pod, oldest first. */
  takeAll(): Pod[] {
    const pods = [...this.byKey.values()].map((p) => p.info.pod);
    this.byKey.clear();
    return pods;
  }

  /**
   * Unparks, oldest first, the pods of every class whose first parked pod
   * `fits` (asked once per class), and every pod without a class.
   */
  takeFitting(fits: (representative: PodInfo) => boolean): Pod[] {
    if (this.byKey.size === 0) return [];
    const verdicts = new Map<string, boolean>();
    const taken: Pod[] = [];
    for (const [key, parked] of this.byKey) {
      let wake = true;
      if (parked.cls !== undefined) {
        let v = verdicts.get(parked.cls);
        if (v === undefined) verdicts.set(parked.cls, (v = fits(parked.info)));
        wake = v;
      }
      if (!wake) continue;
      taken.push(parked.info.pod);
      this.byKey.delete(key);
    }
    return taken;
  }
}
