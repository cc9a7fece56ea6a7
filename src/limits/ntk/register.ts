/**
 * The NTK limit in the Limit registry (src/limits/registry.ts): the frozen-kernel dynamics of
 * every parameterization with a kernel limit (theory/ntk.md#predictor), run path-wise from each
 * network's own f₀ in a sweep.
 */
import { parseActivation } from '../../finite/activation.js';
import type { CitationKey } from '../../spec/citations.js';
import type { Spec } from '../../spec/types.js';
import type { Limit, LimitExpectation } from '../registry.js';
import { kernelLimitApplies } from './applies.js';
import { prepareNtkLimit, runNtkLimit } from './limit.js';


/** ReLU-like activations (ABReLU with a ≠ b): their derivative jumps at 0. */
function isKinked(activation: string): boolean {
  try {
    const f = parseActivation(activation).family;
    return (f.kind === 'abrelu' && f.a !== f.b) || (f.kind === 'smooth' && f.kinked);
  } catch {
    return false;
  }
}

/**
 * Default expectations (theory/harness.md#expected-exponents): output, loss and initial-kernel
 * distances ∝ h^{−1/2} (Jacot et al. 2018; Lee et al. 2019, Thm 2.1); the seed variance ∝ h^{−1}
 * (Geiger et al. 2020; tolerance doubled: it is a squared distance); the total relative weight
 * motion ∝ h^{−1/2} for one hidden layer and ∝ h^{−1} with hidden-to-hidden layers (their O(h²)
 * entries dominate ‖θ_0‖) [derived]; the kernel motion of a one-hidden-layer net ∝ h^{−3/4} for
 * ReLU-like φ (activation-pattern flips) and ∝ h^{−1} for smooth φ [derived], and for deeper nets
 * only Lee et al.'s bound: at most h^{−1/2}.
 */
function expectations(spec: Spec): LimitExpectation[] {
  const tol = 0.1;
  const lazy = (metric: string, exponent = -0.5, tolerance = tol): LimitExpectation => ({ metric, exponent, tolerance });
  const shallow = spec.model.depth <= 1;
  const kernelMotion: LimitExpectation = shallow
    ? lazy('kernelMotion', isKinked(spec.model.activation) ? -0.75 : -1)
    : { metric: 'kernelMotion', exponent: -0.5, tolerance: tol, relation: 'atMost' };
  return [
    lazy('fTrainSup'), lazy('fTestSup'), lazy('lossSup'), lazy('kernelInit'), kernelMotion,
    lazy('weightMotion', shallow ? -0.5 : -1),
    lazy('seedVariance', -1, 2 * tol),
  ];
}

export const ntkLimit: Limit = {
  name: 'ntk',
  pathwise: true,
  applies: (model) => kernelLimitApplies(model),
  prepare: (spec, data) => prepareNtkLimit(spec, data),
  run: (spec, opts) => runNtkLimit(spec, opts),
  citations: (spec): CitationKey[] => ['jacot2018', 'lee2019', 'arora2019', ...(/relu|abs/.test(spec.model.activation) ? ['cho2009' as const] : []), 'geiger2020'],
  expectations,
};
