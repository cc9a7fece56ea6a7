/**
 * Kind geiger-ensemble (theory/geiger.md#ensemble) on its quick config: the records and statistics it
 * promises, and the ensemble error recomputed from independent single runs of the same seeds.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadExperiment, resolveExperiment } from '../../../src/harness/experiments.js';
import type { GenericResults } from '../../../src/harness/types.js';
import { registerRegimeKinds } from '../../../src/regimes/index.js';
import { runGeigerCell, scanDataset } from '../../../src/regimes/geiger/cell.js';
import { ENSEMBLE_SEED_OFFSET, parseGeigerEnsemble } from '../../../src/regimes/geiger/ensembleKind.js';
import { alphaOf } from '../../../src/regimes/geiger/params.js';
import { runResolvedExperiment } from '../../../src/regimes/runExperiment.js';

describe('kind geiger-ensemble (quick config)', () => {
  registerRegimeKinds();
  it('records test errors, fluctuation terms and ensemble errors; the ensemble error is that of the averaged outputs', async () => {
    const out = mkdtempSync(join(tmpdir(), 'geiger-ensemble-'));
    const c = resolveExperiment(loadExperiment('geiger-ensemble'), true);
    await runResolvedExperiment(c, { out, progress: false });
    const r = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')) as GenericResults & { claims: { id: string; estimate: number | null }[] };
    for (const reg of ['lazy', 'feature']) {
      expect(r.records.filter((x) => x.metric === `testError.${reg}`).length).toBe(c.widths.length * c.seeds);
      expect(r.records.filter((x) => x.metric === `dF2.${reg}` && (x.value as number) > 0).length).toBe(c.widths.length * c.seeds);
    }
    // recompute group 0 of the feature ensemble from single runs (independent of the kind's loop)
    const p = parseGeigerEnsemble(c);
    const s = p.scan, v = s.grid[0];
    const members = Array.from({ length: p.ensembleSize }, (_, j) => runGeigerCell({
      spec: s.spec, baseDir: s.baseDir, width: p.ensembleWidth, alpha: alphaOf(s, v, p.ensembleWidth), seed: ENSEMBLE_SEED_OFFSET + j,
      tolerance: s.tolerance, maxTime: s.maxTime, savesPerDecade: s.savesPerDecade, stop: s.stop, t1Fraction: s.t1Fraction,
    }));
    const y = scanDataset(s.spec, s.baseDir).yTest.data;
    let wrong = 0;
    for (let i = 0; i < y.length; i++) {
      const avg = members.reduce((a, m) => a + m.fTestFinal[i], 0) / members.length;
      if (!(avg * y[i] > 0)) wrong++;
    }
    const rec = r.records.find((x) => x.metric === 'ensembleTestError.feature' && x.seed === 0)!;
    expect(rec.value).toBe(wrong / y.length);
    for (const id of ['ensemble-lazy', 'ensemble-feature', 'fc-lazy-better']) {
      expect(Number.isFinite(r.claims.find((x) => x.id === id)!.estimate)).toBe(true);
    }
  }, 120_000);
});
