/**
 * meanfield-step: one explicit Euler step of the mean-field particle flow (theory/meanfield.md#model) on the
 * exact population risk — x ~ N(0, I_d), ReLU, teacher-ReLU target — with m particles, using
 * `createPopulationField` (src/limits/meanfield/population.ts): one velocity evaluation (all m²
 * pairs, with the risk as a by-product) and the update y ← y + dt·ẏ. Peer: NumPy with m×m
 * arc-cosine kernel matrices (bench/peers/meanfield.py), from the same particles and teacher;
 * the risks must agree to rounding. Goal (issue 4): ours/peer ≤ 1.0 at m = 4096, d = 10.
 */
import { mat } from '../../src/core/matrix.js';
import { Rng } from '../../src/core/rng.js';
import { parseActivation } from '../../src/finite/activation.js';
import type * as PopulationModule from '../../src/limits/meanfield/population.js';
import { runPeer } from '../lib/python.js';
import { ADAPTIVE, measure } from '../lib/timing.js';
import { loadModule, skippedRow, type BenchContext, type BenchRow, type Workload } from '../lib/workload.js';

const GOAL = 1.0;
const DT = 0.01;
/** Teacher neurons. */
const Q = 3;

export const meanfieldWorkload: Workload = {
  name: 'meanfield-step',
  async run(ctx: BenchContext): Promise<BenchRow[]> {
    const [m, d] = ctx.quick ? [512, 10] : [4096, 10];
    const size = `m=${m} d=${d} relu, teacher-relu (${Q} neurons), population risk`;
    const mod = await loadModule<typeof PopulationModule>('src/limits/meanfield/population.js', ['createPopulationField']);
    if (typeof mod === 'string') return [skippedRow('meanfield-step', size, mod, GOAL)];
    const rng = new Rng('bench/meanfield');
    const y0 = new Float64Array(m * (d + 1));
    rng.child('particles').fillNormal(y0); // a_j ~ N(0, 1), w_j ~ N(0, I_d)
    const U = mat(Q, d);
    rng.child('teacher').fillNormal(U.data);
    const coeffs = new Float64Array(Q).fill(1 / Math.sqrt(Q));
    const risk: PopulationModule.PopulationRisk = {
      kind: 'population', variance: 1, target: { kind: 'teacher-relu', weights: U, coeffs, offset: 0 },
    };
    const field = mod.createPopulationField({ activation: parseActivation('relu', 'model.activation'), wRate: 1 }, risk, { m, d });
    const dy = new Float64Array(y0.length);
    const y1 = new Float64Array(y0.length);
    let R = NaN;
    ctx.log(`meanfield-step: ours (${size})`);
    const ours = await measure(ADAPTIVE, () => {
      R = field.velocity(y0, dy);
      for (let i = 0; i < y0.length; i++) y1[i] = y0[i] + DT * dy[i];
    });
    const notes: string[] = [];
    let peer = null;
    let peerRisk: number | null = null;
    const py = ctx.peer('numpy');
    if ('exe' in py) {
      ctx.log('meanfield-step: numpy');
      const r = runPeer(py, 'meanfield.py', { variance: 1, dt: DT, wRate: 1 }, {
        a: { data: y0.subarray(0, m), shape: [m] },
        W: { data: y0.subarray(m), shape: [m, d] },
        c: { data: coeffs, shape: [Q] },
        U: { data: U.data, shape: [Q, d] },
      }, ADAPTIVE, 1);
      if ('error' in r) notes.push(`peer failed: ${r.error}`);
      else {
        peer = r.timing;
        peerRisk = r.check;
        const aSum = y1.subarray(0, m).reduce((s, v) => s + v, 0);
        const pa = r.info.a_sum as number;
        notes.push(`updated Σa_j: ours ${aSum.toPrecision(12)}, peer ${pa.toPrecision(12)}`);
      }
    }
    return [{
      workload: 'meanfield-step', size, threads: 1, ours, peer, goal: GOAL, notes,
      check: { what: 'population risk', ours: R, peer: peerRisk },
    }];
  },
};
