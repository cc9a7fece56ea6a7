/**
 * Settings of the θ phase diagram (experiment kind `theta-phase-diagram`): `spec` gives the data
 * and the activation (two-layer, MSE), `params` the grid of (γ, γ'), the exponent convention and
 * the classification rule (theory/theta.md#rules).
 */
import { InputError, requireFinite, show } from '../../core/errors.js';
import type { ResolvedExperiment } from '../../harness/experiments.js';
import { Fields } from '../../spec/fields.js';
import { parseSpec } from '../../spec/validate.js';
import type { Spec } from '../../spec/types.js';
import { DEFAULT_CONVENTION, type ThetaConvention, type ThetaPoint } from './exponents.js';

export const THETA_PARAM_FIELDS = [
  'points', 'convention', 'criticalBand', 'stopLossRatio', 'horizon', 'tolerance', 'savesPerDecade', 'rateLevel', 'rateTolerance',
] as const;

/** The training and loss-rate rules shared by the two-layer and the multi-layer diagrams (theory/theta.md#rules). */
export interface ThetaRules {
  convention: ThetaConvention;
  /** |e| ≤ band is critical, e < −band linear, e > band condensed (e: fitted exponent of RD(θ_w) in m). */
  criticalBand: number;
  /** Stop when the train loss ≤ stopLossRatio × initial. */
  stopLossRatio: number;
  /** T_max = horizon · n / λ_min(Θ̂_0). */
  horizon: number;
  /** dopri5 tolerance on θ/σ before scaling by the expected motion (cell.ts). */
  tolerance: number;
  savesPerDecade: number;
  /** The loss-rate check compares the times to reach rateLevel × L(0). */
  rateLevel: number;
}

export interface ThetaScanParams extends ThetaRules {
  /** Resolved spec (parameterization theta, depth 1, loss mse). */
  spec: Spec;
  widths: number[];
  seeds: number;
  points: ThetaPoint[];
  /** θ-lazy points pass the loss-rate check when |t_frozen/t_measured − 1| ≤ rateTolerance at the largest width. */
  rateTolerance: number;
  baseDir: string;
}

/** The fields of {@link ThetaRules} from a params object (defaults of theory/theta.md#rules). */
export function parseThetaRules(f: Fields, where: string): ThetaRules {
  let convention = DEFAULT_CONVENTION;
  if (f.has('convention')) {
    const cf = Fields.of(f.raw('convention'), `${where}.convention`, ['fix', 'value']);
    convention = { fix: cf.oneOf('fix', ['p1', 'p2', 'q'] as const), value: cf.num('value', 0) };
  }
  return {
    convention,
    criticalBand: f.positive('criticalBand', 0.1),
    stopLossRatio: f.positive('stopLossRatio', 1e-3),
    horizon: f.positive('horizon', 50),
    tolerance: f.positive('tolerance', 1e-4),
    savesPerDecade: f.posInt('savesPerDecade', 6),
    rateLevel: f.positive('rateLevel', 1e-2),
  };
}

/** The frozen-kernel loss rate is the MSE one, on one output (theory/theta.md#loss-rate). */
export function requireMseOneOutput(spec: Spec, name: string): void {
  if (spec.training.loss !== 'mse') throw new InputError(`${name}.spec.training.loss`, `must be "mse" (the frozen-kernel loss rate is the MSE one), got ${show(spec.training.loss)}`);
  if (spec.data.outputs !== 1) throw new InputError(`${name}.spec.data`, `needs one output, got ${spec.data.outputs}`);
}

function parsePoint(v: unknown, where: string): ThetaPoint {
  if (Array.isArray(v) && v.length === 2) return { gamma: requireFinite(`${where}[0]`, v[0]), gammaPrime: requireFinite(`${where}[1]`, v[1]) };
  if (typeof v === 'object' && v !== null && 'gamma' in v && 'gammaPrime' in v) {
    const o = v as Record<string, unknown>;
    return { gamma: requireFinite(`${where}.gamma`, o.gamma), gammaPrime: requireFinite(`${where}.gammaPrime`, o.gammaPrime) };
  }
  throw new InputError(where, `must be [γ, γ'] or {gamma, gammaPrime}, got ${show(v)}`);
}

export function parseThetaParams(c: ResolvedExperiment): ThetaScanParams {
  const where = `${c.name}.params`;
  if (!c.spec) throw new InputError(`${c.name}.spec`, 'is required (data, model.activation)');
  const model = { parameterization: 'theta', depth: 1, ...(c.spec.model as object | undefined) };
  const spec = parseSpec({ ...c.spec, model }, `${c.name}.spec`);
  if (spec.model.parameterization !== 'theta') throw new InputError(`${c.name}.spec.model.parameterization`, `must be "theta", got ${show(spec.model.parameterization)}`);
  if (spec.model.depth !== 1) throw new InputError(`${c.name}.spec.model.depth`, `the θ phase diagram is two-layer: depth must be 1, got ${spec.model.depth}`);
  requireMseOneOutput(spec, c.name);
  const f = Fields.of(c.params ?? {}, where, THETA_PARAM_FIELDS);
  const raw = f.raw('points');
  if (!Array.isArray(raw) || raw.length === 0) throw new InputError(`${where}.points`, `must be a non-empty array of [γ, γ'], got ${show(raw)}`);
  const points = raw.map((v, i) => parsePoint(v, `${where}.points[${i}]`));
  return {
    spec, widths: c.widths, seeds: c.seeds, points, ...parseThetaRules(f, where),
    rateTolerance: f.positive('rateTolerance', 0.1),
    baseDir: c.dir,
  };
}
