/** Version written into every result file's `meta.version`: package.json's (src/spec/package.ts). */
import { packageVersion } from './package.js';

export const VERSION = packageVersion();
