/**
 * `npm run bench [-- --only NAME] [--quick] [--no-peer]`: times widelimit's workloads and, where a
 * Python 3 with torch / numpy exists, the equivalent peer scripts of `bench/peers/` in the same
 * run with the same thread count, float64, sizes and steps; prints a table with the ratios
 * ours/peer against the goals of issues 2–6 and writes `bench-results.json` in the current folder.
 *
 * Our side runs on one thread (WIDELIMIT_THREADS=1 is set here; a workload that times more says
 * so in its row) on the engine of src/core/engine.ts (WIDELIMIT_ENGINE=native|wasm), printed in
 * the header and recorded in the results file.
 *
 * Options:
 *   --only S    run the workloads whose name contains S (repeatable, or comma-separated)
 *   --quick     small sizes (smoke test; with --no-peer it finishes in well under 30 s)
 *   --no-peer   do not run the Python peers
 *   --out FILE  results file (default bench-results.json)
 */
import { cpus, loadavg, totalmem } from 'node:os';
import { resolve } from 'node:path';
import { writeJsonAtomic } from '../src/core/atomic.js';
import { engineLabel, nativeAvailable } from '../src/core/engine.js';
import { nativeUnavailableReason } from '../src/core/gemmNative.js';
import { probePython, type PeerLibrary, type PythonProbe } from './lib/python.js';
import { formatTable, ratio, met } from './lib/table.js';
import { now } from './lib/timing.js';
import type { BenchContext, BenchRow, Workload } from './lib/workload.js';
import { gemmWorkload } from './workloads/gemm.js';
import { trainerWorkload } from './workloads/trainer.js';
import { ntkGramWorkload } from './workloads/ntkGram.js';
import { ntkPredictWorkload } from './workloads/ntkPredict.js';
import { meanfieldWorkload } from './workloads/meanfield.js';
import { deeplinearWorkload } from './workloads/deeplinear.js';
import { proportionalWorkload } from './workloads/proportional.js';
import { experimentWorkload } from './workloads/experiment.js';

const WORKLOADS: readonly Workload[] = [
  trainerWorkload,
  ntkGramWorkload,
  ntkPredictWorkload,
  meanfieldWorkload,
  deeplinearWorkload,
  proportionalWorkload,
  experimentWorkload,
  gemmWorkload,
];

interface Options {
  only: string[];
  quick: boolean;
  peer: boolean;
  out: string;
}

const USAGE = 'usage: node dist/bench/run.js [--only NAME[,NAME]] [--quick] [--no-peer] [--out FILE]';

function parseArgs(argv: readonly string[]): Options {
  const o: Options = { only: [], quick: false, peer: true, out: 'bench-results.json' };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = (): string => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${a} needs a value\n${USAGE}`);
      return v;
    };
    if (a === '--only') o.only.push(...value().split(',').filter((s) => s !== ''));
    else if (a.startsWith('--only=')) o.only.push(...a.slice(7).split(',').filter((s) => s !== ''));
    else if (a === '--quick') o.quick = true;
    else if (a === '--no-peer') o.peer = false;
    else if (a === '--out') o.out = value();
    else if (a === '--help' || a === '-h') {
      process.stdout.write(`${USAGE}\nworkloads: ${WORKLOADS.map((w) => w.name).join(', ')}\n`);
      process.exit(0);
    } else throw new Error(`unknown option ${a}\n${USAGE}`);
  }
  return o;
}

async function main(): Promise<void> {
  let opts: Options;
  try {
    opts = parseArgs(process.argv.slice(2));
  } catch (e) {
    process.stderr.write(`error: ${(e as Error).message}\n`);
    process.exit(2);
  }
  // A workload runs when a filter is part of its name (`ntk` → every NTK workload) or names one of
  // its cases (`trainer-small` → the trainer workload, which then runs that case only).
  const selected = WORKLOADS.filter((w) => opts.only.length === 0 || opts.only.some((s) => w.name.includes(s) || s.startsWith(w.name)));
  if (selected.length === 0) {
    process.stderr.write(`error: --only: no workload matches ${opts.only.join(', ')} (have: ${WORKLOADS.map((w) => w.name).join(', ')})\n`);
    process.exit(2);
  }
  process.env.WIDELIMIT_THREADS = '1';
  const t0 = now();
  const log = (msg: string) => process.stderr.write(`[bench ${(now() - t0).toFixed(1)}s] ${msg}\n`);

  let probe: PythonProbe | null = null;
  let noPeer = '';
  if (!opts.peer) noPeer = 'peers disabled by --no-peer';
  else {
    log('probing Python (WIDELIMIT_PYTHON, /usr/bin/python3, python3) for numpy and torch');
    probe = probePython();
  }
  const ctx: BenchContext = {
    quick: opts.quick,
    peer: (lib: PeerLibrary) => (probe ? probe[lib] : { missing: noPeer }),
    log,
    selects: (rowName: string) => opts.only.length === 0 || opts.only.some((s) => rowName.includes(s) || s.includes(rowName)),
  };

  const loadStart = loadavg()[0];
  const rows: BenchRow[] = [];
  for (const w of selected) {
    try {
      rows.push(...(await w.run(ctx)));
    } catch (e) {
      rows.push({ workload: w.name, size: '-', threads: 1, ours: null, peer: null, goal: null, notes: [`failed: ${(e as Error).stack ?? e}`] });
    }
  }

  const lines: string[] = [];
  lines.push(`widelimit bench${opts.quick ? ' (--quick sizes)' : ''}: node ${process.version}, ${cpus().length} × ${cpus()[0]?.model ?? '?'}`);
  lines.push(`our engine: ${engineLabel()}${nativeAvailable() ? '' : ` (native engine ${nativeUnavailableReason()})`}, 1 thread unless a row says otherwise`);
  if (probe) {
    for (const lib of ['torch', 'numpy'] as const) {
      const p = probe[lib];
      lines.push('exe' in p ? `peer ${lib}: ${p.exe} (${lib} ${p.version})` : `peer ${lib}: none — ${p.missing}; our times only`);
    }
    if (probe.blas) lines.push(`peer BLAS: ${probe.blas}`);
  } else lines.push(`peers: not run (${noPeer}); our times only`);
  const loadEnd = loadavg()[0];
  lines.push(`load average (1 min) at start ${loadStart.toFixed(2)}, at end ${loadEnd.toFixed(2)} on ${cpus().length} cores: above the core count, times are inflated by other processes`);
  lines.push('float64 on both sides; ratio = ours/peer (< 1: we are faster); thr = threads of our code, also given to the peer');
  lines.push('');
  lines.push(formatTable(rows));
  process.stdout.write(lines.join('\n') + '\n');

  const outPath = resolve(opts.out);
  writeJsonAtomic(outPath, {
    date: new Date().toISOString(),
    quick: opts.quick,
    engine: engineLabel(),
    machine: { node: process.version, cpus: cpus().length, cpu: cpus()[0]?.model ?? '?', memoryBytes: totalmem(), loadAverage: { start: loadStart, end: loadEnd } },
    peers: probe ?? { disabled: noPeer },
    rows: rows.map((r) => ({ ...r, ratio: ratio(r), met: met(r) })),
  });
  process.stdout.write(`\nresults: ${outPath}\n`);
}

main().catch((e) => {
  process.stderr.write(`error: ${(e as Error).stack ?? e}\n`);
  process.exit(1);
});
