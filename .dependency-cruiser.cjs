// The rooms of the code and which way their imports go (`npm run lint:imports`, part of `npm test`).
// Each rule's comment says what it keeps; docs/decisions/0009-rooms-import-one-way.md says why.
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      comment: 'Two files that import each other (directly or around a loop) are one room in two files: merge them or move what both need down.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'no-circular-folders',
      comment: 'Two folders that import each other, even through different files, are rooms with a door both ways: make the arrow go one way.',
      severity: 'error',
      scope: 'folder',
      from: {},
      to: { circular: true },
    },
    {
      name: 'handlers-only-import-handlers',
      comment: 'What is deployed (handlers/) never imports the tooling around it: the local AWS, the CLI, the tests, the bench.',
      severity: 'error',
      from: { path: '^handlers/' },
      to: { path: '^(local-aws|cli|shared|test|bench|scripts|deploy)/' },
    },
    {
      name: 'no-function-imports-another',
      comment: 'A function folder imports only itself, handlers/domain and handlers/platform; what two functions share belongs in domain/.',
      severity: 'error',
      from: { path: '^handlers/([^/]+)/', pathNot: '^handlers/(domain|platform)/' },
      to: { path: '^handlers/', pathNot: '^handlers/($1|domain|platform)/' },
    },
    {
      name: 'domain-below-functions',
      comment: 'handlers/domain is shared by the functions: it imports platform, never a function folder.',
      severity: 'error',
      from: { path: '^handlers/domain/' },
      to: { path: '^handlers/', pathNot: '^handlers/(domain|platform)/' },
    },
    {
      name: 'platform-is-the-floor',
      comment: 'handlers/platform (clients, logger, config, errors) imports nothing else of handlers/.',
      severity: 'error',
      from: { path: '^handlers/platform/' },
      to: { path: '^handlers/', pathNot: '^handlers/platform/' },
    },
    {
      name: 'cli-does-not-reach-back',
      comment: 'The console (local-aws/) uses the queue CLI’s operations; the CLI never imports the local AWS, the tests or the bench.',
      severity: 'error',
      from: { path: '^cli/' },
      to: { path: '^(local-aws|test|bench|scripts)/' },
    },
    {
      name: 'shared-is-the-floor-of-the-tooling',
      comment: 'shared/ holds what the tooling rooms (local-aws, cli, bench, scripts, tests) all need; it imports none of them.',
      severity: 'error',
      from: { path: '^shared/' },
      to: { path: '^(local-aws|cli|handlers|test|bench|scripts|deploy)/' },
    },
    {
      name: 'tooling-does-not-import-tests-or-bench',
      comment: 'The local AWS, the CLI and the deploy plugins run without the tests and the bench (scripts/ may use test/support).',
      severity: 'error',
      from: { path: '^(local-aws|cli|shared|deploy)/' },
      to: { path: '^(test|bench)/' },
    },
  ],
  options: {
    includeOnly: '^(handlers|local-aws|cli|shared|deploy|bench|scripts|test)/',
    exclude: { path: '(^|/)(node_modules|\\.serverless|\\.esbuild|\\.local-aws)/' },
    doNotFollow: { path: 'node_modules' },
    tsConfig: { fileName: 'tsconfig.json' },
    tsPreCompilationDeps: true,
    skipAnalysisNotInRules: true,
    moduleSystems: ['cjs', 'es6'],
  },
};
