/**
 * The finite-vs-limit experiment of deep linear networks (theory/harness.md#metrics, theory/deeplinear.md#finite-checks; issue "Must show":
 * seed mean within 3 standard errors of the recursion at every recorded step, per-seed deviation
 * ∝ N^{−1/2}): {@link checkDeepLinearAgainstFinite} run one width at a time (progress, resume),
 * plus a summary of the seed-mean agreement per width (theory/deeplinear.md#finite-checks).
 *
 * The experiment's spec is an ordinary spec file (docs/interface.md#spec-file) restricted to what the check
 * runs: gaussian data with one output, identity activation, `meanfield` (μP, γ0 = model.gamma0)
 * or `ntk`, weightStd 1, no bias, α = 1, full-batch GD on the MSE; `limitOptions.residual` /
 * `beta0` select the residual network. Init seeds are 0..seeds−1 (spec.seed is not used).
 */
import { InputError, show } from '../../core/errors.js';
import type { Status } from '../../core/errors.js';
import type { ResolvedExperiment } from '../../harness/experiments.js';
import { parseActivation } from '../../finite/activation.js';
import { parseSpec } from '../../spec/validate.js';
import type { Spec } from '../../spec/types.js';
import { type CheckCurve, type CheckRecord, type DeepLinearCheckConfig, checkDeepLinearAgainstFinite } from './check.js';
import { cachedPart, num } from './experimentCache.js';
import { parseDeepLinearOptions } from '../../limits/deeplinear/options.js';

/** The check's configuration from an experiment config (InputErrors name `<name>.spec.<field>`). */
export function checkConfigFromExperiment(c: ResolvedExperiment): { config: DeepLinearCheckConfig; spec: Spec } {
  const w = `${c.name}.spec`;
  if (!c.spec) throw new InputError(w, 'is required: a spec of a deep linear network on gaussian data (see src/regimes/deeplinear/experimentCheck.ts)');
  const spec = parseSpec(c.spec, w);
  return { config: checkConfigFromSpec(spec, c.widths, c.seeds, w), spec };
}

/** A validated spec as a check configuration (what the check cannot run is an InputError). */
export function checkConfigFromSpec(spec: Spec, widths: number[], seeds: number, w = 'spec'): DeepLinearCheckConfig {
  const d = spec.data;
  const m = spec.model;
  const t = spec.training;
  const bad = (field: string, what: string) => new InputError(`${w}.${field}`, what);
  if (d.source !== 'gaussian') throw bad('data.source', `must be "gaussian" for this experiment, got ${show(d.source)}`);
  if (d.outputs !== 1) throw bad('data.outputs', `must be 1, got ${show(d.outputs)}`);
  if (parseActivation(m.activation, `${w}.model.activation`).family.kind !== 'identity') throw bad('model.activation', `must be "identity", got ${show(m.activation)}`);
  if (m.parameterization !== 'meanfield' && m.parameterization !== 'ntk') throw bad('model.parameterization', `must be "meanfield" or "ntk", got ${show(m.parameterization)}`);
  if (m.weightStd !== 1) throw bad('model.weightStd', `must be 1, got ${show(m.weightStd)}`);
  if (m.biasStd !== 0) throw bad('model.biasStd', `must be 0, got ${show(m.biasStd)}`);
  if (m.alpha !== 1 || m.centred) throw bad('model', 'must have alpha 1 and centred false');
  if (t.method !== 'gd' || t.loss !== 'mse') throw bad('training', `must be full-batch gradient descent ("gd") on the "mse" loss, got ${show(t.method)} on ${show(t.loss)}`);
  const o = parseDeepLinearOptions(spec.limitOptions);
  return {
    depth: m.depth, widths: [...widths].sort((a, b) => a - b), seeds, parameterization: m.parameterization, gamma0: m.gamma0,
    lr: t.lr, steps: t.steps, recordEvery: t.recordEvery,
    data: { n: d.n, nTest: d.nTest, dim: d.dim, target: d.target, seed: d.seed, noise: d.noise ?? 0 },
    ...(o.residual ? { residual: { beta0: o.beta0 } } : {}),
  };
}

export interface CheckExperimentResult {
  records: CheckRecord[];
  curves: CheckCurve[];
  status: Status;
  message: string;
  /** Per width: the agreement of the seed mean with the limit over the recorded steps. */
  agreement: WidthAgreement[];
}

export interface WidthAgreement {
  width: number;
  steps: number;
  /** max over recorded steps of zRms = √(mean_μ z_μ²). */
  zRmsMax: number;
  /** max over steps and outputs of |z_μ|. */
  zMax: number;
  /** Recorded steps with zRms ≥ 3. */
  stepsOver3: number;
  /** Recorded steps where some output has |z| ≥ 3. */
  stepsZOver3: number;
}

interface Part { records: CheckRecord[]; curves: CheckCurve[]; status: Status; message: string }

const revive = (x: unknown): Part => {
  const p = x as Part;
  return {
    ...p,
    records: p.records.map((r) => ({ ...r, value: num(r.value) })),
    curves: p.curves.map((r) => ({ ...r, value: num(r.value) })),
  };
};

/**
 * Run the check one width at a time (the limit is recomputed per width: O(L P² T³), negligible
 * beside the networks), saving each width under `out/parts/` for resume; `tick(width, seconds)`.
 */
export function runCheckExperiment(c: DeepLinearCheckConfig, out: string, tick?: (width: number, seconds: number, reused: boolean) => void): CheckExperimentResult {
  const records: CheckRecord[] = [];
  const curves: CheckCurve[] = [];
  let status: Status = 'ok';
  let message = '';
  c.widths.forEach((width, i) => {
    const t0 = performance.now();
    const one = { ...c, widths: [width] };
    const { data, reused } = cachedPart(out, `check-w${width}`, one, () => checkDeepLinearAgainstFinite(one), revive);
    records.push(...data.records);
    // the limit's curves once
    curves.push(...data.curves.filter((x) => i === 0 || x.kind !== 'limit'));
    if (data.status !== 'ok' && status === 'ok') [status, message] = [data.status, data.message];
    tick?.(width, (performance.now() - t0) / 1000, reused);
  });
  return { records, curves, status, message, agreement: c.widths.map((w) => agreementOf(curves, w)) };
}

function agreementOf(curves: CheckCurve[], width: number): WidthAgreement {
  const rms = curves.filter((x) => x.width === width && x.kind === 'agreement' && x.quantity === 'zRms').map((x) => x.value);
  const mx = curves.filter((x) => x.width === width && x.kind === 'agreement' && x.quantity === 'zMax').map((x) => x.value);
  const max = (v: number[]) => (v.length === 0 || v.some((x) => Number.isNaN(x)) ? NaN : Math.max(...v));
  return {
    width, steps: rms.length, zRmsMax: max(rms), zMax: max(mx),
    stepsOver3: rms.filter((z) => !(z < 3)).length, stepsZOver3: mx.filter((z) => !(z < 3)).length,
  };
}

/** Records of the agreement (per width, seed null): zRmsMax, zMax. */
export function agreementRecords(a: WidthAgreement[]): CheckRecord[] {
  return a.flatMap((x) => [
    { width: x.width, seed: null, metric: 'zRmsMax', value: x.zRmsMax },
    { width: x.width, seed: null, metric: 'zMax', value: x.zMax },
  ]);
}
