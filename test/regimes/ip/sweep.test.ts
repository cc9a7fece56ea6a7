/**
 * The ten-class measures of the ip cells (theory/ip.md#ten-class) and the `ip-sweep` kind end to
 * end (quick versions of experiments/ip-depth-sweep.json and ip-activations.json).
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { mat } from '../../../src/core/matrix.js';
import { Rng } from '../../../src/core/rng.js';
import { lossAndGradient, makeLoss } from '../../../src/finite/loss.js';
import { loadExperiment, resolveExperiment } from '../../../src/harness/experiments.js';
import type { GenericResults } from '../../../src/harness/types.js';
import { argmaxAccuracy, constantCrossEntropy, crossEntropyDecrease } from '../../../src/regimes/ip/classification.js';
import { registerIpKinds, sweepMetric } from '../../../src/regimes/ip/index.js';
import { runResolvedExperiment } from '../../../src/regimes/runExperiment.js';

const CE = makeLoss('cross-entropy');

describe('ten-class measures', () => {
  const rng = new Rng('ip/ten-class');
  const n = 6, k = 10;
  const f0 = rng.fillNormal(new Float64Array(n * k), 1);
  const y = new Float64Array(n * k);
  for (let i = 0; i < n; i++) y[i * k + ((3 * i) % k)] = 1;
  const loss = (f: Float64Array) => lossAndGradient(CE, mat(n, k, f), mat(n, k, y), 1);

  it('the loss decrease from the outputs equals L(f0) − L(fk) for an O(1) change (1e-13)', () => {
    const fk = f0.map((v, i) => v + 0.5 * Math.sin(i));
    expect(Math.abs(crossEntropyDecrease(1, n, f0, fk, y) - (loss(f0) - loss(fk)))).toBeLessThan(1e-13);
  });

  it('keeps its digits for a 1e-13 change: equals the first-order decrease −⟨(p − y)/n, δ⟩ to 1e-9 relative', () => {
    const g = mat(n, k);
    lossAndGradient(CE, mat(n, k, f0), mat(n, k, y), 1, g);
    const delta = f0.map((_, i) => 1e-13 * Math.cos(3 * i));
    const fk = f0.map((v, i) => v + delta[i]);
    // the change the outputs actually carry (fk − f0 is exact in floating point, δ is not)
    const first = -g.data.reduce((a, v, i) => a + v * (fk[i] - f0[i]), 0);
    // second order is ~|δ|² = 1e-26, far below; the difference of losses loses every digit here
    expect(Math.abs(crossEntropyDecrease(1, n, f0, fk, y) / first - 1)).toBeLessThan(1e-9);
  });

  it('constant predictor: log k for balanced labels, 0 for one class; argmax accuracy counts labelled maxima', () => {
    const bal = new Float64Array(20);
    for (let i = 0; i < 10; i++) bal[i * 2 + (i % 2)] = 1;
    expect(constantCrossEntropy(bal, 2)).toBeCloseTo(Math.LN2, 15);
    expect(constantCrossEntropy(Float64Array.from([1, 0, 1, 0]), 2)).toBe(0);
    expect(argmaxAccuracy([0.1, 2, 3, -1, 0, 0.5], [0, 1, 1, 0, 1, 0], 2)).toBe(2 / 3);
  });

  it('sweep metrics name variant, activation and weight layers without extra dots', () => {
    expect(sweepMetric('lossChange.ip', 'softplus:5', 4)).toBe('lossChange.ip.softplus_5.w4');
  });
});

describe('kind ip-sweep (quick configs)', () => {
  registerIpKinds();
  for (const name of ['ip-depth-sweep', 'ip-activations']) {
    it(`${name} --quick runs end to end: every network's records, fits and the stuck-depth note`, async () => {
      const out = mkdtempSync(join(tmpdir(), `${name}-`));
      const c = resolveExperiment(loadExperiment(name), true);
      await runResolvedExperiment(c, { out, progress: false });
      const r = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')) as GenericResults;
      const acts = (c.params!.activations as string[]) ?? ['relu'];
      for (const act of acts) {
        for (const wl of c.params!.weightLayers as number[]) {
          for (const m of ['lossChange.ip', 'lossChange.ipLlr', 'learnedFraction.ipLlr', 'testAccuracy.ip']) {
            const rows = r.records.filter((x) => x.metric === sweepMetric(m, act, wl));
            expect(rows.length).toBe(c.widths.length * c.seeds);
            expect(rows.every((x) => Number.isFinite(x.value))).toBe(true);
          }
        }
      }
      // IP-LLR learns at 3 weight layers even at h = 64 in 10 steps: learned fraction > 0 (plain IP's is ≤ 0.05)
      const llr = r.records.filter((x) => x.metric === sweepMetric('learnedFraction.ipLlr', 'relu', 3));
      expect(Math.min(...llr.map((x) => x.value))).toBeGreaterThan(0.1);
      expect((r.notes ?? []).some((s) => s.startsWith('relu: exponent of plain IP'))).toBe(true);
    }, 120_000);
  }
});
