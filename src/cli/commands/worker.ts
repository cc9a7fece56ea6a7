/**
 * `widelimit worker --queue redis://host:port[/db] [--concurrency k]` (README, "More than one
 * machine"): run the cells of queue sweeps (`compare --queue`, `experiment run --queue`) on this
 * machine until stopped with Ctrl-C or SIGTERM (the cells in hand finish first; a SIGKILLed
 * worker's cells are rerun elsewhere).
 */
import type { Command } from 'commander';
import { parseQueueUrl } from '../../harness/distributed/connection.js';
import { defaultWorkers } from '../../harness/pool.js';
import { cliAction, type CliIO } from '../action.js';
import { intOption, requiredOption } from '../options.js';

interface WorkerFlags {
  queue?: string;
  concurrency?: string;
  lock?: string;
  quiet?: boolean;
}

export function register(program: Command, io: CliIO): void {
  program
    .command('worker')
    .description('run the cells of queue sweeps (compare/experiment run --queue) on this machine, until stopped')
    .option('--queue <url>', 'required: the Redis server, redis://host:port[/db]')
    .option('--concurrency <k>', `cells at a time (default: number of cores, ${defaultWorkers()} here)`)
    .option('--lock <ms>', 'job lock and stalled-job check interval: a killed worker\'s cell is rerun after about this long (default 30000)')
    .option('--quiet', 'no per-cell lines', false)
    .action(
      cliAction(async (f: WorkerFlags) => {
        const url = requiredOption('--queue', f.queue);
        parseQueueUrl(url);
        const concurrency = intOption('--concurrency', f.concurrency) ?? defaultWorkers();
        const lockMs = intOption('--lock', f.lock);
        const log = f.quiet ? undefined : (line: string) => void io.stderr.write(`worker: ${line}\n`);
        // loaded on demand: other commands never load bullmq
        const { startQueueWorker } = await import('../../harness/distributed/worker.js');
        const running = await startQueueWorker(url, { concurrency, lockMs, log });
        await new Promise<void>((resolve) => {
          const stop = () => {
            process.removeListener('SIGINT', stop);
            process.removeListener('SIGTERM', stop);
            log?.('stopping: finishing the cells in hand');
            running.close().then(resolve, resolve);
          };
          process.once('SIGINT', stop);
          process.once('SIGTERM', stop);
        });
        return 0;
      }),
    );
}
