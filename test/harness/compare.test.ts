import { existsSync, mkdirSync, readFileSync, readdirSync, unlinkSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/core/errors.js';
import { checkWidths, runCompare } from '../../src/harness/compare.js';
import { paths } from '../../src/harness/folder.js';
import { specHash } from '../../src/harness/hash.js';
import type { CellRecord, CompareResults } from '../../src/harness/types.js';
import { tempDir, tinySpec } from './fixtures.js';

const WIDTHS = [16, 64];
const SEEDS = 3;

async function sweep(out: string, spec = tinySpec()): Promise<CompareResults> {
  return runCompare(spec, { widths: WIDTHS, seeds: SEEDS, out, workers: 1, progress: false });
}

describe('runCompare (in-process sweeps)', () => {
  it('writes one cell per (width, seed), then a sorted, time-free results.json', async () => {
    const out = tempDir('cmp');
    const r = await sweep(out);
    expect(readdirSync(paths.cells(out)).sort()).toEqual(['w16-s0.json', 'w16-s1.json', 'w16-s2.json', 'w64-s0.json', 'w64-s1.json', 'w64-s2.json']);
    expect(r.cells.map((c) => [c.width, c.seed])).toEqual([[16, 0], [16, 1], [16, 2], [64, 0], [64, 1], [64, 2]]);
    expect(r.status).toBe('ok');
    expect(r.limit.name).toBe('ntk');
    const text = readFileSync(paths.results(out), 'utf8');
    expect(text).not.toMatch(/seconds|"date"|finished/);
    expect(existsSync(paths.timing(out))).toBe(true);
    // path-wise NTK: the limit starts from the network's own f_0, so the distance at τ = 0 is exactly 0
    const cell = JSON.parse(readFileSync(paths.cell(out, 64, 1), 'utf8')) as CellRecord;
    expect(cell.curves.fTrainDev[0]).toBe(0);
    expect(cell.curves.fTestDev[0]).toBe(0);
    for (const m of ['fTrainSup', 'fTestSup', 'lossSup', 'kernelInit', 'kernelMotion', 'weightMotion']) {
      expect(cell.metrics[m]).toBeGreaterThan(0);
    }
    expect(r.widthMetrics.map((w) => w.nSeeds)).toEqual([3, 3]);
    expect(r.fits.map((f) => f.metric)).toEqual(['fTrainSup', 'fTestSup', 'lossSup', 'kernelInit', 'kernelMotion', 'weightMotion', 'seedVariance', 'ensembleError']);
  });

  it('a re-run reuses every saved cell and rewrites a byte-identical results.json', async () => {
    const out = tempDir('resume');
    await sweep(out);
    const first = readFileSync(paths.results(out));
    // drop one cell and the results, as if the sweep had been killed before they were written
    unlinkSync(paths.cell(out, 64, 2));
    unlinkSync(paths.results(out));
    await sweep(out);
    expect(readFileSync(paths.results(out)).equals(first)).toBe(true);
    expect(existsSync(paths.cell(out, 64, 2))).toBe(true);
    const timing = JSON.parse(readFileSync(paths.timing(out), 'utf8'));
    expect(timing.cellsRun).toBe(1);
    expect(timing.cellsReused).toBe(5);
  });

  it('a recomputed cell is bit-identical to the first computation', async () => {
    const out = tempDir('recompute');
    await sweep(out);
    const p = paths.cell(out, 16, 1);
    const a = JSON.parse(readFileSync(p, 'utf8')) as CellRecord;
    unlinkSync(p);
    await sweep(out);
    const b = JSON.parse(readFileSync(p, 'utf8')) as CellRecord;
    expect({ ...b, seconds: 0 }).toEqual({ ...a, seconds: 0 });
  });

  it('a different spec in the same folder is refused: pick a new folder', async () => {
    const out = tempDir('other');
    await sweep(out);
    const other = tinySpec({ training: { loss: 'mse', method: 'gd', lr: 0.5, steps: 20, recordEvery: 5 } });
    await expect(sweep(out, other)).rejects.toThrow(InputError);
    await expect(sweep(out, other)).rejects.toThrow(/--out: .*different spec.*pick a new folder/);
  });

  it('a numerically failed cell is kept, the sweep goes on and the fits use the other cells', async () => {
    const out = tempDir('failed');
    const spec = tinySpec();
    // a saved 'diverged' cell (numerical outcomes are deterministic, so resume keeps them)
    const hash = specHash(spec);
    mkdirSync(paths.cells(out), { recursive: true });
    const bad: CellRecord = {
      format: 'widelimit-cell/1', specHash: hash, width: 64, seed: 1, initSeed: 1, status: 'diverged', message: 'loss above 1e8',
      metrics: { fTrainSup: NaN }, curves: { times: [], trainLoss: [], testLoss: [], fTrainDev: [], fTestDev: [] },
      fTestFinal: [], fTestCentred: [], seconds: 0,
    };
    writeFileSync(paths.cell(out, 64, 1), JSON.stringify(bad));
    const r = await sweep(out, spec);
    expect(r.failed).toBe(1);
    expect(r.status).toBe('failed');
    expect(r.message).toMatch(/1 of 6 cells failed/);
    const f = r.fits.find((x) => x.metric === 'fTrainSup');
    expect(f?.status).toBe('ok');
    expect(f?.message).toMatch(/1 failed or missing cell/);
    expect(r.widthMetrics.find((w) => w.width === 64)?.nSeeds).toBe(2);
  });

  it('a crashed cell (status failed) is recomputed on resume', async () => {
    const out = tempDir('crashed');
    await sweep(out);
    const p = paths.cell(out, 16, 0);
    const good = readFileSync(paths.results(out));
    const c = JSON.parse(readFileSync(p, 'utf8')) as CellRecord;
    writeFileSync(p, JSON.stringify({ ...c, status: 'failed', message: 'worker crashed: out of memory' }));
    await sweep(out);
    expect(readFileSync(paths.results(out)).equals(good)).toBe(true);
  });

  it('widths must be at least two distinct positive integers', () => {
    expect(() => checkWidths([64])).toThrow(/--widths: needs at least two widths/);
    expect(() => checkWidths([64, -1])).toThrow(/--widths: must be a positive integer, got -1/);
    expect(() => checkWidths([64, 64])).toThrow(/distinct/);
    expect(checkWidths([256, 64])).toEqual([64, 256]);
  });
});
