/**
 * From model options to layers and back to the trainer's flat {@link Architecture}: a preset
 * (presets/index.ts) builds the dense layers, {@link buildNetwork} composes them with φ and the
 * output scale (or, with `conv` options, builds a convolutional network: convBuild.ts), and {@link toArchitecture} reads an MLP (dense–φ–…–dense–output, no residual
 * block) into the per-layer numbers the fused trainer (forward.ts, backward.ts) runs on.
 */
import { InputError, requirePositive, show } from '../../core/errors.js';
import type { Activation } from '../activation.js';
import type { Architecture, LayerParams } from '../architecture.js';
import { buildConvNetwork } from './convBuild.js';
import { type DenseLayer, type Layer, type Serial, mlp } from './layer.js';
import { type ArchitectureOptions, findPreset, presetNames } from './presets/index.js';

/** The network a preset (or abc object) describes: dense layers 0..L with φ between, then α and centring. */
export function buildNetwork(o: ArchitectureOptions): Serial {
  const { inputDim: d, outputDim: k, width: h, depth: L, activation } = o;
  const alpha = requirePositive('model.alpha', o.alpha ?? 1);
  if (o.conv) return buildConvNetwork({ ...o, conv: o.conv }, alpha);
  const preset = findPreset(o.parameterization);
  if (!preset) {
    throw new InputError('model.parameterization', `unknown parameterization ${show(o.parameterization)} (known: ${presetNames().join(', ')}, or an object {a, b, c})`);
  }
  const built = preset.build({ o, d, h, L, k, sw: o.weightStd ?? 1, sb: o.biasStd ?? 0 });
  const centred = o.centred ?? preset.centredByDefault ?? false;
  return {
    inputDim: d, outputDim: k, width: h, preset: preset.name,
    layers: mlp(built.dense, activation, { kind: 'output', alpha, centred }),
    ...(built.firstStepRates ? { firstStepRates: built.firstStepRates } : {}),
  };
}

/** The activation of an MLP's layers (all φ layers share it); undefined when there is none (L = 0). */
function mlpActivation(layers: readonly Layer[]): Activation | undefined {
  let act: Activation | undefined;
  for (const l of layers) {
    if (l.kind === 'residual') throw new InputError('model', 'the trainer runs MLPs: residual blocks are read by the linear trainer (linear.ts)');
    if (l.kind === 'conv2d' || l.kind === 'pool') {
      throw new InputError('model.conv', 'the MLP trainer runs dense layers only: convolutional networks are trained through their layers (src/finite/layers/batched.ts; experiment kind geiger-conv)');
    }
    if (l.kind !== 'activation') continue;
    if (act && act !== l.activation) throw new InputError('model.activation', 'the trainer runs one activation in every hidden layer');
    act = l.activation;
  }
  return act;
}

/**
 * The flat architecture of an MLP (dense and φ alternating, one optional output layer last).
 * `activation` is used when the network has no hidden layer.
 */
export function toArchitecture(net: Serial, activation?: Activation): Architecture {
  const dense: LayerParams[] = [];
  let alpha = 1;
  let centred = false;
  for (const l of net.layers) {
    if (l.kind === 'dense') dense.push({ nIn: l.nIn, nOut: l.nOut, multiplier: l.multiplier, initStd: l.initStd, initMean: l.initMean, rate: l.rate, bias: l.bias });
    else if (l.kind === 'output') ({ alpha, centred } = l);
  }
  const act = mlpActivation(net.layers) ?? activation;
  if (!act) throw new InputError('model.activation', 'a network with no hidden layer needs its activation named');
  return {
    inputDim: net.inputDim, outputDim: net.outputDim, width: net.width, depth: dense.length - 1, activation: act,
    layers: dense, alpha, centred, firstStepRates: net.firstStepRates, parameterization: net.preset,
  };
}

/** The layers of a flat architecture (the inverse of {@link toArchitecture}: init files, regime variants). */
export function fromArchitecture(arch: Architecture): Serial {
  const dense = arch.layers.map((l): DenseLayer => ({ kind: 'dense', ...l }));
  return {
    inputDim: arch.inputDim, outputDim: arch.outputDim, width: arch.width, preset: arch.parameterization,
    layers: mlp(dense, arch.activation, { kind: 'output', alpha: arch.alpha, centred: arch.centred }),
    ...(arch.firstStepRates ? { firstStepRates: arch.firstStepRates } : {}),
  };
}
