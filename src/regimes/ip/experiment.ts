/**
 * The integrable-parameterization experiment (Hajjar, Chizat, Giraud 2021, arXiv 2110.15596;
 * theory/ip.md#presets): every variant (variants.ts) × width × seed trained k steps; long-format records
 *
 *   lossChange.<variant>   (L_0 − L_k)/L_0 per (width, seed),
 *   initOutput.ip          ‖F_{θ0}(X)‖/√n of plain IP (∝ h^{−L/2}, theory/ip.md#degenerate-init),
 *   llrBaseRate.<variant>  geometric mean of the calibrated first-step base rates of IP-LLR,
 *   learnedFraction.<variant>  1 − L_k/L_const: learning beyond the best constant output,
 *   testAccuracy.<variant> sign agreement with the ±1 test labels,
 *
 * and curves `lossRatio.<variant>` (L_t/L_0 against flow time τ = η·step). The claim: plain IP's
 * loss change falls with the width (a power law with a clearly negative exponent, leading order
 * h^{−(L−2)} [derived], theory/ip.md#plain-ip-exponent), IP-LLR's does not, and the other
 * variants keep a loss change that does not vanish with the width.
 */
import type { Status } from '../../core/errors.js';
import type { Dataset } from '../../data/dataset.js';
import type { Activation } from '../../finite/activation.js';
import type { CurveRecord, LongRecord } from '../../harness/types.js';
import { type IpCellResult, type IpTraining, runIpCell } from './cell.js';
import type { IpVariant } from './variants.js';

export interface IpExperimentConfig {
  depth: number;
  activation: Activation;
  /** Train f = F − F_{θ0} (default false, as the authors). */
  centred: boolean;
  training: IpTraining;
  widths: number[];
  /** Number of seeds S: init seeds initSeed + 0..S−1. */
  seeds: number;
  initSeed: number;
  variants: IpVariant[];
  /** Also record `testAccuracyChange.<variant>` (accuracy of f_k − f_0, theory/ip.md#variants-ce). */
  changeAccuracy?: boolean;
}

export interface IpExperimentResult {
  records: LongRecord[];
  curves: CurveRecord[];
  cells: Omit<IpCellResult, 'times' | 'lossRatio'>[];
  status: Status;
  message: string;
}

export type CellListener = (cell: IpCellResult, seedIndex: number) => void;

/** Run every cell (widths ascending, then seeds, then variants) on `data`. */
export function runIpExperiment(c: IpExperimentConfig, data: Dataset, onCell?: CellListener): IpExperimentResult {
  const records: LongRecord[] = [];
  const curves: CurveRecord[] = [];
  const cells: IpExperimentResult['cells'] = [];
  const net = { depth: c.depth, activation: c.activation, centred: c.centred };
  for (const width of [...c.widths].sort((a, b) => a - b)) {
    for (let s = 0; s < c.seeds; s++) {
      for (const v of c.variants) {
        const r = runIpCell(v, width, net, data, c.training, c.initSeed + s);
        const { times, lossRatio, ...summary } = r;
        cells.push(summary);
        records.push({ width, seed: s, metric: `lossChange.${v.name}`, value: r.lossChange });
        records.push({ width, seed: s, metric: `learnedFraction.${v.name}`, value: r.learnedFraction });
        records.push({ width, seed: s, metric: `testAccuracy.${v.name}`, value: r.testAccuracy });
        if (c.changeAccuracy) records.push({ width, seed: s, metric: `testAccuracyChange.${v.name}`, value: r.testAccuracyChange });
        if (v.parameterization === 'ip' && !v.initMean && !v.unscaledBiases) {
          records.push({ width, seed: s, metric: `initOutput.${v.name}`, value: r.initOutput });
        }
        if (r.firstStepBaseRates) {
          records.push({ width, seed: s, metric: `llrBaseRate.${v.name}`, value: geometricMean(r.firstStepBaseRates) });
        }
        times.forEach((t, i) => curves.push({ width, seed: s, kind: v.name, time: t, quantity: `lossRatio.${v.name}`, value: lossRatio[i] }));
        onCell?.(r, s);
      }
    }
  }
  const failed = cells.filter((x) => x.status !== 'ok');
  return {
    records, curves, cells,
    status: failed.length === 0 ? 'ok' : 'failed',
    message: failed.length === 0 ? '' : `${failed.length} of ${cells.length} cells failed: ${failed.slice(0, 3).map((x) => `${x.variant} h=${x.width} seed ${x.initSeed}: ${x.message}`).join('; ')}`,
  };
}

function geometricMean(v: number[]): number {
  return Math.exp(v.reduce((a, x) => a + Math.log(x), 0) / v.length);
}
