import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type EngineKind, nativeAvailable, setEngine } from '../../src/core/engine.js';
import { setNativeThreads } from '../../src/core/gemmNative.js';
import { Rng } from '../../src/core/rng.js';
import { makeLoss } from '../../src/finite/loss.js';
import { empiricalNtk } from '../../src/finite/fused/ntk.js';
import { initParams } from '../../src/finite/params.js';
import { trainNetwork } from '../../src/finite/train.js';
import { smallArch, smallData } from './helpers.js';

/** A run whose products are large enough for the engines (m, n ≥ 4, m·n·k ≥ 2^15). */
/** (abs takes the mask path of ABReLU, relu reads its slope from the activations, erf and tanh the table of φ'.) */
function run(activation: string) {
  const arch = smallArch(activation, 'ntk', { inputDim: 12, width: 96, depth: 3 });
  const data = smallData(`engines-${activation}`, 40, 12, 1, 8);
  const out = trainNetwork(arch, initParams(arch, new Rng(`engines-${activation}`)), data, {
    loss: makeLoss('mse'), method: 'gd', lr: 0.2, steps: 15, recordEvery: 15, rng: new Rng('unused'), recordKernel: true,
  } as Parameters<typeof trainNetwork>[3]);
  const ntk = empiricalNtk(arch, out.finalParams, data.x);
  return { loss: out.trainLoss, fTest: (out.fTest.at(-1) as number[][]).flat(), w: out.finalParams.W.map((w) => Array.from(w.data)).flat(), ntk: Array.from(ntk.data) };
}

function maxRel(a: number[], b: number[]): number {
  let d = 0, s = 0;
  for (let i = 0; i < a.length; i++) { d = Math.max(d, Math.abs(a[i] - b[i])); s = Math.max(s, Math.abs(b[i])); }
  return d / s;
}

const ACTIVATIONS = ['relu', 'abs', 'erf', 'tanh'];

describe.skipIf(!nativeAvailable())('training on the native and WebAssembly engines', () => {
  let previous: EngineKind;
  beforeAll(() => { previous = setEngine('native'); });
  afterAll(() => { setEngine(previous); });
  afterEach(() => { setNativeThreads(undefined); });

  it('gives the same bits on 1 and 2 threads (the partition never splits a sum)', () => {
    for (const act of ACTIVATIONS) {
      setNativeThreads(1);
      const one = run(act);
      setNativeThreads(2);
      const two = run(act);
      expect(two.w).toEqual(one.w);
      expect(two.ntk).toEqual(one.ntk);
      expect(two.loss).toEqual(one.loss);
    }
  });

  it('agrees with the WebAssembly engine to 1e-12 relative (losses, test outputs, weights, empirical NTK) and not bitwise', () => {
    for (const act of ACTIVATIONS) {
      const native = run(act);
      setEngine('wasm');
      const wasm = run(act);
      setEngine('native');
      expect(maxRel(native.loss, wasm.loss), act).toBeLessThan(1e-12);
      expect(maxRel(native.fTest, wasm.fTest), act).toBeLessThan(1e-12);
      expect(maxRel(native.w, wasm.w), act).toBeLessThan(1e-12);
      expect(maxRel(native.ntk, wasm.ntk), act).toBeLessThan(1e-12);
      expect(native.w).not.toEqual(wasm.w); // the engines differ in rounding, so this compares two computations
    }
  });
});
