/**
 * The error contract of every command (docs/interface.md#errors:
 * - bad input ({@link InputError}): one line `error: <where>: <what>` on stderr, exit 2;
 * - a run whose result has `status` ≠ `ok`: the action has written its file; one line
 *   `error: <status>: <message>`, exit 3;
 * - anything else: `error: internal: <message>`, exit 1.
 * Stack traces only with the global `--debug` flag.
 */
import type { Command } from 'commander';
import { InputError } from '../core/errors.js';
import { fsInputError } from './outputs.js';

/** A writable text stream (process.stdout / process.stderr, or a test capture). */
export interface CliStream {
  write(s: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

export interface CliIO {
  stdout: CliStream;
  stderr: CliStream;
}

/** What `main` shares with the actions of one invocation. */
export interface CliContext {
  io: CliIO;
  exitCode: number;
  debug: () => boolean;
}

/** What an action may return: nothing (exit 0), an exit code, or a result with a status. */
export type ActionResult = void | number | { status: string; message?: string };

const contexts = new WeakMap<Command, CliContext>();

/** Attach the invocation context to the root program (done by `main`). */
export function bindContext(program: Command, ctx: CliContext): void {
  contexts.set(program, ctx);
}

function contextOf(cmd: unknown): CliContext | undefined {
  let c = cmd as Command | null | undefined;
  while (c && typeof c === 'object') {
    const ctx = contexts.get(c);
    if (ctx) return ctx;
    c = c.parent;
  }
  return undefined;
}

/** The longest error line printed: echoed input is cut to a short excerpt. */
const MAX_LINE = 400;

function oneLine(s: string): string {
  const t = s.replace(/\s*\n\s*/g, ' ').trim();
  return t.length > MAX_LINE ? `${t.slice(0, MAX_LINE - 1)}…` : t;
}

/**
 * Print an exception by the contract and return its exit code: 2 for input errors and for
 * file-system errors the user can cause (a read-only or missing folder, a file in the way), else 1.
 */
export function reportError(e: unknown, io: CliIO, debug: boolean): number {
  const input = e instanceof InputError ? e : fsInputError(e);
  if (input) {
    io.stderr.write(`error: ${oneLine(input.where)}: ${oneLine(input.what)}\n`);
    const stack = (e as Error).stack;
    if (debug && stack) io.stderr.write(`${stack}\n`);
    return 2;
  }
  const msg = e instanceof Error ? e.message : String(e);
  io.stderr.write(`error: internal: ${oneLine(msg)}\n`);
  if (debug && e instanceof Error && e.stack) io.stderr.write(`${e.stack}\n`);
  return 1;
}

/** Exit code of an action's return value (a non-ok status prints its line and gives 3). */
export function resultExitCode(r: ActionResult, io: CliIO): number {
  if (typeof r === 'number') return r;
  if (r && typeof r === 'object' && typeof r.status === 'string' && r.status !== 'ok') {
    io.stderr.write(`error: ${r.status}: ${oneLine(r.message ?? '') || 'run did not succeed'}\n`);
    return 3;
  }
  return 0;
}

/**
 * Wrap a commander action (its arguments are commander's: positional values, options, the
 * command) so that its outcome follows the error contract; the exit code goes to `main`.
 */
export function cliAction<A extends unknown[]>(fn: (...args: A) => ActionResult | Promise<ActionResult>): (...args: A) => Promise<void> {
  return async (...args: A) => {
    const bound = contextOf(args[args.length - 1]);
    // outside `main` (a program built by hand): report on the process streams and exit code
    const ctx = bound ?? { io: { stdout: process.stdout, stderr: process.stderr }, exitCode: 0, debug: () => false };
    try {
      ctx.exitCode = resultExitCode(await fn(...args), ctx.io);
    } catch (e) {
      ctx.exitCode = reportError(e, ctx.io, ctx.debug());
    }
    if (!bound) process.exitCode = ctx.exitCode;
  };
}
