/** Worker-thread entry of the Geiger α-scan (tinypool): one run per task (sweep.ts). */
import { type GeigerCell, type GeigerCellTask, runGeigerCell } from './cell.js';

export default function runGeigerTask(task: GeigerCellTask): GeigerCell {
  return runGeigerCell(task);
}
