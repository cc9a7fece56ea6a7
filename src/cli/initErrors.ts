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
