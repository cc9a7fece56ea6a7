/**
 * The experiment's variants (src/regimes/ip/variants.ts) and the IP-LLR first-step calibration
 * (calibrate.ts).
 */
import { describe, expect, it } from 'vitest';
import { gemm } from '../../../src/core/gemm.js';
import { type Mat, mat } from '../../../src/core/matrix.js';
import { Rng } from '../../../src/core/rng.js';
import { parseActivation } from '../../../src/finite/activation.js';
import { makeLoss } from '../../../src/finite/loss.js';
import { buildArchitecture } from '../../../src/finite/parameterization.js';
import { initParams } from '../../../src/finite/params.js';
import { trainNetwork } from '../../../src/finite/train.js';
import { calibrateFirstStep } from '../../../src/regimes/ip/calibrate.js';
import { DEFAULT_IP_VARIANTS, parseIpVariant, variantArchitecture } from '../../../src/regimes/ip/variants.js';
import { smallData } from '../../finite/helpers.js';

const relu = parseActivation('relu');
const shape = { inputDim: 5, outputDim: 1, width: 16, depth: 4, activation: relu, centred: false };
const byName = (n: string) => DEFAULT_IP_VARIANTS.find((v) => v.name === n)!;

describe('IP variants', () => {
  it('plain ip and ip-llr are the presets unchanged', () => {
    const opts = { ...shape, parameterization: 'ip' as const };
    expect(variantArchitecture(byName('ip'), shape)).toEqual(buildArchitecture(opts));
    expect(variantArchitecture(byName('ipLlr'), shape)).toEqual(buildArchitecture({ ...opts, parameterization: 'ip-llr' }));
  });

  it('non-centred init puts the mean on every layer ("all", the preset) or on the intermediate layers only', () => {
    const all = variantArchitecture({ name: 'a', parameterization: 'ip', initMean: 1, initMeanLayers: 'all' }, shape);
    expect(all.layers.map((l) => l.initMean)).toEqual([1, 1, 1, 1, 1]);
    expect(all).toEqual(buildArchitecture({ ...shape, parameterization: 'ip', initMean: 1 }));
    const mid = variantArchitecture({ name: 'b', parameterization: 'ip', initMean: 1, initMeanLayers: 'intermediate' }, shape);
    expect(mid.layers.map((l) => l.initMean)).toEqual([0, 1, 1, 1, 0]);
  });

  it('unscaled biases: the preset gives every layer a unit-multiplier bias at the layer rate; "integrable" rates are h inside, 1 at the output', () => {
    const h = shape.width;
    const preset = variantArchitecture({ name: 'p', parameterization: 'ip', unscaledBiases: true, biasRates: 'preset' }, shape);
    expect(preset.layers.map((l) => l.bias?.rate)).toEqual([h, h * h, h * h, h * h, h]);
    expect(preset.layers.slice(1).map((l) => l.bias?.multiplier)).toEqual([1, 1, 1, 1]);
    const integ = variantArchitecture(byName('ipBiases'), shape);
    expect(integ.layers.map((l) => l.bias?.rate)).toEqual([h, h, h, h, 1]);
    // weights untouched
    expect(integ.layers.map((l) => l.rate)).toEqual(preset.layers.map((l) => l.rate));
  });

  it('μP is the meanfield preset with σ = √2 for ReLU', () => {
    expect(variantArchitecture(byName('muP'), shape)).toEqual(buildArchitecture({ ...shape, parameterization: 'meanfield', gamma0: 1, weightStd: Math.SQRT2 }));
  });

  it('a variant with an unknown field or a field of another parameterization is an input error naming it', () => {
    expect(() => parseIpVariant({ name: 'x', parameterization: 'ip', lrr: 1 }, 'v')).toThrow(/v\.lrr: unknown field/);
    expect(() => parseIpVariant({ name: 'x', parameterization: 'meanfield', initMean: 1 }, 'v')).toThrow(/v\.initMean: only used/);
    expect(() => parseIpVariant({ name: 'x', parameterization: 'ip', calibrateFirstStep: true }, 'v')).toThrow(/v\.calibrateFirstStep/);
    expect(() => parseIpVariant({ name: 'x y', parameterization: 'ip' }, 'v')).toThrow(/v\.name/);
    expect(parseIpVariant({ name: 'muP', parameterization: 'meanfield', gamma0: 2, lr: 0.1 }, 'v')).toEqual({ name: 'muP', parameterization: 'meanfield', gamma0: 2, lr: 0.1 });
  });
});

/** x ← φ(m x W0ᵀ + β b0 + m x ΔWᵀ + β Δb) layer by layer, returning mean |update| of each layer. */
function updateSizes(arch: ReturnType<typeof buildArchitecture>, W0: Mat[], b0: (Float64Array | null)[], W1: Mat[], b1: (Float64Array | null)[], x0: Mat): number[] {
  let x = x0;
  const out: number[] = [];
  arch.layers.forEach((lay, l) => {
    const dW = mat(W0[l].rows, W0[l].cols, W1[l].data.map((v, i) => v - W0[l].data[i]));
    const z = gemm(false, true, lay.multiplier, x, W0[l]);
    const u = gemm(false, true, lay.multiplier, x, dW);
    const bb0 = b0[l], bb1 = b1[l];
    for (let i = 0; i < z.rows; i++) for (let j = 0; j < z.cols; j++) {
      if (lay.bias && bb0 && bb1) {
        z.data[i * z.cols + j] += lay.bias.multiplier * bb0[j];
        u.data[i * z.cols + j] += lay.bias.multiplier * (bb1[j] - bb0[j]);
      }
    }
    out.push(u.data.reduce((s, v) => s + Math.abs(v), 0) / u.data.length);
    for (let i = 0; i < z.data.length; i++) z.data[i] += u.data[i];
    if (l < arch.layers.length - 1) for (let i = 0; i < z.data.length; i++) z.data[i] = Math.max(0, z.data[i]);
    x = z;
  });
  return out;
}

describe('IP-LLR first-step calibration (authors’ calibrate_base_lr)', () => {
  it('after the trainer’s first step with the calibrated rates, every layer’s pre-activation update has mean |·| = 1 on the calibration inputs', () => {
    // The trainer's step (src/finite/trainGd.ts, first-step rates × lr) is an independent
    // implementation of the update; its effect is measured layer by layer on the calibration
    // inputs. Tolerance 1e-9: the update is linear in each layer's base rate, so the only error
    // is rounding.
    const data = smallData('calib', 24, 5, 1, 12);
    const arch0 = variantArchitecture(byName('ipLlr'), shape);
    const p0 = initParams(arch0, new Rng(3).child('init'));
    const lr = 0.01;
    const cal = calibrateFirstStep(arch0, p0, makeLoss('mse'), data.x, data.y, data.xTest, lr);
    expect(cal.baseRates).toHaveLength(5);
    const out = trainNetwork(cal.arch, p0, data, { loss: makeLoss('mse'), method: 'gd', lr, steps: 1, recordEvery: 1, rng: new Rng(0) });
    const sizes = updateSizes(cal.arch, p0.W, p0.b, out.finalParams.W, out.finalParams.b, data.xTest);
    for (const s of sizes) expect(Math.abs(s - 1)).toBeLessThan(1e-9);
    // the rates after the first step are the ip rates
    expect(cal.arch.layers).toEqual(arch0.layers);
  });

  it('without calibration a base rate of 0.01 moves the deep layers’ pre-activations by far less than 1 (the reason for calibrating)', () => {
    const data = smallData('calib', 24, 5, 1, 12);
    const arch = variantArchitecture(byName('ipLlr'), shape);
    const p0 = initParams(arch, new Rng(3).child('init'));
    const out = trainNetwork(arch, p0, data, { loss: makeLoss('mse'), method: 'gd', lr: 0.01, steps: 1, recordEvery: 1, rng: new Rng(0) });
    const sizes = updateSizes(arch, p0.W, p0.b, out.finalParams.W, out.finalParams.b, data.xTest);
    expect(sizes[sizes.length - 1]).toBeLessThan(1e-2);
  });
});
