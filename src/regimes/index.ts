/**
 * The reference papers' regimes as experiment kinds (issue 7): Geiger et al.'s lazy/feature
 * crossover in α and the θ phase diagram of Luo et al. / Li–Luo–Zhou. Integrable
 * parameterizations (./ip) and Kumar–Haupt (./kumarHaupt) register their own kinds.
 */
import { registerExperimentKind } from '../harness/kinds.js';
import { geigerEnsembleKind } from './geiger/ensembleKind.js';
import { geigerAlphaScanKind } from './geiger/kind.js';
import { thetaPhaseDiagramKind } from './theta/kind.js';

export { geigerAlphaScanKind } from './geiger/kind.js';
export { geigerEnsembleKind, parseGeigerEnsemble } from './geiger/ensembleKind.js';
export { type GeigerScanParams, parseGeigerParams, alphaOf } from './geiger/params.js';
export { type GeigerCell, type GeigerCellTask, runGeigerCell } from './geiger/cell.js';
export { type GeigerScanOutput, runGeigerScan, analyseScan, scanTasks } from './geiger/scan.js';
export { crossingAlpha, seedVariance, collapseMeasure, type Collapse, type CollapseCurve } from './geiger/analysis.js';
export { type StopRule, type StoppedFlowOptions, type StoppedFlowResult, stoppedFlow, parameterScales } from './geiger/stoppedFlow.js';
export { thetaPhaseDiagramKind } from './theta/kind.js';
export { type ThetaScanParams, parseThetaParams } from './theta/params.js';
export { type ThetaCell, type ThetaCellTask, runThetaCell } from './theta/cell.js';
export { type ThetaScanOutput, runThetaScan, analyseTheta, thetaTasks } from './theta/scan.js';
export {
  type ThetaPoint, type ThetaConvention, type Regime, DEFAULT_CONVENTION, thetaExponents, thetaPoint, kappaExponent,
  theoreticalRegime, predictedRdExponent, classifyExponent, pointKey, pointLabel,
} from './theta/exponents.js';
export { type FrozenSpectrum, frozenSpectrum, frozenLoss, frozenTimeTo } from './theta/frozenRate.js';
export { type PhasePoint, phasePoints } from './theta/phases.js';

/** Register `geiger-alpha-scan` and `theta-phase-diagram` with the harness (idempotent). */
export function registerRegimeKinds(): void {
  registerExperimentKind(geigerAlphaScanKind);
  registerExperimentKind(geigerEnsembleKind);
  registerExperimentKind(thetaPhaseDiagramKind);
}
