/**
 * What the NTK limit reads from a spec: the architecture (the same `buildArchitecture` call as the
 * trainer, src/run/train.ts), the schedule (gd / flow / sgd), the trainer's record steps, and the
 * solver options under `limitOptions`.
 */
import { InputError, requirePositive, requirePositiveInt, show } from '../../core/errors.js';
import { buildSchedule } from '../../finite/schedule.js';
import type { Spec } from '../../spec/types.js';
import type { Schedule } from './schedule.js';

/** The finite architecture the spec describes (width spec.model.width), as the trainer builds it. */
export { architectureFromSpec } from '../../spec/architecture.js';

/**
 * gd → GD with step lr; flow → gradient flow; sgd → GD with the same rate and step count (the
 * expected SGD update; minibatch noise is not part of the frozen-kernel limit), with a note.
 */
export function scheduleFromSpec(spec: Spec): { schedule: Schedule; notes: string[] } {
  const t = spec.training;
  requirePositive('training.lr', t.lr);
  switch (t.method) {
    case 'gd':
      return { schedule: { kind: 'gd', lr: t.lr }, notes: [] };
    case 'flow':
      return { schedule: { kind: 'flow' }, notes: [] };
    case 'sgd':
      return {
        schedule: { kind: 'gd', lr: t.lr },
        notes: ['sgd: the limit follows full-batch gradient descent with the same rate and number of steps (the expected update); minibatch noise is not modelled'],
      };
    default: {
      const never: never = t.method;
      throw new InputError('training.method', `unknown method ${show(never)}`);
    }
  }
}

/** The trainer's record steps (its schedule, finite/schedule.ts), after checking steps and recordEvery. */
export function trainerRecordSteps(spec: Spec, n: number): number[] {
  const t = spec.training;
  requirePositiveInt('training.recordEvery', t.recordEvery);
  const s = buildSchedule(t, n);
  if (!Number.isInteger(s.steps) || s.steps < 0) throw new InputError('training.steps', `must be a non-negative integer, got ${show(s.steps)}`);
  return s.records;
}

/** Solver options of the NTK limit (`limitOptions` of the spec). */
export interface NtkLimitOptions {
  /** MSE evaluation path: auto (eig for n ≤ eigMaxN, else krylov), eig, krylov. Other losses always integrate. */
  path: 'auto' | 'eig' | 'krylov';
  eigMaxN: number;
  krylovTol: number;
  krylovMaxDim: number;
  /** Gauss–Hermite nodes for activations without a closed-form kernel. */
  quadratureNodes: number;
  /** Relative tolerance of the ODE path (other losses). */
  odeRtol: number;
}

const KEYS = ['path', 'eigMaxN', 'krylovTol', 'krylovMaxDim', 'quadratureNodes', 'odeRtol'];

export function parseNtkLimitOptions(o: Record<string, unknown> | undefined, spec: Spec): NtkLimitOptions {
  const v = o ?? {};
  for (const k of Object.keys(v)) {
    if (!KEYS.includes(k)) throw new InputError(`limitOptions.${k}`, `unknown option of the ntk limit (known: ${KEYS.join(', ')})`);
  }
  const path = v.path ?? 'auto';
  if (path !== 'auto' && path !== 'eig' && path !== 'krylov') {
    throw new InputError('limitOptions.path', `must be "auto", "eig" or "krylov", got ${show(path)}`);
  }
  return {
    path,
    eigMaxN: v.eigMaxN === undefined ? 512 : requirePositiveInt('limitOptions.eigMaxN', v.eigMaxN),
    krylovTol: v.krylovTol === undefined ? 1e-10 : requirePositive('limitOptions.krylovTol', v.krylovTol),
    krylovMaxDim: v.krylovMaxDim === undefined ? 1000 : requirePositiveInt('limitOptions.krylovMaxDim', v.krylovMaxDim),
    quadratureNodes: v.quadratureNodes === undefined ? 96 : requirePositiveInt('limitOptions.quadratureNodes', v.quadratureNodes),
    odeRtol: v.odeRtol === undefined ? spec.training.tolerance ?? 1e-9 : requirePositive('limitOptions.odeRtol', v.odeRtol),
  };
}
