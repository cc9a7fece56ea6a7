/**
 * `widelimit experiment list | run NAME [--quick] --out DIR [--workers n] [--strict] [--queue URL | --emit-slurm FILE] |
 * rejudge DIR | summary | scorecard`
 * (docs/interface.md#commands): the built-in experiments of experiments/*.json. The command only parses
 * arguments; the experiment is a function of its config (src/harness/kinds.ts).
 */
import type { Command } from 'commander';
import { listExperiments, loadExperiment, resolveExperiment } from '../../harness/experiments.js';
import { compareKind, compareOptionsOf } from '../../harness/kinds.js';
import type { Backend } from '../../harness/backend.js';
import { emitSlurmSweep } from '../../harness/distributed/slurm.js';
import { QUEUE_HELP, SLURM_HELP, backendOf, emittedText } from '../backend.js';
import { defaultWorkers } from '../../harness/pool.js';
import { runExperiment } from '../../regimes/runExperiment.js';
import { fitsText } from '../../harness/report/text.js';
import { anyFailed, claimsText } from '../../harness/report/claimsText.js';
import { rejudgeFolder } from '../../regimes/rejudge.js';
import { writeReport } from '../../harness/report/index.js';
import { checkReportFolder } from './report.js';
import type { AnyResults } from '../../harness/types.js';
import { updateSummary } from '../../harness/summary.js';
import { buildScorecard, loadPapers, writeScorecard } from '../../harness/scorecard.js';
import { scorecardHtml, scorecardMarkdown, totalsText } from '../../harness/report/scorecardDoc.js';
import { experimentsDir } from '../../harness/experiments.js';
import { join } from 'node:path';
import { cliAction, type CliIO } from '../action.js';
import { existsSync, statSync } from 'node:fs';
import { InputError, show } from '../../core/errors.js';
import { experimentNames } from '../../harness/experiments.js';
import { suggest } from '../../spec/fields.js';
import { intOption, requiredOption } from '../options.js';
import { checkOutDir } from '../outputs.js';
import { interruptLine, onInterrupt } from '../interrupt.js';

interface RunFlags {
  quick?: boolean;
  out?: string;
  workers?: string;
  quiet?: boolean;
  strict?: boolean;
  queue?: string;
  emitSlurm?: string;
}

/** Exit code of a finished run under `--strict`: 4 when a claim failed (numerical failure 3 first). */
export function strictResult(r: AnyResults, strict: boolean | undefined): AnyResults | number {
  return strict && r.status === 'ok' && anyFailed(r) ? 4 : r;
}

/**
 * `--queue` and `--emit-slurm` spread the cells of a compare-kind experiment; other kinds run in
 * this process (InputError naming the flag).
 */
async function emitOrCheck(name: string, f: RunFlags, out: string, backend: Backend): Promise<string | null> {
  if (backend.kind === 'threads') return null;
  const c = resolveExperiment(loadExperiment(name), f.quick ?? false);
  const flag = backend.kind === 'queue' ? '--queue' : '--emit-slurm';
  if (c.kind !== compareKind.kind) throw new InputError(flag, `applies to experiments of kind compare; ${name} is of kind ${c.kind}, which runs in this process`);
  if (backend.kind === 'queue') return null;
  const options = compareOptionsOf(c, { out, progress: !f.quiet });
  return emittedText(await emitSlurmSweep(compareKind.parse(c), options, backend.script));
}

/** An unknown experiment name is an input error with the closest known name, if any. */
export function checkExperimentName(name: string): void {
  const names = experimentNames();
  if (names.includes(name)) return;
  const s = suggest(name, names);
  const hint = s ? `did you mean ${s}?` : `${names.length} known; \`widelimit experiment list\` lists them`;
  throw new InputError('experiment run', `unknown experiment ${show(name)} (${hint})`);
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
    .option('--out <dir>', 'required: output folder (re-run the same command to resume)')
    .option('--workers <n>', `worker threads (default: number of cores, ${defaultWorkers()} here)`)
    .option('--quiet', 'no progress output', false)
    .option('--strict', 'exit 4 when any claim fails (default: a failed claim is a result, exit 0)', false)
    .option('--queue <url>', QUEUE_HELP)
    .option('--emit-slurm <file>', SLURM_HELP)
    .action(
      cliAction(async (name: string, f: RunFlags) => {
        checkExperimentName(name);
        const out = checkOutDir('--out', requiredOption('--out', f.out));
        const workers = intOption('--workers', f.workers);
        const backend = backendOf(f);
        const emitted = await emitOrCheck(name, f, out, backend);
        if (emitted !== null) {
          io.stdout.write(emitted);
          return 0;
        }
        const release = onInterrupt(io, interruptLine(`experiment run ${name}`, out));
        let done: Awaited<ReturnType<typeof runExperiment>>;
        try {
          done = await runExperiment(name, { quick: f.quick, out, workers, progress: !f.quiet, backend });
        } finally {
          release();
        }
        const { results, report } = done;
        io.stdout.write(fitsText(results));
        io.stdout.write(claimsText(results));
        io.stdout.write(`report: ${report.html} (also ${report.markdown})\n`);
        return strictResult(results, f.strict);
      }),
    );
  registerJudging(exp, io);
}

/** `experiment rejudge | summary | scorecard`: decisions, tables and the scorecard from saved runs. */
function registerJudging(exp: Command, io: CliIO): void {
  exp
    .command('rejudge')
    .description("decide a saved run's claims again from its saved data (the config's current claims), rewrite results.json and the report")
    .argument('<dir>', 'folder written by experiment run or compare')
    .option('--strict', 'exit 4 when any claim fails', false)
    .action(
      cliAction(async (dir: string, f: { strict?: boolean }) => {
        checkReportFolder(dir);
        const results = rejudgeFolder(dir);
        const report = await writeReport(dir);
        io.stdout.write(claimsText(results));
        io.stdout.write(`report: ${report.html} (also ${report.markdown})\n`);
        return strictResult(results, f.strict);
      }),
    );
  exp
    .command('summary')
    .description('regenerate the summary table of experiments/README.md from the full runs in experiments/results/<name>/')
    .option('--runs <dir>', 'folder holding one result folder per experiment (default: experiments/results)')
    .option('--readme <file>', 'README to update (default: experiments/README.md)')
    .action(
      cliAction((f: { runs?: string; readme?: string }) => {
        if (f.runs !== undefined && !(existsSync(f.runs) && statSync(f.runs).isDirectory())) {
          throw new InputError('--runs', `folder not found: ${f.runs}`);
        }
        const p = updateSummary(f.runs, f.readme);
        io.stdout.write(`updated ${p}\n`);
      }),
    );
  exp
    .command('scorecard')
    .description('write experiments/SCORECARD.md and SCORECARD.html: every headline claim of the reference papers (experiments/papers.json) with the status of its tests in the committed full runs')
    .option('--runs <dir>', 'folder holding one result folder per experiment (default: experiments/results)')
    .option('--out <dir>', 'folder to write SCORECARD.md and SCORECARD.html into (default: experiments/)')
    .action(
      cliAction((f: { runs?: string; out?: string }) => {
        const runs = f.runs ?? join(experimentsDir(), 'results');
        if (!(existsSync(runs) && statSync(runs).isDirectory())) throw new InputError('--runs', `folder not found: ${runs}`);
        const out = f.out === undefined ? experimentsDir() : checkOutDir('--out', f.out);
        const card = buildScorecard(loadPapers(join(experimentsDir(), 'papers.json')), runs, experimentNames());
        const files = writeScorecard(card, out, { md: scorecardMarkdown, html: scorecardHtml });
        io.stdout.write(`abstract claims: ${totalsText(card.totals)}\nwrote ${files.md} and ${files.html}\n`);
      }),
    );
}
