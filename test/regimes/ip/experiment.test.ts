/**
 * The integrable-parameterization claim at small size (Hajjar, Chizat, Giraud 2021; theory/ip.md#presets)
 * and the `ip-depth` experiment kind end to end (quick version of experiments/ip-depth6.json).
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseActivation } from '../../../src/finite/activation.js';
import { makeLoss } from '../../../src/finite/loss.js';
import { loadExperiment, resolveExperiment } from '../../../src/harness/experiments.js';
import { runResolvedExperiment } from '../../../src/regimes/runExperiment.js';
import type { GenericResults } from '../../../src/harness/types.js';
import { runIpCell } from '../../../src/regimes/ip/cell.js';
import { parseIpKind, registerIpKinds } from '../../../src/regimes/ip/index.js';
import { DEFAULT_IP_VARIANTS } from '../../../src/regimes/ip/variants.js';
import { loadData } from '../../../src/data/load.js';
import { parseSpec } from '../../../src/spec/validate.js';

const net = { depth: 6, activation: parseActivation('relu'), centred: false };
const training = { loss: makeLoss('mse'), method: 'gd' as const, lr: 0.01, steps: 3, recordEvery: 1 };
const variant = (n: string) => DEFAULT_IP_VARIANTS.find((v) => v.name === n)!;

describe('plain IP is stuck at depth 6, IP-LLR is not (32 MNIST images, widths 64 and 1024)', () => {
  const data = loadData(parseSpec({ data: { source: 'mnist', n: 32, nTest: 16, labels: 'parity', seed: 0 } }).data);

  it('plain IP: the loss change after 3 steps at h = 1024 is more than 16² times smaller than at h = 64', () => {
    // Leading order h^{−(L−2)} = h^{−4} [derived, theory/ip.md#plain-ip-exponent]: a factor
    // 16⁴ ≈ 6.6e4 between the widths; requiring only 16² = 256 leaves room for the constants
    // and a single seed, but fails for any width-independent loss change.
    const small = runIpCell(variant('ip'), 64, net, data, training, 0);
    const large = runIpCell(variant('ip'), 1024, net, data, training, 0);
    expect(small.status).toBe('ok');
    expect(large.status).toBe('ok');
    expect(small.lossChange).toBeGreaterThan(0);
    expect(large.lossChange).toBeGreaterThan(0);
    expect(large.lossChange).toBeLessThan(small.lossChange / 256);
  });

  it('IP-LLR with calibrated first-step rates: the loss change after 10 steps at h = 1024 is within a factor 3 of that at h = 64', () => {
    // Width-independent in the limit; factor 3 covers finite-width and single-seed noise, and is
    // far from the ≥ 256 drop of plain IP. Ten steps: the calibrated first step overshoots (the
    // loss rises), and the following steps at the ip rates bring it below L_0.
    const t10 = { ...training, steps: 10 };
    const small = runIpCell(variant('ipLlr'), 64, net, data, t10, 0);
    const large = runIpCell(variant('ipLlr'), 1024, net, data, t10, 0);
    expect(small.lossChange).toBeGreaterThan(0);
    expect(large.lossChange).toBeGreaterThan(small.lossChange / 3);
    expect(large.lossChange).toBeLessThan(small.lossChange * 3);
    expect(large.firstStepBaseRates).toHaveLength(7);
  });
});

describe('experiment ip-depth6 --quick', () => {
  registerIpKinds();
  const dir = mkdtempSync(join(tmpdir(), 'widelimit-ip-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('writes well-formed long-format records, fits and a report; plain IP falls with the width, IP-LLR does not', async () => {
    const c = resolveExperiment(loadExperiment('ip-depth6'), true);
    const { results } = await runResolvedExperiment(c, { out: dir, progress: false });
    const r = results as GenericResults;
    expect(r.kind).toBe('ip-depth');
    expect(r.status).toBe('ok');
    const variants = ['ip', 'ipLlr', 'ipNonCentred', 'ipBiases', 'muP'];
    for (const v of variants) {
      const rows = r.records.filter((x) => x.metric === `lossChange.${v}`);
      expect(rows).toHaveLength(c.widths.length * c.seeds);
      for (const x of rows) {
        expect(c.widths).toContain(x.width);
        expect(Number.isFinite(x.value)).toBe(true);
      }
    }
    const fit = (m: string) => r.fits.find((f) => f.metric === m)!;
    expect(fit('lossChange.ip').exponent).toBeLessThan(-1);
    // the quick run has 2 seeds: too few to decide (theory/harness.md#decision-rule)
    expect(fit('lossChange.ip').verdict).toBe('inconclusive');
    // (claims at h = 1024 have no values in the quick run's widths 64, 256)
    expect(r.claims?.every((x) => x.status === 'inconclusive' && /fewer than 8|no values/.test(x.reason))).toBe(true);
    for (const f of ['results.json', 'report.md', 'report.html', 'data.csv', 'curves.csv', 'figures/overview.svg']) {
      expect(existsSync(join(dir, f))).toBe(true);
    }
    expect(readFileSync(join(dir, 'data.csv'), 'utf8').split('\n')[0]).toBe('width,seed,metric,value');
    // learning beyond the initial output and test accuracy are recorded for every variant
    for (const v of variants) {
      expect(r.records.filter((x) => x.metric === `learnedFraction.${v}`)).toHaveLength(c.widths.length * c.seeds);
      for (const x of r.records.filter((y) => y.metric === `testAccuracy.${v}`)) expect(x.value).toBeGreaterThanOrEqual(0);
    }
    expect(r.claims?.find((x) => x.id === 'noncentred-learns')?.quantity).toBe('learnedFraction.ipNonCentred');
  });
});

describe('ip-depth config errors', () => {
  const base = resolveExperiment(loadExperiment('ip-depth6'), true);
  it('name the offending field', () => {
    expect(() => parseIpKind({ ...base, params: { variants: [{ name: 'a', parameterization: 'ip', lrr: 1 }] } })).toThrow(/ip-depth6\.params\.variants\[0\]\.lrr: unknown field/);
    expect(() => parseIpKind({ ...base, spec: { ...base.spec, model: { depth: 6, width: 3 } } })).toThrow(/ip-depth6\.spec\.model\.width: unknown field/);
    expect(() => parseIpKind({ ...base, spec: { ...base.spec, training: { method: 'flow' } } })).toThrow(/ip-depth6\.spec\.training\.method/);
    expect(() => parseIpKind({ ...base, params: { centred: 'yes' } })).toThrow(/ip-depth6\.params\.centred/);
  });
});
