/**
 * Long-format CSV of the report's data: `data.csv` (`<axis>,seed,metric,value`) and
 * `curves.csv` (`width,seed,kind,time,quantity,value`). Numbers in full precision (shortest
 * round-trip form); an empty field for a missing seed/width or a non-finite value.
 */
import type { CurveRecord, LongRecord } from '../types.js';

function field(v: number | string | null): string {
  if (v === null) return '';
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : '';
  return /[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

export function recordsCsv(records: readonly LongRecord[], axisName = 'width'): string {
  const lines = [`${axisName},seed,metric,value`];
  for (const r of records) lines.push([r.width, r.seed, r.metric, r.value].map(field).join(','));
  return lines.join('\n') + '\n';
}

export function curvesCsv(curves: readonly CurveRecord[]): string {
  const lines = ['width,seed,kind,time,quantity,value'];
  for (const c of curves) lines.push([c.width, c.seed, c.kind, c.time, c.quantity, c.value].map(field).join(','));
  return lines.join('\n') + '\n';
}

/** Parse a CSV written by the functions above (for tests and downstream scripts). */
export function parseCsv(text: string): Record<string, string>[] {
  const [head, ...rows] = text.trimEnd().split('\n');
  const keys = head.split(',');
  return rows.map((line) => {
    const cells = line.split(',');
    return Object.fromEntries(keys.map((k, i) => [k, cells[i] ?? '']));
  });
}
