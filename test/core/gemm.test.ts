import { describe, it, expect } from 'vitest';
import { gemm, matmul } from '../../src/core/gemm.js';
import { mat, type Mat } from '../../src/core/matrix.js';
import { Rng } from '../../src/core/rng.js';

function random(rows: number, cols: number, rng: Rng, sparse = false): Mat {
  const m = mat(rows, cols);
  for (let i = 0; i < m.data.length; i++) m.data[i] = sparse && rng.uniform() < 0.6 ? 0 : rng.normal();
  return m;
}

/** Naive C = alpha op(A) op(B) + beta C0, and the bound Σ|α a b| + |β c| for the rounding tolerance. */
function naive(tA: boolean, tB: boolean, alpha: number, a: Mat, b: Mat, beta: number, c0: Mat | null) {
  const m = tA ? a.cols : a.rows, k = tA ? a.rows : a.cols, n = tB ? b.rows : b.cols;
  const out = mat(m, n), scale = mat(m, n);
  for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) {
    let s = 0, sa = 0;
    for (let p = 0; p < k; p++) {
      const x = tA ? a.data[p * a.cols + i] : a.data[i * a.cols + p];
      const y = tB ? b.data[j * b.cols + p] : b.data[p * b.cols + j];
      s += x * y; sa += Math.abs(x * y);
    }
    const c = c0 === null ? 0 : c0.data[i * n + j];
    out.data[i * n + j] = alpha * s + (beta === 0 ? 0 : beta * c);
    scale.data[i * n + j] = Math.abs(alpha) * sa + Math.abs(beta * c);
  }
  return { out, scale, k };
}

const SHAPES: Array<[number, number, number]> = [
  [0, 3, 4], [3, 0, 4], [3, 4, 0], [1, 1, 1], [1, 7, 1], [7, 1, 5], [2, 2, 2],
  [3, 5, 7], [5, 3, 9], [8, 8, 8], [9, 13, 4], [17, 6, 11], [4, 1030, 5], // n > 512: column blocking
  [37, 41, 53], [19, 66, 301], // large enough for the SIMD kernel (k > 256: several K-blocks)
];

describe('gemm', () => {
  for (const tA of [false, true]) for (const tB of [false, true]) {
    it(`${tA ? 'T' : 'N'}${tB ? 'T' : 'N'}: equals the naive triple loop on odd, empty and unit shapes, with alpha and beta`, () => {
      // Tolerance: k ε Σ|α a b| + |β c| bounds the difference of two summation orders.
      const rng = new Rng(`gemm-${tA}-${tB}`);
      for (const [m, n, k] of SHAPES) for (const sparse of [false, true]) {
        const a = tA ? random(k, m, rng, sparse) : random(m, k, rng, sparse);
        const b = tB ? random(n, k, rng) : random(k, n, rng);
        for (const [alpha, beta] of [[1, 0], [-2.5, 1], [0.5, 0.75], [0, 2]] as const) {
          const c0 = random(m, n, rng);
          const c = mat(m, n, c0.data.slice());
          const got = gemm(tA, tB, alpha, a, b, beta, c);
          expect(got).toBe(c);
          const ref = naive(tA, tB, alpha, a, b, beta, c0);
          let worst = 0; // max of |error| / tolerance
          for (let i = 0; i < m * n; i++) {
            const tol = (ref.k + 2) * 2.3e-16 * ref.scale.data[i] + 1e-300;
            worst = Math.max(worst, Math.abs(got.data[i] - ref.out.data[i]) / tol);
          }
          expect(worst).toBeLessThanOrEqual(1);
        }
      }
    });
  }

  it('beta = 0 does not read C (NaN in C is overwritten), and an omitted C is allocated (small and SIMD-sized)', () => {
    const rng = new Rng('beta0');
    for (const [m, k, n] of [[3, 4, 5], [37, 53, 41]]) {
      const a = random(m, k, rng), b = random(k, n, rng);
      const c = mat(m, n, new Float64Array(m * n).fill(NaN));
      gemm(false, false, 1, a, b, 0, c);
      expect(c.data.every(Number.isFinite)).toBe(true);
      const fresh = gemm(false, false, 1, a, b, 7); // beta ignored without C
      expect(Array.from(fresh.data)).toEqual(Array.from(c.data));
    }
  });

  it('accumulates: beta = 1 twice gives twice the product (exactly, for integer data)', () => {
    const a = mat(3, 2, Float64Array.from([1, 2, 3, 4, 5, 6]));
    const b = mat(2, 2, Float64Array.from([1, 0, -1, 2]));
    const c = gemm(false, false, 1, a, b);
    gemm(false, false, 1, a, b, 1, c);
    expect(Array.from(c.data)).toEqual([-2, 8, -2, 16, -2, 24]);
  });

  it('is bit-identical from run to run', () => {
    const rng = new Rng('repeat');
    const a = random(37, 29, rng), b = random(29, 41, rng);
    expect(Array.from(gemm(false, false, 1, a, b).data)).toEqual(Array.from(gemm(false, false, 1, a, b).data));
  });

  it('rejects mismatched inner dimensions and a wrongly shaped C', () => {
    expect(() => gemm(false, false, 1, mat(2, 3), mat(2, 3))).toThrow(RangeError);
    expect(() => gemm(true, false, 1, mat(2, 3), mat(2, 3), 0, mat(2, 3))).toThrow(RangeError);
  });

  it('matmul(A, B) equals gemm(N, N, 1, A, B) and fills the given output', () => {
    const rng = new Rng('mm');
    const a = random(5, 6, rng), b = random(6, 3, rng);
    const out = mat(5, 3);
    expect(matmul(a, b, out)).toBe(out);
    expect(Array.from(out.data)).toEqual(Array.from(gemm(false, false, 1, a, b).data));
  });
});
