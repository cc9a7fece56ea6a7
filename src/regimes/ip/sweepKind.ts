/**
 * Experiment kind `ip-sweep` (experiments/ip-depth-sweep.json, ip-activations.json): the
 * integrable-parameterization experiment of experiment.ts repeated over network depths and
 * activations (Hajjar, Chizat, Giraud 2021, arXiv 2110.15596; theory/ip.md#depth-sweep).
 *
 * Config: as kind `ip-depth` (kind.ts) without `spec.model`, plus `params.weightLayers` (the
 * paper's count of layers: weight matrices L + 1, so L = weightLayers − 1 hidden layers) and
 * `params.activations` (spec strings). Every metric of ip-depth is recorded per network as
 * `<metric>.<variant>.<activation>.w<weightLayers>`, e.g. `lossChange.ip.relu.w5`; fitted against
 * the width like ip-depth's (learnedFraction and testAccuracy are judged at one width).
 * Optional `params.contrasts`: pairs [a, b] of activations; when present (even []) the paired
 * differences between activations of activationContrast.ts are recorded as well
 * (theory/ip.md#activations-trained).
 */
import { InputError, show } from '../../core/errors.js';
import { loadData } from '../../data/load.js';
import { parseActivation } from '../../finite/activation.js';
import type { ResolvedExperiment } from '../../harness/experiments.js';
import { fitRecords } from '../../harness/fits.js';
import type { ExperimentKind, ExperimentOutput } from '../../harness/kinds.js';
import { createProgress } from '../../harness/progress.js';
import type { MetricLabel } from '../../harness/report/labels.js';
import type { CurveRecord, FitRecord, LongRecord } from '../../harness/types.js';
import { activationContrasts } from './activationContrast.js';
import { runIpExperiment } from './experiment.js';
import { type IpKindParams, parseIpKind } from './kind.js';

export interface IpSweepParams {
  base: IpKindParams;
  weightLayers: number[];
  activations: string[];
  /** Pairs of activation names (as in `activations`); undefined: no contrast records. */
  contrasts?: [string, string][];
}

const OWN = ['weightLayers', 'activations', 'contrasts'];

function intList(v: unknown, at: string, min: number): number[] {
  if (!Array.isArray(v) || v.length === 0 || !v.every((x) => Number.isInteger(x) && x >= min && x <= 16)) {
    throw new InputError(at, `must be a non-empty array of integers in [${min}, 16], got ${show(v)}`);
  }
  return [...new Set(v as number[])].sort((a, b) => a - b);
}

export function parseIpSweep(c: ResolvedExperiment): IpSweepParams {
  const w = c.name;
  const p = c.params ?? {};
  const weightLayers = intList(p.weightLayers, `${w}.params.weightLayers`, 2);
  const acts = p.activations ?? ['relu'];
  if (!Array.isArray(acts) || acts.length === 0) throw new InputError(`${w}.params.activations`, `must be a non-empty array of activation names, got ${show(acts)}`);
  const activations = acts.map((a, i) => parseActivation(a, `${w}.params.activations[${i}]`).name);
  if (c.spec && typeof c.spec === 'object' && 'model' in c.spec) throw new InputError(`${w}.spec.model`, 'is set by params.weightLayers and params.activations for kind ip-sweep');
  const rest = Object.fromEntries(Object.entries(p).filter(([k]) => !OWN.includes(k)));
  const base = parseIpKind({ ...c, spec: { ...c.spec, model: { depth: weightLayers[0] - 1, activation: activations[0] } }, params: rest });
  const contrasts = parseContrasts(p.contrasts, activations, `${w}.params.contrasts`);
  return { base, weightLayers, activations, ...(contrasts ? { contrasts } : {}) };
}

function parseContrasts(v: unknown, activations: string[], at: string): [string, string][] | undefined {
  if (v === undefined) return undefined;
  const ok = (a: unknown) => typeof a === 'string' && activations.includes(a);
  if (!Array.isArray(v) || !v.every((x) => Array.isArray(x) && x.length === 2 && ok(x[0]) && ok(x[1]) && x[0] !== x[1])) {
    throw new InputError(at, `must be an array of pairs of distinct activations among ${activations.join(', ')}, got ${show(v)}`);
  }
  return v as [string, string][];
}

/** `<metric>.<variant>.<activation>.w<weightLayers>` (activation names made dot-free). */
export function sweepMetric(metric: string, act: string, weightLayers: number): string {
  return `${metric}.${dotFree(act)}.w${weightLayers}`;
}

function dotFree(act: string): string {
  return act.replace(/[.:\s]/g, '_');
}

function label(metric: string): MetricLabel {
  return { title: metric, formula: metric, axis: metric };
}

export const ipSweepKind: ExperimentKind<IpSweepParams> = {
  kind: 'ip-sweep',
  description: 'integrable parameterizations over depths and activations (Hajjar–Chizat–Giraud): loss change, learned fraction and test accuracy after k steps against width',
  parse: parseIpSweep,
  async run(p, c, ctx): Promise<ExperimentOutput> {
    const data = loadData(p.base.data, c.dir);
    const cfg = p.base.config;
    const nets = p.activations.flatMap((act) => p.weightLayers.map((wl) => ({ act, wl })));
    const pending = nets.flatMap(({ wl }) => cfg.widths.flatMap((w) => new Array<number>(cfg.seeds * cfg.variants.length).fill(w * wl)));
    const sink = ctx.progress === true ? createProgress({ label: c.name, pending, cost: (w) => w * w, skipped: 0 })
      : ctx.progress === false ? null : ctx.progress;
    const records: LongRecord[] = [];
    const curves: CurveRecord[] = [];
    const failures: string[] = [];
    for (const { act, wl } of nets) {
      const r = runIpExperiment({ ...cfg, depth: wl - 1, activation: parseActivation(act) }, data,
        (cell, s) => sink?.tick({ width: cell.width * wl, seed: s, status: cell.status, seconds: cell.seconds }));
      for (const x of r.records) records.push({ ...x, metric: sweepMetric(x.metric, act, wl) });
      for (const x of r.curves) curves.push({ ...x, kind: `${x.kind}.${act}.w${wl}`, quantity: sweepMetric(x.quantity, act, wl) });
      if (r.status !== 'ok') failures.push(`${act}, ${wl} weight layers: ${r.message}`);
    }
    sink?.finish();
    if (p.contrasts) {
      records.push(...activationContrasts(records, {
        variants: cfg.variants.map((v) => v.name), activations: p.activations.map(dotFree), weightLayers: p.weightLayers,
        pairs: p.contrasts.map(([a, b]) => [dotFree(a), dotFree(b)]),
      }));
    }
    const fitted = records.filter((x) => !x.metric.startsWith('learnedFraction.') && !x.metric.startsWith('testAccuracy') && !x.metric.startsWith('finished.'));
    const fits: FitRecord[] = fitRecords(fitted, c.expected, { seed: p.base.spec.seed });
    const t = cfg.training;
    return {
      records, curves, fits,
      status: failures.length === 0 ? 'ok' : 'failed',
      message: failures.join('; '),
      spec: { ...p.base.spec, model: { weightLayers: p.weightLayers, activations: p.activations }, variants: cfg.variants, centred: cfg.centred },
      references: ['hajjar2021', 'yang2021', 'efron1993'],
      labels: Object.fromEntries([...new Set(records.map((x) => x.metric))].map((m) => [m, label(m)])),
      notes: [
        `Setting: ${p.weightLayers.join(', ')} weight layers (L + 1 in the paper's count; L hidden layers), activations ${p.activations.join(', ')}, ${t.loss.kind} loss, ${t.method === 'gd' ? 'full-batch gradient descent' : `SGD with batches of ${t.batchSize}`}, base rate η = ${t.lr}, k = ${t.steps} steps; variants ${cfg.variants.map((v) => v.name).join(', ')} (theory/ip.md#depth-sweep).`,
        ...stuckDepthNotes(fits, p),
      ],
    };
  },
};

/**
 * Per activation: the smallest number of weight layers at which plain IP's loss change falls with
 * the width (the whole CI of its exponent below −0.5), i.e. where IP stops learning as h → ∞.
 */
function stuckDepthNotes(fits: FitRecord[], p: IpSweepParams): string[] {
  const ip = p.base.config.variants.find((v) => v.parameterization === 'ip' && !v.initMean && !v.unscaledBiases);
  if (!ip) return [];
  return p.activations.map((act) => {
    const row = p.weightLayers.map((wl) => ({ wl, f: fits.find((x) => x.metric === sweepMetric(`lossChange.${ip.name}`, act, wl)) }));
    const first = row.find(({ f }) => f && f.ci[1] < -0.5);
    const list = row.map(({ wl, f }) => `${wl}: ${f ? `${f.exponent.toFixed(2)} [${f.ci[0].toFixed(2)}, ${f.ci[1].toFixed(2)}]` : 'no fit'}`).join('; ');
    return `${act}: exponent of plain IP's loss change against h by weight layers — ${list}. ${first ? `IP stops learning (exponent CI below −0.5) from ${first.wl} weight layers (${first.wl - 1} hidden).` : 'No depth of the sweep has an exponent CI below −0.5.'}`;
  });
}
