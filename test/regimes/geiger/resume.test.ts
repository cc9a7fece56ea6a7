/**
 * Resuming the regime sweeps (src/regimes/geiger/sweep.ts) does not depend on where the config
 * lies: the same config file in two folders gives the same cell keys and hashes, and a run started
 * from one folder is resumed (no cell recomputed) from the other.
 */
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadExperiment, resolveExperiment } from '../../../src/harness/experiments.js';
import { runResolvedExperiment } from '../../../src/regimes/runExperiment.js';
import type { GenericResults } from '../../../src/harness/types.js';
import { parseGeigerParams } from '../../../src/regimes/geiger/params.js';
import { scanTasks } from '../../../src/regimes/geiger/scan.js';
import { cellHash } from '../../../src/regimes/geiger/sweep.js';
import { registerRegimeKinds } from '../../../src/regimes/index.js';
import { parseThetaParams } from '../../../src/regimes/theta/params.js';
import { thetaTasks } from '../../../src/regimes/theta/scan.js';

const tmp = mkdtempSync(join(tmpdir(), 'regime-resume-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const geiger = {
  name: 'geiger-move',
  claim: 'resume test',
  kind: 'geiger-alpha-scan',
  spec: {
    data: { source: 'gaussian', n: 8, nTest: 4, dim: 3, target: 'sign', seed: 0 },
    model: { parameterization: 'geiger', depth: 1, activation: 'softplus:5', weightStd: 1.4142135623730951 },
    training: { loss: 'soft-hinge' },
  },
  widths: [8, 16],
  seeds: 1,
  params: { grid: [0.3, 3, 30], savesPerDecade: 2 },
};

const theta = {
  name: 'theta-move',
  claim: 'resume test',
  kind: 'theta-phase-diagram',
  spec: { data: { source: 'gaussian', n: 6, nTest: 2, dim: 3, target: 'teacher-relu', seed: 0 }, model: { activation: 'relu' }, training: { loss: 'mse' } },
  widths: [16, 32],
  seeds: 1,
  params: { points: [[0.5, 0]] },
};

/** The config written as `<name>.json` into folders a/ and b/ and loaded from each (as the CLI does). */
function fromTwoFolders(config: { name: string }) {
  return ['a', 'b'].map((sub) => {
    const dir = join(tmp, config.name, sub);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, `${config.name}.json`), JSON.stringify(config, null, 1));
    return resolveExperiment(loadExperiment(config.name, dir), false, dir);
  });
}

function cellFiles(out: string): Map<string, string> {
  const dir = join(out, 'cells');
  return new Map(readdirSync(dir).map((f) => [f, readFileSync(join(dir, f), 'utf8')]));
}

describe('regime sweeps resume wherever the config lies', () => {
  it('the same config loaded from two folders gives the same cell hashes (and different baseDir)', () => {
    for (const [config, tasksOf] of [
      [geiger, (c: ReturnType<typeof resolveExperiment>) => scanTasks(parseGeigerParams(c))],
      [theta, (c: ReturnType<typeof resolveExperiment>) => thetaTasks(parseThetaParams(c))],
    ] as const) {
      const [a, b] = fromTwoFolders(config).map(tasksOf);
      expect(a.length).toBeGreaterThan(0);
      expect(a.length).toBe(b.length);
      expect(a[0].baseDir).not.toBe(b[0].baseDir); // the test would pass trivially otherwise
      expect(a.map(cellHash)).toEqual(b.map(cellHash));
      // ... while a change of the content does change the hash
      expect(cellHash({ ...a[0], seed: a[0].seed + 1 })).not.toBe(cellHash(a[0]));
    }
  });

  it('a run started from folder a is resumed from folder b: no cell rewritten, identical records', async () => {
    registerRegimeKinds();
    for (const config of [geiger, theta]) {
      const [a, b] = fromTwoFolders(config);
      const out = join(tmp, config.name, 'run');
      const first = (await runResolvedExperiment(a, { out, workers: 1, progress: false })).results as GenericResults;
      const cells = cellFiles(out);
      expect(cells.size).toBe(config.kind === 'geiger-alpha-scan' ? 6 : 2);
      const second = (await runResolvedExperiment(b, { out, workers: 1, progress: false })).results as GenericResults;
      // A recomputed cell would be rewritten with a new run time (and, before the fix, a new hash).
      expect(cellFiles(out)).toEqual(cells);
      expect(second.records).toEqual(first.records);
    }
  });
});
