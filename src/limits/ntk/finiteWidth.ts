/**
 * Predicted leading-order path-wise deviation of a finite one-hidden-layer NTK network from the
 * frozen-kernel limit started at the network's own f_0 (theory/finite-width.md#prediction):
 *
 *   h · E‖f_τ^(h) − f_τ^∞[f_0]‖² / n  →  C(τ),   C(τ) = E_ω E_{r_0} ‖L_τ[θ(ω) − Θ̄] r_0‖² / n,
 *
 * L_τ the linear response of finiteWidthResponse.ts, θ(ω) one unit's kernel (finiteWidthNeuron.ts),
 * Θ̄ = E θ (the analytic kernel without the readout-bias constant), r_0 = f_0(X) − y Gaussian with
 * mean −y and covariance s Σ (s = α², 0 when centred), independent of θ(ω) at leading order.
 * The expectation over ω is a seeded Monte Carlo average; over r_0 it is exact.
 */
import { gemm } from '../../core/gemm.js';
import { eigh } from '../../core/eigh.js';
import { type Mat, mat } from '../../core/matrix.js';
import { Rng } from '../../core/rng.js';
import type { NtkLimitModel } from './limit.js';
import { neuronKernelModel } from './finiteWidthNeuron.js';
import { responseFactors, responseSquaredNorms } from './finiteWidthResponse.js';

export interface FiniteWidthPrediction {
  times: number[];
  /** C(τ) on train outputs (per output entry): h · E‖δf(X)‖²/n at leading order. */
  train: number[];
  /** Its Monte Carlo standard error (over unit draws). */
  trainSe: number[];
  /** C(τ) on test outputs: h · E‖δf(X*)‖²/n*. */
  test: number[];
  testSe: number[];
  samples: number;
}

export interface FiniteWidthOptions {
  /** Unit draws of the Monte Carlo over ω (default 20000). */
  samples?: number;
  seed?: string | number;
}

/** Columns [m, L] with E‖Mc‖² = ‖M C‖_F² for c = Vᵀr_0 ~ N(−Vᵀy, s VᵀΣV). */
function residualColumns(V: Mat, y: Mat, sigma: Mat, s: number): Float64Array {
  const n = V.rows;
  const cols = n + 1;
  const C = new Float64Array(n * cols);
  const vy = gemm(true, false, 1, V, y);
  for (let a = 0; a < n; a++) C[a * cols] = -vy.data[a];
  if (s > 0) {
    const e = eigh(sigma);
    const VU = gemm(true, false, 1, V, e.vectors);
    for (let a = 0; a < n; a++) {
      for (let j = 0; j < n; j++) C[a * cols + 1 + j] = VU.data[a * n + j] * Math.sqrt(Math.max(0, s * e.values[j]));
    }
  }
  return C;
}

/** What one unit's perturbation needs: shapes, V, the features Z, VᵀΘ̄V, Θ̄*V and scratch. */
interface UnitContext {
  n: number; nT: number; D: number;
  V: Float64Array; Z: Float64Array; Bbar: Float64Array; DVbar: Float64Array;
  c2: number; r2: number;
  vp: Float64Array; vqz: Float64Array; qzT: Float64Array;
}

/**
 * B = Vᵀ(θ(ω) − Θ̄)V (n × n) and DV = (θ(ω) − Θ̄)(X*, X) V (nT × n) for one unit with p = φ(u),
 * q = φ'(u) on train then test inputs and readout weight a (theory/finite-width.md#neuron-kernel).
 */
function unitPerturbation(ctx: UnitContext, p: Float64Array, q: Float64Array, a: number, B: Float64Array, DV: Float64Array): void {
  const { n, nT, D, V, Z, Bbar, DVbar, vp, vqz, qzT } = ctx;
  const k2 = ctx.c2 * ctx.r2;
  const ka = ctx.c2 * a * a;
  vp.fill(0);
  vqz.fill(0);
  for (let i = 0; i < n; i++) {
    for (let b = 0; b < n; b++) {
      const v = V[i * n + b];
      vp[b] += v * p[i];
      for (let c = 0; c < D; c++) vqz[b * D + c] += v * q[i] * Z[i * D + c];
    }
  }
  for (let a1 = 0; a1 < n; a1++) {
    for (let b = 0; b < n; b++) {
      let z = 0;
      for (let c = 0; c < D; c++) z += vqz[a1 * D + c] * vqz[b * D + c];
      B[a1 * n + b] = k2 * vp[a1] * vp[b] + ka * z - Bbar[a1 * n + b];
    }
  }
  for (let i = 0; i < nT; i++) {
    for (let c = 0; c < D; c++) qzT[i * D + c] = q[n + i] * Z[(n + i) * D + c];
    for (let b = 0; b < n; b++) {
      let z = 0;
      for (let c = 0; c < D; c++) z += qzT[i * D + c] * vqz[b * D + c];
      DV[i * n + b] = k2 * p[n + i] * vp[b] + ka * z - DVbar[i * n + b];
    }
  }
}

export function predictFiniteWidth(model: NtkLimitModel, opts: FiniteWidthOptions = {}): FiniteWidthPrediction {
  const samples = opts.samples ?? 20000;
  const rng = new Rng(`finite-width/${opts.seed ?? 0}`);
  const { data, arch } = model;
  const n = data.x.rows;
  const nT = data.xTest.rows;
  const d = data.x.cols;
  const all = mat(n + nT, d);
  all.data.set(data.x.data, 0);
  all.data.set(data.xTest.data, n * d);
  const unit = neuronKernelModel(arch, all);
  const e = eigh(model.kernelTrain);
  const V = e.vectors;
  const W = nT > 0 ? gemm(false, false, 1, model.kernelTest, V).data : new Float64Array(0);
  // Θ̄ = Θ − constant: VᵀΘ̄V and Θ̄*V
  const thetaBar = mat(n, n, model.kernelTrain.data.map((v) => v - unit.constant));
  const Bbar = gemm(true, false, 1, V, gemm(false, false, 1, thetaBar, V)).data;
  const thetaBarT = mat(nT, n, model.kernelTest.data.map((v) => v - unit.constant));
  const DVbar = nT > 0 ? gemm(false, false, 1, thetaBarT, V).data : new Float64Array(0);
  const s = arch.centred ? 0 : arch.alpha * arch.alpha;
  const cols = n + 1;
  const C = residualColumns(V, data.y, model.nngpTrain, s);
  const factors = model.times.map((t) => responseFactors(model.schedule, e.values, t, n));
  const T = model.times.length;
  const sum = { train: new Float64Array(T), test: new Float64Array(T) };
  const sq = { train: new Float64Array(T), test: new Float64Array(T) };
  const D = d + 1;
  const p = new Float64Array(n + nT), q = new Float64Array(n + nT);
  const B = new Float64Array(n * n), DV = new Float64Array(nT * n);
  const work = { M: new Float64Array(n * n), N: new Float64Array(nT * n) };
  const ctx: UnitContext = {
    n, nT, D, V: V.data, Z: unit.features.data, Bbar, DVbar, c2: unit.c2, r2: unit.r2,
    vp: new Float64Array(n), vqz: new Float64Array(n * D), qzT: new Float64Array(nT * D),
  };
  for (let sIdx = 0; sIdx < samples; sIdx++) {
    const a = unit.sample(rng, p, q);
    unitPerturbation(ctx, p, q, a, B, DV);
    for (let t = 0; t < T; t++) {
      const r = responseSquaredNorms(factors[t], B, DV, W, C, n, nT, cols, work);
      sum.train[t] += r.train;
      sq.train[t] += r.train * r.train;
      sum.test[t] += r.test;
      sq.test[t] += r.test * r.test;
    }
  }
  const mean = (a: Float64Array, norm: number): number[] => Array.from(a, (v) => v / samples / norm);
  const se = (s1: Float64Array, s2: Float64Array, norm: number): number[] =>
    Array.from(s1, (v, t) => {
      const m = v / samples;
      return Math.sqrt(Math.max(0, s2[t] / samples - m * m) / Math.max(1, samples - 1)) / norm;
    });
  const k = data.y.cols;
  return {
    times: model.times.slice(),
    train: mean(sum.train, n * k), trainSe: se(sum.train, sq.train, n * k),
    test: mean(sum.test, Math.max(1, nT * k)), testSe: se(sum.test, sq.test, Math.max(1, nT * k)),
    samples,
  };
}
