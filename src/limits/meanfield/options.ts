/**
 * `spec.limitOptions` of the mean-field limit, validated here (errors name `limitOptions.<field>`).
 *
 * | field     | default | meaning |
 * |-----------|---------|---------|
 * | particles | 16384 (empirical, online), 2048 (population) | M, particles per seed of the reference |
 * | seeds     | 4       | S, independent particle systems averaged (standard error from their spread) |
 * | risk      | `empirical` | `empirical` (the training set, as the trainer), `population` (exact, x ~ N(0, I); gaussian data with a linear or teacher-relu target), `online` (fresh batches from the training set) |
 * | init      | `gaussian` | `gaussian`: i.i.d. from the trainer's law; `symmetric`: the same law with the pairing (a, w)/(−a, −w) (same m = ∞ limit; measured: no smaller seed-to-seed spread after t = 0, so not the default) |
 * | rtol      | 1e-4    | dopri5 tolerance (training.method `flow`); on data it applies to F on the training inputs (flow.ts). Tighter is wasted below the sampling error ~M^{−1/2} |
 * | batchSize | training.batchSize or min(n, 32) | batch of the online risk |
 * | method    | `auto`  | `auto`, `particles` or `odd-reduced` (reference.ts) |
 */
import { InputError, requirePositive, requirePositiveInt, show } from '../../core/errors.js';

export type RiskChoice = 'empirical' | 'population' | 'online';
export type InitChoice = 'symmetric' | 'gaussian';

export interface MeanFieldLimitOptions {
  particles: number;
  seeds: number;
  risk: RiskChoice;
  init: InitChoice;
  rtol?: number;
  batchSize?: number;
  method: 'auto' | 'particles' | 'odd-reduced';
}

const FIELDS = ['particles', 'seeds', 'risk', 'init', 'rtol', 'batchSize', 'method'] as const;
const RISKS: readonly RiskChoice[] = ['empirical', 'population', 'online'];
const INITS: readonly InitChoice[] = ['symmetric', 'gaussian'];
const METHODS = ['auto', 'particles', 'odd-reduced'] as const;

function oneOf<T extends string>(where: string, v: unknown, allowed: readonly T[], extra = ''): T {
  if (typeof v === 'string' && (allowed as readonly string[]).includes(v)) return v as T;
  throw new InputError(where, `must be one of ${allowed.join(', ')}, got ${show(v)}${extra}`);
}

/** Validate `spec.limitOptions` (undefined = all defaults). */
export function parseMeanFieldOptions(raw: unknown): MeanFieldLimitOptions {
  if (raw === undefined || raw === null) raw = {};
  if (typeof raw !== 'object' || Array.isArray(raw)) throw new InputError('limitOptions', `must be an object, got ${show(raw)}`);
  const o = raw as Record<string, unknown>;
  for (const key of Object.keys(o)) {
    if (!(FIELDS as readonly string[]).includes(key)) {
      throw new InputError(`limitOptions.${key}`, `unknown field of the meanfield limit (allowed: ${FIELDS.join(', ')})`);
    }
  }
  const risk = o.risk === undefined ? 'empirical' : oneOf('limitOptions.risk', o.risk, RISKS);
  const init = o.init === undefined
    ? 'gaussian'
    : oneOf('limitOptions.init', o.init, INITS, o.init === 'sphere'
      ? ' (the trainer initializes Gaussian weights, so a sphere init would describe another network; the library function meanFieldReference accepts it)'
      : '');
  const particles = o.particles === undefined ? (risk === 'population' ? 2048 : 16384) : requirePositiveInt('limitOptions.particles', o.particles);
  if (init === 'symmetric' && particles % 2 !== 0) {
    throw new InputError('limitOptions.particles', `must be even with the symmetric init, got ${particles}`);
  }
  return {
    particles,
    seeds: o.seeds === undefined ? 4 : requirePositiveInt('limitOptions.seeds', o.seeds),
    risk,
    init,
    rtol: o.rtol === undefined ? undefined : requirePositive('limitOptions.rtol', o.rtol),
    batchSize: o.batchSize === undefined ? undefined : requirePositiveInt('limitOptions.batchSize', o.batchSize),
    method: o.method === undefined ? 'auto' : oneOf('limitOptions.method', o.method, METHODS),
  };
}
