/**
 * `spec.limitOptions` of the deep-linear limit, validated here (errors name
 * `limitOptions.<field>`).
 *
 * | field          | default | meaning |
 * |----------------|---------|---------|
 * | residual       | false   | residual network h^{l+1} = h^l + (β0/√L) W^l h^l/√N with L blocks |
 * | beta0          | 1       | β0 of the residual branches |
 * | solver         | causal  | plain network: `causal` (layer recursion), `joint` (all-layer single site), `picard` (full-map iteration) |
 * | maxIterations  | 3       | causal: applications of the full self-consistency map after the causal solve (0 = skip the check); picard: iteration cap (default 200) |
 * | tolerance      | 1e-8    | largest accepted fixed-point residual (relative) |
 * | divergenceFactor | 1e8   | stop as diverged when the train loss exceeds this × max(1, initial loss) |
 * | scaling        | fixed   | `fixed`: N → ∞ at fixed data (this module); `proportional`: D, P = αD, N = νD → ∞ (theory/proportional.md) |
 * | depth          | finite  | `finite`: model.depth layers (blocks); `infinite`: the residual network at L = ∞ (proportional scaling only, theory/proportional.md#depth-ode) |
 * | depthSteps     | 64      | depth-grid steps K of the L = ∞ solver (Richardson over K and 2K) |
 */
import { InputError, requireNonNegative, requirePositive, requirePositiveInt, show } from '../../core/errors.js';
import { DIVERGENCE_FACTOR } from '../../finite/runDefaults.js';

export type DeepLinearSolverName = 'causal' | 'joint' | 'picard';

export interface DeepLinearOptions {
  scaling: 'fixed' | 'proportional';
  residual: boolean;
  beta0: number;
  solver: DeepLinearSolverName;
  maxIterations: number;
  tolerance: number;
  divergenceFactor: number;
  depth: 'finite' | 'infinite';
  depthSteps: number;
}

const FIELDS = ['scaling', 'residual', 'beta0', 'solver', 'maxIterations', 'tolerance', 'divergenceFactor', 'depth', 'depthSteps'] as const;
const SOLVERS: readonly DeepLinearSolverName[] = ['causal', 'joint', 'picard'];

export function parseDeepLinearOptions(raw: Record<string, unknown> | undefined): DeepLinearOptions {
  const o = raw ?? {};
  for (const k of Object.keys(o)) {
    if (!(FIELDS as readonly string[]).includes(k)) {
      throw new InputError(`limitOptions.${k}`, `unknown option of the deeplinear limit (known: ${FIELDS.join(', ')})`);
    }
  }
  const scaling = o.scaling ?? 'fixed';
  if (scaling !== 'fixed' && scaling !== 'proportional') throw new InputError('limitOptions.scaling', `must be "fixed" or "proportional", got ${show(scaling)}`);
  const residual = o.residual ?? false;
  if (typeof residual !== 'boolean') throw new InputError('limitOptions.residual', `must be true or false, got ${show(residual)}`);
  const beta0 = requireNonNegative('limitOptions.beta0', o.beta0 ?? 1);
  const solver = o.solver ?? (residual ? 'joint' : 'causal');
  if (typeof solver !== 'string' || !(SOLVERS as readonly string[]).includes(solver)) {
    throw new InputError('limitOptions.solver', `must be one of ${SOLVERS.join(', ')}, got ${show(solver)}`);
  }
  if (residual && solver !== 'joint') {
    throw new InputError('limitOptions.solver', `the residual network is solved by the joint solver, got ${show(solver)}`);
  }
  const defaultIt = solver === 'picard' ? 200 : 3;
  const maxIterations = o.maxIterations ?? defaultIt;
  if (typeof maxIterations !== 'number' || !Number.isInteger(maxIterations) || maxIterations < 0) {
    throw new InputError('limitOptions.maxIterations', `must be a non-negative integer, got ${show(maxIterations)}`);
  }
  const tolerance = requirePositive('limitOptions.tolerance', o.tolerance ?? 1e-8);
  const divergenceFactor = requirePositive('limitOptions.divergenceFactor', o.divergenceFactor ?? DIVERGENCE_FACTOR);
  const depth = o.depth ?? 'finite';
  if (depth !== 'finite' && depth !== 'infinite') throw new InputError('limitOptions.depth', `must be "finite" or "infinite", got ${show(depth)}`);
  if (depth === 'infinite' && (scaling !== 'proportional' || !residual)) {
    throw new InputError('limitOptions.depth', '"infinite" is the residual network at L = ∞ in the proportional limit: it needs scaling "proportional" and residual true');
  }
  if (o.depthSteps !== undefined && depth !== 'infinite') throw new InputError('limitOptions.depthSteps', 'is an option of depth "infinite"');
  const depthSteps = requirePositiveInt('limitOptions.depthSteps', o.depthSteps ?? 64);
  return { scaling, residual, beta0, solver: solver as DeepLinearSolverName, maxIterations, tolerance, divergenceFactor, depth, depthSteps };
}
