/**
 * Early directional convergence of homogeneous networks from small initialization (Kumar &
 * Haupt 2024, arXiv 2403.08121): the neural correlation function, its KKT points on the sphere,
 * the rescaled gradient flow, rank-one diagnostics, the experiment and its harness kind.
 */
import { registerExperimentKind } from '../../harness/kinds.js';
import { kumarHauptKind } from './kind.js';
import { kumarHauptTheoremKind } from './theoremKind.js';

export { balancedUnitDirection, homogeneousNet } from './homogeneous.js';
export type { HomogeneousNet } from './homogeneous.js';
export { correlationProblem } from './ncf.js';
export type { CorrelationProblem } from './ncf.js';
export { cosine, kktByProjectedAscent, kktResidual, normalized } from './kkt.js';
export type { KktOptions, KktPoint } from './kkt.js';
export { rescaledFlow } from './flow.js';
export type { RescaledFlow, RescaledFlowOptions } from './flow.js';
export { layerRankRatios } from './rankOne.js';
export { crossing, interpolate, runKumarHaupt } from './experiment.js';
export type { KumarHauptConfig, KumarHauptResult, SeedSummary } from './experiment.js';
export { kumarHauptKind, parseKumarHaupt } from './kind.js';
export { polyNet, polyProblem, polyLeaky, polyLeakyDerivative, balancedPolyDirection } from './polyNet.js';
export type { PolyNet, PolyProblem } from './polyNet.js';
export { trainingFlow, ncfFlow, leakyFlow } from './originalFlow.js';
export { rankOneConditions, neuronCorrelation } from './rankOneConditions.js';
export type { RankOneConditions } from './rankOneConditions.js';
export { runTheorem } from './theorem.js';
export type { TheoremConfig, TheoremResult, TheoremSeed } from './theorem.js';
export { kumarHauptTheoremKind, parseTheorem, theoremStatistics } from './theoremKind.js';

/** Register the kinds `kumar-haupt` and `kumar-haupt-theorem` with the harness (idempotent). */
export function registerKumarHauptKinds(): void {
  registerExperimentKind(kumarHauptKind);
  registerExperimentKind(kumarHauptTheoremKind);
}
