/**
 * The dual activation of an {@link Activation}, chosen by its family (theory/ntk.md#dual-activations):
 *
 * | family     | method                                   | file               |
 * |------------|------------------------------------------|--------------------|
 * | abrelu     | closed form (Cho–Saul 2009; ABReLU identity) | dualAbrelu.ts  |
 * | erf        | closed form (Williams 1997)              | dualErf.ts         |
 * | identity   | Wick, polynomial [0, 1] (E = Λ12, E' = 1) | dualPolynomial.ts |
 * | polynomial | Wick/Mehler, exact                        | dualPolynomial.ts |
 * | smooth     | Hermite/Mehler expansion, 2-D Gauss–Hermite fallback | dualHermite.ts |
 * | smooth, kinked | 2-D Gauss–Hermite (warns)             | dualQuadrature.ts |
 */
import type { Activation } from '../../finite/activation.js';
import { abreluDual } from './dualAbrelu.js';
import { erfDual } from './dualErf.js';
import { polynomialDual } from './dualPolynomial.js';
import { DEFAULT_QUADRATURE_NODES, quadratureDual } from './dualQuadrature.js';
import { hermiteDual } from './dualHermite.js';
import type { DualActivation } from './dualTypes.js';

export interface DualOptions {
  /** Gauss–Hermite nodes per dimension of the tensor rule (kinked activations, fallback; default 96). */
  quadratureNodes?: number;
  /** Smooth activations: `hermite` (default: Mehler expansion, tensor-rule fallback) or `quadrature` (tensor rule only). */
  method?: 'hermite' | 'quadrature';
}

export function dualActivation(act: Activation, opts: DualOptions = {}): DualActivation {
  const fam = act.family;
  switch (fam.kind) {
    case 'abrelu':
      return abreluDual(fam.a, fam.b, act.name);
    case 'erf':
      return erfDual();
    case 'identity':
      return polynomialDual([0, 1], act.name);
    case 'polynomial':
      return polynomialDual(fam.coeffs, act.name);
    case 'smooth': {
      const nodes = opts.quadratureNodes ?? DEFAULT_QUADRATURE_NODES;
      return fam.kinked || opts.method === 'quadrature' ? quadratureDual(act, nodes, fam.kinked) : hermiteDual(act, nodes);
    }
    default: {
      const never: never = fam;
      throw new RangeError(`dualActivation: unknown activation family ${JSON.stringify(never)}`);
    }
  }
}
