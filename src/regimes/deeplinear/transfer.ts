/**
 * Width × learning-rate sweeps of deep linear networks in the μP (`meanfield`), `ntk` and
 * `standard` parameterizations, with the infinite-width limit beside them where one exists
 * (theory/deeplinear.md#transfer): "wider is better" in μP (the loss after a fixed number of steps
 * decreases with width toward the limit) and learning-rate transfer (the best η hardly moves with
 * width in μP; in the NTK parameterization it converges to the lazy limit's; in the standard
 * parameterization, whose kernel grows ∝ N, it falls ∝ 1/N). Bordelon & Pehlevan 2025
 * (arXiv 2502.02531) §4; Yang & Hu 2021 (arXiv 2011.14522) §3 (standard parameterization).
 *
 * Every cell is one gradient-descent run of `steps` steps (flow time τ = η·steps); records are
 * long format, one value each.
 */
import { gaussianData } from '../../data/gaussian.js';
import { runTrain } from '../../run/train.js';
import { type Mat, mat } from '../../core/matrix.js';
import type { Dataset } from '../../data/dataset.js';
import { checkSpec } from './check.js';
import { lazyFromInitial } from '../../limits/deeplinear/exact.js';
import { type DeepLinearProblem, inputKernel } from '../../limits/deeplinear/problem.js';
import { runDeepLinearLimit } from '../../limits/deeplinear/run.js';

/** `standard`: weights N(0, 1/n_in), no multipliers, rate η on every layer (theory/conventions.md#layer-form); no limit at fixed η. */
export type TransferParam = 'meanfield' | 'ntk' | 'standard';

export interface TransferConfig {
  depth: number;
  widths: number[];
  /** Learning rates of every parameterization without its own grid in `lrsFor`. */
  lrs: number[];
  /** A parameterization's own grid (the standard one needs rates ∝ 1/N). */
  lrsFor?: Partial<Record<TransferParam, number[]>>;
  /** Seeds 0..seeds−1 per (parameterization, width, lr). */
  seeds: number;
  /** γ0 of μP. */
  gamma0: number;
  steps: number;
  parameterizations: TransferParam[];
  data: { n: number; nTest: number; dim: number; target: string; seed: number; noise?: number };
  /** Also solve the limit at each (parameterization, lr) (default true). */
  includeLimit?: boolean;
}

export interface TransferRecord {
  parameterization: TransferParam;
  /** null: the infinite-width limit. */
  width: number | null;
  lr: number;
  /** null for the (deterministic) limit. */
  seed: number | null;
  steps: number;
  /** Flow time η·steps of the value. */
  time: number;
  /**
   * `pathwiseTrainLoss` (ntk only): the train loss of the lazy limit started from this network's
   * own f_0 (frozen kernel (L+1)K^x, the same rate and steps; path-wise, Lee et al. 2019).
   */
  metric: 'trainLoss' | 'testLoss' | 'pathwiseTrainLoss';
  value: number;
  status: string;
}

/** The rates swept for parameterization p, increasing. */
export function lrsOf(c: TransferConfig, p: TransferParam): number[] {
  return [...(c.lrsFor?.[p] ?? c.lrs)].sort((a, b) => a - b);
}

/** Whether parameterization p has an infinite-width limit at fixed η (the standard one has none). */
export function hasLimit(p: TransferParam): boolean {
  return p !== 'standard';
}

/**
 * Run the sweep; a failing cell (diverged, nan) records its status and NaN for its values. The
 * standard parameterization has no limit record.
 */
export function sweepWidthLr(c: TransferConfig): TransferRecord[] {
  const out: TransferRecord[] = [];
  const base = { depth: c.depth, widths: c.widths, seeds: c.seeds, gamma0: c.gamma0, steps: c.steps, recordEvery: Math.max(1, c.steps), data: c.data };
  const data = gaussianData(checkSpec({ ...base, parameterization: 'meanfield', lr: 1 }, 1).data);
  const kx = inputKernel(data.x, data.x); // K^x of the path-wise lazy limits, once per sweep
  const push = (parameterization: TransferParam, width: number | null, lr: number, seed: number | null,
    r: { status: string; steps: number[]; trainLoss: number[]; testLoss: number[] }) => {
    const i = r.steps.length - 1;
    const step = i >= 0 ? r.steps[i] : 0;
    const good = i >= 0 && step === c.steps;
    for (const metric of ['trainLoss', 'testLoss'] as const) {
      out.push({ parameterization, width, lr, seed, steps: step, time: lr * step, metric, value: good ? r[metric][i] : NaN, status: r.status });
    }
  };
  for (const parameterization of c.parameterizations) {
    const asCheck = parameterization === 'standard' ? 'ntk' : parameterization;
    for (const lr of lrsOf(c, parameterization)) {
      if ((c.includeLimit ?? true) && hasLimit(parameterization)) {
        const spec = checkSpec({ ...base, parameterization: asCheck, lr }, 1);
        push(parameterization, null, lr, null, runDeepLinearLimit(spec, { dataset: data }));
      }
      for (const width of c.widths) {
        const checked = checkSpec({ ...base, parameterization: asCheck, lr }, width);
        // standard: the same identity network (weightStd 1, no bias) with weights N(0, 1/n_in)
        const spec = parameterization === 'standard' ? { ...checked, model: { ...checked.model, parameterization: 'standard' as const } } : checked;
        for (let seed = 0; seed < c.seeds; seed++) {
          const r = runTrain(spec, { width, seed, dataset: data }).result;
          push(parameterization, width, lr, seed, r);
          if (parameterization === 'ntk') {
            const value = r.fTrain.length > 0 ? pathwiseLazyLoss(data, c.depth, lr, c.steps, r.fTrain[0] as number[], kx) : NaN;
            out.push({ parameterization, width, lr, seed, steps: c.steps, time: lr * c.steps, metric: 'pathwiseTrainLoss', value, status: Number.isFinite(value) ? 'ok' : 'nan' });
          }
        }
      }
    }
  }
  return out;
}

/**
 * Train loss (1/2P) Σ (f_T − y)² after `steps` GD steps of the lazy limit (frozen kernel
 * (L+1)K^x, plain network; theory/ntk.md#dynamics and theory/deeplinear.md#exact-cases, path-wise as in Lee et al. 2019, arXiv 1902.06720,
 * Eq. (9)) from the initial outputs `f0` (one output per training point);
 * `kx` = K^x of data.x when already computed.
 */
export function pathwiseLazyLoss(data: Dataset, depth: number, lr: number, steps: number, f0: ArrayLike<number>, kx?: Mat): number {
  const P = data.x.rows;
  const problem: DeepLinearProblem = {
    kx: kx ?? inputKernel(data.x, data.x), y: Float64Array.from(data.y.data), depth, gamma0: 0, lr, steps, architecture: { kind: 'plain' },
  };
  const { train } = lazyFromInitial(problem, f0, [], mat(0, P));
  let loss = 0;
  for (let mu = 0; mu < P; mu++) loss += (train[steps * P + mu] - problem.y[mu]) ** 2;
  return loss / (2 * P);
}

/** Mean over seeds of `metric` per (parameterization, width, lr); the limit has width null. */
export function meanByCell(records: TransferRecord[], metric: TransferRecord['metric']):
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
