// Sharpness along gradient descent for the residual proportional network (theory/proportional.md#sharpness).
// Usage: node scripts/proportional-sharpness.mjs D L eta steps every seeds [lanczos]
// Prints per seed: step, train loss, test loss, S (Lanczos k and k−5), ηS; then the DMFT train loss at L.
import { Rng } from '../dist/src/core/rng.js';
import { sharpnessTrajectory } from '../dist/src/finite/proportionalSharpness.js';
import { solveResidualProportional } from '../dist/src/limits/proportional/residual.js';
import { ISOTROPIC } from '../dist/src/limits/proportional/problem.js';

const [D, L, eta, steps, every, seeds, lanczos = 30] = process.argv.slice(2).map(Number);
const at = [];
for (let t = 0; t <= steps; t += every) at.push(t);
const c = { dim: D, width: D, depth: L, gammaBar: 1, eta, sigma: 0.3, steps, data: { kind: 'repeated', samples: 2 * D }, residual: { beta0: 1 } };
const dmft = solveResidualProportional({ depth: 1, nu: 1, gammaBar: 1, eta, sigma: 0.3, steps, data: { kind: 'repeated', alpha: 2 }, spectrum: ISOTROPIC }, L, 1);
console.log(`# D=${D} L=${L} eta=${eta} steps=${steps} lanczos=${lanczos}; DMFT status ${dmft.status}`);
console.log(`# DMFT train: ${Array.from(dmft.trainLoss, (x) => x.toFixed(4)).join(' ')}`);
for (let s = 0; s < seeds; s++) {
  const t0 = Date.now();
  const r = sharpnessTrajectory(c, new Rng(`proportional-sharpness/${D}/${L}/${s}`), { at, lanczos });
  console.log(`# seed ${s} train: ${Array.from(r.trainLoss, (x) => x.toFixed(4)).join(' ')}`);
  for (const x of r.records) console.log(`seed ${s} step ${x.step} train ${r.trainLoss[x.step].toFixed(4)} test ${r.testLoss[x.step].toFixed(4)} S ${x.hessian.toFixed(3)} S_k-5 ${x.hessianEarlier.toFixed(3)} etaS ${(eta * x.hessian).toFixed(3)}`);
  console.log(`# seed ${s}: ${((Date.now() - t0) / 1000).toFixed(1)} s`);
}
