/**
 * The odd-target experiment (theory/meanfield.md#odd-target; Hajjar, Chizat 2023, arXiv 2211.08771, odd targets;
 * theory/meanfield.md#odd-target): particle systems with m particles against the reduced sinh
 * ODE, for several m and seeds.
 *
 * Setting (the authors'): x ~ N(0, I/d), f* = C Σ_k z_k x_k³ with ½E f*² = 1 (targets.ts), ReLU
 * without bias, κ = 1, w_j uniform on the unit sphere, a_j = ±1, the symmetric pairing
 * (a, w) / (−a, −w), exact population risk, mean-field time t.
 *
 * Field. For a paired configuration the network is exactly linear, f(x) = w_t·x with
 * w_t = ½ (1/m) Σ_j a_j w_j, and the exact population velocity of every particle is
 *   ȧ_j = w_j·g,   ẇ_j = a_j g,   g = ½ (X̄ − v w_t)
 * (theory/meanfield.md#odd-target, step 2; identical to the arc-cosine field of population.ts to
 * rounding — checked in the tests and, at one width, inside every run). It costs O(m d) instead
 * of O(m² d), so large m are affordable; `field: 'population'` runs the general O(m² d) field.
 *
 * Measured per (m, seed): `wDistance` = sup_t ‖w_t^(m) − w_t^ODE‖ (the predictor's coefficient;
 * for a linear predictor ‖f − f^ODE‖_{L²} = √v · this), `riskSup` = sup_t |R_t^(m) − R_t^ODE|.
 * Propagation of chaos: both O(m^{−1/2}).
 */
import type { Status } from '../../core/errors.js';
import { Rng } from '../../core/rng.js';
import { parseActivation } from '../../finite/activation.js';
import type { Risk } from '../../limits/meanfield/field.js';
import { runParticleFlow } from '../../limits/meanfield/flow.js';
import { initialV, solveOddReduced } from '../../limits/meanfield/oddTarget.js';
import { type ParticleInit, type ParticleShape, linearCoefficient, sampleParticles } from '../../limits/meanfield/particles.js';
import { type Scheme, type VectorField, integrate } from '../../limits/meanfield/steppers.js';
import { cubicOddTarget } from '../../limits/meanfield/targets.js';

export interface OddExperimentConfig {
  /** Input dimension d (x ~ N(0, I/d)). */
  dim: number;
  /** Numbers of particles m (even: the symmetric pairing). */
  widths: number[];
  seeds: number;
  /** Mean-field time horizon; records at tMax·k/records, k = 0..records. */
  tMax: number;
  records: number;
  /** dopri5 tolerance of the particle systems (atol = 1e-2·rtol). */
  rtol: number;
  /** `paired`: the O(md) exact field of a paired configuration; `population`: the general O(m²d) one. */
  field: 'paired' | 'population';
  /** Run this m (seed 0) with both fields and report the largest difference of w_t (0: skip). */
  crossCheckWidth: number;
  /** Base seed of the streams `target` (z of f*) and `particles/m<m>/s<s>`. */
  seed: number | string;
}

export interface OddRecord { width: number; seed: number | null; metric: string; value: number }
export interface OddCurve { width: number | null; seed: number | null; kind: string; time: number; quantity: string; value: number }

export interface OddExperimentResult {
  records: OddRecord[];
  curves: OddCurve[];
  status: Status;
  message: string;
  /** ‖w*‖, V, the ODE's final ‖w_t‖, and the cross-check difference (NaN when skipped). */
  summary: { wStar: number; V: number; wFinal: number; crossCheck: number };
}

/** The problem of the experiment: target, risk, init law, ODE constants. */
export function oddProblem(c: Pick<OddExperimentConfig, 'dim' | 'seed'>) {
  const d = c.dim;
  const v = 1 / d;
  const target = cubicOddTarget(d, v, new Rng(c.seed).child('target'));
  const xn = Math.hypot(...target.xbar);
  const init: ParticleInit = { kind: 'sphere', radius: 1, aScale: 1, symmetric: true };
  const risk: Risk & { kind: 'population' } = { kind: 'population', variance: v, target };
  return { d, v, target, xn, init, risk, ode: { xbarNorm: xn, variance: v, V: initialV(init, d) } };
}

/**
 * The exact population velocity of a paired configuration (ReLU, κ = 1, odd target with
 * X̄ = `xbar`, x ~ N(0, vI)): ȧ_j = w_j·g, ẇ_j = a_j g, g = ½(X̄ − v w_t). Only valid when
 * particle j + m/2 is (−a_j, −w_j) — a property the flow keeps.
 */
export function pairedOddField(xbar: Float64Array, v: number, shape: ParticleShape): VectorField {
  const { m, d } = shape;
  const w = new Float64Array(d);
  const g = new Float64Array(d);
  return (_t, y, dy) => {
    linearCoefficient(y, shape, w);
    for (let i = 0; i < d; i++) g[i] = 0.5 * (xbar[i] - v * w[i]);
    for (let j = 0; j < m; j++) {
      const o = m + j * d;
      const aj = y[j];
      let s = 0;
      for (let i = 0; i < d; i++) {
        s += y[o + i] * g[i];
        dy[o + i] = aj * g[i];
      }
      dy[j] = s;
    }
  };
}

/** Population risk ½E(w·x − f*)² = ½(v‖w‖² − 2w·X̄ + E f*²) of the linear predictor w. */
export function linearRisk(w: Float64Array, xbar: Float64Array, v: number, energy: number): number {
  let ww = 0, wx = 0;
  for (let i = 0; i < w.length; i++) { ww += w[i] * w[i]; wx += w[i] * xbar[i]; }
  return 0.5 * (v * ww - 2 * wx + energy);
}

interface Trajectory { status: Status; message: string; w: Float64Array[] }

/** One particle system's w_t at `times`, with the paired or the general field. */
function trajectory(c: OddExperimentConfig, p: ReturnType<typeof oddProblem>, shape: ParticleShape, y0: Float64Array,
  times: number[], field: 'paired' | 'population'): Trajectory {
  const scheme: Scheme = { kind: 'dopri5', rtol: c.rtol, atol: 1e-2 * c.rtol };
  const w: Float64Array[] = [];
  const save = (_k: number, _t: number, y: Float64Array) => { w.push(linearCoefficient(y, shape)); };
  if (field === 'paired') {
    const r = integrate(pairedOddField(p.target.xbar, p.v, shape), y0, times, scheme, save);
    return { status: r.status, message: r.message, w };
  }
  const relu = { activation: parseActivation('relu'), wRate: 1 };
  const r = runParticleFlow(relu, p.risk, shape, y0, { times, scheme, recordRisk: false, observe: save });
  return { status: r.status, message: r.message, w };
}

/** Run the experiment; `tick` after every (m, seed). */
export function runOddExperiment(c: OddExperimentConfig, tick?: (m: number, s: number, status: Status, seconds: number) => void): OddExperimentResult {
  const p = oddProblem(c);
  const times = Array.from({ length: c.records + 1 }, (_, k) => (c.tMax * k) / c.records);
  const ode = solveOddReduced(p.ode, times);
  const dir = p.target.xbar.map((x) => x / p.xn);
  const odeW = (k: number) => dir.map((u) => ode.wNorm[k] * u);
  const energy = p.target.energy;
  const records: OddRecord[] = [];
  const curves: OddCurve[] = [];
  times.forEach((t, k) => {
    if (k >= ode.wNorm.length) return;
    curves.push({ width: null, seed: null, kind: 'limit', time: t, quantity: 'wNorm', value: ode.wNorm[k] });
    curves.push({ width: null, seed: null, kind: 'limit', time: t, quantity: 'risk', value: linearRisk(odeW(k), p.target.xbar, p.v, energy) });
  });
  let status: Status = ode.status;
  let message = ode.status === 'ok' ? '' : `reduced ODE: ${ode.message}`;
  const base = new Rng(c.seed);
  for (const m of c.widths) {
    const shape = { m, d: p.d };
    for (let s = 0; s < c.seeds; s++) {
      const t0 = performance.now();
      const y0 = sampleParticles(p.init, shape, base.child(`particles/m${m}/s${s}`));
      const r = trajectory(c, p, shape, y0, times, c.field);
      let wDist = 0, riskDist = 0;
      r.w.forEach((w, k) => {
        const wo = odeW(k);
        const dist = Math.hypot(...w.map((x, i) => x - wo[i]));
        const risk = linearRisk(w, p.target.xbar, p.v, energy);
        const riskOde = linearRisk(wo, p.target.xbar, p.v, energy);
        wDist = Math.max(wDist, dist);
        riskDist = Math.max(riskDist, Math.abs(risk - riskOde));
        curves.push({ width: m, seed: s, kind: 'finite', time: times[k], quantity: 'wNorm', value: Math.hypot(...w) });
        curves.push({ width: m, seed: s, kind: 'finite', time: times[k], quantity: 'risk', value: risk });
        curves.push({ width: m, seed: s, kind: 'finite', time: times[k], quantity: 'wDistance', value: dist });
      });
      const ok = r.status === 'ok' && r.w.length === times.length && ode.status === 'ok';
      if (r.status !== 'ok' && status === 'ok') { status = r.status; message = `m = ${m}, seed ${s}: ${r.message}`; }
      records.push({ width: m, seed: s, metric: 'wDistance', value: ok ? wDist : NaN });
      records.push({ width: m, seed: s, metric: 'riskSup', value: ok ? riskDist : NaN });
      tick?.(m, s, r.status, (performance.now() - t0) / 1000);
    }
  }
  const crossCheck = c.crossCheckWidth > 0 ? fieldCrossCheck(c, p, times, base) : NaN;
  if (c.crossCheckWidth > 0) records.push({ width: c.crossCheckWidth, seed: null, metric: 'fieldCrossCheck', value: crossCheck });
  return {
    records, curves, status, message,
    summary: { wStar: p.xn / p.v, V: p.ode.V, wFinal: ode.wNorm[ode.wNorm.length - 1] ?? NaN, crossCheck },
  };
}

/** max_t ‖w_t(paired field) − w_t(arc-cosine population field)‖ for one system (seed 0). */
function fieldCrossCheck(c: OddExperimentConfig, p: ReturnType<typeof oddProblem>, times: number[], base: Rng): number {
  const m = c.crossCheckWidth;
  const shape = { m, d: p.d };
  const y0 = sampleParticles(p.init, shape, base.child(`particles/m${m}/s0`));
  const a = trajectory(c, p, shape, y0, times, 'paired');
  const b = trajectory(c, p, shape, y0, times, 'population');
  if (a.status !== 'ok' || b.status !== 'ok' || a.w.length !== b.w.length) return NaN;
  return Math.max(...a.w.map((w, k) => Math.hypot(...w.map((x, i) => x - b.w[k][i]))));
}
