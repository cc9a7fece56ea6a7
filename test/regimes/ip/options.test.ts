/**
 * Options of the ip experiments added for the layer count and the variants on ten classes
 * (theory/ip.md#layer-count, #variants-ce): the authors' first-layer rate, and the accuracy of f_k − f_0.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseActivation } from '../../../src/finite/activation.js';
import { loadExperiment, resolveExperiment } from '../../../src/harness/experiments.js';
import type { GenericResults } from '../../../src/harness/types.js';
import { registerIpKinds, sweepMetric } from '../../../src/regimes/ip/index.js';
import { parseIpVariant, variantArchitecture } from '../../../src/regimes/ip/variants.js';
import { runResolvedExperiment } from '../../../src/regimes/runExperiment.js';

const shape = { inputDim: 9, outputDim: 3, width: 16, depth: 3, activation: parseActivation('relu'), centred: false };

describe('firstLayerRate "code"', () => {
  it('divides the first layer\'s weight and bias rates by d + 1 and changes nothing else', () => {
    const a = variantArchitecture({ name: 'a', parameterization: 'ip' }, shape);
    const b = variantArchitecture(parseIpVariant({ name: 'b', parameterization: 'ip', firstLayerRate: 'code' }, 'v'), shape);
    expect(b.layers[0].rate).toBeCloseTo(a.layers[0].rate / 10, 14);
    expect(b.layers[0].bias!.rate).toBeCloseTo(a.layers[0].bias!.rate / 10, 14);
    expect({ ...b.layers[0], rate: 0, bias: { ...b.layers[0].bias!, rate: 0 } }).toEqual({ ...a.layers[0], rate: 0, bias: { ...a.layers[0].bias!, rate: 0 } });
    expect(b.layers.slice(1)).toEqual(a.layers.slice(1));
  });

  it('is refused outside plain ip and for unknown values', () => {
    expect(() => parseIpVariant({ name: 'x', parameterization: 'ip-llr', firstLayerRate: 'code' }, 'v')).toThrow(/only used with parameterization ip/);
    expect(() => parseIpVariant({ name: 'x', parameterization: 'ip', firstLayerRate: 'paper' }, 'v')).toThrow(/"preset" or "code"/);
  });
});

describe('ip-variants-ce (quick config)', () => {
  registerIpKinds();
  it('records the accuracy of f_k − f_0 for every variant, in [0, 1], and does not fit it', async () => {
    const out = mkdtempSync(join(tmpdir(), 'ip-variants-ce-'));
    const c = resolveExperiment(loadExperiment('ip-variants-ce'), true);
    await runResolvedExperiment(c, { out, progress: false });
    const r = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')) as GenericResults;
    for (const v of ['ip', 'ipNonCentred', 'ipNonCentredMid', 'ipBiases', 'ipLlr']) {
      const m = sweepMetric(`testAccuracyChange.${v}`, 'relu', 5);
      const rows = r.records.filter((x) => x.metric === m);
      expect(rows.length).toBe(c.widths.length * c.seeds);
      expect(rows.every((x) => x.value >= 0 && x.value <= 1)).toBe(true);
      expect((r.fits ?? []).some((f) => f.metric === m)).toBe(false);
    }
  }, 120_000);
});
