/**
 * Data types of the convergence harness: sweep cells, long-format records, fits and the
 * `results.json` of a compare or experiment folder (docs/interface.md#output-folder.
 *
 * Everything here is plain JSON-serialisable data. Numbers that are not finite are written as
 * `null` by `writeJsonAtomic` and read back as NaN by {@link readNumber}.
 */
import type { Status } from '../core/errors.js';
import type { LimitName, Spec } from '../spec/types.js';
import type { ClaimResult, Identity, Statistic } from './claims.js';

/** What every results.json carries about its claims (theory/harness.md#claims). */
export interface JudgedParts {
  /** The config's claims, decided on the interval (absent only in files older than claims). */
  claims?: ClaimResult[];
  /** Statements exact by construction, listed and not judged. */
  identities?: Identity[];
  /** Named statistics the experiment kind exported (estimate, CI, seeds). */
  statistics?: Record<string, Statistic>;
}

/** Names of the metrics the compare harness measures (theory/harness.md#metrics); plug-in kinds may add more. */
export const COMPARE_METRICS = [
  'fTrainSup',
  'fTestSup',
  'lossSup',
  'kernelInit',
  'kernelMotion',
  'weightMotion',
  'seedVariance',
  'ensembleError',
] as const;
export type CompareMetric = (typeof COMPARE_METRICS)[number];

/**
 * One observation in long format: metric `metric` at sweep value `width` (or whatever the
 * experiment sweeps, see {@link Axis}) and seed index `seed`. `seed` is null for per-width
 * quantities (e.g. `seedVariance`, a variance over seeds).
 */
export interface LongRecord {
  width: number;
  seed: number | null;
  metric: string;
  value: number;
}

/**
 * One point of a curve in long format (`curves.csv`): quantity `quantity` at flow time `time`
 * (τ = η·steps) of run `kind` (`finite`, `limit-pathwise`, `limit`, …) at `width`/`seed`
 * (null for a width- or seed-independent reference).
 */
export interface CurveRecord {
  width: number | null;
  seed: number | null;
  kind: string;
  time: number;
  quantity: string;
  value: number;
}

/**
 * How a fitted exponent p is judged against the expected one, on its interval
 * (theory/harness.md#decision-rule): 'equal' CI ⊂ [e − tol, e + tol]; 'atMost' CI ≤ e + tol (decays
 * at least that fast); 'atLeast' CI ≥ e − tol (grows at least that fast, or decays at most that fast).
 */
export type Relation = 'equal' | 'atMost' | 'atLeast';

/**
 * What a claim predicts about one metric: `metric ∝ width^exponent` within `tolerance`
 * (`relation: 'equal'`, the default), or a bound (`'atMost'`, `'atLeast'`), for theorems that
 * only bound a rate.
 */
export interface Expectation {
  metric: string;
  exponent: number;
  /** Default 0.1. */
  tolerance?: number;
  relation?: Relation;
  /**
   * The predicted constant c of `metric ≈ c·width^exponent`, where a limit predicts it
   * (theory/finite-width.md#prefactor-fit), and its own standard error (Monte Carlo); the fit
   * then reports `prefactor` and `predicted`.
   */
  prefactor?: number;
  prefactorSe?: number;
}

/** Decided on the interval (theory/harness.md#decision-rule); 'none' without an expectation. */
export type Verdict = 'pass' | 'fail' | 'inconclusive' | 'none';

/** The power-law fit of one metric, with its verdict (docs/interface.md#output-folder). */
export interface FitRecord {
  metric: string;
  /** p of `log metric = c + p log width`. */
  exponent: number;
  /** c (natural log). */
  intercept: number;
  /** Bootstrap confidence interval of p (over seeds). */
  ci: [number, number];
  /** Level of the interval, e.g. 0.95. */
  level: number;
  nBoot: number;
  r2: number;
  /** Widths and number of seed rows the fit used (after dropping failed cells). */
  widths: number[];
  nSeeds: number;
  /** Mean over seeds at each of `widths` (what the line is fitted to). */
  means: number[];
  expected: number | null;
  tolerance: number | null;
  /** 'equal': CI inside expected ± tolerance; 'atMost': CI ≤ expected + tolerance; 'atLeast': CI ≥ expected − tolerance. */
  relation: Relation;
  verdict: Verdict;
  /** Status of the fit itself ('ok' or why it could not be done). */
  status: Status;
  message: string;
  /** Only where a prefactor is predicted: the constant fitted with the exponent fixed at `expected`, bootstrap CI over seeds. */
  prefactor?: { estimate: number; ci: [number, number] };
  /** Only where a prefactor is predicted: the prediction (exponent and constant, with the constant's standard error). */
  predicted?: { exponent: number; prefactor: number; prefactorSe?: number };
}

/** The x axis of a sweep: the field name used in records and CSV, and a label for plots. */
export interface Axis {
  name: string;
  label: string;
}

/**
 * The curves of one finite run beside its limit, on the finite run's record times. Every array
 * has the length of `times`.
 */
export interface CellCurves {
  /** Flow time τ = η·steps. */
  times: number[];
  trainLoss: number[];
  testLoss: number[];
  /** Losses of the limit started from this cell's f_0 (NTK); absent when the limit is shared. */
  limitTrainLoss?: number[];
  limitTestLoss?: number[];
  /** ‖f_t^(h) − f_t^∞‖/√n on train and test inputs. */
  fTrainDev: number[];
  fTestDev: number[];
  /** ‖θ_t − θ_0‖/‖θ_0‖. */
  weightMotion?: number[];
  /** ‖Θ̂_t − Θ̂_0‖_F/‖Θ̂_0‖_F (where recorded). */
  kernelMotion?: number[];
}

/** The file `DIR/cells/w<width>-s<seed>.json`: one finished (width, seed) cell. */
export interface CellRecord {
  format: 'widelimit-cell/1';
  specHash: string;
  width: number;
  /** Seed index 0..S−1. */
  seed: number;
  /** Init seed of the finite run: spec.seed + seed. */
  initSeed: number;
  status: Status;
  message: string;
  /** Per-cell metrics (NaN where not measured). */
  metrics: Record<string, number>;
  curves: CellCurves;
  /** Final output on the test inputs, flattened (nTest·k). */
  fTestFinal: number[];
  /**
   * Final centred learned function on the test inputs, flattened: NTK `f_T^(h) − f_T^∞[f_0] + μ_T`
   * (the part of f_T not explained by the linear propagation of the random f_0); other limits
   * `f_T^(h)`. Its variance over seeds is `seedVariance` (theory/harness.md#seed-variance).
   */
  fTestCentred: number[];
  /** Wall time of the cell in seconds (not copied into results.json: results are time-free). */
  seconds: number;
}

/** The shared, seed-independent limit of a sweep (`DIR/reference.json`), on the record times. */
export interface Reference {
  format: 'widelimit-reference/1';
  specHash: string;
  limit: LimitName;
  /** Why this limit (inferLimit's reason). */
  reason: string;
  status: Status;
  message: string;
  times: number[];
  trainLoss: number[];
  testLoss: number[];
  /** Outputs at each record time, flattened (n·k and nTest·k). */
  fTrain: number[][];
  fTest: number[][];
  /** One line about the data set. */
  data: string;
  nTrain: number;
  nTest: number;
  outputs: number;
}

/** A cell's entry in results.json (time-free). */
export interface ResultCell {
  width: number;
  seed: number;
  initSeed: number;
  status: Status;
  message: string;
  metrics: Record<string, number>;
}

/** `DIR/results.json` of `widelimit compare` and of experiments of kind `compare`. */
export interface CompareResults extends JudgedParts {
  format: 'widelimit-results/1';
  kind: 'compare';
  /** Experiment name and claim (absent for a plain `compare`). */
  name?: string;
  claim?: string;
  /** True for the `--quick` version of an experiment. */
  quick?: boolean;
  spec: Spec;
  specHash: string;
  limit: { name: LimitName; reason: string; status: Status; message: string };
  axis: Axis;
  widths: number[];
  seeds: number[];
  data: { description: string; nTrain: number; nTest: number; outputs: number };
  fits: FitRecord[];
  cells: ResultCell[];
  /** Per-width metrics over seeds (seedVariance, ensembleError). */
  widthMetrics: { width: number; nSeeds: number; metrics: Record<string, number> }[];
  /** Loss curves of the shared limit (NTK: started from f_0 = 0, the ensemble mean). */
  reference: { times: number[]; trainLoss: number[]; testLoss: number[] };
  /** Cells whose status is not ok. */
  failed: number;
  status: Status;
  message: string;
  versions: Record<string, string>;
  /** Keys of `src/spec/citations.ts` for the methods used. */
  references: string[];
}

/**
 * `DIR/results.json` of a plug-in experiment kind: long-format records, their fits, and optional
 * curves (stored beside it in `DIR/curves.json`).
 */
export interface GenericResults extends JudgedParts {
  format: 'widelimit-results/1';
  kind: string;
  name: string;
  claim: string;
  quick?: boolean;
  spec?: unknown;
  axis: Axis;
  widths: number[];
  seeds: number[];
  records: LongRecord[];
  fits: FitRecord[];
  status: Status;
  message: string;
  versions: Record<string, string>;
  references: string[];
  /** Free-form notes shown in the report (Markdown paragraphs). */
  notes?: string[];
}

export type AnyResults = CompareResults | GenericResults;

/** JSON null (a non-finite number written out) back to NaN. */
export function readNumber(v: unknown): number {
  return typeof v === 'number' ? v : NaN;
}
