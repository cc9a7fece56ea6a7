/**
 * Experiment kind `hajjar-chizat-subspace` (experiments/hajjar-chizat-subspace.json): subspace.ts
 * run by `widelimit experiment run NAME`; theory/subspace-reduction.md.
 *
 * Config: `widths` = particle numbers m of part A (mean-field GD against the reduced PDE); `seeds`;
 * `params` = {eta?, evals?, nodes?, alignWidths?, alignTime?, alignRecords?, rtol?, seed?}. Metrics
 * per (m, seed): fGapEnd, fGapSup, fGapScaled, riskGapSup, riskDiffScaled, alignDiffScaled (part A);
 * flowGapSup, alignGapSup, alignEnd, alignEndReduced (part B, m in alignWidths).
 */
import { InputError, requirePositive, requirePositiveInt, show } from '../../core/errors.js';
import type { ResolvedExperiment } from '../../harness/experiments.js';
import { fitRecords } from '../../harness/fits.js';
import type { ExperimentKind, ExperimentOutput } from '../../harness/kinds.js';
import { type SubspaceConfig, runSubspace } from './subspace.js';

const PARAMS = ['eta', 'evals', 'nodes', 'alignWidths', 'alignTime', 'alignRecords', 'rtol', 'seed'];

export function parseSubspace(c: ResolvedExperiment): SubspaceConfig {
  const w = c.name;
  if (c.spec) throw new InputError(`${w}.spec`, 'is not used by kind hajjar-chizat-subspace (the setting is in params)');
  const p = c.params ?? {};
  for (const k of Object.keys(p)) if (!PARAMS.includes(k)) throw new InputError(`${w}.params.${k}`, `unknown field (allowed: ${PARAMS.join(', ')})`);
  const aw = p.alignWidths ?? [];
  if (!Array.isArray(aw) || aw.some((m) => !Number.isInteger(m) || (m as number) < 2)) {
    throw new InputError(`${w}.params.alignWidths`, `must be a list of integers ≥ 2, got ${show(aw)}`);
  }
  const evals = p.evals === undefined ? 4 : requirePositiveInt(`${w}.params.evals`, p.evals);
  if (evals < 2) throw new InputError(`${w}.params.evals`, `must be at least 2 (one GD step), got ${evals}`);
  return {
    widths: c.widths, seeds: c.seeds,
    seed: p.seed === undefined ? 0 : requirePositiveInt(`${w}.params.seed`, (p.seed as number) + 1) - 1,
    eta: p.eta === undefined ? 2 : requirePositive(`${w}.params.eta`, p.eta),
    evals,
    nodes: p.nodes === undefined ? 256 : requirePositiveInt(`${w}.params.nodes`, p.nodes),
    alignWidths: aw as number[],
    alignTime: p.alignTime === undefined ? 40 : requirePositive(`${w}.params.alignTime`, p.alignTime),
    alignRecords: p.alignRecords === undefined ? 40 : requirePositiveInt(`${w}.params.alignRecords`, p.alignRecords),
    rtol: p.rtol === undefined ? 1e-6 : requirePositive(`${w}.params.rtol`, p.rtol),
  };
}

export const hajjarChizatSubspaceKind: ExperimentKind<SubspaceConfig> = {
  kind: 'hajjar-chizat-subspace',
  description: 'the reduced PDE of a low-dimensional target (Hajjar–Chizat) against R^4 particles: L² gap ∝ m^-1/2 under mean-field GD up to m = 65,536, neuron alignment with the target subspace along the flow',
  parse: parseSubspace,
  async run(k, c): Promise<ExperimentOutput> {
    const r = runSubspace(k);
    const fits = fitRecords(r.records, c.expected, { seed: k.seed });
    return {
      records: r.records, curves: r.curves, fits, status: r.status, message: r.message,
      axis: { name: 'particles', label: 'particles m' },
      spec: k, references: ['hajjar2023'],
      labels: {
        fGapEnd: { title: 'Particles against the reduced PDE after the GD steps', formula: '‖f_m − f_∞‖_L² at the last state', axis: 'L² gap' },
        fGapSup: { title: 'Particles against the reduced PDE, sup over the GD steps', formula: 'sup_k ‖f_m − f_∞‖_L²', axis: 'L² gap' },
        riskGapSup: { title: 'Risk of the particles against the reduced PDE', formula: 'sup_k |R_m − R_∞|', axis: 'risk gap' },
        flowGapSup: { title: 'Particles against the reduced PDE along the flow', formula: 'sup_t ‖f_m − f_∞‖_L²', axis: 'L² gap' },
        alignGapSup: { title: 'Alignment of the particles against the reduced PDE', formula: 'sup_t |A_m − A_∞|', axis: 'alignment gap' },
      },
      curveLabels: {
        fGap: { title: 'L² gap to the reduced PDE along GD (seed 0)', axis: '‖f_m − f_∞‖', log: true, series: 'm' },
        alignment: { title: 'Neuron alignment with e_1 along the flow (seed 0)', axis: 'Σ a² cos²θ / Σ a²', log: false, series: 'm' },
        alignmentReduced: { title: 'Neuron alignment with e_1 in the reduced PDE', axis: 'Σ ω a² cos²α / Σ ω a²', log: false, series: 'm' },
        riskReduced: { title: 'Risk of the reduced PDE', axis: 'R_∞', log: true, series: 'm' },
      },
      notes: [
        `Setting: ReLU, κ = 1, d = 4, x ~ N(0, I/4), target f* = √2 relu(2 x_1) (½E f*² = ½), exact population risk; w_j i.i.d. uniform on the unit sphere, a_j = ±1 i.i.d.`,
        `Reduced PDE: ${2 * k.nodes} weighted points (a, u, r) from Gauss–Chebyshev quadrature of the initial law; interaction by the arc-cosine kernel averaged over the relative orientation of the orthogonal parts (closed form). Its own discretization error, sup over the GD states of ‖f_∞(N = ${k.nodes}) − f_∞(N = ${2 * k.nodes})‖, is ${r.reducedSelfGap.toExponential(2)}.`,
        `Part A: mean-field GD (Euler, η = ${k.eta}, ${k.evals - 1} steps) for particles and reduced PDE alike; the reduction holds step by step (theory/subspace-reduction.md#discrete-time). Part B: gradient flow (dopri5, rtol ${k.rtol}) to t = ${k.alignTime}.`,
        'The particle velocity is the exact O(m²) pair sum of the population risk (no cheaper exact velocity exists for a finite measure in R^4; theory/subspace-reduction.md#cost).',
      ],
    };
  },
};
