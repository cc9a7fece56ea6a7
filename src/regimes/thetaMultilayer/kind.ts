/**
 * Experiment kind `theta-multilayer` (experiments/theta-multilayer.json): the θ-lazy area of Li, Luo,
 * Zhou 2024 (arXiv 2404.04859) for fully connected networks with 2…8 hidden layers, and condensation
 * measured directly outside it (theory/theta.md#multilayer). `spec`: data, activation (MSE);
 * `params`: depths, points, rules (params.ts).
 */
import { registerExperimentKind } from '../../harness/kinds.js';
import type { ExperimentKind, ExperimentOutput } from '../../harness/kinds.js';
import { type ThetaMultilayerParams, parseThetaMultilayerParams } from './params.js';
import { type ExtrapolatingDiagram, rateLimitStatistics } from './extrapolation.js';
import { runThetaMultilayer } from './scan.js';

export const thetaMultilayerKind: ExperimentKind<ThetaMultilayerParams> = {
  kind: 'theta-multilayer',
  description: 'θ-parameterized fully connected networks with 2…8 hidden layers over points (γ, γ′, ph) and widths (Li–Luo–Zhou 2024): frozen-kernel loss rate in the θ-lazy area, input-layer condensation (effective number of directions) outside it',
  parse: parseThetaMultilayerParams,
  run(p, c, ctx): Promise<ExperimentOutput> {
    return runThetaMultilayer(p, ctx, c.quick ? `${c.name} (quick)` : c.name);
  },
  // r∞ of the rate ratio, only for runs whose params ask for it (extrapolation.ts)
  statistics(results) {
    const s = results.spec as { spec?: { seed?: number }; diagram?: Omit<ExtrapolatingDiagram, 'seed'> } | undefined;
    return s?.diagram ? rateLimitStatistics({ ...s.diagram, seed: s.spec?.seed ?? 0 }, results.records) : {};
  },
};

/** Register `theta-multilayer` with the harness (idempotent). */
export function registerThetaMultilayerKinds(): void {
  registerExperimentKind(thetaMultilayerKind);
}
