/**
 * A benchmark workload: runs our side (and the peer, when one is available) and returns rows of
 * the results table.
 */
import { existsSync } from 'node:fs';
import type { Timing } from './timing.js';
import type { PeerLibrary, PythonFound } from './python.js';

export interface BenchContext {
  /** Smaller sizes for a smoke test. */
  readonly quick: boolean;
  /** The interpreter for a peer library, or why the peer is not run. */
  peer(lib: PeerLibrary): PythonFound | { readonly missing: string };
  /** Progress line on stderr. */
  log(msg: string): void;
  /** Whether a row (case) name passes the `--only` filter (workloads with several cases use it). */
  selects(rowName: string): boolean;
}

/** One row of the results table. */
export interface BenchRow {
  readonly workload: string;
  /** Sizes, e.g. `n=256 d=16 h=1024 L=2 steps=500`. */
  readonly size: string;
  /** Threads used by our code (and given to the peer). */
  readonly threads: number;
  readonly ours: Timing | null;
  readonly peer: Timing | null;
  /** Goal for ours/peer (null: no goal). */
  readonly goal: number | null;
  /** The same quantity computed by both sides (e.g. final train loss), to show they did the same work. */
  readonly check?: { readonly ours: number; readonly peer: number | null; readonly what: string };
  /** Why a side did not run, or anything else worth a line. */
  readonly notes: readonly string[];
  /** Extra figures (GFLOP/s, fitted exponents, …) for the JSON results. */
  readonly extra?: Record<string, unknown>;
}

export interface Workload {
  /** Table name (filtered by `--only` substring). May cover several rows (name prefixes). */
  readonly name: string;
  run(ctx: BenchContext): Promise<BenchRow[]>;
}

/** A row saying the workload did not run. */
export function skippedRow(workload: string, size: string, reason: string, goal: number | null = null): BenchRow {
  return { workload, size, threads: 1, ours: null, peer: null, goal, notes: [`skipped: ${reason}`] };
}

/**
 * Import a library module (path relative to the repository's `dist/`, e.g. `src/finite/train.js`)
 * if it exists and exports every name in `names`; otherwise the reason as a string.
 * The path is a variable so that the bench builds whether or not the module exists yet.
 */
export async function loadModule<T>(rel: string, names: readonly string[]): Promise<T | string> {
  const url = new URL(`../../${rel}`, import.meta.url);
  const src = rel.replace(/\.js$/, '.ts');
  if (!existsSync(url)) return `${src} not available`;
  let mod: Record<string, unknown>;
  try {
    mod = (await import(url.href)) as Record<string, unknown>;
  } catch (e) {
    return `${src} failed to load: ${(e as Error).message.split('\n')[0]}`;
  }
  const missing = names.filter((n) => typeof mod[n] !== 'function');
  if (missing.length > 0) return `${src} does not export ${missing.join(', ')}`;
  return mod as T;
}
