import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/core/rng.js';
import { type Claim, parseClaims } from '../../src/harness/claims.js';
import { decideClaim } from '../../src/harness/decide.js';
import { fitRecords } from '../../src/harness/fits.js';
import { judgeClaims, meanAt } from '../../src/harness/judge.js';
import type { LongRecord } from '../../src/harness/types.js';

const WIDTHS = [64, 128, 256, 512, 1024, 2048, 4096];

/** value = h^p · exp(σ z), z standard normal per (width, seed): a sweep with a known exponent. */
function sweep(p: number, seeds: number, sigma = 0.05, seed = 1): LongRecord[] {
  const rng = new Rng(seed);
  const out: LongRecord[] = [];
  for (let s = 0; s < seeds; s++) for (const h of WIDTHS) out.push({ width: h, seed: s, metric: 'd', value: Math.pow(h, p) * Math.exp(sigma * rng.normal()) });
  return out;
}

function claim(over: Partial<Claim>): Claim {
  return {
    id: 'c', paper: 'test', statement: 'd ∝ h^p', quantity: 'd', prediction: -0.5, derivation: 'theory/harness.md#decision-rule',
    tolerance: 0.05, toleranceReason: 'test', rule: 'equal', ...over,
  };
}

function judge(records: LongRecord[], c: Claim) {
  const fits = fitRecords(records, [], { seed: 0 });
  return judgeClaims([c], { fits, records }, 0)[0];
}

describe('claims decided on the interval, on synthetic sweeps with a known exponent', () => {
  it('true exponent −0.40 against −0.5 ± 0.05 fails: the whole interval lies outside the band', () => {
    const r = judge(sweep(-0.4, 16), claim({}));
    expect(r.ci![1]).toBeLessThan(-0.3);
    expect(r.ci![0]).toBeGreaterThan(-0.45);
    expect(r.status).toBe('fail');
  });
  it('true exponent −0.50 against −0.5 ± 0.05 passes: the whole interval lies inside', () => {
    const r = judge(sweep(-0.5, 16), claim({}));
    expect(r.status).toBe('pass');
    expect(r.ci![0]).toBeGreaterThanOrEqual(-0.55);
    expect(r.ci![1]).toBeLessThanOrEqual(-0.45);
  });
  it('2 seeds are inconclusive whatever the interval says, and the reason says so', () => {
    const r = judge(sweep(-0.5, 2), claim({}));
    expect(r.status).toBe('inconclusive');
    expect(r.seeds).toBe(2);
    expect(r.reason).toMatch(/2 seeds \(fewer than 8\)/);
    expect(judge(sweep(-0.4, 2), claim({})).status).toBe('inconclusive');
  });
  it('an interval that straddles the band edge is inconclusive, not a pass by its point estimate', () => {
    // true −0.45 sits on the edge of −0.5 ± 0.05; noise makes the interval cross it
    const r = judge(sweep(-0.45, 16, 0.3), claim({}));
    expect(r.ci![0]).toBeLessThan(-0.45);
    expect(r.ci![1]).toBeGreaterThan(-0.45);
    expect(r.status).toBe('inconclusive');
  });
  it('a bound (atMost): decays at least as fast as h^−0.5 passes for −0.8, fails for −0.2, inconclusive with 2 seeds', () => {
    const c = claim({ rule: 'atMost', tolerance: 0.05 });
    expect(judge(sweep(-0.8, 16), c).status).toBe('pass');
    expect(judge(sweep(-0.2, 16), c).status).toBe('fail');
    expect(judge(sweep(-0.8, 2), c).status).toBe('inconclusive');
    const lower = claim({ rule: 'atLeast', prediction: 0, tolerance: 0.1 });
    expect(judge(sweep(0.3, 16), lower).status).toBe('pass');
    expect(judge(sweep(-0.5, 16), lower).status).toBe('fail');
  });
  it('a class claim is decided by where the interval lies against the class boundaries', () => {
    const classes = [{ name: 'linear', min: null, max: -0.1 }, { name: 'critical', min: -0.1, max: 0.1 }, { name: 'condensed', min: 0.1, max: null }];
    const c = claim({ rule: 'class', prediction: 'condensed', tolerance: 0.1, classes });
    const up = judge(sweep(0.3, 16), c);
    expect(up.status).toBe('pass');
    expect(up.measuredClass).toBe('condensed');
    const down = judge(sweep(-0.5, 16), c);
    expect(down.status).toBe('fail');
    expect(down.measuredClass).toBe('linear');
    const edge = judge(sweep(0.1, 16, 0.3), c);
    expect(edge.status).toBe('inconclusive');
    expect(edge.measuredClass).toBeNull();
    expect(judge(sweep(0.3, 3), c).status).toBe('inconclusive');
  });
});

describe('decideClaim', () => {
  const eq = { rule: 'equal' as const, prediction: -0.5, tolerance: 0.1 };
  it('the point estimate never decides: the interval does', () => {
    // the README case: p = −0.404 inside −0.5 ± 0.1, but the interval [−0.416, −0.389] is not
    expect(decideClaim(eq, [-0.416, -0.389], 16).status).toBe('inconclusive');
    expect(decideClaim(eq, [-0.39, -0.3], 16).status).toBe('fail');
    expect(decideClaim(eq, [-0.6, -0.4], 16).status).toBe('pass');
    expect(decideClaim(eq, null, 16).status).toBe('inconclusive');
    expect(decideClaim(eq, [NaN, NaN], 16).status).toBe('inconclusive');
  });
  it('the bands of atMost and atLeast are one-sided', () => {
    expect(decideClaim({ rule: 'atMost', prediction: 0, tolerance: 0 }, [-3, 0], 8).status).toBe('pass');
    expect(decideClaim({ rule: 'atMost', prediction: 0, tolerance: 0 }, [-3, 0.01], 8).status).toBe('inconclusive');
    expect(decideClaim({ rule: 'atMost', prediction: 0, tolerance: 0 }, [0.01, 1], 8).status).toBe('fail');
    expect(decideClaim({ rule: 'atLeast', prediction: 1, tolerance: 0.1 }, [0.9, 5], 8).status).toBe('pass');
    expect(decideClaim({ rule: 'atLeast', prediction: 1, tolerance: 0.1 }, [0, 0.89], 8).status).toBe('fail');
  });
});

describe('meanAt', () => {
  it('is the mean over seeds at one sweep value with an interval that holds it', () => {
    const rec: LongRecord[] = [1, 2, 3, 4, 5, 6, 7, 8].map((v, s) => ({ width: 10, seed: s, metric: 'q', value: v }));
    const m = meanAt(rec, 'q', 10, 's')!;
    expect(m.estimate).toBe(4.5);
    expect(m.seeds).toBe(8);
    expect(m.ci[0]).toBeLessThan(4.5);
    expect(m.ci[1]).toBeGreaterThan(4.5);
    // the standard error of the mean is 2.45/√8 = 0.87: a 95 % interval is about ±1.7
    expect(m.ci[1] - m.ci[0]).toBeGreaterThan(2);
    expect(m.ci[1] - m.ci[0]).toBeLessThan(4.5);
    expect(meanAt(rec, 'q', 11, 's')).toBeNull();
  });
});

describe('parseClaims', () => {
  const ok = { id: 'a', paper: 'p', statement: 's', quantity: 'q', prediction: -0.5, derivation: 'theory/harness.md#x', tolerance: 0.1, toleranceReason: 'r', rule: 'equal' };
  it('accepts a claim in the documented format and refuses wrong ones with their field', () => {
    expect(parseClaims([ok], 'e.claims')[0].rule).toBe('equal');
    expect(() => parseClaims([{ ...ok, rule: 'close' }], 'e.claims')).toThrow(/e\.claims\[0\]\.rule/);
    expect(() => parseClaims([{ ...ok, derivation: '../shared/x.md' }], 'e.claims')).toThrow(/derivation/);
    expect(() => parseClaims([ok, ok], 'e.claims')).toThrow(/duplicate/);
    expect(() => parseClaims([{ ...ok, revises: 'b' }], 'e.claims')).toThrow(/revises/);
    expect(() => parseClaims([{ ...ok, rule: 'class', prediction: 'x', classes: [{ name: 'a', max: 0 }, { name: 'b', min: 0 }] }], 'e.claims')).toThrow(/prediction/);
  });
});
