/**
 * Early directional convergence from small initialization (Kumar & Haupt 2024, arXiv
 * 2403.08121, Theorem 3.1 / theory/kumar-haupt.md): for each init scale δ and seed, train the p-homogeneous
 * network from w_0 = δŵ by gradient flow on ½‖H(X; w) − y‖² (flow.ts) and compare the weight
 * direction with the KKT point u* of max N(u) s.t. ‖u‖ = 1 reached by projected ascent from ŵ
 * (kkt.ts). Long-format records, swept variable 1/δ (so the harness's "width" axis is 1/δ):
 *
 * - alignTime          t_align: first flow time with cos(w(t), u*) ≥ threshold; predicted
 *                      ∝ δ^{−(p−2)}, i.e. exponent +(p−2) against 1/δ;
 * - alignTimeRescaled  s_align = t_align δ^{p−2} (predicted independent of δ);
 * - cosineAtScale      cos(w, u*) at t = s_ref δ^{−(p−2)}, s_ref the first time the δ → 0 limit
 *                      flow (the NCF flow) reaches cos ≥ refCosine: the predicted time scale;
 * - maxCosine          max_t cos(w(t), u*) before the escape;
 * - normAtAlign        ‖w(t_align)‖/δ (predicted O(1): the weights are still O(δ));
 * - rankRatio.W<l>     s_2/s_1 of layer l of w at the predicted time; kktRankRatio.W<l> of u*.
 *
 * Curves against s / s_ref (the rescaled time s = t δ^{p−2} in units of the seed's predicted
 * alignment time), resampled on a common grid so that seeds can be averaged: cosineToKkt, log10NormOverDelta (log₁₀ ‖w‖/δ), lossRatio (Loss/Loss_0); the NCF flow
 * (kind `ncf-flow`, width null) as the δ → 0 reference.
 */
import type { Status } from '../../core/errors.js';
import { Rng } from '../../core/rng.js';
import type { Dataset } from '../../data/dataset.js';
import type { Activation } from '../../finite/activation.js';
import type { CurveRecord, LongRecord } from '../../harness/types.js';
import { balancedUnitDirection, homogeneousNet } from './homogeneous.js';
import { type KktOptions, type KktPoint, cosine, kktByProjectedAscent } from './kkt.js';
import { correlationProblem } from './ncf.js';
import { type RescaledFlow, norm, rescaledFlow } from './flow.js';
import { layerRankRatios } from './rankOne.js';

export interface KumarHauptConfig {
  /** Hidden width h and hidden layers L (p = L + 1). */
  width: number;
  depth: number;
  activation: Activation;
  /** Initial scales δ. */
  deltas: number[];
  seeds: number;
  /** Base seed: the direction of seed index s comes from new Rng(initSeed + s).child('direction'). */
  initSeed: number;
  /** Cosine that defines t_align (default 0.99). */
  threshold: number;
  /** Cosine of the limit flow that defines the predicted time s_ref (default 0.999). */
  refCosine: number;
  /** The run stops when Loss ≤ escapeLoss · Loss_0 (default 0.5): the escape from the origin. */
  escapeLoss: number;
  /** Step of the flow in the clock σ, in units of 1/(p N(u*)) (default 0.02). */
  dSigma: number;
  /** Steps budget of one flow (default 50 000). */
  maxSteps: number;
  kkt: KktOptions;
  /** Points of the common time grid of the curves (default 300). */
  curvePoints: number;
}

export interface SeedSummary {
  seed: number;
  kkt: Omit<KktPoint, 'u'>;
  /** s_ref of the NCF flow and its blow-up time (last grid point). */
  sRef: number;
  sBlowUp: number;
  status: Status;
  message: string;
}

export interface KumarHauptResult {
  /** p. */
  degree: number;
  records: LongRecord[];
  curves: CurveRecord[];
  seeds: SeedSummary[];
  status: Status;
  message: string;
}

interface Run {
  delta: number | null;
  seed: number;
  /** s_ref of the seed (curves are drawn against s / s_ref). */
  sRef: number;
  flow: RescaledFlow;
  cos: number[];
}

export function runKumarHaupt(c: KumarHauptConfig, data: Dataset): KumarHauptResult {
  const net = homogeneousNet(data.x.cols, data.y.cols, c.width, c.depth, c.activation);
  const p = net.degree;
  const ncf = correlationProblem(net, data.x, data.y);
  const loss0 = 0.5 * data.y.data.reduce((a, v) => a + v * v, 0);
  const records: LongRecord[] = [];
  const seeds: SeedSummary[] = [];
  const runs: Run[] = [];
  const deltas = [...c.deltas].sort((a, b) => b - a);
  for (let s = 0; s < c.seeds; s++) {
    const w0 = balancedUnitDirection(net, new Rng(c.initSeed + s).child('direction'));
    const kkt = kktByProjectedAscent(ncf, w0, c.kkt);
    const { u, ...kktInfo } = kkt;
    const dSigma = c.dSigma / (p * Math.max(kkt.value, 1e-300));
    const limit = rescaledFlow(ncf, w0, { delta: 0, dSigma, maxSteps: c.maxSteps, stop: (_s, v) => norm(v) > 1e8 });
    const limitCos = limit.states.map((v) => cosine(v, u));
    const sRef = crossing(limit.times, limitCos, c.refCosine);
    const summary: SeedSummary = {
      seed: s, kkt: kktInfo, sRef, sBlowUp: limit.times[limit.times.length - 1], status: 'ok', message: '',
    };
    if (kkt.status !== 'ok' || !(kkt.value > 0)) {
      Object.assign(summary, { status: 'failed', message: `KKT search: ${kkt.status} ${kkt.message} (N(u*) = ${kkt.value})` });
    } else if (!Number.isFinite(sRef)) {
      Object.assign(summary, { status: 'failed', message: `the NCF flow did not reach cos ${c.refCosine} with u* (max ${Math.max(...limitCos).toFixed(5)}; ${limit.message})` });
    }
    seeds.push(summary);
    runs.push({ delta: null, seed: s, sRef, flow: limit, cos: limitCos });
    const kktRanks = layerRankRatios(net.arch, u);
    for (const delta of deltas) {
      const x = 1 / delta;
      const flow = rescaledFlow(ncf, w0, { delta, dSigma, maxSteps: c.maxSteps, stop: (_s, _v, loss) => loss <= c.escapeLoss * loss0 });
      const cos = flow.states.map((v) => cosine(v, u));
      runs.push({ delta, seed: s, sRef, flow, cos });
      const ok = summary.status === 'ok' && flow.status === 'ok';
      const rec = (metric: string, value: number) => records.push({ width: x, seed: s, metric, value: ok ? value : NaN });
      const sAlign = crossing(flow.times, cos, c.threshold);
      const scale = Math.pow(delta, p - 2);
      rec('alignTime', sAlign / scale);
      rec('alignTimeRescaled', sAlign);
      rec('cosineAtScale', interpolate(flow.times, cos, sRef));
      rec('maxCosine', Math.max(...cos));
      rec('normAtAlign', interpolate(flow.times, flow.states.map(norm), sAlign));
      const atRef = stateAt(flow, sRef);
      const ranks = atRef ? layerRankRatios(net.arch, atRef) : kktRanks.map(() => NaN);
      net.arch.layers.forEach((lay, l) => {
        if (Math.min(lay.nIn, lay.nOut) < 2) return;
        rec(`rankRatio.W${l + 1}`, ranks[l]);
        rec(`kktRankRatio.W${l + 1}`, kktRanks[l]);
      });
      if (flow.status !== 'ok' && summary.status === 'ok') {
        Object.assign(summary, { status: flow.status, message: flow.message });
      }
    }
  }
  const failed = seeds.filter((x) => x.status !== 'ok');
  return {
    degree: p, records, curves: curvesOf(runs, c.curvePoints), seeds,
    status: failed.length === 0 ? 'ok' : 'failed',
    message: failed.map((x) => `seed ${x.seed}: ${x.message}`).join('; '),
  };
}

/** First time at which `values` reaches `level` (linear interpolation between grid points), or NaN. */
export function crossing(times: number[], values: number[], level: number): number {
  for (let i = 0; i < values.length; i++) {
    if (values[i] >= level) {
      if (i === 0) return times[0];
      const f = (level - values[i - 1]) / (values[i] - values[i - 1]);
      return times[i - 1] + f * (times[i] - times[i - 1]);
    }
  }
  return NaN;
}

/** Linear interpolation of `values` at time t (NaN outside the grid). */
export function interpolate(times: number[], values: number[], t: number): number {
  if (!(t >= times[0]) || t > times[times.length - 1]) return NaN;
  let i = 1;
  while (i < times.length - 1 && times[i] < t) i++;
  const f = (t - times[i - 1]) / (times[i] - times[i - 1] || 1);
  return values[i - 1] + f * (values[i] - values[i - 1]);
}

/** The state at the first grid point at or after s (null if beyond the run). */
function stateAt(flow: RescaledFlow, s: number): Float64Array | null {
  if (!Number.isFinite(s)) return null;
  const i = flow.times.findIndex((t) => t >= s);
  return i >= 0 ? flow.states[i] : null;
}

/**
 * Curves of every run against s / s_ref (the rescaled time in units of the seed's predicted
 * alignment time, so that seeds line up), on one common grid [0, max end].
 */
function curvesOf(runs: Run[], points: number): CurveRecord[] {
  const usable = runs.filter((r) => Number.isFinite(r.sRef) && r.sRef > 0);
  if (usable.length === 0) return [];
  const end = Math.max(...usable.map((r) => r.flow.times[r.flow.times.length - 1] / r.sRef));
  const grid = Array.from({ length: points }, (_x, i) => (end * i) / (points - 1));
  const out: CurveRecord[] = [];
  for (const r of usable) {
    const t = r.flow.times.map((x) => x / r.sRef);
    const width = r.delta === null ? null : 1 / r.delta;
    const kind = r.delta === null ? 'ncf-flow' : 'flow';
    const logNorm = r.flow.states.map((v) => Math.log10(norm(v)));
    const lossRatio = r.flow.losses.map((l) => l / r.flow.losses[0]);
    for (const s of grid) {
      if (s > t[t.length - 1]) break;
      out.push({ width, seed: r.seed, kind, time: s, quantity: 'cosineToKkt', value: interpolate(t, r.cos, s) });
      out.push({ width, seed: r.seed, kind, time: s, quantity: 'log10NormOverDelta', value: interpolate(t, logNorm, s) });
      if (r.delta !== null) out.push({ width, seed: r.seed, kind, time: s, quantity: 'lossRatio', value: interpolate(t, lossRatio, s) });
    }
  }
  return out;
}
