/**
 * Experiment kind `proportional-sgd` (experiments/proportional-sgd.json): one-pass SGD (a fresh
 * batch of κD samples each step) beside repeated data (full batch on αD fixed samples), both in the
 * proportional DMFT (theory/proportional.md#online) and in finite networks with the same seeds
 * (same teacher and initial weights). Statistics for claims: the agreement of each mode at the
 * largest D and the test-loss gap online − repeated at the last step (theory vs finite).
 */
import { writeJsonAtomic } from '../../core/atomic.js';
import type { ResolvedExperiment } from '../../harness/experiments.js';
import { type ExperimentKind, type ExperimentOutput, registerExperimentKind } from '../../harness/kinds.js';
import type { CurveRecord, LongRecord } from '../../harness/types.js';
import { type BootStatistic, bootstrap, convergenceCurves, convergenceRecords, type LossTable, runConvergence, standardErrors, zMaxFixed } from './convergence.js';
import { parseProportionalParams, type ProportionalParams } from './params.js';
import { signedRmsBias } from './rates.js';

const fmt = (x: number, d = 3) => (Number.isFinite(x) ? Number(x.toPrecision(d)).toString() : '–');

/** Last-step gap online − repeated of paired seeds at D. */
function gapAt(online: LossTable, repeated: LossTable, D: number): number {
  const a = online.get(D)!;
  const b = repeated.get(D)!;
  const T = a[0].length - 1;
  let g = 0;
  for (let s = 0; s < a.length; s++) g += (a[s][T] - b[s][T]) / a.length;
  return g;
}

export const proportionalSgdKind: ExperimentKind<ProportionalParams> = {
  kind: 'proportional-sgd',
  description: 'one-pass SGD against repeated data in the proportional DMFT and in finite deep linear networks (paired seeds): agreement and the sign and size of the test-loss gap',
  parse: parseProportionalParams,
  async run(p: ProportionalParams, c: ResolvedExperiment, ctx): Promise<ExperimentOutput> {
    const rep = runConvergence({ ...p, data: 'repeated' });
    const onl = runConvergence({ ...p, data: 'online' });
    const T = p.steps;
    const dims = [...rep.test.keys()].sort((a, b) => a - b);
    const largest = dims[dims.length - 1];
    const theoryGap = onl.theory.testLoss[T] - rep.theory.testLoss[T];
    // Paired bootstrap: resample seed indices jointly for both modes.
    const pairs: LossTable = new Map(dims.map((D) => [D, onl.test.get(D)!.map((_c, s) => Float64Array.of(s))]));
    const gapOf = (t: LossTable) => {
      const idx = t.get(largest)!.map((x) => x[0]);
      let g = 0;
      for (const s of idx) g += (onl.test.get(largest)![s][T] - rep.test.get(largest)![s][T]) / idx.length;
      return g;
    };
    const statistics: Record<string, BootStatistic> = {
      zMaxRepeated: bootstrap(rep.test, (t) => zMaxFixed(t.get(largest)!, rep.theory.testLoss, standardErrors(rep.test.get(largest)!)), `${c.name}/zrep`),
      zMaxOnline: bootstrap(onl.test, (t) => zMaxFixed(t.get(largest)!, onl.theory.testLoss, standardErrors(onl.test.get(largest)!)), `${c.name}/zonl`),
      gapFinite: bootstrap(pairs, gapOf, `${c.name}/gap`),
      gapTheory: { estimate: theoryGap, ci: [theoryGap, theoryGap], seeds: p.seeds, note: 'the DMFT value (exact up to rounding)' },
      rmsBiasRepeated: bootstrap(rep.test, (t) => signedRmsBias(t.get(largest)!, rep.theory.testLoss), `${c.name}/rmsrep`),
      rmsBiasOnline: bootstrap(onl.test, (t) => signedRmsBias(t.get(largest)!, onl.theory.testLoss), `${c.name}/rmsonl`),
    };
    writeJsonAtomic(`${ctx.out}/statistics.json`, statistics);
    const tag = (rs: LongRecord[], suffix: string) => rs.map((r) => ({ ...r, metric: `${r.metric}${suffix}` }));
    const records = [...tag(convergenceRecords(rep), 'Repeated'), ...tag(convergenceRecords(onl), 'Online')];
    for (const D of dims) records.push({ width: D, seed: null, metric: 'gap', value: gapAt(onl.test, rep.test, D) });
    const curves: CurveRecord[] = [
      ...convergenceCurves(rep).map((r) => ({ ...r, kind: `${r.kind}-repeated` })),
      ...convergenceCurves(onl).map((r) => ({ ...r, kind: `${r.kind}-online` })),
    ];
    const s = (k: string) => `${fmt(statistics[k].estimate)} [${fmt(statistics[k].ci[0])}, ${fmt(statistics[k].ci[1])}]`;
    const out: ExperimentOutput & { statistics: Record<string, BootStatistic> } = {
      records, curves, fits: [],
      axis: { name: 'D', label: 'input dimension D' },
      status: rep.theory.status === 'ok' ? onl.theory.status : rep.theory.status,
      message: `${fmt(rep.seconds + onl.seconds)} s`,
      spec: p,
      references: ['bordelon2025'],
      notes: [
        `Setting: depth ${p.depth}, ν = ${p.nu}, ${p.parameterization === 'mup' ? `μP γ̄ = ${p.gammaBar}` : 'NTK'}, η = ${p.eta}, σ = ${p.sigma}; repeated data α = ${p.alpha} against one-pass SGD κ = ${p.batchRatio}, ${T} steps, ${p.seeds} paired seeds per D.`,
        `Test loss at step ${T}, theory: repeated ${fmt(rep.theory.testLoss[T], 4)}, online ${fmt(onl.theory.testLoss[T], 4)}.`,
        `Statistics (95 % bootstrap over seeds): zMaxRepeated = ${s('zMaxRepeated')}, zMaxOnline = ${s('zMaxOnline')}, gapFinite (D = ${largest}) = ${s('gapFinite')}, gapTheory = ${fmt(theoryGap, 4)}.`,
        `Signed RMS-over-time bias of the seed mean (theory/proportional.md#sgd-agreement) at D = ${largest}: repeated ${s('rmsBiasRepeated')}, online ${s('rmsBiasOnline')}; per D (repeated, online): ${dims.map((D) => `${D}: ${fmt(signedRmsBias(rep.test.get(D)!, rep.theory.testLoss))}, ${fmt(signedRmsBias(onl.test.get(D)!, onl.theory.testLoss))}`).join('; ')}.`,
      ],
      statistics,
    };
    return out;
  },
};

export function registerSgdKind(): void {
  registerExperimentKind(proportionalSgdKind);
}
