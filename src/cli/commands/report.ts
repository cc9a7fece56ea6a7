/**
 * `widelimit report DIR` (docs/interface.md#commands): regenerate DIR/report.md, DIR/report.html, the figures
 * and the long CSVs from the saved data of a compare or experiment folder. A folder emitted with
 * `--emit-slurm` gets its results.json assembled from the cells its job array saved first.
 */
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { InputError } from '../../core/errors.js';
import { writeReport } from '../../harness/report/index.js';
import { assemblePlanned, isPlanned } from '../../harness/distributed/plan.js';
import { cliAction, type CliIO } from '../action.js';

/**
 * DIR must be a folder holding a finished sweep: a folder with `sweep.json` but no `results.json`
 * is an interrupted sweep, resumed by running its command again; a missing folder is named as such.
 */
export function checkReportFolder(dir: string): void {
  if (!existsSync(dir)) throw new InputError(dir, 'folder not found; give the folder written by compare or experiment run');
  if (!statSync(dir).isDirectory()) throw new InputError(dir, 'is a file; give the folder written by compare or experiment run');
  if (!existsSync(join(dir, 'results.json')) && existsSync(join(dir, 'sweep.json')) && !isPlanned(dir)) {
    throw new InputError(dir, 'the sweep in this folder has not finished (no results.json): run its compare or experiment command again to resume it, which also writes the report');
  }
}

export function register(program: Command, io: CliIO): void {
  program
    .command('report')
    .description('regenerate the report of a compare/experiment folder from its saved data')
    .argument('<dir>', 'folder written by compare or experiment run')
    .action(
      cliAction(async (dir: string) => {
        checkReportFolder(dir);
        // a sweep emitted for Slurm: results.json from the cells its tasks saved
        if (isPlanned(dir)) assemblePlanned(dir);
        const files = await writeReport(dir);
        io.stdout.write(`report: ${files.html}\n  ${files.markdown}\n  ${files.figures.length} figures in ${dir}/figures\n  ${files.dataCsv}, ${files.curvesCsv}\n`);
      }),
    );
}
