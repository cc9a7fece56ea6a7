/**
 * The reproduction scorecard (experiments/SCORECARD.md, .html): for each reference paper of
 * experiments/papers.json, every headline claim of its abstract with the experiment claims that
 * test it, read from the committed full runs (experiments/results/<name>/results.json).
 * An abstract claim is `not attempted` when no test of it has a full run, `fail` when any test
 * fails, `inconclusive` when none fails but one is inconclusive, `pass` when all pass
 * (theory/harness.md#scorecard).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { InputError } from '../core/errors.js';
import { writeFileAtomic } from '../core/atomic.js';
import type { ClaimResult } from './claims.js';
import { readJsonIfValid } from './folder.js';
import type { AnyResults } from './types.js';

export type ScoreStatus = 'pass' | 'fail' | 'inconclusive' | 'not attempted';

export interface PaperClaim {
  id: string;
  abstract: string;
  /** `<experiment>:<claim id>`. */
  tests: string[];
}

export interface Paper {
  key: string;
  arxiv: string;
  title: string;
  authors: string;
  source?: string;
  claims: PaperClaim[];
}

/** One test of an abstract claim: the experiment claim's row, or why there is none. */
export interface ScoreTest {
  ref: string;
  experiment: string;
  claim: ClaimResult | null;
  missing?: string;
}

export interface ScoreRow {
  paper: Paper;
  claim: PaperClaim;
  status: ScoreStatus;
  tests: ScoreTest[];
}

export interface Scorecard {
  rows: ScoreRow[];
  totals: Record<ScoreStatus, number>;
  /** Experiment claims citing a paper's key that no abstract claim lists. */
  extra: { paper: Paper; experiment: string; claim: ClaimResult }[];
}

/** Read and check experiments/papers.json. */
export function loadPapers(file: string): Paper[] {
  if (!existsSync(file)) throw new InputError(file, 'not found');
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new InputError(file, `is not valid JSON: ${(e as Error).message}`);
  }
  const papers = (raw as { papers?: unknown }).papers;
  if (!Array.isArray(papers)) throw new InputError(`${file}.papers`, 'must be an array');
  papers.forEach((p: Paper, i) => {
    const at = `${file}.papers[${i}]`;
    for (const k of ['key', 'arxiv', 'title', 'authors'] as const) if (typeof p?.[k] !== 'string') throw new InputError(`${at}.${k}`, 'must be a string');
    if (!Array.isArray(p.claims)) throw new InputError(`${at}.claims`, 'must be an array');
    p.claims.forEach((c, j) => {
      if (typeof c?.id !== 'string' || typeof c.abstract !== 'string' || !Array.isArray(c.tests) || c.tests.some((t) => typeof t !== 'string' || !/^[\w.-]+:.+$/.test(t))) {
        throw new InputError(`${at}.claims[${j}]`, 'must be {id, abstract, tests: ["<experiment>:<claim id>", …]}');
      }
    });
  });
  return papers as Paper[];
}

/** Combined status of an abstract claim from its tests (missing tests do not count). */
export function combine(tests: readonly ScoreTest[]): ScoreStatus {
  const present = tests.filter((t) => t.claim !== null).map((t) => (t.claim as ClaimResult).status);
  if (present.length === 0) return 'not attempted';
  if (present.includes('fail')) return 'fail';
  if (present.includes('inconclusive')) return 'inconclusive';
  return 'pass';
}

/** The scorecard of the full runs in `runsDir`; `names`: every experiment to scan for extra claims. */
export function buildScorecard(papers: readonly Paper[], runsDir: string, names: readonly string[] = []): Scorecard {
  const cache = new Map<string, AnyResults | null>();
  const results = (name: string): AnyResults | null => {
    if (!cache.has(name)) {
      const r = readJsonIfValid(join(runsDir, name, 'results.json')) as AnyResults | undefined;
      cache.set(name, r && !r.quick ? r : null);
    }
    return cache.get(name) ?? null;
  };
  const rows: ScoreRow[] = [];
  const listed = new Set<string>();
  for (const paper of papers) {
    for (const claim of paper.claims) {
      const tests = claim.tests.map((ref): ScoreTest => {
        listed.add(ref);
        const [experiment, id] = [ref.slice(0, ref.indexOf(':')), ref.slice(ref.indexOf(':') + 1)];
        const r = results(experiment);
        if (!r) return { ref, experiment, claim: null, missing: 'no full run committed' };
        const c = (r.claims ?? []).find((x) => x.id === id);
        return c ? { ref, experiment, claim: c } : { ref, experiment, claim: null, missing: `the run has no claim ${id} (re-judge it)` };
      });
      rows.push({ paper, claim, status: combine(tests), tests });
    }
  }
  const totals: Record<ScoreStatus, number> = { pass: 0, fail: 0, inconclusive: 0, 'not attempted': 0 };
  for (const r of rows) totals[r.status]++;
  const extra: Scorecard['extra'] = [];
  for (const n of names) results(n);
  for (const [experiment, r] of [...cache].sort((a, b) => a[0].localeCompare(b[0]))) {
    for (const c of r?.claims ?? []) {
      const paper = papers.find((p) => c.paper.startsWith(p.key));
      if (paper && !listed.has(`${experiment}:${c.id}`)) extra.push({ paper, experiment, claim: c });
    }
  }
  return { rows, totals, extra };
}

/** Write SCORECARD.md and SCORECARD.html into `outDir` (default experiments/); returns the paths. */
export function writeScorecard(s: Scorecard, outDir: string, render: { md: (s: Scorecard) => string; html: (s: Scorecard) => string }): { md: string; html: string } {
  const md = join(outDir, 'SCORECARD.md');
  const html = join(outDir, 'SCORECARD.html');
  writeFileAtomic(md, render.md(s));
  writeFileAtomic(html, render.html(s));
  return { md, html };
}
