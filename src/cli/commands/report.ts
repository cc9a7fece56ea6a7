/**
 * `widelimit report DIR` (interface.md): regenerate DIR/report.md, DIR/report.html, the figures
 * and the long CSVs from the saved data of a compare or experiment folder.
 */
import type { Command } from 'commander';
import { writeReport } from '../../harness/report/index.js';
import { cliAction, type CliIO } from '../action.js';

export function register(program: Command, io: CliIO): void {
  program
    .command('report')
    .description('regenerate the report of a compare/experiment folder from its saved data')
    .argument('<dir>', 'folder written by compare or experiment run')
    .action(
      cliAction(async (dir: string) => {
        const files = await writeReport(dir);
        io.stdout.write(`report: ${files.html}\n  ${files.markdown}\n  ${files.figures.length} figures in ${dir}/figures\n  ${files.dataCsv}, ${files.curvesCsv}\n`);
      }),
    );
}
