import { describe, it, expect } from 'vitest';
import { erf, erfc, normalCdf, normalPdf } from '../../src/core/special.js';

// Reference values from mpmath at 40 digits (rounded to 20 significant digits).
const ERF: Array<[number, number]> = [
  [0, 0],
  [1e-10, 1.1283791670955125739e-10],
  [0.1, 0.1124629160182848922],
  [0.5, 0.52049987781304653768],
  [1, 0.84270079294971486934],
  [1.5, 0.96610514647531072707],
  [2, 0.99532226501895273416],
  [2.4999, 0.99959283009966654908],
  [2.5, 0.99959304798255504106],
  [2.5001, 0.9995932657565293198],
  [3, 0.99997790950300141456],
  [4, 0.99999998458274209972],
  [5.5, 0.99999999999999264215],
];
const ERFC: Array<[number, number]> = [
  [0.5, 0.47950012218695346232],
  [1.0, 0.15729920705028513066],
  [1.2, 0.089686021770364631634],
  [1.6, 0.023651616655355984478],
  [2, 0.0046777349810472658379],
  [2.3, 0.0011431765973566524759],
  [2.45, 0.00053058011225105390784],
  [2.5, 0.00040695201744495893956],
  [3, 0.000022090496998585441373],
  [5, 1.5374597944280348502e-12],
  [10, 2.088487583762544757e-45],
  [20, 5.3958656116079009289e-176],
  [26, 5.6631924088561428465e-296],
];

describe('erf', () => {
  it('matches 40-digit reference values to 1e-15 absolute, both branches (|x| < 2.5 series, ≥ 2.5 continued fraction)', () => {
    // 1e-15 = a few ulp of values ≤ 1: both algorithms are accurate to a few ulp.
    for (const [x, v] of ERF) {
      expect(Math.abs(erf(x) - v)).toBeLessThanOrEqual(1e-15);
      expect(Math.abs(erf(-x) + v)).toBeLessThanOrEqual(1e-15);
    }
  });

  it('has relative accuracy 1e-15 for tiny arguments (series, no cancellation)', () => {
    expect(Math.abs(erf(1e-10) / 1.1283791670955125739e-10 - 1)).toBeLessThan(1e-15);
  });

  it('is continuous at the 2.5 switch: the one-sided difference quotients agree with erf′(2.5)', () => {
    // erf(2.5) − erf(2.5 − h) = h erf′ − h² erf″/2 + …, erf″ = −2x erf′; with h = 1e-6 the h² term is
    // 5e-15, so a jump between the branches larger than ~1e-14 would show up.
    const d = (2 / Math.sqrt(Math.PI)) * Math.exp(-6.25);
    const h = 1e-6;
    const left = erf(2.5) - erf(2.5 - h);
    const right = erf(2.5 + h) - erf(2.5);
    expect(Math.abs(left - (h * d + 2.5 * d * h * h))).toBeLessThan(1e-14);
    expect(Math.abs(right - (h * d - 2.5 * d * h * h))).toBeLessThan(1e-14);
  });

  it('is monotone across a fine grid spanning the switch', () => {
    let prev = erf(2.49);
    for (let x = 2.49; x <= 2.51; x += 1e-5) {
      const v = erf(x);
      expect(v).toBeGreaterThanOrEqual(prev);
      prev = v;
    }
  });

  it('handles infinities and NaN', () => {
    expect(erf(Infinity)).toBe(1);
    expect(erf(-Infinity)).toBe(-1);
    expect(Number.isNaN(erf(NaN))).toBe(true);
    expect(erfc(-Infinity)).toBe(2);
    expect(Number.isNaN(erfc(NaN))).toBe(true);
  });
});

describe('erfc', () => {
  it('keeps relative accuracy 1e-14 from x = 0.5 to 5, where 1 − erf(x) would cancel', () => {
    // The continued fraction is used from x = 1 on: a few ulp (1 − erf would give 4e-13 at x = 2.45).
    for (const [x, v] of ERFC) if (x <= 5) expect(Math.abs(erfc(x) / v - 1)).toBeLessThan(1e-14);
  });

  it('has relative accuracy 1e-13 in the far tail, down to 1e-296', () => {
    // exp(−x²) with x²ε-sized argument rounding adds ~x²·ε relative error (≈ 1.5e-13 at x = 26).
    for (const [x, v] of ERFC) expect(Math.abs(erfc(x) / v - 1)).toBeLessThan(x * x * 4e-16 + 1e-14);
  });

  it('is 2 − erfc(−x)', () => {
    for (const x of [0.3, 1.7, 2.6, 4]) expect(erfc(-x)).toBeCloseTo(2 - erfc(x), 15);
  });
});

describe('normal density and distribution', () => {
  it('Φ matches reference values (relative 1e-14 in the lower tail, also between −3.5 and −2)', () => {
    for (const [x, v] of [[-2.01, 0.022215594429431486043], [-2.5, 0.006209665325776135167],
      [-3.3, 0.0004834241423837775071], [-3.5, 0.00023262907903552503635]]) {
      expect(Math.abs(normalCdf(x) / v - 1)).toBeLessThan(1e-14);
    }
    expect(Math.abs(normalCdf(-3) / 0.0013498980316300945267 - 1)).toBeLessThan(1e-14);
    expect(Math.abs(normalCdf(-10) / 7.619853024160526066e-24 - 1)).toBeLessThan(1e-14);
    expect(Math.abs(normalCdf(1.5) - 0.933192798731141934)).toBeLessThan(1e-15);
    expect(normalCdf(0)).toBe(0.5);
  });

  it('φ is the derivative of Φ (central difference, error O(h²) ≈ 1e-10)', () => {
    for (const x of [-2.5, -0.3, 0, 1.1, 3]) {
      const h = 1e-5;
      expect(Math.abs((normalCdf(x + h) - normalCdf(x - h)) / (2 * h) - normalPdf(x))).toBeLessThan(1e-9);
    }
    expect(normalPdf(0)).toBeCloseTo(1 / Math.sqrt(2 * Math.PI), 16);
  });
});
