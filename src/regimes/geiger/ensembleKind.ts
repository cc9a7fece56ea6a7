/**
 * Experiment kind `geiger-ensemble` (experiments/geiger-ensemble.json; Geiger, Spigler, Jacot, Wyart
 * 2020, arXiv 1906.08034, findings (ii) and (iii); theory/geiger.md#ensemble): the runs of the α-scan
 * (cell.ts, same network, loss, flow and stop rule) at two points of the regime variable only — lazy
 * (√hα = the grid's largest value) and feature (its smallest) — over the widths × seeds, plus
 * `ensembleGroups` groups of `ensembleSize` further seeds at `ensembleWidth`, whose averaged output
 * f̄ = (1/k) Σ f̃_T is one ensemble. Records (axis width):
 *
 *   testError.<regime>          sign error of f̃_T on the test set, per (width, seed);
 *   dF2.<regime>                per-seed terms of the seed variance of f̃_T on the test inputs (their
 *                               mean over seeds is the variance; fitted ∝ h^p, δF ∝ h^{p/2});
 *   ensembleTestError.<regime>  sign error of the ensemble average, one row per group (at ensembleWidth).
 *
 * Statistics: `ensembleGap.<regime>` = mean over groups g of (ensemble error of group g − single-net
 * error of seed g at the widest width), bootstrap over g; `lazyMinusFeature` = mean over seeds of
 * (lazy − feature) test error at the widest width, bootstrap over seeds.
 */
import { InputError, show } from '../../core/errors.js';
import { Rng } from '../../core/rng.js';
import type { ResolvedExperiment } from '../../harness/experiments.js';
import { fitRecords } from '../../harness/fits.js';
import type { ExperimentKind, ExperimentOutput } from '../../harness/kinds.js';
import type { LongRecord } from '../../harness/types.js';
import { bootstrapMean } from '../common/seedStatistic.js';
import { seedVariance } from './analysis.js';
import { type GeigerCell, runGeigerCell, scanDataset } from './cell.js';
import { type GeigerScanParams, alphaOf, parseGeigerParams } from './params.js';

export interface GeigerEnsembleParams {
  scan: GeigerScanParams;
  ensembleSize: number;
  ensembleGroups: number;
  ensembleWidth: number;
}

const OWN = ['ensembleSize', 'ensembleGroups', 'ensembleWidth'];
/** Seed offset of the ensemble members (disjoint from the single-network seeds 0..S−1). */
export const ENSEMBLE_SEED_OFFSET = 1000;

export function parseGeigerEnsemble(c: ResolvedExperiment): GeigerEnsembleParams {
  const p = c.params ?? {};
  const rest = Object.fromEntries(Object.entries(p).filter(([k]) => !OWN.includes(k)));
  const scan = parseGeigerParams({ ...c, params: rest });
  if (scan.gridKind !== 'sqrtHAlpha') throw new InputError(`${c.name}.params.gridKind`, 'must be "sqrtHAlpha" (regimes at fixed √hα)');
  const int = (k: string, min: number) => {
    const v = p[k];
    if (!Number.isInteger(v) || (v as number) < min || (v as number) > 4096) throw new InputError(`${c.name}.params.${k}`, `must be an integer in [${min}, 4096], got ${show(v)}`);
    return v as number;
  };
  const ensembleWidth = int('ensembleWidth', 1);
  if (!c.widths.includes(ensembleWidth)) throw new InputError(`${c.name}.params.ensembleWidth`, `must be one of the widths ${c.widths.join(', ')}, got ${ensembleWidth}`);
  return { scan, ensembleSize: int('ensembleSize', 2), ensembleGroups: int('ensembleGroups', 1), ensembleWidth };
}

function signError(f: readonly number[], y: ArrayLike<number>): number {
  let e = 0;
  for (let i = 0; i < f.length; i++) if (!(f[i] * y[i] > 0)) e++;
  return f.length ? e / f.length : NaN;
}

export const geigerEnsembleKind: ExperimentKind<GeigerEnsembleParams> = {
  kind: 'geiger-ensemble',
  description: 'Geiger et al. findings (ii), (iii): test error lazy vs feature, seed fluctuations of the learned function and ensembles of k networks at one width against single wider networks',
  parse: parseGeigerEnsemble,
  async run(p, c): Promise<ExperimentOutput> {
    const s = p.scan;
    const regimes = [['lazy', s.grid[s.grid.length - 1]], ['feature', s.grid[0]]] as const;
    const data = scanDataset(s.spec, s.baseDir);
    const run = (h: number, v: number, seed: number): GeigerCell => runGeigerCell({
      spec: s.spec, baseDir: s.baseDir, width: h, alpha: alphaOf(s, v, h), seed,
      tolerance: s.tolerance, maxTime: s.maxTime, savesPerDecade: s.savesPerDecade, stop: s.stop, t1Fraction: s.t1Fraction,
    });
    const records: LongRecord[] = [];
    const statistics: ExperimentOutput['statistics'] = {};
    const failed: string[] = [];
    const widest = Math.max(...s.widths);
    const widestErr: Record<string, number[]> = {};
    for (const [name, v] of regimes) {
      for (const h of s.widths) {
        const cells = Array.from({ length: s.seeds }, (_, k) => run(h, v, k));
        cells.filter((x) => x.status !== 'ok').forEach((x) => failed.push(`${name} h=${h} seed ${x.seed}: ${x.message}`));
        cells.forEach((x) => records.push({ width: h, seed: x.seed, metric: `testError.${name}`, value: x.testError }));
        const ok = cells.filter((x) => x.status === 'ok');
        seedVariance(ok.map((x) => x.fTestFinal)).terms.forEach((t, i) => records.push({ width: h, seed: ok[i].seed, metric: `dF2.${name}`, value: t }));
        if (h === widest) widestErr[name] = cells.map((x) => x.testError);
      }
      const gaps: number[] = [];
      for (let g = 0; g < p.ensembleGroups; g++) {
        const members = Array.from({ length: p.ensembleSize }, (_, j) => run(p.ensembleWidth, v, ENSEMBLE_SEED_OFFSET + g * p.ensembleSize + j));
        members.filter((x) => x.status !== 'ok').forEach((x) => failed.push(`${name} ensemble ${g}: ${x.message}`));
        const avg = members[0].fTestFinal.map((_, i) => members.reduce((a, m) => a + m.fTestFinal[i], 0) / members.length);
        const err = signError(avg, data.yTest.data);
        records.push({ width: p.ensembleWidth, seed: g, metric: `ensembleTestError.${name}`, value: err });
        if (g < widestErr[name].length) gaps.push(err - widestErr[name][g]);
      }
      statistics[`ensembleGap.${name}`] = bootstrapMean(gaps, new Rng(`${s.spec.seed}/ensembleGap/${name}`));
    }
    statistics.lazyMinusFeature = bootstrapMean(widestErr.lazy.map((e, i) => e - widestErr.feature[i]), new Rng(`${s.spec.seed}/lazyMinusFeature`));
    const fitted = records.filter((x) => x.metric.startsWith('dF2.') || x.metric.startsWith('testError.'));
    return {
      records, statistics, fits: fitRecords(fitted, c.expected, { seed: s.spec.seed }),
      status: failed.length ? 'failed' : 'ok', message: failed.slice(0, 3).join('; '),
      spec: { ...s.spec, grid: s.grid, ensembleSize: p.ensembleSize, ensembleGroups: p.ensembleGroups, ensembleWidth: p.ensembleWidth },
      references: ['geiger2020', 'efron1993'],
      notes: [`Regimes: lazy √hα = ${regimes[0][1]}, feature √hα = ${regimes[1][1]}; ensembles of ${p.ensembleSize} networks at h = ${p.ensembleWidth} (${p.ensembleGroups} groups, seeds from ${ENSEMBLE_SEED_OFFSET}) against single networks at h = ${widest} (theory/geiger.md#ensemble).`],
    };
  },
};
