/**
 * The rescaled gradient flow from a small initialization (src/regimes/kumarHaupt/flow.ts):
 * against the trainer's gradient descent (an independent implementation, in the original
 * variables), convergence in the step, and the δ → 0 limit (the NCF flow) ending at the KKT point
 * of the projected ascent.
 */
import { describe, expect, it } from 'vitest';
import { Rng } from '../../../src/core/rng.js';
import { loadData } from '../../../src/data/load.js';
import { parseActivation } from '../../../src/finite/activation.js';
import { makeLoss } from '../../../src/finite/loss.js';
import { viewParams } from '../../../src/finite/params.js';
import { trainNetwork } from '../../../src/finite/train.js';
import { crossing } from '../../../src/regimes/kumarHaupt/experiment.js';
import { norm, rescaledFlow } from '../../../src/regimes/kumarHaupt/flow.js';
import { balancedUnitDirection, homogeneousNet } from '../../../src/regimes/kumarHaupt/homogeneous.js';
import { cosine, kktByProjectedAscent } from '../../../src/regimes/kumarHaupt/kkt.js';
import { correlationProblem } from '../../../src/regimes/kumarHaupt/ncf.js';
import { parseSpec } from '../../../src/spec/validate.js';

const data = loadData(parseSpec({ data: { source: 'gaussian', n: 32, nTest: 0, dim: 8, target: 'teacher-relu', seed: 0 } }).data);
const net = homogeneousNet(8, 1, 16, 2, parseActivation('leaky_relu:0.2'));
const ncf = correlationProblem(net, data.x, data.y);
const w0 = balancedUnitDirection(net, new Rng(0).child('direction'));
const kkt = kktByProjectedAscent(ncf, w0);
const dSigma = 0.02 / (3 * kkt.value);

/** v at rescaled time s by linear interpolation between grid points. */
function stateAt(times: number[], states: Float64Array[], s: number): Float64Array {
  const i = times.findIndex((t) => t >= s);
  const f = (s - times[i - 1]) / (times[i] - times[i - 1]);
  return states[i].map((v, j) => states[i - 1][j] + f * (v - states[i - 1][j]));
}

describe('rescaled gradient flow', () => {
  it('equals the trainer’s gradient descent on ½‖H − y‖² from δŵ (δ = 0.2, τ = n t; relative distance of the weights ≤ 1e-2)', () => {
    // The trainer minimises (1/2n)‖H − y‖², so its flow time τ is n t. GD with step 0.02 in τ
    // has a global error O(step) ≈ 1e-3 relative here; grid interpolation adds O(Δs²).
    const delta = 0.2;
    const n = data.x.rows;
    const flow = rescaledFlow(ncf, w0, { delta, dSigma: dSigma / 4, maxSteps: 100_000, stop: (s) => s > 0.19 });
    const s = 0.18;
    const t = s / delta; // s = δ^{p−2} t
    const lr = 0.02;
    const steps = Math.round((t * n) / lr);
    const params0 = viewParams(net.arch, w0.map((v) => delta * v));
    const gd = trainNetwork(net.arch, params0, data, { loss: makeLoss('mse'), method: 'gd', lr, steps, recordEvery: steps, rng: new Rng(0) });
    const wGd = new Float64Array(gd.finalParams.W.flatMap((W) => Array.from(W.data)));
    const wFlow = stateAt(flow.times, flow.states, (lr * steps) / n * delta).map((v) => delta * v);
    const dist = Math.sqrt(wGd.reduce((a, v, i) => a + (v - wFlow[i]) ** 2, 0)) / norm(wFlow);
    expect(dist).toBeLessThan(1e-2);
    expect(norm(wFlow) / delta).toBeGreaterThan(1.5); // the weights did move
  });

  it('the alignment time converges at least at first order as Δσ is refined (errors shrink ≥ 1.6× per halving) and is within 1e-3 relative at the default step', () => {
    // First order: RK4's local error is O(Δs²), not O(Δs⁵), in a step that crosses a kink of the
    // leaky ReLU, which makes the global error O(Δs) (theory/kumar-haupt.md#integrator).
    const sAlign = (ds: number) => {
      const f = rescaledFlow(ncf, w0, { delta: 1e-3, dSigma: ds, maxSteps: 100_000, stop: (_s, _v, loss) => loss < 0.5 * f0loss });
      return crossing(f.times, f.states.map((v) => cosine(v, kkt.u)), 0.99);
    };
    const f0loss = 0.5 * data.y.data.reduce((a, v) => a + v * v, 0);
    const ref = sAlign(dSigma / 16);
    const e1 = Math.abs(sAlign(dSigma * 4) - ref);
    const e2 = Math.abs(sAlign(dSigma * 2) - ref);
    const e3 = Math.abs(sAlign(dSigma) - ref);
    expect(e2).toBeLessThan(e1 / 1.6);
    expect(e3).toBeLessThan(e2 / 1.6);
    expect(e3 / ref).toBeLessThan(1e-3);
  });

  it('the δ → 0 limit (NCF flow) blows up in finite rescaled time and its direction ends at the ascent’s KKT point (cos ≥ 0.9999)', () => {
    const f = rescaledFlow(ncf, w0, { delta: 0, dSigma, maxSteps: 100_000, stop: (_s, v) => norm(v) > 1e8 });
    expect(f.status).toBe('ok');
    const last = f.states[f.states.length - 1];
    expect(norm(last)).toBeGreaterThan(1e8);
    expect(cosine(last, kkt.u)).toBeGreaterThan(0.9999);
    expect(f.times[f.times.length - 1]).toBeLessThan(10);
  });
});
