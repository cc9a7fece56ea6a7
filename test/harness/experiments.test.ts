import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/core/errors.js';
import { checkConfig, deepMerge, experimentNames, listExperiments, loadExperiment, resolveExperiment } from '../../src/harness/experiments.js';
import { compareKind, experimentKind } from '../../src/harness/kinds.js';
import { runExperiment, runResolvedExperiment } from '../../src/regimes/runExperiment.js';
import { SUMMARY_END, SUMMARY_START, replaceSummary, summaryTable, updateSummary } from '../../src/harness/summary.js';
import { COMPARE_METRICS, type CompareResults } from '../../src/harness/types.js';
import { tempDir } from './fixtures.js';

describe('the experiment registry', () => {
  it('has the NTK experiments, each a valid config whose spec parses and whose metrics exist', () => {
    const names = experimentNames();
    for (const n of ['ntk-relu-gaussian', 'ntk-erf-gaussian', 'ntk-relu-mnist']) expect(names).toContain(n);
    for (const c of listExperiments()) {
      const kind = experimentKind(c.kind);
      expect(() => kind.parse(resolveExperiment(c, false))).not.toThrow();
      expect(() => kind.parse(resolveExperiment(c, true))).not.toThrow();
      if (c.kind === 'compare') for (const e of c.expected) expect(COMPARE_METRICS as readonly string[]).toContain(e.metric);
      expect(c.quick).toBeDefined();
    }
  });

  it('--quick deep-merges its spec into the full spec and replaces widths and seeds', () => {
    const c = loadExperiment('ntk-relu-gaussian');
    const q = resolveExperiment(c, true);
    expect(q.quick).toBe(true);
    expect(q.widths).toEqual(c.quick?.widths);
    expect((q.spec?.training as Record<string, unknown>).steps).toBe(100);
    expect((q.spec?.training as Record<string, unknown>).lr).toBe((c.spec?.training as Record<string, unknown>).lr);
    expect(deepMerge({ a: { b: 1, c: 2 }, d: [1] }, { a: { c: 3 }, d: [2] })).toEqual({ a: { b: 1, c: 3 }, d: [2] });
  });

  it('bad configs are input errors naming the experiment and field', () => {
    expect(() => loadExperiment('no-such')).toThrow(/experiment: unknown experiment "no-such" \(known: .*ntk-relu-gaussian/);
    const base = { name: 'x', claim: 'c', kind: 'compare', widths: [1, 2], seeds: 2 };
    expect(() => checkConfig({ ...base, widths: [8] }, 'x')).toThrow(/x.widths: must be an array of at least two/);
    expect(() => checkConfig({ ...base, expected: [{ metric: 'a', exponent: 'b' }] }, 'x')).toThrow(/x.expected\[0\].exponent/);
    expect(() => checkConfig({ ...base, colour: 1 }, 'x')).toThrow(InputError);
    expect(() => checkConfig({ ...base, name: 'y' }, 'x')).toThrow(/x.name: must equal the file name/);
    expect(() => compareKind.parse({ ...base, expected: [], quick: false, dir: '.', spec: { model: { width: -3 } } })).toThrow(/x.spec.model.width: must be a positive integer, got -3/);
    expect(() => experimentKind('nope', 'x.kind')).toThrow(/x.kind: unknown experiment kind "nope"/);
  });
});

describe('experiments run as functions of their config (smoke tests, tiny sizes)', () => {
  for (const name of ['ntk-relu-gaussian', 'ntk-erf-gaussian', 'ntk-relu-mnist']) {
    it(`${name} runs end to end and writes its report`, async () => {
      const c = resolveExperiment(loadExperiment(name), true);
      const tiny = { ...c, widths: [16, 32], seeds: 2, spec: { ...c.spec, data: { ...(c.spec?.data as object), n: 6, nTest: 4 }, training: { ...(c.spec?.training as object), steps: 10, lr: 0.5 } } };
      const out = tempDir(`smoke-${name}`);
      const { results, report } = await runResolvedExperiment(tiny, { out, workers: 1, progress: false });
      expect(results.status).toBe('ok');
      expect(results.name).toBe(`${name} (quick)`);
      expect(results.fits.length).toBeGreaterThan(5);
      expect(readFileSync(report.html, 'utf8')).toContain(c.claim.slice(0, 40));
    });
  }

  it('the quick NTK experiment finds the h^-1/2 rate of the function distance', async () => {
    const out = tempDir('quick');
    const { results } = await runExperiment('ntk-relu-gaussian', { quick: true, out, workers: 1, progress: false });
    const f = results.fits.find((x) => x.metric === 'fTrainSup');
    // widths 64..1024 × 4 seeds (seeded, deterministic); the full run gives −0.50 [−0.54, −0.46]
    // 4 seeds are fewer than 8: the quick run cannot decide the claim, and says so
    expect(f?.verdict).toBe('inconclusive');
    const claim = results.claims?.find((c) => c.id === 'fTrainSup' || c.quantity === 'fTrainSup');
    expect(claim?.status).toBe('inconclusive');
    expect(claim?.reason).toMatch(/4 seeds \(fewer than 8\)/);
    expect(f?.ci[0]).toBeLessThan(-0.5);
    expect(f?.ci[1]).toBeGreaterThan(-0.5);
    expect(results.quick).toBe(true);

    // The summary table reads full runs only: the quick run is listed as not run, a full one with its fits.
    const runs = tempDir('runs');
    mkdirSync(join(runs, 'ntk-relu-gaussian'), { recursive: true });
    const full = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')) as CompareResults;
    delete full.quick;
    writeFileSync(join(runs, 'ntk-relu-gaussian', 'results.json'), JSON.stringify(full));
    cpSync(join(out, 'results.json'), join(runs, 'ntk-erf-gaussian-quick.json'));
    const table = summaryTable(runs, ['ntk-relu-gaussian', 'ntk-erf-gaussian']);
    expect(table).toMatch(/\| \[ntk-relu-gaussian\]\(results\/ntk-relu-gaussian\/report.md\) \| .* \| exponent of fTrainSup \| −0\.5 ± 0\.1 \| −0\.\d+ \[.*\] \| 4 \| inconclusive \|/);
    expect(table).toMatch(/\| ntk-erf-gaussian \| .* not run/);
    const readme = `# E\n\n${SUMMARY_START}\nold\n${SUMMARY_END}\n\ntail\n`;
    const once = replaceSummary(readme, table);
    expect(once).toContain('tail');
    expect(once).not.toContain('old');
    expect(replaceSummary(once, table)).toBe(once);
    // a runs folder without any full run is refused and the README is left alone
    const empty = tempDir('empty-runs');
    const readmePath = join(empty, 'README.md');
    writeFileSync(readmePath, once);
    expect(() => updateSummary(empty, readmePath)).toThrow(/holds no full run of any built-in experiment/);
    expect(readFileSync(readmePath, 'utf8')).toBe(once);
  });
});
