/**
 * mathjs, loaded on first use. Importing mathjs costs ~2 s of start-up, and only expression
 * activations and expression targets need it, so every command that does not use an expression
 * starts fast. Synchronous (CommonJS build through createRequire) so parsers stay synchronous.
 */
import { createRequire } from 'node:module';
import type { MathJsInstance } from 'mathjs';

let instance: MathJsInstance | undefined;

export function mathjs(): MathJsInstance {
  if (!instance) {
    const require = createRequire(import.meta.url);
    instance = require('mathjs') as MathJsInstance;
  }
  return instance;
}
