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
import { type ExperimentKind, type ExperimentOutput, registerExperimentKind } from '../../harness/kinds.js';
import { createProgress } from '../../harness/progress.js';
import type { ProgressSink } from '../../harness/progress.js';
import type { MetricLabel } from '../../harness/report/labels.js';
import { parseSpec } from '../../spec/validate.js';
import { betaCdf } from '../meanfield/angles.js';
import type { Spec } from '../../spec/types.js';
import { checkSpec, type DeepLinearCheckConfig } from './check.js';
import { agreementRecords, checkConfigFromExperiment, runCheckExperiment, type WidthAgreement } from './experimentCheck.js';
import { runTransferSweep, summarizeTransfer, type TransferExperimentResult } from './experimentTransfer.js';
import type { TransferConfig } from './transfer.js';

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
    `Setting: deep linear ${net}, ${par}; gaussian data P = ${p.data.n} train / ${p.data.nTest} test points in D = ${p.data.dim}, target ${p.data.target}${p.data.noise ? `, label noise ${p.data.noise}` : ''}; full-batch GD, η = ${p.lr}, ${p.steps} steps, recorded every ${p.recordEvery}; init seeds 0..${seeds - 1}. The limit: the discrete-time recursion of math.md §6 (exact for GD at N = ∞)${p.parameterization === 'ntk' ? '; per seed the lazy limit from that network\'s own f_0 (path-wise), for the seed mean the frozen kernel from f_0 = 0' : ''}.`,
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

const TRANSFER_PARAMS = ['lrs', 'parameterizations', 'lossLr'];

export function parseTransferKind(c: ResolvedExperiment): TransferParams {
  const w = c.name;
  if (!c.spec) throw new InputError(`${w}.spec`, 'is required: {data (gaussian), model: {depth, gamma0}, training: {steps}}');
  const p = c.params ?? {};
  for (const k of Object.keys(p)) if (!TRANSFER_PARAMS.includes(k)) throw new InputError(`${w}.params.${k}`, `unknown field (allowed: ${TRANSFER_PARAMS.join(', ')})`);
  if (!Array.isArray(p.lrs) || p.lrs.length < 3) throw new InputError(`${w}.params.lrs`, `must be an array of at least three learning rates, got ${show(p.lrs)}`);
  const lrs = (p.lrs as unknown[]).map((x, i) => requirePositive(`${w}.params.lrs[${i}]`, x)).sort((a, b) => a - b);
  if (new Set(lrs).size !== lrs.length) throw new InputError(`${w}.params.lrs`, 'must be distinct');
  const lossLr = p.lossLr ?? lrs[0];
  if (!lrs.includes(lossLr as number)) throw new InputError(`${w}.params.lossLr`, `must be one of params.lrs, got ${show(lossLr)}`);
  const pars = p.parameterizations ?? ['meanfield', 'ntk'];
  if (!Array.isArray(pars) || pars.length === 0 || pars.some((x) => x !== 'meanfield' && x !== 'ntk')) {
    throw new InputError(`${w}.params.parameterizations`, `must be a non-empty array of "meanfield" and "ntk", got ${show(pars)}`);
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
    steps: spec.training.steps, parameterizations: pars as ('meanfield' | 'ntk')[],
    data: { n: d.n, nTest: d.nTest, dim: d.dim, target: d.target, seed: d.seed, noise: d.noise ?? 0 },
  };
  // the limit's initial loss ½ mean y² (f_0 = 0), the scale of the figures
  const y = gaussianData(checkSpec({ ...config, parameterization: 'meanfield', lr: 1, recordEvery: 1 }, 1).data).y.data;
  const loss0 = y.reduce((a, v) => a + v * v, 0) / (2 * y.length);
  return { config, spec, loss0, lossLr: lossLr as number };
}

function transferNotes(c: TransferConfig, s: TransferExperimentResult, loss0: number, lossLr: number): string[] {
  const name = (p: string) => (p === 'meanfield' ? 'μP' : 'NTK');
  const notes = [
    `Setting: deep linear network, ${c.depth} hidden layers, gaussian data P = ${c.data.n} in D = ${c.data.dim}, target ${c.data.target}${c.data.noise ? `, label noise ${c.data.noise}` : ''}; μP with γ0 = ${c.gamma0} and the NTK parameterization; full-batch GD for ${c.steps} steps at each rate η ∈ {${c.lrs.join(', ')}}; ${c.seeds} init seeds per cell (the same seeds at every rate). The limit: the recursion of math.md §6 (NTK: the frozen kernel from f_0 = 0).`,
    `Figures log10TrainLoss.muP and log10TrainLoss.ntk: log10 of the train loss after T = ${c.steps} steps against flow time τ = η·${c.steps} (steps fixed, so the axis is the rate η scaled by ${c.steps}); one line per width (mean over seeds of log10 L, min–max band), the limit dashed. Cells where a seed's loss exceeds 1.5 × the initial loss of the limit (${fmt(loss0)}) or diverged are left out of the figure (kept in data.csv).`,
    `bestLr.<p>: per seed, the rate minimising the train loss after ${c.steps} steps, refined by a parabola in (log η, log L) through the grid minimum and its neighbours. lossDev.<p>: per seed |L − L^∞| at η = ${lossLr} (a rate at which the loss is still far from converged after ${c.steps} steps). excessLoss.<p> (data.csv): mean over seeds of L − L^∞ at η = ${lossLr}.`,
  ];
  for (const b of s.best) {
    notes.push(`${name(b.parameterization)}: best grid rate of the seed-mean loss: ${b.byWidth.map((x) => `N = ${x.width}: ${fmt(x.lr)}`).join(', ')}, limit: ${fmt(b.limitLr)}. Mean loss minus the limit's (${fmt(b.limitLoss)}) at η = ${lossLr}: ${b.byWidth.map((x) => `N = ${x.width}: ${fmt(x.excess)}`).join(', ')}.`);
  }
  return notes;
}

export const deeplinearTransferKind: ExperimentKind<TransferParams> = {
  kind: 'deeplinear-transfer',
  description: 'deep linear networks over widths × learning rates in μP and NTK: loss at a fixed time against width, best rate per width (learning-rate transfer)',
  parse: parseTransferKind,
  async run({ config, spec, loss0, lossLr }, c, ctx): Promise<ExperimentOutput> {
    const pending = config.parameterizations.flatMap(() => config.lrs.map(() => config.widths[config.widths.length - 1]));
    const sink = sinkOf(ctx.progress, c.name, pending, () => 1);
    const rows = runTransferSweep(config, ctx.out, (_p, _lr, seconds) => sink?.tick({ width: config.widths[config.widths.length - 1], seed: 0, status: 'ok', seconds }));
    sink?.finish();
    const s = summarizeTransfer(config, rows, loss0, lossLr);
    const fitted = s.records.filter((r) => r.metric.startsWith('bestLr.') || r.metric.startsWith('lossDev.'));
    const fits = fitRecords(fitted, c.expected, { seed: `${c.name}/fit` });
    const labels: Record<string, MetricLabel> = {};
    for (const p of config.parameterizations) {
      const n = p === 'meanfield' ? 'μP' : 'NTK';
      labels[`bestLr.${p}`] = { title: `Best learning rate (${n})`, formula: `argmin_η L_T(η), per seed (${n})`, axis: `best η (${n})` };
      labels[`lossDev.${p}`] = { title: `Loss distance to the limit (${n})`, formula: `|L_T − L_T^∞| at η = ${lossLr} (${n})`, axis: `|L_T − L_T^∞| (${n})` };
    }
    return {
      records: s.records, curves: s.curves, fits, status: s.status, message: s.message,
      axis: { name: 'N', label: 'width N' },
      spec: { ...spec, model: { ...spec.model, parameterization: config.parameterizations.join(' and ') }, training: { ...spec.training, lr: config.lrs } },
      references: ['yang2021', 'bordelon2025', 'bordelon2022', 'efron1993'],
      labels,
      notes: transferNotes(config, s, loss0, lossLr),
    };
  },
};

/** Register the deep-linear kinds with the harness (idempotent). */
export function registerDeepLinearKinds(): void {
  registerExperimentKind(deeplinearCheckKind);
  registerExperimentKind(deeplinearTransferKind);
}
