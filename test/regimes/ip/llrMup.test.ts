/**
 * IP-LLR against the modified μP (src/regimes/ip/llrMup.ts, theory/ip.md#llr-mup): the first-step
 * equivalence (entrywise proportional updates for ReLU, not for tanh), the hand-taken first step
 * against the trainer's own, and the kind end to end (quick config).
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { mat } from '../../../src/core/matrix.js';
import { Rng } from '../../../src/core/rng.js';
import { parseActivation } from '../../../src/finite/activation.js';
import { forwardRaw } from '../../../src/finite/fused/forward.js';
import { makeLoss } from '../../../src/finite/loss.js';
import { initParams } from '../../../src/finite/params.js';
import { trainNetwork } from '../../../src/finite/train.js';
import { loadExperiment, resolveExperiment } from '../../../src/harness/experiments.js';
import type { GenericResults } from '../../../src/harness/types.js';
import { calibrateFirstStep } from '../../../src/regimes/ip/calibrate.js';
import { firstStepExcess, firstSteps, registerIpKinds } from '../../../src/regimes/ip/index.js';
import { variantArchitecture } from '../../../src/regimes/ip/variants.js';
import { runResolvedExperiment } from '../../../src/regimes/runExperiment.js';
import { smallData } from '../../finite/helpers.js';

const MSE = makeLoss('mse');
const gd = { loss: MSE, method: 'gd' as const, lr: 0.01, steps: 3, recordEvery: 1 };

describe('IP-LLR and the modified μP (theory/ip.md#llr-mup)', () => {
  it('the excess exponents: (L−1)/2 first and last, (L−2)/2 inside', () => {
    expect([0, 1, 2, 3].map((l) => firstStepExcess(3, l))).toEqual([1, 0.5, 0.5, 1]);
  });

  // one training point: ∂ℓ/∂F is one number per network, so ΔV^l = ρ ΔU^l in every layer with
  // ρ = (F_μP(θ0) − y)/(F_IP(θ0) − y) when φ is positively homogeneous
  const ratios = (act: string) => {
    const data = smallData('llr-mup/one', 1, 6, 1, 2);
    const width = 24, L = 3;
    const net = { depth: L, activation: parseActivation(act), centred: false };
    const s = firstSteps(width, net, data, gd, 5);
    const U = initParams(s.arch, new Rng(5).child('init'));
    const V0W = U.W.map((w, l) => w.data.map((v) => (l > 0 && l < L ? v * Math.sqrt(width) : v)));
    const Fip = forwardRaw(s.arch, U, data.x).data[0];
    const Fmu = forwardRaw(s.arch, { W: V0W.map((d, l) => mat(U.W[l].rows, U.W[l].cols, d)), b: U.b }, data.x).data[0];
    const rho = (Fmu - data.y.data[0]) / (Fip - data.y.data[0]);
    let worst = 0;
    for (let l = 0; l <= L; l++) {
      const dU = s.ipLlr.W[l].data.map((v, i) => v - U.W[l].data[i]);
      const dV = s.muP.W[l].data.map((v, i) => v - V0W[l][i]);
      const scale = Math.max(...dU.map(Math.abs));
      dU.forEach((u, i) => { worst = Math.max(worst, Math.abs(dV[i] - rho * u) / (Math.abs(rho) * scale)); });
    }
    return worst;
  };

  it('ReLU: μP\'s first update is ρ times IP-LLR\'s in every entry of every layer (1e-9)', () => {
    expect(ratios('relu')).toBeLessThan(1e-9);
  });

  it('tanh (not homogeneous): the two first updates are not proportional (> 1e-3)', () => {
    expect(ratios('tanh')).toBeGreaterThan(1e-3);
  });

  it('the hand-taken first step then k − 1 GD steps = the trainer\'s k steps with the first-step rates (1e-12)', () => {
    const data = smallData('llr-mup/gd', 5, 6, 1, 2);
    const net = { depth: 3, activation: parseActivation('relu'), centred: false };
    const s = firstSteps(16, net, data, gd, 2);
    const a = trainNetwork(s.arch, s.ipLlr, data, { ...gd, steps: gd.steps - 1, rng: new Rng(0) });
    const arch0 = variantArchitecture({ name: 'x', parameterization: 'ip-llr' }, { inputDim: 6, outputDim: 1, width: 16, depth: 3, activation: net.activation, centred: false });
    const U = initParams(arch0, new Rng(2).child('init'));
    const cal = calibrateFirstStep(arch0, U, MSE, data.x, data.y, data.xTest, gd.lr);
    const b = trainNetwork(cal.arch, U, data, { ...gd, rng: new Rng(0) });
    const fa = a.fTrain[a.fTrain.length - 1] as number[], fb = b.fTrain[b.fTrain.length - 1] as number[];
    fa.forEach((v, i) => expect(Math.abs(v - fb[i])).toBeLessThan(1e-12 * Math.max(1, Math.abs(fb[i]))));
  });

  it('the modified μP differs from μP only by the intermediate initial weights', () => {
    const data = smallData('llr-mup/mod', 3, 6, 1, 2);
    const s = firstSteps(8, { depth: 3, activation: parseActivation('relu'), centred: false }, data, gd, 1);
    const U = initParams(s.arch, new Rng(1).child('init'));
    for (const l of [0, 3]) expect(Array.from(s.muPMod.W[l].data)).toEqual(Array.from(s.muP.W[l].data));
    for (const l of [1, 2]) s.muPMod.W[l].data.forEach((v, i) => expect(Math.abs(s.muP.W[l].data[i] - v - Math.sqrt(8) * U.W[l].data[i])).toBeLessThan(1e-12));
  });
});

describe('kind ip-llr-mup (quick config)', () => {
  registerIpKinds();
  it('runs end to end: every gap and accuracy per width and seed, finite', async () => {
    const out = mkdtempSync(join(tmpdir(), 'ip-llr-mup-'));
    const c = resolveExperiment(loadExperiment('ip-llr-mup'), true);
    await runResolvedExperiment(c, { out, progress: false });
    const r = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')) as GenericResults;
    for (const m of ['outputGap.train', 'outputGap.test', 'lossGap.train', 'lossGap.test', 'controlGap.train', 'testAccuracy.muPMod']) {
      const rows = r.records.filter((x) => x.metric === m);
      expect(rows.length).toBe(c.widths.length * c.seeds);
      expect(rows.every((x) => Number.isFinite(x.value))).toBe(true);
    }
  }, 120_000);
});
