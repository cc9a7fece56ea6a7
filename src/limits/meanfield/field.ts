/**
 * The vector field of the particle flow for each kind of risk (theory/meanfield.md#model):
 * - `population`: exact expectations for x ~ N(0, vI), ReLU-like φ (population.ts);
 * - `empirical`: a fixed data set (empirical.ts);
 * - `online`: a fresh batch at every evaluation (stochastic; only the fixed-step Euler scheme
 *   may use it: one evaluation per step is one SGD step with fresh samples).
 * A field only provides velocities and risk values; solvers are in steppers.ts.
 */
import { InputError } from '../../core/errors.js';
import { type Mat, mat } from '../../core/matrix.js';
import type { Rng } from '../../core/rng.js';
import type { PointLoss } from '../../finite/loss.js';
import { createSampleField, type EmpiricalRisk } from './empirical.js';
import type { MeanFieldModel, ParticleShape } from './particles.js';
import { createPopulationField, type PopulationRisk } from './population.js';
import { type PopulationTarget, targetDim, targetValue } from './targets.js';

/** Where online samples come from. */
export type OnlineSampler =
  /** x ~ N(0, vI), y = f*(x) (the target must have a pointwise formula). */
  | { kind: 'gaussian'; variance: number; target: PopulationTarget }
  /** Uniform draws with replacement from a data set (x n×d, y length n). */
  | { kind: 'dataset'; x: Mat; y: Float64Array };

/** Online risk: each velocity evaluation draws `batchSize` fresh samples. */
export interface OnlineRisk {
  readonly kind: 'online';
  readonly batchSize: number;
  readonly sampler: OnlineSampler;
  readonly loss: PointLoss;
  readonly alpha: number;
  /** Samples of the fixed monitoring set on which `risk` is reported (gaussian sampler; default 4096). */
  readonly monitorSize?: number;
}

export type Risk = PopulationRisk | EmpiricalRisk | OnlineRisk;

export interface ParticleField {
  /** True for the online risk: velocities are random and only a fixed-step scheme may use them. */
  readonly stochastic: boolean;
  /** dy ← velocity at (t, y). Returns the risk at y (on the batch, for the online risk). */
  velocity(t: number, y: Float64Array, dy: Float64Array): number;
  /**
   * The risk at y: exact (population), on the data (empirical), or on a fixed monitoring sample
   * (online: the data set itself, or `monitorSize` Gaussian samples from the stream `monitor`).
   */
  risk(y: Float64Array): number;
}

/** Input dimension a risk expects. */
export function riskDim(risk: Risk): number {
  switch (risk.kind) {
    case 'population': return targetDim(risk.target);
    case 'empirical': return risk.x.cols;
    case 'online': return risk.sampler.kind === 'gaussian' ? targetDim(risk.sampler.target) : risk.sampler.x.cols;
  }
}

/**
 * The field of `model` under `risk` for m particles in R^{1+d}. `rng` is required by the online
 * risk (streams `batches` and `monitor`).
 */
export function createField(model: MeanFieldModel, risk: Risk, shape: ParticleShape, rng?: Rng): ParticleField {
  if (riskDim(risk) !== shape.d) {
    throw new InputError('data', `the risk has inputs of dimension ${riskDim(risk)}, the particles live in R^${shape.d}`);
  }
  switch (risk.kind) {
    case 'population': {
      const f = createPopulationField(model, risk, shape);
      return { stochastic: false, velocity: (_t, y, dy) => f.velocity(y, dy), risk: (y) => f.risk(y) };
    }
    case 'empirical': {
      if (risk.y.length !== risk.x.rows) throw new RangeError(`empirical risk: ${risk.x.rows} inputs but ${risk.y.length} targets`);
      const f = createSampleField(model, shape, risk.x.rows, risk.loss, risk.alpha);
      return {
        stochastic: false,
        velocity: (_t, y, dy) => f.velocity(y, risk.x, risk.y, dy),
        risk: (y) => f.risk(y, risk.x, risk.y),
      };
    }
    case 'online':
      if (!rng) throw new RangeError('online risk: a random stream is required');
      return onlineField(model, risk, shape, rng);
    default: {
      const never: never = risk;
      throw new Error(`unknown risk ${JSON.stringify(never)}`);
    }
  }
}

/** Fill rows of X (B×d) and y with fresh samples. */
function drawBatch(s: OnlineSampler, rng: Rng, X: Mat, y: Float64Array, row: Float64Array): void {
  const d = X.cols;
  switch (s.kind) {
    case 'gaussian': {
      const sd = Math.sqrt(s.variance);
      for (let b = 0; b < X.rows; b++) {
        for (let k = 0; k < d; k++) row[k] = sd * rng.normal();
        X.data.set(row, b * d);
        y[b] = targetValue(s.target, row);
      }
      return;
    }
    case 'dataset': {
      const n = s.x.rows;
      for (let b = 0; b < X.rows; b++) {
        const i = rng.int(n);
        X.data.set(s.x.data.subarray(i * d, (i + 1) * d), b * d);
        y[b] = s.y[i];
      }
      return;
    }
  }
}

function onlineField(model: MeanFieldModel, risk: OnlineRisk, shape: ParticleShape, rng: Rng): ParticleField {
  const B = risk.batchSize;
  const d = shape.d;
  const batches = rng.child('batches');
  const X = mat(B, d);
  const yb = new Float64Array(B);
  const row = new Float64Array(d);
  let monitorX: Mat;
  let monitorY: Float64Array;
  if (risk.sampler.kind === 'dataset') {
    monitorX = risk.sampler.x;
    monitorY = risk.sampler.y;
  } else {
    const n = risk.monitorSize ?? 4096;
    monitorX = mat(n, d);
    monitorY = new Float64Array(n);
    drawBatch(risk.sampler, rng.child('monitor'), monitorX, monitorY, row);
  }
  const fb = createSampleField(model, shape, B, risk.loss, risk.alpha);
  const fm = createSampleField(model, shape, monitorX.rows, risk.loss, risk.alpha);
  return {
    stochastic: true,
    velocity: (_t, y, dy) => {
      drawBatch(risk.sampler, batches, X, yb, row);
      return fb.velocity(y, X, yb, dy);
    },
    risk: (y) => fm.risk(y, monitorX, monitorY),
  };
}
