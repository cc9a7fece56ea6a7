/**
 * NumPy .npz archives (src/core/npz.ts): written through fflate with stored members, checked here
 * against the ZIP format itself — the central directory is parsed by hand, each member's bytes
 * are found uncompressed in the archive with the CRC-32 of node:zlib — and read back bit for bit.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/core/errors.js';
import { npyHeader } from '../../src/core/npy.js';
import { MAX_NPZ_BYTES, npzBytes, readNpz, writeNpz } from '../../src/core/npz.js';

const dir = mkdtempSync(join(tmpdir(), 'wl-npz-'));

/** Central-directory entries of a zip archive: name, method, CRC-32, sizes, local-header offset. */
function centralDirectory(b: Buffer) {
  const eocd = b.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  const count = b.readUInt16LE(eocd + 10);
  let p = b.readUInt32LE(eocd + 16);
  const out = [];
  for (let i = 0; i < count; i++) {
    expect(b.readUInt32LE(p)).toBe(0x02014b50);
    const nameLen = b.readUInt16LE(p + 28), extra = b.readUInt16LE(p + 30), comment = b.readUInt16LE(p + 32);
    out.push({
      method: b.readUInt16LE(p + 10), crc: b.readUInt32LE(p + 16), size: b.readUInt32LE(p + 20),
      raw: b.readUInt32LE(p + 24), offset: b.readUInt32LE(p + 42), name: b.toString('utf8', p + 46, p + 46 + nameLen),
    });
    p += 46 + nameLen + extra + comment;
  }
  return out;
}

describe('npz archives', () => {
  const W = Float64Array.from({ length: 12 }, (_, i) => Math.sin(i) * 1e-3);
  const b = Float64Array.from([0, -0, NaN, Infinity, -Infinity, 1e-310]);
  const path = join(dir, 'a.npz');
  writeNpz(path, [{ name: 'W0', shape: [3, 4], blocks: [W.subarray(0, 5), W.subarray(5)] }, { name: 'b0', shape: [6], blocks: [b] }], { 'meta.json': '{"τ":1}' });
  const bytes = readFileSync(path);

  it('is a zip of stored members whose bytes, CRC-32 and sizes are those of the .npy files', () => {
    const cd = centralDirectory(bytes);
    expect(cd.map((e) => e.name)).toEqual(['W0.npy', 'b0.npy', 'meta.json']);
    const expected = [
      Buffer.concat([npyHeader([3, 4]), Buffer.from(W.buffer)]),
      Buffer.concat([npyHeader([6]), Buffer.from(b.buffer)]),
      Buffer.from('{"τ":1}', 'utf8'),
    ];
    cd.forEach((e, i) => {
      expect(e.method).toBe(0); // stored
      expect(e.size).toBe(expected[i].length);
      expect(e.raw).toBe(expected[i].length);
      expect(e.crc).toBe(crc32(expected[i]));
      expect(bytes.readUInt32LE(e.offset)).toBe(0x04034b50);
      expect(bytes.indexOf(expected[i], e.offset)).toBeGreaterThan(e.offset);
    });
    expect(bytes.length).toBeLessThanOrEqual(npzBytes([{ name: 'W0', shape: [3, 4] }, { name: 'b0', shape: [6] }], { 'meta.json': '{"τ":1}' }));
  });

  it('reads back every array bit for bit (NaN, ±0, infinities, subnormals) and the text member', () => {
    const r = readNpz(bytes);
    expect(r.arrays.get('W0')?.shape).toEqual([3, 4]);
    expect(Buffer.from(r.arrays.get('W0')!.data.buffer).equals(Buffer.from(W.buffer))).toBe(true);
    expect(Buffer.from(r.arrays.get('b0')!.data.buffer).equals(Buffer.from(b.buffer))).toBe(true);
    expect(r.texts.get('meta.json')).toBe('{"τ":1}');
  });

  it('refuses an archive above 4 GiB before writing, and bytes that are no zip', () => {
    const huge = () => writeNpz(join(dir, 'h.npz'), [{ name: 'x', shape: [2 ** 29 + 1], blocks: [] }], {}, '--out');
    expect(huge).toThrow(InputError);
    expect(huge).toThrow(/--out|4 GiB/);
    expect(npzBytes([{ name: 'x', shape: [2 ** 29] }])).toBeGreaterThan(MAX_NPZ_BYTES);
    expect(() => readNpz(Buffer.from('PK not really'), '--init')).toThrow(/not a readable \.npz/);
  });
});
