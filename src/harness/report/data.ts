/**
 * What a report shows, read from a result folder's saved data only (results.json, cells/,
 * curves.json, timing.json): never recomputed. Compare folders and plug-in experiment folders
 * are brought to one shape, {@link ReportData}.
 */
import { existsSync, readFileSync } from 'node:fs';
import { InputError } from '../../core/errors.js';
import { compareRecords } from '../assemble.js';
import { findLimit } from '../deps.js';
import { paths, readJsonIfValid } from '../folder.js';
import type { AnyResults, CellRecord, CompareResults, CurveRecord, FitRecord, GenericResults, LongRecord, Axis } from '../types.js';
import { readNumber } from '../types.js';
import type { MetricLabel, QuantityLabel } from './labels.js';

export interface CurveFigure {
  /** File stem under figures/. */
  id: string;
  quantity: string;
  subtitle: string;
}

export interface ReportData {
  dir: string;
  results: AnyResults;
  title: string;
  claim: string;
  axis: Axis;
  records: LongRecord[];
  fits: FitRecord[];
  curves: CurveRecord[];
  curveFigures: CurveFigure[];
  labels?: Record<string, MetricLabel>;
  /** Plug-in kinds' own curve labels (titles, axes, log scales). */
  curveLabels?: Record<string, QuantityLabel>;
  /** Figures a plug-in kind drew itself (DIR/figures/<id>.svg). */
  kindFigures?: { id: string; title: string }[];
  /** Key facts (Markdown), shown under the title. */
  facts: [string, string][];
  notes: string[];
  failedCells: { width: number; seed: number; status: string; message: string }[];
  timing?: { seconds: number; workers: number };
}

/** Read results.json of `dir` (InputError when absent or not a widelimit results file). */
export function readResults(dir: string): AnyResults {
  const p = paths.results(dir);
  if (!existsSync(p)) throw new InputError(dir, 'no results.json in this folder (run `widelimit compare` or `widelimit experiment run` into it first)');
  let r: unknown;
  try {
    r = JSON.parse(readFileSync(p, 'utf8'));
  } catch (e) {
    throw new InputError(p, `is not valid JSON: ${(e as Error).message}`);
  }
  const o = r as Partial<AnyResults>;
  if (o.format !== 'widelimit-results/1' || typeof o.kind !== 'string') throw new InputError(p, 'is not a widelimit results file (format widelimit-results/1)');
  return r as AnyResults;
}

export function loadReportData(dir: string): ReportData {
  const results = readResults(dir);
  const timing = readJsonIfValid(paths.timing(dir)) as ReportData['timing'];
  return results.kind === 'compare' ? compareData(dir, results as CompareResults, timing) : genericData(dir, results as GenericResults, timing);
}

function compareData(dir: string, r: CompareResults, timing: ReportData['timing']): ReportData {
  const cells: CellRecord[] = [];
  for (const c of r.cells) {
    const saved = readJsonIfValid(paths.cell(dir, c.width, c.seed)) as CellRecord | undefined;
    if (saved && saved.specHash === r.specHash) cells.push(saved);
  }
  const curves = compareCurves(r, cells);
  const s = r.spec;
  const facts: [string, string][] = [
    ['limit', r.limit.reason],
    ['data', `${r.data.description} (n = ${r.data.nTrain} train, ${r.data.nTest} test, k = ${r.data.outputs})`],
    ['network', `depth L = ${s.model.depth}, activation ${s.model.activation}, parameterization ${typeof s.model.parameterization === 'string' ? s.model.parameterization : 'abc'}, σ_w = ${s.model.weightStd}, σ_b = ${s.model.biasStd}${s.model.centred ? ', centred' : ''}${s.model.alpha !== 1 ? `, α = ${s.model.alpha}` : ''}`],
    ['training', `${s.training.loss}, ${s.training.method}, η = ${s.training.lr}, ${s.training.steps} steps (τ_max = ${s.training.lr * s.training.steps}), recorded every ${s.training.recordEvery}`],
    ['widths', r.widths.join(', ')],
    ['seeds', `${r.seeds.length} (init seeds ${s.seed}..${s.seed + r.seeds.length - 1})`],
    ['status', r.status === 'ok' ? 'ok: every cell finished' : `${r.status}: ${r.message}`],
  ];
  const failedCells = r.cells.filter((c) => c.status !== 'ok').map((c) => ({ width: c.width, seed: c.seed, status: c.status, message: c.message }));
  const pathwise = findLimit(r.limit.name)?.pathwise ?? false;
  const curveFigures: CurveFigure[] = [
    { id: 'loss-train', quantity: 'trainLoss', subtitle: pathwise ? 'finite widths: mean over seeds (line), min–max band; the limit started from each seed’s own f₀ (black: mean, band) and from f₀ = 0, the ensemble mean (red, dashed)' : 'finite widths: mean over seeds (line), min–max (band); the deterministic limit (red, dashed)' },
    { id: 'loss-test', quantity: 'testLoss', subtitle: 'same runs, test inputs' },
    { id: 'distance-train', quantity: 'fTrainDev', subtitle: pathwise ? 'distance to the path-wise limit (same f₀); mean over seeds, min–max band' : 'distance to the limit; mean over seeds, min–max band' },
    { id: 'distance-test', quantity: 'fTestDev', subtitle: 'same, on test inputs' },
  ];
  return {
    dir, results: r,
    title: r.name ? `${r.name}` : 'Finite width against the infinite-width limit',
    claim: r.claim ?? `Convergence of finite-width networks to the ${r.limit.name} limit as the width grows.`,
    axis: r.axis, records: compareRecords(r), fits: r.fits, curves, curveFigures, facts,
    notes: [], failedCells, timing,
  };
}

/** Curves of a compare folder in long format (curves.csv). */
export function compareCurves(r: CompareResults, cells: CellRecord[]): CurveRecord[] {
  const out: CurveRecord[] = [];
  const push = (width: number | null, seed: number | null, kind: string, times: number[], quantity: string, v: unknown[] | undefined) => {
    if (!v) return;
    times.forEach((t, i) => out.push({ width, seed, kind, time: t, quantity, value: readNumber(v[i]) }));
  };
  const sorted = [...cells].sort((a, b) => a.width - b.width || a.seed - b.seed);
  for (const c of sorted) {
    const k = c.curves;
    push(c.width, c.seed, 'finite', k.times, 'trainLoss', k.trainLoss);
    push(c.width, c.seed, 'finite', k.times, 'testLoss', k.testLoss);
    push(c.width, c.seed, 'limit-pathwise', k.times, 'trainLoss', k.limitTrainLoss);
    push(c.width, c.seed, 'limit-pathwise', k.times, 'testLoss', k.limitTestLoss);
    push(c.width, c.seed, 'finite', k.times, 'fTrainDev', k.fTrainDev);
    push(c.width, c.seed, 'finite', k.times, 'fTestDev', k.fTestDev);
    push(c.width, c.seed, 'finite', k.times, 'weightMotion', k.weightMotion);
    push(c.width, c.seed, 'finite', k.times, 'kernelMotion', k.kernelMotion);
  }
  push(null, null, 'limit', r.reference.times, 'trainLoss', r.reference.trainLoss);
  push(null, null, 'limit', r.reference.times, 'testLoss', r.reference.testLoss);
  return out;
}

function genericData(dir: string, r: GenericResults, timing: ReportData['timing']): ReportData {
  const curves = ((readJsonIfValid(paths.curves(dir)) as CurveRecord[] | undefined) ?? []).map((c) => ({ ...c, value: readNumber(c.value) }));
  const quantities = [...new Set(curves.map((c) => c.quantity))];
  const extra = r as GenericResults & { labels?: Record<string, MetricLabel>; curveLabels?: Record<string, QuantityLabel>; figures?: { id: string; title: string }[] };
  return {
    dir, results: r, title: r.name, claim: r.claim, axis: r.axis,
    records: r.records.map((x) => ({ ...x, value: readNumber(x.value) })),
    fits: r.fits, curves,
    curveFigures: quantities.map((q) => ({ id: `curve-${q}`, quantity: q, subtitle: extra.curveLabels?.[q]?.subtitle ?? 'mean over seeds (line), min–max (band)' })),
    labels: extra.labels,
    curveLabels: extra.curveLabels,
    kindFigures: extra.figures,
    facts: [
      [r.axis.label, r.widths.join(', ')],
      ['seeds', String(r.seeds.length)],
      ['status', r.status === 'ok' ? 'ok' : `${r.status}: ${r.message}`],
    ],
    notes: r.notes ?? [], failedCells: [], timing,
  };
}
