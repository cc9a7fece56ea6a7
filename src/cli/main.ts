#!/usr/bin/env node
/**
 * The `widelimit` command line (docs/interface.md#commands. Each command lives in
 * `commands/<name>.ts` and exports `register(program, io)`; its action is wrapped by `cliAction`
 * (error contract: exit 2 bad input, 3 numerical failure, 1 internal error). Commander's own
 * usage errors are reformatted to the same `error: <where>: <what>` line with exit 2.
 */
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Command, CommanderError } from 'commander';
import { bindContext, reportError, type CliContext, type CliIO } from './action.js';
import { packageVersion } from '../spec/package.js';
import { engineLabel } from '../core/engine.js';
import { register as registerKernel } from './commands/kernel.js';
import { register as registerTrain } from './commands/train.js';
import { register as registerLimit } from './commands/limit.js';
import { register as registerCompare } from './commands/compare.js';
import { register as registerExperiment } from './commands/experiment.js';
import { register as registerReport } from './commands/report.js';
import { register as registerSchema } from './commands/schema.js';
import { register as registerWorker } from './commands/worker.js';
import { register as registerCell } from './commands/cell.js';

const COMMANDS = ['kernel', 'train', 'limit', 'compare', 'experiment', 'report', 'schema', 'worker', 'cell', 'help'];

/** The long flag of commander's `flags` text (`-o, --out <file>` → `--out`). */
function flagName(flags: string): string {
  return flags.split(/[ ,|]+/).find((t) => t.startsWith('--')) ?? flags.split(/[ ,|]+/)[0];
}

/**
 * The command that argv reaches: follow the non-option words through the command tree
 * (`experiment run x` → the `run` command), stopping at the first word that names no subcommand.
 */
function leafCommand(program: Command, argv: string[]): Command {
  let cmd = program;
  for (const a of argv) {
    if (a.startsWith('-')) continue;
    const sub = cmd.commands.find((c) => c.name() === a || c.aliases().includes(a));
    if (!sub) break;
    cmd = sub;
  }
  return cmd;
}

/** `widelimit experiment run` → `experiment run`; the program itself → `widelimit`. */
function commandPath(cmd: Command): string {
  const names: string[] = [];
  for (let c: Command | null = cmd; c && c.parent; c = c.parent) names.unshift(c.name());
  return names.length > 0 ? names.join(' ') : 'widelimit';
}

/** Commander's usage error → `error: <where>: <what>`; `leaf` is the command argv reaches. */
function usageLine(e: CommanderError, leaf: Command): string {
  const msg = e.message.replace(/^error:\s*/, '').replace(/\s*\n\s*/g, ' ').replace(/\(Did you mean/, '(did you mean').trim();
  let m: RegExpExecArray | null;
  if ((m = /^unknown option '([^']+)'\s*(.*)$/.exec(msg))) return `${m[1]}: unknown option${m[2] ? ' ' + m[2] : ''}`;
  if ((m = /^required option '([^']+)' not specified$/.exec(msg))) return `${flagName(m[1])}: required option not given`;
  if ((m = /^option '([^']+)' argument missing$/.exec(msg))) return `${flagName(m[1])}: needs a value`;
  if ((m = /^option '([^']+)' (argument .*)$/.exec(msg))) return `${flagName(m[1])}: ${m[2]}`;
  if ((m = /^missing required argument '([^']+)'$/.exec(msg))) return `${m[1]}: required argument not given`;
  const where = commandPath(leaf);
  if ((m = /^unknown command '([^']+)'\s*(.*)$/.exec(msg))) {
    const subs = leaf.commands.map((c) => c.name()).filter((c) => c !== 'help');
    const hint = m[2] || `(one of ${subs.join(', ')})`;
    return `${leaf.parent ? `${where} ${m[1]}` : m[1]}: unknown command ${hint}`;
  }
  if (/^too many arguments/.test(msg)) {
    const extra = leaf.args.slice(leaf.registeredArguments.length);
    const takes = leaf.registeredArguments.length === 0 ? 'takes no arguments' : leaf.registeredArguments.length === 1 ? 'takes one argument' : `takes ${leaf.registeredArguments.length} arguments`;
    const what = extra.length > 0 ? `unexpected argument${extra.length > 1 ? 's' : ''} ${extra.map((a) => JSON.stringify(a)).join(' ')}` : 'too many arguments';
    return `${where}: ${what} (${where} ${takes}; see widelimit ${where} --help)`;
  }
  return `${where}: ${msg}`;
}

/** True when argv names no command (and does not ask for help or the version). */
function lacksCommand(argv: string[]): boolean {
  if (argv.some((a) => ['-h', '--help', '-V', '--version'].includes(a))) return false;
  return !argv.some((a) => !a.startsWith('-'));
}

/** Build the program: global options and every command. Commander's stderr text goes to `writeErr`. */
export function buildProgram(io: CliIO, writeErr: (s: string) => void = (s) => void io.stderr.write(s)): Command {
  const program = new Command('widelimit');
  program
    .description('infinite-width limits of neural networks (NTK, mean-field, deep linear) beside finite-width training')
    .version(`${packageVersion()} (engine: ${engineLabel(true)})`, '-V, --version', 'print the version and the engine of the dense products')
    .option('--debug', 'print stack traces of errors', false)
    .exitOverride()
    .configureOutput({
      writeOut: (s) => void io.stdout.write(s),
      writeErr,
      outputError: () => {},
    })
    .configureHelp({ showGlobalOptions: true })
    .showSuggestionAfterError(true);
  registerKernel(program, io);
  registerTrain(program, io);
  registerLimit(program, io);
  registerCompare(program, io);
  registerExperiment(program, io);
  registerReport(program, io);
  registerSchema(program, io);
  registerWorker(program, io);
  registerCell(program, io);
  return program;
}

/**
 * Run the CLI on `argv` (the arguments after the program name) and return the exit code:
 * 0 success, 1 internal error, 2 bad input or usage, 3 numerical failure (result written).
 */
export async function main(argv: string[], io: CliIO = { stdout: process.stdout, stderr: process.stderr }): Promise<number> {
  const debug = () => argv.includes('--debug');
  if (lacksCommand(argv)) {
    io.stderr.write(`error: widelimit: no command given (one of ${COMMANDS.filter((c) => c !== 'help').join(', ')}; see widelimit --help)\n`);
    return 2;
  }
  // commander writes help to stderr when a command group is called without a subcommand: that
  // text is held back and replaced by one error line
  let held = '';
  const program = buildProgram(io, (s) => { held += s; });
  const ctx: CliContext = { io, exitCode: 0, debug };
  bindContext(program, ctx);
  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (e) {
    if (e instanceof CommanderError) {
      if (e.exitCode === 0) return 0; // --help, --version
      if (e.code === 'commander.help') {
        const group = argv.filter((a) => !a.startsWith('-')).join(' ');
        io.stderr.write(`error: ${group}: missing subcommand (see widelimit ${group} --help)\n`);
        return 2;
      }
      io.stderr.write(held);
      io.stderr.write(`error: ${usageLine(e, leafCommand(program, argv))}\n`);
      return 2;
    }
    io.stderr.write(held);
    return reportError(e, io, debug());
  }
  io.stderr.write(held);
  return ctx.exitCode;
}

function isScript(): boolean {
  if (!process.argv[1]) return false;
  try {
    return realpathSync(process.argv[1]) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

if (isScript()) {
  main(process.argv.slice(2)).then(
    (code) => { process.exitCode = code; },
    (e) => { process.stderr.write(`error: internal: ${String(e)}\n`); process.exitCode = 1; },
  );
}
