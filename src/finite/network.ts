/**
 * The function actually trained (theory/conventions.md#presets):
 *
 *   f(x) = α · (F_θ(x) − [centred] F_{θ0}(x)),
 *
 * F the raw network output of forward.ts, θ0 the initial parameters. When centred, the network
 * keeps a copy of θ0 and caches F_{θ0} on the fixed training and test inputs, so that only the
 * live network is evaluated during training.
 */
import { type Mat, mat, assertShape } from '../core/matrix.js';
import type { Architecture } from './architecture.js';
import { backward } from './fused/backward.js';
import { type ForwardWorkspace, createWorkspace, forwardCached, forwardRaw } from './fused/forward.js';
import { type Loss, lossAndGradient } from './loss.js';
import { type Params, allocParams, cloneParams } from './params.js';

export interface Network {
  readonly arch: Architecture;
  /** Live parameters (the trainer updates them in place). */
  readonly params: Params;
  /** A copy of the initial parameters when centred, else null. */
  readonly params0: Params | null;
  /** F_{θ0} on the training / test inputs given at creation (centred only), n × k. */
  readonly f0Train: Mat | null;
  readonly f0Test: Mat | null;
  /** f(x), n × k. */
  outputs(x: Mat): Mat;
}

/**
 * A network over `params` (taken as the initial θ0 when centred). `inputs.train` / `inputs.test`
 * are the fixed inputs on which F_{θ0} is cached; `outputs` recognises them by identity.
 */
export function createNetwork(
  arch: Architecture,
  params: Params,
  inputs: { train?: Mat; test?: Mat } = {},
): Network {
  const params0 = arch.centred ? cloneParams(params) : null;
  const f0Train = params0 && inputs.train ? forwardRaw(arch, params0, inputs.train) : null;
  const f0Test = params0 && inputs.test ? forwardRaw(arch, params0, inputs.test) : null;
  const f0 = (x: Mat): Mat | null => {
    if (!params0) return null;
    if (x === inputs.train && f0Train) return f0Train;
    if (x === inputs.test && f0Test) return f0Test;
    return forwardRaw(arch, params0, x);
  };
  return {
    arch, params, params0, f0Train, f0Test,
    outputs: (x) => outputMap(arch, forwardRaw(arch, params, x), f0(x)),
  };
}

/** out ← α (F − F0) (F0 null: α F). `out` may be F itself. */
export function outputMap(arch: Architecture, F: Mat, F0: Mat | null, out: Mat = mat(F.rows, F.cols)): Mat {
  assertShape('outputMap(out)', out, F.rows, F.cols);
  const a = arch.alpha, fd = F.data, od = out.data;
  if (F0) {
    assertShape('outputMap(F0)', F0, F.rows, F.cols);
    const gd = F0.data;
    for (let i = 0; i < fd.length; i++) od[i] = a * (fd[i] - gd[i]);
  } else {
    for (let i = 0; i < fd.length; i++) od[i] = a * fd[i];
  }
  return out;
}

/** Inputs, targets, F_{θ0} (centred, else null) and buffers of one evaluation set of n points. */
export interface EvalSet {
  x: Mat;
  y: Mat;
  F0: Mat | null;
  ws: ForwardWorkspace;
  /** f = α(F − F0), n × k (written). */
  f: Mat;
  /** ∂Loss/∂f, n × k (written when gradients are asked). */
  g: Mat;
}

/** Buffers for evaluating on (x, y); F0 as given (pass F_{θ0}(x) when centred). */
export function createEvalSet(arch: Architecture, x: Mat, y: Mat, F0: Mat | null = null): EvalSet {
  return { x, y, F0, ws: createWorkspace(arch, x.rows), f: mat(x.rows, arch.outputDim), g: mat(x.rows, arch.outputDim) };
}

/**
 * Training loss Loss = (1/(α² n)) Σ ℓ(f, y) of `params` on `e` (f left in e.f). With `grads`,
 * also ∂Loss/∂θ into `grads` by backprop seeded with ∂Loss/∂F = α ∂Loss/∂f. No allocation.
 * An empty set gives NaN.
 */
export function evalTrainingLoss(arch: Architecture, loss: Loss, params: Params, e: EvalSet, grads: Params | null): number {
  const F = forwardCached(arch, params, e.x, e.ws, grads !== null);
  outputMap(arch, F, e.F0, e.f);
  if (e.x.rows === 0) return NaN;
  const value = lossAndGradient(loss, e.f, e.y, arch.alpha, grads ? e.g : undefined);
  if (grads) {
    const seed = e.ws.delta[arch.layers.length - 1].data, g = e.g.data, a = arch.alpha;
    for (let i = 0; i < seed.length; i++) seed[i] = a * g[i];
    backward(arch, params, e.x, e.ws, grads);
  }
  return value;
}

/**
 * Loss and its gradient with respect to every W^l and b^l (allocating convenience form of
 * {@link evalTrainingLoss}). `F0` is F_{θ0}(x) when the architecture is centred.
 */
export function lossGradient(
  arch: Architecture, loss: Loss, params: Params, x: Mat, y: Mat, F0: Mat | null = null,
): { loss: number; grads: Params; f: Mat } {
  if (arch.centred && !F0) throw new RangeError('lossGradient: a centred architecture needs F0 = F_{θ0}(x)');
  const e = createEvalSet(arch, x, y, arch.centred ? F0 : null);
  const { params: grads } = allocParams(arch);
  const value = evalTrainingLoss(arch, loss, params, e, grads);
  return { loss: value, grads, f: e.f };
}
