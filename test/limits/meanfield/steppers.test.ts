import { describe, expect, it } from 'vitest';
import { type VectorField, eulerStepCounts, integrate } from '../../../src/limits/meanfield/steppers.js';

/** Harmonic oscillator y'' = −ω² y as a first-order system; exact solution from y(0) = (1, 0). */
const omega = 3;
const oscillator: VectorField = (_t, y, dy) => { dy[0] = y[1]; dy[1] = -omega * omega * y[0]; };

function run(rtol: number, times: number[]) {
  const saved: { t: number; y: number[] }[] = [];
  const r = integrate(oscillator, Float64Array.from([1, 0]), times, { kind: 'dopri5', rtol, atol: rtol }, (_k, t, y) => saved.push({ t, y: Array.from(y) }));
  const err = Math.max(...saved.map((s) => Math.abs(s.y[0] - Math.cos(omega * s.t))));
  return { r, saved, err };
}

describe('dopri5 (Dormand–Prince 5(4))', () => {
  const times = [0, 0.5, 1.3, 2, 2, 4];

  it('lands exactly on every requested time (repeated times included) and reports its statistics', () => {
    const { r, saved } = run(1e-8, times);
    expect(r.status).toBe('ok');
    expect(saved.map((s) => s.t)).toEqual(times);
    expect(r.saved).toBe(times.length);
    expect(r.stats.steps).toBeGreaterThan(5);
    // FSAL: 6 new evaluations per attempted step, plus 2 at the start
    expect(r.stats.evaluations).toBe(6 * (r.stats.steps + r.stats.rejected) + 2);
  });

  it('global error on the oscillator over 2 periods stays within 100 × tol and shrinks with tol like tol^(≥0.7)', () => {
    // Local error per unit step is kept below tol; over ~30 steps the global error is a small multiple.
    const e6 = run(1e-6, times).err;
    const e9 = run(1e-9, times).err;
    expect(e6).toBeLessThan(1e-4);
    expect(e9).toBeLessThan(1e-7);
    // 5th-order method with error-per-step control: error ∝ tol^{5/5}… allow ≥ 0.7 per decade
    expect(Math.log10(e6 / e9)).toBeGreaterThan(0.7 * 3);
  });

  it('fixed small steps converge with order 5 (h halved → error / 32, within [20, 45])', () => {
    const err = (n: number) => {
      // huge tolerance: every step accepted at the initial step h0 = T/n, factor limited to 1 by landing
      const T = 1;
      const ts = Array.from({ length: n + 1 }, (_, k) => (k * T) / n);
      let y1 = 0;
      integrate(oscillator, Float64Array.from([1, 0]), ts, { kind: 'dopri5', rtol: 1e3, atol: 1e3, h0: T / n }, (k, _t, y) => { if (k === n) y1 = y[0]; });
      return Math.abs(y1 - Math.cos(omega * T));
    };
    const ratio = err(20) / err(40);
    expect(ratio).toBeGreaterThan(20);
    expect(ratio).toBeLessThan(45);
  });

  it('returns not-converged when maxSteps is exhausted, nan when the field produces NaN', () => {
    const r = integrate(oscillator, Float64Array.from([1, 0]), [0, 100], { kind: 'dopri5', rtol: 1e-10, atol: 1e-10, maxSteps: 20 }, () => {});
    expect(r.status).toBe('not-converged');
    expect(r.message).toMatch(/20 steps/);
    const bad = integrate((t, _y, dy) => { dy[0] = t > 0.5 ? NaN : 1; }, new Float64Array(1), [0, 1], { kind: 'dopri5', rtol: 1e-6, atol: 1e-6 }, () => {});
    expect(bad.status).toBe('nan');
    const blow = integrate((_t, y, dy) => { dy[0] = y[0] * y[0]; }, Float64Array.from([1]), [0, 2], { kind: 'dopri5', rtol: 1e-6, atol: 1e-6, maxSteps: 10000 }, () => {});
    expect(blow.status).not.toBe('ok');
  });
});

describe('explicit Euler', () => {
  it('is y_{k+1} = (1 − h) y_k on y′ = −y, saving at multiples of dt', () => {
    const saved: number[] = [];
    const r = integrate((_t, y, dy) => { dy[0] = -y[0]; }, Float64Array.from([1]), [0, 0.3, 1], { kind: 'euler', dt: 0.1 }, (_k, _t, y) => saved.push(y[0]));
    expect(r.status).toBe('ok');
    expect(r.stats.steps).toBe(10);
    expect(saved[1]).toBeCloseTo(0.9 ** 3, 14);
    expect(saved[2]).toBeCloseTo(0.9 ** 10, 14);
  });

  it('rejects times that are not multiples of dt, and reports divergence as data', () => {
    expect(() => eulerStepCounts([0, 0.25], 0.1)).toThrow(/multiple/);
    const r = integrate((_t, y, dy) => { dy[0] = y[0] * y[0]; }, Float64Array.from([10]), [0, 100], { kind: 'euler', dt: 1 }, () => {});
    expect(r.status).toBe('diverged');
  });
});
