/**
 * The proportional-limit problem of theory/proportional.md#model: a deep linear network of depth L
 * on Gaussian data in D dimensions, P = αD samples, width N = νD, D → ∞ at fixed α, ν.
 *
 * Units (theory/proportional.md#units): output multiplier √D/(γ̄ N), rate η γ̄² N on every weight
 * for the loss (1/(2P)) Σ (f − y)², so one step of depth-0 regression is β ← β + η (XᵀΔ √D/P).
 * μP keeps γ̄ fixed as ν varies; the NTK parameterization is γ̄ = 1/√ν.
 */
import { InputError, requireNonNegative, requirePositive, requirePositiveInt } from '../../core/errors.js';

/** One block of input directions: a fraction `weight` of the D coordinates with input variance
 * `lambda` and teacher coefficients of variance `teacherVar` (theory/proportional.md#spectrum). */
export interface SpectrumGroup {
  lambda: number;
  weight: number;
  teacherVar: number;
}

/** Repeated data: full batch on P = αD fixed samples. Online: a fresh batch of B = κD each step. */
export type DataMode = { kind: 'repeated'; alpha: number } | { kind: 'online'; batchRatio: number };

export interface ProportionalProblem {
  /** Hidden layers L (0 = linear regression on β directly). */
  depth: number;
  /** ν = N/D (unused at depth 0). */
  nu: number;
  /** γ̄: richness in the units above (μP: fixed; NTK: 1/√ν). */
  gammaBar: number;
  /** Learning rate η. */
  eta: number;
  /** Label-noise standard deviation σ. */
  sigma: number;
  /** Steps T: records at t = 0..T. */
  steps: number;
  data: DataMode;
  /** Input spectrum; default one group (isotropic, teacher variance 1). */
  spectrum: SpectrumGroup[];
}

export const ISOTROPIC: SpectrumGroup[] = [{ lambda: 1, weight: 1, teacherVar: 1 }];

/** Sample ratio of the data mode: α (repeated) or κ = B/D (online). */
export function sampleRatio(d: DataMode): number {
  return d.kind === 'repeated' ? d.alpha : d.batchRatio;
}

/** Validate a problem (InputError naming the field). */
export function checkProblem(p: ProportionalProblem): ProportionalProblem {
  if (!Number.isInteger(p.depth) || p.depth < 0) throw new InputError('depth', `must be a non-negative integer, got ${p.depth}`);
  if (p.depth > 0) {
    requirePositive('nu', p.nu);
    requirePositive('gammaBar', p.gammaBar);
  }
  requirePositive('eta', p.eta);
  requireNonNegative('sigma', p.sigma);
  requirePositiveInt('steps', p.steps);
  requirePositive(p.data.kind === 'repeated' ? 'alpha' : 'batchRatio', sampleRatio(p.data));
  if (p.spectrum.length === 0) throw new InputError('spectrum', 'needs at least one group');
  let w = 0;
  for (const g of p.spectrum) {
    requirePositive('spectrum.lambda', g.lambda);
    requirePositive('spectrum.weight', g.weight);
    requireNonNegative('spectrum.teacherVar', g.teacherVar);
    w += g.weight;
  }
  if (Math.abs(w - 1) > 1e-9) throw new InputError('spectrum.weight', `weights must sum to 1, got ${w}`);
  return p;
}

/**
 * A power-law spectrum with M groups: λ_k ∝ k^−a, teacher variance so that λ_k·E[β*_k²] ∝ k^−(1+b')
 * … here given directly as teacherVar_k ∝ k^−c, both normalized: Σ w λ = 1 and Σ w λ c = 1
 * (theory/proportional.md#spectrum). Groups are D/M coordinates each.
 */
export function powerLawSpectrum(groups: number, a: number, c: number): SpectrumGroup[] {
  requirePositiveInt('spectrum.groups', groups);
  const out: SpectrumGroup[] = [];
  let sl = 0;
  let slc = 0;
  for (let k = 1; k <= groups; k++) {
    const lambda = Math.pow(k, -a);
    const tv = Math.pow(k, -c);
    out.push({ lambda, weight: 1 / groups, teacherVar: tv });
    sl += lambda / groups;
  }
  for (const g of out) g.lambda /= sl;
  for (const g of out) slc += (g.weight * g.lambda * g.teacherVar);
  for (const g of out) g.teacherVar /= slc;
  return out;
}
