import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/core/rng.js';
import type { Claim } from '../../src/harness/claims.js';
import { intervalDefect } from '../../src/harness/decide.js';
import { judgeClaims } from '../../src/harness/judge.js';
import { bootstrap, standardErrors, zMaxFixed } from '../../src/regimes/proportional/convergence.js';

const claim: Claim = {
  id: 'agreement', paper: 'test', statement: 'seed mean within 3 SE at every step', quantity: 'zMax', prediction: 3,
  derivation: 'theory/harness.md#interval-defects', tolerance: 0.5, toleranceReason: 'test', rule: 'atMost',
};

/** 16 seeds of 41-step curves that agree with the theory (zero) up to independent unit noise. */
function agreeingCurves(seed: string): Map<number, Float64Array[]> {
  const rng = new Rng(seed);
  return new Map([[1024, Array.from({ length: 16 }, () => rng.fillNormal(new Float64Array(41)))]]);
}

describe('intervals that cannot be used (theory/harness.md#interval-defects)', () => {
  it('the percentile bootstrap of a max of |z| sits above its estimate under agreement', () => {
    // The defect of proportional-sgd:online-agreement-at-1024, reproduced: most seeds put the
    // estimate below the lower end of its own "interval".
    let below = 0;
    for (let s = 0; s < 10; s++) {
      const t = agreeingCurves(`zmax${s}`);
      const theory = new Float64Array(41);
      const se = standardErrors(t.get(1024)!);
      const st = bootstrap(t, (x) => zMaxFixed(x.get(1024)!, theory, se), `boot${s}`, 200);
      if (st.estimate < st.ci[0]) below++;
      expect(st.ci[1]).toBeGreaterThan(st.estimate);
    }
    expect(below).toBeGreaterThanOrEqual(5);
  });

  it('a claim whose estimate lies outside its interval is inconclusive, and says why', () => {
    const src = { fits: [], records: [], statistics: { zMax: { estimate: 2.05, ci: [2.18, 4.26] as [number, number], seeds: 16 } } };
    const r = judgeClaims([claim], src)[0];
    expect(r.status).toBe('inconclusive');
    expect(r.reason).toMatch(/outside its own interval/);
    expect(r.estimate).toBe(2.05);
    expect(r.ci).toEqual([2.18, 4.26]);
    // The same interval with the estimate inside it is decided as before: pass (2.18–3.4 ≤ 3.5).
    const ok = judgeClaims([claim], { ...src, statistics: { zMax: { estimate: 2.5, ci: [2.18, 3.4], seeds: 16 } } })[0];
    expect(ok.status).toBe('pass');
  });

  it('no point estimate: inconclusive even when the resamples give an interval inside the band', () => {
    const src = { fits: [], records: [], statistics: { zMax: { estimate: NaN, ci: [1, 2] as [number, number], seeds: 32 } } };
    const r = judgeClaims([claim], src)[0];
    expect(r.status).toBe('inconclusive');
    expect(r.reason).toMatch(/no point estimate/);
  });

  it('intervalDefect accepts an estimate at an end of its interval and an exact value', () => {
    expect(intervalDefect(1, [1, 2])).toBeNull();
    expect(intervalDefect(2, [1, 2])).toBeNull();
    expect(intervalDefect(0.3, [0.3, 0.3])).toBeNull();
    expect(intervalDefect(0.5, null)).toBeNull();
    expect(intervalDefect(0.99, [1, 2])).not.toBeNull();
  });
});
