import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ClaimResult } from '../../src/harness/claims.js';
import { buildScorecard, combine, loadPapers, type Paper } from '../../src/harness/scorecard.js';
import { scorecardHtml, scorecardMarkdown } from '../../src/harness/report/scorecardDoc.js';
import { experimentsDir } from '../../src/harness/experiments.js';
import { tempDir } from './fixtures.js';

function claim(id: string, status: ClaimResult['status'], paper = 'p2020 §1'): ClaimResult {
  return {
    id, paper, statement: `${id} holds`, quantity: 'q', prediction: -0.5, derivation: 'theory/harness.md#claims', tolerance: 0.1,
    toleranceReason: 'r', rule: 'equal', estimate: -0.5, ci: [-0.55, -0.45], seeds: 8, status, reason: 'r',
  };
}

const papers: Paper[] = [{
  key: 'p2020', arxiv: '0000.00000', title: 'A paper', authors: 'A. Author',
  claims: [
    { id: 'a', abstract: 'Claim A.', tests: ['e1:x', 'e1:y'] },
    { id: 'b', abstract: 'Claim B.', tests: ['e1:z'] },
    { id: 'c', abstract: 'Claim C.', tests: [] },
    { id: 'd', abstract: 'Claim D.', tests: ['e2:w'] },
    { id: 'e', abstract: 'Claim E.', tests: ['e1:x'] },
  ],
}];

describe('reproduction scorecard', () => {
  it('an abstract claim fails when a test fails, is not attempted without a full run, and the totals count each once', () => {
    const runs = tempDir('scorecard');
    mkdirSync(join(runs, 'e1'), { recursive: true });
    writeFileSync(join(runs, 'e1', 'results.json'), JSON.stringify({ format: 'widelimit-results/1', kind: 'k', name: 'e1', claims: [claim('x', 'pass'), claim('y', 'fail'), claim('z', 'inconclusive'), claim('extra', 'pass')] }));
    const s = buildScorecard(papers, runs, ['e1', 'e2']);
    expect(s.rows.map((r) => r.status)).toEqual(['fail', 'inconclusive', 'not attempted', 'not attempted', 'pass']);
    expect(s.totals).toEqual({ pass: 1, fail: 1, inconclusive: 1, 'not attempted': 2 });
    expect(s.rows[3].tests[0].missing).toMatch(/no full run/);
    expect(s.extra.map((e) => e.claim.id)).toEqual(['extra']);
    const md = scorecardMarkdown(s);
    expect(md).toContain('**Abstract claims: 1 pass · 1 fail · 1 inconclusive · 2 not attempted** (of 5).');
    expect(md).toMatch(/\| Claim A\. \| \*\*FAIL\*\* \| e1:x \| −0\.5 ± 0\.1 \| −0\.5 \[−0\.55, −0\.45\] \| 8 \| pass \| \[report\]\(results\/e1\/report\.md\) \|/);
    expect(scorecardHtml(s)).toContain('<a href="results/e1/report.html">report</a>');
  });
  it('combines statuses: any fail fails, else any inconclusive, else pass; nothing run is not attempted', () => {
    const t = (s: ClaimResult['status'] | null) => ({ ref: 'e:x', experiment: 'e', claim: s ? claim('x', s) : null });
    expect(combine([t('pass'), t('pass')])).toBe('pass');
    expect(combine([t('pass'), t('inconclusive')])).toBe('inconclusive');
    expect(combine([t('inconclusive'), t('fail')])).toBe('fail');
    expect(combine([t(null)])).toBe('not attempted');
    expect(combine([t(null), t('pass')])).toBe('pass');
  });
  it('experiments/papers.json lists the six reference papers, and every test names a claim of an experiment config', () => {
    const list = loadPapers(join(experimentsDir(), 'papers.json'));
    expect(list.map((p) => p.arxiv)).toEqual(['1906.08034', '2404.04859', '2110.15596', '2211.08771', '2403.08121', '2502.02531']);
    for (const ref of list.flatMap((p) => p.claims.flatMap((c) => c.tests))) {
      const [name, id] = [ref.slice(0, ref.indexOf(':')), ref.slice(ref.indexOf(':') + 1)];
      const raw = JSON.parse(readFileSync(join(experimentsDir(), `${name}.json`), 'utf8')) as { claims?: { id: string }[] };
      expect(raw.claims?.map((c) => c.id), ref).toContain(id);
    }
  });
});
