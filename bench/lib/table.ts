/** Plain-text results table of the benchmark. */
import type { BenchRow } from './workload.js';
import { describePlan } from './timing.js';

function fmtSeconds(s: number | undefined | null): string {
  if (s === undefined || s === null) return '-';
  if (s >= 100) return s.toFixed(0);
  if (s >= 10) return s.toFixed(1);
  if (s >= 0.1) return s.toFixed(2);
  return s.toFixed(4);
}

/** ours/peer, or null when either side is missing. */
export function ratio(r: BenchRow): number | null {
  return r.ours && r.peer ? r.ours.best / r.peer.best : null;
}

/** 'yes' / 'NO' / '-' (no goal or no ratio). */
export function met(r: BenchRow): string {
  const q = ratio(r);
  if (q === null || r.goal === null) return '-';
  return q <= r.goal ? 'yes' : 'NO';
}

function fmtCheck(r: BenchRow): string {
  const c = r.check;
  if (!c) return '-';
  if (c.peer === null) return `${c.what}=${c.ours.toPrecision(6)}`;
  const rel = Math.abs(c.ours - c.peer) / Math.max(Math.abs(c.peer), 1e-300);
  return `${c.what} rel.diff ${rel.toExponential(1)}`;
}

/** The table, one line per row, with a notes section under it. */
export function formatTable(rows: readonly BenchRow[]): string {
  const head = ['workload', 'size', 'thr', 'ours (s)', 'peer (s)', 'ours/peer', 'goal', 'met?', 'timing', 'same work?'];
  const body = rows.map((r) => {
    const q = ratio(r);
    const po = r.ours ? describePlan(r.ours) : null;
    const pp = r.peer ? describePlan(r.peer) : null;
    const plan = po && pp && po !== pp ? `ours ${po}, peer ${pp}` : (po ?? pp ?? '-');
    return [
      r.workload,
      r.size,
      String(r.threads),
      fmtSeconds(r.ours?.best),
      fmtSeconds(r.peer?.best),
      q === null ? '-' : q.toFixed(2),
      r.goal === null ? '-' : `<= ${r.goal}`,
      met(r),
      plan,
      fmtCheck(r),
    ];
  });
  const widths = head.map((h, j) => Math.max(h.length, ...body.map((b) => b[j].length)));
  const line = (cells: string[]) => cells.map((c, j) => c.padEnd(widths[j])).join('  ').trimEnd();
  const out = [line(head), line(widths.map((w) => '-'.repeat(w))), ...body.map(line)];
  const notes = rows.flatMap((r) => [...r.notes, ...planNote(r)].map((n) => `  ${r.workload}: ${n}`));
  if (notes.length > 0) out.push('', 'notes:', ...notes);
  return out.join('\n');
}

/**
 * When the peer was long enough to be timed by one run but ours was not, ours' first (cold) run
 * is the like-for-like figure: say what the ratio is with it.
 */
function planNote(r: BenchRow): string[] {
  const o = r.ours, p = r.peer;
  if (!o || !p || o.first === undefined || p.reps !== 1 || o.reps === 1) return [];
  return [`the peer ran once (≥ 20 s); ours' first (cold) run took ${fmtSeconds(o.first)} s: ratio ${(o.first / p.best).toFixed(2)} run-for-run`];
}
