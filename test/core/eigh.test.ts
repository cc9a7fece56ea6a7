import { describe, it, expect } from 'vitest';
import { eigh, eighValues, tridiagonalEigen } from '../../src/core/eigh.js';
import { mat, type Mat } from '../../src/core/matrix.js';
import { gemm } from '../../src/core/gemm.js';
import { Rng } from '../../src/core/rng.js';

const EPS = 2.220446049250313e-16;

function randomSymmetric(n: number, rng: Rng): Mat {
  const a = mat(n, n);
  for (let i = 0; i < n; i++) for (let j = i; j < n; j++) {
    const v = rng.normal();
    a.data[i * n + j] = v;
    a.data[j * n + i] = v;
  }
  return a;
}

/** Random orthogonal matrix by modified Gram–Schmidt (twice) on a Gaussian matrix: independent of eigh. */
function randomOrthogonal(n: number, rng: Rng): Mat {
  const q = mat(n, n);
  rng.fillNormal(q.data);
  for (let j = 0; j < n; j++) {
    for (let pass = 0; pass < 2; pass++) {
      for (let k = 0; k < j; k++) {
        let s = 0;
        for (let i = 0; i < n; i++) s += q.data[i * n + k] * q.data[i * n + j];
        for (let i = 0; i < n; i++) q.data[i * n + j] -= s * q.data[i * n + k];
      }
    }
    let s = 0;
    for (let i = 0; i < n; i++) s += q.data[i * n + j] ** 2;
    s = Math.sqrt(s);
    for (let i = 0; i < n; i++) q.data[i * n + j] /= s;
  }
  return q;
}

/** Q diag(λ) Qᵀ. */
function withSpectrum(lambda: number[], q: Mat): Mat {
  const n = lambda.length;
  const ql = mat(n, n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) ql.data[i * n + j] = q.data[i * n + j] * lambda[j];
  const a = gemm(false, true, 1, ql, q);
  for (let i = 0; i < n; i++) for (let j = 0; j < i; j++) a.data[i * n + j] = a.data[j * n + i];
  return a;
}

/** max |A V − V Λ| and max |VᵀV − I|. */
function residuals(a: Mat, values: Float64Array, v: Mat): { res: number; orth: number } {
  const n = a.rows;
  const av = gemm(false, false, 1, a, v);
  const vtv = gemm(true, false, 1, v, v);
  let res = 0, orth = 0;
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) {
    res = Math.max(res, Math.abs(av.data[i * n + j] - v.data[i * n + j] * values[j]));
    orth = Math.max(orth, Math.abs(vtv.data[i * n + j] - (i === j ? 1 : 0)));
  }
  return { res, orth };
}

function spectralNorm(values: Float64Array): number {
  return values.length === 0 ? 0 : Math.max(Math.abs(values[0]), Math.abs(values[values.length - 1]));
}

function ascending(v: Float64Array): boolean {
  for (let i = 1; i < v.length; i++) if (v[i] < v[i - 1]) return false;
  return true;
}

describe('eigh (dense symmetric)', () => {
  it('random symmetric matrices: A V = V Λ to 20 n ε ‖A‖, VᵀV = I to 20 n ε, values ascending', () => {
    // Householder + QL is backward stable: residual O(n ε ‖A‖), orthogonality O(n ε) (Golub–Van Loan §8.3).
    const rng = new Rng('eigh-random');
    for (const n of [1, 2, 3, 4, 7, 16, 33, 64, 129]) {
      const a = randomSymmetric(n, rng);
      const { values, vectors, status } = eigh(a);
      expect(status).toBe('ok');
      expect(ascending(values)).toBe(true);
      const { res, orth } = residuals(a, values, vectors);
      expect(res).toBeLessThan(20 * n * EPS * spectralNorm(values));
      expect(orth).toBeLessThan(20 * n * EPS);
    }
  });

  it('recovers a prescribed spectrum with repeated eigenvalues and a 1e11 spread (absolute error n ε ‖A‖)', () => {
    const rng = new Rng('eigh-spectrum');
    const n = 40;
    const lambda: number[] = [];
    for (let i = 0; i < n; i++) lambda.push(i < 10 ? 2 : i < 15 ? -3e2 : i < 20 ? 1e-8 : (i - 20) * 0.37 - 4);
    const a = withSpectrum(lambda, randomOrthogonal(n, rng));
    const { values, vectors } = eigh(a);
    const want = Float64Array.from(lambda).sort();
    for (let i = 0; i < n; i++) expect(Math.abs(values[i] - want[i])).toBeLessThan(10 * n * EPS * 300);
    const { res, orth } = residuals(a, values, vectors);
    expect(res).toBeLessThan(20 * n * EPS * 300);
    expect(orth).toBeLessThan(20 * n * EPS);
  });

  it('a Gaussian kernel matrix (eigenvalues decaying below ε‖K‖, a dense cluster near 0) keeps orthonormal vectors', () => {
    // Kernel matrices are the main input (NTK predictor); the cluster of tiny eigenvalues is where
    // shift strategies and deflation are most stressed. Bounds as for random matrices.
    const n = 150;
    const k = mat(n, n);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) k.data[i * n + j] = Math.exp(-(((i - j) / 40) ** 2));
    const { values, vectors, status } = eigh(k);
    expect(status).toBe('ok');
    const top = spectralNorm(values);
    expect(values[0]).toBeGreaterThan(-20 * n * EPS * top); // PSD up to rounding
    const { res, orth } = residuals(k, values, vectors);
    expect(res).toBeLessThan(20 * n * EPS * top);
    expect(orth).toBeLessThan(20 * n * EPS);
  });

  it('α I + β 11ᵀ: eigenvalue α with multiplicity n − 1 and α + nβ, with an orthonormal eigenbasis', () => {
    const n = 25, alpha = 1.5, beta = 0.2;
    const a = mat(n, n);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) a.data[i * n + j] = beta + (i === j ? alpha : 0);
    const { values, vectors } = eigh(a);
    for (let i = 0; i < n - 1; i++) expect(Math.abs(values[i] - alpha)).toBeLessThan(1e-13);
    expect(Math.abs(values[n - 1] - (alpha + n * beta))).toBeLessThan(1e-13);
    // The top eigenvector is ±1/√n.
    for (let i = 0; i < n; i++) expect(Math.abs(Math.abs(vectors.data[i * n + n - 1]) - 1 / Math.sqrt(n))).toBeLessThan(1e-13);
    const { res, orth } = residuals(a, values, vectors);
    expect(res).toBeLessThan(1e-13);
    expect(orth).toBeLessThan(1e-13);
  });

  it('tridiagonal Toeplitz (a, b): λ_k = a + 2b cos(kπ/(n+1)) (closed form), dense path', () => {
    for (const n of [2, 5, 50, 101]) {
      const a0 = 0.3, b = -1.2;
      const a = mat(n, n);
      for (let i = 0; i < n; i++) {
        a.data[i * n + i] = a0;
        if (i + 1 < n) { a.data[i * n + i + 1] = b; a.data[(i + 1) * n + i] = b; }
      }
      const want = Float64Array.from({ length: n }, (_, k) => a0 + 2 * b * Math.cos(((k + 1) * Math.PI) / (n + 1))).sort();
      const got = eighValues(a);
      for (let k = 0; k < n; k++) expect(Math.abs(got[k] - want[k])).toBeLessThan(4 * n * EPS * 3);
    }
  });

  it('diagonal input: sorted diagonal and a signed permutation as eigenvectors', () => {
    const d = [3, -1, 7, 0, -1e-3];
    const n = d.length;
    const a = mat(n, n);
    d.forEach((v, i) => { a.data[i * n + i] = v; });
    const { values, vectors } = eigh(a);
    expect(Array.from(values)).toEqual([...d].sort((x, y) => x - y));
    for (let j = 0; j < n; j++) {
      const i = d.indexOf(values[j]);
      expect(Math.abs(vectors.data[i * n + j])).toBe(1);
    }
  });

  it('handles 0×0, 1×1 and the zero matrix', () => {
    const e0 = eigh(mat(0, 0));
    expect(e0.values.length).toBe(0);
    expect(e0.vectors.rows).toBe(0);
    const e1 = eigh(mat(1, 1, Float64Array.of(-4.5)));
    expect(Array.from(e1.values)).toEqual([-4.5]);
    expect(Array.from(e1.vectors.data)).toEqual([1]);
    const z = eigh(mat(6, 6));
    expect(Array.from(z.values)).toEqual([0, 0, 0, 0, 0, 0]);
    expect(residuals(mat(6, 6), z.values, z.vectors).orth).toBeLessThan(1e-15);
  });

  it('reads only the upper triangle', () => {
    const a = randomSymmetric(9, new Rng('upper'));
    const b = mat(9, 9, a.data.slice());
    for (let i = 0; i < 9; i++) for (let j = 0; j < i; j++) b.data[i * 9 + j] = 1e9;
    expect(Array.from(eigh(b).values)).toEqual(Array.from(eigh(a).values));
  });

  it('eighValues agrees with eigh and with the trace and Frobenius norm (Σλ = tr A, Σλ² = ‖A‖²_F)', () => {
    const rng = new Rng('values');
    const a = randomSymmetric(80, rng);
    const v = eighValues(a);
    const full = eigh(a).values;
    let tr = 0, fro = 0, s1 = 0, s2 = 0;
    for (let i = 0; i < 80; i++) {
      tr += a.data[i * 81];
      expect(Math.abs(v[i] - full[i])).toBeLessThan(1e-13 * spectralNorm(full));
      s1 += v[i];
      s2 += v[i] * v[i];
    }
    for (const x of a.data) fro += x * x;
    expect(Math.abs(s1 - tr)).toBeLessThan(1e-11);
    expect(Math.abs(s2 / fro - 1)).toBeLessThan(1e-13);
  });

  it('returns status nan (no throw) for non-finite input', () => {
    const a = mat(3, 3);
    a.data[1] = NaN;
    const r = eigh(a);
    expect(r.status).toBe('nan');
    expect(r.message).toMatch(/non-finite/);
    expect(eighValues(a).every(Number.isNaN)).toBe(true);
  });
});

describe('eigh with subnormal entries or norm', () => {
  /** True iff no entry is NaN or infinite. */
  const finite = (x: Float64Array) => x.every(Number.isFinite);

  /**
   * A0 = diag(Q diag(λ) Qᵀ, diag(μ)) (known spectrum λ ∪ μ), then subnormal entries (1e-310 down to
   * 5e-324) put in the coupling block and among the dead rows: the pattern of a Gram matrix with
   * dead units. By Weyl ‖A − A0‖ ≤ n·1e-310, so the eigenvalues of A are λ ∪ μ
   * up to that and the rounding of Q diag(λ) Qᵀ (≤ n ε max|λ|).
   */
  function deadUnits(n: number, live: number, rng: Rng): { a: Mat; want: Float64Array } {
    const lambda = Array.from({ length: live }, (_, i) => (i % 3 === 0 ? 2 : 1) * (i + 1) / live - 0.5);
    const mu = Array.from({ length: n - live }, (_, i) => (i % 2 === 0 ? 0 : 0.25));
    const b = withSpectrum(lambda, randomOrthogonal(live, rng));
    const a = mat(n, n);
    for (let i = 0; i < live; i++) for (let j = 0; j < live; j++) a.data[i * n + j] = b.data[i * live + j];
    for (let i = live; i < n; i++) a.data[i * n + i] = mu[i - live];
    const tiny = [1e-310, 3e-318, 5e-324, -2e-320, 7e-315];
    for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) {
      if (j < live) continue; // the dense block is kept (its entries are not subnormal)
      const v = rng.uniform() < 0.6 ? tiny[rng.int(tiny.length)] : 0;
      a.data[i * n + j] = v;
      a.data[j * n + i] = v;
    }
    return { a, want: Float64Array.from([...lambda, ...mu]).sort() };
  }

  it('a matrix with dead units (subnormal rows and couplings): no NaN, A V = V Λ to 20 n ε ‖A‖, VᵀV = I, known spectrum', () => {
    // Before the fix a Householder vector with subnormal norm was divided by it: 1/(x₀ − β) = ∞ and
    // v = NaN. Bounds: backward stability as for random matrices (20 n ε ‖A‖ ≤ 1e-12 ‖A‖ here); the
    // eigenvalue bound is Weyl's (see deadUnits) plus 10 n ε ‖A‖ for the reduction.
    const rng = new Rng('eigh-subnormal');
    for (const [n, live] of [[3, 1], [6, 3], [40, 25], [150, 90]]) { // 150 > 128: the blocked (panel) path
      const { a, want } = deadUnits(n, live, rng);
      const { values, vectors, status } = eigh(a);
      expect(status).toBe('ok');
      expect(finite(values) && finite(vectors.data)).toBe(true);
      const norm = spectralNorm(want);
      for (let i = 0; i < n; i++) expect(Math.abs(values[i] - want[i])).toBeLessThan(10 * n * EPS * norm);
      const { res, orth } = residuals(a, values, vectors);
      expect(res).toBeLessThan(20 * n * EPS * norm);
      expect(orth).toBeLessThan(20 * n * EPS);
      const v = eighValues(a);
      for (let i = 0; i < n; i++) expect(Math.abs(v[i] - want[i])).toBeLessThan(10 * n * EPS * norm);
    }
  });

  it('a diagonal matrix with subnormal off-diagonal entries: eigenvalues = the diagonal, a near-permutation basis', () => {
    // ‖A − diag‖ ≤ 1e-310, so the eigenvalues are the diagonal entries to within a few ε (the
    // reflectors that swap coordinates are orthogonal only to O(ε)); vectors orthonormal to 20 n ε.
    const d = [3, -1, 7, 0.5, 2, -4];
    const n = d.length;
    const a = mat(n, n);
    d.forEach((v, i) => { a.data[i * n + i] = v; });
    for (const [i, j, v] of [[0, 5, 5e-324], [1, 3, 1e-310], [2, 3, -3e-320], [0, 1, 2e-322]] as const) {
      a.data[i * n + j] = v;
      a.data[j * n + i] = v;
    }
    const { values, vectors, status } = eigh(a);
    expect(status).toBe('ok');
    const want = [...d].sort((x, y) => x - y);
    for (let i = 0; i < n; i++) expect(Math.abs(values[i] - want[i])).toBeLessThan(8 * EPS * 7);
    const { res, orth } = residuals(a, values, vectors);
    expect(res).toBeLessThan(20 * n * EPS * 7);
    expect(orth).toBeLessThan(20 * n * EPS);
    for (let j = 0; j < n; j++) {
      let big = 0;
      for (let i = 0; i < n; i++) big = Math.max(big, Math.abs(vectors.data[i * n + j]));
      expect(Math.abs(big - 1)).toBeLessThan(1e-14); // each eigenvector is ± a coordinate vector
    }
  });

  it('a wholly subnormal (2^−1060) or huge (2^600) matrix: closed-form Toeplitz spectrum to relative n ε', () => {
    // Without scaling, the reduction of a subnormal matrix runs in subnormal arithmetic (absolute
    // accuracy 2^−1074, i.e. only ~13 significant bits here) and the tridiagonal solver's own
    // scaling overflowed (2^1060 = ∞). T(a, b) scaled by s = 2^±k is exact (small integers).
    // λ_k = s (a + 2b cos(kπ/(n+1))); the residual is checked on A/s (exact) with the closed-form
    // λ_k, where it is meaningful (V does not depend on s).
    const n = 20, a0 = 3, b = -2;
    for (const k of [-1060, -700, 600]) {
      const s = k < -1022 ? 2 ** (k + 100) * 2 ** -100 : 2 ** k;
      const a = mat(n, n), unit = mat(n, n);
      for (let i = 0; i < n; i++) {
        unit.data[i * n + i] = a0;
        if (i + 1 < n) { unit.data[i * n + i + 1] = b; unit.data[(i + 1) * n + i] = b; }
      }
      for (let i = 0; i < n * n; i++) a.data[i] = unit.data[i] * s;
      const want = Float64Array.from({ length: n }, (_, j) => a0 + 2 * b * Math.cos(((j + 1) * Math.PI) / (n + 1))).sort();
      const { values, vectors, status } = eigh(a);
      expect(status).toBe('ok');
      // The values themselves are subnormal for k = −1060 (grid 2^−1074): half a grid step more.
      const tol = 10 * n * EPS * 7 * s + 2 ** -1074;
      for (let j = 0; j < n; j++) expect(Math.abs(values[j] - want[j] * s)).toBeLessThan(tol);
      const { res, orth } = residuals(unit, want, vectors);
      expect(res).toBeLessThan(20 * n * EPS * 7);
      expect(orth).toBeLessThan(20 * n * EPS);
      const v = eighValues(a);
      for (let j = 0; j < n; j++) expect(Math.abs(v[j] - want[j] * s)).toBeLessThan(tol);
    }
  });
});

describe('tridiagonalEigen', () => {
  it('tridiagonal Toeplitz: closed-form eigenvalues and eigenvectors sin(jkπ/(n+1)) up to sign', () => {
    const n = 30, a0 = 2, b = 1;
    const diag = new Float64Array(n).fill(a0);
    const off = new Float64Array(n - 1).fill(b);
    const { values, vectors, status } = tridiagonalEigen(diag, off, true);
    expect(status).toBe('ok');
    // λ ascending ↔ k descending for b > 0: λ_k = a + 2b cos(kπ/(n+1)).
    for (let j = 0; j < n; j++) {
      const k = n - j;
      expect(Math.abs(values[j] - (a0 + 2 * b * Math.cos((k * Math.PI) / (n + 1))))).toBeLessThan(1e-14 * n);
      const norm = Math.sqrt((n + 1) / 2);
      const sign = Math.sign(vectors!.data[j]) * Math.sign(Math.sin((k * Math.PI) / (n + 1)));
      for (let i = 0; i < n; i++) {
        const want = (sign * Math.sin(((i + 1) * k * Math.PI) / (n + 1))) / norm;
        expect(Math.abs(vectors!.data[i * n + j] - want)).toBeLessThan(1e-13);
      }
    }
  });

  it('split matrices (zero off-diagonals) and the Wilkinson matrix W21+ (pairs equal to ~1e-14) keep orthogonal vectors', () => {
    const n = 21;
    const diag = Float64Array.from({ length: n }, (_, i) => Math.abs(10 - i));
    const off = new Float64Array(n - 1).fill(1);
    const w = tridiagonalEigen(diag, off, true);
    const t = mat(n, n);
    for (let i = 0; i < n; i++) {
      t.data[i * n + i] = diag[i];
      if (i + 1 < n) { t.data[i * n + i + 1] = 1; t.data[(i + 1) * n + i] = 1; }
    }
    const r = residuals(t, w.values, w.vectors!);
    expect(r.res).toBeLessThan(1e-13);
    expect(r.orth).toBeLessThan(1e-13);
    // The two largest eigenvalues of W21+ agree to about 1e-14 (Wilkinson 1965): 10.746194182903...
    expect(Math.abs(w.values[n - 1] - 10.746194182903393)).toBeLessThan(1e-12);
    const split = tridiagonalEigen(Float64Array.of(1, 2, 3, 4), Float64Array.of(0.5, 0, 0.5), true);
    const s = mat(4, 4, Float64Array.from([1, 0.5, 0, 0, 0.5, 2, 0, 0, 0, 0, 3, 0.5, 0, 0, 0.5, 4]));
    const rs = residuals(s, split.values, split.vectors!);
    expect(rs.res).toBeLessThan(1e-14);
    expect(rs.orth).toBeLessThan(1e-14);
  });

  it('values-only mode returns null vectors; 0- and 1-dimensional inputs; length mismatch throws; inputs untouched', () => {
    const diag = Float64Array.of(1, 2, 3), off = Float64Array.of(1, 1);
    const r = tridiagonalEigen(diag, off, false);
    expect(r.vectors).toBeNull();
    expect(Array.from(diag)).toEqual([1, 2, 3]);
    expect(Array.from(off)).toEqual([1, 1]);
    // Eigenvalues of [[1,1,0],[1,2,1],[0,1,3]]: 2 and 2 ± √3.
    expect(Math.abs(r.values[0] - (2 - Math.sqrt(3)))).toBeLessThan(1e-15 * 8);
    expect(Math.abs(r.values[1] - 2)).toBeLessThan(1e-15 * 8);
    expect(tridiagonalEigen(new Float64Array(0), new Float64Array(0), true).values.length).toBe(0);
    expect(Array.from(tridiagonalEigen(Float64Array.of(5), new Float64Array(0), true).vectors!.data)).toEqual([1]);
    expect(() => tridiagonalEigen(diag, Float64Array.of(1), false)).toThrow(RangeError);
    expect(tridiagonalEigen(Float64Array.of(1, NaN), Float64Array.of(0), true).status).toBe('nan');
  });
});
