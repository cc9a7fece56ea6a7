/** `widelimit schema`: print the JSON Schema (draft 2020-12) of a spec file. */
import type { Command } from 'commander';
import { specSchema } from '../../spec/schema.js';
import { cliAction, type CliIO } from '../action.js';

export function register(program: Command, io: CliIO): void {
  program
    .command('schema')
    .description('print the JSON Schema of a spec file')
    .action(
      cliAction(() => {
        io.stdout.write(JSON.stringify(specSchema(), null, 2) + '\n');
      }),
    );
}
