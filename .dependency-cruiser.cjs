/**
 * Dependency rules of Registrar (docs/architecture.md explains them). `npm run check` runs this; a
 * violation fails CI.
 */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      comment: 'No import cycles anywhere in src/ (type-only imports included).',
      severity: 'error',
      from: { path: '^src/' },
      to: { circular: true },
    },
    {
      name: 'module-internals',
      comment:
        "A module imports another module only through that module's index.ts (its public surface). " +
        'The composition root (src/modules/index.ts) imports module definitions (*.module.ts).',
      severity: 'error',
      from: { path: '^src/modules/([^/]+)/' },
      to: { path: '^src/modules/', pathNot: ['^src/modules/$1/', '^src/modules/[^/]+/index\\.ts$'] },
    },
    {
      name: 'composition-root',
      comment: 'src/modules/index.ts lists module definitions and imports nothing else of a module.',
      severity: 'error',
      from: { path: '^src/modules/index\\.ts$' },
      to: { path: '^src/modules/[^/]+/', pathNot: '^src/modules/[^/]+/[^/]+\\.module\\.ts$' },
    },
    {
      name: 'module-definition-private',
      comment: 'Only the composition root imports a module definition.',
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/modules/index\\.ts$' },
      to: { path: '^src/modules/[^/]+/[^/]+\\.module\\.ts$' },
    },
    {
      name: 'kernel-independent',
      comment: 'The kernel serves every module and depends on none of them.',
      severity: 'error',
      from: { path: '^src/(kernel|db)/', pathNot: '^src/db/schema\\.ts$' },
      to: { path: '^src/modules/' },
    },
    {
      name: 'no-app-from-modules',
      comment: 'Modules and the kernel never import the app (shared types live in src/kernel).',
      severity: 'error',
      from: { path: '^src/(modules|kernel|db)/' },
      to: { path: '^src/(app|server)\\.ts$' },
    },
    {
      name: 'schema-for-tooling-only',
      comment: 'src/db/schema.ts gathers every table for drizzle-kit; code imports tables from their owners.',
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/db/schema\\.ts$' },
      to: { path: '^src/db/schema\\.ts$' },
    },
  ],
  options: {
    parser: 'swc',
    tsConfig: { fileName: 'tsconfig.json' },
    tsPreCompilationDeps: true,
    doNotFollow: { path: 'node_modules' },
    exclude: { path: 'node_modules' },
  },
};
