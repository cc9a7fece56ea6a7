/**
 * NumPy `.npz` files: a zip archive of `.npy` members (`numpy.savez` writes them, `numpy.load`
 * reads them: `z = np.load('I.npz'); z['W0']`). Written with stored (uncompressed) members, streamed
 * through fflate's zip writer into a temporary file renamed over the target; a text member (for
 * example `init.json`) may ride along and is read back as text (`np.load` gives its bytes).
 * Without ZIP64 an archive holds at most 4 GiB; larger ones are refused before writing.
 */
import { Zip, ZipPassThrough, unzipSync } from 'fflate';
import { InputError } from './errors.js';
import { writeAll, writeStreamAtomic } from './jsonStream.js';
import { npyBytes, npyPieces, readNpy } from './npy.js';

/** One array of an archive: its member name without `.npy`, shape and entries (C order, in blocks). */
export interface NpzArray {
  name: string;
  shape: number[];
  blocks: Float64Array[];
}

/** Largest archive written: ZIP without its 64-bit extension (4 GiB less room for headers). */
export const MAX_NPZ_BYTES = 2 ** 32 - 2 ** 20;

/** Size of the archive of `arrays` and `texts` (members, local and central headers). */
export function npzBytes(arrays: ReadonlyArray<Pick<NpzArray, 'name' | 'shape'>>, texts: Record<string, string> = {}): number {
  const member = (name: string, size: number) => size + 2 * (46 + name.length) + 16;
  let total = 22;
  for (const a of arrays) total += member(`${a.name}.npy`, npyBytes(a.shape));
  for (const [name, t] of Object.entries(texts)) total += member(name, Buffer.byteLength(t));
  return total;
}

/** Write `arrays` (as `<name>.npy`) and `texts` (as given) to the archive `path`, atomically. */
export function writeNpz(path: string, arrays: readonly NpzArray[], texts: Record<string, string> = {}, where = path): void {
  const size = npzBytes(arrays, texts);
  if (size > MAX_NPZ_BYTES) {
    throw new InputError(where, `the .npz archive would be ${(size / 2 ** 30).toFixed(1)} GiB; archives of more than 4 GiB are not written (no ZIP64): use .json or a smaller size`);
  }
  writeStreamAtomic(path, (fd) => {
    const zip = new Zip((err, chunk) => {
      if (err) throw err;
      writeAll(fd, chunk);
    });
    for (const a of arrays) {
      const m = new ZipPassThrough(`${a.name}.npy`);
      zip.add(m);
      npyPieces(a.shape, a.blocks, (b) => m.push(b));
      m.push(new Uint8Array(0), true);
    }
    for (const [name, t] of Object.entries(texts)) {
      const m = new ZipPassThrough(name);
      zip.add(m);
      m.push(Buffer.from(t, 'utf8'), true);
    }
    zip.end();
  });
}

/** The members of an archive's bytes: `.npy` members as arrays (by name without `.npy`), others as text. */
export function readNpz(bytes: Uint8Array, where = 'npz'): { arrays: Map<string, { shape: number[]; data: Float64Array }>; texts: Map<string, string> } {
  let members: Record<string, Uint8Array>;
  try {
    members = unzipSync(bytes);
  } catch (e) {
    throw new InputError(where, `not a readable .npz (zip) archive: ${(e as Error).message}`);
  }
  const arrays = new Map<string, { shape: number[]; data: Float64Array }>();
  const texts = new Map<string, string>();
  for (const [name, b] of Object.entries(members)) {
    if (name.endsWith('.npy')) arrays.set(name.slice(0, -4), readNpy(b, `${where}: ${name}`));
    else texts.set(name, Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('utf8'));
  }
  return { arrays, texts };
}
