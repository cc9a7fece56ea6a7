/**
 * NumPy `.npy` files (format versions 1.0 and 2.0, as NumPy documents them in
 * `numpy.lib.format`): the magic `\x93NUMPY`, the version, the header length (2 bytes
 * little-endian in 1.0, 4 bytes in 2.0), an ASCII Python-dict header
 * `{'descr': '<f8', 'fortran_order': False, 'shape': (n, m), }` padded with spaces and a newline
 * so that the data starts at a multiple of 64 bytes, then the float64 entries in C (row-major)
 * order. Loaded with one call, `numpy.load('K.npy')`.
 */
import { endianness } from 'node:os';
import { InputError } from './errors.js';
import { writeAll, writeStreamAtomic } from './jsonStream.js';

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY

/** The header bytes of a C-order float64 array of `shape`. */
export function npyHeader(shape: readonly number[]): Buffer {
  const descr = endianness() === 'LE' ? '<f8' : '>f8';
  const dims = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
  const dict = `{'descr': '${descr}', 'fortran_order': False, 'shape': ${dims}, }`;
  for (const [major, lenBytes] of [[1, 2], [2, 4]] as const) {
    const pre = MAGIC.length + 2 + lenBytes;
    const total = Math.ceil((pre + dict.length + 1) / 64) * 64;
    const hlen = total - pre;
    if (major === 1 && hlen > 0xffff) continue;
    const b = Buffer.alloc(total, 0x20);
    b.set(MAGIC, 0);
    b[6] = major;
    b[7] = 0;
    if (lenBytes === 2) b.writeUInt16LE(hlen, 8);
    else b.writeUInt32LE(hlen, 8);
    b.write(dict, pre, 'latin1');
    b[total - 1] = 0x0a;
    return b;
  }
  throw new RangeError('npy header too long');
}

/** Entries of `shape` in `blocks` (C order): their count, checked. */
function checkCount(shape: readonly number[], blocks: readonly Float64Array[]): void {
  const count = shape.reduce((a, b) => a * b, 1);
  const have = blocks.reduce((a, b) => a + b.length, 0);
  if (count !== have) throw new RangeError(`npy: shape ${shape.join('×')} needs ${count} entries, got ${have}`);
}

/** Bytes of the `.npy` file of `shape` (header and entries): what {@link npyPieces} gives. */
export function npyBytes(shape: readonly number[]): number {
  return npyHeader(shape).length + 8 * shape.reduce((a, b) => a * b, 1);
}

/** The bytes of a `.npy` file of `shape` (entries from `blocks`, C order), in pieces of at most 8 MB. */
export function npyPieces(shape: readonly number[], blocks: readonly Float64Array[], emit: (b: Uint8Array) => void): void {
  checkCount(shape, blocks);
  emit(npyHeader(shape));
  const step = 1 << 20; // entries per piece (8 MB)
  for (const b of blocks) {
    for (let i = 0; i < b.length; i += step) {
      const part = b.subarray(i, Math.min(i + step, b.length));
      emit(new Uint8Array(part.buffer, part.byteOffset, part.byteLength));
    }
  }
}

/** Write one float64 array of `shape` (entries from `blocks`, in C order) to `path` atomically. */
export function writeNpy(path: string, shape: readonly number[], blocks: readonly Float64Array[]): void {
  checkCount(shape, blocks);
  writeStreamAtomic(path, (fd) => npyPieces(shape, blocks, (b) => writeAll(fd, b)));
}

/** Read a float64 `.npy` file's bytes (C order, this machine's byte order): shape and entries. */
export function readNpy(bytes: Uint8Array, where = 'npy'): { shape: number[]; data: Float64Array } {
  const b = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (b.length < 10 || !MAGIC.every((m, i) => b[i] === m)) throw new InputError(where, 'not a NumPy .npy file');
  const major = b[6];
  const lenBytes = major === 1 ? 2 : 4;
  const hlen = major === 1 ? b.readUInt16LE(8) : b.readUInt32LE(8);
  const start = 8 + lenBytes + hlen;
  const header = b.toString('latin1', 8 + lenBytes, start);
  const descr = /'descr':\s*'([^']+)'/.exec(header)?.[1];
  const fortran = /'fortran_order':\s*(True|False)/.exec(header)?.[1];
  const dims = /'shape':\s*\(([^)]*)\)/.exec(header)?.[1];
  if (descr !== (endianness() === 'LE' ? '<f8' : '>f8') || fortran !== 'False' || dims === undefined) {
    throw new InputError(where, `only C-order float64 arrays are read, header ${header.trim()}`);
  }
  const shape = dims.split(',').map((s) => s.trim()).filter((s) => s !== '').map(Number);
  const count = shape.reduce((a, c) => a * c, 1);
  if (b.length - start !== 8 * count) throw new InputError(where, `shape (${shape.join(', ')}) needs ${8 * count} data bytes, file has ${b.length - start}`);
  const data = new Float64Array(count);
  new Uint8Array(data.buffer).set(b.subarray(start));
  return { shape, data };
}
