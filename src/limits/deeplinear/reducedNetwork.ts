/**
 * The training trajectory of a finite plain deep linear μP network as a function of the Gram
 * matrices of its layers' fresh vectors (theory/finite-width-deeplinear.md#reduced): f_t = Φ_t(Z).
 * Exact at every width — fed with the Gram matrices of an actual network it reproduces that
 * network's outputs; with Z = I it is the N → ∞ recursion; with Z Wishart(N)/N it samples the
 * finite-N law exactly.
 */
import { InputError } from '../../core/errors.js';
import type { Mat } from '../../core/matrix.js';
import { type GramSource, LayerSpace, RevealedMatrix, axpy } from './reducedSpace.js';

export interface ReducedProblem {
  /** Training inputs P×D and targets (length P). */
  x: Mat;
  y: Float64Array;
  /** L ≥ 1 hidden layers. */
  depth: number;
  /** γ0 > 0. */
  gamma0: number;
  /** η: every weight moves with rate η γ0² N. */
  lr: number;
  steps: number;
}

/**
 * Fresh vectors per layer (0-based layer index i = l − 1): the D input columns of W^0(0) (layer 1),
 * the readout w^L(0) (layer L), one right product per step t < T of the matrix below (layers ≥ 2)
 * and one left product per step t ≤ T of the matrix above (layers ≤ L − 1).
 */
export function freshCounts(depth: number, D: number, steps: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < depth; i++) {
    out.push((i === 0 ? D : 0) + (i === depth - 1 ? 1 : 0) + (i >= 1 ? steps : 0) + (i <= depth - 2 ? steps + 1 : 0));
  }
  return out;
}

/**
 * The end-to-end linear map β(t) ∈ R^D of the network, f(x, t) = β(t)·x, for t = 0..T (row t of the
 * (T+1)×D result). Non-finite entries if a Gram matrix met during the solve is not positive definite.
 */
export function reducedTrajectory(p: ReducedProblem, source: GramSource): Float64Array {
  const { x, y, depth: L, gamma0, lr, steps: T } = p;
  if (!(gamma0 > 0)) throw new InputError('model.gamma0', 'the reduced finite-width recursion needs γ0 > 0 (μP)');
  const P = x.rows;
  const D = x.cols;
  const eg = lr * gamma0;
  const sqrtD = Math.sqrt(D);
  const spaces = freshCounts(L, D, T).map((K, i) => new LayerSpace(K, i, source));
  const inputs = Array.from({ length: D }, (_, j) => spaces[0].fresh({ kind: 'input', j }));
  let w = spaces[L - 1].fresh({ kind: 'readout' });
  const mats = Array.from({ length: L - 1 }, (_, i) => new RevealedMatrix(i + 1, spaces[i], spaces[i + 1]));
  const G: Float64Array[][] = spaces.map(() => []); // g^l(s), s < t
  const Kf: Float64Array[][] = spaces.map(() => []); // k^l(s) = h^l at input e_s
  const E: Float64Array[] = [];
  const beta = new Float64Array((T + 1) * D);
  for (let t = 0; t <= T; t++) {
    const g: Float64Array[] = new Array(L);
    g[L - 1] = w.slice();
    for (let i = L - 2; i >= 0; i--) {
      const v = mats[i].left(g[i + 1]);
      for (let s = 0; s < t; s++) axpy(v, eg * spaces[i + 1].dot(G[i + 1][s], g[i + 1]), Kf[i][s]);
      g[i] = v;
    }
    const bt = beta.subarray(t * D, (t + 1) * D);
    const gg = E.map((_, s) => spaces[0].dot(g[0], G[0][s]));
    for (let j = 0; j < D; j++) {
      let b = spaces[0].dot(g[0], inputs[j]) / sqrtD;
      for (let s = 0; s < t; s++) b += (eg / D) * gg[s] * E[s][j];
      bt[j] = b / gamma0;
    }
    if (t === T) break;
    const e = new Float64Array(D);
    for (let mu = 0; mu < P; mu++) {
      let f = 0;
      for (let j = 0; j < D; j++) f += x.data[mu * D + j] * bt[j];
      const delta = y[mu] - f;
      for (let j = 0; j < D; j++) e[j] += (delta * x.data[mu * D + j]) / P;
    }
    const k: Float64Array[] = new Array(L);
    k[0] = spaces[0].zero();
    for (let j = 0; j < D; j++) axpy(k[0], e[j] / sqrtD, inputs[j]);
    for (let s = 0; s < t; s++) {
      let es = 0;
      for (let j = 0; j < D; j++) es += E[s][j] * e[j];
      axpy(k[0], (eg / D) * es, G[0][s]);
    }
    for (let i = 0; i < L - 1; i++) {
      const v = mats[i].right(k[i]);
      for (let s = 0; s < t; s++) axpy(v, eg * spaces[i].dot(Kf[i][s], k[i]), G[i + 1][s]);
      k[i + 1] = v;
    }
    for (let i = 0; i < L; i++) {
      G[i].push(g[i]);
      Kf[i].push(k[i]);
    }
    E.push(e);
    w = w.slice();
    axpy(w, eg, k[L - 1]);
  }
  return beta;
}

/** A source reading fixed Gram matrices Z[i] (K_i × K_i row-major, K_i = freshCounts(...)[i]). */
export function fixedGram(Z: Float64Array[], K: number[]): GramSource {
  return {
    next(layer, index) {
      return Z[layer].subarray(index * K[layer], index * K[layer] + index + 1);
    },
  };
}
