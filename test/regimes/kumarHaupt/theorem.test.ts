import { describe, expect, it } from 'vitest';
import { Rng } from '../../../src/core/rng.js';
import { runTheorem } from '../../../src/regimes/kumarHaupt/theorem.js';

describe('kumar-haupt-theorem runner (theory/kumar-haupt.md#alignment-time)', () => {
  const rng = new Rng('theorem-test');
  const n = 10, d = 3;
  const x = new Float64Array(n * d).map(() => rng.normal());
  // a one-neuron teacher, so that the NCF has a clear leading direction
  const y = new Float64Array(n).map((_v, i) => Math.max(0, x[i * d] + 0.5 * x[i * d + 1]) - 0.3);
  const base = {
    width: 4, alpha: 0.2, seeds: 1, initSeed: 0, threshold: 0.99, refCosine: 0.999, escapeLoss: 0.5,
    rtol: 1e-9, maxSteps: 100_000, blowUpNorm: 1e5, leakyStep: 0.01, leakyResidual: 1e-2, fitDeltaMax: 1e-2,
    asymptoticBound: 0.1, claimDelta: 1e-3,
  };

  it('p = 3: t_align·δ in the original time equals the crossing time of the δ = 0 NCF flow (two integrations)', () => {
    const r = runTheorem({ ...base, degrees: [3], deltas: [1e-3, 1e-5] }, x, y, d);
    expect(r.status).toBe('ok');
    const t = r.records.filter((z) => z.metric === 'alignTime.p3').map((z) => z.value * (1 / z.width));
    // s_align(δ) − s_align(0) = O((δR_c)^p): at δ = 1e-5 both runs share the rescaled crossing to ~1e-6;
    // the training run interpolates the crossing between accepted steps (relative error ≤ 1e-3)
    expect(Math.abs(t[0] / t[1] - 1)).toBeLessThan(2e-3);
    expect(r.seeds[0].conditions.active).toBe(1);
    expect(Math.abs(r.seeds[0].alignSlope - 1)).toBeLessThan(1e-2);
  });

  it('norm clock (theory/kumar-haupt.md#norm-clock): the cosine where ‖w‖/δ reaches R_ref is the NCF flow\'s 0.999 up to O((δR_ref)^p), and agrees with the time clock at p = 3; absent option, absent records', () => {
    const r = runTheorem({ ...base, degrees: [3, 4], deltas: [1e-3, 1e-5], normClock: true }, x, y, d);
    expect(r.status).toBe('ok');
    const at = (m: string) => r.records.filter((z) => z.metric === m).map((z) => z.value);
    for (const v of [...at('cosineAtNorm.p3'), ...at('cosineAtNorm.p4')]) expect(Math.abs(v - 0.999)).toBeLessThan(5e-4);
    const time = at('cosineAtScale.p3'), norm = at('cosineAtNorm.p3');
    for (let i = 0; i < time.length; i++) expect(Math.abs(time[i] - norm[i])).toBeLessThan(5e-4);
    for (const s of r.seeds) expect(s.minCosNormAsymptotic).toBeGreaterThan(0.998);
    const plain = runTheorem({ ...base, degrees: [3], deltas: [1e-3] }, x, y, d);
    expect(plain.records.some((z) => z.metric.startsWith('cosineAtNorm'))).toBe(false);
    expect('minCosNormAsymptotic' in plain.seeds[0]).toBe(false);
  });

  it('p = 2: the escape time grows like ln(1/δ)/(2N*); a flow stopped before its direction settles is flagged', () => {
    const r = runTheorem({ ...base, degrees: [2], deltas: [1e-2, 1e-4, 1e-6] }, x, y, d);
    expect(r.status).toBe('ok');
    // the O(1) transient is δ-independent once the direction has converged: slope ratio → 1
    expect(Math.abs(r.seeds[0].escapeSlopeRatio - 1)).toBeLessThan(0.05);
    const early = runTheorem({ ...base, blowUpNorm: 1.5, degrees: [2], deltas: [1e-2] }, x, y, d);
    expect(early.seeds[0].status).toBe('failed');
  });
});
