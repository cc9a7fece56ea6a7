/** Worker-thread entry of the θ phase diagram (tinypool): one run per task (../geiger/sweep.ts). */
import { type ThetaCell, type ThetaCellTask, runThetaCell } from './cell.js';

export default function runThetaTask(task: ThetaCellTask): ThetaCell {
  return runThetaCell(task);
}
