import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import tseslint from 'typescript-eslint';

// The lab uses tfjs-core and the backends it registers; the all-in-one package would bundle the
// Layers API too. Only the tests that load an exported Layers model use it.
const ALL_IN_ONE = { name: '@tensorflow/tfjs', message: 'Import @tensorflow/tfjs-core (and a backend) instead.' };
// src/core runs in Node, in the worker and in tests: it must not reach for React or the DOM.
const CORE_RESTRICTED = ['react', 'react-dom', 'recharts', '*/ui/*', '*/worker/*'];
const restrict = (patterns) => ({ 'no-restricted-imports': ['error', { paths: [ALL_IN_ONE], patterns }] });

export default tseslint.config(
  { ignores: ['dist', 'node_modules', 'test-results', 'playwright-report', 'bench/results', '.gpu-check'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['src/ui/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    rules: { ...reactHooks.configs.recommended.rules },
  },
  {
    files: ['src/**/*.{ts,tsx}', 'tests/**/*.ts', 'e2e/**/*.ts'],
    ignores: ['tests/interop/**'],
    rules: restrict([]),
  },
  {
    files: ['src/core/**/*.ts'],
    rules: {
      ...restrict(CORE_RESTRICTED),
      'no-restricted-globals': ['error', 'document', 'window', 'localStorage', 'navigator'],
    },
  },
  {
    // Inside core the layers point one way: ops <- robust <- train <- experiment. Robust (radii,
    // attacks, evaluation) must not import train, or the two import each other again; what both
    // need (cross-entropy) lives in core/ops, below both.
    files: ['src/core/robust/**/*.ts'],
    rules: restrict([...CORE_RESTRICTED, '*/train/*', '*/experiment/*']),
  },
  {
    files: ['src/core/ops/**/*.ts'],
    rules: restrict([...CORE_RESTRICTED, '*/train/*', '*/experiment/*', '*/robust/*', '*/model/*']),
  },
);
