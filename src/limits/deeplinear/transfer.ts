/**
 * Width × learning-rate sweeps of deep linear networks in the μP (`meanfield`) and `ntk`
 * parameterizations, with the infinite-width limit beside them (theory/deeplinear.md#transfer):
 * "wider is better" in μP (the loss after a fixed number of steps decreases with width toward the
 * limit) and learning-rate transfer (the best η hardly moves with width in μP). Bordelon &
 * Pehlevan 2025 (arXiv 2502.02531) §4; Yang & Hu 2021 (arXiv 2011.14522).
 *
 * Every cell is one gradient-descent run of `steps` steps (flow time τ = η·steps); records are
 * long format, one value each.
 */
import { gaussianData } from '../../data/gaussian.js';
import { runTrain } from '../../run/train.js';
import { checkSpec } from './check.js';
import { runDeepLinearLimit } from './run.js';

export interface TransferConfig {
  depth: number;
  widths: number[];
  lrs: number[];
  /** Seeds 0..seeds−1 per (parameterization, width, lr). */
  seeds: number;
  /** γ0 of μP. */
  gamma0: number;
  steps: number;
  parameterizations: ('meanfield' | 'ntk')[];
  data: { n: number; nTest: number; dim: number; target: string; seed: number; noise?: number };
  /** Also solve the limit at each (parameterization, lr) (default true). */
  includeLimit?: boolean;
}

export interface TransferRecord {
  parameterization: 'meanfield' | 'ntk';
  /** null: the infinite-width limit. */
  width: number | null;
  lr: number;
  /** null for the (deterministic) limit. */
  seed: number | null;
  steps: number;
  /** Flow time η·steps of the value. */
  time: number;
  metric: 'trainLoss' | 'testLoss';
  value: number;
  status: string;
}

/** Run the sweep; a failing cell (diverged, nan) records its status and NaN-free last values. */
export function sweepWidthLr(c: TransferConfig): TransferRecord[] {
  const out: TransferRecord[] = [];
  const base = { depth: c.depth, widths: c.widths, seeds: c.seeds, gamma0: c.gamma0, steps: c.steps, recordEvery: Math.max(1, c.steps), data: c.data };
  const data = gaussianData(checkSpec({ ...base, parameterization: 'meanfield', lr: 1 }, 1).data);
  const push = (parameterization: 'meanfield' | 'ntk', width: number | null, lr: number, seed: number | null,
    r: { status: string; steps: number[]; trainLoss: number[]; testLoss: number[] }) => {
    const i = r.steps.length - 1;
    const step = i >= 0 ? r.steps[i] : 0;
    const good = i >= 0 && step === c.steps;
    for (const metric of ['trainLoss', 'testLoss'] as const) {
      out.push({ parameterization, width, lr, seed, steps: step, time: lr * step, metric, value: good ? r[metric][i] : NaN, status: r.status });
    }
  };
  for (const parameterization of c.parameterizations) {
    for (const lr of c.lrs) {
      if (c.includeLimit ?? true) {
        const spec = checkSpec({ ...base, parameterization, lr }, 1);
        push(parameterization, null, lr, null, runDeepLinearLimit(spec, { dataset: data }));
      }
      for (const width of c.widths) {
        const spec = checkSpec({ ...base, parameterization, lr }, width);
        for (let seed = 0; seed < c.seeds; seed++) {
          const r = runTrain(spec, { width, seed, dataset: data }).result;
          push(parameterization, width, lr, seed, r);
        }
      }
    }
  }
  return out;
}

/** Mean over seeds of `metric` per (parameterization, width, lr); the limit has width null. */
export function meanByCell(records: TransferRecord[], metric: 'trainLoss' | 'testLoss'):
  { parameterization: string; width: number | null; lr: number; mean: number; count: number }[] {
  const cells = new Map<string, { parameterization: string; width: number | null; lr: number; sum: number; count: number }>();
  for (const r of records) {
    if (r.metric !== metric) continue;
    const key = `${r.parameterization}|${r.width}|${r.lr}`;
    const cell = cells.get(key) ?? { parameterization: r.parameterization, width: r.width, lr: r.lr, sum: 0, count: 0 };
    cell.sum += r.value;
    cell.count++;
    cells.set(key, cell);
  }
  return [...cells.values()].map((x) => ({ parameterization: x.parameterization, width: x.width, lr: x.lr, mean: x.sum / x.count, count: x.count }));
}
