/**
 * A plain ReLU NTK (theory/ntk.md#dual-activations, NTK parameterization; Jacot et al. 2018, arXiv 1806.07572;
 * arc-cosine kernel of Cho and Saul 2009) for the *setup* of the prediction benchmarks only
 * (untimed): it gives the kernel matrices handed to both predictors. The library's kernels are
 * timed by the ntk-gram workload.
 *
 * Θ(X1, X2) (n1 × n2) for inputs X1 (n1 × d), X2 (n2 × d), depth L, σ_w, σ_b.
 */
import { mat, type Mat } from '../../src/core/matrix.js';

export function reluNtk(x1: Mat, x2: Mat, depth: number, sw: number, sb: number): Mat {
  const n1 = x1.rows, n2 = x2.rows, d = x1.cols;
  const sw2 = sw * sw, sb2 = sb * sb;
  const q1 = selfNngp(x1, depth, sw2, sb2);
  const q2 = selfNngp(x2, depth, sw2, sb2);
  const out = mat(n1, n2);
  for (let i = 0; i < n1; i++) {
    for (let j = 0; j < n2; j++) {
      let dot = 0;
      for (let p = 0; p < d; p++) dot += x1.data[i * d + p] * x2.data[j * d + p];
      let s = (sw2 * dot) / d + sb2;
      let t = s;
      for (let l = 0; l < depth; l++) {
        const norm = Math.sqrt(q1[l * n1 + i] * q2[l * n2 + j]);
        const c = norm > 0 ? Math.max(-1, Math.min(1, s / norm)) : 0;
        const th = Math.acos(c);
        const sdot = (sw2 * (Math.PI - th)) / (2 * Math.PI);
        s = (sw2 * norm * (Math.sqrt(1 - c * c) + (Math.PI - th) * c)) / (2 * Math.PI) + sb2;
        t = s + t * sdot;
      }
      out.data[i * n2 + j] = t;
    }
  }
  return out;
}

/** Diagonal NNGP Σ^l(x, x) for l = 1..depth, stored [l−1][i]. */
function selfNngp(x: Mat, depth: number, sw2: number, sb2: number): Float64Array {
  const { rows: n, cols: d } = x;
  const q = new Float64Array(depth * n);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let p = 0; p < d; p++) s += x.data[i * d + p] * x.data[i * d + p];
    s = (sw2 * s) / d + sb2;
    for (let l = 0; l < depth; l++) {
      q[l * n + i] = s;
      s = (sw2 * s) / 2 + sb2;
    }
  }
  return q;
}
