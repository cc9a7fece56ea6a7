/**
 * Experiment kinds of the deep-linear limit (experiments/README.md, "Writing an experiment kind"):
 *
 * - `deeplinear-check` (experiments/deeplinear-finite-check.json, -residual-check, -ntk-check):
 *   finite networks over widths × seeds against the recursion (experimentCheck.ts): per-seed
 *   distances fitted against N (expected N^{−1/2}) and the seed mean's agreement with the limit
 *   in standard errors at every recorded step (reported in the notes, records zRmsMax, zMax);
 * - `deeplinear-transfer` (experiments/deeplinear-transfer.json): widths × rates in μP and NTK
 *   (experimentTransfer.ts): best rate per width, distance of the loss to the limit, figures of
 *   loss against rate.
 */
import { InputError, requirePositive, show } from '../../core/errors.js';
import { gaussianData } from '../../data/gaussian.js';
import type { ResolvedExperiment } from '../../harness/experiments.js';
import { fitRecords } from '../../harness/fits.js';
import { transferStatistics } from './transferStatistics.js';
import { type ExperimentKind, type ExperimentOutput, registerExperimentKind } from '../../harness/kinds.js';
import { createProgress } from '../../harness/progress.js';
import type { ProgressSink } from '../../harness/progress.js';
import type { MetricLabel } from '../../harness/report/labels.js';
import { parseSpec } from '../../spec/validate.js';
import { betaCdf } from '../../limits/meanfield/angles.js';
import type { Spec } from '../../spec/types.js';
import { checkSpec, type DeepLinearCheckConfig } from './check.js';
import { agreementRecords, checkConfigFromExperiment, runCheckExperiment, type WidthAgreement } from './experimentCheck.js';
import { paramName, runTransferSweep, summarizeTransfer, transferCurveLabels, type TransferExperimentResult } from './experimentTransfer.js';
import { type TransferConfig, type TransferParam, hasLimit, lrsOf } from './transfer.js';

function sinkOf(p: boolean | ProgressSink, label: string, pending: number[], cost: (w: number) => number): ProgressSink | null {
  if (p === true) return createProgress({ label, pending, cost, skipped: 0 });
  return p === false ? null : p;
}

const fmt = (x: number, d = 3) => (Number.isFinite(x) ? Number(x.toPrecision(d)).toString() : '–');

// ------------------------------------------------------------------------------------ check

interface CheckParams { config: DeepLinearCheckConfig; spec: Spec }

/** P(|T| ≥ t) for Student's t with ν degrees of freedom: I_{ν/(ν+t²)}(ν/2, ½). */
export function studentTail(t: number, nu: number): number {
  return betaCdf(nu / (nu + t * t), nu / 2, 0.5);
}

function checkNotes(p: DeepLinearCheckConfig, a: WidthAgreement[], seeds: number): string[] {
  const net = p.residual ? `residual network, ${p.depth} blocks, β0 = ${p.residual.beta0}` : `plain network, ${p.depth} hidden layers`;
  const par = p.parameterization === 'meanfield' ? `μP (meanfield), γ0 = ${p.gamma0}` : 'NTK parameterization (γ0 = 1/√N → lazy limit)';
  const ok = a.every((x) => x.zRmsMax < 3);
  const values = (p.data.n + p.data.nTest) * (a[0]?.steps ?? 0);
  const tail = studentTail(3, seeds - 1);
  return [
    `Setting: deep linear ${net}, ${par}; gaussian data P = ${p.data.n} train / ${p.data.nTest} test points in D = ${p.data.dim}, target ${p.data.target}${p.data.noise ? `, label noise ${p.data.noise}` : ''}; full-batch GD, η = ${p.lr}, ${p.steps} steps, recorded every ${p.recordEvery}; init seeds 0..${seeds - 1}. The limit: the discrete-time recursion of theory/deeplinear.md#exact-cases (exact for GD at N = ∞)${p.parameterization === 'ntk' ? '; per seed the lazy limit from that network\'s own f_0 (path-wise), for the seed mean the frozen kernel from f_0 = 0' : ''}.`,
    `Metrics per (N, seed): fTrainSup / fTestSup = sup_t RMS over points of f − f^∞, lossSup = sup_t |L − L^∞|, fTrainRms = RMS over records and training points of f − f^∞ (the per-seed RMS deviation).`,
    `Seed-mean agreement (theory/deeplinear.md#finite-checks): z_μ(t) = (mean_s f_μ − f^∞_μ)/SE_μ over the ${seeds} seeds, train and test outputs; criterion zRms(t) = √(mean_μ z_μ²) < 3 at every recorded step. ${a.map((x) => `N = ${x.width}: max_t zRms = ${fmt(x.zRmsMax)} over ${x.steps} steps (max |z| = ${fmt(x.zMax)})`).join('; ')} — ${ok ? 'PASS' : 'FAIL'} (${a.filter((x) => x.zRmsMax < 3).length} of ${a.length} widths).`,
    `Strict reading (every output within 3 SE at every step): recorded steps with some |z_μ| ≥ 3: ${a.map((x) => `N = ${x.width}: ${x.stepsZOver3} of ${x.steps}`).join(', ')}. Under agreement z_μ follows Student's t with ${seeds - 1} degrees of freedom, P(|t| ≥ 3) = ${tail.toPrecision(2)}, so about ${(tail * values).toPrecision(2)} of the ${values} (output, step) values per width are expected at or above 3 by chance (outputs and steps are correlated, so they come in clusters).`,
  ];
}

export const deeplinearCheckKind: ExperimentKind<CheckParams> = {
  kind: 'deeplinear-check',
  description: 'deep linear networks over widths × seeds against the large-width recursion: seed-mean agreement in standard errors and per-seed deviation ∝ N^-1/2',
  parse(c) {
    if (c.params !== undefined && Object.keys(c.params).length > 0) throw new InputError(`${c.name}.params`, 'kind deeplinear-check takes no params (everything is in spec)');
    return checkConfigFromExperiment(c);
  },
  async run({ config, spec }, c, ctx): Promise<ExperimentOutput> {
    const cost = (w: number) => w * w;
    const sink = sinkOf(ctx.progress, c.name, config.widths.flatMap((w) => new Array<number>(config.seeds).fill(w)), cost);
    const r = runCheckExperiment(config, ctx.out, (width, seconds) => {
      for (let s = 0; s < config.seeds; s++) sink?.tick({ width, seed: s, status: 'ok', seconds: seconds / config.seeds });
    });
    sink?.finish();
    const records = [...r.records, ...agreementRecords(r.agreement)];
    const fits = fitRecords(r.records, c.expected, { seed: `${c.name}/fit` });
    return {
      records, curves: r.curves, fits, status: r.status, message: r.message,
      axis: { name: 'N', label: 'width N' },
      spec: { ...spec, seed: 0 },
      references: ['bordelon2022', 'bordelon2025', 'efron1993'],
      labels: CHECK_LABELS,
      notes: checkNotes(config, r.agreement, config.seeds),
    };
  },
};

const CHECK_LABELS: Record<string, MetricLabel> = {
  fTrainSup: { title: 'Function distance (train)', formula: 'sup_t RMS_μ |f_μ(t) − f^∞_μ(t)| on train points', axis: 'sup_t RMS |f − f^∞| (train)' },
  fTestSup: { title: 'Function distance (test)', formula: 'sup_t RMS_μ |f_μ(t) − f^∞_μ(t)| on test points', axis: 'sup_t RMS |f − f^∞| (test)' },
  lossSup: { title: 'Loss-curve distance', formula: 'sup_t |L_t − L_t^∞| (train loss)', axis: 'sup_t |L_t − L_t^∞|' },
  fTrainRms: { title: 'RMS deviation (train)', formula: 'RMS over records and train points of f − f^∞', axis: 'RMS_{t,μ} |f − f^∞|' },
  zRmsMax: { title: 'Seed-mean agreement', formula: 'max_t √(mean_μ z_μ²), z = (mean_s f − f^∞)/SE', axis: 'max_t zRms' },
  zMax: { title: 'Largest |z|', formula: 'max_{t,μ} |mean_s f_μ − f^∞_μ|/SE_μ', axis: 'max |z|' },
};

// ------------------------------------------------------------------------------------ transfer

interface TransferParams { config: TransferConfig; spec: Spec; loss0: number; lossLr: number }

const TRANSFER_PARAMS = ['lrs', 'lrsFor', 'parameterizations', 'lossLr'];
const TRANSFER_PARAMETERIZATIONS: TransferParam[] = ['meanfield', 'ntk', 'standard'];

/** A grid of at least three distinct positive rates, increasing. */
function rateGrid(where: string, v: unknown): number[] {
  if (!Array.isArray(v) || v.length < 3) throw new InputError(where, `must be an array of at least three learning rates, got ${show(v)}`);
  const lrs = (v as unknown[]).map((x, i) => requirePositive(`${where}[${i}]`, x)).sort((a, b) => a - b);
  if (new Set(lrs).size !== lrs.length) throw new InputError(where, 'must be distinct');
  return lrs;
}

export function parseTransferKind(c: ResolvedExperiment): TransferParams {
  const w = c.name;
  if (!c.spec) throw new InputError(`${w}.spec`, 'is required: {data (gaussian), model: {depth, gamma0}, training: {steps}}');
  const p = c.params ?? {};
  for (const k of Object.keys(p)) if (!TRANSFER_PARAMS.includes(k)) throw new InputError(`${w}.params.${k}`, `unknown field (allowed: ${TRANSFER_PARAMS.join(', ')})`);
  const lrs = rateGrid(`${w}.params.lrs`, p.lrs);
  const pars = p.parameterizations ?? ['meanfield', 'ntk'];
  if (!Array.isArray(pars) || pars.length === 0 || pars.some((x) => !TRANSFER_PARAMETERIZATIONS.includes(x))) {
    throw new InputError(`${w}.params.parameterizations`, `must be a non-empty array of ${TRANSFER_PARAMETERIZATIONS.map((x) => `"${x}"`).join(', ')}, got ${show(pars)}`);
  }
  const lrsFor: Partial<Record<TransferParam, number[]>> = {};
  if (p.lrsFor !== undefined) {
    if (typeof p.lrsFor !== 'object' || p.lrsFor === null || Array.isArray(p.lrsFor)) throw new InputError(`${w}.params.lrsFor`, `must be an object {parameterization: [rates]}, got ${show(p.lrsFor)}`);
    for (const [k, v] of Object.entries(p.lrsFor as Record<string, unknown>)) {
      if (!(pars as string[]).includes(k)) throw new InputError(`${w}.params.lrsFor.${k}`, `is not one of params.parameterizations (${(pars as string[]).join(', ')})`);
      lrsFor[k as TransferParam] = rateGrid(`${w}.params.lrsFor.${k}`, v);
    }
  }
  const lossLr = p.lossLr ?? lrs[0];
  for (const q of pars as TransferParam[]) {
    if (hasLimit(q) && !(lrsFor[q] ?? lrs).includes(lossLr as number)) {
      throw new InputError(`${w}.params.lossLr`, `must be one of the rates of "${q}" (${(lrsFor[q] ?? lrs).join(', ')}), got ${show(lossLr)}`);
    }
  }
  const model = (c.spec.model ?? {}) as Record<string, unknown>;
  const raw = {
    ...c.spec,
    model: { activation: 'identity', weightStd: 1, biasStd: 0, parameterization: 'meanfield', width: c.widths[0], ...model },
    training: { method: 'gd', loss: 'mse', lr: lrs[0], ...((c.spec.training ?? {}) as object) },
  };
  const spec = parseSpec(raw, `${w}.spec`);
  if (spec.model.parameterization !== 'meanfield') throw new InputError(`${w}.spec.model.parameterization`, 'is set by params.parameterizations; leave it out');
  if (spec.training.lr !== lrs[0]) throw new InputError(`${w}.spec.training.lr`, 'is set by params.lrs; leave it out');
  const d = spec.data;
  if (d.source !== 'gaussian' || d.outputs !== 1) throw new InputError(`${w}.spec.data`, 'must be gaussian with one output');
  const config: TransferConfig = {
    depth: spec.model.depth, widths: [...c.widths].sort((a, b) => a - b), lrs, seeds: c.seeds, gamma0: spec.model.gamma0,
    steps: spec.training.steps, parameterizations: pars as TransferParam[],
    ...(Object.keys(lrsFor).length > 0 ? { lrsFor } : {}),
    data: { n: d.n, nTest: d.nTest, dim: d.dim, target: d.target, seed: d.seed, noise: d.noise ?? 0 },
  };
  // the limit's initial loss ½ mean y² (f_0 = 0), the scale of the figures
  const y = gaussianData(checkSpec({ ...config, parameterization: 'meanfield', lr: 1, recordEvery: 1 }, 1).data).y.data;
  const loss0 = y.reduce((a, v) => a + v * v, 0) / (2 * y.length);
  return { config, spec, loss0, lossLr: lossLr as number };
}

function transferNotes(c: TransferConfig, s: TransferExperimentResult, loss0: number, lossLr: number): string[] {
  const grids = c.parameterizations.map((p) => `${paramName(p)}: η ∈ {${lrsOf(c, p).map((x) => fmt(x)).join(', ')}}`).join('; ');
  const notes = [
    `Setting: deep linear network, ${c.depth} hidden layers, gaussian data P = ${c.data.n} in D = ${c.data.dim}, target ${c.data.target}${c.data.noise ? `, label noise ${c.data.noise}` : ''}; ${c.parameterizations.map((p) => (p === 'meanfield' ? `μP with γ0 = ${c.gamma0}` : p === 'ntk' ? 'the NTK parameterization (μP with γ0 = 1/√N)' : 'the standard parameterization (SP: weights N(0, 1/n_in), rate η on every layer)')).join(', ')}; full-batch GD for ${c.steps} steps at each rate (${grids}); ${c.seeds} init seeds per cell (the same seeds at every rate, and the same initial function in NTK and SP). The limit: the recursion of theory/deeplinear.md#exact-cases (NTK: the frozen kernel from f_0 = 0); SP has no limit at fixed η (its kernel grows ∝ N).`,
    `Loss figures: the train loss after T = ${c.steps} steps against the rate η, log–log; one line per width (mean over seeds, min–max band), the limit dashed. Cells where a seed's loss exceeds 1.5 × the initial loss of the limit (${fmt(loss0)}) or diverged are left out of the figure (kept in data.csv).`,
    `bestLr.<p>: per seed, the rate minimising the train loss after ${c.steps} steps, refined by a parabola in (log η, log L) through the grid minimum and its neighbours. bestLrGap.<p>: |ln(η*_seed/η*_∞)|, the distance to the limit's best rate (refined the same way). lossDev.<p>: per seed |L − L^∞| at η = ${lossLr} (a rate at which the loss is still far from converged after ${c.steps} steps). excessLoss.<p> (data.csv): mean over seeds of L − L^∞ at η = ${lossLr}.`,
  ];
  for (const b of s.best) {
    const lim = hasLimit(b.parameterization) ? `, limit: ${fmt(b.limitLr)} (refined)` : '';
    const excess = hasLimit(b.parameterization) ? ` Mean loss minus the limit's (${fmt(b.limitLoss)}) at η = ${lossLr}: ${b.byWidth.map((x) => `N = ${x.width}: ${fmt(x.excess)}`).join(', ')}.` : '';
    notes.push(`${paramName(b.parameterization)}: best grid rate of the seed-mean loss: ${b.byWidth.map((x) => `N = ${x.width}: ${fmt(x.lr)}`).join(', ')}${lim}.${excess}`);
  }
  return notes;
}

export const deeplinearTransferKind: ExperimentKind<TransferParams> = {
  kind: 'deeplinear-transfer',
  description: 'deep linear networks over widths × learning rates in μP, NTK and SP: loss at a fixed time against width, best rate per width (learning-rate transfer)',
  parse: parseTransferKind,
  statistics: transferStatistics,
  async run({ config, spec, loss0, lossLr }, c, ctx): Promise<ExperimentOutput> {
    const pending = config.parameterizations.flatMap((p) => lrsOf(config, p).map(() => config.widths[config.widths.length - 1]));
    const sink = sinkOf(ctx.progress, c.name, pending, () => 1);
    const rows = runTransferSweep(config, ctx.out, (p, lr, seconds, reused) => sink?.tick({ width: config.widths[config.widths.length - 1], seed: 0, status: 'ok', seconds, what: `${paramName(p)} η = ${lr} (all widths × seeds${reused ? ', saved' : ''})` }));
    sink?.finish();
    const s = summarizeTransfer(config, rows, loss0, lossLr);
    const fitted = s.records.filter((r) => /^(bestLr|bestLrGap|lossDev)\./.test(r.metric));
    const fits = fitRecords(fitted, c.expected, { seed: `${c.name}/fit` });
    const labels: Record<string, MetricLabel> = {};
    for (const p of config.parameterizations) {
      const n = paramName(p);
      labels[`bestLr.${p}`] = { title: `Best learning rate (${n})`, formula: `argmin_η L_T(η), per seed (${n})`, axis: `best η (${n})` };
      if (!hasLimit(p)) continue;
      labels[`bestLrGap.${p}`] = { title: `Best rate's distance to the limit's (${n})`, formula: `|ln(η*_seed / η*_∞)| (${n})`, axis: `|ln(η*/η*_∞)| (${n})` };
      labels[`lossDev.${p}`] = { title: `Loss distance to the limit (${n})`, formula: `|L_T − L_T^∞| at η = ${lossLr} (${n})`, axis: `|L_T − L_T^∞| (${n})` };
    }
    return {
      records: s.records, curves: s.curves, fits, status: s.status, message: s.message,
      axis: { name: 'N', label: 'width N' },
      spec: {
        ...spec, model: { ...spec.model, parameterization: config.parameterizations.join(', ') },
        training: { ...spec.training, lr: Object.fromEntries(config.parameterizations.map((p) => [p, lrsOf(config, p)])) },
      },
      references: ['yang2021', 'bordelon2025', 'bordelon2022', 'efron1993'],
      labels,
      curveLabels: transferCurveLabels(config),
      notes: transferNotes(config, s, loss0, lossLr),
    };
  },
};

/** Register the deep-linear kinds with the harness (idempotent). */
export function registerDeepLinearKinds(): void {
  registerExperimentKind(deeplinearCheckKind);
  registerExperimentKind(deeplinearTransferKind);
}
