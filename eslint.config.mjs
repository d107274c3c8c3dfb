import { builtinModules } from 'node:module';
import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import importPlugin from 'eslint-plugin-import';
import globals from 'globals';
import tseslint from 'typescript-eslint';

// No Node built-ins in workflow code (replayed years later: no I/O, no clock) nor in the pages (a browser).
const nodeBuiltins = builtinModules.filter((name) => !name.startsWith('_'));
const nodeBuiltinPaths = (message) => nodeBuiltins.map((name) => ({ name, message }));

// The README's "may import" table, said once: every folder may import itself and common/; these may
// import more. scripts/ and test/ import anything.
const FOLDERS = ['common', 'workflows', 'activities', 'stores', 'worker', 'api', 'procedures', 'ui', 'scripts', 'test'];
const MAY_IMPORT = {
  common: [],
  workflows: ['activities'], // types only: the workflows entry below holds them to `import type`
  activities: ['stores'],
  stores: [],
  worker: ['activities', 'stores'],
  api: ['procedures', 'stores'],
  procedures: [],
  ui: [],
};
const boundaries = Object.entries(MAY_IMPORT).map(([folder, more]) => ({
  target: `./${folder}`,
  from: FOLDERS.filter((f) => f !== folder && f !== 'common' && !more.includes(f)).map((f) => `./${f}`),
  message: `${folder}/ may import only ${[...new Set([folder, 'common', ...more])].map((f) => `${f}/`).join(', ')} (README, "may import").`,
}));

// What common/ may take from npm: libraries that run inside a workflow and in a browser.
const COMMON_LIBRARIES = ['zod', '@temporalio/common', '@temporalio/workflow', 'feelin', '@noble/hashes'];
const onlyLibraries = (allowed, message) => ({
  regex: `^(?!\\.|(${allowed.map((name) => name.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')).join('|')})(/|$))`,
  message,
});

// What writes to the file system, in node:fs and node:fs/promises alike.
const FS_WRITES = [
  'appendFile',
  'copyFile',
  'cp',
  'link',
  'mkdir',
  'mkdtemp',
  'open',
  'rename',
  'rm',
  'rmdir',
  'symlink',
  'truncate',
  'unlink',
  'writeFile',
]
  .flatMap((name) => [name, `${name}Sync`])
  .concat(['createWriteStream', 'promises']);

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'data/', '.tools/', 'coverage/'] },
  js.configs.recommended,
  {
    files: ['**/*.ts'],
    extends: [...tseslint.configs.recommendedTypeChecked],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/require-await': 'off',
    },
  },
  {
    files: ['**/*.ts'],
    plugins: { import: importPlugin },
    settings: {
      'import/parsers': { '@typescript-eslint/parser': ['.ts'] },
      'import/resolver': { typescript: { project: './tsconfig.json' }, node: true },
    },
    rules: {
      'import/no-cycle': 'error',
    },
  },
  {
    files: ['**/*.ts'],
    rules: {
      'import/no-restricted-paths': ['error', { zones: boundaries }],
      // Production code runs with `npm ci --omit=dev` (Dockerfile): it may use `dependencies` only.
      'import/no-extraneous-dependencies': ['error', { devDependencies: false, includeTypes: false }],
    },
  },
  {
    // Only the build, the bench and the tests run with the devDependencies.
    files: ['test/**/*.ts', 'scripts/build-assets.ts', 'scripts/build-ui.ts', 'scripts/bench.ts'],
    rules: { 'import/no-extraneous-dependencies': ['error', { devDependencies: true }] },
  },
  {
    files: ['workflows/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: nodeBuiltinPaths('Workflow code must stay deterministic: no Node built-ins.'),
          patterns: [
            { group: ['node:*'], message: 'Workflow code must stay deterministic: no Node built-ins.' },
            {
              group: ['../activities', '../activities/*'],
              allowTypeImports: true,
              message: 'workflows/ take only types from activities/ (proxyActivities calls them).',
            },
            onlyLibraries(
              ['@temporalio/workflow', '@temporalio/common'],
              'Workflow code must stay deterministic: only @temporalio/workflow and @temporalio/common from npm.',
            ),
          ],
        },
      ],
    },
  },
  {
    files: ['common/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            onlyLibraries(
              COMMON_LIBRARIES,
              `common/ runs in workflows and in the browser: from npm only ${COMMON_LIBRARIES.join(', ')}.`,
            ),
          ],
        },
      ],
    },
  },
  {
    // procedures/ reads its files; what it compiles is kept by a store (stores/procedure-versions.ts).
    files: ['procedures/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: ['fs', 'node:fs', 'fs/promises', 'node:fs/promises'].map((name) => ({
            name,
            importNames: FS_WRITES,
            message: 'procedures/ only reads files: writing belongs to a store in stores/ (README, "may import").',
          })),
        },
      ],
    },
  },
  {
    files: ['ui/src/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: nodeBuiltinPaths('The pages run in a browser: no Node built-ins.'),
          patterns: [{ group: ['node:*'], message: 'The pages run in a browser: no Node built-ins.' }],
        },
      ],
    },
  },
  {
    // supertest bodies are `any`; the assertions themselves are the type check there.
    files: ['test/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
    },
  },
  {
    files: ['**/*.mjs', '**/*.js', '**/*.cjs'],
    languageOptions: { globals: globals.node },
  },
  prettier,
);
