/**
 * One fuzz case through the CLI's action layer (`main(argv, io)`, in process) and its verdict by
 * the error contract of issue 13:
 * - exit 2: exactly one `error:` line, short, naming no internal error or temporary file;
 * - exit 3: one `error:` line and a result file whose status is not ok;
 * - exit 0: a result file whose status is ok and that holds no null (JSON's non-finite number);
 * - never exit 1 (`error: internal`), never a changed input file, never a temporary file left.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { main } from '../../src/cli/main.js';
import { capture } from '../cli/helpers.js';

export type Verdict = 'input-error' | 'numerical-failure' | 'ok' | 'internal' | 'bad-error-line' | 'silent-bad-result' | 'overwritten-input' | 'temp-left' | 'hang';

export interface CaseResult {
  verdict: Verdict;
  code: number;
  stderr: string;
  argv: string[];
  ms: number;
}

/** A case whose in-process run takes longer than this counts as a hang (it cannot be interrupted in process). */
export const HANG_MS = 30_000;

function hash(path: string): string | undefined {
  try {
    return createHash('sha256').update(readFileSync(path)).digest('hex');
  } catch {
    return undefined;
  }
}

/** A `null` anywhere in a parsed JSON value (an `ok` result must have none). */
function hasNull(v: unknown, depth = 0): boolean {
  if (v === null) return true;
  if (depth > 64 || typeof v !== 'object') return false;
  return Object.values(v as Record<string, unknown>).some((x) => hasNull(x, depth + 1));
}

/**
 * The output agrees with the exit code. A compare folder's results.json (`out` ending in
 * results.json) may hold nulls by construction (no interval, failed fits: src/cli/compareStatus.ts),
 * so only its status is checked there.
 */
function judgeOutput(out: string | undefined, wantOk: boolean): boolean {
  if (out === undefined) return !wantOk;
  if (!existsSync(out)) return false;
  if (out.endsWith('.npy')) return true;
  let r: { status?: unknown };
  try {
    r = JSON.parse(readFileSync(out, 'utf8'));
  } catch {
    return false;
  }
  const nullsAllowed = out.endsWith('results.json');
  return wantOk ? r.status === 'ok' && (nullsAllowed || !hasNull(r)) : typeof r.status === 'string' && r.status !== 'ok';
}

/**
 * Write `files` into `dir`, run `argv` (which names them by absolute path), and judge: `out` is the
 * result file the command would write (undefined for folder outputs).
 */
export async function runCase(dir: string, files: Record<string, string>, argv: string[], out?: string): Promise<CaseResult> {
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  const before = Object.keys(files).map((n) => hash(join(dir, n)));
  const c = capture();
  const t0 = performance.now();
  let code: number;
  try {
    code = await main(argv, c.io);
  } catch (e) {
    code = 1;
    c.io.stderr.write(`error: internal: thrown out of main: ${String(e)}\n`);
  }
  const ms = performance.now() - t0;
  const stderr = c.err();
  const res = (verdict: Verdict): CaseResult => ({ verdict, code, stderr, argv, ms });
  const after = Object.keys(files).map((n) => hash(join(dir, n)));
  if (before.some((h, i) => h !== after[i])) return res('overwritten-input');
  if (readdirSync(dir).some((f) => f.endsWith('.tmp'))) return res('temp-left');
  if (ms > HANG_MS) return res('hang');
  const lines = stderr.split('\n').filter((l) => l.startsWith('error:'));
  if (code === 1 || /error: internal/.test(stderr)) return res('internal');
  const lineOk = lines.length === 1 && lines[0].length <= 600 && !/\.tmp\b|kernel\.layers|Error:|    at /.test(stderr);
  if (code === 2) return res(lineOk ? 'input-error' : 'bad-error-line');
  if (code === 3) return res(lineOk && judgeOutput(out, false) ? 'numerical-failure' : 'silent-bad-result');
  if (code === 0) return res(lines.length === 0 && judgeOutput(out, true) ? 'ok' : 'silent-bad-result');
  return res('internal');
}
