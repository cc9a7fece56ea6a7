/**
 * C(τ) for any depth by Monte Carlo over initializations at a reference width h0
 * (theory/finite-width.md#sampled-kernel): draw finite networks at width h0, take their empirical
 * tangent kernel Θ̂ on X ∪ X* and their own f_0, and average the squared linear response
 *
 *   C(τ) ≈ E_init h0 ‖L_τ[Θ̂ − Θ] (f_0(X) − y)‖² / n      (and on X* / n*),
 *
 * L_τ the response of finiteWidthResponse.ts. h0·Cov(Θ̂) = h·Cov at every h up to O(1/h0) (exactly
 * for one hidden layer), so the estimate is the leading-order prefactor up to O(1/h0) relative.
 * For one hidden layer it is a second method beside the unit average of finiteWidth.ts.
 */
import { gemm } from '../../core/gemm.js';
import { eigh } from '../../core/eigh.js';
import { InputError } from '../../core/errors.js';
import { mat } from '../../core/matrix.js';
import { Rng } from '../../core/rng.js';
import { forwardRaw } from '../../finite/fused/forward.js';
import { outputMap } from '../../finite/network.js';
import { empiricalNtk } from '../../finite/fused/ntk.js';
import { initParams } from '../../finite/params.js';
import { architectureFromSpec } from '../../spec/architecture.js';
import type { FiniteWidthPrediction } from './finiteWidth.js';
import { responseFactors, responseSquaredNorms } from './finiteWidthResponse.js';
import type { NtkLimitModel } from './limit.js';

export interface SampledOptions {
  /** Reference width h0 of the sampled networks. */
  width: number;
  /** Number of initializations. */
  samples: number;
  seed?: string | number;
}

export function predictFiniteWidthSampled(model: NtkLimitModel, o: SampledOptions): FiniteWidthPrediction {
  const { data, spec } = model;
  if (data.y.cols !== 1) throw new InputError('model', 'finite-width prediction: one output only');
  const n = data.x.rows, nT = data.xTest.rows, d = data.x.cols;
  const arch = architectureFromSpec({ ...spec, model: { ...spec.model, width: o.width } }, data, o.width);
  const all = mat(n + nT, d);
  all.data.set(data.x.data, 0);
  all.data.set(data.xTest.data, n * d);
  const e = eigh(model.kernelTrain);
  const V = e.vectors;
  const W = nT > 0 ? gemm(false, false, 1, model.kernelTest, V).data : new Float64Array(0);
  const factors = model.times.map((t) => responseFactors(model.schedule, e.values, t, n));
  const T = model.times.length;
  const acc = { tr: new Float64Array(T), tr2: new Float64Array(T), te: new Float64Array(T), te2: new Float64Array(T) };
  const work = { M: new Float64Array(n * n), N: new Float64Array(nT * n) };
  const delta = mat(n, n);
  const deltaT = mat(nT, n);
  const root = new Rng(`finite-width-sampled/${o.seed ?? 0}`);
  const s0 = Math.sqrt(o.width);
  for (let k = 0; k < o.samples; k++) {
    const params = initParams(arch, root.child(k));
    const K = empiricalNtk(arch, params, all);
    const N = n + nT;
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) delta.data[i * n + j] = s0 * (K.data[i * N + j] - model.kernelTrain.data[i * n + j]);
    }
    for (let i = 0; i < nT; i++) {
      for (let j = 0; j < n; j++) deltaT.data[i * n + j] = s0 * (K.data[(n + i) * N + j] - model.kernelTest.data[i * n + j]);
    }
    const F = forwardRaw(arch, params, data.x);
    const f0 = outputMap(arch, F, arch.centred ? F : null);
    const r = mat(n, 1, f0.data.map((v, i) => v - data.y.data[i]));
    const B = gemm(true, false, 1, V, gemm(false, false, 1, delta, V)).data;
    const DV = nT > 0 ? gemm(false, false, 1, deltaT, V).data : new Float64Array(0);
    const C = gemm(true, false, 1, V, r).data;
    for (let t = 0; t < T; t++) {
      const q = responseSquaredNorms(factors[t], B, DV, W, C, n, nT, 1, work);
      acc.tr[t] += q.train; acc.tr2[t] += q.train * q.train;
      acc.te[t] += q.test; acc.te2[t] += q.test * q.test;
    }
  }
  const S = o.samples;
  const mean = (a: Float64Array, norm: number) => Array.from(a, (v) => v / S / norm);
  const se = (a: Float64Array, a2: Float64Array, norm: number) => Array.from(a, (v, t) => {
    const m = v / S;
    return Math.sqrt(Math.max(0, a2[t] / S - m * m) / Math.max(1, S - 1)) / norm;
  });
  const nt = Math.max(1, nT);
  return { times: model.times.slice(), train: mean(acc.tr, n), trainSe: se(acc.tr, acc.tr2, n), test: mean(acc.te, nt), testSe: se(acc.te, acc.te2, nt), samples: S };
}
