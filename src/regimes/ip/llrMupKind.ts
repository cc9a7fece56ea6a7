/**
 * Experiment kind `ip-llr-mup` (experiments/ip-llr-mup.json): IP-LLR against the modified μP it is
 * equivalent to (Hajjar, Chizat, Giraud 2021, arXiv 2110.15596, §4; theory/ip.md#llr-mup), cells of
 * llrMup.ts at every width and seed. Config as kind `ip-depth` (kind.ts) with `params` = {stepGaps?:
 * boolean}: `spec.model` = {depth, activation}, `spec.training` = {loss, method, lr, steps, batchSize}.
 * With `stepGaps`, also `outputGapFirst.train|test` and `outputGapLast.train|test` (the output gap
 * after the first and after the last step).
 *
 * Records per (width, seed): `outputGap.train|test` (max over t = 1..k of the relative distance of
 * the outputs of IP-LLR and modified μP), `lossGap.train|test` (max over t of the relative loss
 * difference), `controlGap.train|test` (IP-LLR against unmodified μP), `testAccuracy.<network>`.
 * Every metric but the accuracies is fitted against the width.
 */
import { InputError, show } from '../../core/errors.js';
import { loadData } from '../../data/load.js';
import type { ResolvedExperiment } from '../../harness/experiments.js';
import { fitRecords } from '../../harness/fits.js';
import type { ExperimentKind, ExperimentOutput } from '../../harness/kinds.js';
import { createProgress } from '../../harness/progress.js';
import type { MetricLabel } from '../../harness/report/labels.js';
import type { LongRecord } from '../../harness/types.js';
import { type IpKindParams, parseIpKind } from './kind.js';
import { runLlrMupCell } from './llrMup.js';

const LABELS: Record<string, MetricLabel> = {
  'outputGap.train': { title: 'IP-LLR vs modified μP: output gap (train)', formula: 'max_t ‖f_IPLLR(t) − f_μP~(t)‖/‖f_μP~(t)‖', axis: 'relative output gap (train)' },
  'outputGap.test': { title: 'IP-LLR vs modified μP: output gap (test)', formula: 'max_t ‖f_IPLLR(t) − f_μP~(t)‖/‖f_μP~(t)‖', axis: 'relative output gap (test)' },
  'lossGap.train': { title: 'IP-LLR vs modified μP: loss gap (train)', formula: 'max_t |L_IPLLR(t) − L_μP~(t)|/L_μP~(t)', axis: 'relative loss gap (train)' },
  'lossGap.test': { title: 'IP-LLR vs modified μP: loss gap (test)', formula: 'max_t |L_IPLLR(t) − L_μP~(t)|/L_μP~(t)', axis: 'relative loss gap (test)' },
  'outputGapFirst.train': { title: 'IP-LLR vs modified μP: output gap after the first step (train)', formula: '‖f_IPLLR(1) − f_μP~(1)‖/‖f_μP~(1)‖', axis: 'relative output gap at t = 1 (train)' },
  'outputGapFirst.test': { title: 'IP-LLR vs modified μP: output gap after the first step (test)', formula: '‖f_IPLLR(1) − f_μP~(1)‖/‖f_μP~(1)‖', axis: 'relative output gap at t = 1 (test)' },
  'outputGapLast.train': { title: 'IP-LLR vs modified μP: output gap after k steps (train)', formula: '‖f_IPLLR(k) − f_μP~(k)‖/‖f_μP~(k)‖', axis: 'relative output gap at t = k (train)' },
  'outputGapLast.test': { title: 'IP-LLR vs modified μP: output gap after k steps (test)', formula: '‖f_IPLLR(k) − f_μP~(k)‖/‖f_μP~(k)‖', axis: 'relative output gap at t = k (test)' },
  'controlGap.train': { title: 'IP-LLR vs unmodified μP: output gap (train)', formula: 'max_t ‖f_IPLLR(t) − f_μP(t)‖/‖f_μP(t)‖', axis: 'relative output gap to μP (train)' },
  'controlGap.test': { title: 'IP-LLR vs unmodified μP: output gap (test)', formula: 'max_t ‖f_IPLLR(t) − f_μP(t)‖/‖f_μP(t)‖', axis: 'relative output gap to μP (test)' },
};

export interface LlrMupParams extends IpKindParams {
  stepGaps: boolean;
}

export function parseLlrMup(c: ResolvedExperiment): LlrMupParams {
  const p = c.params ?? {};
  const extra = Object.keys(p).filter((k) => k !== 'stepGaps');
  if (extra.length > 0) throw new InputError(`${c.name}.params.${extra[0]}`, 'kind ip-llr-mup takes only params.stepGaps (the three networks are fixed, theory/ip.md#llr-mup)');
  if (p.stepGaps !== undefined && typeof p.stepGaps !== 'boolean') throw new InputError(`${c.name}.params.stepGaps`, `must be true or false, got ${show(p.stepGaps)}`);
  const base = { ...parseIpKind({ ...c, params: {} }), stepGaps: p.stepGaps === true };
  const act = base.config.activation;
  if (act.family.kind !== 'abrelu') throw new InputError(`${c.name}.spec.model.activation`, `the equivalence needs a positively homogeneous activation (relu, leaky relu), got ${act.name}`);
  return base;
}

export const ipLlrMupKind: ExperimentKind<LlrMupParams> = {
  kind: 'ip-llr-mup',
  description: 'IP-LLR against the modified μP it is equivalent to (Hajjar–Chizat–Giraud): gaps of outputs and losses along the trajectory against width',
  parse: parseLlrMup,
  async run(p, c, ctx): Promise<ExperimentOutput> {
    const data = loadData(p.data, c.dir);
    const cfg = p.config;
    const pending = cfg.widths.flatMap((w) => new Array<number>(cfg.seeds).fill(w));
    const sink = ctx.progress === true ? createProgress({ label: c.name, pending, cost: (w) => w * w, skipped: 0 })
      : ctx.progress === false ? null : ctx.progress;
    const records: LongRecord[] = [];
    const failures: string[] = [];
    const net = { depth: cfg.depth, activation: cfg.activation, centred: false };
    for (const width of [...cfg.widths].sort((a, b) => a - b)) {
      for (let s = 0; s < cfg.seeds; s++) {
        const r = runLlrMupCell(width, net, data, cfg.training, cfg.initSeed + s);
        if (r.status !== 'ok') failures.push(`h=${width} seed ${s}: ${r.message}`);
        const put = (metric: string, value: number) => records.push({ width, seed: s, metric, value });
        put('outputGap.train', r.outputGapTrain);
        put('outputGap.test', r.outputGapTest);
        put('lossGap.train', r.lossGapTrain);
        put('lossGap.test', r.lossGapTest);
        put('controlGap.train', r.controlOutputGapTrain);
        put('controlGap.test', r.controlOutputGapTest);
        if (p.stepGaps) {
          put('outputGapFirst.train', r.outputGapFirst.train);
          put('outputGapFirst.test', r.outputGapFirst.test);
          put('outputGapLast.train', r.outputGapLast.train);
          put('outputGapLast.test', r.outputGapLast.test);
        }
        for (const [k, v] of Object.entries(r.testAccuracy)) put(`testAccuracy.${k}`, v);
        sink?.tick({ width, seed: s, status: r.status, seconds: r.seconds });
      }
    }
    sink?.finish();
    const fits = fitRecords(records.filter((x) => !x.metric.startsWith('testAccuracy.')), c.expected, { seed: p.spec.seed });
    const t = cfg.training;
    return {
      records, curves: [], fits,
      status: failures.length === 0 ? 'ok' : 'failed',
      message: failures.slice(0, 3).join('; '),
      spec: { ...p.spec, model: { depth: cfg.depth, activation: cfg.activation.name } },
      references: ['hajjar2021', 'yang2021', 'efron1993'],
      labels: {
        ...LABELS,
        ...Object.fromEntries(['ipLlr', 'muPMod', 'muP'].map((n) => [`testAccuracy.${n}`, { title: `Test accuracy after k steps: ${n}`, formula: 'share of test images whose largest output is their digit', axis: `test accuracy (${n})` }])),
      },
      notes: [
        `Setting: depth L = ${cfg.depth} hidden layers (${cfg.depth + 1} weight layers), ${cfg.activation.name}, ${t.loss.kind} loss, ${t.method === 'gd' ? 'full-batch gradient descent' : `SGD with batches of ${t.batchSize}`}, base rate η = ${t.lr}, k = ${t.steps} steps (the first on the first ${t.method === 'gd' ? 'n' : t.batchSize} training rows, with IP-LLR's calibrated first-step rates). Networks from one draw U per seed: IP-LLR; modified μP (intermediate initial weights removed after the first step); μP (the control). theory/ip.md#llr-mup.`,
      ],
    };
  },
};
