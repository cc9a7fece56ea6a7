/**
 * `loadData`: the data set a spec's `data` section describes (theory/data.md).
 */
import { InputError, show } from '../core/errors.js';
import type { DataSpec } from '../spec/types.js';
import type { Dataset } from './dataset.js';
import { loadFileData } from './file.js';
import { gaussianData } from './gaussian.js';
import { fashionMnistData } from './fashionMnist.js';
import { mnistData } from './mnist.js';

/**
 * Build the data set of `d` (a validated DataSpec). `baseDir` resolves a relative `data.path`
 * (default: the working directory). Bad data is an InputError naming the field or the file entry.
 */
export function loadData(d: DataSpec, baseDir?: string): Dataset {
  switch (d.source) {
    case 'gaussian':
      return gaussianData(d);
    case 'mnist':
      return mnistData(d);
    case 'fashion-mnist':
      return fashionMnistData(d);
    case 'file':
      return loadFileData(d, baseDir);
    default: {
      const never: never = d.source;
      throw new InputError('data.source', `unknown source ${show(never)}`);
    }
  }
}
