/**
 * Initial-weights files of `--save-init` and `--init` (docs/interface.md#init-file) in two forms,
 * chosen by the extension: JSON (`widelimit-init/1`), or a NumPy `.npz` archive that loads with one
 * call (`z = np.load('I.npz'); z['W0'], z['b0'], …`): one float64 array per weight matrix
 * (`W<l>`, n_out × n_in) and bias (`b<l>`), and the rest of the file — format, activation,
 * multipliers, rates — in the member `init.json`, whose `W` and `b` name the arrays.
 */
import { InputError } from '../core/errors.js';
import { writeJsonStream } from '../core/jsonStream.js';
import { readNpz, writeNpz, type NpzArray } from '../core/npz.js';
import { MAX_FILE_BYTES, parseJsonText, readFileBytes, readJsonFile } from '../data/jsonFile.js';
import type { InitFile } from '../finite/initFile.js';

/** The member of an `.npz` init file holding everything but the arrays. */
export const INIT_MEMBER = 'init.json';

/** The largest `.npz` init file read: 4 × the JSON limit (8 bytes per weight instead of ~20). */
export const MAX_NPZ_READ = 4 * MAX_FILE_BYTES;

const isNpz = (p: string) => /\.npz$/i.test(p);

/** Refuse an extension that cannot hold an init file (`.npy` is one array; the weights are several). */
export function checkInitExtension(flag: string, path: string): void {
  if (/\.npy$/i.test(path)) throw new InputError(flag, `${path}: initial weights are several arrays, which a .npy file cannot hold; use .npz (NumPy archive) or .json`);
}

/** Write `init` to `path`: `.npz` archive or compact JSON. */
export function writeInitFile(path: string, init: InitFile, flag = '--save-init'): void {
  if (!isNpz(path)) return writeJsonStream(path, init);
  const arrays: NpzArray[] = [];
  const layers = init.layers.map((l, i) => {
    const rows = l.W.length;
    const cols = rows > 0 ? l.W[0].length : 0;
    const W = new Float64Array(rows * cols);
    l.W.forEach((r, j) => W.set(r, j * cols));
    arrays.push({ name: `W${i}`, shape: [rows, cols], blocks: [W] });
    if (l.b) arrays.push({ name: `b${i}`, shape: [l.b.length], blocks: [Float64Array.from(l.b)] });
    return { ...l, W: `W${i}`, b: l.b ? `b${i}` : null };
  });
  writeNpz(path, arrays, { [INIT_MEMBER]: JSON.stringify({ ...init, layers }) }, flag);
}

/** Rows of a 2-d array (`W`) or the list of a 1-d one (`b`), named `member` in the archive. */
function valuesOf(a: { shape: number[]; data: Float64Array } | undefined, member: string, dims: 1 | 2, where: string): number[] | number[][] {
  if (!a) throw new InputError(where, `names the array ${member}, which the archive does not hold`);
  if (a.shape.length !== dims) throw new InputError(where, `array ${member} has shape (${a.shape.join(', ')}), expected ${dims} dimension${dims > 1 ? 's' : ''}`);
  if (dims === 1) return Array.from(a.data);
  const [rows, cols] = a.shape;
  return Array.from({ length: rows }, (_, i) => Array.from(a.data.subarray(i * cols, (i + 1) * cols)));
}

/**
 * Read an init file as its JSON value (`.npz`: `init.json` with the named arrays filled in), for
 * the library's reader of `widelimit-init/1`; errors are located at `init.…` as that reader's are.
 */
export function readInitFile(path: string, flag = '--init'): unknown {
  checkInitExtension(flag, path);
  if (!isNpz(path)) return readJsonFile(path, flag);
  const { arrays, texts } = readNpz(readFileBytes(path, flag, path, MAX_NPZ_READ), `${flag} (${path})`);
  const meta = texts.get(INIT_MEMBER);
  if (meta === undefined) throw new InputError(`${flag} (${path})`, `the archive has no ${INIT_MEMBER} member (written by widelimit train --save-init I.npz); it holds ${[...arrays.keys(), ...texts.keys()].join(', ') || 'nothing'}`);
  const o = parseJsonText(meta, `${path}: ${INIT_MEMBER}`, flag) as { layers?: unknown };
  if (!o || typeof o !== 'object' || !Array.isArray(o.layers)) return o;
  const layers = o.layers.map((l: unknown, i: number) => {
    if (!l || typeof l !== 'object') return l;
    const lo = l as { W?: unknown; b?: unknown };
    const at = `init.layers[${i}]`;
    const W = typeof lo.W === 'string' ? valuesOf(arrays.get(lo.W), `${lo.W}.npy`, 2, `${at}.W`) : lo.W;
    const b = typeof lo.b === 'string' ? valuesOf(arrays.get(lo.b), `${lo.b}.npy`, 1, `${at}.b`) : lo.b;
    return { ...lo, W, b };
  });
  return { ...o, layers };
}
