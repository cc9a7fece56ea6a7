import { describe, expect, it } from 'vitest';
import { Rng } from '../../../src/core/rng.js';
import { normalCdf, normalPdf } from '../../../src/core/special.js';
import { normalExpectation2 } from '../../../src/core/gaussHermite.js';
import { abrelu, parseActivation } from '../../../src/finite/activation.js';
import { dualActivation } from '../../../src/limits/ntk/dual.js';
import { abreluDual, reluPair } from '../../../src/limits/ntk/dualAbrelu.js';
import { erfDual } from '../../../src/limits/ntk/dualErf.js';
import { polynomialDual } from '../../../src/limits/ntk/dualPolynomial.js';
import { quadratureDual } from '../../../src/limits/ntk/dualQuadrature.js';

/** Random covariances [[l11, l12], [l12, l22]] with ρ spread over (−1, 1), plus edge correlations. */
function covariances(seed: string, count: number): [number, number, number][] {
  const rng = new Rng(seed);
  const out: [number, number, number][] = [];
  for (let i = 0; i < count; i++) {
    const l11 = 0.05 + 3 * rng.uniform();
    const l22 = 0.05 + 3 * rng.uniform();
    const rho = i === 0 ? 0.999999 : i === 1 ? -0.999999 : i === 2 ? 0 : 2 * rng.uniform() - 1;
    out.push([l11, rho * Math.sqrt(l11 * l22), l22]);
  }
  return out;
}

const rel = (a: number, b: number) => Math.abs(a - b) / Math.max(Math.abs(b), 1e-300);

/**
 * Independent reference for E[φ(u)φ(v)] of ABReLU: condition on u, use the exact Gaussian
 * E[φ(v) | u] = a m + (b − a)(m Φ(m/σ) + σ ϕ(m/σ)), m = (Λ12/Λ11) u, σ² = Λ22 − Λ12²/Λ11, and
 * integrate over u on each side of the kink by composite Simpson on [−12√Λ11, 0] and [0, 12√Λ11]
 * (smooth integrand on each piece: error ≈ h⁴ ≈ 1e-13 with 4000 panels; tails beyond 12σ < 1e-30).
 */
function abreluReference(a: number, b: number, l11: number, l12: number, l22: number): number {
  const su = Math.sqrt(l11);
  const slope = l12 / l11;
  const sig = Math.sqrt(Math.max(0, l22 - slope * l12));
  const phi = (u: number) => (u > 0 ? b * u : a * u);
  const g = (u: number) => {
    const m = slope * u;
    const relu = sig > 0 ? m * normalCdf(m / sig) + sig * normalPdf(m / sig) : Math.max(m, 0);
    return phi(u) * (a * m + (b - a) * relu) * (normalPdf(u / su) / su);
  };
  const simpson = (lo: number, hi: number, panels: number) => {
    const h = (hi - lo) / panels;
    let s = g(lo) + g(hi);
    for (let i = 1; i < panels; i++) s += (i % 2 === 1 ? 4 : 2) * g(lo + i * h);
    return (s * h) / 3;
  };
  return simpson(-12 * su, 0, 4000) + simpson(0, 12 * su, 4000);
}

describe('ABReLU / ReLU closed forms (Cho–Saul 2009; theory/ntk.md#dual-activations)', () => {
  it('ReLU is ABReLU(0, 1): parseActivation("relu") has that family and its dual equals the Cho–Saul formulas bit for bit', () => {
    const relu = parseActivation('relu');
    expect(relu.family).toEqual({ kind: 'abrelu', a: 0, b: 1 });
    const d = dualActivation(relu);
    const e = new Float64Array(2);
    const r = new Float64Array(2);
    for (const [l11, l12, l22] of covariances('relu-identity', 200)) {
      d.pair(l11, l12, l22, e);
      reluPair(l11, l12, l22, r);
      // exact: ab = 0 and (b − a)² = 1 make the ABReLU expression reduce to the ReLU one in floating point
      expect(e[0]).toBe(r[0]);
      expect(e[1]).toBe(r[1]);
      // and the textbook form with sin θ, cos θ (rounding only: 1e-14)
      const s = Math.sqrt(l11 * l22);
      const th = Math.acos(Math.max(-1, Math.min(1, l12 / s)));
      // absolute in units of s: at ρ → −1 both forms cancel (sin θ ≈ −(π − θ) cos θ)
      expect(Math.abs(r[0] - (s * (Math.sin(th) + (Math.PI - th) * Math.cos(th))) / (2 * Math.PI))).toBeLessThan(1e-14 * s);
      expect(rel(r[1], (Math.PI - th) / (2 * Math.PI))).toBeLessThan(1e-14);
    }
  });

  it('E[φφ] of ABReLU(a, b) matches an independent conditional-expectation integral to 1e-9', () => {
    // Simpson error ~1e-13; 1e-9 leaves room for the conditioning at |ρ| = 0.999999
    for (const [a, b] of [[0, 1], [0.1, 1], [-1, 1], [0.5, -2], [1, 1]]) {
      const d = abreluDual(a, b);
      const e = new Float64Array(2);
      for (const [l11, l12, l22] of covariances(`abrelu-${a}-${b}`, 12)) {
        d.pair(l11, l12, l22, e);
        const ref = abreluReference(a, b, l11, l12, l22);
        expect(Math.abs(e[0] - ref)).toBeLessThan(1e-9 * Math.max(1, Math.abs(ref)));
      }
    }
  });

  it("E[φ'φ'] of ABReLU(a, b) equals the orthant probabilities of Sheppard's formula", () => {
    // P(u>0, v>0) = P(u<0, v<0) = 1/4 + arcsin(ρ)/(2π) (Sheppard 1899); rounding only
    for (const [a, b] of [[0, 1], [0.01, 1], [-1, 1], [2, -0.5]]) {
      const d = abreluDual(a, b);
      const e = new Float64Array(2);
      for (const [l11, l12, l22] of covariances(`sheppard-${a}-${b}`, 50)) {
        d.pair(l11, l12, l22, e);
        const rho = l12 / Math.sqrt(l11 * l22);
        const same = 0.25 + Math.asin(rho) / (2 * Math.PI);
        const diff = 0.5 - same;
        expect(e[1]).toBeCloseTo(b * b * same + a * a * same + 2 * a * b * diff, 13);
      }
    }
  });

  it('ReLU against 128-point Gauss–Hermite quadrature agrees only to ~1e-3 (the kink makes quadrature converge algebraically)', () => {
    // Measured errors at 128 nodes: up to 2e-3·√(Λ11Λ22) for E[φφ] and 8e-3 for the product of
    // step functions E[φ'φ'] (a discontinuous integrand, worst at |ρ| → 1); tolerances 3e-3·√(Λ11Λ22), 1.5e-2.
    const relu = parseActivation('relu');
    const q = quadratureDual({ ...relu, family: { kind: 'smooth', kinked: true } }, 128, true);
    expect(q.warnings.length).toBe(1);
    const e = new Float64Array(2);
    const c = new Float64Array(2);
    for (const [l11, l12, l22] of covariances('relu-quad', 20)) {
      q.pair(l11, l12, l22, e);
      reluPair(l11, l12, l22, c);
      expect(Math.abs(e[0] - c[0])).toBeLessThan(3e-3 * Math.sqrt(l11 * l22));
      expect(Math.abs(e[1] - c[1])).toBeLessThan(1.5e-2);
    }
  });

  it('diagonal maps equal the pair maps at ρ = 1 and the known moments (a² + b²)/2', () => {
    const d = abreluDual(-0.3, 1.7);
    const e = new Float64Array(2);
    const p = new Float64Array(2);
    d.diag(2.5, e);
    d.pair(2.5, 2.5, 2.5, p);
    expect(e[0]).toBeCloseTo(((0.09 + 2.89) / 2) * 2.5, 14);
    expect(e[1]).toBeCloseTo((0.09 + 2.89) / 2, 14);
    expect(rel(p[0], e[0])).toBeLessThan(1e-14);
    expect(rel(p[1], e[1])).toBeLessThan(1e-14);
  });
});

describe('erf closed form (Williams 1997)', () => {
  it('matches the tensor Gauss–Hermite rule with the default 96 nodes to 1e-6 relative and the Hermite expansion to 1e-10', () => {
    // variances up to 3.05 here; tensor rule at 96 nodes: see DEFAULT_QUADRATURE_NODES. The
    // Hermite expansion (240-node coefficients, 160 terms) converges geometrically for erf.
    const erfAct = parseActivation('erf');
    const asSmooth = { ...erfAct, family: { kind: 'smooth' as const, kinked: false } };
    const closed = erfDual();
    const quad = dualActivation(asSmooth, { method: 'quadrature' });
    const herm = dualActivation(asSmooth);
    expect(herm.method).toBe('hermite');
    expect(quad.warnings).toEqual([]);
    const a = new Float64Array(2);
    const b = new Float64Array(2);
    const c = new Float64Array(2);
    for (const [l11, l12, l22] of covariances('erf', 60)) {
      closed.pair(l11, l12, l22, a);
      quad.pair(l11, l12, l22, b);
      herm.pair(l11, l12, l22, c);
      // at ρ ≈ 0 E[φφ] ≈ 0, hence the absolute floors
      expect(Math.abs(a[0] - b[0])).toBeLessThan(1e-6 * Math.abs(a[0]) + 1e-12);
      expect(rel(b[1], a[1])).toBeLessThan(1e-6);
      expect(Math.abs(a[0] - c[0])).toBeLessThan(1e-10 * Math.abs(a[0]) + 1e-13);
      expect(rel(c[1], a[1])).toBeLessThan(1e-10);
      // and a second, independent quadrature code (core normalExpectation2)
      expect(Math.abs(normalExpectation2((u, v) => erfAct.f(u) * erfAct.f(v), l11, l12, l22, 128) - a[0])).toBeLessThan(1e-6 * Math.abs(a[0]) + 1e-12);
    }
    for (const d of [quad, herm]) {
      closed.diag(1.3, a);
      d.diag(1.3, b);
      expect(rel(b[0], a[0])).toBeLessThan(1e-6);
      expect(rel(b[1], a[1])).toBeLessThan(1e-6);
    }
  });
});

describe('smooth activations: Hermite (Mehler) expansion', () => {
  it.each(['tanh', 'gelu', 'softplus:2', 'sin(x) + 0.1*x^2'])('%s: agrees with the 200-node tensor rule to 1e-6 and is exactly symmetric', (name) => {
    // 1e-6 covers the tensor rule's own error (≤ 7e-8 for tanh at variance 3, measured against a
    // fine Simpson integral; the expansion's error there is 1e-14, next test)
    const act = parseActivation(name);
    const herm = dualActivation(act);
    const quad = dualActivation(act, { method: 'quadrature', quadratureNodes: 200 });
    const a = new Float64Array(2), b = new Float64Array(2), c = new Float64Array(2);
    for (const [l11, l12, l22] of covariances(`herm-${name}`, 25)) {
      herm.pair(l11, l12, l22, a);
      quad.pair(l11, l12, l22, b);
      expect(Math.abs(a[0] - b[0])).toBeLessThan(1e-6 * (Math.abs(b[0]) + 1e-3));
      expect(Math.abs(a[1] - b[1])).toBeLessThan(1e-6 * (Math.abs(b[1]) + 1e-3));
      herm.pair(l22, l12, l11, c);
      expect(c[0]).toBe(a[0]);
      expect(c[1]).toBe(a[1]);
    }
  });

  it('tanh at ρ = 1 (the slowest case of the series): E[φ²], E[φ\'²] match a fine Simpson integral to 1e-12', () => {
    // Simpson on [−40, 40] with 2e5 panels: error ≪ 1e-13 for these smooth integrands
    const act = parseActivation('tanh');
    const herm = dualActivation(act);
    for (const l of [0.7, 2, 3]) {
      const s = Math.sqrt(l);
      const g = (z: number, d: boolean) => { const v = d ? act.df(s * z) : act.f(s * z); return (v * v * Math.exp(-z * z / 2)) / Math.sqrt(2 * Math.PI); };
      const simpson = (d: boolean) => {
        const N = 200000, lo = -40, h = 80 / N;
        let t = g(lo, d) + g(-lo, d);
        for (let i = 1; i < N; i++) t += (i % 2 ? 4 : 2) * g(lo + i * h, d);
        return (t * h) / 3;
      };
      const e = new Float64Array(2);
      herm.pair(l, l, l, e);
      expect(rel(e[0], simpson(false))).toBeLessThan(1e-12);
      expect(rel(e[1], simpson(true))).toBeLessThan(1e-12);
    }
  });

  it('a variance where the expansion does not converge falls back to the tensor rule and warns', () => {
    const act = parseActivation('tanh');
    const herm = dualActivation(act);
    const quad = dualActivation(act, { method: 'quadrature' });
    const a = new Float64Array(2), b = new Float64Array(2);
    // variance 400: tanh(20 z) is nearly a step — thousands of Hermite terms would be needed
    expect(herm.warnings).toEqual([]);
    herm.pair(400, 100, 1, a);
    quad.pair(400, 100, 1, b);
    expect(a[0]).toBe(b[0]);
    expect(a[1]).toBe(b[1]);
    expect(herm.warnings.length).toBe(1);
    expect(herm.warnings[0]).toMatch(/does not converge at pre-activation variance 400/);
  });
});

/** Direct Isserlis sum over pairings: E[u^i v^j] = Σ_k C(i,k) C(j,k) k! (i−k−1)!! (j−k−1)!! Λ12^k Λ11^{(i−k)/2} Λ22^{(j−k)/2}. */
function isserlis(i: number, j: number, l11: number, l12: number, l22: number): number {
  const fact = (m: number) => { let r = 1; for (let t = 2; t <= m; t++) r *= t; return r; };
  const dfact = (m: number) => { let r = 1; for (let t = m; t > 1; t -= 2) r *= t; return r; }; // m!!, (−1)!! = 1
  const C = (n: number, k: number) => fact(n) / (fact(k) * fact(n - k));
  let s = 0;
  for (let k = 0; k <= Math.min(i, j); k++) {
    if ((i - k) % 2 !== 0 || (j - k) % 2 !== 0) continue;
    s += C(i, k) * C(j, k) * fact(k) * dfact(i - k - 1) * dfact(j - k - 1) * l12 ** k * l11 ** ((i - k) / 2) * l22 ** ((j - k) / 2);
  }
  return s;
}

function wickReference(c: number[], l11: number, l12: number, l22: number): number {
  let s = 0;
  for (let i = 0; i < c.length; i++) for (let j = 0; j < c.length; j++) s += c[i] * c[j] * isserlis(i, j, l11, l12, l22);
  return s;
}

describe('polynomials: exact by Wick / Mehler', () => {
  const polys: number[][] = [[0, 0, 1], [1, -2, 0.5, 0.3], [0, 1, 0, -1 / 3, 0, 0.1], [0.2, 0, 0, 0, 0, 0, 0, 1]];

  it('φ = u² gives E = Λ11Λ22 + 2Λ12² and E\' = 4Λ12 (theory/ntk.md#recursion)', () => {
    const d = polynomialDual([0, 0, 1]);
    const e = new Float64Array(2);
    for (const [l11, l12, l22] of covariances('square', 20)) {
      d.pair(l11, l12, l22, e);
      expect(rel(e[0], l11 * l22 + 2 * l12 * l12)).toBeLessThan(1e-14);
      expect(Math.abs(e[1] - 4 * l12)).toBeLessThan(1e-14 * (1 + Math.abs(l12)));
    }
  });

  it('Mehler form equals the direct Isserlis pairing sum (1e-13: rounding of different summation orders)', () => {
    const e = new Float64Array(2);
    for (const c of polys) {
      const d = polynomialDual(c);
      const dc = c.slice(1).map((v, i) => (i + 1) * v);
      for (const [l11, l12, l22] of covariances(`wick-${c.length}`, 20)) {
        d.pair(l11, l12, l22, e);
        const r0 = wickReference(c, l11, l12, l22);
        const r1 = wickReference(dc, l11, l12, l22);
        // scale: the same sums with |coefficients| at full correlation (bounds every term)
        const full = Math.sqrt(l11 * l22);
        const scale0 = wickReference(c.map(Math.abs), l11, full, l22);
        const scale1 = wickReference(dc.map(Math.abs), l11, full, l22);
        expect(Math.abs(e[0] - r0)).toBeLessThan(1e-13 * scale0);
        expect(Math.abs(e[1] - r1)).toBeLessThan(1e-13 * scale1);
      }
    }
  });

  it('matches 32-point Gauss–Hermite (exact for degree ≤ 63) to 1e-12', () => {
    const e = new Float64Array(2);
    const q = new Float64Array(2);
    for (const c of polys) {
      const act = parseActivation(c.map((v, i) => `(${v})*x^${i}`).join(' + '));
      expect(act.family.kind).toBe('polynomial');
      const d = dualActivation(act);
      const quad = quadratureDual(act, 32, false);
      for (const [l11, l12, l22] of covariances(`poly-quad-${c.length}`, 10)) {
        d.pair(l11, l12, l22, e);
        quad.pair(l11, l12, l22, q);
        const full = Math.sqrt(l11 * l22);
        const dc = c.slice(1).map((v, i) => (i + 1) * Math.abs(v));
        expect(Math.abs(e[0] - q[0])).toBeLessThan(1e-12 * wickReference(c.map(Math.abs), l11, full, l22));
        expect(Math.abs(e[1] - q[1])).toBeLessThan(1e-12 * wickReference(dc, l11, full, l22));
      }
      d.diag(0.7, e);
      quad.diag(0.7, q);
      expect(rel(e[0], q[0])).toBeLessThan(1e-12);
    }
  });

  it('identity is the polynomial [0, 1]: E = Λ12, E\' = 1 exactly', () => {
    const d = dualActivation(parseActivation('identity'));
    const e = new Float64Array(2);
    for (const [l11, l12, l22] of covariances('identity', 20)) {
      d.pair(l11, l12, l22, e);
      expect(e[0]).toBe(l12);
      expect(e[1]).toBe(1);
    }
  });
});

describe('degenerate covariances never give NaN', () => {
  const acts = ['relu', 'leaky_relu:0.1', 'abs', 'erf', 'tanh', 'gelu', 'identity', 'x^3 + x', 'softplus:2', 'abs(x) + x^2'];
  const cases: [number, number, number][] = [[0, 0, 0], [0, 0, 1.5], [2, 0, 0], [1, 1 + 1e-15, 1], [1, -1 - 1e-15, 1], [4, 2.0000000001, 1]];

  it.each(acts)('%s: zero variances and |ρ| slightly above 1 give finite values', (name) => {
    const d = dualActivation(parseActivation(name), { quadratureNodes: 16 });
    const e = new Float64Array(2);
    for (const [l11, l12, l22] of cases) {
      d.pair(l11, l12, l22, e);
      expect(Number.isFinite(e[0]) && Number.isFinite(e[1])).toBe(true);
      d.diag(l11, e);
      expect(Number.isFinite(e[0]) && Number.isFinite(e[1])).toBe(true);
    }
  });

  it('zero variance: u ≡ 0 gives E[φ(0)φ(v)] = φ(0)E[φ(v)] and uses φ\'(0) = a for ABReLU', () => {
    const e = new Float64Array(2);
    abreluDual(0.2, 1).pair(0, 0, 3, e);
    expect(e[0]).toBe(0);
    expect(e[1]).toBeCloseTo(0.2 * 0.6, 15);
    abreluDual(0.2, 1).pair(0, 0, 0, e);
    expect(e[1]).toBeCloseTo(0.04, 15);
    erfDual().pair(0, 0, 2, e);
    expect(e[0]).toBe(0);
    expect(e[1]).toBeCloseTo(4 / Math.PI / Math.sqrt(5), 14);
    // softplus(0) = log 2: E[φ(0)φ(v)] = log 2 · E softplus(v), by quadrature both ways
    const sp = parseActivation('softplus:1');
    dualActivation(sp).pair(0, 0, 1, e);
    const ev = normalExpectation2((_u, v) => sp.f(v), 1, 0, 1, 64);
    expect(rel(e[0], Math.log(2) * ev)).toBeLessThan(1e-12);
  });

  it('|ρ| rounded above 1 is clipped: the value equals the ρ = ±1 value', () => {
    const e = new Float64Array(2);
    const f = new Float64Array(2);
    const d = abreluDual(0, 1);
    d.pair(2, 2 * (1 + 1e-12), 2, e);
    d.pair(2, 2, 2, f);
    expect(e[0]).toBe(f[0]);
    expect(e[1]).toBe(f[1]);
  });
});

describe('quadrature warnings', () => {
  it('kinked expression activations warn, smooth ones do not', () => {
    expect(dualActivation(parseActivation('abs(x) + 0.1*x')).warnings.length).toBe(1);
    expect(dualActivation(parseActivation('tanh')).warnings).toEqual([]);
    expect(dualActivation(abrelu(0.3, 1)).warnings).toEqual([]);
  });
});
