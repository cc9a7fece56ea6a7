/**
 * When the NTK limit describes a network, read off its layers (src/finite/layers), never off the
 * preset's name: the frozen-kernel limit exists when every dense layer's kernel scales
 * (weightVar, biasVar, weightTangent, biasTangent; theory/ntk.md#general-layers) are the same at widths h and 2h,
 * the weights are centred, and the preset does not refuse (its `kernel` entry, presets/*.ts).
 * A width-dependent preset (standard, ip, μP's readout…) is refused with the first scale that moves;
 * naming `"limit": "ntk"` still compares it with its kernel at the finite width.
 */
import { InputError } from '../../core/errors.js';
import { denseKernelScales } from '../../finite/layers/kernelMap.js';
import { type Serial, denseLayers } from '../../finite/layers/layer.js';
import { presetNamed } from '../../finite/layers/presets/index.js';
import { networkFromModel } from '../../spec/architecture.js';
import type { Spec } from '../../spec/types.js';
import type { LimitApplies } from '../registry.js';

/** Relative change above which a scale counts as width-dependent (h → 2h moves a scale ∝ h^p by 2^p; rounding ≤ 1e-15). */
const WIDTH_TOLERANCE = 1e-9;

/** The first kernel scale of `a` that differs from `b`'s (same layers at another width), described; '' when none. */
export function movingScale(a: Serial, b: Serial): string {
  const la = denseLayers(a.layers), lb = denseLayers(b.layers);
  for (let i = 0; i < la.length; i++) {
    const sa = denseKernelScales(la[i]), sb = denseKernelScales(lb[i]);
    for (const key of ['weightVar', 'biasVar', 'weightTangent', 'biasTangent'] as const) {
      const x = sa[key], y = sb[key];
      if (Math.abs(x - y) > WIDTH_TOLERANCE * Math.max(Math.abs(x), Math.abs(y))) {
        return `layer ${i + 1} ${key}: ${x.toPrecision(4)} at h = ${a.width}, ${y.toPrecision(4)} at h = ${b.width}`;
      }
    }
  }
  return '';
}

/** Whether the frozen-kernel limit describes `model` (see the file comment). */
export function kernelLimitApplies(model: Spec['model']): LimitApplies {
  const preset = typeof model.parameterization === 'string' ? model.parameterization : 'abc';
  if (model.conv) return { ok: false, reason: 'no infinite-width kernel for convolutional networks (model.conv) is computed here' };
  let a: Serial, b: Serial;
  try {
    a = networkFromModel(model, 1, 1);
    b = networkFromModel(model, 1, 1, 2 * model.width);
  } catch (e) {
    if (e instanceof InputError) return { ok: false, reason: `${e.where}: ${e.what}` };
    throw e;
  }
  const said = presetNamed(a.preset)?.kernel?.(model.width);
  if (said && 'refuse' in said) return { ok: false, reason: said.refuse };
  if (denseLayers(a.layers).some((l) => l.initMean !== 0)) {
    return { ok: false, reason: 'non-centred initialization: the kernel recursion assumes zero-mean weights' };
  }
  const moving = movingScale(a, b);
  if (moving) {
    return {
      ok: false,
      reason: `the kernel scales of the ${preset} parameterization depend on the width (${moving}): no frozen-kernel limit ` +
        '(name "limit": "ntk" to compare with its kernel at the finite width)',
    };
  }
  return { ok: true, reason: `frozen-kernel limit of the ${preset} parameterization` };
}
