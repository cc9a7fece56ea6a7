import { describe, it, expect } from 'vitest';
import { type OdeRhs } from '../../../src/core/ode/rkStep.js';
import { odex, solve } from '../../../src/core/ode/solve.js';

/** odex through the one interface, from t0 = times[0], saving at every entry of `times`. */
function integrate(f: OdeRhs, y0: Float64Array, times: number[], o: { rtol?: number; atol?: number; maxSteps?: number } = {}) {
  return solve(f, odex(o), times[0] ?? 0, y0, { ts: times }, null, { maxSteps: o.maxSteps });
}
import { eigh } from '../../../src/core/eigh.js';
import { mat, matVec } from '../../../src/core/matrix.js';
import { gemm } from '../../../src/core/gemm.js';
import { Rng } from '../../../src/core/rng.js';

describe('solve with the odex solver', () => {
  it("y' = −y: saves e^{−t} at exactly the requested times (global error ≤ 100·rtol)", () => {
    const times = [0, 0.1, 0.5, 1, 2, 5, 10];
    const sol = integrate((_t, y, dy) => { dy[0] = -y[0]; }, Float64Array.of(1), times, { rtol: 1e-10, atol: 1e-14 });
    expect(sol.status).toBe('ok');
    expect(sol.message).toBe('');
    expect(sol.ts).toEqual(times);
    expect(sol.ys.length).toBe(times.length);
    // Local tolerance 1e-10 per step; the global error of a contracting problem stays ≲ tol·|y|·few.
    for (let i = 0; i < times.length; i++) expect(Math.abs(sol.ys[i][0] / Math.exp(-times[i]) - 1)).toBeLessThan(1e-8);
    expect(sol.stats.accepted).toBeGreaterThan(0);
    expect(sol.stats.evaluations).toBeGreaterThan(sol.stats.accepted);
  });

  it('harmonic oscillator x″ = −ω²x: (cos ωt, −ω sin ωt) over 8 periods, energy conserved to 1e-8', () => {
    const w = 3;
    const times = Array.from({ length: 41 }, (_, i) => (i * 8 * 2 * Math.PI) / w / 40);
    const sol = integrate((_t, y, dy) => { dy[0] = y[1]; dy[1] = -w * w * y[0]; }, Float64Array.of(1, 0), times, { rtol: 1e-11, atol: 1e-12 });
    expect(sol.status).toBe('ok');
    for (let i = 0; i < times.length; i++) {
      const t = times[i];
      expect(Math.abs(sol.ys[i][0] - Math.cos(w * t))).toBeLessThan(1e-8);
      expect(Math.abs(sol.ys[i][1] + w * Math.sin(w * t))).toBeLessThan(3e-8);
      const energy = sol.ys[i][1] ** 2 + w * w * sol.ys[i][0] ** 2;
      expect(Math.abs(energy - w * w)).toBeLessThan(1e-8 * w * w);
    }
  });

  it('tighter tolerance gives a smaller error (oscillator at t = 10, rtol 1e-4 → 1e-7 → 1e-10)', () => {
    const err = (rtol: number) => {
      const s = integrate((_t, y, dy) => { dy[0] = y[1]; dy[1] = -y[0]; }, Float64Array.of(1, 0), [0, 10], { rtol, atol: rtol * 1e-2 });
      return Math.hypot(s.ys[1][0] - Math.cos(10), s.ys[1][1] + Math.sin(10));
    };
    const e = [1e-4, 1e-7, 1e-10].map(err);
    expect(e[1]).toBeLessThan(e[0] / 10);
    expect(e[2]).toBeLessThan(e[1] / 10);
    expect(e[2]).toBeLessThan(1e-8);
  });

  it("linear system y' = −K y (K SPD, 40×40) matches V e^{−Λt} Vᵀ y₀ from the eigendecomposition", () => {
    const rng = new Rng('ode-linear');
    const n = 40;
    const b = mat(n, n);
    rng.fillNormal(b.data, 1 / Math.sqrt(n));
    const k = gemm(false, true, 1, b, b);
    const y0 = rng.fillNormal(new Float64Array(n));
    const times = [0, 0.3, 1, 4];
    const sol = integrate((_t, y, dy) => { matVec(k, y, dy); for (let i = 0; i < n; i++) dy[i] = -dy[i]; }, y0, times, { rtol: 1e-10, atol: 1e-12 });
    expect(sol.status).toBe('ok');
    const { values, vectors } = eigh(k);
    for (let s = 0; s < times.length; s++) {
      // c = Vᵀ y0, y(t) = V e^{−λt} c
      for (let i = 0; i < n; i++) {
        let yi = 0;
        for (let j = 0; j < n; j++) {
          let cj = 0;
          for (let r = 0; r < n; r++) cj += vectors.data[r * n + j] * y0[r];
          yi += vectors.data[i * n + j] * Math.exp(-values[j] * times[s]) * cj;
        }
        expect(Math.abs(sol.ys[s][i] - yi)).toBeLessThan(1e-8);
      }
    }
  });

  it("blow-up y' = y² from y(0) = 1 past t = 1: non-ok status with a message and the states before, never a throw", () => {
    const times = [0, 0.5, 0.9, 1.5, 2];
    const sol = integrate((_t, y, dy) => { dy[0] = y[0] * y[0]; }, Float64Array.of(1), times, { rtol: 1e-9 });
    expect(['not-converged', 'nan']).toContain(sol.status);
    expect(sol.message.length).toBeGreaterThan(0);
    expect(sol.ts).toEqual([0, 0.5, 0.9]);
    expect(Math.abs(sol.ys[2][0] - 10)).toBeLessThan(1e-6); // y = 1/(1 − t)
  });

  it('a NaN produced by the right-hand side gives status nan with the times reached so far', () => {
    const sol = integrate((t, y, dy) => { dy[0] = t > 0.3 ? NaN : -y[0]; }, Float64Array.of(1), [0, 0.2, 1, 2]);
    expect(sol.status).toBe('nan');
    expect(sol.ts).toEqual([0, 0.2]);
    const bad = integrate((_t, y, dy) => { dy[0] = y[0]; }, Float64Array.of(NaN), [0, 1]);
    expect(bad.status).toBe('nan');
    expect(bad.ts).toEqual([]);
  });

  it('an exhausted step budget gives status not-converged', () => {
    // A fast oscillation over a long interval needs far more than 20 steps.
    const sol = integrate((_t, y, dy) => { dy[0] = 50 * y[1]; dy[1] = -50 * y[0]; }, Float64Array.of(1, 0), [0, 10, 20], { maxSteps: 20 });
    expect(sol.status).toBe('not-converged');
    expect(sol.ts.length).toBeLessThan(3);
  });

  it('repeated times repeat the state; decreasing times throw RangeError; results are deterministic', () => {
    const f = (_t: number, y: Float64Array, dy: Float64Array) => { dy[0] = Math.sin(y[0]) + 1; };
    const a = integrate(f, Float64Array.of(0.5), [0, 1, 1, 2]);
    expect(a.ts).toEqual([0, 1, 1, 2]);
    expect(a.ys[2][0]).toBe(a.ys[1][0]);
    const b = integrate(f, Float64Array.of(0.5), [0, 1, 1, 2]);
    expect(b.ys.map((y) => y[0])).toEqual(a.ys.map((y) => y[0]));
    expect(() => integrate(f, Float64Array.of(0), [0, 2, 1])).toThrow(RangeError);
    const single = integrate(f, Float64Array.of(3), [7]);
    expect(single.ts).toEqual([7]);
    expect(single.ys[0][0]).toBe(3);
  });

  it('passes Float64Array state to the right-hand side and does not alias the initial state', () => {
    const y0 = Float64Array.of(1, 2);
    let sawTyped = true;
    const sol = integrate((_t, y, dy) => { if (!(y instanceof Float64Array)) sawTyped = false; dy[0] = 0; dy[1] = 1; }, y0, [0, 1]);
    expect(sawTyped).toBe(true);
    expect(Array.from(y0)).toEqual([1, 2]);
    expect(sol.ys[0]).not.toBe(y0);
    expect(Math.abs(sol.ys[1][1] - 3)).toBeLessThan(1e-12);
  });
});
