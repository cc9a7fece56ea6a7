/**
 * Parameters of the proportional-limit experiment kinds (experiments/proportional-*.json): the
 * network and data of theory/proportional.md#model in its units; `widths` of the config are the
 * input dimensions D (N = νD, P = αD, B = κD).
 */
import { InputError, requireNonNegative, requireNonNegativeInt, requirePositive, requirePositiveInt, show } from '../../core/errors.js';
import type { ResolvedExperiment } from '../../harness/experiments.js';
import { ISOTROPIC, type ProportionalProblem } from '../../limits/proportional/problem.js';

export type Parameterization = 'mup' | 'ntk';

export interface ProportionalParams {
  depth: number;
  nu: number;
  /** μP: γ̄ as given; ntk: γ̄ = 1/√ν (theory/proportional.md#units). */
  parameterization: Parameterization;
  gammaBar: number;
  eta: number;
  sigma: number;
  steps: number;
  /** Sample ratio α (repeated data). */
  alpha: number;
  /** Batch ratio κ (one-pass SGD) when data = online. */
  batchRatio: number;
  data: 'repeated' | 'online';
  dims: number[];
  seeds: number;
  /** Seeds are firstSeed … firstSeed + seeds − 1 (default 0; new seeds for a revision run). */
  firstSeed: number;
}

const FIELDS = ['depth', 'nu', 'parameterization', 'gammaBar', 'eta', 'sigma', 'steps', 'alpha', 'batchRatio', 'data', 'firstSeed'];

export function parseProportionalParams(c: ResolvedExperiment): ProportionalParams {
  const w = `${c.name}.params`;
  const p = c.params ?? {};
  for (const k of Object.keys(p)) if (!FIELDS.includes(k)) throw new InputError(`${w}.${k}`, `unknown field (allowed: ${FIELDS.join(', ')})`);
  if (c.spec) throw new InputError(`${c.name}.spec`, 'is not used by the proportional kinds (everything is in params)');
  const depth = p.depth ?? 2;
  if (typeof depth !== 'number' || !Number.isInteger(depth) || depth < 1) throw new InputError(`${w}.depth`, `must be an integer ≥ 1, got ${show(depth)}`);
  const parameterization = p.parameterization ?? 'mup';
  if (parameterization !== 'mup' && parameterization !== 'ntk') throw new InputError(`${w}.parameterization`, `must be "mup" or "ntk", got ${show(parameterization)}`);
  const data = p.data ?? 'repeated';
  if (data !== 'repeated' && data !== 'online') throw new InputError(`${w}.data`, `must be "repeated" or "online", got ${show(data)}`);
  const nu = requirePositive(`${w}.nu`, p.nu ?? 1);
  const firstSeed = requireNonNegativeInt(`${w}.firstSeed`, p.firstSeed ?? 0);
  const dims = c.widths.map((d, i) => requirePositiveInt(`${c.name}.widths[${i}]`, d));
  for (const d of dims) if (!Number.isInteger(nu * d)) throw new InputError(`${w}.nu`, `ν·D must be an integer width for every D, got ν = ${nu}, D = ${d}`);
  return {
    depth, nu, parameterization, data, dims,
    gammaBar: parameterization === 'ntk' ? 1 / Math.sqrt(nu) : requirePositive(`${w}.gammaBar`, p.gammaBar ?? 1),
    eta: requirePositive(`${w}.eta`, p.eta ?? 0.1),
    sigma: requireNonNegative(`${w}.sigma`, p.sigma ?? 0),
    steps: requirePositiveInt(`${w}.steps`, p.steps ?? 20),
    alpha: requirePositive(`${w}.alpha`, p.alpha ?? 2),
    batchRatio: requirePositive(`${w}.batchRatio`, p.batchRatio ?? 1),
    seeds: c.seeds,
    firstSeed,
  };
}

/** The limit problem of a parameter set. */
export function problemOf(p: ProportionalParams, data: 'repeated' | 'online' = p.data): ProportionalProblem {
  return {
    depth: p.depth, nu: p.nu, gammaBar: p.gammaBar, eta: p.eta, sigma: p.sigma, steps: p.steps, spectrum: ISOTROPIC,
    data: data === 'repeated' ? { kind: 'repeated', alpha: p.alpha } : { kind: 'online', batchRatio: p.batchRatio },
  };
}

/** Sample count / batch of the finite network at dimension D (rounded to an integer). */
export function finiteData(p: ProportionalParams, D: number, data: 'repeated' | 'online' = p.data): { kind: 'repeated'; samples: number } | { kind: 'online'; batch: number } {
  return data === 'repeated' ? { kind: 'repeated', samples: Math.round(p.alpha * D) } : { kind: 'online', batch: Math.max(1, Math.round(p.batchRatio * D)) };
}
