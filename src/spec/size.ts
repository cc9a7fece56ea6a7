/**
 * Sizes a spec implies, checked before anything is allocated: a width or a data size so large
 * that one of the run's arrays cannot exist is bad input naming the field and the value
 * (`model.width: 1000000000000 gives a 1000000000000×1000000000000 weight matrix (1e+24 entries); …`),
 * not an `Invalid typed array length` deep inside a run.
 */
import { InputError } from '../core/errors.js';
import type { Spec } from './types.js';

/**
 * The most entries one Float64Array of a run may have: 2^30 (8 GiB). Larger arrays cannot be
 * allocated by the engine or would not fit in the memory of any machine this runs on.
 */
export const MAX_ARRAY_ENTRIES = 2 ** 30;

const LIMIT_TEXT = `at most ${MAX_ARRAY_ENTRIES} (2^30, 8 GiB of float64) entries per array are supported`;

function tooBig(rows: number, cols: number): boolean {
  return rows * cols > MAX_ARRAY_ENTRIES;
}

/**
 * Throw an {@link InputError} when the network or data of `spec` needs an array of more than
 * {@link MAX_ARRAY_ENTRIES} entries. `widthAt` names where the width came from (`model.width`, or
 * a command-line option such as `--width`), `nAt` where the number of points came from. Sizes of file data (n, dim = 0: "as in the file") are
 * known only when the file is read and are not checked here.
 */
export function checkSizes(spec: Spec, widthAt = 'model.width', nAt = 'data.n'): void {
  const { n, nTest, dim, outputs } = spec.data;
  const h = spec.model.width;
  const points = n + nTest;
  if (tooBig(points, Math.max(dim, 1))) {
    throw new InputError(nAt, `${n} training and ${nTest} test points of dimension ${dim} give ${points * dim} input entries; ${LIMIT_TEXT}`);
  }
  const layers: Array<[string, number, number]> = [
    ['first-layer weight matrix', h, Math.max(dim, 1)],
    ['hidden weight matrix', spec.model.depth >= 2 ? h : 0, h],
    ['output weight matrix', Math.max(outputs, 1), h],
    [`activation matrix (${points} training and test points × width)`, Math.max(points, 1), h],
  ];
  for (const [what, rows, cols] of layers) {
    if (tooBig(rows, cols)) {
      throw new InputError(widthAt, `${h} gives a ${rows}×${cols} ${what} (${rows * cols} entries); ${LIMIT_TEXT}`);
    }
  }
}
