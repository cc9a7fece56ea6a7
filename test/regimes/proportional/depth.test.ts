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

  it('takes firstSeed as a non-negative integer seed offset, default 0, and names the field otherwise', () => {
    expect(parseDepthParams(base()).firstSeed).toBe(0);
    expect(parseDepthParams({ ...base(), params: { firstSeed: 128 } }).firstSeed).toBe(128);
    expect(() => parseDepthParams({ ...base(), params: { firstSeed: 1.5 } })).toThrow(/firstSeed: must be an integer/);
    expect(() => parseDepthParams({ ...base(), params: { firstSeed: -1 } })).toThrow(/firstSeed: must be >= 0/);
  });
});
