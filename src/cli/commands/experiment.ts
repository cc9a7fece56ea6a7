/**
 * `widelimit experiment list | run NAME [--quick] --out DIR [--workers n] | summary`
 * (interface.md): the built-in experiments of experiments/*.json. The command only parses
 * arguments; the experiment is a function of its config (src/harness/kinds.ts).
 */
import type { Command } from 'commander';
import { listExperiments } from '../../harness/experiments.js';
import { defaultWorkers } from '../../harness/pool.js';
import { runExperiment } from '../../harness/runExperiment.js';
import { fitsText } from '../../harness/report/text.js';
import { updateSummary } from '../../harness/summary.js';
import { cliAction, type CliIO } from '../action.js';
import { intOption } from '../options.js';

interface RunFlags {
  quick?: boolean;
  out: string;
  workers?: string;
  quiet?: boolean;
}

export function register(program: Command, io: CliIO): void {
  const exp = program.command('experiment').description('list or run the built-in experiments (one per claim)');
  exp
    .command('list')
    .description('list the experiments with their claims and sizes')
    .action(
      cliAction(() => {
        for (const c of listExperiments()) {
          const quick = c.quick ? `; --quick: ${(c.quick.widths ?? c.widths).join(',')} × ${c.quick.seeds ?? c.seeds} seeds` : '';
          io.stdout.write(`${c.name}  [${c.kind}]\n  ${c.claim}\n  widths ${c.widths.join(',')} × ${c.seeds} seeds${quick}\n`);
        }
      }),
    );
  exp
    .command('run')
    .description('run one experiment into a folder and write its report')
    .argument('<name>', 'experiment name (see `widelimit experiment list`)')
    .option('--quick', 'the small version (a smoke run, under a minute)', false)
    .requiredOption('--out <dir>', 'output folder (re-run the same command to resume)')
    .option('--workers <n>', `worker threads (default: number of cores, ${defaultWorkers()} here)`)
    .option('--quiet', 'no progress output', false)
    .action(
      cliAction(async (name: string, f: RunFlags) => {
        const workers = intOption('--workers', f.workers);
        const { results, report } = await runExperiment(name, { quick: f.quick, out: f.out, workers, progress: !f.quiet });
        io.stdout.write(fitsText(results));
        io.stdout.write(`report: ${report.html} (also ${report.markdown})\n`);
        return results;
      }),
    );
  exp
    .command('summary')
    .description('regenerate the summary table of experiments/README.md from the full runs in experiments/results/<name>/')
    .option('--runs <dir>', 'folder holding one result folder per experiment (default: experiments/results)')
    .option('--readme <file>', 'README to update (default: experiments/README.md)')
    .action(
      cliAction((f: { runs?: string; readme?: string }) => {
        const p = updateSummary(f.runs, f.readme);
        io.stdout.write(`updated ${p}\n`);
      }),
    );
}
