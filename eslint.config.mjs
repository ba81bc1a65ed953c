// @ts-check
import comments from '@eslint-community/eslint-plugin-eslint-comments/configs';
import eslint from '@eslint/js';
import prettier from 'eslint-config-prettier';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/', 'dist-bench/', 'coverage/', 'node_modules/', '.artifacts/'] },
  { linterOptions: { reportUnusedDisableDirectives: 'error' } },
  comments.recommended,
  // Every disable comment must say why, after `--`.
  { rules: { '@eslint-community/eslint-comments/require-description': ['error', { ignore: [] }] } },
  eslint.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      globals: { ...globals.node },
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/explicit-module-boundary-types': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      eqeqeq: ['error', 'always'],
    },
  },
  {
    // The health core's public face is src/health/index.ts: a check, a view or the app imports the core from there,
    // never from its inside. Two Nest-free files are public too, for code that must not load Nest: the status rules
    // (the CLI) and the core's settings (the start validates every setting before Nest loads).
    files: ['src/**/*.ts'],
    ignores: ['src/health/**', 'src/**/*.spec.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '(^|/)health/(?!(health-status|health\\.settings)$).+',
              message: 'Import the health core from its public entry (src/health/index.ts), not from its inside.',
            },
          ],
        },
      ],
    },
  },
  {
    // Tests read arbitrary JSON answers and hand fakes to typed seams.
    files: ['**/*.spec.ts', '**/*.e2e-spec.ts', 'test/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/unbound-method': 'off',
    },
  },
  {
    files: ['**/*.js', '**/*.cjs', '**/*.mjs'],
    extends: [tseslint.configs.disableTypeChecked],
    languageOptions: { sourceType: 'commonjs' },
  },
  // A .cjs file is CommonJS on purpose (src/node-floor.cjs runs on Nodes too old for anything else): require() is
  // how it imports.
  { files: ['**/*.cjs'], rules: { '@typescript-eslint/no-require-imports': 'off' } },
  {
    // The status page runs in the browser as ES modules, served as they are: one concern per module, kept small.
    files: ['src/status/page/**/*.js'],
    languageOptions: { sourceType: 'module', globals: { ...globals.browser } },
    rules: { 'max-lines': ['error', { max: 300 }] },
  },
  prettier,
);
