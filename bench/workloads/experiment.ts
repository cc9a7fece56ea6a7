/**
 * ntk-experiment: wall time of the full NTK convergence experiment,
 * `widelimit experiment run ntk-relu-gaussian --out <tmp> --workers T` (compiled CLI, start-up and
 * report included), beside bench/peers/experiment.py: the same widths × seeds of GD training
 * with the same records and empirical kernels, the same path-wise limit predictions, metrics and
 * fits, in PyTorch + NumPy on a pool of T processes (wall time of the Python process, start-up
 * and imports included; it writes no HTML/SVG report). The data set is ours, handed to the peer.
 * The fitted exponents of both runs are printed beside each other (different initial weights,
 * so they agree only statistically). Goal (issue 6): ours/peer ≤ 1.0.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import type * as ExperimentsModule from '../../src/harness/experiments.js';
import type * as ValidateModule from '../../src/spec/validate.js';
import type * as LoadModule from '../../src/data/load.js';
import type { Spec } from '../../src/spec/types.js';
import { CLI, ROOT } from '../lib/paths.js';
import { runPeer } from '../lib/python.js';
import type { Timing } from '../lib/timing.js';
import { loadModule, skippedRow, type BenchContext, type BenchRow, type Workload } from '../lib/workload.js';

const NAME = 'ntk-relu-gaussian';
const GOAL = 0.8;

interface FitLine { metric: string; exponent: number | null; ci: [number | null, number | null] | null }

function oneRun(seconds: number): Timing {
  return { best: seconds, all: [seconds], warmup: 0, reps: 1 };
}

export const experimentWorkload: Workload = {
  name: 'ntk-experiment',
  async run(ctx: BenchContext): Promise<BenchRow[]> {
    const threads = Math.max(1, availableParallelism());
    const config = join(ROOT, 'experiments', `${NAME}.json`);
    const label = ctx.quick ? `${NAME} --quick` : NAME;
    if (!existsSync(config)) return [skippedRow('ntk-experiment', label, `experiments/${NAME}.json not available`, GOAL)];
    if (!existsSync(CLI)) return [skippedRow('ntk-experiment', label, 'dist/src/cli/main.js not available (build first)', GOAL)];
    const exps = await loadModule<typeof ExperimentsModule>('src/harness/experiments.js', ['loadExperiment', 'resolveExperiment']);
    const validate = await loadModule<typeof ValidateModule>('src/spec/validate.js', ['parseSpec']);
    const load = await loadModule<typeof LoadModule>('src/data/load.js', ['loadData']);
    for (const m of [exps, validate, load]) if (typeof m === 'string') return [skippedRow('ntk-experiment', label, m, GOAL)];
    const E = exps as typeof ExperimentsModule, V = validate as typeof ValidateModule, D = load as typeof LoadModule;

    const resolved = E.resolveExperiment(E.loadExperiment(NAME), ctx.quick);
    const spec = V.parseSpec(resolved.spec, `${NAME}.spec`);
    const size = `${label}: widths ${resolved.widths.join(',')} × ${resolved.seeds} seeds, n=${spec.data.n} steps=${spec.training.steps}`;
    const notes: string[] = [];

    // Ours: the CLI as a user runs it.
    const out = mkdtempSync(join(tmpdir(), 'widelimit-bench-exp-'));
    let ours: Timing | null = null;
    let oursFits: FitLine[] = [];
    try {
      const args = [CLI, 'experiment', 'run', NAME, '--out', out, '--workers', String(threads), '--quiet'];
      if (ctx.quick) args.push('--quick');
      ctx.log(`ntk-experiment: ours (node ${args.slice(1).join(' ')})`);
      const t0 = performance.now();
      const r = spawnSync(process.execPath, args, { encoding: 'utf8', timeout: 6 * 3600 * 1000, maxBuffer: 64 * 1024 * 1024 });
      const secs = (performance.now() - t0) / 1000;
      if (r.status !== 0 && r.status !== 3) {
        notes.push(`ours failed (exit ${r.status}): ${(r.stderr || r.stdout).trim().split('\n').slice(-2).join(' | ')}`);
      } else {
        ours = oneRun(secs);
        if (r.status === 3) notes.push('ours: exit 3 (a numerical failure in some cell)');
        const resPath = join(out, 'results.json');
        if (existsSync(resPath)) {
          const res = JSON.parse(readFileSync(resPath, 'utf8')) as { fits?: FitLine[] };
          oursFits = res.fits ?? [];
        }
      }
    } finally {
      rmSync(out, { recursive: true, force: true });
    }

    let peer: Timing | null = null;
    let peerFits: Record<string, { exponent: number | null; ci: [number | null, number | null] | null }> = {};
    const py = ctx.peer('torch');
    if ('exe' in py) {
      const unsupported = peerUnsupported(spec);
      if (unsupported) notes.push(`peer not run: ${unsupported}`);
      else {
        const data = D.loadData(spec.data, resolved.dir);
        ctx.log('ntk-experiment: torch + numpy');
        const r = runPeer(py, 'experiment.py', { spec, widths: resolved.widths, seeds: resolved.seeds }, {
          x: { data: data.x.data, shape: [data.x.rows, data.x.cols] },
          y: { data: data.y.data, shape: [data.y.rows, data.y.cols] },
          xTest: { data: data.xTest.data, shape: [data.xTest.rows, data.xTest.cols] },
          yTest: { data: data.yTest.data, shape: [data.yTest.rows, data.yTest.cols] },
        }, { warmup: 0, reps: 1 }, threads, 6 * 3600);
        if ('error' in r) notes.push(`peer failed: ${r.error}`);
        else {
          peer = oneRun(r.wallSeconds);
          peerFits = (r.info.fits ?? {}) as typeof peerFits;
        }
      }
    }
    for (const f of oursFits) {
      const p = peerFits[f.metric];
      const num = (v: number | null | undefined, digits: number) => (typeof v === 'number' && Number.isFinite(v) ? v.toFixed(digits) : 'NaN');
      const fmt = (e: number | null, ci: [number | null, number | null] | null) => `${num(e, 3)} [${num(ci?.[0], 2)}, ${num(ci?.[1], 2)}]`;
      notes.push(`exponent ${f.metric}: ours ${fmt(f.exponent, f.ci)}${p ? `, peer ${fmt(p.exponent, p.ci)}` : ''}`);
    }
    notes.push(`wall times of whole processes; ${threads} worker thread(s) for ours, ${threads} process(es) × 1 torch thread for the peer`);
    return [{
      workload: 'ntk-experiment', size, threads, ours, peer, goal: GOAL, notes,
      extra: { oursFits, peerFits },
    }];
  },
};

/** Why the peer cannot run this spec, or null. */
function peerUnsupported(spec: Spec): string | null {
  const m = spec.model;
  const t = spec.training;
  if (m.parameterization !== 'ntk') return `parameterization ${JSON.stringify(m.parameterization)} (peer: ntk only)`;
  if (m.activation !== 'relu' && m.activation !== 'erf') return `activation ${m.activation} (peer: relu, erf)`;
  if (t.loss !== 'mse') return `loss ${t.loss} (peer: mse only)`;
  if (t.method !== 'gd') return `method ${t.method} (peer: gd only)`;
  if (m.alpha !== 1 || m.centred) return 'alpha ≠ 1 or centred (peer: plain ntk)';
  if (spec.data.outputs !== 1) return 'k > 1 outputs (peer: k = 1)';
  return null;
}
