/**
 * Every reference to a document resolves inside the repository: `file.md#anchor` and plain
 * `theory/x.md` / `docs/x.md` in src/ (doc comments, report texts), the spec schema's output,
 * README, theory/, docs/, experiments/*.json and experiments/README.md. An anchor exists when the
 * file has `<a id="anchor">` or a heading whose GitHub slug is `anchor`. Documents outside the
 * repository (the original spec) are never cited.
 */
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { specSchema } from '../../src/spec/schema.js';

const ROOT = resolve('.');

function walk(dir: string, keep: (f: string) => boolean): string[] {
  return readdirSync(dir).flatMap((e) => {
    const p = join(dir, e);
    return statSync(p).isDirectory() ? walk(p, keep) : keep(p) ? [p] : [];
  });
}

/** The texts that may cite documents, with the file they are read from (for relative links). */
function sources(): { file: string; text: string }[] {
  const files = [
    ...walk(join(ROOT, 'src'), (f) => f.endsWith('.ts')),
    ...walk(join(ROOT, 'theory'), (f) => f.endsWith('.md')),
    ...walk(join(ROOT, 'docs'), (f) => f.endsWith('.md')),
    ...readdirSync(join(ROOT, 'experiments')).filter((f) => f.endsWith('.json') || f === 'README.md').map((f) => join(ROOT, 'experiments', f)),
    join(ROOT, 'README.md'),
  ];
  const out = files.map((file) => ({ file, text: readFileSync(file, 'utf8') }));
  out.push({ file: join(ROOT, 'src/spec/schema.ts'), text: JSON.stringify(specSchema()) });
  return out;
}

/** GitHub's heading slug: lower case, punctuation other than '-' and '_' dropped, spaces → '-'. */
export function slug(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/<[^>]*>/g, '')
    .replace(/[^\p{L}\p{N}\p{M} _-]/gu, '')
    .replace(/ /g, '-');
}

export function anchorsOf(markdown: string): Set<string> {
  const ids = new Set<string>();
  for (const m of markdown.matchAll(/<a\s+(?:id|name)="([^"]+)"/g)) ids.add(m[1]);
  const seen = new Map<string, number>();
  let fenced = false;
  for (const line of markdown.split('\n')) {
    if (/^\s*```/.test(line)) fenced = !fenced;
    const h = fenced ? null : /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
    if (!h) continue;
    const base = slug(h[1]);
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    ids.add(n === 0 ? base : `${base}-${n}`);
  }
  return ids;
}

interface Ref { from: string; target: string; anchor?: string }

export function referencesIn(text: string, file: string): Ref[] {
  const refs: Ref[] = [];
  const from = relative(ROOT, file);
  for (const m of text.matchAll(/([A-Za-z0-9_./-]*[A-Za-z0-9_-]\.md)#([A-Za-z0-9_-]+)/g)) refs.push({ from, target: m[1], anchor: m[2] });
  for (const m of text.matchAll(/(?<![A-Za-z0-9_./-])((?:\.\.\/)*(?:theory|docs)\/[A-Za-z0-9_-]+\.md)(?!#)/g)) refs.push({ from, target: m[1] });
  return refs;
}

/** A target names a file relative to the repository root or, in a Markdown file, to that file. */
function resolveTarget(target: string, file: string): string | null {
  const candidates = [resolve(ROOT, target), resolve(dirname(file), target)];
  return candidates.find((c) => c.startsWith(ROOT) && existsSync(c)) ?? null;
}

describe('document references', () => {
  const texts = sources();

  it('every file.md#anchor and theory/x.md reference resolves to a file and an anchor in the repository', () => {
    const dangling: string[] = [];
    const anchors = new Map<string, Set<string>>();
    let checked = 0;
    for (const { file, text } of texts) {
      for (const r of referencesIn(text, file)) {
        checked++;
        const path = resolveTarget(r.target, file);
        if (!path) { dangling.push(`${r.from}: ${r.target}${r.anchor ? '#' + r.anchor : ''} (no such file)`); continue; }
        if (!r.anchor) continue;
        if (!anchors.has(path)) anchors.set(path, anchorsOf(readFileSync(path, 'utf8')));
        if (!anchors.get(path)!.has(r.anchor)) dangling.push(`${r.from}: ${r.target}#${r.anchor} (no such anchor)`);
      }
    }
    expect(dangling).toEqual([]);
    expect(checked).toBeGreaterThan(200);
  });

  it('nothing cites the spec documents outside the repository', () => {
    const outside = texts.flatMap(({ file, text }) =>
      [...text.matchAll(/(?<![A-Za-z0-9_/-])(?:math\.md|style\.md|interface\.md|\.\.\/shared\/)/g)]
        .filter((m) => !(m[0] === 'interface.md' && /docs\/$/.test(text.slice(0, m.index))))
        .map(() => relative(ROOT, file)));
    expect(outside).toEqual([]);
  });

  it('the checker itself finds anchors and dangling references', () => {
    const md = '# Title\n<a id="x"></a>\n## Mean-field limit (§5)\n```\n# not a heading\n```\n## Title\n';
    expect([...anchorsOf(md)].sort()).toEqual(['mean-field-limit-5', 'title', 'title-1', 'x']);
    const refs = referencesIn('see theory/ntk.md#recursion and theory/nowhere.md, [a](../docs/interface.md#errors)', join(ROOT, 'theory/x.md'));
    expect(refs.map((r) => `${r.target}#${r.anchor ?? ''}`)).toEqual(['theory/ntk.md#recursion', '../docs/interface.md#errors', 'theory/nowhere.md#']);
    expect(resolveTarget('theory/nowhere.md', join(ROOT, 'src/x.ts'))).toBeNull();
  });
});
