// ESLint enforces the architecture, not just style (ARCHITECTURE.md, "Arrows"):
// 1. browser-safe code imports no Node built-ins and touches no Node globals;
// 2. the intake server cannot import anything that decrypts;
// 3. every package imports only what its own package.json declares (npm workspaces hoist everything
//    to the root node_modules, so without this an undeclared import would silently resolve);
// 4. inside @amanat/crypto, only open.ts may hold decryption, and the main entry never imports it.
import { readdirSync, existsSync } from 'node:fs'
import { builtinModules } from 'node:module'
import { join } from 'node:path'
import importX from 'eslint-plugin-import-x'
import tseslint from 'typescript-eslint'

const nodeBuiltins = [...builtinModules, ...builtinModules.map((m) => `node:${m}`)]

const BROWSER_SAFE = [
  'packages/domain/src/**',
  'packages/crypto/src/**',
  'packages/synthetic/src/**',
  'apps/questionnaire/src/**',
  'apps/workbench/src/ui/**',
  'packages/disclosure/src/**',
]

const DECRYPTION = [
  { name: '@amanat/crypto/open', message: 'The intake server must never hold decryption code.' },
  { name: 'age-encryption', message: 'The intake server must not import age-encryption (it contains a Decrypter).' },
  { name: '@amanat/database', message: 'The workspace store holds plaintext and subject keys; not for the intake server.' },
  { name: '@amanat/workbench', message: 'The workbench decrypts; not for the intake server.' },
]

// Each workspace package is checked against its own package.json, plus the root's devDependencies
// (the shared test and build tools) for its tests.
const root = import.meta.dirname
const workspaceDirs = ['packages', 'apps'].flatMap((group) =>
  existsSync(join(root, group))
    ? readdirSync(join(root, group)).filter((d) => existsSync(join(root, group, d, 'package.json'))).map((d) => `${group}/${d}`)
    : [],
)
const perPackageDependencies = workspaceDirs.map((dir) => ({
  files: [`${dir}/**`],
  rules: {
    'import-x/no-extraneous-dependencies': ['error', {
      packageDir: [join(root, dir), root],
      devDependencies: [`${dir}/test/**`, `${dir}/bench/**`, `${dir}/build.mjs`, `${dir}/*.config.*`],
    }],
  },
}))

export default tseslint.config(
  {
    ignores: ['**/node_modules/**', '**/dist/**', 'coverage/**', '.amanat-demo/**', '**/*.d.ts'],
  },
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: { allowDefaultProject: ['*.js', '*.mjs', 'tools/*.mjs', 'apps/*/bin/*.mjs', 'apps/*/build.mjs', 'apps/workbench/src/intake/*.mjs', 'bench/fixtures/*.mjs'] }, tsconfigRootDir: import.meta.dirname },
    },
    plugins: { 'import-x': importX },
    rules: {
      eqeqeq: ['error', 'always'],
      'no-console': 'off',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/only-throw-error': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true }],
      'import-x/no-extraneous-dependencies': ['error', { devDependencies: ['**/test/**', '**/bench/**', 'bench/**', 'tools/**', '*.config.*'] }],
    },
  },
  ...perPackageDependencies,
  {
    files: BROWSER_SAFE,
    rules: {
      'no-restricted-imports': ['error', { paths: nodeBuiltins.map((name) => ({ name, message: 'Browser-safe code must not import Node built-ins.' })), patterns: [{ group: ['node:*'], message: 'Browser-safe code must not import Node built-ins.' }] }],
      'no-restricted-globals': ['error', 'process', 'Buffer', '__dirname', '__filename', 'require', 'global'],
    },
  },
  {
    files: ['packages/crypto/src/**'],
    ignores: ['packages/crypto/src/open.ts', 'packages/crypto/src/open/**'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: nodeBuiltins.map((name) => ({ name, message: 'Browser-safe code must not import Node built-ins.' })),
        patterns: [
          { group: ['node:*'], message: 'Browser-safe code must not import Node built-ins.' },
          { group: ['./open', './open.ts', './open/*'], message: 'The main entry of @amanat/crypto must not reach decryption; use @amanat/crypto/open.' },
        ],
      }],
      'no-restricted-syntax': ['error', { selector: "ImportSpecifier[imported.name='Decrypter']", message: 'Decryption lives in open.ts only.' }],
    },
  },
  {
    files: ['apps/intake-server/**'],
    rules: {
      'no-restricted-imports': ['error', { paths: DECRYPTION, patterns: [{ group: ['**/crypto/src/open*', '**/database/src/**', '**/workbench/**'], message: 'The intake server cannot reach decryption code.' }] }],
    },
  },
  {
    files: ['**/test/**', 'bench/**', 'tools/**'],
    rules: {
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
    },
  },
  {
    // Harnesses at the root reach every workspace package through the hoisted node_modules.
    files: ['bench/**', 'tools/**', '*.config.*'],
    rules: { 'import-x/no-extraneous-dependencies': 'off' },
  },
)
