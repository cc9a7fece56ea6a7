/** Worker-thread entry of the multi-layer θ diagram (tinypool): one run per task (../geiger/sweep.ts). */
import { type ThetaCell, type ThetaCellTask, runThetaCell } from '../theta/cell.js';

export default function runThetaMultilayerTask(task: ThetaCellTask): ThetaCell {
  return runThetaCell(task);
}
