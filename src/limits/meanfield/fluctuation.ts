/**
 * The leading finite-width fluctuation of the two-layer mean-field network on the population risk
 * (theory/finite-width-meanfield.md): an m-particle system started i.i.d. from the initial law μ_0
 * is the mean-field dynamics started from its empirical measure, so any recorded quantity ℓ_t
 * (f_t on an input, the population risk R_t) is a functional ℓ_t(μ_0^m), and
 *
 *   m · Var ℓ_t(μ_0^m)  →  C_ℓ(t) = Var_{θ~μ_0} I_t(θ),
 *
 * I_t the influence function (derivative of ℓ_t in the direction δ_θ − μ_0): the Gaussian
 * fluctuation field of the initial measure pushed through the linearized (tangent) flow.
 *
 * Computed alongside the m = ∞ solution, as that solution is computed here: on M-particle systems
 * with masses π_k = 1/M. For a Gaussian mass direction π_k(1 + ε ξ̃_k) (ξ̃ = ξ − ξ̄, ξ_k i.i.d.
 * N(0, 1), so the total mass is kept), the directional derivative dℓ = Σ_k π_k ξ̃_k ∂ℓ/∂π_k has
 * M/(M − 1) · M · E_ξ dℓ² = the empirical variance of I over the M particles, an estimate of C_ℓ
 * with bias O(1/M) (theory/finite-width-meanfield.md#masses). For a positively 1-homogeneous φ
 * (ABReLU, no bias) a particle of mass c²/M is the particle scaled by c, exactly and for every
 * step of the Euler and dopri5 schemes, so dℓ is a forward difference of the existing solver.
 */
import type { Outcome } from '../../core/errors.js';
import type { Mat } from '../../core/matrix.js';
import { Rng } from '../../core/rng.js';
import { runParticleFlow } from './flow.js';
import { type MeanFieldModel, type ParticleInit, sampleParticles } from './particles.js';
import type { PopulationRisk } from './population.js';
import type { Scheme } from './steppers.js';

export interface FluctuationOptions {
  /** Mean-field times (times[0] = start). */
  times: readonly number[];
  scheme: Scheme;
  init: ParticleInit;
  /** Input sets on which f_t's fluctuation is predicted (the mean over each set's inputs). */
  inputs: readonly Mat[];
  /** M: particles per system. */
  particles: number;
  /** Independent M-particle systems (the standard error is taken over them). */
  systems: number;
  /** Gaussian mass directions per system. */
  directions: number;
  /** Relative mass step of the forward difference (default 1e-5). */
  eps?: number;
  /**
   * Known C at times[0] per quantity (the input sets, then the risk; undefined: unknown). When
   * given, each system's estimate at times[0] is a control variate of its estimates at the other
   * times (theory/finite-width-meanfield.md#exact-start).
   */
  exactStart?: (number | undefined)[];
  /** System s uses the stream `<seed>/system/<s>`. */
  seed: number | string;
  progress?: (fraction: number) => void;
}

/** C(t) and its Monte Carlo standard error (over systems), one entry per time. */
export interface Prefactor {
  C: number[];
  se: number[];
}

export interface FluctuationPrediction extends Outcome {
  times: number[];
  /** outputs[s]: C(t) of f_t averaged over the inputs of set s, i.e. m · E(mean over inputs of Var f_t). */
  outputs: Prefactor[];
  /** C(t) of the population risk R_t. */
  risk: Prefactor;
  particles: number;
  systems: number;
  directions: number;
}

/** Whether φ is positively 1-homogeneous (ABReLU), which the mass-as-scale identity needs. */
export function homogeneous(model: MeanFieldModel): boolean {
  return model.activation.family.kind === 'abrelu';
}

/** Copy of y0 with particle k scaled by √(1 + ε ξ̃_k) (= mass (1 + ε ξ̃_k)/M). */
function perturbMasses(y0: Float64Array, m: number, d: number, xi: Float64Array, eps: number): Float64Array {
  const y = y0.slice();
  for (let k = 0; k < m; k++) {
    const c = Math.sqrt(1 + eps * xi[k]);
    y[k] *= c;
    for (let i = 0; i < d; i++) y[m + k * d + i] *= c;
  }
  return y;
}

function centredNormals(rng: Rng, m: number): Float64Array {
  const xi = new Float64Array(m);
  let mean = 0;
  for (let k = 0; k < m; k++) mean += (xi[k] = rng.normal()) / m;
  for (let k = 0; k < m; k++) xi[k] -= mean;
  return xi;
}

const meanOf = (x: Float64Array) => x.reduce((a, b) => a + b, 0) / x.length;

/**
 * The predicted C(t) of f_t on each input set and of the population risk (module doc). Throws a
 * RangeError for a non-homogeneous activation; a failed solve comes back as the status.
 */
export function predictMeanFieldFluctuation(model: MeanFieldModel, risk: PopulationRisk, d: number, o: FluctuationOptions): FluctuationPrediction {
  if (!homogeneous(model)) throw new RangeError('predictMeanFieldFluctuation: the mass-as-scale identity needs a positively 1-homogeneous activation (ABReLU)');
  const M = o.particles;
  const eps = o.eps ?? 1e-5;
  const shape = { m: M, d };
  const K = o.times.length;
  const S = o.inputs.length;
  // per system: the mean over directions of M/(M−1) · M · dℓ², per quantity (sets, then risk) and time
  const perSystem: Float64Array[][] = [];
  const base = new Rng(o.seed);
  const run = (y: Float64Array) => runParticleFlow(model, risk, shape, y, { times: o.times, scheme: o.scheme, inputs: o.inputs });
  for (let s = 0; s < o.systems; s++) {
    const rng = base.child(`system/${s}`);
    const y0 = sampleParticles(o.init, shape, rng.child('particles'));
    const r0 = run(y0);
    if (r0.status !== 'ok') return failed(r0, o, s);
    const acc = Array.from({ length: S + 1 }, () => new Float64Array(K));
    for (let j = 0; j < o.directions; j++) {
      const xi = centredNormals(rng.child(`direction/${j}`), M);
      const r = run(perturbMasses(y0, M, d, xi, eps));
      if (r.status !== 'ok') return failed(r, o, s);
      const scale = (M * M) / (M - 1) / (eps * eps) / o.directions;
      for (let k = 0; k < K; k++) {
        for (let q = 0; q < S; q++) {
          const a = r.outputs[q][k];
          const b = r0.outputs[q][k];
          let sq = 0;
          for (let i = 0; i < a.length; i++) sq += (a[i] - b[i]) ** 2;
          acc[q][k] += (scale * sq) / a.length;
        }
        acc[S][k] += scale * (r.risk[k] - r0.risk[k]) ** 2;
      }
      o.progress?.((s + (j + 1) / o.directions) / o.systems);
    }
    perSystem.push(acc);
  }
  const summary = (q: number): Prefactor => {
    const C: number[] = [];
    const se: number[] = [];
    const known = o.exactStart?.[q];
    const start = Float64Array.from(perSystem, (acc) => acc[q][0]);
    for (let k = 0; k < K; k++) {
      const v = Float64Array.from(perSystem, (acc) => acc[q][k]);
      const r = known === undefined ? { mean: meanOf(v), resid: v } : controlVariate(v, start, known);
      const m = meanOf(r.resid);
      const sd = Math.sqrt(r.resid.reduce((a, b) => a + (b - m) ** 2, 0) / Math.max(1, v.length - 1));
      C.push(r.mean);
      se.push(v.length > 1 ? sd / Math.sqrt(v.length) : NaN);
    }
    return { C, se };
  };
  return {
    status: 'ok', message: '', times: o.times.slice(),
    outputs: o.inputs.map((_, q) => summary(q)), risk: summary(S),
    particles: M, systems: o.systems, directions: o.directions,
  };
}

/**
 * Regression control variate: mean(v) − b (mean(c) − μ), b = Cov(v, c)/Var(c) over the systems,
 * with the residuals v − b c whose spread is the estimate's standard error.
 */
export function controlVariate(v: Float64Array, c: Float64Array, mu: number): { mean: number; resid: Float64Array } {
  const mv = meanOf(v), mc = meanOf(c);
  let cov = 0, vc = 0;
  for (let i = 0; i < v.length; i++) {
    cov += (v[i] - mv) * (c[i] - mc);
    vc += (c[i] - mc) ** 2;
  }
  const b = vc > 0 ? cov / vc : 0;
  return { mean: mv - b * (mc - mu), resid: v.map((x, i) => x - b * c[i]) };
}

function failed(r: Outcome, o: FluctuationOptions, s: number): FluctuationPrediction {
  return {
    status: r.status, message: `fluctuation system ${s}: ${r.message}`, times: [], outputs: o.inputs.map(() => ({ C: [], se: [] })),
    risk: { C: [], se: [] }, particles: o.particles, systems: s, directions: o.directions,
  };
}
