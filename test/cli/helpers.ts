/** Captured IO for in-process runs of the CLI. */
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CliIO } from '../../src/cli/action.js';

export interface Captured {
  io: CliIO;
  out: () => string;
  err: () => string;
}

export function capture(tty = false): Captured {
  const out: string[] = [];
  const err: string[] = [];
  return {
    io: { stdout: { write: (s: string) => out.push(s) }, stderr: { write: (s: string) => err.push(s), isTTY: tty } },
    out: () => out.join(''),
    err: () => err.join(''),
  };
}

export function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `wl-${prefix}-`));
}

/** Files left in `dir` whose names look like atomic-write temporaries. */
export function tempFiles(dir: string): string[] {
  return readdirSync(dir).filter((f) => f.endsWith('.tmp'));
}
