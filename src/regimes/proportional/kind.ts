/**
 * Experiment kind `proportional-convergence` (experiments/proportional-convergence.json): finite
 * deep linear networks at D = widths (N = νD, P = αD) × seeds against the proportional DMFT of
 * theory/proportional.md. Exports the statistics its claims name (zMaxLargest, spreadExponent,
 * biasExponent; bootstrap over seeds) in results.json `statistics` and in the notes.
 */
import { writeJsonAtomic } from '../../core/atomic.js';
import type { ResolvedExperiment } from '../../harness/experiments.js';
import { fitRecords } from '../../harness/fits.js';
import { type ExperimentKind, type ExperimentOutput, registerExperimentKind } from '../../harness/kinds.js';
import type { MetricLabel } from '../../harness/report/labels.js';
import { agreement, type BootStatistic, bootstrap, convergenceCurves, convergenceRecords, type LossTable, logSlope, runConvergence, standardErrors, zMaxFixed } from './convergence.js';
import { parseProportionalParams, type ProportionalParams } from './params.js';
import { biasSquared, meanSeedVariance, meanSupDeviation, rateOf } from './rates.js';
import { registerDepthKind } from './depth.js';
import { registerDepthWidthKind } from './depthWidth.js';
import { registerPowerLawKind } from './powerLaw.js';
import { registerSgdKind } from './sgd.js';
import { registerWidthKind } from './width.js';

const fmt = (x: number, d = 3) => (Number.isFinite(x) ? Number(x.toPrecision(d)).toString() : '–');

/** The statistics the claims of the convergence experiment name. */
export function convergenceStatistics(test: LossTable, theory: Float64Array, name: string): Record<string, BootStatistic> {
  const dims = [...test.keys()].sort((a, b) => a - b);
  const largest = dims[dims.length - 1];
  const only = (t: LossTable, D: number) => t.get(D)!;
  const se = standardErrors(test.get(largest)!);
  const slope = (pick: (c: Float64Array[]) => number) => (t: LossTable) => {
    const ys = dims.map((D) => pick(t.get(D)!));
    return ys.every((y) => y > 0) ? logSlope(dims, ys) : NaN;
  };
  return {
    zMaxLargest: bootstrap(test, (t) => zMaxFixed(only(t, largest), theory, se), `${name}/zMax`),
    spreadExponent: bootstrap(test, slope((c) => agreement(c, theory).spread), `${name}/spread`),
    biasExponent: bootstrap(test, slope((c) => agreement(c, theory).bias), `${name}/bias`),
    ...rateStatistics(test, theory, name),
  };
}

/** The rate statistics of theory/proportional.md#finite-size-rates (bootstrap over seeds per D). */
function rateStatistics(test: LossTable, theory: Float64Array, name: string): Record<string, BootStatistic> {
  const out: Record<string, BootStatistic> = {
    supDevExponent: bootstrap(test, rateOf((c) => meanSupDeviation(c, theory)), `${name}/supDev`),
    varianceExponent: bootstrap(test, rateOf(meanSeedVariance), `${name}/variance`),
  };
  for (const D of [...test.keys()].sort((a, b) => a - b)) {
    out[`scaledBiasSq@${D}`] = bootstrap(test, (t) => D * D * biasSquared(t.get(D)!, theory), `${name}/biasSq/${D}`);
    out[`scaledVariance@${D}`] = bootstrap(test, (t) => D * meanSeedVariance(t.get(D)!), `${name}/dvar/${D}`);
  }
  return out;
}

const LABELS: Record<string, MetricLabel> = {
  lossSup: { title: 'Loss-curve distance (one network)', formula: 'sup_t |L_t − L_t^∞| (test loss)', axis: 'sup_t |L − L^∞|' },
  zMax: { title: 'Seed-mean agreement', formula: 'max_t |mean_s L_t − L_t^∞| / SE_t', axis: 'max_t |z|' },
  zMaxTrain: { title: 'Seed-mean agreement (train)', formula: 'max_t |mean_s L̂_t − L̂_t^∞| / SE_t', axis: 'max_t |z| (train)' },
  meanDev: { title: 'Seed-mean deviation', formula: 'sup_t |mean_s L_t − L_t^∞|', axis: 'sup_t |mean L − L^∞|' },
  bias: { title: 'Finite-size bias', formula: '√(mean_t max(0, (mean_s L_t − L_t^∞)² − SE_t²))', axis: 'bias' },
  spread: { title: 'Seed spread', formula: '√(mean_t var_s L_t)', axis: 'seed std' },
};

function notes(p: ProportionalParams, stats: Record<string, BootStatistic>, zs: string): string[] {
  const s = (k: string) => `${fmt(stats[k].estimate)} [${fmt(stats[k].ci[0])}, ${fmt(stats[k].ci[1])}]`;
  return [
    `Setting (theory/proportional.md#model): depth L = ${p.depth}, ν = N/D = ${p.nu}, ${p.parameterization === 'mup' ? `μP γ̄ = ${p.gammaBar}` : `NTK (γ̄ = 1/√ν = ${fmt(p.gammaBar)})`}, η = ${p.eta}, σ = ${p.sigma}, ${p.data === 'repeated' ? `repeated data α = P/D = ${p.alpha}` : `one-pass SGD κ = B/D = ${p.batchRatio}`}, ${p.steps} steps, ${p.seeds} seeds per D.`,
    `Seed-mean test loss in standard errors, max over steps: ${zs}.`,
    `Statistics (95 % bootstrap over seeds): zMaxLargest = ${s('zMaxLargest')}, spreadExponent = ${s('spreadExponent')}, biasExponent = ${s('biasExponent')} (theory/proportional.md#finite-size predicts −1/2 and −1).`,
    `Rate statistics (theory/proportional.md#finite-size-rates): supDevExponent = ${s('supDevExponent')}, varianceExponent = ${s('varianceExponent')}; per D, D·(time-averaged seed variance) and D²·(bias-corrected squared deviation of the seed mean): ${p.dims.map((D) => `D = ${D}: ${s(`scaledVariance@${D}`)}, ${s(`scaledBiasSq@${D}`)}`).join('; ')}.`,
  ];
}

export const proportionalConvergenceKind: ExperimentKind<ProportionalParams> = {
  kind: 'proportional-convergence',
  description: 'finite deep linear networks at D = widths (N = νD, P = αD) × seeds against the proportional DMFT: seed means in standard errors, bias ∝ 1/D, spread ∝ D^-1/2',
  parse: parseProportionalParams,
  async run(p: ProportionalParams, c: ResolvedExperiment, ctx): Promise<ExperimentOutput> {
    const run = runConvergence(p);
    const records = convergenceRecords(run);
    const statistics = convergenceStatistics(run.test, run.theory.testLoss, c.name);
    writeJsonAtomic(`${ctx.out}/statistics.json`, statistics);
    const zs = [...run.test.keys()].map((D) => `D = ${D}: ${fmt(agreement(run.test.get(D)!, run.theory.testLoss).zMax)}`).join(', ');
    const out: ExperimentOutput & { statistics: Record<string, BootStatistic> } = {
      records,
      curves: convergenceCurves(run),
      fits: fitRecords(records.filter((r) => r.seed !== null), c.expected, { seed: `${c.name}/fit` }),
      axis: { name: 'D', label: 'input dimension D' },
      status: run.theory.status,
      message: run.theory.status === 'ok' ? `theory residual ${fmt(run.theory.residual)}; ${fmt(run.seconds)} s` : run.theory.message,
      spec: p,
      references: ['bordelon2025'],
      labels: LABELS,
      notes: notes(p, statistics, zs),
      statistics,
    };
    return out;
  },
};

/** Register the proportional-limit kinds (idempotent). */
export function registerProportionalKinds(): void {
  registerExperimentKind(proportionalConvergenceKind);
  registerSgdKind();
  registerWidthKind();
  registerPowerLawKind();
  registerDepthKind();
  registerDepthWidthKind();
}
