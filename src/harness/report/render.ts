/**
 * Vega-Lite → SVG in Node: `vl.compile(spec).spec` gives a Vega spec, rendered headless by a
 * `vega.View` with the `none` renderer (no canvas, no browser, no network).
 *
 * vega and vega-lite (about 450 modules, ~0.2 s) are imported on first use, not when this module
 * loads: every command starts without them, and a long run can start loading them early with
 * {@link loadChartLibraries} while it computes.
 */
import type * as VegaModule from 'vega';
import type * as VegaLiteModule from 'vega-lite';
import type { TopLevelSpec } from 'vega-lite';

interface ChartLibraries {
  vega: typeof VegaModule;
  vl: typeof VegaLiteModule;
}

let libraries: Promise<ChartLibraries> | undefined;

/** Import vega and vega-lite once (later calls return the same promise). */
export function loadChartLibraries(): Promise<ChartLibraries> {
  libraries ??= Promise.all([import('vega'), import('vega-lite')]).then(([vega, vl]) => ({ vega, vl }));
  return libraries;
}

/** Fonts and colours shared by every figure. */
export const CHART_CONFIG = {
  font: 'Helvetica, Arial, sans-serif',
  background: 'white',
  padding: 8,
  view: { stroke: '#bbb' },
  axis: { labelFontSize: 11, titleFontSize: 12, titleFontWeight: 'normal', gridColor: '#eee', tickColor: '#888', domainColor: '#888' },
  legend: { labelFontSize: 11, titleFontSize: 11, titleFontWeight: 'normal', symbolSize: 70 },
  title: { fontSize: 14, fontWeight: 'bold', anchor: 'start', subtitleFontSize: 11, subtitleColor: '#555', offset: 10 },
} as const;

/** Vega-Lite's compile warnings (legend merging and the like) are not the user's business. */
const quiet = {
  level(): number { return 0; },
  error(...args: unknown[]) { throw new Error(args.map(String).join(' ')); },
  warn() { return quiet; },
  info() { return quiet; },
  debug() { return quiet; },
} as unknown as NonNullable<Parameters<typeof VegaLiteModule.compile>[1]>['logger'];

/** The versions of vega and vega-lite, for the report's colophon. */
export async function chartVersions(): Promise<{ vega: string; vegaLite: string }> {
  const { vega, vl } = await loadChartLibraries();
  return { vega: vega.version, vegaLite: vl.version };
}

/**
 * Render a Vega-Lite spec to an SVG string. Element ids (clip paths, gradients) are prefixed
 * with `idPrefix` so that several SVGs can be inlined in one HTML page.
 */
export async function renderSvg(spec: TopLevelSpec, idPrefix: string): Promise<string> {
  const { vega, vl } = await loadChartLibraries();
  const full = { ...spec, config: { ...CHART_CONFIG, ...(spec.config ?? {}) } } as TopLevelSpec;
  const view = new vega.View(vega.parse(vl.compile(full, { logger: quiet }).spec), { renderer: 'none', logLevel: vega.Error });
  try {
    const svg = await view.toSVG();
    return prefixIds(svg, idPrefix);
  } finally {
    view.finalize();
  }
}

/** Prefix every `id="x"` and its references `url(#x)`, `href="#x"`. */
export function prefixIds(svg: string, prefix: string): string {
  const p = prefix.replace(/[^A-Za-z0-9_-]/g, '_');
  return svg
    .replace(/\bid="([^"]+)"/g, (_m, id: string) => `id="${p}-${id}"`)
    .replace(/url\(#([^)]+)\)/g, (_m, id: string) => `url(#${p}-${id})`)
    .replace(/href="#([^"]+)"/g, (_m, id: string) => `href="#${p}-${id}"`);
}
