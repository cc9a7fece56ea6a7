/**
 * Streamed compact JSON (src/core/jsonStream.ts) is the text JSON.stringify gives (property-based
 * over random JSON-like values), with non-finite numbers as null, typed arrays as lists and
 * matrices as lists of rows; the file appears only when complete.
 */
import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { jsonReplacer } from '../../src/core/atomic.js';
import { JsonMatrix, writeJsonStream } from '../../src/core/jsonStream.js';

const dir = mkdtempSync(join(tmpdir(), 'wl-jsonstream-'));

describe('streamed JSON', () => {
  it('equals JSON.stringify (non-finite numbers as null) for random values', () => {
    const p = join(dir, 'v.json');
    fc.assert(
      fc.property(fc.jsonValue(), fc.double(), (v, x) => {
        const value = { v, x, skip: undefined, arr: [x, undefined] };
        writeJsonStream(p, value);
        return readFileSync(p, 'utf8') === `${JSON.stringify(value, jsonReplacer)}\n`;
      }),
      { numRuns: 200, seed: 13 },
    );
  });

  it('writes typed arrays as lists and a JsonMatrix as rows, and leaves no temporary file', () => {
    const p = join(dir, 'm.json');
    writeJsonStream(p, { a: Float64Array.from([1, NaN, -Infinity]), m: new JsonMatrix(Float64Array.from([1, 2, 3, 4, 5, 6]), 2, 3) });
    expect(JSON.parse(readFileSync(p, 'utf8'))).toEqual({ a: [1, null, null], m: [[1, 2, 3], [4, 5, 6]] });
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('writes more than one chunk (a result larger than the 1 MB buffer) intact', () => {
    const p = join(dir, 'big.json');
    const a = Float64Array.from({ length: 300_000 }, (_, i) => i / 3);
    writeJsonStream(p, { a });
    expect(JSON.parse(readFileSync(p, 'utf8')).a).toEqual(Array.from(a));
  });
});
