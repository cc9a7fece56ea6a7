// The residual DMFT's train loss at flow time ηt ≈ 1 against η (theory/proportional.md#sharpness): a stability threshold shows as a jump.
// Usage: node scripts/proportional-eta-threshold.mjs L [eta1,eta2,...]
import { solveResidualProportional } from '../dist/src/limits/proportional/residual.js';
import { ISOTROPIC } from '../dist/src/limits/proportional/problem.js';
const L = Number(process.argv[2]);
const etas = process.argv[3] ? process.argv[3].split(",").map(Number) : [0.025, 0.03, 0.035, 0.04, 0.045, 0.05];
for (const eta of etas) {
  const T = Math.round(1 / eta);
  const t0 = Date.now();
  const s = solveResidualProportional({ depth: 1, nu: 1, gammaBar: 1, eta, sigma: 0.3, steps: T, data: { kind: 'repeated', alpha: 2 }, spectrum: ISOTROPIC }, L, 1);
  const tr = Array.from(s.trainLoss);
  let rises = 0; for (let t = 1; t <= T; t++) if (tr[t] > tr[t - 1]) rises++;
  const q = (f) => tr[Math.round(f / eta)].toFixed(4);
  console.log(`L=${L} eta=${eta} T=${T} status=${s.status} train@flow0.25 ${q(0.25)} @0.5 ${q(0.5)} @0.75 ${q(0.75)} @1.0 ${q(1.0)} test@1.0 ${s.testLoss[T].toFixed(4)} rises=${rises} (${((Date.now()-t0)/1000).toFixed(1)} s)`);
}
