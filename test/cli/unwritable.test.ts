/**
 * Outputs that cannot be written are refused before any work, also for root (for whom permission
 * bits do not apply): a read-only mount (EROFS), an immutable folder or file (chattr +i: EPERM),
 * a full disk (the output estimate against the free space). Each case needs privileges the test
 * checks first (mounting a tmpfs, setting file attributes) and is skipped without them; mounts
 * and attributes are undone afterwards.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { capture, tempDir } from './helpers.js';

const dir = tempDir('unwritable');
const spec = join(dir, 's.json');
writeFileSync(spec, JSON.stringify({ data: { n: 4, nTest: 2 }, model: { width: 8 }, training: { steps: 2 } }));
const undo: Array<() => void> = [];
afterAll(() => {
  for (const u of undo.reverse()) u();
});

function sh(cmd: string, args: string[]): boolean {
  return spawnSync(cmd, args, { stdio: 'ignore' }).status === 0;
}

/** Mount a tmpfs at a new folder under `dir` with `opts`; undefined when this process may not. */
function tmpfs(name: string, opts: string): string | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const at = join(dir, name);
  mkdirSync(at);
  if (!sh('mount', ['-t', 'tmpfs', '-o', opts, 'tmpfs', at])) return undefined;
  undo.push(() => void sh('umount', [at]));
  return at;
}

/** Set attribute `flag` (+i, +a) on `path`; false when the file system or process does not allow it. */
function chattr(flag: string, path: string): boolean {
  if (!sh('chattr', [flag, path])) return false;
  undo.push(() => void sh('chattr', [flag.replace('+', '-'), path]));
  return true;
}

async function train(out: string) {
  const c = capture();
  const code = await main(['train', '--spec', spec, '--out', out], c.io);
  return { code, err: c.err(), out: c.out() };
}

describe('unwritable outputs are refused before work (also as root)', () => {
  it('a folder on a read-only mount: exit 2, one line naming --out and EROFS, nothing run', async (ctx) => {
    const ro = tmpfs('ro', 'ro,size=1m');
    if (!ro) return ctx.skip();
    for (const out of [join(ro, 'r.json'), join(ro, 'new', 'r.json')]) {
      const r = await train(out);
      expect([r.code, r.err, r.out]).toEqual([2, `error: --out: cannot write ${out}: folder ${ro} is not writable: read-only file system (EROFS)\n`, '']);
    }
    const c = capture();
    expect(await main(['compare', '--spec', spec, '--widths', '4,8', '--seeds', '1', '--out', join(ro, 'run'), '--quiet'], c.io)).toBe(2);
    expect(c.err()).toBe(`error: --out: cannot write ${join(ro, 'run')}: folder ${ro} is not writable: read-only file system (EROFS)\n`);
  });

  it('a full disk: exit 2 naming --out, the size of the result and the free space', async (ctx) => {
    const full = tmpfs('full', 'size=64k');
    if (!full) return ctx.skip();
    writeFileSync(join(full, 'filler'), Buffer.alloc(64 * 1024));
    const r = await train(join(full, 'r.json'));
    expect(r.code).toBe(2);
    expect(r.err).toMatch(new RegExp(`^error: --out: the result would be about \\d+ kB, more than the 0 kB free on the disk of ${join(full, 'r.json')}; free space, choose another disk, or lower model.width\\n$`));
    expect(readdirSync(full)).toEqual(['filler']);
  });

  it('an immutable folder and an immutable existing result file (chattr +i): exit 2 naming --out', async (ctx) => {
    const imm = join(dir, 'imm');
    mkdirSync(imm);
    const kept = join(dir, 'kept.json');
    writeFileSync(kept, '{}');
    if (!chattr('+i', imm) || !chattr('+i', kept)) return ctx.skip();
    let r = await train(join(imm, 'r.json'));
    expect([r.code, r.err]).toEqual([2, `error: --out: cannot write ${join(imm, 'r.json')}: folder ${imm} is not writable: immutable (EPERM)\n`]);
    r = await train(kept);
    expect([r.code, r.err]).toEqual([2, `error: --out: cannot replace ${kept}: immutable (EPERM)\n`]);
    expect(existsSync(join(imm, 'r.json'))).toBe(false);
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });
});
