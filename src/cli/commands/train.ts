/**
 * `widelimit train --spec S.json [--width h] [--seed s] [--init I.json] [--save-init I.json] --out R.json`
 * (docs/interface.md#commands): train the finite network of the spec and write its result file atomically.
 */
import type { Command } from 'commander';
import { writeJsonAtomic } from '../../core/atomic.js';
import { resultForFile } from '../../spec/result.js';
import { readJsonFile } from '../../data/jsonFile.js';
import { applyOverrides, readSpecFile } from '../../spec/validate.js';
import { cliAction, type CliIO } from '../action.js';
import { relocateInitError } from '../initErrors.js';
import { intOption, requiredOption } from '../options.js';
import { checkOutFile } from '../outputs.js';
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
    .option('--init <file>', 'initial weights to train (widelimit-init/1; default: a random init from the seed)')
    .option('--save-init <file>', 'also write the initial weights to this file (default: not written)')
    .option('--out <file>', 'required: result file (JSON, written atomically)')
    .action(
      cliAction(async (f: TrainFlags) => {
        const specPath = requiredOption('--spec', f.spec);
        const outPath = checkOutFile('--out', requiredOption('--out', f.out));
        if (f.saveInit !== undefined) checkOutFile('--save-init', f.saveInit);
        const width = intOption('--width', f.width);
        const seed = intOption('--seed', f.seed, 0);
        const spec = applyOverrides(readSpecFile(specPath), { width, seed });
        const init = f.init !== undefined ? readJsonFile(f.init, '--init') : undefined;
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
        writeJsonAtomic(outPath, resultForFile(out.result));
        const written = [outPath];
        if (f.saveInit !== undefined) {
          writeJsonAtomic(f.saveInit, out.init);
          written.push(f.saveInit);
        }
        io.stdout.write(summaryLine('train', out.result, written));
        return out.result;
      }),
    );
}
