/**
 * Long-format records of the α-scan (experiments/README.md): per-run metrics, whose name carries
 * the scanned value (`kernelMotion@sqrtHAlpha=0.3`, so that data.csv is self-describing), and the
 * per-width derived metrics that are fitted against the width (α*, seed variances).
 */
import type { LongRecord } from '../../harness/types.js';
import { crossingAlpha, seedVariance } from './analysis.js';
import type { GeigerCell } from './cell.js';
import type { GeigerScanParams } from './params.js';

/** A per-run record: also carries α and √hα as fields (results.json keeps them). */
export interface ScanRecord extends LongRecord {
  alpha?: number;
  sqrtHAlpha?: number;
}

/** The name of per-run metric `name` at grid value `v`. */
export function runMetric(p: Pick<GeigerScanParams, 'gridKind'>, name: string, v: number): string {
  return `${name}@${p.gridKind}=${Number(v.toPrecision(6))}`;
}

/** The grid value of a run. */
export function gridValue(p: Pick<GeigerScanParams, 'gridKind'>, c: Pick<GeigerCell, 'alpha' | 'sqrtHAlpha'>): number {
  return p.gridKind === 'sqrtHAlpha' ? c.sqrtHAlpha : c.alpha;
}

const PER_RUN: [string, (c: GeigerCell) => number][] = [
  ['kernelMotion', (c) => c.kernelMotion],
  ['weightMotion', (c) => c.weightMotion],
  ['t1', (c) => c.t1],
  ['stopTime', (c) => c.stopTime],
  ['trainError', (c) => c.trainError],
  ['testError', (c) => c.testError],
];

export function runRecords(p: GeigerScanParams, cells: readonly GeigerCell[]): ScanRecord[] {
  const out: ScanRecord[] = [];
  for (const c of cells) {
    for (const [name, get] of PER_RUN) {
      out.push({ width: c.width, seed: c.seed, metric: runMetric(p, name, gridValue(p, c)), value: get(c), alpha: c.alpha, sqrtHAlpha: c.sqrtHAlpha });
    }
  }
  return out;
}

/** Runs of one width and seed, ordered by α. */
export function curveOf(cells: readonly GeigerCell[], h: number, seed: number): GeigerCell[] {
  return cells.filter((c) => c.width === h && c.seed === seed).sort((a, b) => a.alpha - b.alpha);
}

/**
 * α* per (width, seed) — the crossing of the seed's kernel-motion curve with the level — and
 * √h α* (records `alphaStar`, `sqrtHAlphaStar`). Failed runs count as missing points.
 */
export function crossoverRecords(p: GeigerScanParams, cells: readonly GeigerCell[]): LongRecord[] {
  const out: LongRecord[] = [];
  for (const h of p.widths) {
    for (let s = 0; s < p.seeds; s++) {
      const curve = curveOf(cells, h, s);
      const a = crossingAlpha(curve.map((c) => c.alpha), curve.map((c) => (c.status === 'ok' ? c.kernelMotion : NaN)), p.crossingLevel);
      out.push({ width: h, seed: s, metric: 'alphaStar', value: a });
      out.push({ width: h, seed: s, metric: 'sqrtHAlphaStar', value: a * Math.sqrt(h) });
    }
  }
  return out;
}

/**
 * Seed variance of f̃_T on the test inputs at √hα = v for every width: `name` (seed null) and
 * per-seed `name + 'Term'` rows (their mean over seeds is the variance).
 */
export function varianceRecords(p: GeigerScanParams, cells: readonly GeigerCell[], v: number, name: string): LongRecord[] {
  const out: LongRecord[] = [];
  if (!Number.isFinite(v)) return out;
  for (const h of p.widths) {
    const runs = cells.filter((c) => c.width === h && c.status === 'ok' && Math.abs(c.sqrtHAlpha / v - 1) < 1e-9).sort((a, b) => a.seed - b.seed);
    const sv = seedVariance(runs.map((c) => c.fTestFinal));
    out.push({ width: h, seed: null, metric: name, value: sv.variance });
    sv.terms.forEach((t, i) => out.push({ width: h, seed: runs[i].seed, metric: name + 'Term', value: t }));
  }
  return out;
}
