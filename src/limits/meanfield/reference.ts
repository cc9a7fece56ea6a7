/**
 * The m = ∞ reference of the mean-field flow (theory/meanfield.md#reference; propagation of chaos, theory/harness.md#expected-exponents):
 * - `particles`: the mean over S independent seeds of an M-particle system, with the standard
 *   error of the mean (per-seed deviations from the limit are O(M^{−1/2}), propagation of chaos;
 *   the mean's statistical error is O((MS)^{−1/2}) and the bias O(1/M));
 * - `odd-reduced`: the reduced ODE of oddTarget.ts where it applies (population risk with an odd
 *   or linear target, ReLU, κ = 1): f_t(x) = w_t·x, no sampling error.
 */
import type { Outcome } from '../../core/errors.js';
import type { Mat } from '../../core/matrix.js';
import { Rng } from '../../core/rng.js';
import type { Risk } from './field.js';
import { runParticleFlow } from './flow.js';
import { initialV, solveOddReduced } from './oddTarget.js';
import { type MeanFieldModel, type ParticleInit, sampleParticles } from './particles.js';
import type { Scheme, StepStats } from './steppers.js';
import { targetEnergy } from './targets.js';

export interface ReferenceOptions {
  /** Mean-field times (times[0] = start). */
  times: readonly number[];
  /** M: particles per seed. */
  particles: number;
  /** S: independent seeds. */
  seeds: number;
  init: ParticleInit;
  scheme: Scheme;
  /** Base seed: seed s uses the streams `<seed>/particles/<s>` and `<seed>/online/<s>`. */
  seed: number | string;
  /** Input sets on which f is recorded. */
  inputs?: readonly Mat[];
  /** `auto` (default): the reduced ODE when it applies, else particles. */
  method?: 'auto' | 'particles' | 'odd-reduced';
  progress?: (fraction: number) => void;
}

/** Mean and standard error of the mean over seeds (se = 0 for the reduced ODE, NaN for S = 1). */
export interface MeanSe {
  mean: Float64Array;
  se: Float64Array;
}

export interface MeanFieldReference extends Outcome {
  method: 'particles' | 'odd-reduced';
  times: number[];
  /** risk.mean[k], risk.se[k] at times[k]. */
  risk: MeanSe;
  /** outputs[s][k]: f on inputs[s] at times[k]. */
  outputs: MeanSe[][];
  /** Seeds that finished (particles). */
  runs: number;
  stats: StepStats;
}

/**
 * Whether the reduced odd-target ODE describes this problem exactly at m = ∞. Every
 * {@link ParticleInit} law is isotropic in w and symmetric under (a, w) → (−a, −w) (a has a
 * symmetric law independent of w), as the reduction needs; the pairing only matters at finite m.
 */
export function oddReducedApplies(model: MeanFieldModel, risk: Risk): boolean {
  const fam = model.activation.family;
  return risk.kind === 'population' && (risk.target.kind === 'odd' || risk.target.kind === 'linear')
    && fam.kind === 'abrelu' && fam.a === 0 && fam.b === 1 && model.wRate === 1;
}

export function meanFieldReference(model: MeanFieldModel, risk: Risk, d: number, o: ReferenceOptions): MeanFieldReference {
  const method = o.method ?? 'auto';
  const reduced = method === 'odd-reduced' || (method === 'auto' && oddReducedApplies(model, risk));
  if (reduced) {
    if (!oddReducedApplies(model, risk)) throw new RangeError('meanFieldReference: the odd-target reduced ODE does not apply to this problem');
    return reducedReference(risk, d, o);
  }
  return particleReference(model, risk, d, o);
}

function particleReference(model: MeanFieldModel, risk: Risk, d: number, o: ReferenceOptions): MeanFieldReference {
  const base = new Rng(o.seed);
  const shape = { m: o.particles, d };
  const inputs = o.inputs ?? [];
  const runs: { risk: number[]; outputs: Float64Array[][] }[] = [];
  const stats: StepStats = { steps: 0, rejected: 0, evaluations: 0 };
  let outcome: Outcome = { status: 'ok', message: '' };
  for (let s = 0; s < o.seeds; s++) {
    const y0 = sampleParticles(o.init, shape, base.child(`particles/${s}`));
    const r = runParticleFlow(model, risk, shape, y0, {
      times: o.times, scheme: o.scheme, rng: base.child(`online/${s}`), inputs,
      progress: o.progress ? (f) => o.progress!((s + f) / o.seeds) : undefined,
    });
    stats.steps += r.stats.steps;
    stats.rejected += r.stats.rejected;
    stats.evaluations += r.stats.evaluations;
    if (r.status !== 'ok') {
      outcome = { status: r.status, message: `reference seed ${s} of ${o.seeds}: ${r.message}` };
      break;
    }
    runs.push({ risk: r.risk, outputs: r.outputs });
  }
  const K = runs.length > 0 ? o.times.length : 0;
  return {
    ...outcome,
    method: 'particles',
    times: o.times.slice(0, K),
    risk: meanSe(runs.map((r) => Float64Array.from(r.risk.slice(0, K)))),
    outputs: inputs.map((_, s) => Array.from({ length: K }, (_, k) => meanSe(runs.map((r) => r.outputs[s][k])))),
    runs: runs.length,
    stats,
  };
}

/** Mean and standard error over samples (arrays of equal length). */
export function meanSe(samples: readonly Float64Array[]): MeanSe {
  const S = samples.length;
  const n = S > 0 ? samples[0].length : 0;
  const mean = new Float64Array(n);
  const se = new Float64Array(n);
  for (const x of samples) for (let i = 0; i < n; i++) mean[i] += x[i] / S;
  for (let i = 0; i < n; i++) {
    let v = 0;
    for (const x of samples) v += (x[i] - mean[i]) ** 2;
    se[i] = S > 1 ? Math.sqrt(v / (S - 1) / S) : NaN;
  }
  return { mean, se };
}

function reducedReference(risk: Risk, d: number, o: ReferenceOptions): MeanFieldReference {
  if (risk.kind !== 'population' || (risk.target.kind !== 'odd' && risk.target.kind !== 'linear')) throw new Error('unreachable');
  const v = risk.variance;
  const xbar = risk.target.kind === 'odd' ? risk.target.xbar : risk.target.beta.map((b) => v * b);
  let xn = 0;
  for (let i = 0; i < d; i++) xn += xbar[i] * xbar[i];
  xn = Math.sqrt(xn);
  const sol = solveOddReduced({ xbarNorm: xn, variance: v, V: initialV(o.init, d) }, o.times);
  const energy = targetEnergy(risk.target, v);
  const K = sol.times.length;
  const riskMean = new Float64Array(K);
  const inputs = o.inputs ?? [];
  const outputs: MeanSe[][] = inputs.map(() => []);
  for (let k = 0; k < K; k++) {
    const c = sol.wNorm[k] / xn; // w_t = c X̄
    riskMean[k] = 0.5 * (v * c * c * xn * xn - 2 * c * xn * xn + energy);
    inputs.forEach((X, s) => {
      const f = new Float64Array(X.rows);
      for (let i = 0; i < X.rows; i++) {
        let z = 0;
        for (let q = 0; q < d; q++) z += xbar[q] * X.data[i * d + q];
        f[i] = c * z;
      }
      outputs[s].push({ mean: f, se: new Float64Array(X.rows) });
    });
  }
  return {
    status: sol.status, message: sol.message, method: 'odd-reduced', times: sol.times,
    risk: { mean: riskMean, se: new Float64Array(K) }, outputs, runs: 1, stats: sol.stats,
  };
}
