/**
 * Experiment kind `ip-depth` (experiments/ip-depth6.json): the integrable-parameterization
 * experiment of experiment.ts run by `widelimit experiment run NAME [--quick] --out DIR`.
 *
 * Config: `spec` = {data, model: {depth, activation}, training: {loss, method gd|sgd, lr, steps,
 * recordEvery, batchSize?, replace?}, seed} (validated by the spec validator), `widths`, `seeds`,
 * and `params` = {centred?: boolean (default false), variants?: IpVariant[] (default
 * DEFAULT_IP_VARIANTS), lowerBounds?: [{metric, exponent}]}. A lower bound ("the loss change does
 * not vanish faster than h^p") is checked on the fit and reported in the notes, since the
 * harness's expectations are equalities or upper bounds only.
 */
import { InputError, requireFinite, show } from '../../core/errors.js';
import { loadData } from '../../data/load.js';
import { parseActivation } from '../../finite/activation.js';
import { makeLoss } from '../../finite/loss.js';
import type { ResolvedExperiment } from '../../harness/experiments.js';
import { fitRecords } from '../../harness/fits.js';
import type { ExperimentKind, ExperimentOutput } from '../../harness/kinds.js';
import { createProgress } from '../../harness/progress.js';
import type { FitRecord } from '../../harness/types.js';
import { parseSpec } from '../../spec/validate.js';
import type { DataSpec, Spec } from '../../spec/types.js';
import { type IpExperimentConfig, runIpExperiment } from './experiment.js';
import { DEFAULT_IP_VARIANTS, parseIpVariant } from './variants.js';

export interface IpKindParams {
  config: IpExperimentConfig;
  data: DataSpec;
  lowerBounds: { metric: string; exponent: number }[];
  spec: Spec;
}

const MODEL_FIELDS = ['depth', 'activation'];
const PARAM_FIELDS = ['centred', 'variants', 'lowerBounds', 'changeAccuracy'];

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function parseIpKind(c: ResolvedExperiment): IpKindParams {
  const w = c.name;
  if (!c.spec) throw new InputError(`${w}.spec`, 'is required for kind ip-depth ({data, model: {depth, activation}, training, seed})');
  const model = c.spec.model ?? {};
  if (!isObject(model)) throw new InputError(`${w}.spec.model`, `must be an object, got ${show(model)}`);
  for (const k of Object.keys(model)) if (!MODEL_FIELDS.includes(k)) throw new InputError(`${w}.spec.model.${k}`, `unknown field for kind ip-depth (allowed: ${MODEL_FIELDS.join(', ')}; the parameterizations are the params.variants)`);
  const spec = parseSpec({ ...c.spec, model: { ...model, parameterization: 'ip', width: c.widths[0] } }, `${w}.spec`);
  const t = spec.training;
  if (t.method !== 'gd' && t.method !== 'sgd') throw new InputError(`${w}.spec.training.method`, `must be "gd" or "sgd" for kind ip-depth, got ${show(t.method)}`);
  const p = c.params ?? {};
  for (const k of Object.keys(p)) if (!PARAM_FIELDS.includes(k)) throw new InputError(`${w}.params.${k}`, `unknown field (allowed: ${PARAM_FIELDS.join(', ')})`);
  if (p.centred !== undefined && typeof p.centred !== 'boolean') throw new InputError(`${w}.params.centred`, `must be true or false, got ${show(p.centred)}`);
  if (p.changeAccuracy !== undefined && typeof p.changeAccuracy !== 'boolean') throw new InputError(`${w}.params.changeAccuracy`, `must be true or false, got ${show(p.changeAccuracy)}`);
  let variants = [...DEFAULT_IP_VARIANTS];
  if (p.variants !== undefined) {
    if (!Array.isArray(p.variants) || p.variants.length === 0) throw new InputError(`${w}.params.variants`, `must be a non-empty array of variants, got ${show(p.variants)}`);
    variants = p.variants.map((v, i) => parseIpVariant(v, `${w}.params.variants[${i}]`));
    const names = variants.map((v) => v.name);
    const dup = names.find((n, i) => names.indexOf(n) !== i);
    if (dup) throw new InputError(`${w}.params.variants`, `variant names must be distinct, ${show(dup)} appears twice`);
  }
  const lowerBounds = ((p.lowerBounds ?? []) as unknown[]).map((b, i) => {
    const at = `${w}.params.lowerBounds[${i}]`;
    if (!isObject(b) || typeof b.metric !== 'string') throw new InputError(at, `must be {metric, exponent}, got ${show(b)}`);
    return { metric: b.metric, exponent: requireFinite(`${at}.exponent`, b.exponent) };
  });
  const config: IpExperimentConfig = {
    depth: spec.model.depth,
    activation: parseActivation(spec.model.activation, `${w}.spec.model.activation`),
    centred: (p.centred as boolean | undefined) ?? false,
    training: {
      loss: makeLoss(t.loss, t.softHingeBeta), method: t.method, lr: t.lr, steps: t.steps, recordEvery: t.recordEvery,
      ...(t.method === 'sgd' ? { batchSize: t.batchSize, replace: t.replace } : {}),
    },
    widths: c.widths, seeds: c.seeds, initSeed: spec.seed, variants,
    ...(p.changeAccuracy === true ? { changeAccuracy: true } : {}),
  };
  return { config, data: spec.data, lowerBounds, spec };
}

/** Notes: the lower-bound checks, and the setting in words. */
function notes(fits: FitRecord[], bounds: IpKindParams['lowerBounds'], p: IpKindParams): string[] {
  const out: string[] = [];
  const t = p.config.training;
  out.push(`Setting: depth L = ${p.config.depth} hidden layers, ${p.config.activation.name}, ${t.loss.kind} loss, ${t.method === 'gd' ? 'full-batch gradient descent' : `SGD with batches of ${t.batchSize}`}, base rate η = ${t.lr} (per-variant overrides: ${p.config.variants.filter((v) => v.lr !== undefined).map((v) => `${v.name} η = ${v.lr}`).join(', ') || 'none'}), k = ${t.steps} steps; ${p.config.centred ? 'centred outputs f = F − F_θ0' : 'outputs not centred (as the authors)'}. Variants: ${p.config.variants.map((v) => v.name).join(', ')} (theory/ip.md#variants).`);
  for (const b of bounds) {
    const f = fits.find((x) => x.metric === b.metric);
    if (!f || !Number.isFinite(f.exponent)) {
      out.push(`Lower bound on ${b.metric}: no fit — FAIL.`);
      continue;
    }
    const pass = f.exponent >= b.exponent;
    out.push(`Lower bound on ${b.metric}: fitted exponent ${f.exponent.toFixed(3)} (95% CI [${f.ci[0].toFixed(3)}, ${f.ci[1].toFixed(3)}]) ${pass ? '≥' : '<'} ${b.exponent}: the loss change does ${pass ? 'not ' : ''}vanish faster than h^${b.exponent} — ${pass ? 'PASS' : 'FAIL'}.`);
  }
  return out;
}

export const ipDepthKind: ExperimentKind<IpKindParams> = {
  kind: 'ip-depth',
  description: 'integrable parameterizations at depth (Hajjar–Chizat–Giraud): loss change after k steps against width for plain IP, IP-LLR, non-centred init, unscaled biases and μP',
  parse: parseIpKind,
  async run(p, c, ctx): Promise<ExperimentOutput> {
    const data = loadData(p.data, c.dir);
    const pending = p.config.widths.flatMap((w) => new Array<number>(p.config.seeds * p.config.variants.length).fill(w));
    const sink = ctx.progress === true
      ? createProgress({ label: c.name, pending, cost: (w) => w * w, skipped: 0 })
      : ctx.progress === false ? null : ctx.progress;
    const r = runIpExperiment(p.config, data, (cell, s) => sink?.tick({ width: cell.width, seed: s, status: cell.status, seconds: cell.seconds }));
    sink?.finish();
    // learnedFraction and testAccuracy are judged at one width (claims with `at`), not fitted
    const fitted = r.records.filter((x) => !x.metric.startsWith('learnedFraction.') && !x.metric.startsWith('testAccuracy'));
    const fits = fitRecords(fitted, c.expected, { seed: p.spec.seed });
    const labels = Object.fromEntries(p.config.variants.flatMap((v) => [
      [`lossChange.${v.name}`, { title: `Loss change after k steps: ${v.name}`, formula: `(L_0 − L_k)/L_0, ${v.name}`, axis: `(L_0 − L_k)/L_0 (${v.name})` }],
      [`initOutput.${v.name}`, { title: `Initial output scale: ${v.name}`, formula: `‖F_θ0(X)‖/√n, ${v.name}`, axis: `‖F_θ0(X)‖/√n (${v.name})` }],
      [`learnedFraction.${v.name}`, { title: `Learning beyond the best constant: ${v.name}`, formula: `1 − Σ(f_k − y)²/Σ(y − ȳ)², ${v.name}`, axis: `learned fraction (${v.name})` }],
      [`testAccuracy.${v.name}`, { title: `Test accuracy: ${v.name}`, formula: `share of test points with sign f_k = y, ${v.name}`, axis: `test accuracy (${v.name})` }],
      [`llrBaseRate.${v.name}`, { title: `Calibrated first-step base rate: ${v.name}`, formula: 'geometric mean over layers of c_l', axis: 'geometric mean of c_l' }],
    ]));
    return {
      records: r.records, curves: r.curves, fits, status: r.status, message: r.message,
      spec: { ...p.spec, model: { depth: p.config.depth, activation: p.config.activation.name }, variants: p.config.variants, centred: p.config.centred },
      references: ['hajjar2021', 'yang2021', 'efron1993'],
      labels,
      notes: notes(fits, p.lowerBounds, p),
    };
  },
};
