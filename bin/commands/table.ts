// Plain-text tables as kubectl prints them: upper-case headers, columns
// left-aligned and separated by three spaces, no borders. Laid out by
// cli-table3 with its borders blanked out.

import Table from 'cli-table3';

const GAP = '   ';
// Every border character empty but the one between columns.
const CHARS = {
  top: '', 'top-mid': '', 'top-left': '', 'top-right': '',
  bottom: '', 'bottom-mid': '', 'bottom-left': '', 'bottom-right': '',
  left: '', 'left-mid': '', mid: '', 'mid-mid': '', right: '', 'right-mid': '',
  middle: GAP,
};

/** Each column's width: its widest cell, header included. */
export function columnWidths(headers: readonly string[], rows: readonly (readonly string[])[]): number[] {
  return headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
}

/** Lines of a table whose columns have the given widths; trailing blanks trimmed. */
function render(rows: readonly (readonly string[])[], widths: readonly number[]): string[] {
  const t = new Table({ chars: CHARS, colWidths: [...widths], wordWrap: false, truncate: '', style: { 'padding-left': 0, 'padding-right': 0, head: [], border: [], compact: true } });
  t.push(...rows.map((r) => [...r]));
  return t.toString().split('\n').map((l) => l.trimEnd());
}

/** One line of a table laid out with `widths` (a watch prints rows one by one under the first table). */
export function formatRow(cells: readonly string[], widths: readonly number[]): string {
  // A cell wider than its column widens it rather than being cut.
  return render([cells], widths.map((w, i) => Math.max(w, (cells[i] ?? '').length)))[0] ?? '';
}

export function formatTable(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  return render([headers, ...rows], columnWidths(headers, rows)).join('\n');
}
/** An age as kubectl shows it: 45s, 12m, 3h, 5d; `<unknown>` without a timestamp. */
export function formatAge(timestamp: string | undefined, nowMs: number): string {
  if (!timestamp) return '<unknown>';
  const t = Date.parse(timestamp);
  if (Number.isNaN(t)) return '<unknown>';
  const s = Math.max(0, Math.floor((nowMs - t) / 1000));
  if (s < 120) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 120) return `${m}m`;
  const h = Math.floor(m / 60);
  if (h < 48) return `${h}h`;
  return `${Math.floor(h / 24)}d`;
}
