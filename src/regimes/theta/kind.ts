/**
 * Experiment kind `theta-phase-diagram` (experiments/theta-phase-diagram.json): the two-layer
 * phase diagram of Luo, Xu, Ma, Zhang 2021 (JMLR 22:71) and the θ-lazy area of Li, Luo, Zhou 2024
 * (arXiv 2404.04859); theory/theta.md#regimes. `spec`: data, activation (MSE, depth 1); `params`: the grid of
 * (γ, γ') and the rules (params.ts). The verdicts are generated from theory, one per point.
 */
import type { ExperimentKind, ExperimentOutput } from '../../harness/kinds.js';
import { type ThetaScanParams, parseThetaParams } from './params.js';
import { runThetaScan } from './scan.js';

export const thetaPhaseDiagramKind: ExperimentKind<ThetaScanParams> = {
  kind: 'theta-phase-diagram',
  description: 'two-layer θ-parameterized networks over a grid of (γ, γ′) and widths (Luo et al. 2021; Li–Luo–Zhou 2024): linear / critical / condensed from the width trend of the input weights’ relative change, and the frozen-kernel loss rate in the θ-lazy area',
  parse: parseThetaParams,
  async run(p, c, ctx): Promise<ExperimentOutput> {
    const { cells: _cells, phases: _phases, charts, ...rest } = await runThetaScan(p, ctx, c.quick ? `${c.name} (quick)` : c.name);
    return { ...rest, figures: charts.map((x) => ({ id: x.id, title: x.title })) };
  },
};
