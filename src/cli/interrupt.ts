/**
 * Ctrl-C during a resumable sweep (`compare`, `experiment run`): the finished cells are already
 * on disk (each written atomically), so the process stops at once with exit code 130 and says how
 * to resume, instead of vanishing silently.
 */
import type { CliIO } from './action.js';

/** The line printed on SIGINT for a sweep into `out` started by `command`. */
export function interruptLine(command: string, out: string): string {
  return `interrupted: finished cells are saved in ${out}; run \`widelimit ${command}\` again with the same options to resume`;
}

/**
 * Install the SIGINT handler for the duration of a sweep; call the returned function when the
 * sweep ends. `exit` is `process.exit` (replaced in tests).
 */
export function onInterrupt(io: CliIO, line: string, exit: (code: number) => void = (c) => process.exit(c)): () => void {
  const handler = () => {
    io.stderr.write(`\n${line}\n`);
    exit(130);
  };
  process.once('SIGINT', handler);
  return () => void process.removeListener('SIGINT', handler);
}
