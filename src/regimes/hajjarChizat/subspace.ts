/**
 * The reduced PDE of a low-dimensional target against R^4 particles (Hajjar & Chizat 2023, arXiv
 * 2211.08771, low-dimensional targets; theory/subspace-reduction.md): ReLU, κ = 1, x ~ N(0, I/4),
 * exact population risk, target f* = √2 relu(2 x_1) (singleIndex.ts), i.i.d. init w uniform on
 * the unit sphere and a = ±1.
 *
 * Part A (mean-field GD, step η, `evals` velocity evaluations): for each m in `widths` and seed,
 * the particles and the reduced PDE take the same Euler steps (GD on the measure; the reduction
 * holds step by step, theory/subspace-reduction.md#discrete-time); at every evaluated state the
 * risk gap and the L² gap ‖f_m − f_∞‖ (subspaceCompare.ts), predicted O(m^{−1/2}). The reduced
 * PDE is solved on `nodes` and 2·`nodes` quadrature nodes; their gap is its own error.
 *
 * Part B (gradient flow, dopri5, to `alignTime`): the alignment Σ a² cos²θ / Σ a² of neurons with
 * e_1 (angles.ts) along time in the reduced PDE and for m in `alignWidths`, with the L² gap.
 */
import type { Status } from '../../core/errors.js';
import { Rng } from '../../core/rng.js';
import { parseActivation } from '../../finite/activation.js';
import type { CurveRecord, LongRecord } from '../../harness/types.js';
import { subspaceCosines } from '../../limits/meanfield/angles.js';
import { type ParticleInit, sampleParticles } from '../../limits/meanfield/particles.js';
import { createPopulationField } from '../../limits/meanfield/population.js';
import { integrate } from '../../limits/meanfield/steppers.js';
import { singleIndexRelu } from '../../limits/meanfield/subspace/singleIndex.js';
import { sphereInitQuadrature } from '../../limits/meanfield/subspace/reducedInit.js';
import { type ReducedTrajectory, predictorGap, reducedGap, reducedTrajectory } from './subspaceCompare.js';
import { weightedAlignment } from './symmetry.js';

export const SUBSPACE_DIM = 4;

export interface SubspaceConfig {
  widths: number[];
  seeds: number;
  seed: number;
  /** Part A: GD step η and number of velocity evaluations (evals − 1 steps). */
  eta: number;
  evals: number;
  /** Quadrature nodes N of the reduced initial law (M = 2N weighted points). */
  nodes: number;
  /** Part B: particle numbers, horizon, records, dopri5 rtol. */
  alignWidths: number[];
  alignTime: number;
  alignRecords: number;
  rtol: number;
}

export interface SubspaceResult {
  records: LongRecord[];
  curves: CurveRecord[];
  /** sup_k ‖f_∞^N − f_∞^{2N}‖ over part A's states: the reduced PDE's discretization error. */
  reducedSelfGap: number;
  status: Status;
  message: string;
}

const d = SUBSPACE_DIM, v = 1 / SUBSPACE_DIM;
const target = singleIndexRelu(d, v);
const model = { activation: parseActivation('relu'), wRate: 1 };
const init: ParticleInit = { kind: 'sphere', radius: 1, aScale: 1, symmetric: false };

/** The reduced PDE under `evals` Euler evaluations of step η (the same steps as the particles). */
function reducedGd(N: number, c: SubspaceConfig): ReducedTrajectory {
  const ri = sphereInitQuadrature(N);
  const times = Array.from({ length: c.evals }, (_x, k) => k * c.eta);
  return reducedTrajectory(target, v, ri, times, { kind: 'euler', dt: c.eta });
}

/** Part A for one (m, seed): Euler steps of the particles, gaps against the reduced trajectory. */
function particlesGd(m: number, s: number, c: SubspaceConfig, red: ReducedTrajectory, out: SubspaceResult): void {
  const field = createPopulationField(model, { kind: 'population', variance: v, target }, { m, d });
  const y = sampleParticles(init, { m, d }, new Rng(c.seed).child(`particles/m${m}/s${s}`));
  const dy = new Float64Array(y.length);
  const cos = new Float64Array(m);
  const gaps: number[] = [], riskGaps: number[] = [];
  let last = { R: NaN, A: NaN };
  for (let k = 0; k < c.evals; k++) {
    const R = field.velocity(y, dy);
    gaps.push(predictorGap(y, m, d, R, target, v, red.states[k], red.init, red.energy[k]));
    riskGaps.push(R - red.risk[k]);
    last = { R, A: weightedAlignment(y, { m, d }, subspaceCosines(y, { m, d }, { kind: 'coordinates', dim: 1 }, cos)) };
    if (s === 0) out.curves.push({ width: m, seed: s, kind: 'gd', time: k * c.eta, quantity: 'fGap', value: gaps[k] });
    if (k < c.evals - 1) for (let i = 0; i < y.length; i++) y[i] += c.eta * dy[i];
  }
  const ok = Number.isFinite(last.R);
  const rec = (metric: string, value: number) => out.records.push({ width: m, seed: s, metric, value: ok ? value : NaN });
  const K = c.evals - 1;
  rec('fGapEnd', gaps[K]);
  rec('fGapSup', Math.max(...gaps.slice(1)));
  rec('fGapScaled', Math.sqrt(m) * gaps[K]);
  rec('riskGapSup', Math.max(...riskGaps.slice(1).map(Math.abs)));
  rec('riskDiffScaled', Math.sqrt(m) * riskGaps[K]);
  rec('alignDiffScaled', Math.sqrt(m) * (last.A - red.alignment[K]));
}

/** Part B for one (m, seed): the flow of the particles against the reduced flow `red` at the same times. */
function particlesFlow(m: number, s: number, c: SubspaceConfig, times: number[], red: ReducedTrajectory, out: SubspaceResult): string | null {
  const field = createPopulationField(model, { kind: 'population', variance: v, target }, { m, d });
  const y0 = sampleParticles(init, { m, d }, new Rng(c.seed).child(`flow/m${m}/s${s}`));
  const cos = new Float64Array(m);
  const gaps: number[] = [], align: number[] = [];
  const r = integrate((_t, y, dy) => field.velocity(y, dy), y0, times, { kind: 'dopri5', rtol: c.rtol, atol: 1e-2 * c.rtol }, (k, t, y) => {
    gaps.push(predictorGap(y, m, d, field.risk(y), target, v, red.states[k], red.init, red.energy[k]));
    align.push(weightedAlignment(y, { m, d }, subspaceCosines(y, { m, d }, { kind: 'coordinates', dim: 1 }, cos)));
    if (s === 0) out.curves.push({ width: m, seed: s, kind: 'flow', time: t, quantity: 'alignment', value: align[k] });
  });
  const ok = r.status === 'ok';
  const rec = (metric: string, value: number) => out.records.push({ width: m, seed: s, metric, value: ok ? value : NaN });
  rec('flowGapSup', Math.max(...gaps.slice(1)));
  rec('alignGapSup', Math.max(...align.map((a, k) => Math.abs(a - red.alignment[k]))));
  rec('alignEnd', align[align.length - 1]);
  rec('alignEndReduced', red.alignment[red.alignment.length - 1]);
  return ok ? null : `flow m = ${m} seed ${s}: ${r.status} ${r.message}`;
}

export function runSubspace(c: SubspaceConfig): SubspaceResult {
  const out: SubspaceResult = { records: [], curves: [], reducedSelfGap: NaN, status: 'ok', message: '' };
  const bad: string[] = [];
  const red = reducedGd(c.nodes, c);
  const fine = reducedGd(2 * c.nodes, c);
  if (red.status !== 'ok' || fine.status !== 'ok') bad.push(`reduced GD: ${red.message} ${fine.message}`);
  out.reducedSelfGap = Math.max(...red.states.map((y, k) => reducedGap(y, red.init, fine.states[k], fine.init, v)));
  red.risk.forEach((R, k) => out.curves.push({ width: null, seed: null, kind: 'gd', time: k * c.eta, quantity: 'riskReduced', value: R }));
  for (const m of c.widths) for (let s = 0; s < c.seeds; s++) particlesGd(m, s, c, red, out);
  if (c.alignWidths.length > 0) {
    const times = Array.from({ length: c.alignRecords + 1 }, (_x, k) => (c.alignTime * k) / c.alignRecords);
    const flow = reducedTrajectory(target, v, sphereInitQuadrature(c.nodes), times, { kind: 'dopri5', rtol: c.rtol, atol: 1e-2 * c.rtol });
    if (flow.status !== 'ok') bad.push(`reduced flow: ${flow.status} ${flow.message}`);
    flow.alignment.forEach((a, k) => out.curves.push({ width: null, seed: null, kind: 'flow', time: times[k], quantity: 'alignmentReduced', value: a }));
    flow.risk.forEach((R, k) => out.curves.push({ width: null, seed: null, kind: 'flow', time: times[k], quantity: 'riskReduced', value: R }));
    for (const m of c.alignWidths) for (let s = 0; s < c.seeds; s++) {
      const e = particlesFlow(m, s, c, times, flow, out);
      if (e) bad.push(e);
    }
  }
  if (bad.length) { out.status = 'failed'; out.message = bad.join('; '); }
  return out;
}
