/**
 * One run of the particle flow: field (field.ts) + scheme (steppers.ts) + what is recorded at the
 * requested times (risk, f on given inputs, and any observer). Time is mean-field time t
 * (theory/meanfield.md#model): ȧ_j = −E[(f − f*) φ(w_j·x)], ẇ_j = −κ a_j E[(f − f*) φ'(w_j·x) x].
 */
import type { Outcome } from '../../core/errors.js';
import type { Mat } from '../../core/matrix.js';
import type { Rng } from '../../core/rng.js';
import { createField, type Risk } from './field.js';
import { evaluateParticles, type MeanFieldModel, type ParticleShape, stateLength } from './particles.js';
import { integrate, type Scheme, type StepStats } from './steppers.js';

export interface FlowOptions {
  /** Mean-field times at which to record (non-decreasing; times[0] is the start). */
  times: readonly number[];
  scheme: Scheme;
  /** Random stream of the online risk. */
  rng?: Rng;
  /** Input sets (each n_s × d) on which f is recorded at every time. */
  inputs?: readonly Mat[];
  /** Record the risk at every time (default true; costs one risk evaluation per record). */
  recordRisk?: boolean;
  /** Called at every recorded time with the state (do not keep `y`). */
  observe?: (k: number, t: number, y: Float64Array) => void;
  progress?: (fraction: number) => void;
  /**
   * dopri5 error control: `state` (RMS over particle coordinates) or `outputs` (RMS over F on the
   * risk's samples: a weak norm, see below). Default: `outputs` for the empirical risk, else `state`.
   */
  errorControl?: 'state' | 'outputs';
}

/**
 * Why a weak norm (theory/meanfield.md#error-control): on data with a kinked φ (ReLU), the velocity
 * of particle j jumps whenever some w_j·x_i crosses 0, so the state-norm local error of any step
 * containing a crossing is O(h·jump) and the steps collapse (~1e4 steps for τ = 2 with 256
 * particles). The measure's dynamics, and so F, stays smooth: a crossing particle moves F by
 * O(h²/m). Controlling the error of F on the samples keeps the accuracy of what is reported.
 */
function outputNorm(
  model: MeanFieldModel, shape: ParticleShape, x: Mat, rtol: number, atol: number,
): (y5: Float64Array, y4: Float64Array) => number {
  const f5 = new Float64Array(x.rows);
  const f4 = new Float64Array(x.rows);
  return (y5, y4) => {
    evaluateParticles(y5, shape, model.activation, x, f5);
    evaluateParticles(y4, shape, model.activation, x, f4);
    let err = 0;
    for (let i = 0; i < x.rows; i++) {
      const e = (f5[i] - f4[i]) / (atol + rtol * Math.max(Math.abs(f5[i]), Math.abs(f4[i])));
      err += e * e;
    }
    return Math.sqrt(err / x.rows);
  };
}

export interface FlowResult extends Outcome {
  /** Times reached (a prefix of the requested ones when the run failed). */
  times: number[];
  /** Risk at each time (empty when not recorded). */
  risk: number[];
  /** outputs[s][k]: f on inputs[s] at times[k]. */
  outputs: Float64Array[][];
  stats: StepStats;
  /** State at the last recorded time. */
  final: Float64Array;
}

/** Run the flow of `model` under `risk` from the particles `y0` (m(d+1) numbers, not modified). */
export function runParticleFlow(
  model: MeanFieldModel, risk: Risk, shape: ParticleShape, y0: Float64Array, o: FlowOptions,
): FlowResult {
  if (y0.length !== stateLength(shape)) {
    throw new RangeError(`runParticleFlow: state has length ${y0.length}, expected m(d+1) = ${stateLength(shape)}`);
  }
  const field = createField(model, risk, shape, o.rng);
  if (field.stochastic && o.scheme.kind !== 'euler') {
    throw new RangeError('runParticleFlow: the online risk needs the fixed-step euler scheme');
  }
  const inputs = o.inputs ?? [];
  const recordRisk = o.recordRisk ?? true;
  const times: number[] = [];
  const riskOut: number[] = [];
  const outputs: Float64Array[][] = inputs.map(() => []);
  const save = (k: number, t: number, y: Float64Array) => {
    times.push(t);
    if (recordRisk) riskOut.push(field.risk(y));
    inputs.forEach((x, s) => outputs[s].push(evaluateParticles(y, shape, model.activation, x)));
    o.observe?.(k, t, y);
  };
  let scheme = o.scheme;
  const control = o.errorControl ?? (risk.kind === 'empirical' ? 'outputs' : 'state');
  if (scheme.kind === 'dopri5' && control === 'outputs' && !scheme.norm) {
    if (risk.kind !== 'empirical') throw new RangeError('runParticleFlow: output error control needs the empirical risk');
    scheme = { ...scheme, norm: outputNorm(model, shape, risk.x, scheme.rtol, scheme.atol) };
  }
  const r = integrate(field.velocity, y0, o.times, scheme, save, o.progress);
  return { status: r.status, message: r.message, times, risk: riskOut, outputs, stats: r.stats, final: r.y };
}
