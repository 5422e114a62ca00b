import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import tseslint from 'typescript-eslint';

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
    // The lab uses tfjs-core and the backends it registers; the all-in-one package would bundle
    // the Layers API too. Only the tests that load an exported Layers model use it.
    files: ['src/**/*.{ts,tsx}', 'tests/**/*.ts', 'e2e/**/*.ts'],
    ignores: ['tests/interop/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        { paths: [{ name: '@tensorflow/tfjs', message: 'Import @tensorflow/tfjs-core (and a backend) instead.' }] },
      ],
    },
  },
  {
    // src/core runs in Node, in the worker and in tests: it must not reach for React or the DOM.
    files: ['src/core/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: '@tensorflow/tfjs', message: 'Import @tensorflow/tfjs-core (and a backend) instead.' }],
          patterns: ['react', 'react-dom', 'recharts', '*/ui/*', '*/worker/*'],
        },
      ],
      'no-restricted-globals': ['error', 'document', 'window', 'localStorage', 'navigator'],
    },
  },
);
