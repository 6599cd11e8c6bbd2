// The Events section at the end of `drover describe`: what happened to the
// object, oldest first, as `Type Reason Age From Message`.
import type { ApiObject, Event } from '../../core/api/index.js';
import { columnWidths, formatAge, formatRow } from './table.js';

/** The field selector that lists the Events about `o`. */
export function eventSelectorFor(o: ApiObject): string {
  return `involvedObject.name=${o.metadata.name},involvedObject.kind=${o.kind}`;
}

const timeOf = (e: Event): number => Date.parse(e.lastTimestamp ?? e.firstTimestamp ?? e.metadata.creationTimestamp ?? '') || 0;

/**
 * The Events about `o`, oldest first. Beyond kind and name, an Event that
 * names a uid must name `o`'s: events of an earlier object of the same name
 * are not this one's.
 */
export function eventsAbout(o: ApiObject, objects: readonly ApiObject[]): Event[] {
  const uid = o.metadata.uid;
  return objects
    .filter((e): e is Event => e.kind === 'Event')
    .filter((e) => {
      const io = e.involvedObject;
      if (io.kind !== o.kind || io.name !== o.metadata.name) return false;
      if (io.namespace !== undefined && o.metadata.namespace !== undefined && io.namespace !== o.metadata.namespace) return false;
      return io.uid === undefined || uid === undefined || io.uid === uid;
    })
    .sort((a, b) => timeOf(a) - timeOf(b));
}

/** AGE of an Event: since it last happened, and for repeats how often over how long (`2m (x5 over 10m)`). */
export function eventAge(e: Event, nowMs: number): string {
  const last = formatAge(e.lastTimestamp ?? e.metadata.creationTimestamp, nowMs);
  const count = e.count ?? 1;
  if (count <= 1) return last;
  return `${last} (x${count} over ${formatAge(e.firstTimestamp ?? e.metadata.creationTimestamp, nowMs)})`;
}

const HEADERS = ['Type', 'Reason', 'Age', 'From', 'Message'];

/** `Events:` then an indented table (headers underlined), or `Events: <none>`; `unavailable` says why they could not be read. */
export function formatEventsSection(events: readonly Event[], nowMs: number, unavailable?: string): string {
  const label = 'Events:'.padEnd(20);
  if (unavailable !== undefined) return `${label}<unavailable: ${unavailable}>`;
  if (events.length === 0) return `${label}<none>`;
  const rows = events.map((e) => {
    const from = [e.source?.component, e.source?.host].filter((s) => s !== undefined && s !== '').join(', ');
    return [e.type ?? 'Normal', e.reason ?? '', eventAge(e, nowMs), from || '<unknown>', e.message ?? ''];
  });
  const underline = HEADERS.map((h) => '-'.repeat(h.length));
  const widths = columnWidths(HEADERS, rows);
  return ['Events:', ...[HEADERS, underline, ...rows].map((r) => `  ${formatRow(r, widths)}`)].join('\n');
}
