/**
 * The paired differences between activations of kind ip-sweep (src/regimes/ip/activationContrast.ts,
 * theory/ip.md#activations-trained): hand-made accuracies with known spreads and differences, a
 * diverged run (NaN) left out of the spread and counted as not finished, and the kind end to end
 * on the quick version of experiments/ip-activations-trained.json.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadExperiment, resolveExperiment } from '../../../src/harness/experiments.js';
import type { GenericResults, LongRecord } from '../../../src/harness/types.js';
import { activationContrasts } from '../../../src/regimes/ip/activationContrast.js';
import { registerIpKinds, sweepMetric } from '../../../src/regimes/ip/index.js';
import { runResolvedExperiment } from '../../../src/regimes/runExperiment.js';

const ACTS = ['relu', 'gelu', 'tanh', 'elu'];

function acc(width: number, seed: number, values: number[]): LongRecord[] {
  return ACTS.map((a, i) => ({ width, seed, metric: `testAccuracy.ipLlr.${a}.w6`, value: values[i] }));
}

function value(out: LongRecord[], metric: string, width: number, seed: number): number | undefined {
  return out.find((r) => r.metric === metric && r.width === width && r.seed === seed)?.value;
}

describe('activation contrasts', () => {
  const records: LongRecord[] = [
    ...acc(64, 0, [0.11, 0.8, 0.55, 0.3]),
    ...acc(64, 1, [0.2, NaN, 0.5, NaN]),
    ...acc(128, 0, [0.4, NaN, NaN, NaN]),
    { width: 64, seed: 0, metric: 'lossChange.ipLlr.relu.w6', value: 0.5 },
  ];
  const out = activationContrasts(records, { variants: ['ipLlr'], activations: ACTS, weightLayers: [6], pairs: [['tanh', 'relu'], ['gelu', 'relu']] });

  it('spread = max − min and paired differences per (width, seed)', () => {
    expect(value(out, 'testAccuracySpread.ipLlr.w6', 64, 0)).toBeCloseTo(0.8 - 0.11, 15);
    expect(value(out, 'testAccuracyDiff.ipLlr.tanh_minus_relu.w6', 64, 0)).toBeCloseTo(0.55 - 0.11, 15);
    expect(value(out, 'testAccuracyDiff.ipLlr.gelu_minus_relu.w6', 64, 0)).toBeCloseTo(0.8 - 0.11, 15);
  });

  it('a diverged run (NaN) is left out of the spread, makes its differences NaN and counts as not finished', () => {
    expect(value(out, 'testAccuracySpread.ipLlr.w6', 64, 1)).toBeCloseTo(0.3, 15);
    expect(value(out, 'testAccuracyDiff.ipLlr.tanh_minus_relu.w6', 64, 1)).toBeCloseTo(0.3, 15);
    expect(value(out, 'testAccuracyDiff.ipLlr.gelu_minus_relu.w6', 64, 1)).toBeNaN();
    expect(ACTS.map((a) => value(out, `finished.ipLlr.${a}.w6`, 64, 1))).toEqual([1, 0, 1, 0]);
    expect(value(out, 'testAccuracySpread.ipLlr.w6', 128, 0)).toBeNaN();
  });

  it('one spread per (width, seed), none for depths or variants without records', () => {
    expect(out.filter((r) => r.metric.startsWith('testAccuracySpread.')).length).toBe(3);
    const none = activationContrasts(records, { variants: ['ip'], activations: ACTS, weightLayers: [3], pairs: [] });
    expect(none).toEqual([]);
  });
});

describe('ip-activations-trained --quick', () => {
  registerIpKinds();
  it('records the spread and the paired differences for every (width, seed), equal to those of the accuracies', async () => {
    const out = mkdtempSync(join(tmpdir(), 'ip-act-trained-'));
    const c = resolveExperiment(loadExperiment('ip-activations-trained'), true);
    await runResolvedExperiment(c, { out, progress: false });
    const r = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')) as GenericResults;
    const acts = c.params!.activations as string[];
    const wl = (c.params!.weightLayers as number[])[0];
    const spread = r.records.filter((x) => x.metric === `testAccuracySpread.ipLlr.w${wl}`);
    expect(spread.length).toBe(c.widths.length * c.seeds);
    for (const s of spread) {
      const a = acts.map((act) => r.records.find((x) => x.metric === sweepMetric('testAccuracy.ipLlr', act, wl) && x.width === s.width && x.seed === s.seed)!.value)
        .filter(Number.isFinite);
      expect(s.value).toBeCloseTo(Math.max(...a) - Math.min(...a), 15);
    }
    expect(r.records.some((x) => x.metric === `testAccuracyDiff.ipLlr.tanh_minus_relu.w${wl}`)).toBe(true);
    expect(r.fits.some((f) => f.metric.startsWith('finished.') || f.metric.startsWith('testAccuracy'))).toBe(false);
  }, 120_000);
});
