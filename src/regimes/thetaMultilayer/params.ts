/**
 * Settings of the multi-layer θ diagram (experiment kind `theta-multilayer`, theory/theta.md#multilayer):
 * `spec` gives the data and the activation (MSE, one output; the depth comes from `params.depths`),
 * `params` the depths, the points (γ, γ') with an optional hidden-layer exponent ph (and, in the object
 * form, the depths at which the point runs), and the same
 * training and loss-rate rules as the two-layer diagram (../theta/params.ts).
 */
import { InputError, requireFinite, show } from '../../core/errors.js';
import type { ResolvedExperiment } from '../../harness/experiments.js';
import { Fields } from '../../spec/fields.js';
import { parseSpec } from '../../spec/validate.js';
import type { Spec } from '../../spec/types.js';
import { type ThetaRules, parseThetaRules, requireMseOneOutput } from '../theta/params.js';
import type { MultilayerPoint } from './points.js';

export const THETA_ML_FIELDS = [
  'depths', 'points', 'convention', 'criticalBand', 'stopLossRatio', 'horizon', 'tolerance', 'savesPerDecade', 'rateLevel', 'extrapolate', 'slowKernel', 'feed',
] as const;

export interface ThetaMultilayerParams extends ThetaRules {
  spec: Spec;
  widths: number[];
  seeds: number;
  /** Every point at every depth. */
  points: MultilayerPoint[];
  baseDir: string;
  /** Export `rateLimit@<point>`: the seed-mean ratio extrapolated to m → ∞ with this width exponent (extrapolation.ts). */
  extrapolate?: { exponent: number };
  /** Record the theorem's bound ratio and the kernel's motion on its slow subspace per run (../theta/slowKernel.ts). */
  slowKernel?: boolean;
  /** Record the kernel at every save time and predict the rate error to first order in its motion, split by where it acts (../theta/feedCell.ts). */
  feed?: boolean;
}

interface RawPoint { gamma: number; gammaPrime: number; ph: number; depths?: number[] }

/** `[γ, γ′]`, `[γ, γ′, ph]`, or `{ gamma, gammaPrime, ph?, depths? }` (depths: run this point only at these depths). */
function parsePoint(v: unknown, where: string): RawPoint {
  if (Array.isArray(v) && (v.length === 2 || v.length === 3)) {
    return { gamma: requireFinite(`${where}[0]`, v[0]), gammaPrime: requireFinite(`${where}[1]`, v[1]), ph: v.length === 3 ? requireFinite(`${where}[2]`, v[2]) : 0.5 };
  }
  if (typeof v === 'object' && v !== null && !Array.isArray(v)) {
    const f = Fields.of(v, where, ['gamma', 'gammaPrime', 'ph', 'depths']);
    const point: RawPoint = { gamma: requireFinite(`${where}.gamma`, f.raw('gamma')), gammaPrime: requireFinite(`${where}.gammaPrime`, f.raw('gammaPrime')), ph: f.has('ph') ? requireFinite(`${where}.ph`, f.raw('ph')) : 0.5 };
    if (f.has('depths')) point.depths = parseDepths(f.raw('depths'), `${where}.depths`);
    return point;
  }
  throw new InputError(where, `must be [γ, γ'], [γ, γ', ph] or {gamma, gammaPrime, ph?, depths?}, got ${show(v)}`);
}

function parseDepths(v: unknown, where: string): number[] {
  if (!Array.isArray(v) || v.length === 0 || !v.every((d) => Number.isInteger(d) && d >= 2 && d <= 8)) {
    throw new InputError(where, `must be a non-empty array of integers 2…8 (hidden layers), got ${show(v)}`);
  }
  return v as number[];
}

export function parseThetaMultilayerParams(c: ResolvedExperiment): ThetaMultilayerParams {
  const where = `${c.name}.params`;
  if (!c.spec) throw new InputError(`${c.name}.spec`, 'is required (data, model.activation)');
  const model = { ...(c.spec.model as object | undefined), parameterization: 'theta', depth: 2 };
  const spec = parseSpec({ ...c.spec, model }, `${c.name}.spec`);
  requireMseOneOutput(spec, c.name);
  const f = Fields.of(c.params ?? {}, where, THETA_ML_FIELDS);
  const depths = parseDepths(f.raw('depths'), `${where}.depths`);
  const raw = f.raw('points');
  if (!Array.isArray(raw) || raw.length === 0) throw new InputError(`${where}.points`, `must be a non-empty array of [γ, γ'] or [γ, γ', ph], got ${show(raw)}`);
  const pts = raw.map((v, i) => parsePoint(v, `${where}.points[${i}]`));
  // depth-major order; a point with its own `depths` runs only at those of `params.depths`
  const points = depths.flatMap((depth) => pts.filter((p) => !p.depths || p.depths.includes(depth)).map((p) => ({ depth, point: { gamma: p.gamma, gammaPrime: p.gammaPrime }, ph: p.ph })));
  const extrapolate = f.has('extrapolate') ? parseExtrapolate(f.raw('extrapolate'), `${where}.extrapolate`, c.widths) : undefined;
  const slowKernel = f.bool('slowKernel', false);
  const feed = f.bool('feed', false);
  return { spec, widths: c.widths, seeds: c.seeds, points, ...parseThetaRules(f, where), baseDir: c.dir, ...(extrapolate ? { extrapolate } : {}), ...(slowKernel ? { slowKernel } : {}), ...(feed ? { feed } : {}) };
}

/** `{exponent: p}`, p > 0, on at least three widths (two would fit the line exactly, with no check left). */
function parseExtrapolate(v: unknown, where: string, widths: readonly number[]): { exponent: number } {
  const f = Fields.of(v, where, ['exponent']);
  const exponent = requireFinite(`${where}.exponent`, f.raw('exponent'));
  if (!(exponent > 0)) throw new InputError(`${where}.exponent`, `must be > 0, got ${show(exponent)}`);
  if (new Set(widths).size < 3) throw new InputError(where, `needs at least three widths, got ${show(widths)}`);
  return { exponent };
}
