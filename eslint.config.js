// typescript-eslint with type information: promises must be awaited or
// handled, switches over unions exhaustive, strict equality, braces always.
// import-x guards the architecture (docs/architecture.md): no import cycle,
// and imports only go down the layers: transports (http, rest, resolvers,
// schema) -> services -> domain and infrastructure.
import js from '@eslint/js';
import { createNodeResolver, importX } from 'eslint-plugin-import-x';
import tseslint from 'typescript-eslint';

// Domain and infrastructure code: the live path and everything it is made of.
const lowerLayers = [
  'attendance', 'audit', 'auth', 'cameras', 'db', 'domain', 'employees', 'engine', 'enrollment',
  'cluster', 'events', 'live', 'math', 'recognition', 'vision',
].map((dir) => `./src/${dir}`);
const appShell = ['./src/app.ts', './src/main.ts', './src/context.ts', './src/loaders.ts'];
const transports = ['./src/http', './src/rest', './src/resolvers', './src/schema'];

export default tseslint.config(
  {
    ignores: ['node_modules/', 'src/generated/', 'test/graphql/generated.ts', 'web/src/gql/', 'web/dist/', 'test-results/', 'coverage/', 'data/', 'models/', 'bench/results/', 'bin/', '.scratch/', 'tmpwt/'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' }],
      eqeqeq: ['error', 'always', { null: 'ignore' }],
      curly: ['error', 'all'],
      // fastify plugins and resolvers are async by contract, with or without an await inside.
      '@typescript-eslint/require-await': 'off',
    },
  },
  {
    files: ['src/**/*.ts'],
    plugins: { 'import-x': importX },
    settings: {
      // Without these, .ts dependencies are not parsed and no cycle through them is seen.
      'import-x/extensions': ['.ts', '.js'],
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts'] },
      // Sources import `./x.js` for `./x.ts` (NodeNext).
      'import-x/resolver-next': [createNodeResolver({ extensions: ['.ts', '.js', '.json'], extensionAlias: { '.js': ['.ts', '.js'] } })],
    },
    rules: {
      // Type-only imports do not count (the rule skips them): they vanish at run time.
      'import-x/no-cycle': 'error',
      'import-x/no-self-import': 'error',
      'import-x/no-restricted-paths': [
        'error',
        {
          zones: [
            {
              target: lowerLayers,
              from: ['./src/services', ...transports, ...appShell],
              message: 'Domain and infrastructure code never imports services, resolvers, schema, HTTP or REST: hand it what it needs instead.',
            },
            {
              target: './src/services',
              from: [...transports, ...appShell],
              message: 'Services are called by the transports, never the other way round.',
            },
            {
              target: ['./src/resolvers', './src/schema'],
              from: ['./src/rest', './src/http', './src/app.ts', './src/main.ts'],
              message: 'GraphQL code does not reach into REST or the HTTP server.',
            },
            {
              target: './src/rest',
              from: ['./src/resolvers', './src/schema', './src/app.ts', './src/main.ts'],
              message: 'REST routes call the services, never the GraphQL layer.',
            },
            {
              target: './src/cli',
              from: transports,
              message: 'The CLI uses services and domain code, not the transports.',
            },
          ],
        },
      ],
    },
  },
  {
    // Resolvers turn arguments into a service call: no database access of their own.
    files: ['src/resolvers/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['**/db/*', '@prisma/*', 'mariadb', '**/*-repository.js'], message: 'Resolvers never touch the database: call a service.' },
            { group: ['**/generated/prisma/*'], allowTypeImports: true, message: 'Resolvers may use Prisma row types, not the client: call a service.' },
          ],
        },
      ],
    },
  },
  {
    // Services reach the database through the repositories of the domain folders (docs/architecture.md):
    // only the composition root holds the Prisma client, to build them. Row types stay importable.
    files: ['src/services/**/*.ts'],
    ignores: ['src/services/create-services.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['**/db/prisma.js', '**/db/prisma-errors.js', '@prisma/*', 'mariadb'], message: 'Services use repositories: data access and its errors live beside the domain.' },
            { group: ['**/generated/prisma/*'], importNames: ['PrismaClient'], message: 'Services take a repository, not the Prisma client (src/services/create-services.ts builds them).' },
          ],
        },
      ],
      // Prisma.DbNull, Prisma.sql...: query values; Prisma's types (Prisma.InputJsonValue) stay allowed.
      'no-restricted-syntax': [
        'error',
        {
          selector: "ImportDeclaration[importKind='value'][source.value=/generated\\/prisma\\//] > ImportSpecifier[importKind='value'][imported.name='Prisma']",
          message: 'Services use Prisma types only: queries belong in a repository.',
        },
      ],
    },
  },
  {
    files: ['**/*.js'],
    extends: [tseslint.configs.disableTypeChecked],
  },
);
