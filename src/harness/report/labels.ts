/** Human-readable names of metrics and curve quantities, and the colour palette of widths. */
import type { Relation } from '../types.js';

export interface MetricLabel {
  /** Short title. */
  title: string;
  /** The formula, for tables. */
  formula: string;
  /** A short axis title. */
  axis?: string;
}

export const METRIC_LABELS: Record<string, MetricLabel> = {
  fTrainSup: { title: 'Function distance (train)', formula: 'sup_t ‖f_t^(h) − f_t^∞‖/√n on train inputs', axis: 'sup_t ‖f_t − f_t^∞‖/√n (train)' },
  fTestSup: { title: 'Function distance (test)', formula: 'sup_t ‖f_t^(h) − f_t^∞‖/√n on test inputs', axis: 'sup_t ‖f_t − f_t^∞‖/√n (test)' },
  lossSup: { title: 'Loss-curve distance', formula: 'sup_t |L_t^(h) − L_t^∞| (train loss)', axis: 'sup_t |L_t − L_t^∞|' },
  kernelInit: { title: 'Kernel at initialization', formula: '‖Θ̂_0 − Θ‖_F / ‖Θ‖_F', axis: '‖Θ̂_0 − Θ‖_F / ‖Θ‖_F' },
  kernelMotion: { title: 'Kernel motion', formula: '‖Θ̂_T − Θ̂_0‖_F / ‖Θ̂_0‖_F', axis: '‖Θ̂_T − Θ̂_0‖_F / ‖Θ̂_0‖_F' },
  weightMotion: { title: 'Weight motion', formula: '‖θ_T − θ_0‖ / ‖θ_0‖', axis: '‖θ_T − θ_0‖ / ‖θ_0‖' },
  seedVariance: { title: 'Seed variance', formula: 'Var over seeds of centred f_T(x*), mean over test x*', axis: 'Var over seeds, mean over x*' },
  ensembleError: { title: 'Ensemble-mean error', formula: '‖mean_s f_T − μ_T‖/√n on test inputs', axis: '‖mean_s f_T − μ_T‖/√n (test)' },
};

/**
 * How a curve quantity is drawn: title, y-axis title, log y; optionally its own x-axis title and a
 * log x axis (default: flow time, linear), and the figure's subtitle.
 */
export interface QuantityLabel {
  title: string;
  axis: string;
  log: boolean;
  xAxis?: string;
  xLog?: boolean;
  subtitle?: string;
  /** Symbol of the width in the legend (default h: `h = 64`). */
  series?: string;
}

export const QUANTITY_LABELS: Record<string, QuantityLabel> = {
  trainLoss: { title: 'Training loss', axis: 'train loss L_t', log: true },
  testLoss: { title: 'Test loss', axis: 'test loss', log: true },
  fTrainDev: { title: 'Distance to the limit over time (train)', axis: '‖f_t − f_t^∞‖/√n (train)', log: true },
  fTestDev: { title: 'Distance to the limit over time (test)', axis: '‖f_t − f_t^∞‖/√n (test)', log: true },
  weightMotion: { title: 'Weight motion over time', axis: '‖θ_t − θ_0‖/‖θ_0‖', log: true },
  kernelMotion: { title: 'Kernel motion over time', axis: '‖Θ̂_t − Θ̂_0‖_F/‖Θ̂_0‖_F', log: true },
};

export function metricLabel(metric: string, extra?: Record<string, MetricLabel>): MetricLabel {
  return extra?.[metric] ?? METRIC_LABELS[metric] ?? { title: metric, formula: metric };
}

/** The label of curve quantity q: a plug-in kind's own (`extra`), the built-in one, or q itself. */
export function quantityLabel(q: string, extra?: Record<string, QuantityLabel>): QuantityLabel {
  return extra?.[q] ?? QUANTITY_LABELS[q] ?? { title: q, axis: q, log: false };
}

/** Flow-time axis title (theory/conventions.md#time: τ = η·steps). */
export const TIME_AXIS = 'flow time τ = η · steps';

/** Viridis stops (dark purple → yellow), trimmed at the yellow end for contrast on white. */
const VIRIDIS = ['#440154', '#472c7a', '#3b518b', '#2c718e', '#21908d', '#27ad81', '#5cc863', '#aadc32'];

/** n colours spread along the palette, narrow widths dark, wide widths light. */
export function widthColors(n: number): string[] {
  if (n <= 0) return [];
  if (n === 1) return [VIRIDIS[3]];
  return Array.from({ length: n }, (_x, i) => interpolate(VIRIDIS, i / (n - 1)));
}

function interpolate(stops: string[], t: number): string {
  const x = t * (stops.length - 1);
  const i = Math.min(stops.length - 2, Math.floor(x));
  const f = x - i;
  const a = hex(stops[i]);
  const b = hex(stops[i + 1]);
  return '#' + a.map((v, k) => Math.round(v + f * (b[k] - v)).toString(16).padStart(2, '0')).join('');
}

function hex(c: string): number[] {
  return [1, 3, 5].map((i) => parseInt(c.slice(i, i + 2), 16));
}

/** Distinct colours for metrics in the overview (Tableau 10). */
export const METRIC_COLORS = ['#4e79a7', '#f28e2b', '#e15759', '#76b7b2', '#59a14f', '#edc948', '#b07aa1', '#ff9da7', '#9c755f', '#bab0ac'];

/** Number for tables and subtitles: 3 significant digits, exponent form when tiny or huge. */
export function fmt(x: number | null | undefined, digits = 3): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return '–';
  const a = Math.abs(x);
  if (a !== 0 && (a < 1e-3 || a >= 1e5)) return x.toExponential(digits - 1).replace(/-/g, '−');
  return Number(x.toPrecision(digits)).toString().replace(/-/g, '−');
}

/** `−0.5 ± 0.1`, or `≤ −0.5 (+0.1)` for a bound. */
export function expText(f: { expected: number | null; tolerance: number | null; relation?: Relation }): string {
  if (f.expected === null) return '–';
  if (f.relation === 'atMost') return `≤ ${fmt(f.expected)} (+${fmt(f.tolerance)})`;
  if (f.relation === 'atLeast') return `≥ ${fmt(f.expected)} (−${fmt(f.tolerance)})`;
  return `${fmt(f.expected)} ± ${fmt(f.tolerance)}`;
}
