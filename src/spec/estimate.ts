/**
 * Estimate before work: the memory and the output size a run of a spec needs, computed from the
 * spec's sizes before anything is allocated, and refused (InputError naming the field that drives
 * it, the estimate and what the machine has) when it cannot fit. Estimates are upper-end counts of
 * the arrays a run holds at once (parameters and their copies, activations of every layer, kernel
 * matrices, recorded outputs); they are meant to refuse what cannot fit, not to predict usage.
 */
import { InputError } from '../core/errors.js';
import type { Spec } from './types.js';
import { availableMemory, heapLimit, type Available } from './machine.js';

/** What a run needs: off-heap bytes (typed arrays), JS-heap bytes (recorded lists), output bytes. */
export interface Estimate {
  /** Typed-array (off-heap) memory in bytes. */
  bytes: number;
  /** JavaScript-heap memory in bytes (recorded outputs and losses held as lists until written). */
  heapBytes: number;
  /** Size of the result file in bytes. */
  outputBytes: number;
  /** The spec field or option that drives the estimate (named in a refusal). */
  field: string;
  /** The sizes behind it, in words (`width 30000, depth 2: 9e8 weights`). */
  what: string;
  /** Recorded numbers (records × (points + 2 losses) × outputs) and how a refusal says what is accepted. */
  recorded?: Recorded;
}

/** The recorded outputs of a run: how many numbers, and the sizes behind them. */
export interface Recorded {
  count: number;
  steps: number;
  recordEvery: number;
  /** Numbers per record: (n + nTest + 2) × outputs. */
  perRecord: number;
}

/**
 * The most numbers a run records (records × (points + 2) × outputs): 4·10^6, about 100 MB of JSON.
 * Recording is the cost of a run with many records, not its arithmetic: 333,334 records of 11
 * numbers (3.7·10^6) take 16 s and 0.6 GB end to end for the NTK limit, 10^6 records (1.1·10^7)
 * took 48 s and 1.7 GB (measured on the 2-core development machine).
 */
export const MAX_RECORDED = 4_000_000;

/** Bytes per number written to a compact JSON result (digits, sign, exponent, separator). */
export const JSON_BYTES_PER_NUMBER = 24;

/** Records of a run: steps / recordEvery + 1 (flow records the same grid). */
function records(spec: Spec): number {
  return Math.floor(spec.training.steps / spec.training.recordEvery) + 1;
}

/** Memory and output of the recorded outputs and losses: records × points × outputs. */
function recorded(spec: Spec): { heap: number; out: number; count: number; rec: Recorded } {
  const k = Math.max(spec.data.outputs, 1);
  const perRecord = (spec.data.n + spec.data.nTest + 2) * k;
  const count = records(spec) * perRecord;
  // lists of doubles: 8 bytes each, held about three times over (the run's copies, lists, rows)
  const rec = { count, steps: spec.training.steps, recordEvery: spec.training.recordEvery, perRecord };
  return { heap: 24 * count, out: JSON_BYTES_PER_NUMBER * count, count, rec };
}

/** A finite network of `spec` at `width`: parameters (and copies), activations, optional empirical NTK. */
export function estimateTrain(spec: Spec, width = spec.model.width, widthAt = 'model.width'): Estimate {
  const { depth } = spec.model;
  const d = Math.max(spec.data.dim, 1);
  const k = Math.max(spec.data.outputs, 1);
  const points = spec.data.n + spec.data.nTest;
  const params = width * d + Math.max(depth - 1, 0) * width * width + k * width + depth * width + k;
  // θ, θ0, gradient, workspace; the flow's Dormand–Prince stages hold seven more
  const copies = spec.training.method === 'flow' ? 12 : 5;
  const acts = 3 * points * width * depth;
  const ntk = spec.training.recordKernel ? spec.data.n * k * params + 3 * (spec.data.n * k) ** 2 : 0;
  const r = recorded(spec);
  const kernelOut = spec.training.recordKernel ? 2 * (spec.data.n * k) ** 2 * JSON_BYTES_PER_NUMBER : 0;
  return {
    bytes: 8 * (copies * params + acts + ntk),
    heapBytes: r.heap,
    outputBytes: r.out + kernelOut,
    field: widthAt,
    what: `width ${width}, depth ${depth}: ${fmtCount(params)} parameters, ${points} points${spec.training.recordKernel ? ', empirical NTK recorded' : ''}`,
    recorded: r.rec,
  };
}

/** The infinite-width limit `limit` (as chosen by the limits' inferLimit) of `spec`: kernel matrices (NTK), particles (mean-field), recursion (deep linear). */
export function estimateLimit(spec: Spec, limit: string): Estimate {
  const r = recorded(spec);
  const points = spec.data.n + spec.data.nTest;
  const k = Math.max(spec.data.outputs, 1);
  const d = Math.max(spec.data.dim, 1);
  const opts = spec.limitOptions ?? {};
  const num = (key: string, dflt: number) => (typeof opts[key] === 'number' && Number.isFinite(opts[key]) ? (opts[key] as number) : dflt);
  return { ...limitMemory(spec, limit, r, points, k, d, num), recorded: r.rec };
}

/** Memory of the limit `limit` (its field and words for a refusal); the recorded outputs are `r`'s. */
function limitMemory(spec: Spec, limit: string, r: { heap: number; out: number }, points: number, k: number, d: number, num: (key: string, dflt: number) => number): Estimate {
  switch (limit) {
    case 'ntk':
      // NNGP and NTK on all points, an eigendecomposition (vectors and workspace) of the train block
      return { bytes: 8 * (4 * points * points + 3 * (spec.data.n * k) ** 2), heapBytes: r.heap, outputBytes: r.out, field: 'data.n', what: `${points} training and test points (kernel matrices ${points}×${points})` };
    case 'meanfield': {
      const m = num('particles', 16384) * num('seeds', 4);
      return { bytes: 8 * 12 * m * (d + 2) + 8 * 3 * points * num('particles', 16384), heapBytes: r.heap, outputBytes: r.out, field: 'limitOptions.particles', what: `${fmtCount(m)} particles over all seeds, dimension ${d}` };
    }
    case 'deeplinear':
      return { bytes: 8 * 12 * (spec.model.depth + 2) * (d * d + points * d + k * k), heapBytes: r.heap, outputBytes: r.out, field: 'model.depth', what: `depth ${spec.model.depth}, dimension ${d}` };
    default:
      return { bytes: 0, heapBytes: r.heap, outputBytes: r.out, field: 'limit', what: '' };
  }
}

/** `widelimit kernel`: NNGP and NTK on n × m points of dimension d. */
export function estimateKernel(n: number, m: number, d: number, npy: boolean, field = '--data'): Estimate {
  const entries = n * m;
  return {
    bytes: 8 * (3 * entries + (n + m) * d),
    heapBytes: 0,
    outputBytes: (npy ? 8 : JSON_BYTES_PER_NUMBER) * 2 * entries,
    field,
    what: `${n}×${m} kernel matrices (${fmtCount(entries)} entries each)`,
  };
}

/** 1234567 → `1.2e6`; small counts as they are. */
export function fmtCount(x: number): string {
  return x < 1e5 ? String(x) : x.toExponential(1).replace('e+', 'e');
}

/** Bytes → `1.4 GB`. */
export function fmtBytes(b: number): string {
  if (b < 1e6) return `${Math.ceil(b / 1e3)} kB`;
  if (b < 1e9) return `${(b / 1e6).toFixed(1)} MB`;
  return `${(b / 1e9).toFixed(1)} GB`;
}

/**
 * Refuse an estimate that does not fit: memory above what the machine has available (free memory,
 * or the cgroup's limit when lower), recorded lists above the JavaScript heap's limit, an output
 * above the free space of its folder (`diskFree`, bytes, when known).
 */
export function checkEstimate(e: Estimate, diskFree?: number, avail: Available = availableMemory(), out?: { flag: string; path: string }): void {
  if (e.recorded && e.recorded.count > MAX_RECORDED) checkRecorded(e.recorded);
  if (e.bytes > avail.bytes) {
    throw new InputError(e.field, `needs about ${fmtBytes(e.bytes)} of memory (estimate for ${e.what}), more than the ${fmtBytes(avail.bytes)} available (${avail.source}); choose a smaller size`);
  }
  const heap = heapLimit();
  if (e.heapBytes > 0.6 * heap) {
    throw new InputError('training.recordEvery', `the recorded outputs need about ${fmtBytes(e.heapBytes)} (records × points × outputs), more than the ${fmtBytes(0.6 * heap)} this process can hold in lists (JavaScript heap limit ${fmtBytes(heap)}); raise recordEvery or lower steps or data.n`);
  }
  if (diskFree !== undefined && e.outputBytes > diskFree) {
    if (out) throw new InputError(out.flag, `the result would be about ${fmtBytes(e.outputBytes)}, more than the ${fmtBytes(diskFree)} free on the disk of ${out.path}; free space, choose another disk, or lower ${e.field}`);
    throw new InputError(e.field, `the result file would be about ${fmtBytes(e.outputBytes)}, more than the ${fmtBytes(diskFree)} free on its disk`);
  }
}

/** Refuse more than {@link MAX_RECORDED} recorded numbers, saying which recordEvery is accepted. */
function checkRecorded(r: Recorded): void {
  const maxRecords = Math.floor(MAX_RECORDED / r.perRecord);
  const what = `${fmtCount(Math.floor(r.steps / r.recordEvery) + 1)} records × ${r.perRecord} numbers (points + 2 losses, × outputs) = ${fmtCount(r.count)} recorded numbers, about ${fmtBytes(JSON_BYTES_PER_NUMBER * r.count)} of JSON; at most ${fmtCount(MAX_RECORDED)} are recorded`;
  if (maxRecords < 2) throw new InputError('data.n', `${what}, and one record alone has ${r.perRecord}; use fewer points`);
  const every = Math.ceil(r.steps / (maxRecords - 1));
  throw new InputError('training.recordEvery', `${what}; use recordEvery ≥ ${every} for ${r.steps} steps (or fewer steps), got ${r.recordEvery}`);
}
