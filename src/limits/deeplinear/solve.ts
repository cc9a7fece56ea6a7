/**
 * One entry point for the deep-linear limit: picks the solver for the architecture and γ0,
 * checks the fixed point, and turns a residual above tolerance into status `not-converged`
 * (theory/deeplinear.md#fixed-point).
 *
 * - γ0 = 0 (NTK parameterization): the frozen kernel K = κ K^x (exact.ts), any architecture;
 * - plain: the causal layer recursion (causal.ts), then up to `maxIterations` applications of the
 *   full self-consistency map (fullMap.ts) while the residual exceeds `tolerance`; or `joint` /
 *   `picard` on request;
 * - residual: the joint single-site solver (joint.ts), whose residual is that of the prediction
 *   identity f = K^x a.
 */
import { mat } from '../../core/matrix.js';
import { solvePlainCausal } from './causal.js';
import { frozenKernelGd } from './exact.js';
import { applyFullMap, solutionOfState, solvePlainPicard } from './fullMap.js';
import { solveJoint } from './joint.js';
import type { DeepLinearOptions } from './options.js';
import { type DeepLinearProblem, branchScale, checkProblem, initialKernelFactor } from './problem.js';
import { type DeepLinearSolution, mseCurve } from './solution.js';

export interface SolveOptions extends Partial<DeepLinearOptions> {
  progress?: (fraction: number) => void;
}

/** Solve `p`; never throws on numerical failure (status and message say what happened). */
export function solveDeepLinear(p: DeepLinearProblem, o: SolveOptions = {}): DeepLinearSolution {
  checkProblem(p);
  if (p.gamma0 === 0) return solveFrozen(p);
  const tol = o.tolerance ?? 1e-8;
  const common = { progress: o.progress, divergenceFactor: o.divergenceFactor };
  if (p.architecture.kind === 'residual' || o.solver === 'joint') return withTolerance(solveJoint(p, common), tol);
  if (o.solver === 'picard') return solvePlainPicard(p, { ...common, maxIterations: o.maxIterations ?? 200, tolerance: Math.min(tol, 1e-12) });
  const { solution, state } = solvePlainCausal(p, common);
  const maxIt = o.maxIterations ?? 3;
  if (maxIt === 0 || solution.status !== 'ok') return withTolerance(solution, tol);
  // Fixed-point check: apply the full map; refine (Picard) while the change exceeds tol.
  let st = state;
  let f: Float64Array = Float64Array.from(solution.f);
  let change = Infinity;
  let it = 0;
  while (it < maxIt) {
    const r = applyFullMap(st, p.y, f);
    change = r.change;
    it++;
    if (!(change > tol)) break;
    st = r.state;
    f = r.f;
  }
  const stats = { ...solution.stats, fixedPointResidual: change, fixedPointIterations: it };
  if (it === 1 && change <= tol) return { ...solution, residual: Math.max(change, solution.residual), stats };
  const ok = change <= tol;
  return solutionOfState(p, st, f, ok ? 'ok' : Number.isFinite(change) ? 'not-converged' : 'nan',
    ok ? '' : `fixed-point residual ${change.toExponential(3)} after ${it} applications of the self-consistency map exceeds the tolerance ${tol}`,
    stats, change);
}

function withTolerance(s: DeepLinearSolution, tol: number): DeepLinearSolution {
  if (s.status !== 'ok' || s.residual <= tol) return s;
  return { ...s, status: 'not-converged', message: `fixed-point residual (prediction identity f = K^x a) ${s.residual.toExponential(3)} exceeds the tolerance ${tol}` };
}

/**
 * γ0 = 0: the kernels stay at their initial values (H^r = (1+β²)^r K^x, G^r = (1+β²)^{R−1−r},
 * β = 0 for the plain chain; not stored), K = κ K^x, f(t+1) = f(t) + (η/P) K Δ(t), and
 * a(t) = κ (η/P) Σ_{s<t} Δ(s).
 */
function solveFrozen(p: DeepLinearProblem): DeepLinearSolution {
  const t0 = performance.now();
  const P = p.y.length;
  const Tc = p.steps + 1;
  const kappa = initialKernelFactor(p.architecture, p.depth);
  const f = frozenKernelGd(p.kx, kappa, p.y, p.lr, p.steps);
  const a = new Float64Array(Tc * P);
  for (let t = 1; t < Tc; t++) {
    for (let nu = 0; nu < P; nu++) a[t * P + nu] = a[(t - 1) * P + nu] + kappa * (p.lr / P) * (p.y[nu] - f[(t - 1) * P + nu]);
  }
  const b = p.architecture.kind === 'residual' ? branchScale(p) : 1;
  const K = mat(P, P);
  for (let i = 0; i < P * P; i++) K.data[i] = kappa * p.kx.data[i];
  const bad = f.findIndex((v) => !Number.isFinite(v));
  return {
    status: bad >= 0 ? 'nan' : 'ok',
    message: bad >= 0 ? `frozen-kernel dynamics became non-finite at step ${Math.floor(bad / P)} (lr above 2P/λ_max?)` : '',
    P, T: Tc, Tcap: Tc, f, a, trainLoss: mseCurve(f, p.y, Tc), H: [], G: [], frozenKernel: K, blockScale: b, residual: 0,
    stats: { solver: 'frozen-kernel', kernelFactor: kappa, seconds: (performance.now() - t0) / 1000 },
  };
}
