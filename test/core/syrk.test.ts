import { describe, expect, it } from 'vitest';
import { gemm } from '../../src/core/gemm.js';
import { type Mat, mat } from '../../src/core/matrix.js';
import { Rng } from '../../src/core/rng.js';
import { SYRK_BASE, mirrorTriangle, syrk } from '../../src/core/syrk.js';

function random(rows: number, cols: number, seed: string): Mat {
  const m = mat(rows, cols);
  new Rng(seed).fillNormal(m.data);
  return m;
}

/**
 * max over entries of |C_ij − α Σ_p a_ip a_jp| / ((k + 2) ε Σ_p |α a_ip a_jp|): ≤ 1 when C is any
 * summation order of the k products (the standard bound k·ε·Σ|terms| for recursive summation, plus
 * the scaling by α), so ≤ 1 holds whatever blocking gemm uses.
 */
function worstError(c: Mat, a: Mat, alpha: number, entries: (i: number, j: number) => boolean): number {
  const n = a.rows, k = a.cols;
  let worst = 0;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      if (!entries(i, j)) continue;
      let s = 0, sa = 0;
      for (let p = 0; p < k; p++) {
        const t = a.data[i * k + p] * a.data[j * k + p];
        s += t;
        sa += Math.abs(t);
      }
      const tol = (k + 2) * 2.3e-16 * Math.abs(alpha) * sa + 1e-300;
      worst = Math.max(worst, Math.abs(c.data[i * n + j] - alpha * s) / tol);
    }
  }
  return worst;
}

// Sizes below, at and above the diagonal block size (one, two and several levels of halving),
// odd and multiple-of-4 sizes, k below and above gemm's K-block of 256.
const SIZES: Array<[number, number]> = [[0, 3], [1, 1], [3, 7], [5, 0], [SYRK_BASE, 9], [SYRK_BASE + 1, 4], [301, 5], [2 * SYRK_BASE + 13, 300]];

describe('syrk: C ← α A Aᵀ from block calls to gemm', () => {
  for (const triangle of ['lower', 'upper'] as const) {
    it(`${triangle} then mirrored: every entry equals the dot product α a_i·a_j to the rounding of k-term sums, and C is exactly symmetric`, () => {
      for (const [n, k] of SIZES) {
        const a = random(n, k, `syrk-${n}-${k}`);
        const c = syrk(-1.7, a, undefined, { triangle });
        expect(worstError(c, a, -1.7, () => true)).toBeLessThanOrEqual(1);
        for (let i = 0; i < n; i++) for (let j = 0; j < i; j++) expect(c.data[i * n + j]).toBe(c.data[j * n + i]);
      }
    });
  }

  it('agrees with gemm(false, true, α, A, A) to the same rounding bound (both are k-term sums of the same products)', () => {
    const a = random(2 * SYRK_BASE + 13, 300, 'syrk-vs-gemm');
    const c = syrk(0.25, a);
    const g = gemm(false, true, 0.25, a, a);
    const n = a.rows;
    let worst = 0;
    for (let i = 0; i < n * n; i++) {
      // |syrk − gemm| ≤ |syrk − exact| + |gemm − exact|, each ≤ (k + 2) ε Σ|terms| ≤ (k + 2) ε |α|‖a_i‖‖a_j‖
      const r = Math.floor(i / n), s = i % n;
      let ni = 0, nj = 0;
      for (let p = 0; p < 300; p++) { ni += a.data[r * 300 + p] ** 2; nj += a.data[s * 300 + p] ** 2; }
      worst = Math.max(worst, Math.abs(c.data[i] - g.data[i]) / (2 * 302 * 2.3e-16 * 0.25 * Math.sqrt(ni * nj)));
    }
    expect(worst).toBeLessThanOrEqual(1);
  });

  it('without mirroring writes the chosen triangle and leaves the other one outside the diagonal blocks untouched', () => {
    const n = 2 * SYRK_BASE + 13, k = 6;
    const a = random(n, k, 'syrk-nomirror');
    for (const triangle of ['lower', 'upper'] as const) {
      const c = mat(n, n);
      c.data.fill(NaN);
      const out = syrk(1, a, c, { triangle, mirror: false });
      expect(out).toBe(c);
      const inTriangle = (i: number, j: number) => (triangle === 'upper' ? j >= i : j <= i);
      expect(worstError(c, a, 1, inTriangle)).toBeLessThanOrEqual(1);
      // the far corner of the other triangle is outside every diagonal block (n > 2·SYRK_BASE)
      const far = triangle === 'upper' ? c.data[(n - 1) * n] : c.data[n - 1];
      expect(far).toBeNaN();
    }
  });

  it('is deterministic: two calls give the same bits', () => {
    const a = random(301, 40, 'syrk-det');
    const c1 = syrk(1, a).data, c2 = syrk(1, a).data;
    let differing = 0;
    for (let i = 0; i < c1.length; i++) if (!Object.is(c1[i], c2[i])) differing++;
    expect(differing).toBe(0);
  });

  it('rejects an output of the wrong shape', () => {
    expect(() => syrk(1, random(4, 2, 'x'), mat(4, 5))).toThrow(RangeError);
  });

  it('mirrorTriangle copies the chosen triangle onto the other one', () => {
    const m = random(5, 5, 'mirror');
    const up = mat(5, 5, m.data.slice());
    mirrorTriangle(up, true);
    const lo = mat(5, 5, m.data.slice());
    mirrorTriangle(lo, false);
    for (let i = 0; i < 5; i++) {
      for (let j = i; j < 5; j++) {
        expect(up.data[j * 5 + i]).toBe(m.data[i * 5 + j]);
        expect(lo.data[i * 5 + j]).toBe(m.data[j * 5 + i]);
      }
    }
  });
});
