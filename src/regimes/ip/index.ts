/**
 * Integrable parameterizations at depth (Hajjar, Chizat, Giraud 2021, arXiv 2110.15596):
 * variants, first-step calibration of IP-LLR, the experiment and its harness kind.
 */
import { registerExperimentKind } from '../../harness/kinds.js';
import { ipDepthKind } from './kind.js';
import { ipLlrMupKind } from './llrMupKind.js';
import { ipSweepKind } from './sweepKind.js';

export { DEFAULT_IP_VARIANTS, parseIpVariant, variantArchitecture } from './variants.js';
export type { IpVariant, IpVariantKind, NetworkShape } from './variants.js';
export { calibrateFirstStep } from './calibrate.js';
export type { FirstStepCalibration } from './calibrate.js';
export { runIpCell } from './cell.js';
export type { IpCellResult, IpNetwork, IpTraining } from './cell.js';
export { runIpExperiment } from './experiment.js';
export type { IpExperimentConfig, IpExperimentResult } from './experiment.js';
export { ipDepthKind, parseIpKind } from './kind.js';
export { ipSweepKind, parseIpSweep, sweepMetric } from './sweepKind.js';
export { firstStepExcess, firstSteps, runLlrMupCell } from './llrMup.js';
export { ipLlrMupKind, parseLlrMup } from './llrMupKind.js';

/** Register the kinds `ip-depth`, `ip-sweep` and `ip-llr-mup` with the harness (idempotent). */
export function registerIpKinds(): void {
  registerExperimentKind(ipDepthKind);
  registerExperimentKind(ipSweepKind);
  registerExperimentKind(ipLlrMupKind);
}
