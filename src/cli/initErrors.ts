/**
 * Errors about an `--init` file raised by the library (located at `init`, `init.layers[0].W`, …)
 * are re-located to the option and file: `--init (I.json): layers[0].W: expected 16x3, got 32x3`.
 */
import { InputError } from '../core/errors.js';

export function relocateInitError(e: unknown, file: string | undefined): unknown {
  if (file === undefined || !(e instanceof InputError)) return e;
  const m = /^init(?:\.|(?=\[)|$)(.*)$/.exec(e.where);
  if (!m) return e;
  return new InputError(`--init (${file})`, m[1] ? `${m[1]}: ${e.what}` : e.what);
}

/** Spec fields behind the analytic kernel's per-layer scales (src/limits/ntk/kernelOptions.ts). */
const KERNEL_FIELDS: Record<string, string> = {
  weightVar: 'model.weightStd', biasVar: 'model.biasStd', weightTangent: 'model.parameterization', biasTangent: 'model.parameterization',
};

/**
 * An error about the limit's internal kernel layers (`kernel.layers[0].weightVar`) is re-located to
 * the spec field it comes from (`model.weightStd`): messages name spec fields, never internal ones.
 */
export function relocateKernelError(e: unknown): unknown {
  if (!(e instanceof InputError)) return e;
  const m = /^kernel\.layers(?:\[(\d+)\])?(?:\.(\w+))?$/.exec(e.where);
  if (!m) return e;
  const field = (m[2] && KERNEL_FIELDS[m[2]]) ?? 'model';
  const layer = m[1] !== undefined ? ` (in layer ${Number(m[1]) + 1} of the infinite-width kernel)` : '';
  return new InputError(field, `gives a kernel scale that ${e.what.replace(/^must be /, 'is not ')}${layer}`);
}
