/**
 * Worker-thread entry of a sweep (tinypool): runs one cell per task and returns its record.
 * The main thread writes the cell file; a worker never touches the output folder.
 */
import { CellCache, type CellTask, runCell } from './cell.js';
import type { CellRecord } from './types.js';

const cache = new CellCache();
const imported = new Set<string>();

/** Run one cell, after importing the modules of the plug-in limits it names (once per thread). */
export default async function runCellTask(task: CellTask): Promise<CellRecord> {
  for (const m of task.limitModules ?? []) {
    if (imported.has(m)) continue;
    imported.add(m);
    await import(m);
  }
  return runCell(task, cache);
}
