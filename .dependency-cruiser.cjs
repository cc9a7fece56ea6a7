/**
 * Import rules of src/ (README, "Layout"; checked by test/structure/layers.test.ts through dependency-cruiser).
 * Layers from the bottom: a module may import its own layer and the layers below it, never one above.
 * src/index.ts (the package's public surface) sits above everything.
 * The vocabulary of the spec file (src/spec/types.ts, src/spec/result.ts) is made of types only; data and
 * finite may name those types (`import type`), but no spec code.
 */
const LAYERS = ['core', 'data', 'finite', 'spec', 'limits', 'run', 'harness', 'regimes', 'cli'];
const SPEC_VOCABULARY = '^src/spec/(types|result)\\.ts$';

const forbidden = LAYERS.slice(0, -1).map((layer, i) => {
  const above = LAYERS.slice(i + 1);
  return {
    name: `${layer}-imports-above`,
    comment: `src/${layer} may import only ${LAYERS.slice(0, i + 1).join(', ')} (layers: ${LAYERS.join(' ← ')})`,
    severity: 'error',
    from: { path: `^src/${layer}/` },
    to: i >= 1 ? { path: `^src/(${above.join('|')})/`, pathNot: SPEC_VOCABULARY } : { path: `^src/(${above.join('|')})/` },
  };
});

forbidden.push(
  {
    name: 'spec-vocabulary-types-only',
    comment: 'data and finite may name the types of src/spec/types.ts and src/spec/result.ts (import type), not run their code',
    severity: 'error',
    from: { path: '^src/(data|finite)/' },
    to: { path: SPEC_VOCABULARY, dependencyTypesNot: ['type-only'] },
  },
  {
    name: 'nothing-imports-index',
    comment: 'src/index.ts is the public surface; modules inside src/ import the module itself',
    severity: 'error',
    from: { path: '^src/' },
    to: { path: '^src/index\\.ts$' },
  },
  {
    name: 'not-to-unresolvable',
    comment: 'every import resolves (a moved file left an import behind)',
    severity: 'error',
    from: { path: '^src/' },
    to: { couldNotResolve: true, path: '^[.]' },
  },
);

module.exports = {
  forbidden,
  options: {
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(node_modules|dist)/' },
  },
};
