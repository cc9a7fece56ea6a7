/**
 * `widelimit compare --spec S.json --widths 64,128,256 --seeds 8 --out DIR [--workers n] [--quiet]`
 * (interface.md): sweep widths × seeds of the spec's network against its limit, fit the
 * convergence exponents, write DIR/results.json and the report. Re-running the same command
 * resumes an interrupted sweep. Exit 3 when a cell failed numerically (the others still count).
 */
import { dirname } from 'node:path';
import type { Command } from 'commander';
import { InputError, show } from '../../core/errors.js';
import { runCompare } from '../../harness/compare.js';
import { readSpecFile } from '../../harness/deps.js';
import { defaultWorkers } from '../../harness/pool.js';
import { writeReport } from '../../harness/report/index.js';
import { fitsText } from '../../harness/report/text.js';
import { cliAction, type CliIO } from '../action.js';
import { intOption } from '../options.js';

interface CompareFlags {
  spec: string;
  widths: string;
  seeds: string;
  out: string;
  workers?: string;
  quiet?: boolean;
  report?: boolean;
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

export function register(program: Command, io: CliIO): void {
  program
    .command('compare')
    .description('train finite networks over widths and seeds beside the limit, fit convergence rates, write a report folder')
    .requiredOption('--spec <file>', 'spec file (JSON; see `widelimit schema`)')
    .requiredOption('--widths <list>', 'comma-separated widths, e.g. 64,128,256')
    .option('--seeds <n>', 'number of seeds per width (init seeds spec.seed + 0..n−1)', '8')
    .requiredOption('--out <dir>', 'output folder (re-run the same command to resume)')
    .option('--workers <n>', `worker threads (default: number of cores, ${defaultWorkers()} here)`)
    .option('--quiet', 'no progress output', false)
    .option('--no-report', 'skip the report (write it later with `widelimit report DIR`)')
    .action(
      cliAction(async (f: CompareFlags) => {
        const widths = parseWidths(f.widths);
        const seeds = intOption('--seeds', f.seeds) as number;
        const workers = intOption('--workers', f.workers);
        const spec = readSpecFile(f.spec);
        const results = await runCompare(spec, {
          widths, seeds, out: f.out, workers, progress: !f.quiet, baseDir: dirname(f.spec),
        });
        io.stdout.write(fitsText(results));
        if (f.report !== false) {
          const files = await writeReport(f.out);
          io.stdout.write(`report: ${files.html} (also ${files.markdown})\n`);
        } else io.stdout.write(`results: ${f.out}/results.json\n`);
        return results;
      }),
    );
}
