/**
 * `widelimit limit --spec S.json [--init I.json] --out R.json` (docs/interface.md#commands): run the
 * infinite-width limit of the spec (named or inferred, and reported) and write its result file.
 * `--finite-width` adds the predicted finite-width deviation C(τ)/h to the result's meta
 * (theory/finite-width.md#prediction for the NTK limit; theory/finite-width-deeplinear.md#delta for the plain
 * deep linear μP limit); `--accuracy a` (implies it)
 * prints the width needed for a root-mean-square path-wise deviation ≤ a.
 */
import type { Command } from 'commander';
import { writeJsonStream } from '../../core/jsonStream.js';
import { statusOfValues } from '../../run/status.js';
import { estimateLimit } from '../../spec/estimate.js';
import { resultForFile } from '../../spec/result.js';
import { readSpecFile } from '../../spec/validate.js';
import { cliAction, type CliIO } from '../action.js';
import { readInitFile } from '../initFiles.js';
import { relocateInitError, relocateKernelError } from '../initErrors.js';
import { InputError } from '../../core/errors.js';
import { numOption, requiredOption } from '../options.js';
import { checkOutFile } from '../outputs.js';
import { checkInputsNotOutputs, type NamedPath } from '../paths.js';
import { checkFits, specInputs } from '../preflight.js';
import { runProgress } from '../progress.js';
import { summaryLine } from '../summary.js';

interface LimitFlags {
  spec?: string;
  init?: string;
  out?: string;
  finiteWidth?: boolean;
  accuracy?: string;
}

export function register(program: Command, io: CliIO): void {
  program
    .command('limit')
    .description('run the infinite-width limit of the spec (named by "limit" or inferred) and write its result file')
    .option('--spec <file>', 'required: spec file (JSON; see `widelimit schema`)')
    .option('--init <file>', 'start from the function of these initial weights (JSON or .npz; default: the limit\'s own start)')
    .option('--out <file>', 'required: result file (compact JSON, written atomically)')
    .option('--finite-width', 'add the predicted finite-width deviation C(τ)/h (NTK; plain deep linear μP) to the result\'s meta')
    .option('--accuracy <a>', 'print the width needed for a root-mean-square path-wise deviation ≤ a (implies --finite-width)')
    .action(
      cliAction(async (f: LimitFlags) => {
        const specPath = requiredOption('--spec', f.spec);
        const outPath = checkOutFile('--out', requiredOption('--out', f.out));
        const outputs: NamedPath[] = [{ flag: '--out', path: outPath }];
        const initIn: NamedPath[] = f.init !== undefined ? [{ flag: '--init', path: f.init }] : [];
        checkInputsNotOutputs([{ flag: '--spec', path: specPath }, ...initIn], outputs);
        const spec = readSpecFile(specPath);
        checkInputsNotOutputs([...specInputs(specPath, spec), ...initIn], outputs);
        const { inferLimit } = await import('../../limits/builtin.js');
        const choice = inferLimit(spec);
        checkFits(estimateLimit(spec, choice.limit), outPath);
        const accuracy = numOption('--accuracy', f.accuracy, 0);
        if (accuracy === 0) throw new InputError('--accuracy', 'must be > 0, got 0');
        const finiteWidth = f.finiteWidth === true || accuracy !== undefined;
        if (finiteWidth && choice.limit !== 'ntk' && choice.limit !== 'deeplinear') {
          throw new InputError('--finite-width', `the finite-width prediction exists for the ntk and deeplinear limits only (this spec's limit: ${choice.limit})`);
        }
        const init = f.init !== undefined ? readInitFile(f.init) : undefined;
        const { runLimit } = await import('../../run/limit.js'); // loaded on use: a fast CLI start
        const bar = runProgress(io.stderr, `limit ${choice.limit}`);
        let result: Awaited<ReturnType<typeof runLimit>>;
        try {
          result = await runLimit(spec, { init, progress: (x: number) => bar.update(x) });
        } catch (e) {
          throw relocateKernelError(relocateInitError(e, f.init));
        } finally {
          bar.done();
        }
        let widthLine = '';
        if (finiteWidth) {
          const { loadData } = await import('../../data/load.js');
          const report = choice.limit === 'deeplinear'
            ? (await import('../../limits/deeplinear/finiteWidthReport.js')).deepLinearFiniteWidthReport(spec, loadData(spec.data), { accuracy })
            : (await import('../../limits/ntk/finiteWidthReport.js')).finiteWidthReport(spec, loadData(spec.data), { accuracy });
          result.meta.finiteWidth = report;
          if (report.widthNeeded !== undefined) {
            widthLine = `width needed for rms path-wise deviation ≤ ${accuracy}: h ≥ ${report.widthNeeded} (max_τ C(τ) = ${Math.max(...report.prefactorTrain, ...report.prefactorTest).toPrecision(4)})\n`;
          }
        }
        const file = statusOfValues(resultForFile(result));
        writeJsonStream(outPath, file);
        // after the run, so a limit-specific input error is not preceded by the choice (the
        // progress bar names the limit meanwhile)
        io.stdout.write(`using limit ${choice.reason}\n`);
        io.stdout.write(summaryLine(`limit ${choice.limit}`, file, [outPath]));
        io.stdout.write(widthLine);
        return file;
      }),
    );
}
