/**
 * Calibrated first-step rates of IP-LLR (Hajjar, Chizat, Giraud 2021, arXiv 2110.15596, §4,
 * "IP-LLR"; the authors' code, `WarmupSwitchLR.calibrate_base_lr`; theory/ip.md#llr-calibration).
 *
 * The first-step rates r_l = h^{(L+1)/2} (first, last), h^{(L+2)/2} (intermediate) make every
 * layer's first update Θ(1) in the width, but the constant is a product of base rates: with one
 * base rate η the update of the pre-activations of layer l is O(η^l), so at η = 0.01 and L = 6
 * the first step hardly moves the output at any width we can afford. The authors therefore fix
 * one base rate per layer:
 *
 * 1. one gradient step with base rate 1 and rates r_l on batch A, from θ0: ΔW^l, Δb^l;
 * 2. on batch B, layer by layer from x^0 = x: `init = m_l x W0ᵀ + β b0`, `upd = m_l x ΔWᵀ + β Δb`,
 *    `c_l = 1 / mean|upd|`, `x ← φ(init + c_l upd)` (no φ at the output).
 *
 * Since ΔW^l is linear in layer l's base rate, a first step with base rates c_l moves every
 * layer's pre-activations by mean |·| = 1 on the calibrated inputs. The result is an
 * Architecture whose `firstStepRates` are c_l r_l / lr, so that the trainer's first step (which
 * multiplies by lr) uses c_l r_l.
 */
import { gemm } from '../../core/gemm.js';
import { type Mat, mat } from '../../core/matrix.js';
import type { Architecture } from '../../finite/architecture.js';
import { activateInPlace, forwardRaw } from '../../finite/fused/forward.js';
import type { Loss } from '../../finite/loss.js';
import { createEvalSet, evalTrainingLoss } from '../../finite/network.js';
import { type Params, allocParams } from '../../finite/params.js';

export interface FirstStepCalibration {
  /** c_l: base rate of layer l's first step (one per layer, input to output). */
  baseRates: number[];
  /** The architecture with `firstStepRates` = c_l r_l / lr. */
  arch: Architecture;
}

/**
 * Calibrate `arch` (which must have `firstStepRates`, i.e. come from the `ip-llr` preset) at θ0
 * = `params0`: step on (xA, yA), measure on xB. `lr` is the base rate the trainer will use.
 * A layer whose update is identically zero keeps c_l = 1.
 */
export function calibrateFirstStep(
  arch: Architecture, params0: Params, loss: Loss, xA: Mat, yA: Mat, xB: Mat, lr: number,
): FirstStepCalibration {
  const fsr = arch.firstStepRates;
  if (!fsr) throw new RangeError('calibrateFirstStep: the architecture has no first-step rates (use the ip-llr preset)');
  const { params: grads } = allocParams(arch);
  evalTrainingLoss(arch, loss, params0, createEvalSet(arch, xA, yA, arch.centred ? forwardRaw(arch, params0, xA) : null), grads);
  const L = arch.layers.length - 1;
  const baseRates: number[] = [];
  let x = xB;
  for (let l = 0; l <= L; l++) {
    const lay = arch.layers[l];
    const n = xB.rows;
    const init = mat(n, lay.nOut);
    const upd = mat(n, lay.nOut);
    gemm(false, true, lay.multiplier, x, params0.W[l], 0, init);
    // ΔW = −r ∇W (base rate 1): upd = m x ΔWᵀ = −m r x ∇Wᵀ
    gemm(false, true, -lay.multiplier * fsr.weights[l], x, grads.W[l], 0, upd);
    const b0 = params0.b[l], gb = grads.b[l];
    if (lay.bias && b0 && gb) {
      addRow(init, b0, lay.bias.multiplier);
      addRow(upd, gb, -lay.bias.multiplier * fsr.biases[l]);
    }
    const meanAbs = upd.data.reduce((s, v) => s + Math.abs(v), 0) / upd.data.length;
    const c = meanAbs > 0 && Number.isFinite(meanAbs) ? 1 / meanAbs : 1;
    baseRates.push(c);
    for (let i = 0; i < init.data.length; i++) init.data[i] += c * upd.data[i];
    if (l < L) activateInPlace(arch.activation, init.data, null);
    x = init;
  }
  const scale = (r: readonly number[]) => r.map((v, l) => (baseRates[l] * v) / lr);
  return { baseRates, arch: { ...arch, firstStepRates: { weights: scale(fsr.weights), biases: scale(fsr.biases) } } };
}

function addRow(z: Mat, b: Float64Array, s: number): void {
  for (let i = 0; i < z.rows; i++) for (let j = 0; j < z.cols; j++) z.data[i * z.cols + j] += s * b[j];
}
