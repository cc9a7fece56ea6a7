/**
 * `widelimit experiment run NAME [--quick] --out DIR`: resolve the config, run its kind, write
 * results.json (unless the kind did) and the report.
 */
import { mkdirSync } from 'node:fs';
import './plugins.js';
import { type ResolvedExperiment, loadExperiment, resolveExperiment } from '../harness/experiments.js';
import { type ExperimentContext, experimentKind, writeGenericResults } from '../harness/kinds.js';
import { type ReportFiles, writeReport } from '../harness/report/index.js';
import { loadChartLibraries } from '../harness/report/render.js';
import type { AnyResults } from '../harness/types.js';

export interface RunExperimentOptions extends Omit<ExperimentContext, 'progress'> {
  quick?: boolean;
  progress?: ExperimentContext['progress'];
}

/** Run a resolved experiment (any kind) into `o.out` and write its report. */
export async function runResolvedExperiment(c: ResolvedExperiment, o: RunExperimentOptions): Promise<{ results: AnyResults; report: ReportFiles }> {
  const kind = experimentKind(c.kind, `${c.name}.kind`);
  const params = kind.parse(c);
  mkdirSync(o.out, { recursive: true });
  const ctx: ExperimentContext = { out: o.out, workers: o.workers, progress: o.progress ?? true, ...(o.backend ? { backend: o.backend } : {}) };
  // The chart libraries (~0.2 s of module loading) load while the experiment computes, not
  // before it starts nor after it ends; a failure to load them surfaces in writeReport.
  loadChartLibraries().catch(() => {});
  const out = await kind.run(params, c, ctx);
  const seed = typeof c.spec?.seed === 'number' ? c.spec.seed : 0;
  const results = 'written' in out ? out.written : writeGenericResults(c, out, o.out, seed, kind);
  const report = await writeReport(o.out);
  return { results, report };
}

/** Run the built-in experiment `name` (experiments/<name>.json). */
export async function runExperiment(name: string, o: RunExperimentOptions): Promise<{ results: AnyResults; report: ReportFiles }> {
  const c = resolveExperiment(loadExperiment(name), o.quick ?? false);
  return runResolvedExperiment(c, o);
}
