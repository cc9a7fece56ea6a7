/**
 * Which infinite-width limit a spec's network has (docs/interface.md#spec-file: "otherwise it is inferred from
 * the parameterization and activation, and the choice is reported").
 *
 * - `spec.limit` if named;
 * - identity activation + meanfield → `deeplinear` (Bordelon–Pehlevan 2022, arXiv 2205.09653; theory/deeplinear.md#single-site);
 * - meanfield with depth 1 → `meanfield` (Mei–Montanari–Nguyen 2018; Chizat–Bach 2018; theory/meanfield.md#model);
 * - ntk, standard, geiger, theta, ip, ip-llr, abc → `ntk`, the frozen-kernel limit (theory/ntk.md#recursion–3);
 * - meanfield, depth > 1, nonlinear → no limit implemented: InputError at `limit`.
 */
import { InputError } from '../core/errors.js';
import { parseActivation } from '../finite/activation.js';
import type { LimitName, Spec } from './types.js';

export interface LimitChoice {
  limit: LimitName;
  /** One line: the limit, then why. */
  reason: string;
}

export function inferLimit(spec: Spec): LimitChoice {
  if (spec.limit !== undefined) return { limit: spec.limit, reason: `${spec.limit}: named in the spec` };
  const p = spec.model.parameterization;
  const preset = typeof p === 'string' ? p : 'abc';
  const L = spec.model.depth;
  const linear = parseActivation(spec.model.activation).family.kind === 'identity';
  switch (preset) {
    case 'meanfield':
      if (linear) {
        return { limit: 'deeplinear', reason: `deeplinear: identity activation with the meanfield parameterization (deep linear network, depth ${L}, γ0 = ${spec.model.gamma0})` };
      }
      if (L === 1) {
        return { limit: 'meanfield', reason: 'meanfield: two-layer network (depth 1) in the meanfield parameterization (Wasserstein gradient flow of the neurons)' };
      }
      throw new InputError(
        'limit',
        `no limit is implemented for the meanfield parameterization with depth ${L} and activation ${JSON.stringify(spec.model.activation)} ` +
          '(meanfield needs depth 1, or identity activation for deeplinear); name one with "limit": "ntk" | "meanfield" | "deeplinear"',
      );
    case 'ntk':
    case 'standard':
    case 'geiger':
    case 'theta':
    case 'ip':
    case 'ip-llr':
    case 'abc':
      return { limit: 'ntk', reason: `ntk: frozen-kernel limit of the ${preset} parameterization` };
    default: {
      const never: never = preset;
      throw new InputError('model.parameterization', `unknown parameterization ${String(never)}`);
    }
  }
}
