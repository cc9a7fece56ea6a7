import { describe, it, expect } from 'vitest';
import { luFactor, luSolve, solve, inverse, logAbsDet } from '../../src/core/lu.js';
import { eighValues } from '../../src/core/eigh.js';
import { mat, fromRows, identity, type Mat } from '../../src/core/matrix.js';
import { gemm } from '../../src/core/gemm.js';
import { Rng } from '../../src/core/rng.js';

const EPS = 2.220446049250313e-16;

function randomMat(n: number, rng: Rng, diag = 0): Mat {
  const a = mat(n, n);
  rng.fillNormal(a.data);
  for (let i = 0; i < n; i++) a.data[i * n + i] += diag;
  return a;
}
function maxAbs(m: Mat): number {
  let s = 0;
  for (const v of m.data) s = Math.max(s, Math.abs(v));
  return s;
}

describe('LU with partial pivoting', () => {
  it('reconstructs P A = L U with |multipliers| ≤ 1 (random matrices, odd sizes, several panels)', () => {
    // Backward error of GEPP: ‖PA − LU‖ ≤ ~n ε ‖L‖‖U‖ (Higham Thm 9.3); here entries are O(√n).
    const rng = new Rng('lu');
    for (const n of [1, 2, 3, 9, 33, 97, 250]) { // 33 and 97 span several 32-column panels
      const a = randomMat(n, rng);
      const f = luFactor(a);
      expect(f.singular).toBe(false);
      const l = identity(n), u = mat(n, n);
      let maxMultiplier = 0, err = 0;
      for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) {
        const v = f.lu.data[i * n + j];
        if (j < i) { l.data[i * n + j] = v; maxMultiplier = Math.max(maxMultiplier, Math.abs(v)); } else u.data[i * n + j] = v;
      }
      expect(maxMultiplier).toBeLessThanOrEqual(1);
      const lu = gemm(false, false, 1, l, u);
      for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) {
        err = Math.max(err, Math.abs(lu.data[i * n + j] - a.data[f.piv[i] * n + j]));
      }
      expect(err).toBeLessThan(10 * n * EPS * maxAbs(u) * n);
    }
  });

  it('solves A X = B with a small residual, including a matrix that needs a row swap', () => {
    const rng = new Rng('solve');
    for (const n of [2, 7, 40]) {
      const a = randomMat(n, rng);
      const b = mat(n, 4);
      rng.fillNormal(b.data);
      const x = solve(a, b);
      const r = gemm(false, false, 1, a, x, -1, mat(n, 4, b.data.slice()));
      expect(maxAbs(r)).toBeLessThan(100 * n * EPS * maxAbs(a) * maxAbs(x) * n);
    }
    const x = solve(fromRows([[0, 1], [1, 0]]), fromRows([[2], [3]]));
    expect(Array.from(x.data)).toEqual([3, 2]);
  });

  it('inverse(A)·A = I for a diagonally dominant matrix (condition ≈ 1, error ~ n ε)', () => {
    const a = randomMat(25, new Rng('inv'), 20);
    const p = gemm(false, false, 1, inverse(a), a);
    for (let i = 0; i < 25; i++) for (let j = 0; j < 25; j++) {
      expect(Math.abs(p.data[i * 25 + j] - (i === j ? 1 : 0))).toBeLessThan(1e-13);
    }
  });

  it('flags exactly and numerically singular matrices; solve and inverse throw RangeError', () => {
    expect(luFactor(fromRows([[1, 2], [2, 4]])).singular).toBe(true);
    // Third row = first + second with inexact decimals: the last pivot is rounding noise, not 0.
    const s = fromRows([[0.1, 0.7, 0.3], [0.2, 0.9, 1.3], [0.1 + 0.2, 0.7 + 0.9, 0.3 + 1.3]]);
    expect(luFactor(s).singular).toBe(true);
    expect(() => solve(s, identity(3))).toThrow(RangeError);
    expect(() => inverse(mat(2, 2))).toThrow(RangeError);
    expect(luFactor(fromRows([[1, NaN], [0, 1]])).singular).toBe(true);
  });

  it('does not flag a badly scaled but regular matrix (row scaling): diag(1, 1e-20)', () => {
    const a = fromRows([[1, 0], [0, 1e-20]]);
    expect(luFactor(a).singular).toBe(false);
    expect(solve(a, fromRows([[1], [1]])).data[1]).toBeCloseTo(1e20, -5);
    expect(logAbsDet(a)).toBeCloseTo(Math.log(1e-20), 12);
  });

  it('logAbsDet equals Σ log|λ| from the symmetric eigensolver and is additive over products', () => {
    const rng = new Rng('det');
    const b = randomMat(12, rng);
    const sym = gemm(false, true, 1, b, b, 0);
    for (let i = 0; i < 12; i++) sym.data[i * 12 + i] -= 3; // indefinite
    let s = 0;
    for (const l of eighValues(sym)) s += Math.log(Math.abs(l));
    expect(Math.abs(logAbsDet(sym) - s)).toBeLessThan(1e-10);
    const c = randomMat(12, rng);
    expect(logAbsDet(gemm(false, false, 1, b, c))).toBeCloseTo(logAbsDet(b) + logAbsDet(c), 10);
    expect(logAbsDet(fromRows([[2, 1], [1, 3]]))).toBeCloseTo(Math.log(5), 15);
    expect(logAbsDet(fromRows([[1, 2], [2, 4]]))).toBe(-Infinity);
    expect(logAbsDet(mat(0, 0))).toBe(0);
  });

  it('luSolve reuses one factorization for several right-hand sides', () => {
    const rng = new Rng('reuse');
    const a = randomMat(6, rng);
    const f = luFactor(a);
    for (let t = 0; t < 3; t++) {
      const b = mat(6, 1);
      rng.fillNormal(b.data);
      const x = luSolve(f, b);
      const r = gemm(false, false, 1, a, x, -1, mat(6, 1, b.data.slice()));
      expect(maxAbs(r)).toBeLessThan(1e-12);
    }
  });
});
