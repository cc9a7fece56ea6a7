/**
 * Experiment kinds of the mean-field limit (experiments/README.md, "Writing an experiment kind"):
 *
 * - `meanfield-odd-target` (experiments/meanfield-odd-target.json): particle systems against the
 *   reduced sinh ODE of an odd target (experimentOdd.ts), fitted exponent of the sup-distance
 *   against the number of particles m (propagation of chaos: m^{−1/2}).
 *
 * The finite-network check (`meanfield-finite-gd`) is the built-in `compare` kind with the
 * meanfield limit and needs no kind of its own.
 */
import { InputError, requirePositive, requirePositiveInt, show } from '../../core/errors.js';
import type { ResolvedExperiment } from '../../harness/experiments.js';
import { fitRecords } from '../../harness/fits.js';
import { type ExperimentKind, type ExperimentOutput, registerExperimentKind } from '../../harness/kinds.js';
import { createProgress } from '../../harness/progress.js';
import { type OddExperimentConfig, runOddExperiment } from './experimentOdd.js';

const ODD_PARAMS = ['dim', 'tMax', 'records', 'rtol', 'field', 'crossCheckWidth', 'seed'] as const;

/** Validate the config of `meanfield-odd-target` (errors name `<name>.<field>`). */
export function parseOddKind(c: ResolvedExperiment): OddExperimentConfig {
  const w = c.name;
  const p = c.params ?? {};
  for (const k of Object.keys(p)) {
    if (!(ODD_PARAMS as readonly string[]).includes(k)) throw new InputError(`${w}.params.${k}`, `unknown field (allowed: ${ODD_PARAMS.join(', ')})`);
  }
  if (c.spec !== undefined) throw new InputError(`${w}.spec`, 'kind meanfield-odd-target takes no spec (the setting is fixed: params.dim, tMax, records, rtol)');
  c.widths.forEach((m, i) => {
    if (m % 2 !== 0) throw new InputError(`${w}.widths[${i}]`, `must be even (the symmetric pairing), got ${m}`);
  });
  const field = p.field ?? 'paired';
  if (field !== 'paired' && field !== 'population') throw new InputError(`${w}.params.field`, `must be "paired" or "population", got ${show(field)}`);
  const cross = p.crossCheckWidth ?? 0;
  if (cross !== 0 && (requirePositiveInt(`${w}.params.crossCheckWidth`, cross) % 2 !== 0)) {
    throw new InputError(`${w}.params.crossCheckWidth`, `must be even or 0, got ${cross}`);
  }
  const seed = p.seed ?? 0;
  if (typeof seed !== 'number' && typeof seed !== 'string') throw new InputError(`${w}.params.seed`, `must be a number or a string, got ${show(seed)}`);
  return {
    dim: requirePositiveInt(`${w}.params.dim`, p.dim ?? 20),
    widths: [...c.widths].sort((a, b) => a - b),
    seeds: c.seeds,
    tMax: requirePositive(`${w}.params.tMax`, p.tMax ?? 24),
    records: requirePositiveInt(`${w}.params.records`, p.records ?? 24),
    rtol: requirePositive(`${w}.params.rtol`, p.rtol ?? 1e-6),
    field,
    crossCheckWidth: cross as number,
    seed,
  };
}

function oddNotes(p: OddExperimentConfig, s: ReturnType<typeof runOddExperiment>['summary']): string[] {
  const notes = [
    `Setting (Hajjar–Chizat): d = ${p.dim}, x ~ N(0, I/d), f* = C Σ z_k x_k³ with ½E f*² = 1 (z ~ N(0, I) from the stream "target" of seed ${JSON.stringify(p.seed)}), ReLU without bias, w_j uniform on the unit sphere, a_j = ±1, symmetric pairing (a, w)/(−a, −w), exact population risk, κ = 1. ‖w*‖ = ${s.wStar.toPrecision(4)}, V = ${s.V.toPrecision(4)}; the ODE reaches ‖w_t‖ = ${s.wFinal.toPrecision(4)} (${(100 * s.wFinal / s.wStar).toFixed(1)} % of ‖w*‖) at t = ${p.tMax}.`,
    `Particle systems: dopri5 with rtol ${p.rtol.toExponential(1)} (atol ${(p.rtol / 100).toExponential(1)}), records at ${p.records + 1} equally spaced times in [0, ${p.tMax}]; the reduced ODE by dopri5 at rtol 1e-10. wDistance = sup over the records of ‖w_t^(m) − w_t^ODE‖ with w_t^(m) = ½(1/m)Σ_j a_j w_j (the paired network is exactly x ↦ w_t^(m)·x).`,
    p.field === 'paired'
      ? 'Field: the exact population velocity of a paired configuration, ȧ_j = w_j·g, ẇ_j = a_j g, g = ½(X̄ − v w_t) — O(md) per evaluation instead of the O(m²d) arc-cosine pair sums (theory/meanfield.md#odd-target, step 2).'
      : 'Field: the general arc-cosine population field (O(m²d) per evaluation).',
  ];
  if (p.crossCheckWidth > 0) {
    notes.push(`Cross-check at m = ${p.crossCheckWidth} (seed 0): the same system run with both fields differs by at most ${s.crossCheck.toExponential(2)} in w_t over [0, ${p.tMax}] (record fieldCrossCheck).`);
  }
  return notes;
}

export const meanfieldOddTargetKind: ExperimentKind<OddExperimentConfig> = {
  kind: 'meanfield-odd-target',
  description: 'mean-field particle systems against the reduced sinh ODE of an odd target (Hajjar–Chizat): sup-distance against the number of particles m',
  parse: parseOddKind,
  async run(p, c, ctx): Promise<ExperimentOutput> {
    const pending = p.widths.flatMap((m) => new Array<number>(p.seeds).fill(m));
    const sink = ctx.progress === true
      ? createProgress({ label: c.name, pending, cost: (m) => m, skipped: 0 })
      : ctx.progress === false ? null : ctx.progress;
    const r = runOddExperiment(p, (m, s, status, seconds) => sink?.tick({ width: m, seed: s, status, seconds }));
    sink?.finish();
    const fits = fitRecords(r.records.filter((x) => x.metric !== 'fieldCrossCheck'), c.expected, { seed: String(p.seed) });
    return {
      records: r.records, curves: r.curves, fits, status: r.status, message: r.message,
      axis: { name: 'm', label: 'particles m' },
      spec: { setting: 'Hajjar–Chizat odd cubic target', ...p },
      references: ['hajjar2023', 'mei2018', 'chizat2018', 'efron1993'],
      labels: {
        wDistance: { title: 'Distance to the sinh ODE', formula: 'sup_t ‖w_t^(m) − w_t^ODE‖', axis: 'sup_t ‖w_t − w_t^ODE‖' },
        riskSup: { title: 'Risk-curve distance', formula: 'sup_t |R_t^(m) − R_t^ODE|', axis: 'sup_t |R_t − R_t^ODE|' },
        fieldCrossCheck: { title: 'Paired vs general field', formula: 'max_t ‖w_t(paired field) − w_t(arc-cosine field)‖', axis: 'max_t difference' },
      },
      notes: oddNotes(p, r.summary),
    };
  },
};

/** Register the mean-field kinds with the harness (idempotent). */
export function registerMeanFieldKinds(): void {
  registerExperimentKind(meanfieldOddTargetKind);
}
