/**
 * `widelimit limit` with `"limitOptions": {"scaling": "proportional"}` on the deep-linear limit:
 * the spec's finite network read in the units of theory/proportional.md#units and solved at
 * D → ∞ with α = data.n/data.dim, ν = model.width/data.dim fixed.
 *
 * The spec's network (output 1/(γ0 N), rate lr·γ0²·N, loss (1/2P)Σ(f − y)², weightStd 1) is the
 * proportional network with γ̄ = γ0·√D and η = lr/D; ntk is γ̄ = 1/√ν with η = lr/D. Data: gaussian
 * inputs, target "linear" (β* ~ N(0, I)), label noise data.noise. Training: gd is repeated data
 * (α = n/dim); sgd is read as one-pass SGD with κ = batchSize/dim (a fresh batch every step).
 * Result: times = steps (the limit's unit), trainLoss and testLoss (population loss, noise
 * included), no per-point outputs (a data point has no limit of its own here).
 *
 * With `residual` (limitOptions residual/beta0/depth): the residual network of
 * theory/proportional.md#residual-network with model.depth blocks (block recursion), or at L = ∞
 * the depth ODE of theory/proportional.md#depth-ode (model.depth ignored).
 */
import { InputError, show } from '../../core/errors.js';
import type { RunResult } from '../../spec/result.js';
import { VERSION } from '../../spec/version.js';
import type { Spec } from '../../spec/types.js';
import { ISOTROPIC, type ProportionalProblem } from './problem.js';
import { solveInfiniteDepth } from './depthOde.js';
import { solveResidualProportional } from './residual.js';
import { type ProportionalSolution, solveProportional } from './solve.js';

/** Residual options of the proportional limit (from the deep-linear limitOptions). */
export interface ProportionalResidual {
  beta0: number;
  infinite: boolean;
  depthSteps: number;
}

function solveSpec(problem: ProportionalProblem, residual: ProportionalResidual | undefined, progress?: (f: number) => void): { sol: ProportionalSolution; solver: string } {
  if (!residual) return { sol: solveProportional(problem, { progress, residual: problem.steps <= 2000 }), solver: 'proportional-causal' };
  if (residual.infinite) return { sol: solveInfiniteDepth(problem, residual.beta0, residual.depthSteps), solver: 'proportional-depth-ode' };
  if (problem.depth < 1) throw new InputError('model.depth', `the residual network needs at least one block, got ${problem.depth}`);
  return { sol: solveResidualProportional(problem, problem.depth, residual.beta0), solver: 'proportional-residual-blocks' };
}

/** The proportional problem a spec describes (InputError naming the field otherwise). */
export function proportionalProblemOf(spec: Spec): ProportionalProblem {
  const d = spec.data;
  if (d.source !== 'gaussian') throw new InputError('data.source', `the proportional limit needs gaussian inputs, got ${show(d.source)}`);
  if (d.target !== 'linear') throw new InputError('data.target', `the proportional limit needs the linear teacher ("linear"), got ${show(d.target)}`);
  const D = d.dim;
  const m = spec.model;
  const p = m.parameterization;
  if (p !== 'meanfield' && p !== 'ntk') throw new InputError('model.parameterization', `the proportional limit needs meanfield (μP) or ntk, got ${show(p)}`);
  const nu = m.width / D;
  const t = spec.training;
  let data: ProportionalProblem['data'];
  if (t.method === 'gd') data = { kind: 'repeated', alpha: d.n / D };
  else if (t.method === 'sgd') data = { kind: 'online', batchRatio: (t.batchSize ?? d.n) / D };
  else throw new InputError('training.method', `the proportional limit is solved for gd (repeated data) or sgd (one pass), got ${show(t.method)}`);
  return {
    depth: m.depth, nu, data, spectrum: ISOTROPIC,
    gammaBar: p === 'ntk' ? 1 / Math.sqrt(nu) : m.gamma0 * Math.sqrt(D),
    eta: t.lr / D,
    sigma: d.noise ?? 0,
    steps: t.steps,
  };
}

function recorded(every: number, last: number): number[] {
  const out: number[] = [];
  for (let s = 0; s <= last; s += every) out.push(s);
  if (out[out.length - 1] !== last) out.push(last);
  return out;
}

export function runProportionalLimit(spec: Spec, progress?: (f: number) => void, residual?: ProportionalResidual): RunResult {
  const t0 = performance.now();
  const problem = proportionalProblemOf(spec);
  const { sol, solver } = solveSpec(problem, residual, progress);
  let last = sol.testLoss.length - 1;
  while (last > 0 && !Number.isFinite(sol.testLoss[last])) last--;
  const steps = recorded(spec.training.recordEvery, last);
  return {
    status: sol.status,
    message: sol.message,
    times: steps.map((s) => s * spec.training.lr),
    steps,
    trainLoss: steps.map((s) => sol.trainLoss[s]),
    testLoss: steps.map((s) => sol.testLoss[s]),
    fTrain: [],
    fTest: [],
    spec,
    meta: {
      version: VERSION, seed: spec.seed, seconds: (performance.now() - t0) / 1000, kind: 'limit', limit: 'deeplinear',
      scaling: 'proportional',
      ...(residual ? { beta0: residual.beta0, blocks: residual.infinite ? 'infinite' : problem.depth } : {}),
      alpha: problem.data.kind === 'repeated' ? problem.data.alpha : undefined,
      batchRatio: problem.data.kind === 'online' ? problem.data.batchRatio : undefined,
      nu: problem.nu, gammaBar: problem.gammaBar, eta: problem.eta,
      timeUnit: 'flow time lr·steps (gradient descent: exact at every step)',
      references: ['bordelon2025'],
    },
    stats: { solver, residual: sol.residual },
  };
}
