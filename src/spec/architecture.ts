/**
 * The architecture a spec describes (theory/conventions.md#presets): the one place that turns `spec.model` and the
 * data's dimensions into layers (src/finite/layers) and the trainer's flat {@link Architecture}.
 * The trainer, the NTK limit and the mean-field limit all call it, so the finite network and its
 * limit read the same description.
 */
import type { Dataset } from '../data/dataset.js';
import { parseActivation } from '../finite/activation.js';
import type { Architecture } from '../finite/architecture.js';
import { buildNetwork } from '../finite/layers/build.js';
import type { Serial } from '../finite/layers/layer.js';
import { buildArchitecture } from '../finite/parameterization.js';
import type { ArchitectureOptions } from '../finite/parameterization.js';
import type { Spec } from './types.js';

function options(m: Spec['model'], inputDim: number, outputDim: number, width: number): ArchitectureOptions {
  return {
    inputDim,
    outputDim,
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
    ...(m.conv ? { conv: m.conv } : {}),
  };
}

/** Architecture of `spec.model` on `data` (input and output sizes), at `width` (default model.width). */
export function architectureFromSpec(spec: Spec, data: Dataset, width = spec.model.width): Architecture {
  return buildArchitecture(options(spec.model, data.x.cols, data.y.cols, width));
}

/** The layers of `model` for d inputs and k outputs at `width` (default model.width). */
export function networkFromModel(model: Spec['model'], inputDim: number, outputDim: number, width = model.width): Serial {
  return buildNetwork(options(model, inputDim, outputDim, width));
}
