/**
 * Checks every command makes before its work starts (README, "A short tour"): inputs are never
 * outputs (paths.ts), and the memory and output size of the run fit this machine (src/spec/estimate.ts).
 */
import { dirname, resolve } from 'node:path';
import { existsSync } from 'node:fs';
import { checkEstimate, type Estimate } from '../spec/estimate.js';
import { availableMemory, diskFree } from '../spec/machine.js';
import type { Spec } from '../spec/types.js';
import type { NamedPath } from './paths.js';

/** The input files a spec names besides itself (`data.path` of file data). */
export function specInputs(specPath: string, spec: Spec): NamedPath[] {
  const list: NamedPath[] = [{ flag: '--spec', path: specPath }];
  if (spec.data.source === 'file' && spec.data.path) list.push({ flag: 'data.path', path: spec.data.path });
  return list;
}

/** Free space of the disk an output `path` will be written to (its nearest existing folder). */
export function diskFreeFor(path: string): number | undefined {
  let dir = dirname(resolve(path));
  while (!existsSync(dir) && dirname(dir) !== dir) dir = dirname(dir);
  return diskFree(dir);
}

/** Refuse a run whose estimate does not fit (memory, heap, the output's disk: named by `flag`). */
export function checkFits(e: Estimate, outPath: string, flag = '--out'): void {
  checkEstimate(e, diskFreeFor(outPath), availableMemory(), { flag, path: outPath });
}
