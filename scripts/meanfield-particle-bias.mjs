// The prediction's O(1/M) bias (theory/finite-width-meanfield.md#particle-bias): C(τ) of the
// mean-field risk/train/test fluctuation computed with M particles per system, for the problem of
// experiments/meanfield-finite-width-prefactor-risk.json (spec.seed 7500), one system per call of
// predictMeanFieldFluctuation so the per-system values are kept.
//
// Usage (after `npm run build`; one process, e.g. `WIDELIMIT_THREADS=1 nice -n 10 node ...`):
//   node scripts/meanfield-particle-bias.mjs run M SYSTEMS OUT.jsonl   system s uses the stream
//        `7500/fluctuation-M<M>/s<s>` (never the committed run's `7500/fluctuation`); resumes OUT
//   node scripts/meanfield-particle-bias.mjs time M                    seconds of one system (stream `probe`), no values
//   node scripts/meanfield-particle-bias.mjs summary OUT_M1.jsonl ...   C ± se per M (f sets with the exact C(0) as
//        control variate over the systems, as the kind's exactStart), ratio to the committed M = 256 prediction,
//        and the committed run's per-width ratios recomputed against each M
import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import { loadData, parseSpec } from '../dist/src/harness/deps.js';
import { mean, std, stderr } from '../dist/src/core/stats.js';
import { controlVariate, predictMeanFieldFluctuation } from '../dist/src/limits/meanfield/fluctuation.js';
import { meanFieldPopulationProblem } from '../dist/src/limits/meanfield/fluctuationProblem.js';
import { exactStartPrefactor } from '../dist/src/limits/meanfield/fluctuationStart.js';

const NAME = 'meanfield-finite-width-prefactor-risk';
const config = JSON.parse(readFileSync(`experiments/${NAME}.json`, 'utf8'));
const RESULTS = `experiments/results/${NAME}`;
const DIRECTIONS = 16;
const EPS = 1e-5;
const TAUS = [3, 6];
const WIDTHS = [256, 512, 1024, 2048, 4096];

let cached;
function problem() {
  if (cached) return cached;
  const spec = parseSpec(config.spec, 'spec');
  const data = loadData(spec.data, 'experiments');
  return (cached = { spec, P: meanFieldPopulationProblem(spec, data), inputs: [data.x, data.xTest] });
}

function system(M, seed) {
  const { P, inputs } = problem();
  const t0 = Date.now();
  const r = predictMeanFieldFluctuation(P.model, P.risk, P.d, {
    times: P.times, scheme: P.scheme, init: P.init, inputs, particles: M, systems: 1, directions: DIRECTIONS, eps: EPS, seed,
  });
  if (r.status !== 'ok') throw new Error(`${seed}: ${r.status} ${r.message}`);
  return { train: r.outputs[0].C, test: r.outputs[1].C, risk: r.risk.C, sec: (Date.now() - t0) / 1000 };
}

function run(M, systems, out) {
  const done = new Set(existsSync(out) ? readFileSync(out, 'utf8').trim().split('\n').filter(Boolean).map((l) => JSON.parse(l).s) : []);
  for (let s = 0; s < systems; s++) {
    if (done.has(s)) continue;
    appendFileSync(out, `${JSON.stringify({ M, s, ...system(M, `${config.spec.seed}/fluctuation-M${M}/s${s}`) })}\n`);
  }
}

/** Plain mean ± se, or the prediction's regression control variate on the value at τ = 0 with known mean mu. */
function estimate(values, start, mu) {
  const v = Float64Array.from(values);
  const r = mu === undefined ? { mean: mean(v), resid: v } : controlVariate(v, Float64Array.from(start), mu);
  return { C: r.mean, se: stderr(r.resid), rel: std(v) / mean(v) };
}

/** Weighted least squares C_M = α + β (256/M)^p over the M values: C_∞ = α (± se), relative bias at 256 β/α, χ². */
function fitInverseM(points, p = 1) {
  let s0 = 0, s1 = 0, s2 = 0, t0 = 0, t1 = 0;
  for (const { M, C, se } of points) {
    const w = 1 / se ** 2, x = (256 / M) ** p;
    s0 += w; s1 += w * x; s2 += w * x * x; t0 += w * C; t1 += w * x * C;
  }
  const det = s0 * s2 - s1 * s1;
  const alpha = (s2 * t0 - s1 * t1) / det, beta = (s0 * t1 - s1 * t0) / det;
  const chi2 = points.reduce((a, { M, C, se }) => a + ((C - alpha - beta * (256 / M) ** p) / se) ** 2, 0);
  return { alpha, alphaSe: Math.sqrt(s2 / det), beta: beta * 256, betaSe: Math.sqrt(s0 / det) * 256, chi2 };
}

function summary(files) {
  const { P, inputs } = problem();
  const exact = inputs.map((x) => exactStartPrefactor(P.init, P.model.activation, x));
  const committed = JSON.parse(readFileSync(`${RESULTS}/prediction.json`, 'utf8')).prediction;
  const stats = JSON.parse(readFileSync(`${RESULTS}/results.json`, 'utf8')).statistics;
  const base = { train: committed.outputs[0], test: committed.outputs[1], risk: committed.risk };
  const f = (x, n = 4) => x.toFixed(n);
  const points = {};
  for (const file of files) {
    const rows = readFileSync(file, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    const M = rows[0].M;
    console.log(`\n## M = ${M}: ${rows.length} systems × ${DIRECTIONS} directions, ${f(rows.reduce((a, r) => a + r.sec, 0) / 60, 1)} min`);
    for (const [q, mu] of [['train', exact[0]], ['test', exact[1]], ['risk', undefined]]) {
      for (let k = 0; k < P.taus.length; k++) {
        const tau = P.taus[k];
        const e = estimate(rows.map((r) => r[q][k]), rows.map((r) => r[q][0]), k === 0 ? undefined : mu);
        const c0 = base[q].C[k], s0 = base[q].se[k];
        ((points[`${q}/${k}`] ??= [{ M: 256, C: c0, se: s0 }])).push({ M, C: e.C, se: e.se });
        const ratio = e.C / c0;
        const rse = ratio * Math.sqrt((e.se / e.C) ** 2 + (s0 / c0) ** 2);
        let line = `${q} τ=${tau}: C_M ${f(e.C, 5)} ± ${f(e.se, 5)} (rel ${f(100 * e.se / e.C, 1)} %, per-system rel sd ${f(e.rel, 2)}); C_256 ${f(c0, 5)} ± ${f(s0, 5)}; C_M/C_256 ${f(ratio, 3)} ± ${f(rse, 3)} [${f(ratio - 1.96 * rse, 3)}, ${f(ratio + 1.96 * rse, 3)}]`;
        if (TAUS.includes(tau) || tau === 0) {
          const s = (m) => stats[`ratio.${q}.t${tau}${m ? `@h${m}` : ''}`];
          const per = WIDTHS.map((m) => `${m}: ${f(s(m).estimate / ratio, 3)}`).join(', ');
          line += `\n    measured/C_M per width ${per}; pooled ${f(s().estimate / ratio, 3)} [${f(s().ci[0] / ratio, 3)}, ${f(s().ci[1] / ratio, 3)}] (committed interval rescaled, C_M's error not included)`;
        }
        console.log(line);
      }
    }
  }
  console.log('\n## Fit C_M = C_∞ (1 + c/M) over M = 256 and the files (weighted least squares in 1/M)');
  for (const [key, pts] of Object.entries(points)) {
    const [q, k] = key.split('/');
    const tau = P.taus[Number(k)];
    if (q !== 'risk' && tau === 0) continue;
    const r = fitInverseM(pts), c0 = base[q].C[Number(k)];
    const inf = r.alpha / c0;
    const half = fitInverseM(pts, 0.5);
    let line = `${q} τ=${tau}: C_∞ ${f(r.alpha, 5)} ± ${f(r.alphaSe, 5)}, C_∞/C_256 ${f(inf, 3)} ± ${f(r.alphaSe / c0, 3)}, c/256 ${f(r.beta / r.alpha / 256, 3)} ± ${f(r.betaSe / r.alpha / 256, 3)}, χ² ${f(r.chi2, 1)} (${pts.length - 2} dof)`;
    line += `\n    in M^-1/2: C_∞/C_256 ${f(half.alpha / c0, 3)} ± ${f(half.alphaSe / c0, 3)}, χ² ${f(half.chi2, 1)}`;
    if (TAUS.includes(tau)) {
      const s = stats[`ratio.${q}.t${tau}`];
      for (const [law, g] of [['1/M', inf], ['M^-1/2', half.alpha / c0]]) {
        line += `\n    measured/C_∞ (${law}) pooled ${f(s.estimate / g, 3)}, per width ${WIDTHS.map((m) => f(stats[`ratio.${q}.t${tau}@h${m}`].estimate / g, 3)).join(', ')}`;
      }
    }
    console.log(line);
  }
}

const [mode, ...args] = process.argv.slice(2);
if (mode === 'run') run(Number(args[0]), Number(args[1]), args[2]);
else if (mode === 'time') console.log(`M = ${args[0]}: ${system(Number(args[0]), 'probe').sec} s per system`);
else if (mode === 'summary') summary(args);
else { console.error('usage: run M SYSTEMS OUT | time M | summary FILES...'); process.exit(2); }
