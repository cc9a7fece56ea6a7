import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/core/errors.js';
import { Rng } from '../../src/core/rng.js';
import { architectureFromInit, paramsFromInitFile, toInitFile } from '../../src/finite/initFile.js';
import { initParams, packParams } from '../../src/finite/params.js';
import { smallArch } from './helpers.js';

const errorOf = (f: () => unknown): string => {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(InputError);
    return (e as Error).message;
  }
  throw new Error('no error thrown');
};

describe('initial-weights file', () => {
  const arch = smallArch('tanh', 'ip-llr', { width: 4 });
  const theta = initParams(arch, new Rng('init-file'));
  const json = () => JSON.parse(JSON.stringify(toInitFile(arch, theta)));

  it('round-trips through JSON: same values, multipliers, rates, α, centring, first-step rates', () => {
    const file = json();
    expect(file.format).toBe('widelimit-init/1');
    expect(file.layers[0].W).toHaveLength(4);
    expect(file.layers[0].W[0]).toHaveLength(3);
    const parsed = paramsFromInitFile(file, arch);
    expect(Array.from(packParams(arch, parsed.params).flat)).toEqual(Array.from(packParams(arch, theta).flat));
    const back = architectureFromInit(parsed, arch);
    expect(back.layers).toEqual(arch.layers);
    expect(back.firstStepRates).toEqual(arch.firstStepRates);
    expect([back.alpha, back.centred]).toEqual([arch.alpha, arch.centred]);
    // without a base architecture, the file alone defines one
    const alone = architectureFromInit(paramsFromInitFile(file));
    expect(alone.layers.map((l) => [l.nIn, l.nOut, l.multiplier, l.rate])).toEqual(arch.layers.map((l) => [l.nIn, l.nOut, l.multiplier, l.rate]));
    expect(alone.activation.name).toBe('tanh');
  });

  it('writes b: null and zero bias multiplier and rate for layers without bias', () => {
    const a = smallArch('relu', 'ntk');
    const f = toInitFile(a, initParams(a, new Rng(1)));
    expect(f.layers.map((l) => [l.b, l.biasMultiplier, l.biasRate])).toEqual([[null, 0, 0], [null, 0, 0], [null, 0, 0]]);
  });

  it('names the field and the expected shape when the file does not fit the spec', () => {
    const big = smallArch('tanh', 'ip-llr', { width: 64 });
    expect(errorOf(() => paramsFromInitFile(json(), big))).toBe('init.layers[0].W: expected 64x3, got 4x3');
    const mid = json();
    mid.layers[1].W = Array.from({ length: 32 }, () => new Array(64).fill(0));
    const wide = smallArch('tanh', 'ip-llr', { width: 64 });
    const file64 = JSON.parse(JSON.stringify(toInitFile(wide, initParams(wide, new Rng(2)))));
    file64.layers[1].W = mid.layers[1].W;
    expect(errorOf(() => paramsFromInitFile(file64, wide))).toBe('init.layers[1].W: expected 64x64, got 32x64');
  });

  it('rejects a wrong format tag, a ragged or non-numeric W, a bias of the wrong size, bad scalars', () => {
    const cases: [(f: any) => void, string][] = [
      [(f) => { f.format = 'widelimit-init/2'; }, 'init.format: expected "widelimit-init/1", got "widelimit-init/2"'],
      [(f) => { f.layers[1].W[2] = [1, 2]; }, 'init.layers[1].W[2]: must be a row of 4 numbers, got 2 values'],
      [(f) => { f.layers[0].W[1][2] = null; }, 'init.layers[0].W[1][2]: must be a finite number, got null'],
      [(f) => { f.layers[0].b = [1, 2]; }, 'init.layers[0].b: expected 4 values, got 2'],
      [(f) => { f.layers[0].b = null; }, "init.layers[0].b: expected 4 values (the spec's architecture has a bias here), got null"],
      [(f) => { f.layers[2].rate = 'fast'; }, 'init.layers[2].rate: must be a finite number, got "fast"'],
      [(f) => { f.layers.pop(); }, 'init.layers: expected 3 layers (depth 2), got 2'],
      [(f) => { f.alpha = -1; }, 'init.alpha: must be > 0, got -1'],
      [(f) => { f.layers = []; }, 'init.layers: must be a non-empty array of layers, got []'],
    ];
    for (const [mutate, message] of cases) {
      const f = json();
      mutate(f);
      expect(errorOf(() => paramsFromInitFile(f, arch))).toBe(message);
    }
    expect(errorOf(() => paramsFromInitFile([1, 2]))).toBe('init: must be an object, got [1,2]');
  });

  it('checks consecutive layer sizes without a spec, and the activation against the spec', () => {
    const f = json();
    f.layers[1].W = [[1, 2, 3]];
    f.layers[1].b = null;
    expect(errorOf(() => paramsFromInitFile(f))).toBe('init.layers[1].W: has 3 columns but layer 0 has 4 outputs');
    const g = json();
    g.activation = 'relu';
    expect(errorOf(() => architectureFromInit(paramsFromInitFile(g, arch), arch))).toBe('init.activation: is "relu" but model.activation is "tanh"');
  });
});
