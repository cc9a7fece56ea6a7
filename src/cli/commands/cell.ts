/**
 * `widelimit cell --sweep DIR --index i` (README, "More than one machine"): run cell i of a sweep
 * emitted with `--emit-slurm` and save it in DIR (task i of the Slurm job array). A cell already
 * saved is not run again. Exit 3 when the cell failed (its file is written).
 */
import type { Command } from 'commander';
import { runPlannedCell } from '../../harness/distributed/slurm.js';
import { cliAction, type CliIO } from '../action.js';
import { intOption, requiredOption } from '../options.js';

export function register(program: Command, io: CliIO): void {
  program
    .command('cell')
    .description('run one cell of a sweep emitted with --emit-slurm (task i of its job array) and save it in the sweep folder')
    .option('--sweep <dir>', 'required: the sweep folder (shared by every node)')
    .option('--index <i>', 'required: the cell index (the job array task id)')
    .action(
      cliAction((f: { sweep?: string; index?: string }) => {
        const dir = requiredOption('--sweep', f.sweep);
        const index = intOption('--index', requiredOption('--index', f.index), 0) as number;
        const { cell, ran } = runPlannedCell(dir, index);
        const what = `w${cell.width}-s${cell.seed}`;
        io.stdout.write(ran ? `cell ${index}: ${what} ${cell.status} (${cell.seconds.toFixed(1)} s)\n` : `cell ${index}: ${what} already saved (${cell.status})\n`);
        return { status: cell.status, message: cell.message };
      }),
    );
}
