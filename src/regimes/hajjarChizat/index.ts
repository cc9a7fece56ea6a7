/**
 * Hajjar & Chizat 2023 (arXiv 2211.08771): symmetries of the two-layer mean-field dynamics —
 * symmetry measures, the i.i.d.-initialized particle experiment and its harness kind.
 */
import { registerExperimentKind } from '../../harness/kinds.js';
import { hajjarChizatSymmetriesKind } from './kind.js';
import { hajjarChizatSubspaceKind } from './subspaceKind.js';

export { evenPartNorm, oddPartNorm, perpendicularAsymmetry, weightedAlignment } from './symmetry.js';
export { runSymmetries } from './symmetries.js';
export type { SymmetriesConfig, SymmetriesResult, SymmetryTarget } from './symmetries.js';
export { hajjarChizatSymmetriesKind, parseSymmetries } from './kind.js';
export { runSubspace } from './subspace.js';
export type { SubspaceConfig, SubspaceResult } from './subspace.js';
export { hajjarChizatSubspaceKind, parseSubspace } from './subspaceKind.js';

/** Register the kinds `hajjar-chizat-symmetries` and `hajjar-chizat-subspace` with the harness (idempotent). */
export function registerHajjarChizatKinds(): void {
  registerExperimentKind(hajjarChizatSymmetriesKind);
  registerExperimentKind(hajjarChizatSubspaceKind);
}
