/**
 * The integrable parameterization (Hajjar, Chizat, Giraud 2021, arXiv 2110.15596, §3, as in their
 * code): first layer m = 1, s = σ/√(d+1) with a bias, hidden and output layers m = 1/h, s = σ;
 * rates h (first and last) and h² (hidden). `ip-llr` adds the large first-step rates
 * h^{(L+1)/2} (first and last) and h^{(L+2)/2} (hidden).
 */
import type { Activation } from '../../activation.js';
import type { BiasParams } from '../../architecture.js';
import type { DenseLayer } from '../layer.js';
import { type PresetBuild, type PresetContext, type PresetDefinition, dense } from './options.js';

/** σ of the `ip` preset as in the authors' code: 2 for ReLU-like, 4 for GELU, 1 for tanh/ELU (σ²). */
export function ipSigma(act: Activation): number {
  const fam = act.family;
  if (fam.kind === 'abrelu') return Math.SQRT2;
  if (act.name === 'gelu') return 2;
  return 1;
}

function buildIp(c: PresetContext, llr: boolean): PresetBuild {
  const { d, h, L } = c;
  const sigma = c.o.weightStd ?? ipSigma(c.o.activation);
  const mu = c.o.initMean ?? 0;
  const out: DenseLayer[] = [];
  const w: number[] = [];
  const wb: number[] = [];
  for (let l = 0; l <= L; l++) {
    const first = l === 0;
    const last = l === L;
    const m = first ? 1 : 1 / h;
    const s = first ? sigma / Math.sqrt(d + 1) : sigma;
    const rate = first || last ? h : h * h;
    let bias: BiasParams | null = null;
    if (first) bias = { multiplier: 1, initStd: sigma / Math.sqrt(d + 1), rate };
    else if (c.o.ipUnscaledBiases) bias = { multiplier: 1, initStd: 1, rate };
    out.push(dense(c, l, m, s, rate, bias, mu));
    const rate1 = first || last ? Math.pow(h, (L + 1) / 2) : Math.pow(h, (L + 2) / 2);
    w.push(rate1);
    wb.push(rate1);
  }
  return llr ? { dense: out, firstStepRates: { weights: w, biases: wb } } : { dense: out };
}

const refuse = (name: string) => () => ({
  refuse: `${name} (integrable parameterization) has no NTK limit: its hidden multipliers 1/h make ` +
    'the infinite-width kernel degenerate (use the mean-field limit)',
});

export const ipPreset: PresetDefinition = {
  name: 'ip',
  source: 'Hajjar, Chizat, Giraud 2021 (arXiv 2110.15596) §3 and their code',
  defaultWeightStd: ipSigma,
  build: (c) => buildIp(c, false),
  kernel: refuse('ip'),
};

export const ipLlrPreset: PresetDefinition = {
  name: 'ip-llr',
  source: 'Hajjar, Chizat, Giraud 2021 (arXiv 2110.15596) §3 and their code (large first-step rates)',
  defaultWeightStd: ipSigma,
  build: (c) => buildIp(c, true),
  kernel: refuse('ip-llr'),
};
