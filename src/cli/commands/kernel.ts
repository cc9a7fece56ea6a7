/**
 * `widelimit kernel --data D.json --depth L --activation A [--weight-std s] [--bias-std b]
 *  [--param ntk|standard] [--width h] [--x2 D2.json] --out K.json` (interface.md): the analytic
 * NNGP Σ^{L+1} and NTK Θ^{L+1} (math.md §2) on the inputs of D.json (against those of D2.json
 * when given), written atomically as JSON.
 */
import { Option, type Command } from 'commander';
import { writeJsonAtomic } from '../../core/atomic.js';
import { InputError } from '../../core/errors.js';
import { toRows } from '../../core/matrix.js';
import { readInputMatrix } from '../../data/file.js';
import { parseActivation } from '../../finite/activation.js';
import { cliAction, type CliIO } from '../action.js';
import { choiceOption, intOption, numOption, requiredOption } from '../options.js';

interface KernelFlags {
  data?: string;
  depth?: string;
  activation?: string;
  weightStd: string;
  biasStd: string;
  param: string;
  width?: string;
  x2?: string;
  out?: string;
}

const PARAMS = ['ntk', 'standard'] as const;

export function register(program: Command, io: CliIO): void {
  program
    .command('kernel')
    .description('compute the infinite-width NNGP and NTK kernels of an MLP on given inputs')
    .option('--data <file>', 'required: inputs, a data file {"x": [[…]]} or a bare JSON array of rows, or CSV x1..xd')
    .option('--depth <L>', 'required: number of hidden layers L')
    .option('--activation <A>', 'required: relu, leaky_relu:<slope>, abs, erf, tanh, gelu, identity, softplus:<beta>, or a mathjs expression in x')
    .addOption(new Option('--weight-std <s>', 'σ_w').default('1', '1'))
    .addOption(new Option('--bias-std <b>', 'σ_b').default('0', '0'))
    .addOption(new Option('--param <p>', 'parameterization: ntk, or standard (needs --width)').default('ntk', 'ntk'))
    .option('--width <h>', 'finite width h of the standard parameterization (default: none)')
    .option('--x2 <file>', 'second set of inputs: kernels are x × x2 (default: x × x)')
    .option('--out <file>', 'required: output file (JSON, written atomically)')
    .action(
      cliAction(async (f: KernelFlags) => {
        const dataPath = requiredOption('--data', f.data);
        const depth = intOption('--depth', requiredOption('--depth', f.depth), 0)!;
        const activation = parseActivation(requiredOption('--activation', f.activation), '--activation');
        const outPath = requiredOption('--out', f.out);
        const weightStd = numOption('--weight-std', f.weightStd)!;
        if (!(weightStd > 0)) throw new InputError('--weight-std', `must be > 0, got ${weightStd}`);
        const biasStd = numOption('--bias-std', f.biasStd, 0)!;
        const parameterization = choiceOption('--param', f.param, PARAMS);
        const width = intOption('--width', f.width);
        if (parameterization === 'standard' && width === undefined) {
          throw new InputError('--width', 'is required with --param standard (its kernel depends on the width)');
        }
        const x = readInputMatrix(dataPath, '--data');
        const x2 = f.x2 !== undefined ? readInputMatrix(f.x2, '--x2') : undefined;
        if (x2 && x2.cols !== x.cols) {
          throw new InputError('--x2', `inputs have ${x2.cols} entries per row but --data has ${x.cols}`);
        }
        const { analyticKernels } = await import('../../limits/ntk/kernels.js'); // loaded on use
        const k = analyticKernels({ depth, activation, weightStd, biasStd, parameterization, width }, x, x2);
        for (const w of k.warnings) io.stderr.write(`warning: ${w}\n`);
        writeJsonAtomic(outPath, {
          nngp: toRows(k.nngp),
          ntk: toRows(k.ntk),
          depth,
          activation: activation.name,
          weightStd,
          biasStd,
          parameterization,
          ...(width !== undefined ? { width } : {}),
          warnings: k.warnings,
        });
        io.stdout.write(`kernel: ${k.ntk.rows}×${k.ntk.cols} NNGP and NTK, depth ${depth}, ${activation.name}, ${parameterization}, wrote ${outPath}\n`);
      }),
    );
}
