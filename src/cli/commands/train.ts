/**
 * `widelimit train --spec S.json [--width h] [--seed s] [--init I.json|I.npz] [--save-init I.json|I.npz] --out R.json`
 * (docs/interface.md#commands): train the finite network of the spec and write its result file atomically.
 * Before the run: no output is an input, and the run's memory and output fit (preflight.ts).
 */
import type { Command } from 'commander';
import { writeJsonStream } from '../../core/jsonStream.js';
import { resultForFile } from '../../spec/result.js';
import { statusOfValues } from '../../run/status.js';
import { estimateTrain } from '../../spec/estimate.js';
import { applyOverrides, readSpecFile } from '../../spec/validate.js';
import { cliAction, type CliIO } from '../action.js';
import { checkInitExtension, readInitFile, writeInitFile } from '../initFiles.js';
import { relocateInitError } from '../initErrors.js';
import { intOption, requiredOption } from '../options.js';
import { checkOutFile } from '../outputs.js';
import { checkInputsNotOutputs, type NamedPath } from '../paths.js';
import { checkFits, specInputs } from '../preflight.js';
import { runProgress } from '../progress.js';
import { summaryLine } from '../summary.js';

interface TrainFlags {
  spec?: string;
  width?: string;
  seed?: string;
  init?: string;
  saveInit?: string;
  out?: string;
}

export function register(program: Command, io: CliIO): void {
  program
    .command('train')
    .description('train a finite-width network as the spec says and write its result file')
    .option('--spec <file>', 'required: spec file (JSON; see `widelimit schema`)')
    .option('--width <h>', 'hidden width h (default: model.width of the spec)')
    .option('--seed <s>', 'init seed (default: seed of the spec)')
    .option('--init <file>', 'initial weights to train (widelimit-init/1 JSON, or .npz as --save-init writes it; default: a random init from the seed)')
    .option('--save-init <file>', 'also write the initial weights to this file: JSON, or a NumPy archive when it ends in .npz (default: not written)')
    .option('--out <file>', 'required: result file (compact JSON, written atomically)')
    .action(
      cliAction(async (f: TrainFlags) => {
        const specPath = requiredOption('--spec', f.spec);
        const outPath = checkOutFile('--out', requiredOption('--out', f.out));
        if (f.saveInit !== undefined) checkInitExtension('--save-init', checkOutFile('--save-init', f.saveInit));
        if (f.init !== undefined) checkInitExtension('--init', f.init);
        const outputs: NamedPath[] = [{ flag: '--out', path: outPath }];
        if (f.saveInit !== undefined) outputs.push({ flag: '--save-init', path: f.saveInit });
        const inputs: NamedPath[] = [{ flag: '--spec', path: specPath }];
        if (f.init !== undefined) inputs.push({ flag: '--init', path: f.init });
        checkInputsNotOutputs(inputs, outputs);
        const width = intOption('--width', f.width);
        const seed = intOption('--seed', f.seed, 0);
        const spec = applyOverrides(readSpecFile(specPath), { width, seed });
        checkInputsNotOutputs([...specInputs(specPath, spec), ...inputs.slice(1)], outputs);
        checkFits(estimateTrain(spec, spec.model.width, width !== undefined ? '--width' : 'model.width'), outPath);
        const init = f.init !== undefined ? readInitFile(f.init) : undefined;
        if (init !== undefined && f.seed !== undefined) {
          io.stderr.write(`note: --seed ${seed} does not change the starting weights, which come from --init ${f.init}; it still seeds SGD batches\n`);
        }
        const { runTrain } = await import('../../run/train.js'); // loaded on use: a fast CLI start
        const bar = runProgress(io.stderr, 'train');
        let out: Awaited<ReturnType<typeof runTrain>>;
        try {
          out = await runTrain(spec, { width, seed, init, progress: (x: number) => bar.update(x) });
        } catch (e) {
          throw relocateInitError(e, f.init);
        } finally {
          bar.done();
        }
        const result = statusOfValues(resultForFile(out.result));
        writeJsonStream(outPath, result);
        const written = [outPath];
        if (f.saveInit !== undefined) {
          writeInitFile(f.saveInit, out.init);
          written.push(f.saveInit);
        }
        io.stdout.write(summaryLine('train', result, written));
        return result;
      }),
    );
}
