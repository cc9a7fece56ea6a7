/**
 * `widelimit kernel --data D.json --depth L --activation A [--weight-std s] [--bias-std b]
 *  [--param ntk|standard] [--width h] [--x2 D2.json] --out K.json` (docs/interface.md#commands): the analytic
 * NNGP Σ^{L+1} and NTK Θ^{L+1} (theory/ntk.md#recursion) on the inputs of D.json (against those of D2.json
 * when given), streamed atomically as compact JSON, or as one NumPy array of shape (2, n, m)
 * (index 0 the NNGP, 1 the NTK) when K ends in `.npy`, or as a NumPy archive of the two n × m Gram
 * blocks `nngp` and `ntk` (with the settings and status in its member `kernel.json`) when K ends in
 * `.npz`. Before the work: the output is no input,
 * and the kernel's memory and file size fit (preflight.ts).
 */
import { Option, type Command } from 'commander';
import { JsonMatrix, writeJsonStream } from '../../core/jsonStream.js';
import { writeNpy } from '../../core/npy.js';
import { writeNpz } from '../../core/npz.js';
import { InputError } from '../../core/errors.js';
import type { Mat } from '../../core/matrix.js';
import { estimateKernel } from '../../spec/estimate.js';
import { BOUNDS } from '../../spec/validate.js';
import { readInputMatrix } from '../../data/file.js';
import { ACTIVATION_SYNTAX, parseActivation } from '../../finite/activation.js';
import { cliAction, type CliIO } from '../action.js';
import { checkOutFile } from '../outputs.js';
import { checkInputsNotOutputs } from '../paths.js';
import { checkFits } from '../preflight.js';
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

/** `ntk[1][0] = Infinity` for the first non-finite entry of `m`, or undefined. */
function firstNonFinite(m: Mat, name: string): string | undefined {
  for (let i = 0; i < m.data.length; i++) {
    const v = m.data[i];
    if (!Number.isFinite(v)) return `${name}[${Math.floor(i / m.cols)}][${i % m.cols}] = ${v}`;
  }
  return undefined;
}

export function register(program: Command, io: CliIO): void {
  program
    .command('kernel')
    .description('compute the infinite-width NNGP and NTK kernels of an MLP on given inputs')
    .option('--data <file>', 'required: inputs, a data file {"x": [[…]]} or a bare JSON array of rows, or CSV x1..xd')
    .option('--depth <L>', 'required: number of hidden layers L')
    .option('--activation <A>', `required: ${ACTIVATION_SYNTAX}`)
    .addOption(new Option('--weight-std <s>', 'σ_w').default('1', '1'))
    .addOption(new Option('--bias-std <b>', 'σ_b').default('0', '0'))
    .addOption(new Option('--param <p>', 'parameterization: ntk, or standard (needs --width)').default('ntk', 'ntk'))
    .option('--width <h>', 'finite width h of the standard parameterization (default: none)')
    .option('--x2 <file>', 'second set of inputs: kernels are x × x2 (default: x × x)')
    .option('--out <file>', 'required: output file: compact JSON; with .npy one NumPy float64 array (2, n, m) = [NNGP, NTK]; with .npz a NumPy archive of nngp and ntk')
    .action(
      cliAction(async (f: KernelFlags) => {
        const dataPath = requiredOption('--data', f.data);
        const depth = intOption('--depth', requiredOption('--depth', f.depth), 0)!;
        if (depth > BOUNDS.depth) throw new InputError('--depth', `must be at most ${BOUNDS.depth}, got ${depth}`);
        const activation = parseActivation(requiredOption('--activation', f.activation), '--activation');
        const outPath = checkOutFile('--out', requiredOption('--out', f.out));
        const weightStd = numOption('--weight-std', f.weightStd)!;
        if (!(weightStd > 0)) throw new InputError('--weight-std', `must be > 0, got ${weightStd}`);
        const biasStd = numOption('--bias-std', f.biasStd, 0)!;
        for (const [flag, v] of [['--weight-std', weightStd], ['--bias-std', biasStd]] as const) {
          if (v > BOUNDS.scale) throw new InputError(flag, `must be at most ${BOUNDS.scale}, got ${v}`);
        }
        const parameterization = choiceOption('--param', f.param, PARAMS);
        const width = intOption('--width', f.width);
        if (width !== undefined && width > BOUNDS.width) throw new InputError('--width', `must be at most ${BOUNDS.width}, got ${width}`);
        if (parameterization === 'standard' && width === undefined) {
          throw new InputError('--width', 'is required with --param standard (its kernel depends on the width)');
        }
        const inputs = [{ flag: '--data', path: dataPath }, ...(f.x2 !== undefined ? [{ flag: '--x2', path: f.x2 }] : [])];
        checkInputsNotOutputs(inputs, [{ flag: '--out', path: outPath }]);
        const npy = /\.np[yz]$/i.test(outPath);
        const x = readInputMatrix(dataPath, '--data');
        const x2 = f.x2 !== undefined ? readInputMatrix(f.x2, '--x2') : undefined;
        if (x2 && x2.cols !== x.cols) {
          throw new InputError('--x2', `inputs have ${x2.cols} entries per row but --data has ${x.cols}`);
        }
        checkFits(estimateKernel(x.rows, (x2 ?? x).rows, x.cols, npy, x2 ? '--x2' : '--data'), outPath);
        const { analyticKernels } = await import('../../limits/ntk/kernels.js'); // loaded on use
        const k = analyticKernels({ depth, activation, weightStd, biasStd, parameterization, width }, x, x2);
        for (const w of k.warnings) io.stderr.write(`warning: ${w}\n`);
        const bad = firstNonFinite(k.nngp, 'nngp') ?? firstNonFinite(k.ntk, 'ntk');
        const outcome = bad === undefined
          ? { status: 'ok', message: '' }
          : { status: 'nan', message: `${bad} (written as null in JSON, NaN/inf in .npy): the pre-activations overflow or the activation is not finite there; scale the inputs or --weight-std down` };
        const settings = { depth, activation: activation.name, weightStd, biasStd, parameterization, ...(width !== undefined ? { width } : {}), warnings: k.warnings };
        const shape = [k.nngp.rows, k.nngp.cols];
        if (/\.npz$/i.test(outPath)) {
          writeNpz(outPath, [{ name: 'nngp', shape, blocks: [k.nngp.data] }, { name: 'ntk', shape, blocks: [k.ntk.data] }], { 'kernel.json': JSON.stringify({ ...outcome, ...settings }) }, '--out');
        } else if (npy) writeNpy(outPath, [2, ...shape], [k.nngp.data, k.ntk.data]);
        else {
          writeJsonStream(outPath, {
            ...outcome,
            nngp: new JsonMatrix(k.nngp.data, k.nngp.rows, k.nngp.cols),
            ntk: new JsonMatrix(k.ntk.data, k.ntk.rows, k.ntk.cols),
            ...settings,
          });
        }
        io.stdout.write(`kernel: ${outcome.status}, ${k.ntk.rows}×${k.ntk.cols} NNGP and NTK, depth ${depth}, ${activation.name}, ${parameterization}, wrote ${outPath}\n`);
        return outcome;
      }),
    );
}
