/**
 * Worker-thread entry of a sweep (tinypool): runs one cell per task and returns its record.
 * The main thread writes the cell file; a worker never touches the output folder.
 */
import { CellCache, type CellTask, runCell } from './cell.js';
import type { CellRecord } from './types.js';

const cache = new CellCache();

export default function runCellTask(task: CellTask): CellRecord {
  return runCell(task, cache);
}
