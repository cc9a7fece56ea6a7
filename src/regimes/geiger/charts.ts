/**
 * Vega-Lite figures of the α-scan that the harness's width plots cannot draw (their x axis is
 * √h·α or time): kernel motion against √hα with the crossing level and the lazy-side fit, t_1
 * against √hα with the feature-side fit, and the loss curves against t and against t/(√hα).
 * Built from the runs only (pure functions); rendered by the harness's `renderSvg`.
 */
import type { TopLevelSpec } from 'vega-lite';
import { logTicks } from '../../harness/report/charts.js';
import { fmt, widthColors } from '../../harness/report/labels.js';
import type { FitRecord } from '../../harness/types.js';
import type { GeigerCell } from './cell.js';

type Row = Record<string, number | string>;
const W = 420, H = 280;
const SCHEMA = 'https://vega.github.io/schema/vega-lite/v6.json';

function logAxis(title: string, lo: number, hi: number) {
  return { scale: { type: 'log' as const, nice: false }, axis: { title, values: logTicks(lo, hi), format: '~g', grid: true } };
}

function range(v: number[]): [number, number] {
  const f = v.filter((x) => Number.isFinite(x) && x > 0);
  return [Math.min(...f), Math.max(...f)];
}

/** Mean over seeds of `value` per (width, √hα), ok runs with a positive finite value. */
function means(cells: readonly GeigerCell[], value: (c: GeigerCell) => number): Row[] {
  const by = new Map<string, { h: number; s: number; v: number[] }>();
  for (const c of cells) {
    const v = value(c);
    if (c.status !== 'ok' || !(v > 0) || !Number.isFinite(v)) continue;
    const k = `${c.width}|${c.sqrtHAlpha}`;
    const g = by.get(k) ?? { h: c.width, s: c.sqrtHAlpha, v: [] };
    g.v.push(v);
    by.set(k, g);
  }
  return [...by.values()].sort((a, b) => a.h - b.h || a.s - b.s).map((g) => ({ x: g.s, y: g.v.reduce((a, b) => a + b, 0) / g.v.length, series: `h = ${g.h}` }));
}

/** Fitted line and expected slope of a side fit, over its x range. */
function fitRows(fit: FitRecord | undefined): Row[] {
  if (!fit || !Number.isFinite(fit.exponent) || fit.widths.length < 2) return [];
  const xs = fit.widths;
  const lx = xs.map(Math.log);
  const xbar = lx.reduce((a, b) => a + b, 0) / lx.length;
  const ybar = fit.intercept + fit.exponent * xbar;
  const out: Row[] = [];
  for (const x of [xs[0], xs[xs.length - 1]]) {
    out.push({ x, y: Math.exp(fit.intercept + fit.exponent * Math.log(x)), series: `fit: slope ${fmt(fit.exponent)}` });
    if (fit.expected !== null) out.push({ x, y: Math.exp(ybar + fit.expected * (Math.log(x) - xbar)), series: `expected slope ${fmt(fit.expected)}` });
  }
  return out;
}

function perWidthChart(cells: readonly GeigerCell[], value: (c: GeigerCell) => number, fit: FitRecord | undefined, o: { title: string; subtitle: string[]; yTitle: string; level?: number }): TopLevelSpec {
  const seeds: Row[] = cells.filter((c) => c.status === 'ok' && value(c) > 0 && Number.isFinite(value(c))).map((c) => ({ x: c.sqrtHAlpha, y: value(c), series: `h = ${c.width}` }));
  const mean = means(cells, value);
  const lines = fitRows(fit);
  const widths = [...new Set(cells.map((c) => c.width))].sort((a, b) => a - b);
  const names = widths.map((h) => `h = ${h}`);
  const extra = [...new Set(lines.map((r) => r.series as string))];
  const color = { field: 'series', type: 'nominal' as const, scale: { domain: [...names, ...extra], range: [...widthColors(names.length), '#d62728', '#444'] }, legend: { title: null, orient: 'bottom' as const, columns: 4, labelLimit: 220 } };
  const [xlo, xhi] = range(seeds.map((r) => r.x as number));
  const [ylo, yhi] = range([...seeds.map((r) => r.y as number), ...(o.level ? [o.level] : [])]);
  const x = { field: 'x', type: 'quantitative' as const, ...logAxis('√h · α', xlo, xhi) };
  const y = { field: 'y', type: 'quantitative' as const, ...logAxis(o.yTitle, ylo, yhi) };
  const layer: unknown[] = [
    { data: { values: seeds }, mark: { type: 'point', filled: true, size: 14, opacity: 0.35 }, encoding: { x, y, color } },
    { data: { values: mean }, mark: { type: 'line', point: true, strokeWidth: 1.6 }, encoding: { x, y, color } },
  ];
  if (lines.length) {
    layer.push({ data: { values: lines }, mark: { type: 'line', strokeWidth: 2.2 }, encoding: { x, y, color, strokeDash: { field: 'series', type: 'nominal', legend: null } } });
  }
  if (o.level !== undefined) layer.push({ data: { values: [{ y: o.level }] }, mark: { type: 'rule', strokeDash: [4, 4], color: '#888' }, encoding: { y: { field: 'y', type: 'quantitative' } } });
  return { $schema: SCHEMA, title: { text: o.title, subtitle: o.subtitle }, width: W, height: H, layer } as TopLevelSpec;
}

/** Kernel motion against √hα: runs (points), means per width (lines), crossing level, lazy fit. */
export function kernelMotionChart(cells: readonly GeigerCell[], fit: FitRecord | undefined, level: number, crossover: number): TopLevelSpec {
  return perWidthChart(cells, (c) => c.kernelMotion, fit, {
    title: 'Kernel motion against √h·α',
    subtitle: [
      `‖Θ̂_T − Θ̂_0‖_F/‖Θ̂_0‖_F; dashed rule: crossing level ${fmt(level)} (mean √h·α* = ${fmt(crossover)})`,
      fit && Number.isFinite(fit.exponent) ? `lazy side (√hα ≥ ${fmt(fit.widths[0])}): slope ${fmt(fit.exponent)}, CI [${fmt(fit.ci[0])}, ${fmt(fit.ci[1])}]` : 'lazy side: no fit',
    ],
    yTitle: 'kernel motion', level,
  });
}

/** t_1 against √hα, with the feature-side fit. */
export function t1Chart(cells: readonly GeigerCell[], fit: FitRecord | undefined, fraction: number): TopLevelSpec {
  return perWidthChart(cells, (c) => c.t1, fit, {
    title: 't₁ against √h·α',
    subtitle: [
      `t₁ = first time the train loss is ≤ ${fmt(fraction)} × its initial value (flow time)`,
      fit && Number.isFinite(fit.exponent) ? `feature side (√hα ≤ ${fmt(fit.widths[fit.widths.length - 1])}): slope ${fmt(fit.exponent)}, CI [${fmt(fit.ci[0])}, ${fmt(fit.ci[1])}]` : 'feature side: no fit',
    ],
    yTitle: 't₁',
  });
}

/** Mean over seeds of L(t)/L(0) per (width, √hα) on the record times every seed has (before any stop). */
export function meanLossCurves(cells: readonly GeigerCell[]): { h: number; s: number; times: number[]; loss: number[] }[] {
  const groups = new Map<string, GeigerCell[]>();
  for (const c of cells) {
    if (c.status !== 'ok') continue;
    const k = `${c.width}|${c.sqrtHAlpha}`;
    groups.set(k, [...(groups.get(k) ?? []), c]);
  }
  const out: { h: number; s: number; times: number[]; loss: number[] }[] = [];
  for (const g of groups.values()) {
    const n = Math.min(...g.map((c) => c.times.length)) - 1; // the last record is the stop time, seed-specific
    const times: number[] = [], loss: number[] = [];
    for (let i = 1; i < n; i++) {
      const t = g[0].times[i];
      if (g.some((c) => c.times[i] !== t)) break;
      times.push(t);
      loss.push(g.reduce((a, c) => a + c.lossRatio[i], 0) / g.length);
    }
    out.push({ h: g[0].width, s: g[0].sqrtHAlpha, times, loss });
  }
  return out.sort((a, b) => a.s - b.s || a.h - b.h);
}

/** Loss curves against t (left) and t/(√hα) (right), colour = √hα, one line per width. */
export function lossCollapseChart(cells: readonly GeigerCell[], collapseText: string): TopLevelSpec {
  const curves = meanLossCurves(cells);
  const rows: Row[] = [];
  for (const c of curves) {
    c.times.forEach((t, i) => {
      if (c.loss[i] > 1e-6) rows.push({ t, u: t / c.s, L: c.loss[i], s: Number(c.s.toPrecision(3)), line: `h=${c.h}, √hα=${c.s}` });
    });
  }
  const ss = [...new Set(rows.map((r) => r.s as number))].sort((a, b) => a - b);
  const color = { field: 's', type: 'ordinal' as const, title: '√h·α', scale: { domain: ss, scheme: 'viridis' }, legend: { orient: 'bottom' as const, columns: 6 } };
  const y = { field: 'L', type: 'quantitative' as const, ...logAxis('L(t)/L(0) (mean over seeds)', ...range(rows.map((r) => r.L as number))) };
  const panel = (field: 't' | 'u', title: string) => ({
    width: 300, height: 240, mark: { type: 'line', strokeWidth: 1.3, opacity: 0.85 },
    encoding: { x: { field, type: 'quantitative', ...logAxis(title, ...range(rows.map((r) => r[field] as number))) }, y, color, detail: { field: 'line' } },
  });
  return {
    $schema: SCHEMA,
    title: { text: 'Loss curves against t and against t/(√h·α)', subtitle: ['one line per (width, √hα), mean over seeds; feature-regime curves collapse on the right', collapseText] },
    data: { values: rows },
    hconcat: [panel('t', 'flow time t'), panel('u', 't / (√h·α)')],
  } as TopLevelSpec;
}
