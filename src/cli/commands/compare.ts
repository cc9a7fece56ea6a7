/**
 * `widelimit compare --spec S.json --widths 64,128,256 --seeds 8 --out DIR [--workers n] [--quiet]
 * [--queue URL | --emit-slurm FILE]` (docs/interface.md#commands): sweep widths × seeds of the spec's network against its limit, fit the
 * convergence exponents, write DIR/results.json and the report. Re-running the same command
 * resumes an interrupted sweep. Exit 3 when a cell failed numerically (the others still count) or a
 * computed value is not finite (src/cli/compareStatus.ts).
 */
import { dirname } from 'node:path';
import { Option, type Command } from 'commander';
import { InputError, show } from '../../core/errors.js';
import { runCompare } from '../../harness/compare.js';
import { readSpecFile } from '../../harness/deps.js';
import { defaultWorkers } from '../../harness/pool.js';
import { writeReport } from '../../harness/report/index.js';
import { fitsText } from '../../harness/report/text.js';
import { claimsText } from '../../harness/report/claimsText.js';
import { strictResult } from './experiment.js';
import { compareStatus } from '../compareStatus.js';
import { cliAction, type CliIO } from '../action.js';
import { intOption, requiredOption } from '../options.js';
import { checkOutDir } from '../outputs.js';
import { interruptLine, onInterrupt } from '../interrupt.js';
import { checkSizes } from '../../spec/size.js';
import { estimateLimit, estimateTrain } from '../../spec/estimate.js';
import type { Spec } from '../../spec/types.js';
import { BOUNDS } from '../../spec/validate.js';
import { checkInputsNotOutputs } from '../paths.js';
import { checkFits, specInputs } from '../preflight.js';
import { QUEUE_HELP, SLURM_HELP, backendOf, emittedText } from '../backend.js';
import { emitSlurmSweep } from '../../harness/distributed/slurm.js';

interface CompareFlags {
  spec?: string;
  widths?: string;
  seeds: string;
  out?: string;
  workers?: string;
  quiet?: boolean;
  report?: boolean;
  strict?: boolean;
  queue?: string;
  emitSlurm?: string;
}

/** `64,128,256` → [64, 128, 256] (InputError on `--widths` otherwise). */
export function parseWidths(s: string, flag = '--widths'): number[] {
  const parts = String(s).split(',').map((x) => x.trim());
  for (const p of parts) {
    if (!/^\d+$/.test(p) || Number(p) <= 0 || !Number.isSafeInteger(Number(p))) {
      throw new InputError(flag, `must be a comma-separated list of positive integers like 64,128,256; ${show(p)} is not a positive integer`);
    }
  }
  return parts.map(Number);
}

/**
 * Every width fits (array sizes, then memory of the workers running at once beside the limit, and
 * the cells' files on the output's disk), before the sweep starts.
 */
function checkCompareFits(spec: Spec, limit: string, widths: number[], seeds: number, workers: number, out: string): void {
  for (const width of widths) {
    if (width > BOUNDS.width) throw new InputError('--widths', `${width} is more than the largest width ${BOUNDS.width}`);
    checkSizes({ ...spec, model: { ...spec.model, width } }, '--widths');
  }
  const widest = estimateTrain(spec, Math.max(...widths), '--widths');
  const lim = estimateLimit(spec, limit);
  checkFits({
    ...widest,
    bytes: Math.min(workers, widths.length * seeds) * widest.bytes + lim.bytes,
    outputBytes: widths.length * seeds * widest.outputBytes + lim.outputBytes,
    what: `${widest.what}, on ${workers} worker(s) at once beside the limit`,
  }, out);
}

export function register(program: Command, io: CliIO): void {
  program
    .command('compare')
    .description('train finite networks over widths and seeds beside the limit, fit convergence rates, write a report folder')
    .option('--spec <file>', 'required: spec file (JSON; see `widelimit schema`)')
    .option('--widths <list>', 'required: comma-separated widths, e.g. 64,128,256')
    .addOption(new Option('--seeds <n>', 'number of seeds per width (init seeds spec.seed + 0..n−1)').default('8', '8'))
    .option('--out <dir>', 'required: output folder (re-run the same command to resume)')
    .option('--workers <n>', `worker threads (default: number of cores, ${defaultWorkers()} here)`)
    .option('--quiet', 'no progress output', false)
    .option('--no-report', 'skip the report (write it later with `widelimit report DIR`)')
    .option('--strict', 'exit 4 when any claim fails (default: a failed claim is a result, exit 0)', false)
    .option('--queue <url>', QUEUE_HELP)
    .option('--emit-slurm <file>', SLURM_HELP)
    .action(
      cliAction(async (f: CompareFlags) => {
        const specPath = requiredOption('--spec', f.spec);
        const widths = parseWidths(requiredOption('--widths', f.widths));
        const out = checkOutDir('--out', requiredOption('--out', f.out));
        const seeds = intOption('--seeds', f.seeds) as number;
        if (seeds > BOUNDS.seeds) throw new InputError('--seeds', `must be at most ${BOUNDS.seeds}, got ${seeds}`);
        const workers = intOption('--workers', f.workers);
        const backend = backendOf(f);
        const spec = readSpecFile(specPath);
        checkInputsNotOutputs(specInputs(specPath, spec), [], [{ flag: '--out', path: out }]);
        const { inferLimit } = await import('../../limits/builtin.js');
        checkCompareFits(spec, inferLimit(spec).limit, widths, seeds, workers ?? defaultWorkers(), out);
        const options = { widths, seeds, out, workers, progress: !f.quiet, baseDir: dirname(specPath), backend };
        if (backend.kind === 'slurm') {
          io.stdout.write(emittedText(await emitSlurmSweep(spec, options, backend.script)));
          return 0;
        }
        // the handler stays through the report: Ctrl-C there also says how to resume (exit 130)
        const release = onInterrupt(io, interruptLine('compare', out));
        try {
          const results = compareStatus(await runCompare(spec, options), out);
          io.stdout.write(fitsText(results));
          io.stdout.write(claimsText(results));
          if (f.report !== false) {
            const files = await writeReport(out);
            io.stdout.write(`report: ${files.html} (also ${files.markdown})\n`);
          } else io.stdout.write(`results: ${out}/results.json\n`);
          return strictResult(results, f.strict);
        } finally {
          release();
        }
      }),
    );
}
