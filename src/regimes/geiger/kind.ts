/**
 * Experiment kind `geiger-alpha-scan` (experiments/geiger-alpha-scan.json): lazy against feature
 * training in the output scale α (Geiger, Spigler, Jacot, Wyart 2020, arXiv 1906.08034;
 * theory/geiger.md#model). The config's `spec` gives data, depth, activation, σ_w and the loss; `params` the scan
 * (params.ts); `expected` judges the metrics alphaStar, kernelMotionLazy, seedVarianceLazy,
 * seedVarianceFeature and t1Feature.
 */
import type { ExperimentKind, ExperimentOutput } from '../../harness/kinds.js';
import { type GeigerScanParams, parseGeigerParams } from './params.js';
import { runGeigerScan } from './scan.js';

export const geigerAlphaScanKind: ExperimentKind<GeigerScanParams> = {
  kind: 'geiger-alpha-scan',
  description: 'widths × output scale α × seeds of the centred geiger network (Geiger et al. 2020): crossover α* ∝ h^-1/2, lazy kernel motion ∝ (√hα)^-1, seed variance ∝ 1/h, loss-curve collapse against t/(√hα)',
  parse: parseGeigerParams,
  async run(p, c, ctx): Promise<ExperimentOutput> {
    const { cells: _cells, charts, crossover: _x, ...rest } = await runGeigerScan(p, c.expected, ctx, c.quick ? `${c.name} (quick)` : c.name);
    return { ...rest, figures: charts.map((x) => ({ id: x.id, title: x.title })) };
  },
};
