/**
 * Settings of the Geiger α-scan (experiment kind `geiger-alpha-scan`), parsed from an experiment
 * config: `spec` (data, model, training.loss) and `params` (the scan and the analysis rules).
 * Every rule is stated in theory/geiger.md#rules.
 */
import { InputError, requirePositive, show } from '../../core/errors.js';
import type { ResolvedExperiment } from '../../harness/experiments.js';
import { parseSpec } from '../../spec/validate.js';
import { Fields } from '../../spec/fields.js';
import type { Spec } from '../../spec/types.js';
import type { StopRule } from './stoppedFlow.js';

export const GEIGER_PARAM_FIELDS = [
  'grid', 'gridKind', 'crossingLevel', 'lazyFactor', 'featureFactor', 'varianceLazy', 'varianceFeature',
  'tolerance', 'maxTime', 'savesPerDecade', 'stopLossRatio', 't1Fraction',
] as const;

export interface GeigerScanParams {
  /** Resolved spec: model.parameterization is `geiger` (centred, α scale, loss/α²). */
  spec: Spec;
  widths: number[];
  seeds: number;
  /** The scanned values: √h·α (`sqrtHAlpha`, α = v/√h at each width) or α itself (`alpha`). */
  gridKind: 'sqrtHAlpha' | 'alpha';
  grid: number[];
  /** c: α* is where the kernel motion crosses c (interpolated linearly in log α, log motion). */
  crossingLevel: number;
  /** Lazy side: √h α ≥ lazyFactor · mean over (h, seed) of √h α*. */
  lazyFactor: number;
  /** Feature side: √h α ≤ featureFactor · mean of √h α*. */
  featureFactor: number;
  /** √h α of the seed-variance measurements (grid values; default largest and smallest; NaN for an α grid and for the side a one-point grid does not measure). */
  varianceLazy: number;
  varianceFeature: number;
  /** dopri5 tolerance on u = θ/σ at √hα ≤ 1, divided by √hα above (theory/geiger.md#integration). */
  tolerance: number;
  /** T_max, flow time. */
  maxTime: number;
  savesPerDecade: number;
  stop: StopRule;
  /** t_1 = first time the train loss falls to t1Fraction · its initial value. */
  t1Fraction: number;
  /** Folder of the config (relative data paths). */
  baseDir: string;
}

const MARGIN_LOSSES = new Set(['hinge', 'soft-hinge', 'logistic']);

/** Validate `c` (InputError naming `<name>.params.<field>` or `<name>.spec.<field>`). */
export function parseGeigerParams(c: ResolvedExperiment): GeigerScanParams {
  const where = `${c.name}.params`;
  if (!c.spec) throw new InputError(`${c.name}.spec`, 'is required (data, model, training.loss)');
  const spec = parseSpec({ ...c.spec, model: { parameterization: 'geiger', ...(c.spec.model as object | undefined) } }, `${c.name}.spec`);
  if (spec.model.parameterization !== 'geiger') {
    throw new InputError(`${c.name}.spec.model.parameterization`, `must be "geiger" for this experiment, got ${show(spec.model.parameterization)}`);
  }
  if (spec.data.outputs !== 1) throw new InputError(`${c.name}.spec.data`, `the α-scan needs one output (k = 1), got ${spec.data.outputs}`);
  const f = Fields.of(c.params ?? {}, where, GEIGER_PARAM_FIELDS);
  const gridKind = f.oneOf('gridKind', ['sqrtHAlpha', 'alpha'] as const, 'sqrtHAlpha');
  const raw = f.raw('grid');
  // Two points suffice for α* (one crossing pair, theory/geiger.md#deep-alpha-cost); the other statistics need more of the grid.
  // One point measures one seed variance only, and the config names its side (theory/geiger.md#one-regime).
  if (!Array.isArray(raw) || raw.length < 1) throw new InputError(`${where}.grid`, `must be an array of positive numbers (at least 2, or 1 with varianceLazy or varianceFeature), got ${show(raw)}`);
  const grid = raw.map((v, i) => requirePositive(`${where}.grid[${i}]`, v)).sort((a, b) => a - b);
  if (new Set(grid).size !== grid.length) throw new InputError(`${where}.grid`, 'has repeated values');
  // The seed variance is compared across widths at fixed √hα, so it needs a √hα grid.
  const byS = gridKind === 'sqrtHAlpha';
  const one = grid.length === 1;
  if (one && (!byS || f.has('varianceLazy') === f.has('varianceFeature'))) {
    throw new InputError(`${where}.grid`, `has one point: allowed only with gridKind "sqrtHAlpha" and exactly one of varianceLazy, varianceFeature (the side it measures), got ${show(raw)}`);
  }
  const side = (k: 'varianceLazy' | 'varianceFeature', d: number) => (one && !f.has(k) ? NaN : byS ? f.positive(k, d) : NaN);
  const varianceLazy = side('varianceLazy', grid[grid.length - 1]);
  const varianceFeature = side('varianceFeature', grid[0]);
  if (!byS && (f.has('varianceLazy') || f.has('varianceFeature'))) {
    throw new InputError(`${where}.gridKind`, 'the seed variance is measured at fixed √hα: use gridKind "sqrtHAlpha"');
  }
  for (const [k, v] of [['varianceLazy', varianceLazy], ['varianceFeature', varianceFeature]] as const) {
    if (byS && !Number.isNaN(v) && !grid.includes(v)) throw new InputError(`${where}.${k}`, `must be one of the grid values ${grid.join(', ')}, got ${v}`);
  }
  const margin = MARGIN_LOSSES.has(spec.training.loss);
  const stopLossRatio = f.positive('stopLossRatio', 1e-3);
  return {
    spec,
    widths: c.widths,
    seeds: c.seeds,
    gridKind,
    grid,
    crossingLevel: f.positive('crossingLevel', 1),
    lazyFactor: f.positive('lazyFactor', 10),
    featureFactor: f.positive('featureFactor', 0.25),
    varianceLazy,
    varianceFeature,
    tolerance: f.positive('tolerance', 1e-4),
    maxTime: f.positive('maxTime', 2000),
    savesPerDecade: f.posInt('savesPerDecade', 8),
    stop: margin ? { kind: 'margin' } : { kind: 'loss-ratio', ratio: stopLossRatio },
    t1Fraction: f.positive('t1Fraction', 0.5),
    baseDir: c.dir,
  };
}

/** α of grid value `v` at width h. */
export function alphaOf(p: Pick<GeigerScanParams, 'gridKind'>, v: number, h: number): number {
  return p.gridKind === 'sqrtHAlpha' ? v / Math.sqrt(h) : v;
}
