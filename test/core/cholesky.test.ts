import { describe, it, expect } from 'vitest';
import { cholesky, choleskySolve, choleskySolveVec, solveSpd } from '../../src/core/cholesky.js';
import { mat, fromRows, toRows, type Mat } from '../../src/core/matrix.js';
import { gemm } from '../../src/core/gemm.js';
import { Rng } from '../../src/core/rng.js';

const EPS = 2.220446049250313e-16;

function randomSpd(n: number, rng: Rng, shift = 1): Mat {
  const b = mat(n, n);
  rng.fillNormal(b.data);
  const a = gemm(false, true, 1, b, b);
  for (let i = 0; i < n; i++) a.data[i * n + i] += shift;
  return a;
}

function maxAbs(m: Mat): number {
  let s = 0;
  for (const v of m.data) s = Math.max(s, Math.abs(v));
  return s;
}

describe('cholesky', () => {
  it('factors a small matrix exactly: [[4,2],[2,3]] = L Lᵀ with L = [[2,0],[1,√2]]', () => {
    const l = cholesky(fromRows([[4, 2], [2, 3]]))!;
    expect(toRows(l)).toEqual([[2, 0], [1, Math.SQRT2]]);
  });

  it('reconstructs random SPD matrices: L lower triangular, L Lᵀ = A to n ε max|A|', () => {
    // Backward error of Cholesky is bounded by ~n ε |L||Lᵀ| ≤ n ε max diag A (Higham Thm 10.3).
    const rng = new Rng('chol');
    for (const n of [1, 2, 3, 8, 31, 64, 129, 300]) { // above 128: blocked
      const a = randomSpd(n, rng);
      const l = cholesky(a)!;
      let minDiag = Infinity, maxUpper = 0, err = 0;
      for (let i = 0; i < n; i++) {
        minDiag = Math.min(minDiag, l.data[i * n + i]);
        for (let j = i + 1; j < n; j++) maxUpper = Math.max(maxUpper, Math.abs(l.data[i * n + j]));
      }
      expect(minDiag).toBeGreaterThan(0);
      expect(maxUpper).toBe(0);
      const llt = gemm(false, true, 1, l, l);
      for (let i = 0; i < n * n; i++) err = Math.max(err, Math.abs(llt.data[i] - a.data[i]));
      expect(err).toBeLessThan(4 * n * EPS * maxAbs(a));
    }
  });

  it('reads only the lower triangle (unblocked and blocked paths)', () => {
    for (const n of [7, 200]) {
      const a = randomSpd(n, new Rng('lower'));
      const garbage = mat(n, n, a.data.slice());
      for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) garbage.data[i * n + j] = 1e6 * (i - j);
      expect(Array.from(cholesky(garbage)!.data)).toEqual(Array.from(cholesky(a)!.data));
    }
  });

  it('returns null for indefinite, singular, negative and non-finite matrices, and handles 0×0', () => {
    expect(cholesky(fromRows([[1, 2], [2, 1]]))).toBeNull();
    expect(cholesky(fromRows([[1, 1], [1, 1]]))).toBeNull();
    expect(cholesky(fromRows([[-1]]))).toBeNull();
    expect(cholesky(fromRows([[1, 0, 0], [0, 1, 0], [0, 0, -1]]))).toBeNull(); // fails in the odd last row
    expect(cholesky(fromRows([[1, 0, 0], [0, 0, 0], [0, 0, 1]]))).toBeNull(); // fails in a paired row
    const big = randomSpd(300, new Rng('late-failure'));
    big.data[250 * 300 + 250] = -1; // blocked path: fails in a later diagonal block
    expect(cholesky(big)).toBeNull();
    expect(cholesky(fromRows([[NaN]]))).toBeNull();
    expect(cholesky(mat(0, 0))!.rows).toBe(0);
  });

  it('choleskySolve solves A X = B (residual ≤ 10 n ε ‖A‖‖X‖) for several right-hand sides; the vector form agrees', () => {
    const rng = new Rng('solve');
    for (const n of [1, 5, 40, 200]) {
      const a = randomSpd(n, rng);
      const b = mat(n, 3);
      rng.fillNormal(b.data);
      const x = choleskySolve(cholesky(a)!, b);
      const r = gemm(false, false, 1, a, x, -1, mat(n, 3, b.data.slice()));
      expect(maxAbs(r)).toBeLessThan(10 * n * EPS * maxAbs(a) * maxAbs(x) * n);
      const col = Float64Array.from({ length: n }, (_, i) => b.data[i * 3 + 1]);
      const xv = choleskySolveVec(cholesky(a)!, col);
      for (let i = 0; i < n; i++) expect(xv[i]).toBeCloseTo(x.data[i * 3 + 1], 10);
    }
  });
});

describe('solveSpd', () => {
  it('uses no jitter for a well-conditioned SPD matrix', () => {
    const a = randomSpd(10, new Rng('spd'));
    const r = solveSpd(a, mat(10, 1, new Float64Array(10).fill(1)));
    expect(r.status).toBe('ok');
    expect(r.jitter).toBe(0);
    expect(r.message).toBe('');
  });

  it('adds the smallest sufficient jitter for a singular PSD Gram matrix and still solves a consistent system', () => {
    // Gram matrix of 6 points in 2 dimensions: rank 2, so Cholesky breaks down without jitter.
    const rng = new Rng('psd');
    const x = mat(6, 2);
    rng.fillNormal(x.data);
    const k = gemm(false, true, 1, x, x);
    const c = mat(6, 1);
    rng.fillNormal(c.data);
    const b = gemm(false, false, 1, k, c); // b in the range of K
    const r = solveSpd(k, b);
    expect(r.status).toBe('ok');
    expect([1e-12, 1e-10, 1e-8, 1e-6].some((j) => Math.abs(r.jitter / j - 1) < 1e-9)).toBe(true);
    // Residual of the regularized solve is jitter·mean(diag)·‖x‖ plus rounding amplified by 1/jitter.
    const res = gemm(false, false, 1, k, r.x, -1, mat(6, 1, b.data.slice()));
    expect(maxAbs(res)).toBeLessThan(1e-4 * maxAbs(b));
  });

  it('fails with a message (no throw, no silent NaN) for an indefinite matrix, a zero matrix or a non-finite right-hand side', () => {
    const cases: Array<[Mat, Mat]> = [
      [fromRows([[1, 0], [0, -1]]), mat(2, 1, Float64Array.from([1, 1]))],
      [mat(2, 2), mat(2, 1, Float64Array.from([1, 1]))],
      [fromRows([[2, 0], [0, 2]]), mat(2, 1, Float64Array.from([1, NaN]))],
    ];
    for (const [a, b] of cases) {
      const r = solveSpd(a, b);
      expect(r.status).toBe('failed');
      expect(r.message.length).toBeGreaterThan(0);
    }
  });

  it('respects maxJitter: a matrix needing more than allowed fails', () => {
    // diag(1, −1e-9): needs jitter ≥ 2e-9 (mean diag ≈ 0.5), so maxJitter 1e-10 is not enough.
    const a = fromRows([[1, 0], [0, -1e-9]]);
    const b = mat(2, 1, Float64Array.from([1, 1]));
    expect(solveSpd(a, b, { maxJitter: 1e-10 }).status).toBe('failed');
    const ok = solveSpd(a, b, { maxJitter: 1e-6 });
    expect(ok.status).toBe('ok');
    expect(ok.jitter).toBeCloseTo(1e-8, 20);
  });
});
