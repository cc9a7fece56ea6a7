import { describe, it, expect } from 'vitest';
import { tridiagonalEigen } from '../../src/core/eigh.js';
import { mat, type Mat } from '../../src/core/matrix.js';
import { gemm } from '../../src/core/gemm.js';
import { Rng } from '../../src/core/rng.js';

// tridiagonalEigen(…, true) uses divide and conquer above 48×48; (…, false) uses QL only, an
// independent algorithm for the eigenvalues.
const EPS = 2.220446049250313e-16;

function dense(diag: Float64Array, off: Float64Array): Mat {
  const n = diag.length;
  const t = mat(n, n);
  for (let i = 0; i < n; i++) {
    t.data[i * n + i] = diag[i];
    if (i + 1 < n) { t.data[i * n + i + 1] = off[i]; t.data[(i + 1) * n + i] = off[i]; }
  }
  return t;
}

/** Checks T V = V Λ and VᵀV = I to c·n·ε·‖T‖, ascending values, and agreement with QL's values. */
function check(diag: Float64Array, off: Float64Array, c = 20): void {
  const n = diag.length;
  const r = tridiagonalEigen(diag, off, true);
  expect(r.status).toBe('ok');
  const v = r.vectors!;
  let norm = 0;
  for (const x of r.values) norm = Math.max(norm, Math.abs(x));
  norm = Math.max(norm, 1e-300);
  const t = dense(diag, off);
  const tv = gemm(false, false, 1, t, v);
  const vtv = gemm(true, false, 1, v, v);
  let res = 0, orth = 0;
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) {
    res = Math.max(res, Math.abs(tv.data[i * n + j] - v.data[i * n + j] * r.values[j]));
    orth = Math.max(orth, Math.abs(vtv.data[i * n + j] - (i === j ? 1 : 0)));
  }
  expect(res).toBeLessThan(c * n * EPS * norm);
  expect(orth).toBeLessThan(c * n * EPS);
  const ql = tridiagonalEigen(diag, off, false).values;
  for (let i = 0; i < n; i++) {
    if (i > 0) expect(r.values[i]).toBeGreaterThanOrEqual(r.values[i - 1]);
    expect(Math.abs(r.values[i] - ql[i])).toBeLessThan(c * n * EPS * norm);
  }
}

describe('divide and conquer (tridiagonalEigen with vectors, n > 48)', () => {
  it('random tridiagonal matrices of several sizes (one to four levels of merging)', () => {
    const rng = new Rng('dc-random');
    for (const n of [49, 50, 97, 200, 399]) {
      check(rng.fillNormal(new Float64Array(n)), rng.fillNormal(new Float64Array(n - 1)));
    }
  });

  it('Toeplitz tridiagonal: the closed-form spectrum a + 2b cos(kπ/(n+1))', () => {
    const n = 300, a = -0.5, b = 0.8;
    const r = tridiagonalEigen(new Float64Array(n).fill(a), new Float64Array(n - 1).fill(b), true);
    const want = Float64Array.from({ length: n }, (_, k) => a + 2 * b * Math.cos(((k + 1) * Math.PI) / (n + 1))).sort();
    for (let k = 0; k < n; k++) expect(Math.abs(r.values[k] - want[k])).toBeLessThan(10 * n * EPS * 2);
    check(new Float64Array(n).fill(a), new Float64Array(n - 1).fill(b));
  });

  it('heavy deflation: near-diagonal, repeated and zero couplings (including the split point)', () => {
    const n = 150;
    check(new Float64Array(n).fill(1), new Float64Array(n - 1).fill(1e-18)); // everything deflates
    check(Float64Array.from({ length: n }, (_, i) => (i % 3) + 1), new Float64Array(n - 1).fill(1e-9)); // 3 clusters
    const off = new Rng('zeros').fillNormal(new Float64Array(n - 1));
    for (let i = 0; i < n - 1; i += 7) off[i] = 0;
    off[(n >> 1) - 1] = 0;
    check(new Rng('zd').fillNormal(new Float64Array(n)), off);
    check(new Float64Array(n), new Float64Array(n - 1)); // zero matrix
  });

  it('Wilkinson W+ (pairs equal to ~1e-14) and glued Wilkinson matrices (clusters of 10 close eigenvalues)', () => {
    const m = 101; // W101+: d_i = |50 − i|
    check(Float64Array.from({ length: m }, (_, i) => Math.abs(50 - i)), new Float64Array(m - 1).fill(1));
    const blocks = 10, w = 21, n = blocks * w;
    const d = Float64Array.from({ length: n }, (_, i) => Math.abs(10 - (i % w)));
    const off = Float64Array.from({ length: n - 1 }, (_, i) => ((i + 1) % w === 0 ? 1e-10 : 1));
    check(d, off);
  });

  it('is scale invariant: T·1e-20 and T·1e20 have the scaled eigenvalues and the same vectors', () => {
    // Without scaling to ‖T‖ = 1 the deflation test (ρ|z| vs max(|d|, |z|)) would deflate everything at 1e-20.
    const rng = new Rng('scale');
    const n = 100;
    const d = rng.fillNormal(new Float64Array(n)), off = rng.fillNormal(new Float64Array(n - 1));
    const ref = tridiagonalEigen(d, off, true);
    for (const s of [1e-20, 1e20]) {
      const r = tridiagonalEigen(d.map((v) => v * s), off.map((v) => v * s), true);
      for (let i = 0; i < n; i++) expect(Math.abs(r.values[i] / s - ref.values[i])).toBeLessThan(1e-12);
      let dot = 0;
      for (let i = 0; i < n; i++) dot += r.vectors!.data[i * n + 7] * ref.vectors!.data[i * n + 7];
      expect(Math.abs(Math.abs(dot) - 1)).toBeLessThan(1e-12);
    }
  });

  it('graded and badly scaled spectra (1e-12 to 1e4)', () => {
    const n = 120;
    const d = Float64Array.from({ length: n }, (_, i) => 10 ** (-12 + (16 * i) / (n - 1)));
    const off = Float64Array.from({ length: n - 1 }, (_, i) => 0.1 * Math.sqrt(d[i] * d[i + 1]));
    check(d, off);
  });
});
