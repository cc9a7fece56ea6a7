/**
 * Estimates before work (src/spec/estimate.ts): counts from the spec's sizes, and a refusal that
 * names the field, the estimate and the available memory (given here, so the test does not depend
 * on the machine).
 */
import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/core/errors.js';
import { MAX_RECORDED, checkEstimate, estimateKernel, estimateLimit, estimateTrain } from '../../src/spec/estimate.js';
import { parseSpec } from '../../src/spec/validate.js';

const GB = 1e9;
function refusal(f: () => void): string {
  try {
    f();
  } catch (e) {
    if (e instanceof InputError) return `${e.where}: ${e.what}`;
    throw e;
  }
  return 'no error';
}

describe('estimates', () => {
  it('a width-30000, depth-2 network counts its 9e8 hidden weights five times over (gd)', () => {
    const s = parseSpec({ data: { n: 8, nTest: 0, dim: 3 }, model: { depth: 2, width: 30000 } });
    const e = estimateTrain(s);
    const params = 30000 * 3 + 30000 * 30000 + 30000 + 2 * 30000 + 1;
    expect(e.bytes).toBe(8 * (5 * params + 3 * 8 * 30000 * 2));
    expect(refusal(() => checkEstimate(e, undefined, { bytes: 8 * GB, source: 'test' }))).toMatch(/^model\.width: needs about 36\.0 GB of memory \(estimate for width 30000, depth 2: .*\), more than the 8\.0 GB available \(test\)/);
    expect(refusal(() => checkEstimate(e, undefined, { bytes: 64 * GB, source: 'test' }))).toBe('no error');
  });

  it('the NTK limit counts its kernel matrices over all points; the kernel command its two n×m matrices and file', () => {
    const s = parseSpec({ data: { n: 40000, nTest: 10000, dim: 3 } });
    expect(estimateLimit(s, 'ntk').field).toBe('data.n');
    expect(estimateLimit(s, 'ntk').bytes).toBeGreaterThan(8 * 4 * 50000 ** 2);
    const k = estimateKernel(10000, 10000, 10, true);
    expect(k.outputBytes).toBe(16 * 1e8);
    expect(refusal(() => checkEstimate(k, 1e9, { bytes: 64 * GB, source: 'test' }))).toMatch(/^--data: the result file would be about 1\.6 GB, more than the 1\.0 GB free on its disk/);
  });

  it('a run recording more than MAX_RECORDED numbers is refused at training.recordEvery with the smallest recordEvery accepted', () => {
    const s = parseSpec({ data: { n: 6, nTest: 3, dim: 3 }, training: { steps: 999999, recordEvery: 1 } });
    const e = estimateLimit(s, 'ntk');
    expect(e.recorded?.count).toBe(1e6 * 11);
    const msg = refusal(() => checkEstimate(e, undefined, { bytes: 64 * GB, source: 'test' }));
    expect(msg).toMatch(/^training\.recordEvery: 1\.0e6 records × 11 numbers .* use recordEvery ≥ 3 for 999999 steps/);
    // the value it names is accepted, the one below is not
    const at = (every: number) => parseSpec({ data: { n: 6, nTest: 3, dim: 3 }, training: { steps: 999999, recordEvery: every } });
    expect(refusal(() => checkEstimate(estimateTrain(at(3)), undefined, { bytes: 64 * GB, source: 'test' }))).toBe('no error');
    expect(estimateTrain(at(3)).recorded?.count).toBeLessThanOrEqual(MAX_RECORDED);
    expect(refusal(() => checkEstimate(estimateTrain(at(2)), undefined, { bytes: 64 * GB, source: 'test' }))).toMatch(/^training\.recordEvery:/);
  });
});
