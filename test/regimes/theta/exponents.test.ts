import { describe, expect, it } from 'vitest';
import { Rng } from '../../../src/core/rng.js';
import { parseActivation } from '../../../src/finite/activation.js';
import { buildArchitecture } from '../../../src/finite/parameterization.js';
import { fitRecords } from '../../../src/harness/fits.js';
import type { LongRecord } from '../../../src/harness/types.js';
import {
  type ThetaConvention, classifyExponent, kappaExponent, predictedRdExponent, thetaExponents, thetaPoint, theoreticalRegime,
} from '../../../src/regimes/theta/exponents.js';

const GRID: [number, number][] = [];
for (let g = 0.25; g <= 1.75 + 1e-9; g += 0.25) for (let gp = -1; gp <= 1.5 + 1e-9; gp += 0.25) GRID.push([g, gp]);

describe('(γ, γ′) ↔ (p1, p2, q) of the θ-parameterization', () => {
  it('the map and its inverse are exact under every convention', () => {
    const convs: ThetaConvention[] = [{ fix: 'p2', value: 0 }, { fix: 'q', value: 0.5 }, { fix: 'p1', value: -0.25 }];
    for (const conv of convs) {
      for (const [gamma, gammaPrime] of GRID) {
        const e = thetaExponents({ gamma, gammaPrime }, conv);
        expect(e[conv.fix]).toBe(conv.value);
        const back = thetaPoint(e);
        expect(back.gamma).toBeCloseTo(gamma, 14);
        expect(back.gammaPrime).toBeCloseTo(gammaPrime, 14);
      }
    }
  });

  it('puts the NTK point (1/2, 0) at the theta preset’s default {0, 0, 1/2} and the mean-field point (1, 0) at q = 1 (convention p2 = 0)', () => {
    expect(thetaExponents({ gamma: 0.5, gammaPrime: 0 })).toEqual({ p1: 0, p2: 0, q: 0.5 });
    expect(thetaExponents({ gamma: 1, gammaPrime: 0 })).toEqual({ p1: 0, p2: 0, q: 1 });
    expect(kappaExponent({ gamma: 0.5, gammaPrime: 0 })).toBe(0.5); // theory/theta.md#regimes: NTK is 1/2
    expect(kappaExponent({ gamma: 1, gammaPrime: 0 })).toBe(0); // mean field is 0
  });

  it('κ = m β1β2/α read off the built architecture is m^{1−γ} and κ′ = β1/β2 is m^{−γ′}', () => {
    const act = parseActivation('relu', 'a');
    for (const [gamma, gammaPrime] of [[0.5, 0], [0.75, -0.5], [1.25, 0.25], [1.5, 1]] as [number, number][]) {
      for (const conv of [{ fix: 'p2', value: 0 }, { fix: 'q', value: 0.25 }] as ThetaConvention[]) {
        for (const m of [64, 1000]) {
          const arch = buildArchitecture({ inputDim: 3, outputDim: 1, width: m, depth: 1, activation: act, parameterization: 'theta', theta: thetaExponents({ gamma, gammaPrime }, conv) });
          const beta2 = arch.layers[0].initStd, beta1 = arch.layers[1].initStd, alpha = 1 / arch.layers[1].multiplier;
          expect(arch.layers[0].multiplier).toBe(1);
          expect(Math.log((m * beta1 * beta2) / alpha) / Math.log(m)).toBeCloseTo(1 - gamma, 12);
          expect(Math.log(beta1 / beta2) / Math.log(m)).toBeCloseTo(-gammaPrime, 12);
        }
      }
    }
  });
});

describe('regimes of Luo et al. (2021)', () => {
  it('linear if γ < 1 or γ′ > γ − 1, condensed if γ > 1 and γ′ < γ − 1, critical on the boundary', () => {
    expect(theoreticalRegime({ gamma: 0.5, gammaPrime: 0 })).toBe('linear');
    expect(theoreticalRegime({ gamma: 0.9, gammaPrime: -1 })).toBe('linear');
    expect(theoreticalRegime({ gamma: 1.5, gammaPrime: 1 })).toBe('linear');
    expect(theoreticalRegime({ gamma: 1, gammaPrime: 0 })).toBe('critical');
    expect(theoreticalRegime({ gamma: 1, gammaPrime: -0.5 })).toBe('critical');
    expect(theoreticalRegime({ gamma: 1.25, gammaPrime: 0.25 })).toBe('critical');
    expect(theoreticalRegime({ gamma: 1, gammaPrime: 0.5 })).toBe('linear');
    expect(theoreticalRegime({ gamma: 1.25, gammaPrime: 0 })).toBe('condensed');
    expect(theoreticalRegime({ gamma: 1.5, gammaPrime: -1 })).toBe('condensed');
  });

  it('the sign of the heuristic RD exponent reproduces the boundaries on a grid [derived]', () => {
    for (const [gamma, gammaPrime] of GRID) {
      const pt = { gamma, gammaPrime };
      const e = predictedRdExponent(pt);
      expect(classifyExponent(e, 1e-12)).toBe(theoreticalRegime(pt));
    }
  });
});

describe('classification from the width trend of RD', () => {
  /** RD = C m^e with 5 % log-normal seed noise at widths 64..4096, fitted like the experiment. */
  function classOf(e: number, seed: string): string {
    const rng = new Rng(seed);
    const records: LongRecord[] = [];
    for (const m of [64, 256, 1024, 4096]) for (let s = 0; s < 4; s++) records.push({ width: m, seed: s, metric: 'rd', value: 0.3 * Math.pow(m, e) * Math.exp(0.05 * rng.normal()) });
    const [fit] = fitRecords(records, [], { seed: 0 });
    // noise 5 % on 4 seeds over a factor 64 in m: exponent error ~ 0.05/(2·ln 64) ≈ 0.006, far inside the 0.1 band margins used
    expect(Math.abs(fit.exponent - e)).toBeLessThan(0.03);
    return classifyExponent(fit.exponent, 0.1);
  }

  it('negative trends are linear, flat ones critical, growing ones condensed', () => {
    expect(classOf(-0.5, 'a')).toBe('linear');
    expect(classOf(-0.2, 'b')).toBe('linear');
    expect(classOf(-0.04, 'c')).toBe('critical');
    expect(classOf(0, 'd')).toBe('critical');
    expect(classOf(0.05, 'e')).toBe('critical');
    expect(classOf(0.3, 'f')).toBe('condensed');
    expect(classifyExponent(NaN, 0.1)).toBe('unknown');
  });
});
