/**
 * Figures of the θ phase diagram (Vega-Lite, rendered by the harness's `renderSvg`):
 * the (γ, γ') plane with Luo et al.'s boundaries (γ = 1 for γ' ≤ 0, γ' = γ − 1 for γ ≥ 1), the
 * condensed region shaded, the θ-lazy boundary log κ/log m = 0 (γ = 1) dashed, and every grid
 * point coloured by its measured class with the fitted exponent; and the measured loss curves of
 * the θ-lazy points beside their frozen-kernel predictions.
 */
import type { TopLevelSpec } from 'vega-lite';
import { fmt } from '../../harness/report/labels.js';
import { logTicks } from '../../harness/report/charts.js';
import type { ThetaCell } from './cell.js';
import type { PhasePoint } from './phases.js';

const SCHEMA = 'https://vega.github.io/schema/vega-lite/v6.json';
const CLASS_COLORS = { domain: ['linear', 'critical', 'condensed', 'unknown'], range: ['#1f77b4', '#2ca02c', '#d62728', '#999999'] };

export function phaseDiagramChart(points: readonly PhasePoint[], widths: readonly number[], band: number): TopLevelSpec {
  const gs = points.map((p) => p.point.gamma), gps = points.map((p) => p.point.gammaPrime);
  const x0 = Math.min(0.25, ...gs) - 0.15, x1 = Math.max(1.75, ...gs) + 0.15;
  const y0 = Math.min(-0.5, ...gps) - 0.15, y1 = Math.max(1.25, ...gps) + 0.15;
  const region = [{ g: 1, lo: y0, hi: Math.min(0, y1) }, { g: x1, lo: y0, hi: Math.min(x1 - 1, y1) }];
  const boundary = [{ g: 1, gp: y0 }, { g: 1, gp: 0 }, { g: Math.min(x1, y1 + 1), gp: Math.min(x1 - 1, y1) }];
  const rows = points.map((p) => ({
    g: p.point.gamma, gp: p.point.gammaPrime, measured: p.measured, theory: p.theory,
    agree: p.agrees ? 'measured = theory' : 'measured ≠ theory',
    text: `${fmt(p.exponent)}${p.ratePass === null ? '' : p.ratePass ? ' ✓rate' : ' ✗rate'}`,
  }));
  const x = { field: 'g', type: 'quantitative' as const, title: 'γ  (log κ / log m = 1 − γ)', scale: { domain: [x0, x1], nice: false } };
  const y = { field: 'gp', type: 'quantitative' as const, title: "γ'", scale: { domain: [y0, y1], nice: false } };
  return {
    $schema: SCHEMA,
    title: {
      text: 'Phase diagram of the two-layer θ-parameterized ReLU network',
      subtitle: [
        `points: class of the fitted exponent e of RD(θ_w) ∝ m^e over m ∈ {${widths.join(', ')}} (linear e < −${band}, critical |e| ≤ ${band}, condensed e > ${band}); label: e`,
        "red area: condensed region of Luo et al. (γ > 1, γ' < γ − 1); solid: their boundary; dashed: θ-lazy boundary log κ/log m = 0",
      ],
    },
    width: 460, height: 340,
    layer: [
      { data: { values: region }, mark: { type: 'area', color: '#d62728', opacity: 0.12 }, encoding: { x: { ...x, field: 'g' }, y: { ...y, field: 'lo' }, y2: { field: 'hi' } } },
      { data: { values: boundary }, mark: { type: 'line', color: '#333', strokeWidth: 2 }, encoding: { x: { ...x, field: 'g' }, y: { ...y, field: 'gp' } } },
      { data: { values: [{ g: 1 }] }, mark: { type: 'rule', strokeDash: [6, 4], color: '#555' }, encoding: { x: { field: 'g', type: 'quantitative' } } },
      {
        data: { values: rows }, mark: { type: 'point', filled: true, size: 160, stroke: 'black', strokeWidth: 0.6 },
        encoding: {
          x, y,
          color: { field: 'measured', type: 'nominal', title: 'measured class', scale: CLASS_COLORS, legend: { orient: 'bottom' } },
          shape: { field: 'agree', type: 'nominal', title: null, scale: { domain: ['measured = theory', 'measured ≠ theory'], range: ['circle', 'cross'] }, legend: { orient: 'bottom' } },
        },
      },
      { data: { values: rows }, mark: { type: 'text', dy: -14, fontSize: 10 }, encoding: { x, y, text: { field: 'text' } } },
    ],
  } as TopLevelSpec;
}

/** θ-lazy points at the largest width, seed 0: L(t)/L(0) measured (solid) and frozen-kernel prediction (dashed). */
export function lossRateChart(cells: readonly ThetaCell[], lazyLabels: ReadonlySet<string>, label: (c: ThetaCell) => string): TopLevelSpec {
  const mMax = Math.max(...cells.map((c) => c.width));
  const rows: Record<string, number | string>[] = [];
  for (const c of cells) {
    if (c.width !== mMax || c.seed !== 0 || c.status !== 'ok' || !lazyLabels.has(label(c))) continue;
    c.times.forEach((t, i) => {
      const u = t * c.lambdaMin;
      if (!(u > 0)) return;
      if (c.lossRatio[i] > 1e-5) rows.push({ u, L: c.lossRatio[i], point: label(c), curve: 'measured' });
      if (c.frozenRatio[i] > 1e-5) rows.push({ u, L: c.frozenRatio[i], point: label(c), curve: 'frozen kernel Θ̂_0' });
    });
  }
  const pos = (k: 'u' | 'L') => rows.map((r) => r[k] as number).filter((v) => v > 0);
  const Ls = pos('L'), us = pos('u');
  return {
    $schema: SCHEMA,
    title: { text: 'Loss decay in the θ-lazy area against the frozen kernel', subtitle: [`m = ${mMax}, seed 0; x = t·λ_min(Θ̂_0) (the slowest mode decays as e^{−2λ_min t/n}); dashed: (1/2n) Σ c_k² e^{−2λ_k t/n} from the network's own Θ̂_0 and f_0`] },
    width: 460, height: 300,
    data: { values: rows },
    mark: { type: 'line', strokeWidth: 1.6 },
    encoding: {
      x: { field: 'u', type: 'quantitative', title: 't · λ_min(Θ̂_0)', scale: { type: 'log', nice: false }, axis: { values: logTicks(Math.min(...us), Math.max(...us)), format: '~g', grid: true } },
      y: { field: 'L', type: 'quantitative', title: 'L(t)/L(0)', scale: { type: 'log', nice: false }, axis: { values: logTicks(Math.min(...Ls), Math.max(...Ls)), format: '~g' } },
      color: { field: 'point', type: 'nominal', title: null, legend: { orient: 'bottom', columns: 3 } },
      strokeDash: { field: 'curve', type: 'nominal', title: null, scale: { domain: ['measured', 'frozen kernel Θ̂_0'], range: [[1, 0], [5, 4]] }, legend: { orient: 'bottom' } },
    },
  } as TopLevelSpec;
}
