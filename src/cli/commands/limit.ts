/**
 * `widelimit limit --spec S.json [--init I.json] --out R.json` (docs/interface.md#commands): run the
 * infinite-width limit of the spec (named or inferred, and reported) and write its result file.
 */
import type { Command } from 'commander';
import { writeJsonAtomic } from '../../core/atomic.js';
import { resultForFile } from '../../spec/result.js';
import { readJsonFile } from '../../data/jsonFile.js';
import { readSpecFile } from '../../spec/validate.js';
import { cliAction, type CliIO } from '../action.js';
import { relocateInitError } from '../initErrors.js';
import { requiredOption } from '../options.js';
import { checkOutFile } from '../outputs.js';
import { runProgress } from '../progress.js';
import { summaryLine } from '../summary.js';

interface LimitFlags {
  spec?: string;
  init?: string;
  out?: string;
}

export function register(program: Command, io: CliIO): void {
  program
    .command('limit')
    .description('run the infinite-width limit of the spec (named by "limit" or inferred) and write its result file')
    .option('--spec <file>', 'required: spec file (JSON; see `widelimit schema`)')
    .option('--init <file>', 'start from the function of these initial weights (default: the limit\'s own start)')
    .option('--out <file>', 'required: result file (JSON, written atomically)')
    .action(
      cliAction(async (f: LimitFlags) => {
        const specPath = requiredOption('--spec', f.spec);
        const outPath = checkOutFile('--out', requiredOption('--out', f.out));
        const spec = readSpecFile(specPath);
        const { inferLimit } = await import('../../limits/builtin.js');
        const choice = inferLimit(spec);
        const init = f.init !== undefined ? readJsonFile(f.init, '--init') : undefined;
        const { runLimit } = await import('../../run/limit.js'); // loaded on use: a fast CLI start
        const bar = runProgress(io.stderr, `limit ${choice.limit}`);
        let result: Awaited<ReturnType<typeof runLimit>>;
        try {
          result = await runLimit(spec, { init, progress: (x: number) => bar.update(x) });
        } catch (e) {
          throw relocateInitError(e, f.init);
        } finally {
          bar.done();
        }
        writeJsonAtomic(outPath, resultForFile(result));
        // after the run, so a limit-specific input error is not preceded by the choice (the
        // progress bar names the limit meanwhile)
        io.stdout.write(`using limit ${choice.reason}\n`);
        io.stdout.write(summaryLine(`limit ${choice.limit}`, result, [outPath]));
        return result;
      }),
    );
}
