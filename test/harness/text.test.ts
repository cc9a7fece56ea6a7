import { describe, expect, it } from 'vitest';
import { fitsText } from '../../src/harness/report/text.js';
import type { AnyResults } from '../../src/harness/types.js';

const fit = { metric: 'fTrainSup', exponent: -0.5, ci: [-0.6, -0.4], level: 0.95, expected: -0.5, tolerance: 0.1, relation: 'equal', verdict: 'pass' };

describe('terminal summary of a run', () => {
  it('counts passing verdicts, and a quick run says its verdicts are only indicative', () => {
    const full = { name: 'e', status: 'ok', message: '', fits: [fit] } as unknown as AnyResults;
    expect(fitsText(full)).toMatch(/^e: ok; 1\/1 expected exponents pass \(decided on the interval\)\n {2}fTrainSup/);
    expect(fitsText(full)).not.toMatch(/quick/);
    expect(fitsText({ ...full, quick: true } as AnyResults)).toMatch(/\(quick run: small sizes, a smoke test; verdicts are indicative, the full run's are the claim's\)\n$/);
  });
});
