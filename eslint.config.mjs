// ESLint over the project's own JavaScript (make test checks it; make format fixes what it can). The page's
// scripts are classic browser scripts sharing globals through window; the workers import Emscripten's
// factories; tests, bench drivers and scripts are Node modules (the browser tests' evaluate() callbacks run
// in the page).
import js from '@eslint/js';
import globals from 'globals';

export default [
  { ignores: ['build/**', 'node_modules/**', 'third_party/**'] },
  js.configs.recommended,
  {
    rules: {
      'no-unused-vars': ['error', { args: 'none', caughtErrors: 'none' }],
      'no-empty': ['error', { allowEmptyCatch: true }],
      eqeqeq: ['error', 'always', { null: 'ignore' }],
      'prefer-const': 'error',
      'no-var': 'error',
    },
  },
  {
    files: ['shell/**/*.js', 'bench/web/**/*.js', 'bench/tfjs_workload.js'],
    languageOptions: { sourceType: 'script', globals: { ...globals.browser } },
  },
  {
    files: ['shell/trainer-worker.js', 'shell/sw.js'],
    languageOptions: { sourceType: 'script', globals: { ...globals.worker, ...globals.serviceworker } },
  },
  {
    files: ['**/*.mjs'],
    languageOptions: { sourceType: 'module', globals: { ...globals.node } },
  },
  {
    // Playwright drivers: their page.evaluate() callbacks run in the page.
    files: ['tests/e2e/**/*.mjs', 'bench/*.mjs'],
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
  },
  {
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs', globals: { ...globals.node } },
  },
];
