/**
 * The layers of a convolutional network (theory/finite.md#convolution) from the model options:
 * [input pooling p×p], then `depth` times (k×k convolution with h channels, φ, [2×2 average
 * pooling]), global average pooling, a dense read-out to k outputs and the output layer (α, centring).
 *
 * Width scaling: the parameterization's preset builds the MLP with input dimension C·k², width h and
 * `depth` hidden layers; convolution l takes dense layer l's init, rate and bias, and its multiplier
 * rescaled from the dense fan-in to the convolution's fan-in C_in·k² (m·√(n_in/(C_in k²))), so that
 * m = σ_w/√(C_in k²) under the NTK scaling; the read-out is the preset's last dense layer (fan-in h).
 * The rescaling is the NTK one (the fan-in sits in the multiplier), so only the presets whose
 * multipliers are σ_w/√n_in are accepted: ntk and geiger.
 */
import { InputError, show } from '../../core/errors.js';
import type { Activation } from '../activation.js';
import type { Conv2dShape } from '../conv/conv2d.js';
import type { ConvLayer, Layer, Serial } from './layer.js';
import { type ArchitectureOptions, findPreset } from './presets/index.js';
import type { ConvOptions } from './presets/options.js';

/** Presets whose multipliers carry the fan-in (σ_w/√n_in): the ones a convolution can rescale. */
export const CONV_PRESETS: readonly string[] = ['ntk', 'geiger'];

function checkConv(c: ConvOptions, d: number): void {
  const int = (k: keyof ConvOptions, v: number, min: number) => {
    if (!Number.isInteger(v) || v < min) throw new InputError(`model.conv.${k}`, `must be an integer ≥ ${min}, got ${show(v)}`);
  };
  int('channels', c.channels, 1); int('height', c.height, 1); int('width', c.width, 1); int('kernel', c.kernel, 1); int('inputPool', c.inputPool, 1);
  if (c.kernel % 2 !== 1) throw new InputError('model.conv.kernel', `must be odd ('same' padding (k − 1)/2), got ${c.kernel}`);
  if (c.channels * c.height * c.width !== d) {
    throw new InputError('model.conv', `image ${c.channels}×${c.height}×${c.width} = ${c.channels * c.height * c.width} values, but the inputs have dimension ${d}`);
  }
  if (c.height % c.inputPool !== 0 || c.width % c.inputPool !== 0) {
    throw new InputError('model.conv.inputPool', `${c.inputPool}×${c.inputPool} windows do not tile a ${c.height}×${c.width} image`);
  }
}

/** The network `o` describes when `o.conv` is set (see the file comment). */
export function buildConvNetwork(o: ArchitectureOptions & { conv: ConvOptions }, alpha: number): Serial {
  const { inputDim: d, outputDim: k, width: h, depth: L, activation, conv } = o;
  checkConv(conv, d);
  const preset = findPreset(o.parameterization);
  if (!preset || !CONV_PRESETS.includes(preset.name)) {
    throw new InputError('model.parameterization', `convolutional layers are built for the parameterizations ${CONV_PRESETS.join(', ')} (fan-in in the multiplier), got ${show(o.parameterization)}`);
  }
  const q = conv.kernel;
  const built = preset.build({ o, d: conv.channels * q * q, h, L, k, sw: o.weightStd ?? 1, sb: o.biasStd ?? 0 });
  const layers: Layer[] = [];
  let c = conv.channels, H = conv.height, W = conv.width;
  if (conv.inputPool > 1) {
    layers.push({ kind: 'pool', channels: c, height: H, width: W, window: conv.inputPool });
    H /= conv.inputPool; W /= conv.inputPool;
  }
  for (let l = 0; l < L; l++) {
    const dl = built.dense[l];
    const shape: Conv2dShape = { cIn: c, cOut: h, height: H, width: W, kh: q, kw: q, pad: (q - 1) / 2 };
    const lay: ConvLayer = {
      kind: 'conv2d', shape, multiplier: dl.multiplier * Math.sqrt(dl.nIn / (c * q * q)),
      initStd: dl.initStd, initMean: dl.initMean, rate: dl.rate, bias: dl.bias,
    };
    layers.push(lay, { kind: 'activation', activation });
    c = h;
    if (conv.pool && H % 2 === 0 && W % 2 === 0) {
      layers.push({ kind: 'pool', channels: c, height: H, width: W, window: 2 });
      H /= 2; W /= 2;
    }
  }
  layers.push({ kind: 'pool', channels: c, height: H, width: W, window: 0 }, built.dense[L]);
  const centred = o.centred ?? preset.centredByDefault ?? false;
  layers.push({ kind: 'output', alpha, centred });
  return { inputDim: d, outputDim: k, width: h, preset: preset.name, layers };
}

/** The activation of a network's φ layers (for the callers that need one; conv nets share one φ). */
export function convActivation(net: Serial): Activation | undefined {
  const a = net.layers.find((l) => l.kind === 'activation');
  return a?.kind === 'activation' ? a.activation : undefined;
}
