/** Version written into every result file's `meta.version` (kept equal to package.json's). */
export const VERSION = '0.1.0';
