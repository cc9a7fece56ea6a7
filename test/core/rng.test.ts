import { describe, it, expect } from 'vitest';
import { Rng } from '../../src/core/rng.js';

function draw(r: Rng, k: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < k; i++) out.push(r.uniform(), r.normal(), r.int(1000));
  return out;
}

describe('Rng', () => {
  it('is deterministic: the same seed gives bit-identical streams (uniform, normal, int, permutation)', () => {
    const a = new Rng(42), b = new Rng('42');
    expect(draw(a, 200)).toEqual(draw(b, 200));
    expect(Array.from(a.permutation(50))).toEqual(Array.from(b.permutation(50)));
    expect(Array.from(a.fillNormal(new Float64Array(33), 2, 1))).toEqual(Array.from(b.fillNormal(new Float64Array(33), 2, 1)));
  });

  it('gives different streams for different seeds', () => {
    expect(draw(new Rng(1), 10)).not.toEqual(draw(new Rng(2), 10));
  });

  it('child streams do not depend on how much of the parent was consumed', () => {
    const fresh = new Rng('s').child('layer/1');
    const used = new Rng('s');
    draw(used, 1000);
    used.normal(); // leave a cached spare normal in the parent
    expect(draw(used.child('layer/1'), 100)).toEqual(draw(fresh, 100));
  });

  it('child streams with different names, and the parent, are distinct and uncorrelated', () => {
    // |corr| of N independent uniforms has sd 1/√N; 5/√N is a 5-sigma bound.
    const N = 20000;
    const p = new Rng('s'), c1 = p.child('a'), c2 = p.child('b');
    const x = new Float64Array(N), y = new Float64Array(N), z = new Float64Array(N);
    for (let i = 0; i < N; i++) { x[i] = p.uniform(); y[i] = c1.uniform(); z[i] = c2.uniform(); }
    const corr = (u: Float64Array, v: Float64Array) => {
      let su = 0, sv = 0, suv = 0, suu = 0, svv = 0;
      for (let i = 0; i < N; i++) { su += u[i]; sv += v[i]; }
      su /= N; sv /= N;
      for (let i = 0; i < N; i++) { suv += (u[i] - su) * (v[i] - sv); suu += (u[i] - su) ** 2; svv += (v[i] - sv) ** 2; }
      return suv / Math.sqrt(suu * svv);
    };
    expect(Math.abs(corr(x, y))).toBeLessThan(5 / Math.sqrt(N));
    expect(Math.abs(corr(y, z))).toBeLessThan(5 / Math.sqrt(N));
    expect(y[0]).not.toBe(z[0]);
  });

  it('normal() has mean 0, variance 1 and fourth moment 3 within 5 standard errors', () => {
    // N = 2e5: se(mean) = 1/√N, se(var) = √(2/N), se(E Z⁴) = √(96/N) (Var Z⁴ = 105 − 9).
    const N = 200000;
    const r = new Rng('normal-moments');
    let m1 = 0, m2 = 0, m4 = 0;
    for (let i = 0; i < N; i++) { const z = r.normal(); m1 += z; m2 += z * z; m4 += z ** 4; }
    m1 /= N; m2 /= N; m4 /= N;
    expect(Math.abs(m1)).toBeLessThan(5 / Math.sqrt(N));
    expect(Math.abs(m2 - 1)).toBeLessThan(5 * Math.sqrt(2 / N));
    expect(Math.abs(m4 - 3)).toBeLessThan(5 * Math.sqrt(96 / N));
  });

  it('fillNormal(out, std, mean) scales and shifts (mean and sd within 5 standard errors)', () => {
    const N = 100000;
    const x = new Rng(7).fillNormal(new Float64Array(N), 3, -2);
    let m = 0, v = 0;
    for (const t of x) m += t;
    m /= N;
    for (const t of x) v += (t - m) ** 2;
    v /= N - 1;
    expect(Math.abs(m + 2)).toBeLessThan(5 * 3 / Math.sqrt(N));
    expect(Math.abs(v - 9)).toBeLessThan(5 * 9 * Math.sqrt(2 / N));
  });

  it('uniform() is in [0, 1) with mean 1/2 and variance 1/12 (5 standard errors)', () => {
    const N = 100000;
    const r = new Rng('u');
    let m = 0, m2 = 0, outside = 0;
    for (let i = 0; i < N; i++) {
      const u = r.uniform();
      if (!(u >= 0 && u < 1)) outside++;
      m += u; m2 += u * u;
    }
    expect(outside).toBe(0);
    m /= N; m2 /= N;
    expect(Math.abs(m - 0.5)).toBeLessThan(5 * Math.sqrt(1 / 12 / N));
    // Var(U²) = 1/5 − 1/9 = 4/45.
    expect(Math.abs(m2 - 1 / 3)).toBeLessThan(5 * Math.sqrt(4 / 45 / N));
  });

  it('int(n) covers 0..n−1 uniformly (each count within 5 binomial sd)', () => {
    const N = 100000, n = 10;
    const counts = new Array(n).fill(0);
    const r = new Rng('int');
    let bad = 0;
    for (let i = 0; i < N; i++) {
      const k = r.int(n);
      if (Number.isInteger(k) && k >= 0 && k < n) counts[k]++;
      else bad++;
    }
    expect(bad).toBe(0);
    const sd = Math.sqrt(N * 0.1 * 0.9);
    for (const c of counts) expect(Math.abs(c - N / n)).toBeLessThan(5 * sd);
  });

  it('permutation(n) is a permutation, and every position is uniform over many draws', () => {
    const r = new Rng('perm');
    expect(Array.from(r.permutation(0))).toEqual([]);
    const first = new Array(5).fill(0);
    const T = 20000;
    for (let t = 0; t < T; t++) {
      const p = r.permutation(5);
      expect(Array.from(p).sort()).toEqual([0, 1, 2, 3, 4]);
      first[p[0]]++;
    }
    const sd = Math.sqrt(T * 0.2 * 0.8);
    for (const c of first) expect(Math.abs(c - T / 5)).toBeLessThan(5 * sd);
  });

  it('sign() is ±1 with equal frequency (5 sd)', () => {
    const r = new Rng('sign');
    let s = 0;
    const N = 40000;
    let bad = 0;
    for (let i = 0; i < N; i++) {
      const v = r.sign();
      if (v !== 1 && v !== -1) bad++;
      s += v;
    }
    expect(bad).toBe(0);
    expect(Math.abs(s)).toBeLessThan(5 * Math.sqrt(N));
  });
});
