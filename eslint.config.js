import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import tseslint from 'typescript-eslint';

// src/core runs in Node, in the worker and in tests: it must not reach for React or the DOM.
const CORE_RESTRICTED = ['react', 'react-dom', 'recharts', '*/ui/*', '*/worker/*'];

export default tseslint.config(
  { ignores: ['dist', 'node_modules', 'test-results', 'playwright-report', 'bench/results'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['src/ui/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    rules: { ...reactHooks.configs.recommended.rules },
  },
  {
    files: ['src/core/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: CORE_RESTRICTED }],
      'no-restricted-globals': ['error', 'document', 'window', 'localStorage', 'navigator'],
    },
  },
  {
    // Inside core the layers point one way: ops <- robust <- train <- experiment. Robust (radii,
    // attacks, evaluation) must not import train, or the two import each other again; what both
    // need (cross-entropy) lives in core/ops, below both.
    files: ['src/core/robust/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [...CORE_RESTRICTED, '*/train/*', '*/experiment/*'] }] },
  },
  {
    files: ['src/core/ops/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [...CORE_RESTRICTED, '*/train/*', '*/experiment/*', '*/robust/*', '*/model/*'] },
      ],
    },
  },
);
