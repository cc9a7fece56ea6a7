import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/core/errors.js';
import { mat } from '../../src/core/matrix.js';
import { Rng } from '../../src/core/rng.js';
import { loadData } from '../../src/data/load.js';
import { applyReluTeacher, drawReluTeacher, reluCross } from '../../src/data/teacher.js';
import type { DataSpec } from '../../src/spec/types.js';

const base: DataSpec = { source: 'gaussian', n: 40, nTest: 12, dim: 5, target: 'teacher-relu', outputs: 1, seed: 3, noise: 0 };
const spec = (o: Partial<DataSpec>): DataSpec => ({ ...base, ...o });

function errorOf(f: () => unknown): InputError {
  try {
    f();
  } catch (e) {
    if (e instanceof InputError) return e;
    throw e;
  }
  throw new Error('expected an InputError');
}

describe('gaussian source', () => {
  it('has shapes n×d, n×k, nTest×d, nTest×k', () => {
    const ds = loadData(spec({ outputs: 3 }));
    expect([ds.x.rows, ds.x.cols, ds.y.rows, ds.y.cols]).toEqual([40, 5, 40, 3]);
    expect([ds.xTest.rows, ds.xTest.cols, ds.yTest.rows, ds.yTest.cols]).toEqual([12, 5, 12, 3]);
  });

  it('is bit-identical for the same seed and different for another seed', () => {
    const a = loadData(base);
    const b = loadData(base);
    expect(Array.from(a.x.data)).toEqual(Array.from(b.x.data));
    expect(Array.from(a.y.data)).toEqual(Array.from(b.y.data));
    expect(Array.from(a.yTest.data)).toEqual(Array.from(b.yTest.data));
    const c = loadData(spec({ seed: 4 }));
    expect(c.x.data[0]).not.toBe(a.x.data[0]);
  });

  it('keeps streams apart: more points extend the training set without changing the test set or the teacher', () => {
    const a = loadData(base);
    const b = loadData(spec({ n: 60, nTest: 12 }));
    expect(Array.from(b.x.data.subarray(0, 40 * 5))).toEqual(Array.from(a.x.data));
    expect(Array.from(b.y.data.subarray(0, 40))).toEqual(Array.from(a.y.data));
    expect(Array.from(b.xTest.data)).toEqual(Array.from(a.xTest.data));
    expect(Array.from(b.yTest.data)).toEqual(Array.from(a.yTest.data));
  });

  it('gives output j of a k-output teacher the same function as output j of any other k', () => {
    const one = loadData(base);
    const three = loadData(spec({ outputs: 3 }));
    for (let i = 0; i < 40; i++) expect(three.y.data[i * 3]).toBe(one.y.data[i]);
    // the three outputs are different functions
    expect(three.y.data[1]).not.toBe(three.y.data[0]);
  });

  it('adds label noise of the given std to training targets only', () => {
    const clean = loadData(spec({ n: 4000, nTest: 5 }));
    const noisy = loadData(spec({ n: 4000, nTest: 5, noise: 0.5 }));
    expect(Array.from(noisy.yTest.data)).toEqual(Array.from(clean.yTest.data));
    let s = 0;
    for (let i = 0; i < 4000; i++) s += (noisy.y.data[i] - clean.y.data[i]) ** 2;
    // sample std of 4000 N(0, 0.25) draws: relative SE of the variance √(2/4000) ≈ 2.2%; 10% is > 4 SE
    expect(Math.sqrt(s / 4000)).toBeGreaterThan(0.5 * 0.95);
    expect(Math.sqrt(s / 4000)).toBeLessThan(0.5 * 1.05);
  });
});

describe('teacher-relu', () => {
  it('E relu(u) relu(v) matches the exact cases ρ = 1, 0, −1 of the arc-cosine kernel', () => {
    // ρ = 1: E relu(u)² = s/2; ρ = 0: (E relu)² = √(s11 s22)/(2π); ρ = −1: relu(u) relu(−cu) = 0
    expect(reluCross(2, 2, 2)).toBeCloseTo(1, 14);
    expect(reluCross(2, 0, 3)).toBeCloseTo(Math.sqrt(6) / (2 * Math.PI), 14);
    expect(reluCross(2, -Math.sqrt(6), 3)).toBeCloseTo(0, 14);
  });

  it('E relu(u) relu(v) agrees with Monte Carlo at ρ = 0.3', () => {
    const rng = new Rng('mc');
    const N = 200_000;
    const s11 = 1.5, s22 = 0.7, s12 = 0.3 * Math.sqrt(s11 * s22);
    // u = √s11 z1, v = ρ√s22 z1 + √(1−ρ²)√s22 z2
    let acc = 0;
    for (let i = 0; i < N; i++) {
      const z1 = rng.normal(), z2 = rng.normal();
      const u = Math.sqrt(s11) * z1;
      const v = 0.3 * Math.sqrt(s22) * z1 + Math.sqrt(1 - 0.09) * Math.sqrt(s22) * z2;
      if (u > 0 && v > 0) acc += u * v;
    }
    // E[(relu u relu v)²] ≲ 3·s11·s22/4: SE ≈ √(0.8/2e5) ≈ 2e-3; tolerance 5 SE = 0.01
    expect(Math.abs(acc / N - reluCross(s11, s12, s22))).toBeLessThan(0.01);
  });

  it('has mean 0 and variance 1 under x ~ N(0, I_d) (Monte Carlo on fresh inputs)', () => {
    for (const [d, m] of [[5, 16], [3, 4]] as const) {
      const t = drawReluTeacher(d, m, new Rng(`t${d}`));
      const N = 40_000;
      const X = mat(N, d);
      new Rng('fresh').fillNormal(X.data);
      const out = mat(N, 1);
      applyReluTeacher(t, X, out, 0);
      let s = 0, s2 = 0;
      for (let i = 0; i < N; i++) { s += out.data[i]; s2 += out.data[i] ** 2; }
      const mean = s / N, v = s2 / N - mean * mean;
      // SE of the mean 1/√N = 0.005 → tolerance 0.03 (6 SE); SE of the variance ≈ √((κ−1)/N) ≤ 0.015
      // for kurtosis κ ≤ 10 → tolerance 0.08. An unnormalised teacher is off by far more (its mean
      // alone is a sum of m terms of size 0.4).
      expect(Math.abs(mean)).toBeLessThan(0.03);
      expect(Math.abs(v - 1)).toBeLessThan(0.08);
    }
  });

  it('accepts teacher-relu:<m> and refuses a bad width', () => {
    const ds = loadData(spec({ target: 'teacher-relu:3' }));
    expect(ds.y.rows).toBe(40);
    expect(errorOf(() => loadData(spec({ target: 'teacher-relu:0' }))).where).toBe('data.target');
  });
});

describe('linear, sign and expression targets', () => {
  it('linear is exactly linear: the β fitted on the training set reproduces training and test targets', () => {
    // least squares with n > d points: y lies in the column space of X (residual ~ rounding)
    const ds = loadData(spec({ target: 'linear', n: 30 }));
    const d = 5, n = 30;
    // normal equations (XᵀX) β = Xᵀy solved by Gaussian elimination
    const A = Array.from({ length: d }, (_, a) => Array.from({ length: d + 1 }, (_, b) => {
      let s = 0;
      for (let i = 0; i < n; i++) s += ds.x.data[i * d + a] * (b < d ? ds.x.data[i * d + b] : ds.y.data[i]);
      return s;
    }));
    for (let c = 0; c < d; c++) for (let r = c + 1; r < d; r++) {
      const f = A[r][c] / A[c][c];
      for (let k = c; k <= d; k++) A[r][k] -= f * A[c][k];
    }
    const beta = new Array(d).fill(0);
    for (let r = d - 1; r >= 0; r--) {
      let s = A[r][d];
      for (let k = r + 1; k < d; k++) s -= A[r][k] * beta[k];
      beta[r] = s / A[r][r];
    }
    let res = 0;
    for (let i = 0; i < n; i++) {
      let f = 0;
      for (let j = 0; j < d; j++) f += beta[j] * ds.x.data[i * d + j];
      res = Math.max(res, Math.abs(f - ds.y.data[i]));
    }
    expect(res).toBeLessThan(1e-12); // rounding of a 5×5 solve
    // and the test targets follow the same β
    for (let i = 0; i < 12; i++) {
      let f = 0;
      for (let j = 0; j < d; j++) f += beta[j] * ds.xTest.data[i * d + j];
      expect(f).toBeCloseTo(ds.yTest.data[i], 11);
    }
  });

  it('sign is the sign of the linear target of the same seed', () => {
    const lin = loadData(spec({ target: 'linear' }));
    const sgn = loadData(spec({ target: 'sign' }));
    for (let i = 0; i < 40; i++) expect(sgn.y.data[i]).toBe(lin.y.data[i] >= 0 ? 1 : -1);
  });

  it('evaluates a mathjs expression in x1..xd at every point', () => {
    const ds = loadData(spec({ target: 'x1 * x2 + sin(x3) - x5^2' }));
    for (let i = 0; i < 40; i++) {
      const x = ds.x.data.subarray(i * 5, i * 5 + 5);
      expect(ds.y.data[i]).toBeCloseTo(x[0] * x[1] + Math.sin(x[2]) - x[4] ** 2, 12);
    }
  });

  it('refuses unknown variables, out-of-range x_j and multi-output expressions at data.target', () => {
    let e = errorOf(() => loadData(spec({ target: 'x1 + foo' })));
    expect(e.where).toBe('data.target');
    expect(e.what).toContain('"foo"');
    e = errorOf(() => loadData(spec({ target: 'x6' })));
    expect(e.what).toContain('data.dim is 5');
    e = errorOf(() => loadData(spec({ target: 'x1', outputs: 2 })));
    expect(e.where).toBe('data.target');
    e = errorOf(() => loadData(spec({ target: 'log(x1 - 100)' })));
    expect(e.what).toMatch(/not a finite number/);
  });
});
