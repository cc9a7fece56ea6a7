import { describe, expect, it } from 'vitest';
import { InputError } from '../../../src/core/errors.js';
import { loadExperiment, resolveExperiment } from '../../../src/harness/experiments.js';
import { parseDepthParams } from '../../../src/regimes/proportional/depth.js';

const base = () => resolveExperiment(loadExperiment('proportional-depth'), false);

describe('proportional-depth parameters', () => {
  it('reads widths as block counts and params.dim as D', () => {
    const p = parseDepthParams(base());
    expect(p.blocks).toEqual([2, 4, 8, 16, 32, 64]);
    expect(p.dim).toBe(512);
    expect(p.beta0).toBe(1);
  });

  it('rejects unknown fields, non-increasing block counts and non-integer widths νD with InputError', () => {
    expect(() => parseDepthParams({ ...base(), params: { blocks: [2, 4] } })).toThrow(InputError);
    expect(() => parseDepthParams({ ...base(), widths: [4, 2] })).toThrow(/increasing/);
    expect(() => parseDepthParams({ ...base(), params: { nu: 0.5, dim: 9 } })).toThrow(/integer width/);
    expect(() => parseDepthParams({ ...base(), params: { beta0: -1 } })).toThrow(InputError);
  });
});
