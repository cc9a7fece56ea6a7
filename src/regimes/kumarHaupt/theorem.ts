/**
 * Kumar & Haupt inside their theorem (arXiv 2403.08121, Theorem 3.1 and §4;
 * theory/kumar-haupt.md#inside-the-theorem): one-hidden-layer polynomial-leaky-ReLU networks
 * (polyNet.ts), homogeneous of degree p with locally Lipschitz gradients (p ≥ 3), trained by
 * gradient flow in the original time from w(0) = δŵ (originalFlow.ts); p = 2 (leaky ReLU) as the
 * contrast. For each p, seed (initial direction ŵ) and δ, records against x = 1/δ:
 *
 *   alignTime.pP      t_align: first t with cos(w(t), u*) ≥ threshold   (predicted ∝ δ^{−(p−2)})
 *   normAtAlign.pP    ‖w(t_align)‖/δ                                    (predicted O(1))
 *   cosineAtScale.pP  cos(w, u*) at t = s_ref δ^{−(p−2)}
 *   escapeTime.pP     first t with Loss ≤ escapeLoss · Loss(0)
 *
 * u* is the KKT point the NCF flow from ŵ runs into (its direction at blow-up, polished by
 * projected ascent, kkt.ts); s_ref the first time that flow reaches cos ≥ refCosine with u*.
 */
import { fitLine } from '../../core/fit.js';
import type { Status } from '../../core/errors.js';
import { Rng } from '../../core/rng.js';
import type { LongRecord } from '../../harness/types.js';
import { crossing, interpolate } from './experiment.js';
import { cosine, kktByProjectedAscent } from './kkt.js';
import { type FlowRecord, leakyFlow, ncfFlow, trainingFlow, vectorNorm } from './originalFlow.js';
import { balancedPolyDirection, type PolyProblem, polyNet, polyProblem } from './polyNet.js';
import { type RankOneConditions, rankOneConditions } from './rankOneConditions.js';

export interface TheoremConfig {
  degrees: number[];
  width: number;
  alpha: number;
  deltas: number[];
  seeds: number;
  initSeed: number;
  threshold: number;
  refCosine: number;
  escapeLoss: number;
  rtol: number;
  maxSteps: number;
  /** alignTime and normAtAlign are recorded (and fitted) for δ ≤ fitDeltaMax only (theory/kumar-haupt.md#finite-delta). */
  fitDeltaMax: number;
  /** Asymptotic range δ·R ≤ asymptoticBound (theory/kumar-haupt.md#finite-delta). */
  asymptoticBound: number;
  /** δ at or below which the cosine at the predicted time is claimed. */
  claimDelta: number;
  /** p = 2: KKT residual accepted at the leaky-ReLU kink floor. */
  leakyResidual: number;
  /** p = 2: fixed step Δt = leakyStep / ‖∇N(ŵ)‖ (originalFlow.ts#leakyFlow). */
  leakyStep: number;
  /** The NCF flow stops when ‖v‖ reaches this (blow-up for p > 2, exponential growth for p = 2). */
  blowUpNorm: number;
  /**
   * Also measure cos(w, u*) on the norm clock: where ‖w‖/δ first reaches R_ref (the NCF flow's norm at
   * cos = refCosine), record `cosineAtNorm.pP` (theory/kumar-haupt.md#norm-clock). Absent: not measured.
   */
  normClock?: boolean;
}

export interface TheoremSeed {
  degree: number;
  seed: number;
  /** N(u*), its KKT residual, cos between the flow's end direction and u*, s_ref, s at the flow's end. */
  value: number;
  residual: number;
  flowToKkt: number;
  sRef: number;
  sEnd: number;
  conditions: RankOneConditions;
  /** ‖v‖ of the NCF flow where it first reaches cos ≥ threshold (R_c) and ≥ refCosine (R_ref). */
  rc: number;
  rRef: number;
  /**
   * Per-seed fits over the δ inside the asymptotic range δ·R_c ≤ asymptoticBound (fixed before the
   * training runs, from the δ = 0 flow; theory/kumar-haupt.md#finite-delta): slopes of
   * ln t_align and ln(‖w(t_align)‖/δ) against ln(1/δ) (NaN with fewer than 2 such δ), the number
   * of such δ, and the smallest cos at the predicted time over δ ≤ claimDelta with δ·R_ref ≤ bound.
   */
  alignSlope: number;
  normSlope: number;
  asymptoticDeltas: number;
  minCosAsymptotic: number;
  /** With `normClock`: the smallest cos at ‖w‖/δ = R_ref over the same δ as minCosAsymptotic. */
  minCosNormAsymptotic?: number;
  /** p = 2: slope of t_escape against ln(1/δ), times 2N(u*) (predicted 1). */
  escapeSlopeRatio: number;
  status: Status;
  message: string;
}

export interface TheoremResult {
  records: LongRecord[];
  seeds: TheoremSeed[];
  status: Status;
  message: string;
}

export function runTheorem(c: TheoremConfig, x: Float64Array, y: Float64Array, d: number): TheoremResult {
  const records: LongRecord[] = [];
  const seeds: TheoremSeed[] = [];
  for (const p of c.degrees) {
    const prob = polyProblem(polyNet(d, c.width, p - 1, c.alpha), x, y);
    for (let s = 0; s < c.seeds; s++) {
      const w0 = balancedPolyDirection(prob.net, new Rng(c.initSeed + s).child('direction'));
      seeds.push(runSeed(c, prob, p, s, w0, records));
    }
  }
  const bad = seeds.filter((z) => z.status !== 'ok');
  return {
    records, seeds, status: bad.length ? 'failed' : 'ok',
    message: bad.map((z) => `p = ${z.degree}, seed ${z.seed}: ${z.message}`).join('; '),
  };
}

function runSeed(c: TheoremConfig, prob: PolyProblem, p: number, s: number, w0: Float64Array, records: LongRecord[]): TheoremSeed {
  const gradient0 = new Float64Array(w0.length);
  prob.ncf(w0, gradient0);
  const dt = c.leakyStep / vectorNorm(gradient0);
  const limitStop = (_t: number, v: Float64Array) => vectorNorm(v) >= c.blowUpNorm;
  const limit = p === 2
    ? leakyFlow(prob, w0, 0, dt, { maxSteps: c.maxSteps, stop: limitStop })
    : ncfFlow(prob, w0, { rtol: c.rtol, tMax: 1e12, maxSteps: c.maxSteps, stop: limitStop });
  const end = limit.states[limit.states.length - 1];
  const ncfProblem = { net: { degree: p }, value: (u: Float64Array) => prob.ncf(u), gradient: (u: Float64Array, g: Float64Array) => prob.ncf(u, g) };
  // p = 2: leaky-ReLU kinks leave a residual floor (theory/kumar-haupt.md#ascent)
  const kkt = kktByProjectedAscent(ncfProblem, end, { angle: 1e-3, acceptable: p === 2 ? c.leakyResidual : 1e-6 });
  const u = kkt.u;
  const limitCos = limit.states.map((v) => cosine(v, u));
  const sRef = crossing(limit.times, limitCos, c.refCosine);
  const limitNorms = limit.states.map(vectorNorm);
  const rc = interpolate(limit.times, limitNorms, crossing(limit.times, limitCos, c.threshold));
  const rRef = interpolate(limit.times, limitNorms, sRef);
  const out: TheoremSeed = {
    degree: p, seed: s, value: kkt.value, residual: kkt.residual, flowToKkt: cosine(end, u), sRef,
    sEnd: limit.times[limit.times.length - 1], conditions: rankOneConditions(prob, u), escapeSlopeRatio: NaN,
    rc, rRef, alignSlope: NaN, normSlope: NaN, asymptoticDeltas: 0, minCosAsymptotic: NaN, status: 'ok', message: '',
  };
  const inside: { x: number; t: number; n: number }[] = [];
  let minCos = Infinity;
  let minCosNorm = Infinity;
  if (limit.status !== 'ok') Object.assign(out, { status: limit.status, message: `NCF flow: ${limit.message}` });
  else if (kkt.status !== 'ok' || !(kkt.value > 0)) Object.assign(out, { status: 'failed', message: `KKT polish: ${kkt.status} ${kkt.message}` });
  else if (!(out.flowToKkt >= c.refCosine)) Object.assign(out, { status: 'failed', message: `the NCF flow's end direction is not at the polished KKT point (cos ${out.flowToKkt.toFixed(4)} < ${c.refCosine}): raise blowUpNorm` });
  const escapes: number[] = [];
  for (const delta of c.deltas) {
    const scale = Math.pow(delta, -(p - 2));
    const w = w0.map((v) => delta * v);
    const loss0 = 0.5 * prob.y.reduce((a, v) => a + v * v, 0);
    const tMax = 1e3 * scale * (out.sEnd + Math.log(1 / delta));
    const stop = (_t: number, _w: Float64Array, l: number) => l <= c.escapeLoss * loss0;
    const flow = p === 2
      ? leakyFlow(prob, w, delta, dt, { maxSteps: c.maxSteps, stop })
      : trainingFlow(prob, w, { rtol: c.rtol, tMax, maxSteps: c.maxSteps, stop });
    const m = measure(flow, u, c, delta, sRef * scale, c.normClock ? rRef : NaN);
    // At δ ≤ 1e-5 (p = 4) the escape happens at t ~ 1e11, where the controller's step floor
    // 1e-14·t meets the O(1) escape dynamics (theory/kumar-haupt.md#original-time): a run that
    // stops there after the predicted time and after aligning keeps its early-phase measurements.
    const earlyOk = flow.times[flow.times.length - 1] >= sRef * scale && Number.isFinite(m.tAlign);
    if (flow.status !== 'ok' && !earlyOk && out.status === 'ok') Object.assign(out, { status: flow.status, message: `δ = ${delta}: ${flow.message}` });
    if (flow.status !== 'ok') m.tEscape = NaN;
    const ok = out.status === 'ok';
    const rec = (metric: string, value: number) => records.push({ width: 1 / delta, seed: s, metric: `${metric}.p${p}`, value: ok ? value : NaN });
    if (delta <= c.fitDeltaMax * (1 + 1e-9)) {
      rec('alignTime', m.tAlign);
      rec('normAtAlign', m.normAtAlign);
    }
    rec('cosineAtScale', m.cosAtScale);
    if (c.normClock) rec('cosineAtNorm', m.cosAtNorm);
    rec('maxCosine', m.maxCos);
    rec('escapeTime', m.tEscape);
    escapes.push(m.tEscape);
    if (delta * rc <= c.asymptoticBound) inside.push({ x: Math.log(1 / delta), t: Math.log(m.tAlign), n: Math.log(m.normAtAlign) });
    if (delta <= c.claimDelta * (1 + 1e-9) && delta * rRef <= c.asymptoticBound) {
      minCos = Math.min(minCos, Number.isFinite(m.cosAtScale) ? m.cosAtScale : -Infinity);
      minCosNorm = Math.min(minCosNorm, Number.isFinite(m.cosAtNorm) ? m.cosAtNorm : -Infinity);
    }
  }
  out.asymptoticDeltas = inside.length;
  out.minCosAsymptotic = Number.isFinite(minCos) ? minCos : NaN;
  if (c.normClock) out.minCosNormAsymptotic = Number.isFinite(minCosNorm) ? minCosNorm : NaN;
  if (inside.length >= 2 && out.status === 'ok') {
    out.alignSlope = fitLine(inside.map((z) => z.x), inside.map((z) => z.t)).slope;
    out.normSlope = fitLine(inside.map((z) => z.x), inside.map((z) => z.n)).slope;
  }
  if (p === 2) out.escapeSlopeRatio = fitLine(c.deltas.map((dl) => Math.log(1 / dl)), escapes).slope * 2 * kkt.value;
  return out;
}

interface Measured {
  tAlign: number;
  normAtAlign: number;
  cosAtScale: number;
  maxCos: number;
  tEscape: number;
  /** cos(w, u*) where ‖w‖/δ first reaches `normLevel` (NaN when not asked or never reached). */
  cosAtNorm: number;
}

function measure(flow: FlowRecord, u: Float64Array, c: TheoremConfig, delta: number, tScale: number, normLevel: number): Measured {
  const cos = flow.states.map((w) => cosine(w, u));
  const norms = flow.states.map((w) => vectorNorm(w) / delta);
  const tAlign = crossing(flow.times, cos, c.threshold);
  const loss0 = flow.values[0];
  const below = flow.values.map((l) => -l / loss0);
  return {
    tAlign,
    normAtAlign: interpolate(flow.times, norms, tAlign),
    cosAtScale: interpolate(flow.times, cos, tScale),
    maxCos: Math.max(...cos),
    tEscape: crossing(flow.times, below, -c.escapeLoss),
    cosAtNorm: Number.isFinite(normLevel) ? interpolate(flow.times, cos, crossing(flow.times, norms, normLevel)) : NaN,
  };
}
