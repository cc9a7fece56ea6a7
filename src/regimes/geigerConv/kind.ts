/**
 * Experiment kind `geiger-conv` (experiments/geiger-conv.json; Geiger, Spigler, Jacot, Wyart 2020,
 * arXiv 1906.08034, finding (ii), convolutional half; theory/geiger.md#conv): the convolutional
 * network of `spec.model.conv` trained as the fully connected runs of `geiger-ensemble` (cell.ts), at a
 * lazy (√hα = params.lazy) and a feature (√hα = params.feature) point, over widths × seeds. Records
 * (axis width), per (width, seed): `testError.<regime>`, `trainError.<regime>`, `kernelMotion.<regime>`,
 * `weightMotion.<regime>`, `stopTime.<regime>`.
 *
 * A run that reaches T_max before the margins is kept (its train error says how far it got) and
 * counted in the notes; only numerical failures make the status `failed`.
 *
 * `params.lazyLimit`: 'network' (default) trains the network at √hα = params.lazy; 'frozen-kernel' solves
 * its √hα → ∞ limit at the same width and θ_0 instead (frozen.ts, theory/geiger.md#conv-frozen), so a
 * lazy run that needs longer than any affordable horizon still reaches its margins.
 *
 * Statistics (at the widest width, bootstrap over seeds): `lazyMinusFeature` = mean over seeds of
 * (lazy − feature) test error — seed k's two runs start from the same θ_0, so the difference is
 * paired; `testError.<regime>`, `trainError.<regime>` and `kernelMotion.<regime>` (means).
 */
import { InputError, requirePositive, show } from '../../core/errors.js';
import { Rng } from '../../core/rng.js';
import type { ResolvedExperiment } from '../../harness/experiments.js';
import type { ExperimentKind, ExperimentOutput } from '../../harness/kinds.js';
import type { LongRecord } from '../../harness/types.js';
import { Fields } from '../../spec/fields.js';
import type { Spec } from '../../spec/types.js';
import { parseSpec } from '../../spec/validate.js';
import { bootstrapMean } from '../common/seedStatistic.js';
import { type ConvCell, runConvCell } from './cell.js';
import { runFrozenConvCell } from './frozen.js';

export interface GeigerConvParams {
  spec: Spec;
  widths: number[];
  seeds: number;
  /** √hα of the lazy and the feature runs. */
  lazy: number;
  feature: number;
  tolerance: number;
  maxTime: number;
  savesPerDecade: number;
  baseDir: string;
  lazyLimit: 'network' | 'frozen-kernel';
}

const FIELDS = ['lazy', 'feature', 'tolerance', 'maxTime', 'savesPerDecade', 'lazyLimit'] as const;
const MARGIN_LOSSES = new Set(['hinge', 'soft-hinge', 'logistic']);

export function parseGeigerConv(c: ResolvedExperiment): GeigerConvParams {
  if (!c.spec) throw new InputError(`${c.name}.spec`, 'is required (data, model with conv, training.loss)');
  const spec = parseSpec({ ...c.spec, model: { parameterization: 'geiger', ...(c.spec.model as object | undefined) } }, `${c.name}.spec`);
  if (spec.model.parameterization !== 'geiger') throw new InputError(`${c.name}.spec.model.parameterization`, `must be "geiger", got ${show(spec.model.parameterization)}`);
  if (!spec.model.conv) throw new InputError(`${c.name}.spec.model.conv`, 'is required: this kind trains a convolutional network');
  if (spec.data.outputs !== 1) throw new InputError(`${c.name}.spec.data`, `needs one output (k = 1), got ${spec.data.outputs}`);
  if (!MARGIN_LOSSES.has(spec.training.loss)) throw new InputError(`${c.name}.spec.training.loss`, `must be a margin loss (hinge, soft-hinge, logistic): runs stop at the margins, got ${show(spec.training.loss)}`);
  const f = Fields.of(c.params ?? {}, `${c.name}.params`, FIELDS);
  const lazy = f.positive('lazy', 1000), feature = f.positive('feature', 0.03);
  if (!(lazy > feature)) throw new InputError(`${c.name}.params.lazy`, `must exceed params.feature (${feature}), got ${lazy}`);
  const lazyLimit = f.str('lazyLimit', 'network');
  if (lazyLimit !== 'network' && lazyLimit !== 'frozen-kernel') throw new InputError(`${c.name}.params.lazyLimit`, `must be "network" or "frozen-kernel", got ${show(lazyLimit)}`);
  return {
    lazyLimit,
    spec, widths: c.widths, seeds: c.seeds, lazy, feature,
    tolerance: requirePositive(`${c.name}.params.tolerance`, f.positive('tolerance', 1e-4)),
    maxTime: f.positive('maxTime', 2000), savesPerDecade: f.posInt('savesPerDecade', 8), baseDir: c.dir,
  };
}

const METRICS = ['testError', 'trainError', 'kernelMotion', 'weightMotion', 'stopTime'] as const;

export const geigerConvKind: ExperimentKind<GeigerConvParams> = {
  kind: 'geiger-conv',
  description: 'Geiger et al. finding (ii), convolutional half: test error of a convolutional network in the lazy and the feature regime (α-scaled loss, gradient flow to the margins)',
  parse: parseGeigerConv,
  async run(p, _c, ctx): Promise<ExperimentOutput> {
    const regimes = [['lazy', p.lazy], ['feature', p.feature]] as const;
    const records: LongRecord[] = [];
    const failed: string[] = [];
    const unstopped: Record<string, number> = {};
    const widest = Math.max(...p.widths);
    const atWidest: Record<string, ConvCell[]> = {};
    const total = regimes.length * p.widths.length * p.seeds;
    let done = 0;
    for (const [name, v] of regimes) {
      for (const h of p.widths) {
        for (let k = 0; k < p.seeds; k++) {
          const task = { spec: p.spec, baseDir: p.baseDir, width: h, alpha: v / Math.sqrt(h), seed: k, tolerance: p.tolerance, maxTime: p.maxTime, savesPerDecade: p.savesPerDecade };
          const cell = name === 'lazy' && p.lazyLimit === 'frozen-kernel' ? runFrozenConvCell(task) : runConvCell(task);
          if (cell.status !== 'ok') failed.push(`${name} h=${h} seed ${k}: ${cell.status} ${cell.message}`);
          if (Number.isNaN(cell.stopTime)) unstopped[name] = (unstopped[name] ?? 0) + 1;
          for (const m of METRICS) records.push({ width: h, seed: k, metric: `${m}.${name}`, value: cell[m] });
          if (h === widest) (atWidest[name] ??= []).push(cell);
          done++;
          if (ctx.progress === true) process.stderr.write(`geiger-conv: ${done}/${total} runs (${name} h=${h} seed ${k}: test error ${cell.testError}, ${cell.seconds.toFixed(1)} s)\n`);
        }
      }
    }
    const statistics: ExperimentOutput['statistics'] = {};
    const seedRng = (what: string) => new Rng(`${p.spec.seed}/${what}`);
    statistics.lazyMinusFeature = bootstrapMean(atWidest.lazy.map((x, i) => x.testError - atWidest.feature[i].testError), seedRng('lazyMinusFeature'));
    for (const [name] of regimes) {
      statistics[`testError.${name}`] = bootstrapMean(atWidest[name].map((x) => x.testError), seedRng(`testError/${name}`));
      statistics[`trainError.${name}`] = bootstrapMean(atWidest[name].map((x) => x.trainError), seedRng(`trainError/${name}`));
      statistics[`kernelMotion.${name}`] = bootstrapMean(atWidest[name].map((x) => x.kernelMotion), seedRng(`kernelMotion/${name}`));
    }
    return {
      records, statistics, fits: [],
      status: failed.length ? 'failed' : 'ok', message: failed.slice(0, 3).join('; '),
      spec: { ...p.spec, lazy: p.lazy, feature: p.feature, tolerance: p.tolerance, maxTime: p.maxTime, ...(p.lazyLimit === 'frozen-kernel' ? { lazyLimit: p.lazyLimit } : {}) },
      references: ['geiger2020', 'efron1993'],
      notes: [
        p.lazyLimit === 'frozen-kernel'
          ? `Regimes: lazy = the √hα → ∞ limit at the same width and θ_0 (frozen-kernel flow, theory/geiger.md#conv-frozen; its kernel motion is 0 by construction), feature √hα = ${p.feature}; statistics at h = ${widest}, paired over seeds.`
          : `Regimes: lazy √hα = ${p.lazy}, feature √hα = ${p.feature}; statistics at h = ${widest}, paired over seeds (theory/geiger.md#conv).`,
        `Runs that reached T_max = ${p.maxTime} before every training margin was 1 (their train error is in trainError.<regime>): lazy ${unstopped.lazy ?? 0}, feature ${unstopped.feature ?? 0} of ${p.widths.length * p.seeds}.`,
      ],
    };
  },
};
