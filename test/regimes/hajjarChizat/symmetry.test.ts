import { describe, expect, it } from 'vitest';
import { Rng } from '../../../src/core/rng.js';
import { evenPartNorm, oddPartNorm, perpendicularAsymmetry } from '../../../src/regimes/hajjarChizat/symmetry.js';
import { sampleParticles } from '../../../src/limits/meanfield/particles.js';
import { quadraticEvenTarget, targetEnergy, targetProjection, targetValue } from '../../../src/limits/meanfield/targets.js';

const relu = (u: number) => (u > 0 ? u : 0);

describe('symmetry measures (theory/meanfield.md#symmetries)', () => {
  const d = 4, m = 6, v = 0.5;
  const y = sampleParticles({ kind: 'gaussian', aStd: 1, wStd: 1, symmetric: false }, { m, d }, new Rng('sym'));

  it('‖f_e‖ and ‖f_o‖ match Monte Carlo of the even and odd parts of f (4.5 standard errors)', () => {
    const rng = new Rng('mc');
    const N = 200_000;
    const x = new Float64Array(d);
    let se = 0, se2 = 0, so = 0, so2 = 0;
    for (let i = 0; i < N; i++) {
      for (let k = 0; k < d; k++) x[k] = Math.sqrt(v) * rng.normal();
      let fp = 0, fm = 0;
      for (let j = 0; j < m; j++) {
        let u = 0;
        for (let k = 0; k < d; k++) u += y[m + j * d + k] * x[k];
        fp += y[j] * relu(u) / m;
        fm += y[j] * relu(-u) / m;
      }
      const e = ((fp + fm) / 2) ** 2, o = ((fp - fm) / 2) ** 2;
      se += e; se2 += e * e; so += o; so2 += o * o;
    }
    const check = (s: number, s2: number, exact: number) => {
      const mean = s / N;
      const err = Math.sqrt((s2 / N - mean * mean) / N);
      expect(Math.abs(mean - exact * exact)).toBeLessThan(4.5 * err);
    };
    check(se, se2, evenPartNorm(y, { m, d }, v));
    check(so, so2, oddPartNorm(y, { m, d }, v));
  });

  it('vanish on the symmetric configurations (pairings and a rotation-invariant complement)', () => {
    const half = sampleParticles({ kind: 'sphere', radius: 1, aScale: 1, symmetric: true }, { m: 8, d }, new Rng('p'));
    expect(evenPartNorm(half, { m: 8, d }, v)).toBeLessThan(1e-12);
    // (a, w) and (a, −w): f even
    const ev = Float64Array.from(half);
    for (let j = 4; j < 8; j++) ev[j] = ev[j - 4];
    expect(oddPartNorm(ev, { m: 8, d }, v)).toBeLessThan(1e-15);
    // w_⊥ on the 2·d_⊥ points ±e_k (scaled equally), same a and w_H: invariant moments
    const dH = 1, dp = d - dH, M = 2 * dp;
    const z = new Float64Array(M * (d + 1));
    for (let j = 0; j < M; j++) {
      z[j] = 1;
      z[M + j * d] = 0.3;
      z[M + j * d + dH + (j % dp)] = j < dp ? 0.7 : -0.7;
    }
    const r = perpendicularAsymmetry(z, { m: M, d }, dH);
    expect(r.moment).toBeLessThan(1e-15);
    expect(r.anisotropy).toBeLessThan(1e-15);
  });
});

describe('even quadratic target (theory/meanfield.md#even-target)', () => {
  it('P(w) by Monte Carlo, ∇P by central differences, ½E f*² = 1', () => {
    const d = 3, v = 0.7;
    const t = quadraticEvenTarget(v, Float64Array.from([1, -0.5, 0.3]));
    const w = Float64Array.from([0.4, -0.2, 0.9]);
    const g = new Float64Array(d), tmp = new Float64Array(d);
    const P = targetProjection(t, 0, 1, v, w, g, tmp);
    const rng = new Rng('even');
    const N = 400_000;
    const x = new Float64Array(d);
    let s = 0, s2 = 0, e = 0;
    for (let i = 0; i < N; i++) {
      for (let k = 0; k < d; k++) x[k] = Math.sqrt(v) * rng.normal();
      const f = targetValue(t, x);
      const val = relu(w[0] * x[0] + w[1] * x[1] + w[2] * x[2]) * f;
      s += val; s2 += val * val; e += f * f;
    }
    const mean = s / N;
    expect(Math.abs(mean - P)).toBeLessThan(4.5 * Math.sqrt((s2 / N - mean * mean) / N));
    expect(targetEnergy(t, v)).toBeCloseTo(2, 12);
    expect(Math.abs(e / N - 2)).toBeLessThan(0.05); // E f*⁴ is finite; 400k samples: se ≈ 0.01
    const h = 1e-6;
    for (let k = 0; k < d; k++) {
      const up = Float64Array.from(w); up[k] += h;
      const dn = Float64Array.from(w); dn[k] -= h;
      const fd = (targetProjection(t, 0, 1, v, up, tmp, new Float64Array(d)) - targetProjection(t, 0, 1, v, dn, tmp, new Float64Array(d))) / (2 * h);
      expect(Math.abs(fd - g[k])).toBeLessThan(1e-7);
    }
  });
});
