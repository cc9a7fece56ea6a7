import { describe, expect, it } from 'vitest';
import { theoremStatisticsFromResults } from '../../../src/regimes/kumarHaupt/theoremKind.js';

// A saved results.json stores a non-finite value as null; re-judging must read it back as "no
// value" (as the run itself did), not as a cosine of 0 (Math.min(null, x) is 0).
describe('kumar-haupt-theorem statistics recomputed from a saved results.json', () => {
  const summary = (seed: number) => ({
    degree: 4, seed, alignSlope: 2, normSlope: 0, residual: 1e-9, minCosAsymptotic: 0.9995,
    conditions: { rank: 0, direction: 0, balance: 0, multiplier: 0, signViolations: 0, active: 1 },
  });
  const saved = (second: number | null) => ({
    records: [
      { width: 1e4, seed: 0, metric: 'cosineAtScale.p4', value: 0.9991 },
      { width: 1e4, seed: 1, metric: 'cosineAtScale.p4', value: second },
    ],
    spec: { seed: 3, claimDelta: 1e-3, params: { degrees: [4], asymptoticBound: 0.1 }, seedSummaries: [summary(0), summary(1)] },
  });

  it('gives no interval when a seed saved null, as the run did', () => {
    const s = theoremStatisticsFromResults(saved(null) as never)['minCosineAtScale.p4'];
    expect(Number.isFinite(s.estimate)).toBe(false);
    expect(s.ci.every((x) => !Number.isFinite(x))).toBe(true);
  });

  it('gives the range over seeds when every seed has a value', () => {
    const s = theoremStatisticsFromResults(saved(0.9993) as never)['minCosineAtScale.p4'];
    expect(s.ci).toEqual([0.9991, 0.9993]);
  });
});
