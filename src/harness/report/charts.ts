/**
 * Vega-Lite specs of the report's figures, built from long-format data only:
 * - {@link metricChart}: a metric against width on log-log axes — seeds, mean over seeds, fitted
 *   line, the bootstrap CI of the slope as a band, and the expected slope;
 * - {@link overviewChart}: every fitted metric's mean over seeds with its fitted line;
 * - {@link curveChart}: a quantity over flow time, finite widths (mean over seeds with a
 *   min–max band) beside the limit.
 *
 * The CI band is drawn as the lines of slopes ci[0] and ci[1] through the centroid of the fit
 * (mean log width, fitted value there): it shows the slope uncertainty, which is what the verdict
 * is about, not a band for the intercept (theory/harness.md#figures).
 */
import type { TopLevelSpec } from 'vega-lite';
import type { CurveRecord, FitRecord, LongRecord } from '../types.js';
import { TERM_SUFFIX } from '../fits.js';
import { METRIC_COLORS, TIME_AXIS, expText, fmt, metricLabel, quantityLabel, widthColors, type MetricLabel, type QuantityLabel } from './labels.js';

const W = 400;
const H = 260;
const FIT = '#1f5fa8';
const EXPECTED = '#d62728';
const SEED = '#9aa3ad';

type Row = Record<string, number | string | null>;

/**
 * Tick values for a log axis over [lo, hi]: 1-2-5 per decade for up to two decades, 1-3 for up
 * to four, powers of ten beyond (avoids the crowded default labels of short log axes).
 */
export function logTicks(lo: number, hi: number): number[] {
  if (!(lo > 0) || !(hi >= lo) || !Number.isFinite(hi)) return [];
  const decades = Math.log10(hi / lo);
  const mult = decades <= 2 ? [1, 2, 5] : decades <= 4 ? [1, 3] : [1];
  const out: number[] = [];
  for (let e = Math.floor(Math.log10(lo)) - 1; e <= Math.ceil(Math.log10(hi)) + 1; e++) {
    for (const m of mult) {
      const v = Number((m * Math.pow(10, e)).toPrecision(6));
      if (v >= lo * 0.999 && v <= hi * 1.001) out.push(v);
    }
  }
  if (out.length < 2) {
    // a very short range: the ends, rounded to 2 significant digits
    return [...new Set([Number(lo.toPrecision(2)), Number(hi.toPrecision(2))])];
  }
  return out;
}

function extent(rows: readonly Row[], keys: string[]): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (const r of rows) for (const k of keys) {
    const v = r[k];
    if (typeof v === 'number' && v > 0 && Number.isFinite(v)) { lo = Math.min(lo, v); hi = Math.max(hi, v); }
  }
  return [lo, hi];
}

/** Split text into lines of at most `width` characters (at spaces) for chart subtitles. */
export function wrap(text: string, width = 78): string[] {
  const lines: string[] = [];
  let cur = '';
  for (const word of text.split(' ')) {
    if (cur && cur.length + 1 + word.length > width) {
      lines.push(cur);
      cur = word;
    } else cur = cur ? `${cur} ${word}` : word;
  }
  if (cur) lines.push(cur);
  return lines;
}

/** n log-spaced points from a to b. */
export function logSpace(a: number, b: number, n = 40): number[] {
  const la = Math.log(a);
  const lb = Math.log(b);
  return Array.from({ length: n }, (_x, i) => Math.exp(la + ((lb - la) * i) / (n - 1)));
}

/** The fitted line and its slope band as functions of width (through the fit's centroid). */
export function fitLines(fit: FitRecord): { fit: (h: number) => number; slope: (p: number) => (h: number) => number } {
  const lw = fit.widths.map(Math.log);
  const xbar = lw.reduce((a, b) => a + b, 0) / Math.max(1, lw.length);
  const ybar = fit.intercept + fit.exponent * xbar;
  return {
    fit: (h) => Math.exp(fit.intercept + fit.exponent * Math.log(h)),
    slope: (p) => (h) => Math.exp(ybar + p * (Math.log(h) - xbar)),
  };
}

function fitUsable(fit: FitRecord | undefined): fit is FitRecord {
  return fit !== undefined && Number.isFinite(fit.exponent) && Number.isFinite(fit.intercept) && fit.widths.length >= 2;
}

/** Subtitle lines of a fit: exponent and CI, then expectation and verdict. */
export function fitSummary(fit: FitRecord | undefined): string[] {
  if (!fit) return ['no fit'];
  if (!Number.isFinite(fit.exponent)) return [`no fit: ${fit.message}`];
  const ci = Number.isFinite(fit.ci[0]) ? `, ${Math.round(fit.level * 100)}% CI [${fmt(fit.ci[0])}, ${fmt(fit.ci[1])}]` : ' (no interval)';
  const exp = fit.expected !== null ? `expected ${expText(fit)}: ${fit.verdict.toUpperCase()}` : 'no expected exponent';
  return [`fitted exponent p = ${fmt(fit.exponent)}${ci}`, exp];
}

/** Per-seed points and the mean over seeds at each width (valid positive values only). */
export function seedPoints(records: readonly LongRecord[], metric: string): { seeds: Row[]; means: Row[]; perSeedLabel: string } {
  const perSeed = records.filter((r) => r.metric === metric && r.seed !== null && r.value > 0 && Number.isFinite(r.value));
  const terms = records.filter((r) => r.metric === metric + TERM_SUFFIX && r.seed !== null && r.value > 0 && Number.isFinite(r.value));
  const perWidth = records.filter((r) => r.metric === metric && r.seed === null && r.value > 0 && Number.isFinite(r.value));
  const pts = perSeed.length > 0 ? perSeed : terms;
  const perSeedLabel = perSeed.length > 0 ? 'per seed' : 'per-seed term';
  const seeds = pts.map((r) => ({ x: r.width, y: r.value, series: perSeedLabel, seed: r.seed }));
  let means: Row[];
  if (perWidth.length > 0) means = perWidth.map((r) => ({ x: r.width, y: r.value, series: perSeed.length > 0 || terms.length > 0 ? 'mean over seeds' : 'value' }));
  else {
    const by = new Map<number, number[]>();
    for (const r of perSeed) by.set(r.width, [...(by.get(r.width) ?? []), r.value]);
    means = [...by.entries()].sort((a, b) => a[0] - b[0]).map(([x, v]) => ({ x, y: v.reduce((a, b) => a + b, 0) / v.length, series: 'mean over seeds' }));
  }
  return { seeds, means, perSeedLabel };
}

/** A metric against width, log-log, with fit, CI band and expected slope. */
export function metricChart(records: readonly LongRecord[], metric: string, fit: FitRecord | undefined, axisLabel: string, labels?: Record<string, MetricLabel>): TopLevelSpec {
  const label = metricLabel(metric, labels);
  const { seeds, means, perSeedLabel } = seedPoints(records, metric);
  const widths = [...new Set([...seeds, ...means].map((r) => r.x as number))].sort((a, b) => a - b);
  const lines: Row[] = [];
  const band: Row[] = [];
  const level = fit ? `${Math.round(fit.level * 100)}% CI of slope` : 'CI';
  const domain: string[] = [];
  const range: string[] = [];
  if (seeds.length > 0) { domain.push(perSeedLabel); range.push(SEED); }
  if (means.length > 0) { domain.push(means[0].series as string); range.push(FIT); }
  domain.push('fit');
  range.push(FIT);
  if (fitUsable(fit) && widths.length >= 2) {
    const f = fitLines(fit);
    const xs = logSpace(widths[0], widths[widths.length - 1]);
    for (const x of xs) lines.push({ x, y: f.fit(x), series: 'fit', dash: 'solid' });
    if (Number.isFinite(fit.ci[0]) && Number.isFinite(fit.ci[1]) && fit.ci[0] !== fit.ci[1]) {
      const lo = f.slope(fit.ci[0]);
      const hi = f.slope(fit.ci[1]);
      for (const x of xs) band.push({ x, lo: Math.min(lo(x), hi(x)), hi: Math.max(lo(x), hi(x)), series: level });
      domain.push(level);
      range.push('#9ec1e8');
    }
    if (fit.expected !== null) {
      const e = f.slope(fit.expected);
      const name = `expected slope ${fmt(fit.expected)}`;
      for (const x of xs) lines.push({ x, y: e(x), series: name, dash: 'dashed' });
      domain.push(name);
      range.push(EXPECTED);
    }
  }
  const color = { field: 'series', type: 'nominal' as const, scale: { domain, range }, legend: { title: null, orient: 'bottom' as const, direction: 'horizontal' as const, columns: 3, labelLimit: 400 } };
  const x = { field: 'x', type: 'quantitative' as const, scale: { type: 'log' as const, nice: false, padding: 12 }, axis: { title: axisLabel, values: widths, format: 'd', grid: true } };
  const [lo, hi] = extent([...seeds, ...means, ...lines], ['y']);
  const y = { field: 'y', type: 'quantitative' as const, scale: { type: 'log' as const, nice: false, padding: 12 }, axis: { title: label.axis ?? label.formula, values: logTicks(lo, hi), format: '~g' } };
  const layers: unknown[] = [];
  if (band.length > 0) {
    layers.push({ data: { values: band }, mark: { type: 'area', opacity: 0.35 }, encoding: { x: { ...x, field: 'x' }, y: { ...y, field: 'lo' }, y2: { field: 'hi' }, color } });
  }
  if (lines.length > 0) {
    layers.push({
      data: { values: lines },
      mark: { type: 'line', strokeWidth: 2 },
      encoding: { x, y, color, strokeDash: { field: 'dash', type: 'nominal', scale: { domain: ['solid', 'dashed'], range: [[1, 0], [6, 4]] }, legend: null } },
    });
  }
  layers.push({ data: { values: seeds }, mark: { type: 'point', filled: true, opacity: 0.6, size: 22 }, encoding: { x, y, color } });
  layers.push({ data: { values: means }, mark: { type: 'point', filled: true, size: 70, stroke: 'white', strokeWidth: 0.8 }, encoding: { x, y, color } });
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: { text: `${label.title} (${metric})`, subtitle: fitSummary(fit) },
    width: W,
    height: H,
    layer: layers,
  } as TopLevelSpec;
}

/** All fitted metrics' means over seeds with their fitted lines, one colour each. */
export function overviewChart(fits: readonly FitRecord[], axisLabel: string, labels?: Record<string, MetricLabel>): TopLevelSpec {
  const usable = fits.filter(fitUsable).filter((f) => f.means.length === f.widths.length);
  const pts: Row[] = [];
  const lines: Row[] = [];
  for (const f of usable) {
    const name = `${f.metric} (p = ${fmt(f.exponent)})`;
    f.widths.forEach((w, i) => pts.push({ x: w, y: f.means[i], metric: name }));
    const l = fitLines(f);
    for (const x of logSpace(f.widths[0], f.widths[f.widths.length - 1], 20)) lines.push({ x, y: l.fit(x), metric: name });
  }
  const widths = [...new Set(pts.map((p) => p.x as number))].sort((a, b) => a - b);
  const names = usable.map((f) => `${f.metric} (p = ${fmt(f.exponent)})`);
  const color = { field: 'metric', type: 'nominal' as const, scale: { domain: names, range: METRIC_COLORS }, legend: { title: null, orient: 'bottom' as const, direction: 'horizontal' as const, columns: 2, labelLimit: 400 } };
  const x = { field: 'x', type: 'quantitative' as const, scale: { type: 'log' as const, nice: false, padding: 12 }, axis: { title: axisLabel, values: widths, format: 'd' } };
  const [lo, hi] = extent([...pts, ...lines], ['y']);
  const y = { field: 'y', type: 'quantitative' as const, scale: { type: 'log' as const, nice: false, padding: 12 }, axis: { title: 'mean over seeds', values: logTicks(lo, hi), format: '~g' } };
  void labels;
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: { text: 'All metrics against width', subtitle: wrap('means over seeds (points) and fitted power laws (lines); log-log axes') },
    width: W,
    height: H,
    layer: [
      { data: { values: lines }, mark: { type: 'line', strokeWidth: 1.8 }, encoding: { x, y, color } },
      { data: { values: pts }, mark: { type: 'point', filled: true, size: 55 }, encoding: { x, y, color } },
    ],
  } as TopLevelSpec;
}

/** Label of a curve series: `h = 64` (or the label's own symbol) for finite widths, the kind for width-independent runs. */
function kindLabel(kind: string, pathwise: boolean): string {
  if (kind === 'limit-pathwise') return 'limit (own f₀)';
  if (kind === 'limit') return pathwise ? 'limit (f₀ = 0)' : 'limit';
  return kind;
}

/**
 * One quantity over flow time: for each width the mean over seeds (line) and min–max (band);
 * width-independent kinds (the limit) in black/grey, dashed for the shared reference.
 */
export function curveChart(curves: readonly CurveRecord[], quantity: string, subtitle: string, labels?: Record<string, QuantityLabel>): TopLevelSpec {
  const q = quantityLabel(quantity, labels);
  const rows = curves.filter((c) => c.quantity === quantity && Number.isFinite(c.value) && (!q.log || c.value > 0) && (!q.xLog || c.time > 0));
  const groups = new Map<string, { series: string; time: number; v: number[]; order: number }>();
  const widths = [...new Set(rows.filter((r) => r.width !== null && r.kind !== 'limit-pathwise').map((r) => r.width as number))].sort((a, b) => a - b);
  const pathwise = rows.some((r) => r.kind === 'limit-pathwise');
  const sym = q.series ?? 'h';
  const seriesOf = (r: CurveRecord) => (r.width !== null && r.kind !== 'limit-pathwise' ? `${sym} = ${r.width}` : kindLabel(r.kind, pathwise));
  for (const r of rows) {
    const s = seriesOf(r);
    const key = `${s}|${r.time}`;
    const g = groups.get(key) ?? { series: s, time: r.time, v: [], order: r.width ?? Infinity };
    g.v.push(r.value);
    groups.set(key, g);
  }
  const agg: Row[] = [...groups.values()].map((g) => ({
    series: g.series,
    time: g.time,
    mean: g.v.reduce((a, b) => a + b, 0) / g.v.length,
    lo: Math.min(...g.v),
    hi: Math.max(...g.v),
    dash: g.series === 'limit (f₀ = 0)' || g.series === 'limit' ? 'dashed' : 'solid',
  }));
  const others = [...new Set(agg.map((a) => a.series as string).filter((s) => !s.startsWith(`${sym} = `)))].sort();
  const domain = [...widths.map((w) => `${sym} = ${w}`), ...others];
  const range = [...widthColors(widths.length), ...others.map((s) => (s === 'limit (f₀ = 0)' || s === 'limit' ? '#d62728' : '#111'))];
  const legend = { title: null, orient: 'bottom' as const, direction: 'horizontal' as const, columns: 4, labelLimit: 400, symbolType: 'stroke', symbolStrokeWidth: 3, symbolOpacity: 1 };
  const color = { field: 'series', type: 'nominal' as const, scale: { domain, range }, legend };
  const [tLo, tHi] = extent(agg, ['time']);
  const x = {
    field: 'time', type: 'quantitative' as const,
    ...(q.xLog ? { scale: { type: 'log' as const, nice: false } } : {}),
    axis: { title: q.xAxis ?? TIME_AXIS, ...(q.xLog ? { format: '~g', values: logTicks(tLo, tHi) } : {}) },
  };
  const yScale = q.log ? { type: 'log' as const, nice: false } : { zero: false };
  const [lo, hi] = extent(agg, ['lo', 'hi', 'mean']);
  const y = { field: 'mean', type: 'quantitative' as const, scale: yScale, axis: { title: q.axis, format: '~g', ...(q.log ? { values: logTicks(lo, hi) } : {}) } };
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: { text: q.title, subtitle: wrap(subtitle) },
    width: W,
    height: H,
    data: { values: agg },
    layer: [
      {
        mark: { type: 'line', strokeWidth: 1.8 },
        encoding: { x, y, color, strokeDash: { field: 'dash', type: 'nominal', scale: { domain: ['solid', 'dashed'], range: [[1, 0], [6, 4]] }, legend: null } },
      },
      { mark: { type: 'area', opacity: 0.13 }, encoding: { x, y: { ...y, field: 'lo' }, y2: { field: 'hi' }, color: { ...color, legend: null } } },
    ],
  } as TopLevelSpec;
}
