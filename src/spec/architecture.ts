/**
 * The architecture a spec describes (theory/conventions.md#presets): the one place that turns `spec.model` and the
 * data's dimensions into an {@link Architecture}. The trainer, the NTK limit and the mean-field
 * limit all call it, so the finite network and its limit read the same description.
 */
import type { Dataset } from '../data/dataset.js';
import { parseActivation } from '../finite/activation.js';
import type { Architecture } from '../finite/architecture.js';
import { buildArchitecture } from '../finite/parameterization.js';
import type { Spec } from './types.js';

/** Architecture of `spec.model` on `data` (input and output sizes), at `width` (default model.width). */
export function architectureFromSpec(spec: Spec, data: Dataset, width = spec.model.width): Architecture {
  const m = spec.model;
  return buildArchitecture({
    inputDim: data.x.cols,
    outputDim: data.y.cols,
    width,
    depth: m.depth,
    activation: parseActivation(m.activation, 'model.activation'),
    parameterization: m.parameterization,
    weightStd: m.weightStd,
    biasStd: m.biasStd,
    alpha: m.alpha,
    centred: m.centred,
    gamma0: m.gamma0,
    theta: m.theta,
    initMean: m.initMean,
    ipUnscaledBiases: m.ipUnscaledBiases,
  });
}
